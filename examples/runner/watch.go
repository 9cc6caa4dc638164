package runner

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

// Watch is a program's automatic sync (Program.Watch): -watch runs the
// schedule's tasks on the run's engine until interrupted, the First task
// at once, printing every run and every notification. On the fakes, one
// step of Fake.Tour is made after each run that succeeds (its Deliver is
// not used), so that the next run has a change to carry.
type Watch struct {
	// Usage describes -watch, for -h.
	Usage string
	// Poll, when set, gives -watch a -poll flag, described by PollUsage
	// (with a `DURATION` in it): how often the schedule polls; Poll is
	// its default.
	Poll      time.Duration
	PollUsage string
	// Tasks returns the schedule's tasks on eng, which New made from cfg.
	Tasks func(eng *syncengine.Engine, cfg syncengine.Config, poll time.Duration) ([]schedule.Task, error)
	// First is the task run at once, as a manual sync.
	First string
	// About says what is watched, printed before the first run (and a
	// line that says a notification follows each automatic sync).
	About func(poll time.Duration) string
	// Clock is the schedule's clock (tests use a manual one); nil: the
	// system's.
	Clock schedule.Clock
}

// watchTakes are the runner's flags -watch takes.
var watchTakes = []string{"state", "v", "watch", "poll", "direction", "show-sensitive"}

// checkWatch refuses -poll without -watch, a bad -poll, and with -watch
// the runner's flags that do not apply to it.
func (r *run) checkWatch(o *options) error {
	w := r.p.Watch
	o.every = w.Poll
	if o.set["poll"] {
		if !o.watch {
			return Usagef("-poll applies to -watch only")
		}
		d, err := time.ParseDuration(o.poll)
		if err != nil || d <= 0 {
			return Usagef("-poll %q: want a positive duration such as 5m", o.poll)
		}
		o.every = d
	}
	if !o.watch {
		return nil
	}
	var fakes []string
	for _, n := range o.fakeOnly {
		if n != "fake-leavers" {
			fakes = append(fakes, "-"+n)
		}
	}
	for _, n := range names(r.fs) {
		if !o.set[n] || slices.Contains(watchTakes, n) || (!slices.Contains(o.core, n) && n != "fake-leavers") {
			continue
		}
		takes := "-state and -v"
		if len(fakes) > 0 {
			takes = "-state, -v and, on the fakes, " + strings.Join(fakes, ", ")
		}
		return Usagef("-watch takes only %s: -%s does not apply to it", takes, n)
	}
	return nil
}

// watch runs the program's automatic sync until ctx ends.
func (r *run) watch(ctx context.Context) error {
	w := r.p.Watch
	clock := w.Clock
	if clock == nil {
		clock = schedule.SystemClock{}
	}
	tasks, err := w.Tasks(r.eng, r.cfg, r.o.every)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var steps []Step
	if r.fake != nil {
		steps = r.fake.Tour
	}
	for i := range tasks {
		name, run := tasks[i].Name, tasks[i].Run
		tasks[i].Run = func(ctx context.Context) (*syncengine.Report, error) {
			rep, err := run(ctx)
			r.printRun(clock, name, rep, err)
			mu.Lock()
			defer mu.Unlock()
			if err == nil && len(steps) > 0 {
				s := steps[0]
				steps = steps[1:]
				s.Change()
				fmt.Fprintf(r.out, "\n%s: %s\n", r.p.Source, s.Say)
			}
			return rep, err
		}
	}
	s, err := schedule.New(schedule.Options{Store: r.eng.Store(), Pair: r.eng.Pair(), Clock: clock,
		Notify: func(st schedule.Status) {
			fmt.Fprintf(r.out, "  notification: %s %s after an automatic run\n", st.Task, st.State)
		}}, tasks...)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "%s\nA notification follows each automatic sync. Ctrl-C stops.\n\nActivated: a manual sync first.\n", w.About(r.o.every))
	stopped := make(chan error, 1)
	go func() { stopped <- s.Run(ctx) }()
	if _, err := s.Trigger(ctx, w.First); err != nil {
		return err
	}
	if err := <-stopped; err != nil {
		return err
	}
	fmt.Fprintln(r.out, "\nStopped.")
	return nil
}

// printRun prints a run's summary and its rows: those that change
// something, every row with -v.
func (r *run) printRun(clock schedule.Clock, task string, rep *syncengine.Report, err error) {
	at := clock.Now().UTC().Format(time.RFC3339)
	switch {
	case err != nil:
		fmt.Fprintf(r.out, "\n%s %s: failed: %v\n", at, task, err)
	case rep == nil:
		fmt.Fprintf(r.out, "\n%s %s: no change\n", at, task)
	default:
		fmt.Fprintf(r.out, "\n%s %s: %s\n", at, task, rep.Summary())
		keep := func(o *syncengine.Outcome) bool {
			return o.Result != syncengine.ResultUnchanged && o.Result != syncengine.ResultSkipped
		}
		if r.o.verbose {
			keep = nil
		}
		_ = rep.WriteRows(r.out, keep)
	}
}

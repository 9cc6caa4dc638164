package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// watchClock is the automatic sync's clock; tests use a manual one.
var watchClock schedule.Clock = schedule.SystemClock{}

// watchArgs are the runner flags -watch takes.
type watchArgs struct {
	state, branch string
	verbose       bool
}

func parseWatchArgs(args []string) (watchArgs, error) {
	var w watchArgs
	for i := 0; i < len(args); i++ {
		key, val, hasVal := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		value := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", runner.Usagef("flag -%s needs a value", key)
			}
			i++
			return args[i], nil
		}
		var err error
		switch key {
		case "state":
			w.state, err = value()
		case "branch":
			w.branch, err = value()
		case "v":
			w.verbose = true
		default:
			return w, runner.Usagef("-watch takes only -state, -v and, on the fakes, -branch: %s does not apply to it", args[i])
		}
		if err != nil {
			return w, err
		}
	}
	return w, nil
}

// watch runs the automatic sync until ctx ends: a manual sync first (as
// TalentHR's integration syncs when it is switched on), then the
// schedule's tasks, printing every run and every notification.
func watch(ctx context.Context, o options, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	out := &lockedWriter{w: stdout}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		if errors.Is(err, runner.ErrUsage) || errors.Is(err, syncengine.ErrConfig) {
			return runner.ExitUsage
		}
		return runner.ExitError
	}
	w, err := parseWatchArgs(args)
	if err != nil {
		return fail(err)
	}
	pair, fake, cleanup, err := watchPair(ctx, o, w, getenv, stderr)
	if err != nil {
		return fail(err)
	}
	defer cleanup()
	cfg, err := pair.Config(nil)
	if err != nil {
		return fail(err)
	}
	if cfg.StateDir = w.state; fake != nil && w.state == "" {
		dir, err := os.MkdirTemp(getenv("TMPDIR"), "rostersync-"+name+"-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(dir)
		cfg.StateDir = filepath.Join(dir, "state")
	}
	eng, err := syncengine.New(cfg)
	if err != nil {
		return fail(err)
	}
	defer eng.Close()
	if err := runSchedule(ctx, eng, cfg, o, w, fake, pair.About, out); err != nil {
		return fail(err)
	}
	return runner.ExitOK
}

// watchPair builds the pair on real accounts, when the environment names
// them, or on the fakes, with the change the fakes make after the first
// sync.
func watchPair(ctx context.Context, o options, w watchArgs, getenv func(string) string, log io.Writer) (*runner.Pair, *watchFake, func(), error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	var set, missing []string
	for _, v := range vars {
		switch {
		case v.Kind == runner.Required && get(v.Name) != "":
			set = append(set, v.Name)
		case v.Kind == runner.Required:
			missing = append(missing, v.Name)
		}
	}
	if len(set) > 0 {
		if len(missing) > 0 {
			return nil, nil, nil, runner.Usagef("missing environment variables %s (%s set)", strings.Join(missing, ", "), strings.Join(set, ", "))
		}
		if w.branch != "" {
			return nil, nil, nil, runner.Usagef("-branch applies to the built-in fakes only; set TALENTLMS_BRANCH")
		}
		p, err := realPair(ctx, get, log, o)
		return p, nil, func() {}, err
	}
	f, err := startFakes(o, w.branch)
	if err != nil {
		return nil, nil, nil, err
	}
	p := f.Pair
	p.About = "No credentials in the environment: running on in-process fakes of TalentHR and TalentLMS,\n" + p.About
	return &p, &watchFake{hr: f.hr, lms: f.lms, co: f.co}, f.Close, nil
}

// watchFake makes, after the first sync, the change the next automatic
// run carries: a promotion in TalentHR, or (LMS to HR) a learner's new
// language in TalentLMS.
type watchFake struct {
	hr   *talenthrtest.Server
	lms  *talentlmstest.Server
	co   *company
	done bool
}

func (f *watchFake) change(dir jobs.Direction) string {
	if f.done {
		return ""
	}
	f.done = true
	if dir == jobs.LMSToHR {
		f.lms.SetLanguage(f.co.user["Lena"], "Greek")
		return "TalentLMS: Lena Park switches her language to Greek; the next full sync carries it."
	}
	title := f.hr.AddJobTitle("Staff Engineer")
	f.hr.Edit(f.co.emp["Bo"], func(e *talenthrtest.Employee) { e.JobTitleID = title })
	return "TalentHR: Bo Chen is promoted to Staff Engineer; the next poll carries it."
}

// runSchedule runs the tasks until ctx ends.
func runSchedule(ctx context.Context, eng *syncengine.Engine, cfg syncengine.Config, o options, w watchArgs,
	fake *watchFake, about string, out io.Writer) error {
	tasks, err := jobs.TalentHRTalentLMSTasks(eng, cfg, jobs.TalentHRTalentLMSSchedule{Poll: o.poll})
	if err != nil {
		return err
	}
	for i := range tasks {
		name, run := tasks[i].Name, tasks[i].Run
		tasks[i].Run = func(ctx context.Context) (*syncengine.Report, error) {
			rep, err := run(ctx)
			printRun(out, name, rep, err, w.verbose)
			if fake != nil && err == nil {
				if say := fake.change(o.direction); say != "" {
					fmt.Fprintf(out, "\n%s\n", say)
				}
			}
			return rep, err
		}
	}
	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Clock: watchClock,
		Notify: func(st schedule.Status) {
			fmt.Fprintf(out, "  notification: %s %s after an automatic run\n", st.Task, st.State)
		}}, tasks...)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s\nState: %s\n\n", about, eng.StateDir())
	if o.direction != jobs.LMSToHR {
		fmt.Fprintf(out, "Watching: TalentHR is polled every %s (it has no webhooks) and its changes applied at once;\n", o.poll)
	} else {
		fmt.Fprintln(out, "Watching: TalentHR's changes do not flow in this direction;")
	}
	fmt.Fprintln(out, "a full sync carries TalentLMS's changes 12 hours after activation, then every 24 hours.\n"+
		"A notification follows each automatic sync. Ctrl-C stops.")
	fmt.Fprintln(out, "\nActivated: a manual sync first.")
	stopped := make(chan error, 1)
	go func() { stopped <- s.Run(ctx) }()
	if _, err := s.Trigger(ctx, jobs.TalentLMSTask); err != nil {
		return err
	}
	if err := <-stopped; err != nil {
		return err
	}
	fmt.Fprintln(out, "\nStopped.")
	return nil
}

// printRun prints a run's summary and its rows (every row with -v).
func printRun(out io.Writer, task string, rep *syncengine.Report, err error, verbose bool) {
	at := watchClock.Now().UTC().Format(time.RFC3339)
	switch {
	case err != nil:
		fmt.Fprintf(out, "\n%s %s: failed: %v\n", at, task, err)
	case rep == nil:
		fmt.Fprintf(out, "\n%s %s: no change\n", at, task)
	default:
		fmt.Fprintf(out, "\n%s %s: %s\n", at, task, rep.Summary())
		keep := func(o *syncengine.Outcome) bool {
			return o.Result != syncengine.ResultUnchanged && o.Result != syncengine.ResultSkipped
		}
		if verbose {
			keep = nil
		}
		_ = rep.WriteRows(out, keep)
	}
}

// lockedWriter serialises the runs' output.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

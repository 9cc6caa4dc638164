package runner_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

var t0 = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// watchProgram syncs two people every hour (-poll), on clock; after the
// first run a third joins the fake HR.
func watchProgram(clock schedule.Clock, polls *[]time.Duration) *runner.Program {
	person := func(i int) syncengine.Record {
		return syncengine.Record{ID: fmt.Sprint(i), Active: true, Fields: map[string]any{"email": fmt.Sprintf("p%d@example.com", i)}}
	}
	return &runner.Program{
		Name: "hr-lms", Summary: "Syncs HR people into an LMS.", Source: "HR", Target: "LMS",
		Nouns: runner.Nouns{Source: "person", Target: "user"},
		Watch: &runner.Watch{Usage: "keep syncing", Poll: time.Hour, PollUsage: "sync every `DURATION`", First: "full", Clock: clock,
			About: func(poll time.Duration) string { return "Watching: every " + poll.String() + "." },
			Tasks: func(eng *syncengine.Engine, _ syncengine.Config, poll time.Duration) ([]schedule.Task, error) {
				*polls = append(*polls, poll)
				return []schedule.Task{{Name: "full", Run: eng.Sync, Every: poll}}, nil
			}},
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
			fs.String("region", "", "a fake-only flag")
			return func(context.Context) (*runner.Fake, error) {
				hr := syncenginetest.NewConnector("hr")
				hr.Put(syncengine.Users, person(1))
				hr.Put(syncengine.Users, person(2))
				lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
				return &runner.Fake{Pair: runner.Pair{About: "seeded with 2 people.",
					Config: func(*mapping.Map) (syncengine.Config, error) {
						return syncengine.Config{A: hr, B: lms, Direction: syncengine.AToB,
							Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
								Create: true, Update: true, Match: []syncengine.MatchKey{{Field: "email", Fold: true}}}}}}, nil
					}},
					Tour: []runner.Step{{Say: "p3 joins", Change: func() { hr.Put(syncengine.Users, person(3)) }}}}, nil
			}
		},
	}
}

// lockedBuffer is output written by the run's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// -watch runs the First task at once, makes the fake's tour step after
// it, runs the schedule on its clock with each run and notification
// printed, and stops cleanly when the context ends.
func TestWatchRuns(t *testing.T) {
	clock := schedule.NewManualClock(t0)
	var polls []time.Duration
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs lockedBuffer
	tmp := t.TempDir()
	code := make(chan int, 1)
	go func() {
		code <- runner.Run(ctx, watchProgram(clock, &polls), []string{"-watch", "-poll", "2h", "-region", "eu"},
			func(k string) string { return map[string]string{"TMPDIR": tmp}[k] }, &out, &errs)
	}()
	wait := func(n int) {
		t.Helper()
		c, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		if err := clock.WaitTimers(c, n); err != nil {
			t.Fatalf("timers: %v\n%s\n%s", err, out.String(), errs.String())
		}
	}
	wait(1)
	// The first run is triggered, not timed: wait for its step.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "HR: p3 joins") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	clock.Advance(2 * time.Hour)
	wait(1)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "notification") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d\n%s\n%s", c, out.String(), errs.String())
	}
	want := []string{"Watching: every 2h0m0s.\nA notification follows each automatic sync. Ctrl-C stops.\n\nActivated: a manual sync first.\n",
		"\n2026-03-10T09:30:00Z full: 2 created, 0 updated", "+ created     1    p1@example.com",
		"\nHR: p3 joins\n", "\n2026-03-10T11:30:00Z full: 1 created, 0 updated", "+ created     3    p3@example.com",
		"  notification: full synced after an automatic run\n"}
	got := out.String()
	for _, w := range want {
		i := strings.Index(got, w)
		if i < 0 {
			t.Fatalf("the output lacks %q, or has it out of order:\n%s", w, out.String())
		}
		got = got[i+len(w):]
	}
	if !strings.HasSuffix(got, "\nStopped.\n") || strings.Count(out.String(), "p3 joins") != 1 {
		t.Errorf("the output does not end with Stopped., or the step was made twice:\n%s", out.String())
	}
	if len(polls) != 1 || polls[0] != 2*time.Hour {
		t.Errorf("Tasks got polls %v, want [2h]", polls)
	}
}

// -poll needs -watch and a positive duration; -watch refuses the
// runner's flags that do not apply to it.
func TestWatchFlags(t *testing.T) {
	p := watchProgram(schedule.NewManualClock(t0), new([]time.Duration))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-poll", "1m"}, "-poll applies to -watch only"},
		{[]string{"-watch=false", "-poll", "1m"}, "-poll applies to -watch only"},
		{[]string{"-watch", "-poll", "soon"}, `-poll "soon": want a positive duration such as 5m`},
		{[]string{"-watch", "-poll", "-1m"}, `-poll "-1m": want a positive duration`},
		{[]string{"-watch", "-apply"}, "-watch takes only -state, -v and, on the fakes, -region: -apply does not apply to it"},
		{[]string{"-watch", "-report", "r.csv"}, "-report does not apply to it"},
		{[]string{"-watch", "-fake-leavers", "1"}, "-fake-leavers does not apply to it"},
	} {
		if code, _, stderr, _ := run(t, p, tc.args...); code != runner.ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, want 2 saying %q:\n%s", tc.args, code, tc.want, stderr)
		}
	}
	if code, _, stderr, _ := run(t, memProgram(1), "-watch"); code != runner.ExitUsage || !strings.Contains(stderr, "-watch") {
		t.Errorf("-watch on a program without a schedule: exit %d\n%s", code, stderr)
	}
}

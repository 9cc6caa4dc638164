package runner

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

var t0 = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// watchProgram syncs two people every hour (-poll), on clock; after the
// first run a third joins the fake HR.
func watchProgram(clock schedule.Clock, polls *[]time.Duration) *Program {
	person := func(i int) syncengine.Record {
		return syncengine.Record{ID: fmt.Sprint(i), Active: true, Fields: map[string]any{"email": fmt.Sprintf("p%d@example.com", i)}}
	}
	return &Program{
		Name: "hr-lms", Summary: "Syncs HR people into an LMS.", Source: "HR", Target: "LMS",
		Nouns: Nouns{Source: "person", Target: "user"},
		Watch: &Watch{Usage: "keep syncing", Poll: time.Hour, PollUsage: "sync every `DURATION`", First: "full", Clock: clock,
			About: func(poll time.Duration) string { return "Watching: every " + poll.String() + "." },
			Tasks: func(eng *syncengine.Engine, _ syncengine.Config, poll time.Duration) ([]schedule.Task, error) {
				*polls = append(*polls, poll)
				return []schedule.Task{{Name: "full", Run: eng.Sync, Every: poll}}, nil
			}},
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*Fake, error) {
			fs.String("region", "", "a fake-only flag")
			return func(context.Context) (*Fake, error) {
				hr := syncenginetest.NewConnector("hr")
				hr.Put(syncengine.Users, person(1))
				hr.Put(syncengine.Users, person(2))
				lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
				return &Fake{Pair: Pair{About: "seeded with 2 people.",
					Config: func(*mapping.Map) (syncengine.Config, error) {
						return syncengine.Config{A: hr, B: lms, Direction: syncengine.AToB,
							Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
								Create: true, Update: true, Match: []syncengine.MatchKey{{Field: "email", Fold: true}}}}}}, nil
					}},
					Tour: []Step{{Say: "p3 joins", Change: func() { hr.Put(syncengine.Users, person(3)) }}}}, nil
			}
		},
	}
}

// output is what a run printed so far to w, a syncWriter on a buffer.
func output(w *syncWriter) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.(*bytes.Buffer).String()
}

// -watch runs the First task at once, makes the fake's tour step after
// it, runs the schedule on its clock with each run and notification
// printed, and stops cleanly when the context ends.
func TestWatchRuns(t *testing.T) {
	clock := schedule.NewManualClock(t0)
	var polls []time.Duration
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errs := &syncWriter{w: &bytes.Buffer{}}, &syncWriter{w: &bytes.Buffer{}}
	tmp := t.TempDir()
	code := make(chan int, 1)
	go func() {
		code <- Run(ctx, watchProgram(clock, &polls), []string{"-watch", "-poll", "2h", "-region", "eu"},
			func(k string) string { return map[string]string{"TMPDIR": tmp}[k] }, out, errs)
	}()
	wait := func(n int) {
		t.Helper()
		c, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		if err := clock.WaitTimers(c, n); err != nil {
			t.Fatalf("timers: %v\n%s\n%s", err, output(out), output(errs))
		}
	}
	wait(1)
	// The first run is triggered, not timed: wait for its step.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(output(out), "HR: p3 joins") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	clock.Advance(2 * time.Hour)
	wait(1)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(output(out), "notification") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d\n%s\n%s", c, output(out), output(errs))
	}
	want := []string{"Watching: every 2h0m0s.\nA notification follows each automatic sync. Ctrl-C stops.\n\nActivated: a manual sync first.\n",
		"\n2026-03-10T09:30:00Z full: 2 created, 0 updated", "+ created     1    p1@example.com",
		"\nHR: p3 joins\n", "\n2026-03-10T11:30:00Z full: 1 created, 0 updated", "+ created     3    p3@example.com",
		"  notification: full synced after an automatic run\n"}
	got := output(out)
	for _, w := range want {
		i := strings.Index(got, w)
		if i < 0 {
			t.Fatalf("the output lacks %q, or has it out of order:\n%s", w, output(out))
		}
		got = got[i+len(w):]
	}
	if !strings.HasSuffix(got, "\nStopped.\n") || strings.Count(output(out), "p3 joins") != 1 {
		t.Errorf("the output does not end with Stopped., or the step was made twice:\n%s", output(out))
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
		if code, stderr := usage(t, p, tc.args...); code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, want 2 saying %q:\n%s", tc.args, code, tc.want, stderr)
		}
	}
	p.Watch = nil
	if code, stderr := usage(t, p, "-watch"); code != ExitUsage || !strings.Contains(stderr, "flag provided but not defined: -watch") {
		t.Errorf("-watch on a program without a schedule: exit %d\n%s", code, stderr)
	}
}

// usage runs p with args, which must fail before it starts, and returns
// its exit status and stderr.
func usage(t *testing.T, p *Program, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), p, args, func(string) string { return "" }, &out, &errb)
	if out.Len() > 0 {
		t.Errorf("%q printed on stdout: %s", args, out.String())
	}
	return code, errb.String()
}

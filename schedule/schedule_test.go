package schedule_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

var t0 = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)

const pair = "litmos<->portal"

// call is one run of a fakeTask, held until the test answers it.
type call struct {
	answer chan result
}

type result struct {
	rep *syncengine.Report
	err error
}

// fakeTask's Run hands each call to the test and returns what it answers.
type fakeTask struct {
	calls   chan *call
	running atomic.Int32
	overlap atomic.Bool
}

func newFakeTask() *fakeTask { return &fakeTask{calls: make(chan *call)} }

func (f *fakeTask) run(ctx context.Context) (*syncengine.Report, error) {
	if f.running.Add(1) > 1 {
		f.overlap.Store(true)
	}
	defer f.running.Add(-1)
	c := &call{answer: make(chan result)}
	select {
	case f.calls <- c:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-c.answer:
		return r.rep, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// env is a scheduler on a manual clock and a memory store, running.
type env struct {
	t      *testing.T
	ctx    context.Context
	clock  *schedule.ManualClock
	store  *syncengine.MemoryStore
	s      *schedule.Scheduler
	task   *fakeTask
	notes  chan schedule.Status
	stop   func()
	exited chan struct{}
}

func start(t *testing.T, store *syncengine.MemoryStore, clock *schedule.ManualClock, task schedule.Task) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	e := &env{t: t, ctx: ctx, clock: clock, store: store, task: newFakeTask(), notes: make(chan schedule.Status, 8),
		exited: make(chan struct{})}
	task.Run = e.task.run
	s, err := schedule.New(schedule.Options{Store: store, Pair: pair, Clock: clock,
		Notify: func(st schedule.Status) { e.notes <- st }}, task)
	if err != nil {
		t.Fatal(err)
	}
	e.s = s
	runCtx, stopRun := context.WithCancel(ctx)
	go func() {
		defer close(e.exited)
		if err := s.Run(runCtx); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	e.stop = func() {
		stopRun()
		<-e.exited
	}
	t.Cleanup(func() { e.stop(); cancel() })
	return e
}

func (e *env) status() schedule.Status {
	e.t.Helper()
	st, err := e.s.Status(e.ctx, "lms")
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) next() *call {
	e.t.Helper()
	select {
	case c := <-e.task.calls:
		return c
	case <-e.ctx.Done():
		e.t.Fatal("no run started")
		return nil
	}
}

func (e *env) note() schedule.Status {
	e.t.Helper()
	select {
	case st := <-e.notes:
		return st
	case <-e.ctx.Done():
		e.t.Fatal("no notification")
		return schedule.Status{}
	}
}

// waitTimer waits until the scheduler waits for a timer at at.
func (e *env) waitTimer(at time.Time) {
	e.t.Helper()
	if err := e.clock.WaitTimers(e.ctx, 1); err != nil {
		e.t.Fatal(err)
	}
	if got := e.clock.Timers(); len(got) != 1 || !got[0].Equal(at) {
		e.t.Fatalf("timers = %v, want [%v]", got, at)
	}
}

// waitState polls nothing: it waits on the fake task's calls or the
// notifications, so it is only used for states reached by those.
func report(created int) *syncengine.Report {
	return &syncengine.Report{RunID: "r", Pair: pair, Counts: map[syncengine.Result]int{syncengine.ResultCreated: created},
		Outcomes: []syncengine.Outcome{{Collection: syncengine.Users, AID: "u1", Result: syncengine.ResultCreated}}}
}

var ignoreTimes = cmpopts.IgnoreFields(schedule.Status{}, "QueuedAt", "StartedAt", "FinishedAt")

// The TalentLMS cadence: the first automatic run 12 hours after the task
// is switched on, then every 24 hours; each goes queued → running →
// synced, is notified, and leaves its report as the last-sync log.
func TestAutomaticCadence(t *testing.T) {
	e := start(t, syncengine.NewMemoryStore(), schedule.NewManualClock(t0),
		schedule.Task{Name: "lms", Every: 24 * time.Hour, First: 12 * time.Hour})
	e.waitTimer(t0.Add(12 * time.Hour))
	if diff := cmp.Diff(schedule.Status{Task: "lms", State: schedule.Idle, Active: true, ActivatedAt: t0,
		NextAt: t0.Add(12 * time.Hour)}, e.status()); diff != "" {
		t.Fatalf("before the first run (-want +got):\n%s", diff)
	}

	e.clock.Advance(12 * time.Hour)
	c := e.next()
	st := e.status()
	if st.State != schedule.Running || st.Cause != schedule.Automatic || !st.StartedAt.Equal(t0.Add(12*time.Hour)) {
		t.Fatalf("during the run: %+v", st)
	}
	c.answer <- result{rep: report(3)}
	n := e.note()
	want := schedule.Status{Task: "lms", State: schedule.Synced, Cause: schedule.Automatic, Active: true, ActivatedAt: t0,
		NextAt: t0.Add(36 * time.Hour), Summary: "3 created, 0 updated, 0 deactivated, 0 reactivated, 0 skipped, 0 failed", Runs: 1}
	if diff := cmp.Diff(want, n, ignoreTimes); diff != "" {
		t.Errorf("notified (-want +got):\n%s", diff)
	}
	e.waitTimer(t0.Add(36 * time.Hour))
	log, err := e.s.LastLog(e.ctx, "lms")
	if err != nil || log == nil || log.Counts[syncengine.ResultCreated] != 3 {
		t.Fatalf("LastLog = %+v, %v", log, err)
	}

	e.clock.Advance(24 * time.Hour)
	e.next().answer <- result{rep: report(0), err: errors.New("litmos: list users: 503")}
	n = e.note()
	if n.State != schedule.Failed || n.Error != "litmos: list users: 503" || n.Runs != 2 || !n.NextAt.Equal(t0.Add(60*time.Hour)) {
		t.Errorf("after a failed run: %+v", n)
	}
	if e.task.overlap.Load() {
		t.Error("two runs of the task overlapped")
	}
}

// A manual trigger joins a queued run; while one runs, any number of
// triggers queue exactly one more run behind it. Manual runs are not notified.
func TestTriggerCoalesces(t *testing.T) {
	e := start(t, syncengine.NewMemoryStore(), schedule.NewManualClock(t0), schedule.Task{Name: "lms"})
	st, err := e.s.Trigger(e.ctx, "lms")
	if err != nil || (st.State != schedule.Queued && st.State != schedule.Running) {
		t.Fatalf("Trigger = %+v, %v", st, err)
	}
	c := e.next()
	for range 3 {
		if st, err = e.s.Trigger(e.ctx, "lms"); err != nil || st.State != schedule.Running || !st.Again {
			t.Fatalf("Trigger while running = %+v, %v", st, err)
		}
	}
	c.answer <- result{rep: report(1)}
	c = e.next() // the one queued behind
	if st := e.status(); st.State != schedule.Running || st.Runs != 1 || st.Again {
		t.Fatalf("second run: %+v", st)
	}
	c.answer <- result{rep: report(0)}
	e.stop()
	if st := e.status(); st.State != schedule.Synced || st.Runs != 2 || st.Cause != schedule.Manual {
		t.Errorf("after both runs: %+v", st)
	}
	select {
	case n := <-e.notes:
		t.Errorf("a manual run was notified: %+v", n)
	default:
	}
	if e.task.overlap.Load() {
		t.Error("two runs of the task overlapped")
	}
}

// Switched off, a task makes no automatic run but runs when triggered;
// switched on again, its first automatic run comes First after that.
func TestActiveSwitch(t *testing.T) {
	e := start(t, syncengine.NewMemoryStore(), schedule.NewManualClock(t0),
		schedule.Task{Name: "lms", Every: 24 * time.Hour, First: 12 * time.Hour})
	e.waitTimer(t0.Add(12 * time.Hour))
	st, err := e.s.SetActive(e.ctx, "lms", false)
	if err != nil || st.Active || !st.NextAt.IsZero() {
		t.Fatalf("SetActive(false) = %+v, %v", st, err)
	}
	if err := e.clock.WaitTimers(e.ctx, 0); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(48 * time.Hour)
	if _, err := e.s.Trigger(e.ctx, "lms"); err != nil {
		t.Fatal(err)
	}
	e.next().answer <- result{rep: report(1)} // the manual run, not an automatic one
	on := t0.Add(48 * time.Hour)
	if st, err = e.s.SetActive(e.ctx, "lms", true); err != nil || !st.ActivatedAt.Equal(on) || !st.NextAt.Equal(on.Add(12*time.Hour)) {
		t.Fatalf("SetActive(true) = %+v, %v", st, err)
	}
	e.waitTimer(on.Add(12 * time.Hour))
	e.clock.Advance(12 * time.Hour)
	e.next().answer <- result{rep: report(0)}
	if n := e.note(); n.Cause != schedule.Automatic || n.Runs != 2 {
		t.Errorf("automatic run after switching on: %+v", n)
	}
}

// State and last-sync log live in the Store: a new scheduler on the same
// store shows them, keeps the cadence, runs once for the runs missed
// while stopped, and runs again a run the stop interrupted.
func TestRestart(t *testing.T) {
	store := syncengine.NewMemoryStore()
	clock := schedule.NewManualClock(t0)
	task := schedule.Task{Name: "lms", Every: 24 * time.Hour, First: 12 * time.Hour}
	e := start(t, store, clock, task)
	e.waitTimer(t0.Add(12 * time.Hour))
	clock.Advance(12 * time.Hour)
	e.next().answer <- result{rep: report(2)}
	e.note()
	e.waitTimer(t0.Add(36 * time.Hour))
	e.stop()

	// Read from "another process": the status page's view.
	st, ok, err := schedule.StatusOf(context.Background(), store, pair, "lms")
	if err != nil || !ok || st.State != schedule.Synced || st.Runs != 1 || !st.NextAt.Equal(t0.Add(36*time.Hour)) {
		t.Fatalf("StatusOf = %+v, %v, %v", st, ok, err)
	}
	log, err := schedule.LogOf(context.Background(), store, pair, "lms")
	if err != nil || log == nil || log.Counts[syncengine.ResultCreated] != 2 {
		t.Fatalf("LogOf = %+v, %v", log, err)
	}

	clock.Advance(100 * time.Hour) // down for four days: one catch-up run, not four
	e = start(t, store, clock, task)
	c := e.next()
	// Stop in the middle of the run: the next start runs it again.
	e.stop()
	_ = c
	if st := e.status(); st.State != schedule.Queued || st.Error == "" {
		t.Fatalf("stopped mid-run: %+v", st)
	}
	e = start(t, store, clock, task)
	e.next().answer <- result{rep: report(1)}
	n := e.note()
	wantNext := t0.Add(36 * time.Hour).Add(4 * 24 * time.Hour) // the first due time after now, on the old cadence
	if n.State != schedule.Synced || n.Runs != 2 || !n.NextAt.Equal(wantNext) {
		t.Errorf("after the restart: %+v (want next %v)", n, wantNext)
	}
}

func TestNewRefusesBadTasks(t *testing.T) {
	run := func(context.Context) (*syncengine.Report, error) { return nil, nil }
	store := syncengine.NewMemoryStore()
	for _, tc := range []struct {
		name  string
		opts  schedule.Options
		tasks []schedule.Task
	}{
		{"no store", schedule.Options{Pair: pair}, []schedule.Task{{Name: "a", Run: run}}},
		{"no pair", schedule.Options{Store: store}, []schedule.Task{{Name: "a", Run: run}}},
		{"bad name", schedule.Options{Store: store, Pair: pair}, []schedule.Task{{Name: "a/b", Run: run}}},
		{"twice", schedule.Options{Store: store, Pair: pair}, []schedule.Task{{Name: "a", Run: run}, {Name: "a", Run: run}}},
		{"no run", schedule.Options{Store: store, Pair: pair}, []schedule.Task{{Name: "a"}}},
		{"negative", schedule.Options{Store: store, Pair: pair}, []schedule.Task{{Name: "a", Run: run, Every: -time.Hour}}},
	} {
		if _, err := schedule.New(tc.opts, tc.tasks...); err == nil {
			t.Errorf("%s: New accepted it", tc.name)
		}
	}
	s, err := schedule.New(schedule.Options{Store: store, Pair: pair}, schedule.Task{Name: "a", Run: run})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Trigger(context.Background(), "b"); err == nil {
		t.Error("Trigger of an unknown task succeeded")
	}
}

// A task created switched off has no automatic run until switched on.
func TestTaskOff(t *testing.T) {
	e := start(t, syncengine.NewMemoryStore(), schedule.NewManualClock(t0),
		schedule.Task{Name: "lms", Every: time.Hour, Off: true})
	if st := e.status(); st.Active || !st.NextAt.IsZero() {
		t.Fatalf("status = %+v", st)
	}
	if _, err := e.s.SetActive(e.ctx, "lms", true); err != nil {
		t.Fatal(err)
	}
	e.waitTimer(t0.Add(time.Hour))
}

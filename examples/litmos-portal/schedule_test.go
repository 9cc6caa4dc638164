package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

// The job on the schedule package, against the Litmos fake and a SQLite
// portal: a manual run goes queued → running → synced and leaves its
// report as the last-sync log; the daily automatic run is notified; the
// active switch stops it; the state survives a restart.
func TestScheduledSync(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := portal.Open(a.db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := jobs.LitmosPlatform(a.lms.NewClient(t), portal.New(db), jobs.LitmosPlatformOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.StateDir = filepath.Join(a.dir, "state")
	eng, err := syncengine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()

	clock := schedule.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	notes := make(chan schedule.Status, 4)
	states := make(chan schedule.State, 16)
	task := jobs.LitmosPlatformTask(eng)
	sync := task.Run
	var s *schedule.Scheduler
	task.Run = func(ctx context.Context) (*syncengine.Report, error) {
		st, _ := s.Status(ctx, task.Name)
		states <- st.State // running, seen from inside the run
		return sync(ctx)
	}
	s, err = schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Clock: clock,
		Notify: func(st schedule.Status) { notes <- st }}, task)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	exited := make(chan struct{})
	go func() { _ = s.Run(runCtx); close(exited) }()

	st, err := s.Trigger(ctx, task.Name)
	if err != nil || (st.State != schedule.Queued && st.State != schedule.Running) {
		t.Fatalf("Trigger = %+v, %v", st, err)
	}
	if got := <-states; got != schedule.Running {
		t.Errorf("state during the run = %s", got)
	}
	// The manual run is not notified; the automatic one, a day after the
	// switch went on, is.
	if err := clock.WaitTimers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Status(ctx, task.Name); st.State != schedule.Synced || st.Runs != 1 || st.Cause != schedule.Manual {
		t.Fatalf("after the manual run: %+v", st)
	}
	log, err := s.LastLog(ctx, task.Name)
	if err != nil || log == nil || log.Counts[syncengine.ResultCreated] != 13 {
		t.Fatalf("last-sync log = %+v, %v", log, err)
	}
	clock.Advance(24 * time.Hour)
	<-states
	n := <-notes
	if n.State != schedule.Synced || n.Cause != schedule.Automatic || n.Runs != 2 || n.Summary == "" {
		t.Errorf("notified: %+v", n)
	}
	if _, err := s.SetActive(ctx, task.Name, false); err != nil {
		t.Fatal(err)
	}
	if err := clock.WaitTimers(ctx, 0); err != nil {
		t.Fatal(err)
	}
	stop()
	<-exited

	// Another process (a status page) reads the same state.
	st, ok, err := schedule.StatusOf(ctx, eng.Store(), eng.Pair(), task.Name)
	if err != nil || !ok || st.Active || st.Runs != 2 || st.State != schedule.Synced {
		t.Errorf("StatusOf after the restart = %+v, %v, %v", st, ok, err)
	}
	if log, _ := schedule.LogOf(ctx, eng.Store(), eng.Pair(), task.Name); log == nil || log.Counts[syncengine.ResultUnchanged] != 13 {
		t.Errorf("the last-sync log is the second run's: %+v", log)
	}
}

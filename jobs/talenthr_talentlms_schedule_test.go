package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// ran is one finished run of a task, automatic or manual.
type ran struct {
	task    string
	summary string
	err     error
}

// scheduled runs the job's tasks on a manual clock; every finished run is
// sent on runs, every automatic one's Status on notes.
type scheduled struct {
	s     *schedule.Scheduler
	clock *schedule.ManualClock
	runs  chan ran
	notes chan schedule.Status
	stop  func()
}

func startSchedule(t *testing.T, e *thrEnv, s jobs.TalentHRTalentLMSSchedule) *scheduled {
	t.Helper()
	tasks, err := jobs.TalentHRTalentLMSTasks(e.eng, e.cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	sc := &scheduled{clock: schedule.NewManualClock(thrDay), runs: make(chan ran, 16), notes: make(chan schedule.Status, 16)}
	for i := range tasks {
		name, run := tasks[i].Name, tasks[i].Run
		tasks[i].Run = func(ctx context.Context) (*syncengine.Report, error) {
			rep, err := run(ctx)
			r := ran{task: name, err: err}
			if rep != nil {
				r.summary = rep.Summary()
			}
			sc.runs <- r
			return rep, err
		}
	}
	sc.s, err = schedule.New(schedule.Options{Store: e.store, Pair: e.eng.Pair(), Clock: sc.clock,
		Notify: func(st schedule.Status) { sc.notes <- st }}, tasks...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = sc.s.Run(ctx); close(done) }()
	sc.stop = func() { cancel(); <-done }
	t.Cleanup(sc.stop)
	sc.waitTimers(t, len(tasks))
	return sc
}

func (sc *scheduled) waitTimers(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sc.clock.WaitTimers(ctx, n); err != nil {
		t.Fatalf("waiting for %d timers: %v (have %v)", n, err, sc.clock.Timers())
	}
}

// next returns the next finished run.
func (sc *scheduled) next(t *testing.T) ran {
	t.Helper()
	select {
	case r := <-sc.runs:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no run finished")
	}
	return ran{}
}

// none fails if a run finished.
func (sc *scheduled) none(t *testing.T) {
	t.Helper()
	select {
	case r := <-sc.runs:
		t.Fatalf("unexpected run %+v", r)
	default:
	}
}

// HR to LMS on the schedule: TalentHR is polled every Poll (the first
// poll is a full sync, the next ones sync just the employees that
// changed: one directory read, one read and one write per change), the
// full sync runs 12 hours after activation and every 24 hours after, a
// notification follows each automatic run, a manual sync goes through
// the same path without one, and a task switched off runs no more.
func TestTHRScheduleHRToLMS(t *testing.T) {
	e := newTHREnv(t, jobs.HRToLMS)
	sc := startSchedule(t, e, jobs.TalentHRTalentLMSSchedule{Poll: 10 * time.Minute})
	if d := cmp.Diff([]time.Time{thrDay.Add(10 * time.Minute), thrDay.Add(12 * time.Hour)}, sc.clock.Timers()); d != "" {
		t.Fatalf("timers after activation (-want +got):\n%s", d)
	}

	// Switched on: a manual sync first, as TalentHR's integration does.
	if _, err := sc.s.Trigger(context.Background(), jobs.TalentLMSTask); err != nil {
		t.Fatal(err)
	}
	if r := sc.next(t); r.task != jobs.TalentLMSTask || r.err != nil || r.summary != "2 created, 2 updated, 1 deactivated, 0 reactivated, 1 skipped, 0 failed" {
		t.Fatalf("the first sync: %+v", r)
	}
	sc.waitTimers(t, 2)
	// A promotion in TalentHR right after the first sync: the first poll
	// carries it alone (the first full sync also kept the directory as it
	// was before it, for the polls to start from).
	e.hr.Edit(e.co.emp["bo"], func(x *talenthrtest.Employee) { x.JobTitleID = e.co.title["Engineering Manager"] })
	e.resetLogs()
	sc.clock.Advance(10 * time.Minute)
	if r := sc.next(t); r.task != jobs.TalentHRTask || r.err != nil || r.summary != "0 created, 1 updated, 0 deactivated, 0 reactivated, 0 skipped, 0 failed" {
		t.Fatalf("first poll: %+v", r)
	}
	if n := <-sc.notes; n.Task != jobs.TalentHRTask || n.State != schedule.Synced || n.Cause != schedule.Automatic {
		t.Errorf("notification %+v", n)
	}
	sc.waitTimers(t, 2)
	hr, lms := e.calls()
	if d := cmp.Diff(map[string]int{"GET /directory": 1, "GET /employees/{id}": 1}, counted(hr)); d != "" {
		t.Errorf("poll: TalentHR calls (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"POST edituser"}, writes(lms)); d != "" {
		t.Errorf("poll: TalentLMS writes (-want +got):\n%s", d)
	}
	// A poll that finds nothing writes nothing (and keeps no log).
	sc.clock.Advance(10 * time.Minute)
	if r := sc.next(t); r.summary != "" || r.err != nil {
		t.Errorf("idle poll: %+v", r)
	}
	<-sc.notes
	sc.waitTimers(t, 2)
	if _, lms := e.calls(); len(writes(lms)) != 0 {
		t.Errorf("idle poll wrote %v", writes(lms))
	}

	// Off: no more polls; the full sync keeps its own cadence.
	if _, err := sc.s.SetActive(context.Background(), jobs.TalentHRTask, false); err != nil {
		t.Fatal(err)
	}
	sc.waitTimers(t, 1)
	sc.clock.Set(thrDay.Add(12 * time.Hour))
	if r := sc.next(t); r.task != jobs.TalentLMSTask || r.err != nil {
		t.Fatalf("at 12 hours: %+v, want the full sync", r)
	}
	if n := <-sc.notes; n.Task != jobs.TalentLMSTask || n.Summary != "0 created, 0 updated, 0 deactivated, 0 reactivated, 1 skipped, 0 failed, 5 unchanged" {
		t.Errorf("notification %+v", n)
	}
	sc.waitTimers(t, 1)
	if d := cmp.Diff([]time.Time{thrDay.Add(36 * time.Hour)}, sc.clock.Timers()); d != "" {
		t.Errorf("next full sync (-want +got):\n%s", d)
	}

	// A manual sync: the same path, now, and no notification.
	if _, err := sc.s.Trigger(context.Background(), jobs.TalentLMSTask); err != nil {
		t.Fatal(err)
	}
	if r := sc.next(t); r.task != jobs.TalentLMSTask || r.err != nil {
		t.Errorf("manual sync: %+v", r)
	}
	sc.waitTimers(t, 1)
	select {
	case n := <-sc.notes:
		t.Errorf("a manual sync notified %+v", n)
	default:
	}
	st, err := sc.s.Status(context.Background(), jobs.TalentLMSTask)
	if err != nil || st.Cause != schedule.Manual || st.State != schedule.Synced || st.Runs != 3 {
		t.Errorf("status after the manual sync: %+v %v", st, err)
	}
	log, err := sc.s.LastLog(context.Background(), jobs.TalentLMSTask)
	if err != nil || log == nil || len(log.Outcomes) != 6 {
		t.Errorf("last-sync log: %v %v", log, err)
	}
	sc.clock.Advance(23 * time.Hour)
	sc.none(t)
}

// LMS to HR on the schedule: TalentHR has no changes to carry, so there
// is only the full sync, 12 hours after activation and every 24 hours.
func TestTHRScheduleLMSToHR(t *testing.T) {
	e := newTHREnv(t, jobs.LMSToHR)
	sc := startSchedule(t, e, jobs.TalentHRTalentLMSSchedule{})
	if d := cmp.Diff([]time.Time{thrDay.Add(12 * time.Hour)}, sc.clock.Timers()); d != "" {
		t.Fatalf("timers (-want +got):\n%s", d)
	}
	sc.clock.Advance(12*time.Hour - time.Second)
	sc.none(t)
	sc.clock.Advance(time.Second)
	if r := sc.next(t); r.task != jobs.TalentLMSTask || r.summary != "2 created, 1 updated, 0 deactivated, 0 reactivated, 1 skipped, 0 failed, 2 unchanged" {
		t.Fatalf("first automatic sync: %+v", r)
	}
	<-sc.notes
	sc.waitTimers(t, 1)
	if d := cmp.Diff([]time.Time{thrDay.Add(36 * time.Hour)}, sc.clock.Timers()); d != "" {
		t.Errorf("the next one (-want +got):\n%s", d)
	}
	sc.clock.Advance(24 * time.Hour)
	if r := sc.next(t); r.err != nil || r.summary == "" {
		t.Errorf("second automatic sync: %+v", r)
	}
	<-sc.notes
}

// The tasks need the job's engine and Config.
func TestTHRTasksNeedTheJob(t *testing.T) {
	if _, err := jobs.TalentHRTalentLMSTasks(nil, syncengine.Config{}, jobs.TalentHRTalentLMSSchedule{}); err == nil {
		t.Error("no engine: no error")
	}
	e := newTHREnv(t, jobs.HRToLMS)
	cfg := e.cfg
	cfg.A = cfg.B // no ChangeLister
	if _, err := jobs.TalentHRTalentLMSTasks(e.eng, cfg, jobs.TalentHRTalentLMSSchedule{}); err == nil {
		t.Error("a Config whose TalentHR side cannot list changes: no error")
	}
}

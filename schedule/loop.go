package schedule

import (
	"context"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// loop runs one task: it waits for a trigger or the next automatic run,
// and runs what is queued, one run at a time.
func (s *Scheduler) loop(ctx context.Context, t *task) {
	for ctx.Err() == nil {
		s.mu.Lock()
		st := t.status
		s.mu.Unlock()
		if st.State == Queued {
			s.run(ctx, t)
			continue
		}
		var fire <-chan time.Time
		stop := func() {}
		if st.Active && !st.NextAt.IsZero() {
			fire, stop = s.clock.After(st.NextAt.Sub(s.clock.Now()))
		}
		select {
		case <-ctx.Done():
		case <-t.wake:
		case <-fire:
			s.due(ctx, t)
		}
		stop()
	}
}

// due queues the automatic run that fell due and moves NextAt on by whole
// intervals past now, so runs missed while stopped are not made up one by one.
func (s *Scheduler) due(ctx context.Context, t *task) {
	s.mu.Lock()
	st, now := &t.status, s.clock.Now()
	if st.Active && !st.NextAt.IsZero() && !st.NextAt.After(now) && t.Every > 0 {
		for !st.NextAt.After(now) {
			st.NextAt = st.NextAt.Add(t.Every)
		}
	}
	s.mu.Unlock()
	_, _ = s.queue(ctx, t.Name, Automatic) // a failed save is logged; the run goes ahead
}

// run runs the queued run of t and records its outcome.
func (s *Scheduler) run(ctx context.Context, t *task) {
	s.mu.Lock()
	st := &t.status
	st.State, st.StartedAt, st.FinishedAt, st.Error = Running, s.clock.Now(), time.Time{}, ""
	cause := st.Cause
	_ = s.save(ctx, t)
	s.mu.Unlock()

	s.log.Info("schedule: run", "task", t.Name, "cause", cause)
	rep, err := t.Run(ctx)
	if rep != nil {
		if lerr := s.st.saveLog(ctx, t.Name, rep); lerr != nil {
			s.log.Warn("schedule: save last-sync log", "task", t.Name, "error", lerr)
		}
	}

	s.mu.Lock()
	st.FinishedAt = s.clock.Now()
	if err != nil && ctx.Err() != nil {
		// Stopped mid-run: the next start runs it again.
		st.State, st.Error = Queued, "interrupted: the scheduler stopped during the run; it runs again at the next start"
		_ = s.save(ctx, t)
		s.mu.Unlock()
		return
	}
	st.Runs++
	st.State, st.Error, st.Summary = Synced, "", ""
	if rep != nil {
		st.Summary = rep.Summary()
	}
	if err != nil {
		st.State, st.Error = Failed, err.Error()
	}
	done := *st
	if st.Again {
		st.State, st.Cause, st.QueuedAt, st.Again = Queued, t.again, s.clock.Now(), false
	}
	_ = s.save(ctx, t)
	s.mu.Unlock()
	s.log.Info("schedule: finished", "task", t.Name, "state", done.State, "summary", done.Summary)
	if cause == Automatic && s.notify != nil {
		s.notify(done)
	}
}

// LogOf is the last-sync log of a task in store, for readers in another
// process (a status page): nil before the first finished run.
func LogOf(ctx context.Context, st syncengine.Store, pair, task string) (*syncengine.Report, error) {
	return store{s: st, pair: pair, now: time.Now}.loadLog(ctx, task)
}

// StatusOf is the Status of a task in store as its runner last saved it,
// for readers in another process; false when it never ran there.
func StatusOf(ctx context.Context, st syncengine.Store, pair, task string) (Status, bool, error) {
	return store{s: st, pair: pair, now: time.Now}.loadStatus(ctx, task)
}

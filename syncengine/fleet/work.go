package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/rostersync/rostersync/syncengine"
)

// The jobs' kinds, as river_job.kind holds them.
const (
	KindSync  = "rostersync_sync"
	KindEvent = "rostersync_event"
	KindDue   = "rostersync_due"
)

// SyncArgs is a full sync of a pair (Engine.Sync), then what its event
// queue holds.
type SyncArgs struct {
	Pair string `json:"pair"`
}

// Kind implements river.JobArgs.
func (SyncArgs) Kind() string { return KindSync }

// EventArgs syncs what the pair's event queue (the Store's pending
// records, which webhooks add) holds: one job per acknowledged delivery.
type EventArgs struct {
	Pair string `json:"pair"`
}

// Kind implements river.JobArgs.
func (EventArgs) Kind() string { return KindEvent }

// DueArgs syncs a pair's records that fall due at At (a leave date, a
// start date, an invitation): Engine.SyncDue, scheduled for At.
type DueArgs struct {
	Pair string    `json:"pair"`
	At   time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (DueArgs) Kind() string { return KindDue }

// snooze is how long an event or due job waits before it is tried again
// when its pair stayed locked for the whole lock wait.
const snooze = 5 * time.Second

type syncWorker struct {
	river.WorkerDefaults[SyncArgs]
	f *Fleet
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	p, err := w.f.pair(job.Args.Pair)
	if err != nil {
		return river.JobCancel(err)
	}
	waited, err := w.f.whenFree(ctx, func() error { _, err := p.Engine.Sync(ctx); return err })
	if errors.Is(err, syncengine.ErrLocked) {
		// Another instance holds the pair for longer than the lock wait:
		// it is syncing it, and the next period comes anyway.
		w.f.cfg.logger.Info("fleet: sync skipped: the pair is held elsewhere", "pair", job.Args.Pair, "waited", waited)
		return nil
	}
	if err != nil {
		return fmt.Errorf("fleet: sync %q: %w", job.Args.Pair, err)
	}
	// Events recorded while the sync ran; their own jobs come too, but a
	// record named by a delivery whose job was lost with its instance is
	// synced here at the latest.
	if _, err := w.f.whenFree(ctx, func() error { return w.f.queues[job.Args.Pair].Drain(ctx) }); err != nil {
		w.f.cfg.logger.Warn("fleet: events after the sync", "pair", job.Args.Pair, "error", err)
	}
	return w.f.scheduleDue(ctx, job.Args.Pair)
}

type eventWorker struct {
	river.WorkerDefaults[EventArgs]
	f *Fleet
}

func (w *eventWorker) Work(ctx context.Context, job *river.Job[EventArgs]) error {
	name := job.Args.Pair
	return w.f.mustRun(ctx, name, "events", func() error { return w.f.queues[name].Drain(ctx) })
}

type dueWorker struct {
	river.WorkerDefaults[DueArgs]
	f *Fleet
}

func (w *dueWorker) Work(ctx context.Context, job *river.Job[DueArgs]) error {
	name := job.Args.Pair
	return w.f.mustRun(ctx, name, "due work", func() error { _, err := w.f.pairs[name].Engine.SyncDue(ctx); return err })
}

// mustRun runs fn, work of pair that must not be lost, once the pair is
// free: a pair still held after the lock wait snoozes the job; a failure
// is river's to retry (what fn syncs stays pending or due in the Store
// meanwhile). Then it schedules the pair's next due work.
func (f *Fleet) mustRun(ctx context.Context, pair, what string, fn func() error) error {
	if _, err := f.pair(pair); err != nil {
		return river.JobCancel(err)
	}
	_, err := f.whenFree(ctx, fn)
	if errors.Is(err, syncengine.ErrLocked) {
		return river.JobSnooze(snooze)
	}
	if err != nil {
		return fmt.Errorf("fleet: %s of %q: %w", what, pair, err)
	}
	return f.scheduleDue(ctx, pair)
}

func (f *Fleet) pair(name string) (Pair, error) {
	p, ok := f.pairs[name]
	if !ok {
		return Pair{}, fmt.Errorf("fleet: a job of pair %q, which this instance does not run", name)
	}
	return p, nil
}

// whenFree runs fn, and again every lock poll while it fails with
// ErrLocked, for up to the lock wait: a pair held by a live instance is
// free when its run ends, one held by a dead instance when its lease runs
// out. It returns fn's last error and how long it waited.
func (f *Fleet) whenFree(ctx context.Context, fn func() error) (time.Duration, error) {
	start := time.Now()
	for {
		err := fn()
		waited := time.Since(start)
		if !errors.Is(err, syncengine.ErrLocked) || waited >= f.cfg.lockWait {
			return waited, err
		}
		t := time.NewTimer(f.cfg.lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return waited, err
		case <-t.C:
		}
	}
}

// scheduleDue inserts a due job for the pair's earliest due time: one per
// pair and time (river's unique jobs), however many runs found it.
func (f *Fleet) scheduleDue(ctx context.Context, pair string) error {
	at, ok, err := f.pairs[pair].Engine.NextDue(ctx)
	if err != nil {
		return fmt.Errorf("fleet: due times of %q: %w", pair, err)
	}
	if !ok {
		return nil
	}
	// To the second, rounded up: a job that ran before the due time would
	// find nothing due, and its unique twin would never be inserted again.
	if r := at.UTC().Truncate(time.Second); r.Before(at) {
		at = r.Add(time.Second)
	} else {
		at = r
	}
	_, err = f.river.Insert(ctx, DueArgs{Pair: pair, At: at}, &river.InsertOpts{Queue: f.pairs[pair].Key,
		ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}})
	if err != nil {
		return fmt.Errorf("fleet: schedule the due work of %q at %s: %w", pair, at.Format(time.RFC3339), err)
	}
	return nil
}

package syncengine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// EventQueue is what a webhook receiver hands the records a delivery names
// to (bamboohr.Enqueue, hibob.Enqueue): a Queue in one process, or a
// queue shared by many instances (syncengine/fleet). Add records them
// durably before it returns nil, so the receiver may answer 2xx; an error
// means nothing may be relied on and the sender should deliver again.
type EventQueue interface {
	// Engine is the engine of the pair whose records are queued.
	Engine() *Engine
	// Add records that the records ids of collection c on side need syncing.
	Add(ctx context.Context, side Side, c Collection, ids ...string) error
}

// Queue syncs the records events name — webhook deliveries — through the
// same plan and apply as a full run (SyncIDs), without keeping the sender
// waiting:
//
//   - Add records the named ids durably in the Store (Store.AddPending)
//     and returns. A webhook receiver answers 2xx only once Add returned
//     nil, so a crash after the answer loses nothing; when Add fails, the
//     receiver answers 503 and the sender delivers again.
//   - Run (a goroutine) syncs what is pending, including what an earlier
//     process left, coalesced: ids named by several deliveries are synced
//     once. An id named again while it is being synced stays pending and
//     is synced again.
//   - A run that fails for a reason that may pass (the system unavailable,
//     rate limited, another process holding the pair's lock, a write that
//     failed with such an error) keeps its records pending and is tried
//     again after a growing wait. A run that fails for good (the
//     deactivation threshold held it back, a configuration error) is
//     dropped from the queue and logged; the next full run sees the same
//     records.
type Queue struct {
	e    *Engine
	opts QueueOptions
	wake chan struct{}

	mu      sync.Mutex
	waiting time.Duration // the current retry wait, 0 when the last run passed
}

// QueueOptions configures a Queue.
type QueueOptions struct {
	// Batch bounds the records one run syncs (default 100).
	Batch int
	// RetryWait is the first wait after a run that may pass on a retry
	// (default 5s); it doubles up to MaxRetryWait (default 5m).
	RetryWait, MaxRetryWait time.Duration
	// OnRun is called after every run the queue makes, with its report
	// (nil when the run could not plan) and error.
	OnRun func(*Report, error)
	// Logger receives one record per run (nil: the engine's logger).
	Logger *slog.Logger
}

// NewQueue returns the event queue of e.
func (e *Engine) NewQueue(opts QueueOptions) *Queue {
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.RetryWait <= 0 {
		opts.RetryWait = 5 * time.Second
	}
	if opts.MaxRetryWait < opts.RetryWait {
		opts.MaxRetryWait = max(5*time.Minute, opts.RetryWait)
	}
	if opts.Logger == nil {
		opts.Logger = e.log
	}
	return &Queue{e: e, opts: opts, wake: make(chan struct{}, 1)}
}

// Add records that the records ids of collection c on side need syncing,
// durably, and wakes Run. It returns an error only when the Store could not
// record them; then nothing was recorded and the caller should have the
// sender deliver again (a webhook's 503).
func (q *Queue) Add(ctx context.Context, side Side, c Collection, ids ...string) error {
	if err := q.e.checkEvent(side, c); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	now := q.e.cfg.Now().UTC()
	ps := make([]Pending, 0, len(ids))
	for _, id := range ids {
		if id == "" {
			return fmt.Errorf("%w: an empty %s id", ErrConfig, c)
		}
		ps = append(ps, Pending{Collection: c, Side: side, ID: id, At: now})
	}
	if err := q.e.cfg.Store.AddPending(ctx, q.e.cfg.Pair, ps); err != nil {
		return fmt.Errorf("syncengine: queue %d %s: %w", len(ids), c, err)
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return nil
}

// Engine returns the engine the queue syncs with.
func (q *Queue) Engine() *Engine { return q.e }

// Pending lists what is waiting to be synced.
func (q *Queue) Pending(ctx context.Context) ([]Pending, error) {
	return q.e.cfg.Store.Pending(ctx, q.e.cfg.Pair)
}

// Run syncs pending records until ctx ends, starting with what is already
// pending (left by a process that stopped), and the records that fall due
// (Engine.SyncDue) when their time comes. It returns ctx's error.
func (q *Queue) Run(ctx context.Context) error {
	for {
		more, err := q.step(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil && more {
			continue
		}
		var wait time.Duration
		if err != nil {
			wait = q.backoff()
		}
		if due, derr := q.due(ctx); derr == nil && due >= 0 && (wait == 0 || due < wait) {
			wait = max(due, time.Millisecond)
			if due == 0 {
				rep, err := q.e.SyncDue(ctx)
				if q.opts.OnRun != nil && (rep != nil || err != nil) {
					q.opts.OnRun(rep, err)
				}
				switch {
				case err != nil:
					q.opts.Logger.WarnContext(ctx, "syncengine: due run failed", "pair", q.e.cfg.Pair, "error", err)
					wait = q.backoff()
				case rep != nil && retryable(rep):
					wait = q.backoff() // its due times stay; tried again after the wait
				default:
					continue
				}
			}
		}
		if err := q.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// due returns how long until the earliest due time (0: due now), or -1
// when nothing is due.
func (q *Queue) due(ctx context.Context) (time.Duration, error) {
	at, ok, err := q.e.NextDue(ctx)
	if err != nil || !ok {
		return -1, err
	}
	return max(at.Sub(q.e.cfg.Now()), 0), nil
}

// sleep waits for an Add, or, with wait > 0, for wait to pass, whichever
// comes first.
func (q *Queue) sleep(ctx context.Context, wait time.Duration) error {
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer:
		return nil
	case <-q.wake:
		return nil
	}
}

func (q *Queue) backoff() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.waiting == 0 {
		q.waiting = q.opts.RetryWait
	} else {
		q.waiting = min(2*q.waiting, q.opts.MaxRetryWait)
	}
	return q.waiting
}

// Drain syncs everything pending now, in the calling goroutine, and
// returns: for tests, examples, and callers that schedule runs themselves.
// It stops at the first run that fails for a reason that may pass, and
// returns its error, leaving those records pending.
func (q *Queue) Drain(ctx context.Context) error {
	for {
		more, err := q.step(ctx)
		if err != nil || !more {
			return err
		}
	}
}

// step syncs one batch: the oldest pending records of one collection and
// side. It reports whether anything was pending, and an error when the
// batch should be tried again later.
func (q *Queue) step(ctx context.Context) (bool, error) {
	pend, err := q.e.cfg.Store.Pending(ctx, q.e.cfg.Pair)
	if err != nil {
		return false, fmt.Errorf("syncengine: queue: read pending: %w", err)
	}
	if len(pend) == 0 {
		return false, nil
	}
	batch := q.batch(pend)
	ids := make([]string, len(batch))
	for i, p := range batch {
		ids[i] = p.ID
	}
	start := time.Now()
	rep, err := q.e.SyncIDs(ctx, batch[0].Side, batch[0].Collection, ids)
	if q.opts.OnRun != nil {
		q.opts.OnRun(rep, err)
	}
	done, retry := q.settleBatch(batch, rep, err)
	q.log(ctx, batch, rep, err, retry, time.Since(start))
	if len(done) > 0 {
		if derr := q.e.cfg.Store.DonePending(context.WithoutCancel(ctx), q.e.cfg.Pair, done); derr != nil {
			return true, fmt.Errorf("syncengine: queue: mark synced: %w", derr)
		}
	}
	if retry {
		return true, fmt.Errorf("syncengine: queue: %d records kept for a retry: %w", len(batch)-len(done), errOrRetry(err))
	}
	q.mu.Lock()
	q.waiting = 0
	q.mu.Unlock()
	return true, nil
}

var errRetryRecords = errors.New("records failed for a reason that may pass")

func errOrRetry(err error) error {
	if err != nil {
		return err
	}
	return errRetryRecords
}

// batch takes the oldest pending records of the first pending record's
// collection and side, up to Batch.
func (q *Queue) batch(pend []Pending) []Pending {
	first := pend[0]
	out := make([]Pending, 0, min(len(pend), q.opts.Batch))
	for _, p := range pend {
		if p.Collection == first.Collection && p.Side == first.Side {
			out = append(out, p)
			if len(out) == q.opts.Batch {
				break
			}
		}
	}
	return out
}

// settleBatch decides which records of a finished run leave the queue,
// and whether the rest should be tried again.
func (q *Queue) settleBatch(batch []Pending, rep *Report, err error) (done []Pending, retry bool) {
	if err != nil {
		if mayPass(err) {
			return nil, true
		}
		return batch, false // for good: logged, and the next full run sees these records
	}
	again := map[string]bool{}
	for _, o := range rep.Outcomes {
		if o.Retry {
			again[o.AID], again[o.BID] = true, true
		}
	}
	for _, p := range batch {
		if again[p.ID] {
			retry = true
			continue
		}
		done = append(done, p)
	}
	return done, retry
}

// retryable reports whether a run left records that may pass on a retry.
func retryable(rep *Report) bool {
	for i := range rep.Outcomes {
		if rep.Outcomes[i].Retry {
			return true
		}
	}
	return false
}

// mayPass reports whether a failed run may pass if tried again.
func mayPass(err error) bool {
	return Retryable(err) || errors.Is(err, ErrLocked) || errors.Is(err, ErrOutcomeUnknown)
}

func (q *Queue) log(ctx context.Context, batch []Pending, rep *Report, err error, retry bool, took time.Duration) {
	attrs := []any{"pair", q.e.cfg.Pair, "collection", batch[0].Collection, "side", batch[0].Side,
		"records", len(batch), "duration", took.Round(time.Millisecond)}
	if rep != nil {
		attrs = append(attrs, "summary", rep.Summary())
	}
	switch {
	case err != nil && retry:
		q.opts.Logger.WarnContext(ctx, "syncengine: event run failed; kept for a retry", append(attrs, "error", err)...)
	case err != nil:
		q.opts.Logger.ErrorContext(ctx, "syncengine: event run failed for good; dropped from the queue", append(attrs, "error", err)...)
	case retry:
		q.opts.Logger.WarnContext(ctx, "syncengine: event run: some records kept for a retry", attrs...)
	default:
		q.opts.Logger.InfoContext(ctx, "syncengine: event run", attrs...)
	}
}

// checkEvent checks that events of collection c on side can be synced.
func (e *Engine) checkEvent(side Side, c Collection) error {
	cr := e.collection(c)
	switch {
	case side != SideA && side != SideB:
		return fmt.Errorf("%w: side %q", ErrConfig, side)
	case cr == nil:
		return fmt.Errorf("%w: collection %q is not configured", ErrConfig, c)
	case e.rules(cr, side.other()) == nil:
		return fmt.Errorf("%w: nothing flows from side %q in direction %q", ErrConfig, side, e.cfg.Direction)
	}
	return nil
}

package fleet

import (
	"context"
	"fmt"
	"net/http"

	"github.com/riverqueue/river"

	"github.com/rostersync/rostersync/syncengine"
)

// Events is a pair's event queue across the fleet: what a webhook
// receiver hands deliveries to (bamboohr.Enqueue, hibob.Enqueue).
type Events struct {
	f    *Fleet
	pair string
	q    *syncengine.Queue
}

var _ syncengine.EventQueue = (*Events)(nil)

// Events returns pair's event queue.
func (f *Fleet) Events(pair string) (*Events, error) {
	if _, ok := f.pairs[pair]; !ok {
		return nil, fmt.Errorf("fleet: events of %q: no such pair", pair)
	}
	return &Events{f: f, pair: pair, q: f.queues[pair]}, nil
}

// Engine implements syncengine.EventQueue.
func (ev *Events) Engine() *syncengine.Engine { return ev.f.pairs[ev.pair].Engine }

// Add records the named records durably in the pair's Store (its pending
// records, as syncengine.Queue.Add does), then inserts an event job into
// river; it returns nil only when both are committed, so the receiver's
// 2xx comes after both. When the insert fails the records stay pending
// (the next job of the pair syncs them) and Add fails, so the receiver
// answers 5xx and the sender delivers again: a duplicate at worst, which
// the queue coalesces.
func (ev *Events) Add(ctx context.Context, side syncengine.Side, c syncengine.Collection, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := ev.q.Add(ctx, side, c, ids...); err != nil {
		return fmt.Errorf("fleet: events of %q: %w", ev.pair, err)
	}
	if _, err := ev.f.river.Insert(ctx, EventArgs{Pair: ev.pair}, &river.InsertOpts{Queue: ev.f.pairs[ev.pair].Key}); err != nil {
		return fmt.Errorf("fleet: events of %q: insert the job: %w", ev.pair, err)
	}
	return nil
}

// Webhook returns the receiver of pair's webhook deliveries: mount builds
// the vendor's own verifying handler on the pair's fleet-wide event queue,
// so the signature check, the parsing and the answers are the vendor
// package's, and a delivery is answered 2xx only once its job is in
// PostgreSQL (5xx when it could not be recorded):
//
//	h, err := fl.Webhook("acme", func(q syncengine.EventQueue) http.Handler {
//		return verifier.Handler(bamboohr.Enqueue(q))
//	})
func (f *Fleet) Webhook(pair string, mount func(q syncengine.EventQueue) http.Handler) (http.Handler, error) {
	ev, err := f.Events(pair)
	if err != nil {
		return nil, err
	}
	h := mount(ev)
	if h == nil {
		return nil, fmt.Errorf("fleet: webhook of %q: mount returned no handler", pair)
	}
	return h, nil
}

package httpx

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// window is the limiter of a Sliding Limit: a log of the last n requests,
// one slot each. A slot is taken when its request is sent and held until
// span (Per plus Margin) after the request's answer (or failure) came back.
// A request waits until a slot is free.
//
// Why the answer's time and not the send's: the vendor counts a request
// when it arrives, which is after the client sent it and before the
// answer came back; when and how late it arrives the client cannot know.
// Counting each request from its send to its answer plus Per covers every
// arrival time, so no network delay or scheduling jitter can put n+1
// requests in a window the vendor counts. Suppose it did: n+1 requests
// arrived within (t-Per, t]. The last of them to be sent, at s ≤ t, found
// the other n sent before it, each answered after its arrival (> t-Per),
// so each still held its slot at s (until after t ≥ s): no slot was free,
// and it could not have been sent. The price is one answer's latency per
// window, not a margin sized for the worst jitter.
//
// A refusal (a rate-limit answer) says the vendor's window is full
// already: the slots that are free then wait until the first slot still
// held frees (or a whole span when none is held), so the retry, and every
// other request, is sent when the window has room, not after a blind
// back-off.
//
// window is safe for concurrent use.
type window struct {
	n    int
	span time.Duration

	mu   sync.Mutex
	busy []bool      // a request holds the slot and has no answer yet
	free []time.Time // when an idle slot can be taken again
	wake chan struct{}
}

func newWindow(n int, span time.Duration) *window {
	return &window{n: n, span: span, busy: make([]bool, n), free: make([]time.Time, n), wake: make(chan struct{})}
}

// reserve takes a slot free at now. Otherwise it returns -1 and how long
// until the first idle slot frees, or a negative wait when every slot is
// held by a request still waiting for its answer.
func (w *window) reserve(now time.Time) (slot int, wait time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	first := -1
	for i := range w.free {
		if w.busy[i] {
			continue
		}
		if !w.free[i].After(now) {
			w.busy[i] = true
			return i, 0
		}
		if first < 0 || w.free[i].Before(w.free[first]) {
			first = i
		}
	}
	if first < 0 {
		return -1, -1
	}
	return -1, w.free[first].Sub(now)
}

// release ends slot's request, answered (or failed) at: the slot frees
// span later. refused says the vendor answered that the limit was reached.
func (w *window) release(slot int, at time.Time, refused bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy[slot] = false
	w.free[slot] = at.Add(w.span)
	if refused {
		w.fill(at)
	}
	close(w.wake)
	w.wake = make(chan struct{})
}

// fill makes the slots free at a refusal wait until the earliest slot
// still counted (the refused request's own slot at the latest) frees.
func (w *window) fill(at time.Time) {
	until := at.Add(w.span)
	for i := range w.free {
		if !w.busy[i] && w.free[i].After(at) && w.free[i].Before(until) {
			until = w.free[i]
		}
	}
	for i := range w.free {
		if !w.busy[i] && !w.free[i].After(at) {
			w.free[i] = until
		}
	}
}

// changed returns a channel closed by the next release.
func (w *window) changed() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.wake
}

// acquire waits for a slot on the transport's clock. A slot freeing after
// the context's deadline is not waited for: acquire fails at once,
// wrapping context.DeadlineExceeded.
func (t *limitedTransport) acquire(ctx context.Context) (int, error) {
	for {
		if err := ctx.Err(); err != nil {
			return -1, err
		}
		wake := t.win.changed() // before reserve: a release in between closes it
		now := t.now()
		slot, wait := t.win.reserve(now)
		if slot >= 0 {
			return slot, nil
		}
		if wait < 0 { // every slot awaits an answer
			select {
			case <-wake:
				continue
			case <-ctx.Done():
				return -1, ctx.Err()
			}
		}
		if dl, ok := ctx.Deadline(); ok && dl.Before(now.Add(wait)) {
			return -1, fmt.Errorf("%w (the rate-limit window frees after the context deadline)", context.DeadlineExceeded)
		}
		// A release never frees a slot before the idle ones do (its
		// answer is the latest), so a timed wait needs no wake-up.
		if err := t.sleep(ctx, wait); err != nil {
			return -1, err
		}
	}
}

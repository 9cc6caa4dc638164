package httpx

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/internal/fakeserver"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// simEvent is a worker ready to send (answer false) or a request's answer
// arriving back (answer true), at time at.
type simEvent struct {
	at     time.Duration
	answer bool
	worker int
	slot   int
	seq    int // ties go in the order the events were made
}

type simQueue []simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simRun sends total requests from workers concurrent callers through a
// window of n per per, on a simulated clock. Each request reaches the
// vendor after delay() and is answered back latency() after that; a worker
// sends its next request think() after its answer. It returns when each
// request arrived at the vendor and when the last answer came back.
func simRun(n int, per time.Duration, workers, total int, delay, latency, think func() time.Duration) (arrivals []time.Duration, end time.Duration) {
	w := newWindow(n, per)
	var q simQueue
	seq := 0
	push := func(e simEvent) { e.seq = seq; seq++; heap.Push(&q, e) }
	for i := 0; i < workers; i++ {
		push(simEvent{worker: i})
	}
	var parked []int // workers waiting for an answer to free a slot
	sent := 0
	for q.Len() > 0 {
		e := heap.Pop(&q).(simEvent)
		now := t0.Add(e.at)
		if e.answer {
			w.release(e.slot, now, false)
			end = e.at
			for _, p := range parked {
				push(simEvent{at: e.at, worker: p})
			}
			parked = parked[:0]
			push(simEvent{at: e.at + think(), worker: e.worker})
			continue
		}
		if sent == total {
			continue
		}
		slot, wait := w.reserve(now)
		switch {
		case slot >= 0:
			sent++
			arrive := e.at + delay()
			arrivals = append(arrivals, arrive)
			push(simEvent{at: arrive + latency(), answer: true, worker: e.worker, slot: slot})
		case wait < 0:
			parked = append(parked, e.worker)
		default:
			push(simEvent{at: e.at + wait, worker: e.worker})
		}
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i] < arrivals[j] })
	return arrivals, end
}

// overfull reports the first window (t-per, t] holding more than n of the
// sorted arrivals, as the fake server and a vendor count them.
func overfull(arrivals []time.Duration, n int, per time.Duration) (int, bool) {
	for i := 0; i+n < len(arrivals); i++ {
		if arrivals[i+n]-arrivals[i] < per {
			return i, true
		}
	}
	return 0, false
}

// TestWindowNeverOverfillsAVendorWindow: on a simulated clock, concurrent
// callers whose requests reach the vendor late by random amounts (now and
// then by several request intervals, as a stalled goroutine or a slow hop
// would) never put more than n arrivals in any window of length per, the
// half-open window the fake server counts. A token bucket at the same rate
// does (checked below), which is why the old pacing kept a request of
// margin and was refused all the same.
func TestWindowNeverOverfillsAVendorWindow(t *testing.T) {
	const n, per, total = 100, 60 * time.Millisecond, 2000
	step := per / n
	for _, workers := range []int{1, 4, 16} {
		for seed := uint64(1); seed <= 5; seed++ {
			t.Run(fmt.Sprintf("workers=%d/seed=%d", workers, seed), func(t *testing.T) {
				r := rand.New(rand.NewPCG(seed, 10))
				jitter := func() time.Duration {
					if r.IntN(20) == 0 {
						return time.Duration(r.Int64N(int64(5 * step)))
					}
					return time.Duration(r.Int64N(int64(step / 4)))
				}
				arrivals, end := simRun(n, per, workers, total, jitter, jitter, func() time.Duration { return 0 })
				if len(arrivals) != total {
					t.Fatalf("%d requests sent, want %d", len(arrivals), total)
				}
				if i, bad := overfull(arrivals, n, per); bad {
					t.Fatalf("arrivals %d..%d within %v: %d in a %v window", i, i+n, arrivals[i+n]-arrivals[i], n+1, per)
				}
				// Each window of n costs per plus at most one answer's
				// round trip (up to 10 steps here).
				if limit := time.Duration(total/n) * (per + 10*step); end > limit {
					t.Errorf("%d requests took %v, want at most %v", total, end, limit)
				}
			})
		}
	}
}

// TestTokenBucketOverfillsWithLateArrivals is the case the window exists
// for: the same late arrivals through a token bucket of n-1 a window plus
// a burst of 1 (the old PacedLimit) do put n+1 requests in some window.
func TestTokenBucketOverfillsWithLateArrivals(t *testing.T) {
	const n, per, total = 100, 60 * time.Millisecond, 2000
	step := per / (n - 1)
	r := rand.New(rand.NewPCG(1, 10))
	var arrivals []time.Duration
	for k := 0; k < total; k++ {
		d := time.Duration(r.Int64N(int64(step / 4)))
		if r.IntN(20) == 0 {
			d = time.Duration(r.Int64N(int64(5 * step)))
		}
		arrivals = append(arrivals, time.Duration(k)*step+d)
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i] < arrivals[j] })
	if _, bad := overfull(arrivals, n, per); !bad {
		t.Fatal("no window over the limit: the simulation no longer shows what the window is for")
	}
}

// TestWindowSendsAtTheBound: with answers that come back at once, a window
// of n per per grants exactly n requests at the start of every window, the
// most a vendor counting a sliding (or a fixed) window allows.
func TestWindowSendsAtTheBound(t *testing.T) {
	const n, per, total = 5, time.Second, 23
	zero := func() time.Duration { return 0 }
	for _, workers := range []int{1, 3} {
		arrivals, _ := simRun(n, per, workers, total, zero, zero, zero)
		var want []time.Duration
		for k := 0; k < total; k++ {
			want = append(want, time.Duration(k/n)*per)
		}
		if d := cmp.Diff(want, arrivals); d != "" {
			t.Errorf("workers=%d: sends (-want +got):\n%s", workers, d)
		}
	}
}

// TestWindowRefusalHoldsUntilTheWindowFrees: after a rate-limit answer the
// slots that were free wait until the first request still counted leaves
// the window; with none counted (the window is someone else's), a whole
// window.
func TestWindowRefusalHoldsUntilTheWindowFrees(t *testing.T) {
	const per = time.Minute
	w := newWindow(4, per)
	for i := 0; i < 2; i++ {
		slot, _ := w.reserve(t0)
		w.release(slot, t0.Add(time.Duration(i+1)*time.Second), false) // frees at 1:01, 1:02
	}
	slot, _ := w.reserve(t0.Add(10 * time.Second))
	w.release(slot, t0.Add(11*time.Second), true) // refused
	// Two answered requests, the refused one, one slot free: it waits
	// until the first answered leaves the window at 1:01.
	if _, wait := w.reserve(t0.Add(11 * time.Second)); wait != 50*time.Second {
		t.Errorf("after a refusal: wait %v, want 50s (the first counted request leaves at 1:01)", wait)
	}
	if slot, _ := w.reserve(t0.Add(61 * time.Second)); slot < 0 {
		t.Error("no slot at 1:01")
	}

	empty := newWindow(3, per)
	slot, _ = empty.reserve(t0)
	empty.release(slot, t0, true)
	if _, wait := empty.reserve(t0); wait != per {
		t.Errorf("refused with nothing else counted: wait %v, want a whole window %v", wait, per)
	}
}

// TestWindowParksWhileEveryRequestIsInFlight: with every slot held by a
// request without an answer, reserve says to wait for an answer, and the
// answer frees the slot Per after it.
func TestWindowParksWhileEveryRequestIsInFlight(t *testing.T) {
	w := newWindow(2, time.Minute)
	a, _ := w.reserve(t0)
	b, _ := w.reserve(t0)
	if slot, wait := w.reserve(t0.Add(time.Hour)); slot >= 0 || wait >= 0 {
		t.Fatalf("reserve with both in flight = %d, %v; want -1 and a negative wait", slot, wait)
	}
	w.release(a, t0.Add(2*time.Hour), false)
	if _, wait := w.reserve(t0.Add(2 * time.Hour)); wait != time.Minute {
		t.Errorf("wait %v after an answer at 2h, want 1m", wait)
	}
	w.release(b, t0, false)
}

// advancingClock is a limiter clock that moves only when the limiter
// sleeps, recording each sleep.
type advancingClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *advancingClock) install(cl *Client) {
	lt := cl.http.Transport.(*limitedTransport)
	lt.now = func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
	lt.sleep = func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.sleeps = append(c.sleeps, d)
		c.now = c.now.Add(d)
		return ctx.Err()
	}
}

// TestSlidingRefusalRetriesWhenTheWindowFrees: a rate-limit answer without
// Retry-After on a Sliding limit is retried as soon as the window has room
// (the limiter's own wait, here the rest of the refused request's window),
// not after the retry policy's back-off, which would not fit the deadline
// here; a second refusal of the same call backs off.
func TestSlidingRefusalRetriesWhenTheWindowFrees(t *testing.T) {
	const per = time.Hour
	for _, tt := range []struct {
		refusals int
		wantErr  bool
		attempts int
		sleeps   []time.Duration
	}{
		{refusals: 1, attempts: 2, sleeps: []time.Duration{per}},
		{refusals: 2, wantErr: true, attempts: 2, sleeps: []time.Duration{per}},
	} {
		t.Run(fmt.Sprint(tt.refusals), func(t *testing.T) {
			srv := fakeserver.New(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			srv.AddFault(fakeserver.Fault{Times: tt.refusals, Status: http.StatusTooManyRequests})
			c := newClient(t, srv.URL, func(cfg *Config) {
				cfg.Limit = Limit{Requests: 3, Per: per, Sliding: true}
				cfg.Retry = RetryPolicy{MaxRetries: 3, MinWait: time.Hour, MaxWait: 2 * time.Hour}
			})
			clock := &advancingClock{now: t0}
			clock.install(c)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := c.Do(ctx, &Request{Method: "GET", Path: "x"})
			if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrRateLimited)) {
				t.Errorf("error %v, want error %v (ErrRateLimited)", err, tt.wantErr)
			}
			if n := srv.Log().Count(nil); n != tt.attempts {
				t.Errorf("server saw %d requests, want %d", n, tt.attempts)
			}
			if d := cmp.Diff(tt.sleeps, clock.sleeps); d != "" {
				t.Errorf("limiter waits (-want +got):\n%s", d)
			}
		})
	}
}

// TestSlidingLimiterConcurrentAgainstSlidingServer drives one Client with
// a Sliding limit from 8 goroutines against the fake server's sliding
// window of the same size, with every third request held back on the way:
// the server refuses none, and sees each call once.
func TestSlidingLimiterConcurrentAgainstSlidingServer(t *testing.T) {
	t.Parallel()
	const n, per = 10, 40 * time.Millisecond
	const workers, perWorker = 8, 10
	srv := fakeserver.New(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.SetRateLimit(fakeserver.RateLimit{Requests: n, Per: per})
	hc := *srv.Client()
	hc.Transport = fakeserver.LateEvery(hc.Transport, 3, per/n)
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.HTTPClient = &hc
		cfg.Limit = Limit{Requests: n, Per: per, Sliding: true}
		cfg.Retry.MaxRetries = -1 // a refusal fails the test's call
	})
	if err := fakeserver.Concurrently(workers, perWorker, func() error {
		_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"})
		return err
	}); err != nil {
		t.Error(err)
	}
	if got := srv.Log().Count(nil); got != workers*perWorker {
		t.Errorf("server saw %d requests, want %d", got, workers*perWorker)
	}
}

// TestSlidingLimiterWaitCancelled: a context cancelled while every slot's
// request awaits its answer ends the wait with its error, and nothing more
// is sent.
func TestSlidingLimiterWaitCancelled(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	srv := fakeserver.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	defer close(release)
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Limit = Limit{Requests: 1, Per: time.Hour, Sliding: true} })
	// Once armed, the clock cancels ctx when read: the second call is
	// cancelled as it looks at the window and finds its one slot in flight.
	ctx, cancel := context.WithCancel(context.Background())
	var armed atomic.Bool
	lt := c.http.Transport.(*limitedTransport)
	lt.now = func() time.Time {
		if armed.Load() {
			cancel()
		}
		return time.Now()
	}
	go func() { _, _ = c.Do(context.Background(), &Request{Method: "GET", Path: "x"}) }()
	<-entered
	armed.Store(true)
	err := within(t, func() error { _, err := c.Do(ctx, &Request{Method: "POST", Path: "x"}); return err })
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("error %v, want context.Canceled and not ErrOutcomeUnknown (nothing was sent)", err)
	}
	if n := srv.Log().Count(nil); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// TestSlidingLimiterDeadline: a window that frees after the context's
// deadline is not waited for.
func TestSlidingLimiterDeadline(t *testing.T) {
	srv := fakeserver.New(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Limit = Limit{Requests: 1, Per: time.Hour, Sliding: true} })
	if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := within(t, func() error { _, err := c.Do(ctx, &Request{Method: "GET", Path: "x"}); return err })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want context.DeadlineExceeded", err)
	}
	if n := srv.Log().Count(nil); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

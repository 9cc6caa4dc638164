package httpx

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/internal/fakeserver"
)

// fakeLimiterClock freezes the client's limiter clock at t0 and records
// when each request is granted (t0 plus the wait the limiter asked for)
// instead of sleeping, so the test measures the limiter's schedule exactly,
// whatever the machine's load.
type fakeLimiterClock struct {
	t0     time.Time
	mu     sync.Mutex
	grants []time.Duration // after t0
}

func (f *fakeLimiterClock) install(c *Client) {
	lt := c.http.Transport.(*limitedTransport)
	lt.now = func() time.Time { return f.t0 }
	lt.sleep = func(_ context.Context, d time.Duration) error {
		f.record(d)
		return nil
	}
	// A token granted at once records no sleep: count it from the server side.
}

func (f *fakeLimiterClock) record(d time.Duration) {
	f.mu.Lock()
	f.grants = append(f.grants, d)
	f.mu.Unlock()
}

// TestLimiterConcurrent drives one Client from 8 goroutines against the
// fake server, with some attempts answered 502 and retried, on a frozen
// limiter clock. Every attempt, retry or not, from whichever goroutine, must
// take a token from the one shared bucket: Burst at once, then one every
// Per/Requests. So no window of length Per holds more than Burst+Requests
// grants, and the server sees exactly the attempts the limiter granted.
func TestLimiterConcurrent(t *testing.T) {
	lim := Limit{Requests: 5, Per: 200 * time.Millisecond, Burst: 5}
	const workers, perWorker, failures = 8, 5, 6
	srv := fakeserver.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.AddFault(fakeserver.Fault{Method: "GET", Times: failures, Status: http.StatusBadGateway})
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Limit = lim
		cfg.Retry.MaxRetries = failures // one request may meet every fault
	})
	clock := &fakeLimiterClock{t0: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	clock.install(c)

	if err := fakeserver.Concurrently(workers, perWorker, func() error {
		_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"})
		return err
	}); err != nil {
		t.Error(err)
	}

	attempts := workers*perWorker + failures
	if got := srv.Log().Count(nil); got != attempts {
		t.Fatalf("server saw %d requests, want %d (each retry is a request)", got, attempts)
	}
	// Grants: Burst at t0 (no sleep), then the k-th more at k*Per/Requests.
	var want []time.Duration
	for k := 1; k <= attempts-lim.Burst; k++ {
		want = append(want, time.Duration(k)*lim.Per/time.Duration(lim.Requests))
	}
	got := append([]time.Duration(nil), clock.grants...)
	sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("limiter waits (-want +got):\n%s", d)
	}
	all := append(make([]time.Duration, lim.Burst), got...)
	maxInWindow := lim.Burst + lim.Requests
	for i := 0; i+maxInWindow < len(all); i++ {
		if all[i+maxInWindow]-all[i] < lim.Per {
			t.Errorf("grants %d..%d within %v: more than %d in a %v window", i, i+maxInWindow, all[i+maxInWindow]-all[i], maxInWindow, lim.Per)
		}
	}
}

// TestLimiterWaitCancelled: a context cancelled while waiting for a token
// ends the wait with its error, and nothing is sent.
func TestLimiterWaitCancelled(t *testing.T) {
	srv := fakeserver.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Limit = Limit{Requests: 1, Per: time.Hour} })
	waiting := make(chan struct{})
	lt := c.http.Transport.(*limitedTransport)
	lt.sleep = func(ctx context.Context, d time.Duration) error {
		close(waiting)
		return sleepCtx(ctx, d)
	}
	if _, err := c.Do(context.Background(), &Request{Method: "POST", Path: "x"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-waiting; cancel() }()
	err := within(t, func() error { _, err := c.Do(ctx, &Request{Method: "POST", Path: "x"}); return err })
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("error %v, want context.Canceled and not ErrOutcomeUnknown (nothing was sent)", err)
	}
	if n := srv.Log().Count(nil); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestLimitValidation(t *testing.T) {
	tests := []struct {
		lim     Limit
		wantErr bool
	}{
		{Limit{}, false},
		{Limit{Requests: 100, Per: time.Minute}, false},
		{Limit{Requests: 100, Per: time.Minute, Burst: 10}, false},
		{Limit{Requests: -1, Per: time.Minute}, true},
		{Limit{Requests: 1}, true},
		{Limit{Requests: 1, Per: time.Second, Burst: -1}, true},
	}
	for _, tt := range tests {
		_, err := New(Config{BaseURL: "http://127.0.0.1:1", Limit: tt.lim})
		if (err != nil) != tt.wantErr {
			t.Errorf("New with %+v: error %v, want error %v", tt.lim, err, tt.wantErr)
		}
	}
}

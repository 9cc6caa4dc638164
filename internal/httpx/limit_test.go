package httpx

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"
)

// TestLimiterConcurrent drives one Client from 8 goroutines and checks the
// arrival times the server recorded.
//
// Token-bucket bound: the bucket holds at most Burst tokens when a window
// opens and gains Requests/Per tokens per unit of time, so the limiter grants
// at most Burst + Requests*W/Per requests in any window of length W, and the
// nth request at the earliest (n-Burst)*Per/Requests after the first.
//
// Arrivals are seen on the server, after scheduling and network delays that
// vary per request (tens of milliseconds under -race on one CPU): a request
// delayed by up to eps can make a window of length W hold what the limiter
// spread over W+eps. The checks therefore allow eps = Per/2:
//   - any window of length Per holds at most Burst + Requests*(Per+eps)/Per
//     = 5 + 7 = 12 requests (without a limiter all 40 arrive at once; with
//     the burst or the rate doubled the bound is 17 or 20);
//   - the last of N arrives at least (N-Burst)*Per/Requests - eps = 1.3s after
//     the first.
func TestLimiterConcurrent(t *testing.T) {
	lim := Limit{Requests: 5, Per: 200 * time.Millisecond, Burst: 5}
	const workers, perWorker = 8, 5
	var (
		mu       sync.Mutex
		arrivals []time.Time
	)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
	}))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Limit = lim })

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	if len(arrivals) != workers*perWorker {
		t.Fatalf("server saw %d requests, want %d", len(arrivals), workers*perWorker)
	}
	eps := lim.Per / 2
	maxInWindow := lim.Burst + int(float64(lim.Requests)*float64(lim.Per+eps)/float64(lim.Per))
	for i := 0; i+maxInWindow < len(arrivals); i++ {
		if gap := arrivals[i+maxInWindow].Sub(arrivals[i]); gap <= lim.Per {
			t.Errorf("requests %d..%d arrived within %v: %d requests in a %v window, bound %d",
				i, i+maxInWindow, gap, maxInWindow+1, lim.Per, maxInWindow)
		}
	}
	n := len(arrivals)
	minSpan := time.Duration(n-lim.Burst)*lim.Per/time.Duration(lim.Requests) - eps
	if span := arrivals[n-1].Sub(arrivals[0]); span < minSpan {
		t.Errorf("%d requests arrived within %v, want at least %v", n, span, minSpan)
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

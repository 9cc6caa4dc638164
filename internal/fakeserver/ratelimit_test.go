package fakeserver

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRateLimitSlidingWindow(t *testing.T) {
	type step struct {
		advance   time.Duration // before the request
		status    int
		retryHint string
	}
	tests := []struct {
		name  string
		limit RateLimit
		steps []step
	}{
		{
			name:  "N allowed, N+1 rejected, reset when the window passes",
			limit: RateLimit{Requests: 3, Per: 10 * time.Second},
			steps: []step{
				{0, 201, ""}, {0, 201, ""}, {0, 201, ""},
				{0, 429, "10"},
				{4 * time.Second, 429, "6"},
				{1500 * time.Millisecond, 429, "5"}, // 4.5s left, rounded up
				{4500 * time.Millisecond, 201, ""},  // the first three leave at exactly +10s
				{0, 201, ""}, {0, 201, ""},
				{0, 429, "10"},
			},
		},
		{
			name:  "window slides rather than resetting at a boundary",
			limit: RateLimit{Requests: 2, Per: 10 * time.Second},
			steps: []step{
				{0, 201, ""},
				{6 * time.Second, 201, ""},
				{0, 429, "4"},
				{4 * time.Second, 201, ""}, // the first left at +10s; the one at +6s stays
				{0, 429, "6"},
				{5 * time.Second, 429, "1"},
				{time.Second, 201, ""},
			},
		},
		{
			name:  "503 with a fixed Retry-After",
			limit: RateLimit{Requests: 1, Per: time.Minute, Status: 503, RetryAfter: 1500 * time.Millisecond},
			steps: []step{{0, 201, ""}, {0, 503, "2"}, {50 * time.Second, 503, "2"}, {10 * time.Second, 201, ""}},
		},
		{
			name:  "503 without Retry-After, as Litmos",
			limit: RateLimit{Requests: 1, Per: time.Minute, Status: 503, OmitRetryAfter: true},
			steps: []step{{0, 201, ""}, {0, 503, ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &store{}
			srv := New(t, api)
			clock := newManualClock()
			srv.SetClock(clock.Now)
			srv.SetRateLimit(tt.limit)
			allowed := 0
			for i, st := range tt.steps {
				clock.Advance(st.advance)
				got := send(t, srv, "POST", "/v1/users", "x")
				if got.err != nil || got.status != st.status || got.retryAfter != st.retryHint {
					t.Errorf("step %d: got %d Retry-After %q (err %v), want %d %q",
						i, got.status, got.retryAfter, got.err, st.status, st.retryHint)
				}
				if st.status == 201 {
					allowed++
				}
			}
			if calls, _ := api.snapshot(); calls != allowed {
				t.Errorf("handler ran %d times, want %d (rejected requests must not reach it)", calls, allowed)
			}
		})
	}
}

func TestRateLimitPerKey(t *testing.T) {
	srv := New(t, &store{})
	srv.SetClock(newManualClock().Now)
	srv.SetRateLimit(RateLimit{
		Requests: 2,
		Per:      time.Minute,
		Key:      func(r *http.Request) string { return r.Header.Get("apikey") },
	})
	get := func(key string) int {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/users", nil)
		req.Header.Set("apikey", key)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var got []int
	for _, key := range []string{"a", "a", "a", "b", "b", "b", "a"} {
		got = append(got, get(key))
	}
	want := []int{200, 200, 429, 200, 200, 429, 429}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses for keys a a a b b b a (-want +got):\n%s", diff)
	}
}

// Match limits one endpoint: other requests are neither limited nor counted.
func TestRateLimitMatch(t *testing.T) {
	api := &store{}
	srv := New(t, api)
	srv.SetClock(newManualClock().Now)
	srv.SetRateLimit(RateLimit{
		Requests: 1, Per: time.Minute,
		Match: func(r *http.Request) bool { return r.URL.Path == "/v1/search" },
	})
	var got []int
	for _, path := range []string{"/v1/users", "/v1/search", "/v1/users", "/v1/search", "/v1/users"} {
		got = append(got, send(t, srv, "POST", path, "x").status)
	}
	if diff := cmp.Diff([]int{201, 201, 201, 429, 201}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if calls, _ := api.snapshot(); calls != 4 {
		t.Errorf("handler ran %d times, want 4", calls)
	}
}

func TestRateLimitConcurrent(t *testing.T) {
	const n, limit = 40, 7
	api := &store{}
	srv := New(t, api)
	srv.SetClock(newManualClock().Now)
	srv.SetRateLimit(RateLimit{Requests: limit, Per: time.Second, Status: 503})
	var wg sync.WaitGroup
	results := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- send(t, srv, "GET", "/v1/users", "").status
		}()
	}
	wg.Wait()
	close(results)
	got := map[int]int{}
	for s := range results {
		got[s]++
	}
	if diff := cmp.Diff(map[int]int{200: limit, 503: n - limit}, got); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
}

// Rate limiting sits before the fault rules: rejected requests do not advance
// a fault's counter, and the body of a rejection is sent.
func TestRateLimitBeforeFaults(t *testing.T) {
	srv := New(t, &store{})
	clock := newManualClock()
	srv.SetClock(clock.Now)
	srv.SetRateLimit(RateLimit{Requests: 1, Per: time.Minute, Body: `{"error":"slow down"}`})
	srv.AddFault(Fault{Skip: 1, Times: 1, Status: 500})

	var got []reply
	got = append(got, send(t, srv, "GET", "/", "")) // allowed; fault skips it
	got = append(got, send(t, srv, "GET", "/", "")) // rejected; fault never sees it
	clock.Advance(time.Minute)
	got = append(got, send(t, srv, "GET", "/", "")) // allowed; fault fires
	clock.Advance(time.Minute)
	got = append(got, send(t, srv, "GET", "/", "")) // allowed; fault spent
	want := []reply{
		{status: 200, body: "null\n"},
		{status: 429, retryAfter: "60", body: `{"error":"slow down"}`},
		{status: 500},
		{status: 200, body: "null\n"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(reply{})); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{200, 429, 500, 200}, statuses(srv)); diff != "" {
		t.Errorf("logged statuses (-want +got):\n%s", diff)
	}
}

func TestSetRateLimitDisableAndReplace(t *testing.T) {
	srv := New(t, &store{})
	srv.SetClock(newManualClock().Now)
	srv.SetRateLimit(RateLimit{Requests: 1, Per: time.Minute})
	send(t, srv, "GET", "/", "")
	if got := send(t, srv, "GET", "/", ""); got.status != 429 {
		t.Fatalf("over the limit: got %d, want 429", got.status)
	}
	srv.SetRateLimit(RateLimit{Requests: 1, Per: time.Minute}) // forgets the past
	if got := send(t, srv, "GET", "/", ""); got.status != 200 {
		t.Errorf("after replacing the limit: got %d, want 200", got.status)
	}
	srv.SetRateLimit(RateLimit{})
	for i := range 3 {
		if got := send(t, srv, "GET", "/", ""); got.status != 200 {
			t.Errorf("disabled, request %d: got %d, want 200", i, got.status)
		}
	}
}

func TestSetRateLimitRejectsBadConfig(t *testing.T) {
	tests := []struct {
		limit RateLimit
		want  string
	}{
		{RateLimit{Requests: -1}, "fakeserver: SetRateLimit: Requests must not be negative"},
		{RateLimit{Requests: 1}, "fakeserver: SetRateLimit: Per must be positive"},
		{RateLimit{Requests: 1, Per: time.Second, Status: 200}, "fakeserver: SetRateLimit: Status must be a 4xx or 5xx status, got 200"},
		{RateLimit{Requests: 1, Per: time.Second, RetryAfter: -time.Second}, "fakeserver: SetRateLimit: RetryAfter must not be negative"},
	}
	srv := New(nil, &store{})
	defer srv.Close()
	for _, tt := range tests {
		func() {
			defer func() {
				if got, _ := recover().(string); got != tt.want {
					t.Errorf("SetRateLimit(%+v) panic = %q, want %q", tt.limit, got, tt.want)
				}
			}()
			srv.SetRateLimit(tt.limit)
		}()
	}
}

func TestCeilSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int64
	}{
		{0, 1}, {-time.Second, 1}, {time.Nanosecond, 1}, {time.Second, 1},
		{time.Second + time.Nanosecond, 2}, {59500 * time.Millisecond, 60}, {time.Hour, 3600},
	}
	for _, tt := range tests {
		if got := ceilSeconds(tt.d); got != tt.want {
			t.Errorf("ceilSeconds(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

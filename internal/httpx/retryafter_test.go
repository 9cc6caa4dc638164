package httpx

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"0", 0, true},
		{"", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Mon, 30 Nov 2026 12:01:30 GMT", 90 * time.Second, true},  // IMF-fixdate, future
		{"Monday, 30-Nov-26 12:00:10 GMT", 10 * time.Second, true}, // RFC 850
		{"Mon Nov 30 12:00:05 2026", 5 * time.Second, true},        // asctime
		{"Mon, 30 Nov 2026 11:00:00 GMT", 0, true},                 // past: no wait
		{"Mon, 30 Nov 2026 12:01:30 +0100", 0, false},              // not an HTTP-date
		{"99999999999999999999", 0, false},                         // overflows int64
		{"9223372036854775807", maxDuration, true},                 // clamps, no overflow
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBackoffWait(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	policy := RetryPolicy{MaxRetries: 4, MinWait: 100 * time.Millisecond, MaxWait: 10 * time.Second}
	reset := func(h http.Header) (time.Duration, bool) {
		if h.Get("X-RateLimit-Reset") == "" {
			return 0, false
		}
		d, err := time.ParseDuration(h.Get("X-RateLimit-Reset"))
		return d, err == nil
	}
	tests := []struct {
		name     string
		header   http.Header
		attempt  int
		min, max time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"3"}}, 1, 3 * time.Second, 3 * time.Second},
		{"seconds capped by MaxWait", http.Header{"Retry-After": {"3600"}}, 1, 10 * time.Second, 10 * time.Second},
		{"HTTP-date future", http.Header{"Retry-After": {"Mon, 30 Nov 2026 12:00:04 GMT"}}, 1, 4 * time.Second, 4 * time.Second},
		{"HTTP-date far future capped", http.Header{"Retry-After": {"Tue, 01 Dec 2026 12:00:00 GMT"}}, 1, 10 * time.Second, 10 * time.Second},
		{"HTTP-date past", http.Header{"Retry-After": {"Mon, 30 Nov 2026 11:00:00 GMT"}}, 1, 0, 0},
		{"reset header when no Retry-After", http.Header{"X-Ratelimit-Reset": {"2s"}}, 1, 2 * time.Second, 2 * time.Second},
		{"Retry-After wins over reset header", http.Header{"Retry-After": {"1"}, "X-Ratelimit-Reset": {"2s"}}, 1, time.Second, time.Second},
		{"garbage falls back to backoff", http.Header{"Retry-After": {"later"}}, 1, 100 * time.Millisecond, 150 * time.Millisecond},
		{"exponential third attempt", http.Header{}, 3, 400 * time.Millisecond, 600 * time.Millisecond},
		{"exponential capped", http.Header{}, 20, 10 * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Retry = policy; cfg.ResetAfter = reset })
			c.now = func() time.Time { return now }
			cl := &call{c: c, n: tt.attempt}
			got := cl.backoffWait(&http.Response{StatusCode: 429, Header: tt.header})
			if got < tt.min || got > tt.max {
				t.Errorf("wait %v, want in [%v, %v]", got, tt.min, tt.max)
			}
		})
	}
}

func TestExpBackoffJitter(t *testing.T) {
	lo, hi := 100*time.Millisecond, time.Second
	zero := func(int64) int64 { return 0 }
	top := func(n int64) int64 { return n - 1 }
	tests := []struct {
		n    int
		rand func(int64) int64
		want time.Duration
	}{
		{0, zero, 100 * time.Millisecond},
		{0, top, 150*time.Millisecond - 1},
		{2, zero, 400 * time.Millisecond},
		{2, top, 600*time.Millisecond - 1},
		{3, top, time.Second}, // 800ms + jitter capped
		{50, zero, time.Second},
	}
	for _, tt := range tests {
		if got := expBackoff(lo, hi, tt.n, tt.rand); got != tt.want {
			t.Errorf("expBackoff(n=%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestAPIErrorRetryAfter(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(429, "3600", `{"message":"slow down"}`)}}
	srv := newServer(t, s)
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Retry = RetryPolicy{MaxRetries: -1} // no retries: the caller sees the vendor's wait
	})
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Hour {
		t.Fatalf("error %v: want *APIError with RetryAfter 1h", err)
	}
}

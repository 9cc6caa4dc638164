package talentlms

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// fakeClock drives a quota without waiting: sleep advances now.
type fakeClock struct {
	now   time.Time
	slept []time.Duration
}

func (f *fakeClock) install(q *quota) {
	q.now = func() time.Time { return f.now }
	q.sleep = func(_ context.Context, d time.Duration) error {
		f.slept = append(f.slept, d)
		f.now = f.now.Add(d)
		return nil
	}
}

func headers(limit, remaining, reset string) http.Header {
	h := http.Header{}
	for k, v := range map[string]string{HeaderRateLimitLimit: limit, HeaderRateLimitRemaining: remaining, HeaderRateLimitReset: reset} {
		if v != "" {
			h.Set(k, v)
		}
	}
	return h
}

func TestQuotaWaitsUntilReset(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	q := newQuota()
	clk.install(q)
	q.observe(headers("2000", "2", "1800000600"))
	for i := 0; i < 2; i++ { // the two left are reserved, not waited for
		if err := q.wait(context.Background()); err != nil || len(clk.slept) != 0 {
			t.Fatalf("wait %d: %v, slept %v", i, err, clk.slept)
		}
	}
	if err := q.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(clk.slept) != 1 || clk.slept[0] != 600*time.Second {
		t.Errorf("slept %v, want [10m0s]", clk.slept)
	}
	// After the reset the window is unknown until a reply says: no wait.
	if err := q.wait(context.Background()); err != nil || len(clk.slept) != 1 {
		t.Errorf("after reset: %v, slept %v", err, clk.slept)
	}
}

func TestQuotaReadings(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	q := newQuota()
	clk.install(q)
	q.observe(headers("2000", "50", "1800000600"))
	q.observe(headers("2000", "80", "1800000600")) // a late reply of the same window cannot raise it
	if q.remaining != 50 {
		t.Errorf("same window: remaining %d, want 50", q.remaining)
	}
	q.observe(headers("2000", "1999", "1800004200")) // the next window
	if q.remaining != 1999 || !q.reset.Equal(time.Unix(1800004200, 0)) {
		t.Errorf("new window: %d until %v", q.remaining, q.reset)
	}
	q.observe(headers("2000", "3", "1800000600")) // stale
	if q.remaining != 1999 {
		t.Errorf("stale reading applied: %d", q.remaining)
	}
	q.observe(headers("2000", "", "1800009999")) // no Remaining: ignored
	q.observe(headers("2000", "5", ""))          // no Reset: ignored
	if q.remaining != 1999 {
		t.Errorf("partial readings applied: %d", q.remaining)
	}
}

func TestResetAfter(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	q := newQuota()
	clk.install(q)
	for _, tt := range []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{headers("2000", "0", "1800000090"), 90 * time.Second, true},
		{headers("", "", "1800000090"), 90 * time.Second, true}, // a 429 without Remaining
		{headers("", "", "30"), 30 * time.Second, true},         // seconds from now
		{headers("", "", "Fri, 15 Jan 2027 08:00:30 GMT"), time.Date(2027, 1, 15, 8, 0, 30, 0, time.UTC).Sub(clk.now), true},
		{headers("2000", "1500", "1800000090"), 0, false}, // budget left: a 400 must not say "retry after"
		{headers("2000", "0", "1799999000"), 0, true},     // reset passed
		{headers("", "", ""), 0, false},
		{headers("", "", "soon"), 0, false},
		{headers("", "", "-5"), 0, false},
	} {
		got, ok := q.resetAfter(tt.h)
		if got != tt.want || ok != tt.ok {
			t.Errorf("resetAfter(%v) = %v, %v; want %v, %v", tt.h, got, ok, tt.want, tt.ok)
		}
	}
}

func TestQuotaDeadlineAndCancel(t *testing.T) {
	clk := &fakeClock{now: time.Now()}
	q := newQuota()
	clk.install(q)
	q.set(100, 0, clk.now.Add(time.Hour))
	dctx, cancel := context.WithDeadline(context.Background(), clk.now.Add(time.Minute))
	defer cancel()
	err := q.wait(dctx)
	var qe *QuotaError
	if !errors.As(err, &qe) || qe.RetryAfter != time.Hour || !errors.Is(err, ErrRateLimited) || len(clk.slept) != 0 {
		t.Errorf("deadline before reset: %v, slept %v", err, clk.slept)
	}
	q.sleep = func(ctx context.Context, _ time.Duration) error { return context.Canceled }
	if err := q.wait(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}

// The default pacing is the documented count, 200 in any 5 seconds, as a
// sliding window (httpx.Limit.Sliding: at most Requests in any window of
// length Per as the portal receives them), with a margin under 1% of it.
func TestDefaultLimitBound(t *testing.T) {
	l := defaultLimit
	if l.Requests != DefaultRateLimit || l.Per != RateLimitWindow || !l.Sliding {
		t.Errorf("default limit %+v, want a sliding window of %d per %v", l, DefaultRateLimit, RateLimitWindow)
	}
	if l.Margin < 0 || l.Margin > RateLimitWindow/100 {
		t.Errorf("default limit margin %v, want at most 1%% of %v", l.Margin, RateLimitWindow)
	}
}

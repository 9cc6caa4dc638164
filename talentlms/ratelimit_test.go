package talentlms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func pinned(srv *talentlmstest.Server, t *testing.T, opts ...talentlms.Option) *talentlms.Client {
	return srv.NewClient(t, append([]talentlms.Option{talentlms.WithDateFormat(talentlms.DDMMYYYY)}, opts...)...)
}

// Once a reply says the hour's quota is spent, the client sends nothing
// more before the reset: a call whose deadline comes first fails at once
// with a *QuotaError matching ErrRateLimited.
func TestQuotaSpentFailsFastBeforeDeadline(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(3))
	c := pinned(srv, t)
	for i := 0; i < 3; i++ {
		if _, err := c.GetBranch(ctx, "1"); !errors.Is(err, talentlms.ErrNotFound) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err := c.GetBranch(dctx, "1")
	var qe *talentlms.QuotaError
	if !errors.As(err, &qe) || !errors.Is(err, talentlms.ErrRateLimited) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a QuotaError", err)
	}
	if qe.Limit != 3 || qe.RetryAfter < 59*time.Minute || qe.RetryAfter > time.Hour {
		t.Errorf("QuotaError = %+v", qe)
	}
	if n := srv.Log().Count(nil); n != 3 || srv.HourlyUsed() != 3 {
		t.Errorf("requests sent %d (hour used %d), want 3", n, srv.HourlyUsed())
	}
	// GET ratelimit is not metered: it is sent, and not counted.
	rl, err := c.GetRateLimit(dctx)
	if err != nil || rl.Remaining != 0 || rl.Limit != 3 || srv.HourlyUsed() != 3 {
		t.Errorf("GetRateLimit = %+v, %v (used %d)", rl, err, srv.HourlyUsed())
	}
}

// GetRateLimit teaches the gate too: a portal whose budget another
// client spent is not hit again before the reset.
func TestGetRateLimitFeedsTheGate(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(2))
	other := pinned(srv, t)
	for i := 0; i < 2; i++ {
		if _, err := other.GetSiteInfo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c := pinned(srv, t)
	if _, err := c.GetRateLimit(ctx); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	before := srv.Log().Count(nil)
	if _, err := c.GetSiteInfo(dctx); !errors.Is(err, talentlms.ErrRateLimited) {
		t.Errorf("err = %v", err)
	}
	if srv.Log().Count(nil) != before {
		t.Error("a request was sent into a spent quota")
	}
}

// A 429 is not retried before X-RateLimit-Reset: with a deadline before
// the reset the call ends at once with the APIError, its RetryAfter taken
// from the header, after exactly one request.
func TestQuota429HonoursResetHeader(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(1))
	other := pinned(srv, t)
	if _, err := other.GetSiteInfo(ctx); err != nil {
		t.Fatal(err)
	}
	c := pinned(srv, t, talentlms.WithRetry(talentlms.RetryPolicy{}))
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := c.GetSiteInfo(dctx)
	var apiErr *talentlms.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || !errors.Is(err, talentlms.ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if apiErr.RetryAfter < 59*time.Minute || apiErr.RetryAfter > time.Hour {
		t.Errorf("RetryAfter = %v, want the time to the reset", apiErr.RetryAfter)
	}
	if n := srv.Log().Count(nil); n != 2 {
		t.Errorf("%d requests, want 2 (one each)", n)
	}
	// The client now knows: the next call is not sent.
	if _, err := c.GetSiteInfo(dctx); !errors.Is(err, talentlms.ErrRateLimited) || srv.Log().Count(nil) != 2 {
		t.Errorf("after the 429: %v, %d requests", err, srv.Log().Count(nil))
	}
}

// soonWindow opens the fake's hour window so that it closes at the
// next whole second but one, in real time: the client, on the real clock,
// waits a second or two for the reset.
func soonWindow(srv *talentlmstest.Server) time.Time {
	reset := time.Now().Truncate(time.Second).Add(2 * time.Second)
	srv.SetHourlyWindow(reset.Add(-time.Hour), 0)
	return reset
}

// The waits themselves, on the real clock (about a second each, in parallel).
func TestQuotaWaitsForReset(t *testing.T) {
	t.Run("gate", func(t *testing.T) {
		t.Parallel()
		srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(2))
		reset := soonWindow(srv)
		c := pinned(srv, t)
		for i := 0; i < 3; i++ {
			if _, err := c.GetSiteInfo(ctx); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		es := srv.Log().Entries()
		if len(es) != 3 || es[2].At.Before(reset) {
			t.Errorf("%d requests; the third at %v, reset %v", len(es), es[len(es)-1].At, reset)
		}
		for _, e := range es {
			if e.Status != 200 {
				t.Errorf("status %d: the gate let a request into a spent quota", e.Status)
			}
		}
	})
	t.Run("429 retried after the reset", func(t *testing.T) {
		t.Parallel()
		srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(1))
		reset := soonWindow(srv)
		if _, err := pinned(srv, t).GetSiteInfo(ctx); err != nil {
			t.Fatal(err)
		}
		c := pinned(srv, t, talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 10 * time.Second}))
		if _, err := c.GetSiteInfo(ctx); err != nil {
			t.Fatal(err)
		}
		es := srv.Log().Entries()
		if len(es) != 3 || es[1].Status != 429 || es[2].Status != 200 || es[2].At.Before(reset) {
			t.Errorf("entries: %d, statuses %d %d, retry at %v (reset %v)", len(es), es[1].Status, es[len(es)-1].Status, es[len(es)-1].At, reset)
		}
	})
}

// The burst limit: 200 in 5 seconds, 429 past it.
func TestBurstLimit(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(0),
		talentlmstest.WithRateLimit(talentlmstest.RateLimit{Requests: 2, Per: time.Hour}))
	c := pinned(srv, t, talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: -1}))
	for i := 0; i < 2; i++ {
		if _, err := c.GetSiteInfo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetSiteInfo(ctx); !errors.Is(err, talentlms.ErrRateLimited) {
		t.Errorf("third call: %v", err)
	}
}

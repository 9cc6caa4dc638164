package talentlms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/internal/httpx"
)

// TalentLMS limits each portal per hour by plan (2,000 or 10,000 requests;
// https://developers.talentlms.io/api/talentlms-public-api) and answers
// 429 past it, with X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset on its replies (https://developers.talentlms.io/errors:
// "use the rate-limit headers when present"). The client keeps one view of
// that quota per Client: from those headers and from GetRateLimit. Once
// Remaining is 0 it sends nothing until the reset; a call whose context
// deadline comes first fails at once with a *QuotaError.

// Rate-limit header names.
const (
	HeaderRateLimitLimit     = "X-RateLimit-Limit"
	HeaderRateLimitRemaining = "X-RateLimit-Remaining"
	HeaderRateLimitReset     = "X-RateLimit-Reset"
)

// RateLimitStatus is the portal's hourly quota as GET ratelimit reports it.
type RateLimitStatus struct {
	Limit          int64     // requests an hour on the portal's plan
	Remaining      int64     // requests left before Reset
	Reset          time.Time // when Remaining goes back to Limit
	FormattedReset string    // Reset in the portal's date format, as sent
}

// GetRateLimit returns the portal's hourly quota (GET ratelimit), which
// does not count against it (https://github.com/Trifoia/talentlms-sdk
// skips its own pacing for it), and updates the client's view of the
// quota. A long sync calls it first, so that the client waits for the reset
// before the quota runs out even where replies carry no rate-limit headers.
func (c *Client) GetRateLimit(ctx context.Context) (*RateLimitStatus, error) {
	const op = "get rate limit"
	body, err := c.sendRequest(ctx, op, &httpx.Request{Method: http.MethodGet, Path: "ratelimit", Header: jsonAccept.Clone()}, false)
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, "")
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	st := &RateLimitStatus{Limit: o.int("limit"), Remaining: o.int("remaining"), FormattedReset: o.str("formatted_reset")}
	if n := o.int("reset"); n > 0 {
		st.Reset = time.Unix(n, 0).UTC()
	}
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	if !st.Reset.IsZero() {
		c.quota.set(st.Limit, st.Remaining, st.Reset)
	}
	return st, nil
}

// QuotaError says the portal's hourly quota is used up and the call's
// context ends before it resets; nothing was sent. It matches
// ErrRateLimited (and context.DeadlineExceeded): try again after RetryAfter.
type QuotaError struct {
	Limit      int64 // the hourly limit, when known
	Reset      time.Time
	RetryAfter time.Duration
}

// Error says when the quota resets.
func (e *QuotaError) Error() string {
	return fmt.Sprintf("hourly quota (%d requests) used up until %s, after the context's deadline (retry after %s)",
		e.Limit, e.Reset.UTC().Format(time.RFC3339), e.RetryAfter.Round(time.Second))
}

// Is reports whether target is ErrRateLimited.
func (e *QuotaError) Is(target error) bool { return target == ErrRateLimited }

// Unwrap returns context.DeadlineExceeded, as a rate-limiter wait that
// cannot end in time does.
func (e *QuotaError) Unwrap() error { return context.DeadlineExceeded }

// quota is the client's view of the hourly quota.
type quota struct {
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu        sync.Mutex
	known     bool // remaining and reset describe the current window
	limit     int64
	remaining int64
	reset     time.Time
}

func newQuota() *quota { return &quota{now: time.Now, sleep: sleepCtx} }

// set records a reading. A reading for a later window replaces the one
// held; one for the same window can only lower Remaining (replies to
// concurrent requests arrive in any order); one for an earlier window is stale.
func (q *quota) set(limit, remaining int64, reset time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case !q.known || reset.After(q.reset):
		q.known, q.limit, q.remaining, q.reset = true, limit, remaining, reset
	case reset.Equal(q.reset):
		q.remaining = min(q.remaining, remaining)
		q.limit = max(q.limit, limit)
	}
}

// observe reads the rate-limit headers of a reply.
func (q *quota) observe(h http.Header) {
	remaining, okR := headerInt(h, HeaderRateLimitRemaining)
	reset, okT := parseReset(h.Get(HeaderRateLimitReset), q.now())
	if !okR || !okT {
		return
	}
	limit, _ := headerInt(h, HeaderRateLimitLimit)
	q.set(limit, remaining, reset)
}

// resetAfter is the client's httpx.Config.ResetAfter: it records the
// headers of a non-2xx reply and, when the window is spent (Remaining 0 or
// not sent), returns the wait until X-RateLimit-Reset, which httpx waits
// before retrying a 429 that has no Retry-After.
func (q *quota) resetAfter(h http.Header) (time.Duration, bool) {
	q.observe(h)
	now := q.now()
	reset, ok := parseReset(h.Get(HeaderRateLimitReset), now)
	if !ok {
		return 0, false
	}
	if n, has := headerInt(h, HeaderRateLimitRemaining); has && n > 0 {
		return 0, false
	}
	return max(reset.Sub(now), 0), true
}

// fromError records a 429 that retries did not get past.
func (q *quota) fromError(err error) {
	var e *APIError
	if errors.As(err, &e) && e.StatusCode == http.StatusTooManyRequests && e.RetryAfter > 0 {
		q.set(0, 0, q.now().Add(e.RetryAfter).Truncate(time.Second))
	}
}

// wait holds a request while the quota is spent, reserving one request
// of the remaining budget when it is not.
func (q *quota) wait(ctx context.Context) error {
	for {
		q.mu.Lock()
		now := q.now()
		if q.known && !now.Before(q.reset) {
			q.known = false // a new window; the next reply says how much is left
		}
		if !q.known || q.remaining > 0 {
			if q.known {
				q.remaining--
			}
			q.mu.Unlock()
			return nil
		}
		limit, reset := q.limit, q.reset
		q.mu.Unlock()
		d := reset.Sub(now)
		if dl, ok := ctx.Deadline(); ok && dl.Before(reset) {
			return &QuotaError{Limit: limit, Reset: reset, RetryAfter: d}
		}
		if err := q.sleep(ctx, d); err != nil {
			return fmt.Errorf("waiting for the hourly quota to reset at %s: %w", reset.Format(time.RFC3339), err)
		}
	}
}

// parseReset reads X-RateLimit-Reset: unix seconds (as GET ratelimit's
// reset is), seconds from now when the number is too small to be a unix
// time, or an HTTP-date.
func parseReset(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		switch {
		case n < 0:
			return time.Time{}, false
		case n >= 1_000_000_000:
			return time.Unix(min(n, 1<<40), 0), true
		}
		return now.Add(time.Duration(n) * time.Second), true
	}
	t, err := http.ParseTime(v)
	return t, err == nil
}

func headerInt(h http.Header, name string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
	return n, err == nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

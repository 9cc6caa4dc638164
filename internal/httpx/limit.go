package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Limit is a client's pacing. By default it is a token bucket: Requests
// per Per, refilled evenly, with Burst requests allowed at once. Zero
// Requests means unlimited; zero Burst means 1.
//
// In any interval of length W a token bucket sends at most Burst +
// Requests*W/Per requests (the bucket holds at most Burst tokens when the
// interval starts and gains Requests*W/Per during it).
//
// Sliding makes it a sliding window instead, for vendors that count "N
// requests per minute": at most Requests requests in any interval of
// length Per, as the vendor counts them, whenever they arrive there (each
// request is counted from its send until Per plus Margin after its answer
// came back, so network delay cannot move one into a window the client
// thought free). Burst is ignored: a full window may go at once. Margin
// (Sliding only) lengthens each request's window, for a vendor that counts
// a request a little after it answered or whose servers' clocks differ. A
// rate-limit answer holds every request until the first the client still
// counts leaves the window.
type Limit struct {
	Requests int
	Per      time.Duration
	Burst    int
	Sliding  bool
	Margin   time.Duration
}

// pacer is a Limit's limiter: a token bucket, or a window when Sliding.
type pacer struct {
	bucket *rate.Limiter
	win    *window
}

func (l Limit) limiter() (pacer, error) {
	switch {
	case l.Requests < 0 || l.Burst < 0 || l.Margin < 0:
		return pacer{}, fmt.Errorf("limit %+v: negative Requests, Burst or Margin", l)
	case l.Requests == 0:
		return pacer{bucket: rate.NewLimiter(rate.Inf, 0)}, nil
	case l.Per <= 0:
		return pacer{}, fmt.Errorf("limit %+v: Per must be positive when Requests is set", l)
	case l.Sliding:
		return pacer{win: newWindow(l.Requests, l.Per+l.Margin)}, nil
	case l.Margin != 0:
		return pacer{}, fmt.Errorf("limit %+v: Margin is for a Sliding limit", l)
	}
	burst := l.Burst
	if burst == 0 {
		burst = 1
	}
	return pacer{bucket: rate.NewLimiter(rate.Limit(float64(l.Requests)/l.Per.Seconds()), burst)}, nil
}

// limitWaitError is a failure to wait for the limiter: the context ended, or
// its deadline comes before the next token. It is never retried.
type limitWaitError struct{ err error }

func (e *limitWaitError) Error() string { return "waiting for rate limiter: " + e.err.Error() }
func (e *limitWaitError) Unwrap() error { return e.err }

// limitedClient returns a shallow copy of hc (or of a pooled client) whose
// transport waits on lim before every round trip (every attempt, retry and
// redirect hop). refused tells a Sliding limit's window which answers are
// the vendor's rate-limit answers.
func limitedClient(hc *http.Client, lim pacer, refused func(*http.Response) bool) *http.Client {
	if hc == nil {
		hc = retryablehttp.NewClient().HTTPClient // go-cleanhttp's pooled client
	}
	cp := *hc
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = &limitedTransport{base: base, lim: lim.bucket, win: lim.win, refused: refused, now: time.Now, sleep: preciseSleep}
	cp.CheckRedirect = dropCredentialsOffHost(cp.CheckRedirect)
	return &cp
}

// dropCredentialsOffHost wraps a redirect policy (nil: net/http's, at most
// 10 hops) so that a redirect to another host carries no credential headers.
// net/http drops Authorization and Cookie only for another domain, and keeps
// custom key headers (Litmos's apikey, X-Api-Key) for any host.
func dropCredentialsOffHost(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if next != nil {
			if err := next(req, via); err != nil {
				return err
			}
		} else if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if len(via) > 0 && !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
			for name := range req.Header {
				if isSensitiveName(name) || strings.EqualFold(name, "Cookie") {
					req.Header.Del(name)
				}
			}
		}
		return nil
	}
}

type limitedTransport struct {
	base    http.RoundTripper
	lim     *rate.Limiter // nil when win is set
	win     *window
	refused func(*http.Response) bool
	// now and sleep are time.Now and preciseSleep; tests replace them to drive
	// the limiter on a fake clock.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.win == nil {
		if err := t.wait(ctx); err != nil {
			return nil, &limitWaitError{err: err}
		}
		return t.base.RoundTrip(req)
	}
	slot, err := t.acquire(ctx)
	if err != nil {
		return nil, &limitWaitError{err: err}
	}
	resp, err := t.base.RoundTrip(req)
	t.win.release(slot, t.now(), err == nil && t.refused(resp))
	return resp, err
}

// wait takes one token, sleeping until it is due: rate.Limiter.Wait on the
// transport's clock. A token due after the context's deadline is not waited
// for: the wait fails at once, wrapping context.DeadlineExceeded.
func (t *limitedTransport) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := t.now()
	r := t.lim.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limiter cannot grant a request") // Burst is at least 1: unreachable
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(now.Add(d)) {
		r.CancelAt(now)
		return fmt.Errorf("%w (next token after the context deadline)", context.DeadlineExceeded)
	}
	if err := t.sleep(ctx, d); err != nil {
		r.CancelAt(t.now())
		return err
	}
	return nil
}

// preciseBelow is the longest wait preciseSleep times itself on Linux:
// past it, a millisecond late is under 1% of the wait.
const preciseBelow = 100 * time.Millisecond

func sleepCtx(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CloseIdleConnections lets retryablehttp and callers close pooled connections.
func (t *limitedTransport) CloseIdleConnections() {
	type closer interface{ CloseIdleConnections() }
	if c, ok := t.base.(closer); ok {
		c.CloseIdleConnections()
	}
}

func isLimitWait(err error) bool {
	var lw *limitWaitError
	return errors.As(err, &lw)
}

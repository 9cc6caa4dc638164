package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Limit is a token bucket: Requests per Per, refilled evenly, with Burst
// requests allowed at once. Zero Requests means unlimited; zero Burst means 1.
//
// In any interval of length W a Client sends at most Burst + Requests*W/Per
// requests (the bucket holds at most Burst tokens when the interval starts
// and gains Requests*W/Per during it).
type Limit struct {
	Requests int
	Per      time.Duration
	Burst    int
}

func (l Limit) limiter() (*rate.Limiter, error) {
	switch {
	case l.Requests < 0 || l.Burst < 0:
		return nil, fmt.Errorf("limit %+v: negative Requests or Burst", l)
	case l.Requests == 0:
		return rate.NewLimiter(rate.Inf, 0), nil
	case l.Per <= 0:
		return nil, fmt.Errorf("limit %+v: Per must be positive when Requests is set", l)
	}
	burst := l.Burst
	if burst == 0 {
		burst = 1
	}
	return rate.NewLimiter(rate.Limit(float64(l.Requests)/l.Per.Seconds()), burst), nil
}

// limitWaitError is a failure to wait for the limiter: the context ended, or
// its deadline comes before the next token. It is never retried.
type limitWaitError struct{ err error }

func (e *limitWaitError) Error() string { return "waiting for rate limiter: " + e.err.Error() }
func (e *limitWaitError) Unwrap() error { return e.err }

// limitedClient returns a shallow copy of hc (or of a pooled client) whose
// transport waits on lim before every round trip (every attempt, retry and
// redirect hop) and traces whether the request was written.
func limitedClient(hc *http.Client, lim *rate.Limiter) *http.Client {
	if hc == nil {
		hc = retryablehttp.NewClient().HTTPClient // go-cleanhttp's pooled client
	}
	cp := *hc
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = &limitedTransport{base: base, lim: lim}
	return &cp
}

type limitedTransport struct {
	base http.RoundTripper
	lim  *rate.Limiter
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := t.lim.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if _, ok := ctx.Deadline(); ok {
			// rate.Limiter refuses early when the token comes after the deadline.
			err = fmt.Errorf("%w (next token after the context deadline)", context.DeadlineExceeded)
		}
		return nil, &limitWaitError{err: err}
	}
	if s, ok := ctx.Value(attemptKey{}).(*attemptSlot); ok {
		if a := s.cur.Load(); a != nil {
			req = req.WithContext(httptrace.WithClientTrace(ctx, a.trace()))
		}
	}
	return t.base.RoundTrip(req)
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

package httpx

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = DefaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.MinWait == 0 {
		p.MinWait = DefaultMinWait
	}
	if p.MaxWait == 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.MinWait < 0 || p.MaxWait < p.MinWait {
		return p, fmt.Errorf("retry policy: need 0 <= MinWait (%s) <= MaxWait (%s)", p.MinWait, p.MaxWait)
	}
	return p, nil
}

// decision is the retry policy's verdict on one attempt.
type decision struct {
	retry bool
	wait  time.Duration // before the next attempt, when retry
	err   error         // ends the call with this error (for retryablehttp)
	final *APIError     // ends the call with this vendor answer
}

func (cl *call) decide(ctx context.Context, resp *http.Response, err error) decision {
	last := cl.n > cl.c.retry.MaxRetries
	if err != nil {
		return cl.onTransportError(ctx, err, cl.mayHaveSent(err), last)
	}
	return cl.onResponse(resp, last)
}

// mayHaveSent reports whether the failed attempt may have reached the vendor.
// Only positive evidence counts as "not sent": a dial error, a rate-limiter
// wait that failed, or a net/http transport that traced the attempt and
// never wrote the request head. A transport that reports nothing to
// httptrace may have sent it.
func (cl *call) mayHaveSent(err error) bool {
	if isDialError(err) || isLimitWait(err) {
		return false
	}
	a := cl.slot.cur.Load()
	return a == nil || a.wroteHeaders.Load() || !a.gotConn.Load()
}

// onTransportError: no HTTP answer arrived. sent says whether the request
// may have reached the vendor.
func (cl *call) onTransportError(ctx context.Context, err error, sent, last bool) decision {
	unknown := sent && !cl.idem
	err = cl.sanitize(err) // before wrapping hides the *url.Error from sanitize
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return decision{err: cl.fail(err, unknown, "")}
	}
	if isLimitWait(err) {
		return decision{err: cl.fail(err, false, "")}
	}
	// retryablehttp's own judgement of transport errors: certificate,
	// scheme, header and redirect-loop errors never heal.
	if ok, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !ok {
		return decision{err: cl.fail(err, unknown, "")}
	}
	if unknown {
		return decision{err: cl.fail(err, true, "no reply after the request was sent")}
	}
	if last {
		return decision{err: cl.unavailable(err, fmt.Sprintf("giving up after %d attempts", cl.n))}
	}
	wait := cl.backoffWait(nil)
	if !cl.fitsDeadline(wait) {
		return decision{err: cl.unavailable(err, fmt.Sprintf("giving up after %d attempts: the next would start after the context deadline", cl.n))}
	}
	return decision{retry: true, wait: wait}
}

// fitsDeadline reports whether an attempt after wait would start before the
// context's deadline. When it would not, the call ends now with what it has
// (an *APIError carrying RetryAfter, say) instead of sleeping into
// context.DeadlineExceeded.
func (cl *call) fitsDeadline(wait time.Duration) bool {
	dl, ok := cl.ctx.Deadline()
	return !ok || cl.c.now().Add(wait).Before(dl)
}

// onResponse: the vendor answered.
func (cl *call) onResponse(resp *http.Response, last bool) decision {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return cl.onSuccess(resp, last)
	}
	if cl.retryableStatus(resp) && !last {
		if wait := cl.backoffWait(resp); cl.fitsDeadline(wait) {
			return decision{retry: true, wait: wait}
		}
	}
	apiErr := cl.apiError(resp)
	if !cl.idem && mayHaveApplied(resp.StatusCode) && !cl.rejected(resp) {
		return decision{err: &requestError{head: cl.head(), msg: apiErr.detail(), cause: cl.c.wrapAPI(apiErr), unknown: true}}
	}
	return decision{final: apiErr}
}

// onSuccess reads a 2xx body. A failure to read it after a non-idempotent
// request leaves the caller not knowing what was created: outcome unknown.
func (cl *call) onSuccess(resp *http.Response, last bool) decision {
	var body []byte
	var buf *[]byte
	var err error
	if cl.pooled {
		buf, body, err = readBodyPooled(resp.Body, resp.ContentLength, cl.c.maxBody)
	} else {
		body, err = readBody(resp.Body, resp.ContentLength, cl.c.maxBody)
	}
	resp.Body.Close()
	if err != nil {
		releaseBody(buf)
	}
	switch {
	case err == nil:
		cl.body, cl.bodyBuf = body, buf
		return decision{}
	case errors.Is(err, ErrResponseTooLarge):
		return decision{err: cl.fail(err, !cl.idem, fmt.Sprintf("status %d", resp.StatusCode))}
	case cl.idem && !last:
		return decision{retry: true, wait: cl.backoffWait(nil)}
	}
	return decision{err: cl.fail(err, !cl.idem, fmt.Sprintf("status %d: reading response body", resp.StatusCode))}
}

// rejected reports statuses that say the vendor did not apply the request:
// its rate-limit statuses, and 503 with Retry-After.
func (cl *call) rejected(resp *http.Response) bool {
	if cl.c.rateStatus[resp.StatusCode] {
		return true
	}
	if resp.StatusCode == http.StatusServiceUnavailable {
		_, ok := parseRetryAfter(resp.Header.Get("Retry-After"), cl.c.now())
		return ok
	}
	return false
}

// retryableStatus: rejected statuses for every method; 500, 502, 503 and
// 504 also for idempotent requests (repeating one is safe, and a 500 is
// as often transient as the others).
func (cl *call) retryableStatus(resp *http.Response) bool {
	if cl.rejected(resp) {
		return true
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return cl.idem
	}
	return false
}

// mayHaveApplied: a 5xx may come after the vendor applied the request
// (a 500 thrown late, a gateway that timed out waiting), except 501 and 505
// which say the request was not understood.
func mayHaveApplied(status int) bool {
	return status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported
}

// isDialError reports failures to connect: nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dns)
}

// backoffWait: the vendor's Retry-After or reset header if it sent one,
// else exponential backoff with jitter; capped by MaxWait either way. A
// call's first rate-limit answer on a Sliding limit waits for nothing
// more than the limit's window does (the window holds the retry until the
// vendor's window has room); a second one backs off, as the window then
// does not match the vendor's count (another client on the same key, say).
func (cl *call) backoffWait(resp *http.Response) time.Duration {
	rp := cl.c.retry
	if resp != nil {
		if d, ok := cl.c.serverWait(resp.Header); ok {
			return min(d, rp.MaxWait)
		}
		if cl.c.limiter.win != nil && cl.c.rateStatus[resp.StatusCode] {
			if cl.refusals++; cl.refusals == 1 {
				return 0
			}
		}
	}
	return expBackoff(rp.MinWait, rp.MaxWait, cl.n-1, rand.Int64N)
}

// serverWait reads Retry-After, then the vendor's reset headers.
func (c *Client) serverWait(h http.Header) (time.Duration, bool) {
	if d, ok := parseRetryAfter(h.Get("Retry-After"), c.now()); ok {
		return d, true
	}
	if c.resetAfter != nil {
		if d, ok := c.resetAfter(h); ok && d >= 0 {
			return d, true
		}
	}
	return 0, false
}

// expBackoff returns lo*2^n plus up to half of that again as jitter, capped
// by hi. randN(k) returns a number in [0, k).
func expBackoff(lo, hi time.Duration, n int, randN func(int64) int64) time.Duration {
	d := lo
	for i := 0; i < n && d < hi; i++ {
		d *= 2
	}
	if d > hi || d <= 0 {
		d = hi
	}
	if half := int64(d / 2); half > 0 {
		d += time.Duration(randN(half))
	}
	return min(d, hi)
}

// parseRetryAfter reads Retry-After as delay seconds or an HTTP-date
// (RFC 9110 §10.2.3). A date in the past is a zero wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxDuration/time.Second) {
			return maxDuration, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

const maxDuration = time.Duration(1<<63 - 1)

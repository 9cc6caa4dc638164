package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// call is the state of one Client.Do: the request, the current attempt and
// what the retry policy decided. retryablehttp runs its hooks on the calling
// goroutine, so only the per-attempt trace flags need to be atomic.
type call struct {
	c      *Client
	ctx    context.Context
	req    *retryablehttp.Request
	r      *Request // a retry's URL and headers are built from it again
	extra  []string // Request.Secrets
	logURL string   // redacted; built on first use by redactedURL
	idem   bool
	// secrets are Config.Secrets plus the credentials found on the
	// attempt's request (sent), built by secretList when an error or a log
	// record needs them, not on every request.
	secrets  []string
	sent     *http.Request
	found    bool // secrets are sent's
	slot     attemptSlot
	rc       retryablehttp.Client // runs the attempts
	n        int                  // attempts started, from 1
	refusals int                  // rate-limit answers without a vendor wait
	wait     time.Duration        // decided by checkRetry, returned by backoff
	body     []byte               // 2xx body
	pooled   bool                 // Request.Pooled
	bodyBuf  *[]byte              // body's buffer when pooled
	final    *APIError            // non-2xx answer that ends the call
	// sendBody is the first attempt's reader of Request.Body, and bodies
	// counts the readers bodyReader gave.
	sendBody bytes.Reader
	bodies   atomic.Int32
}

// attemptSlot holds the current attempt's record. first is the first
// attempt's, whose trace newCall puts in the call's context: most calls
// take one attempt, and it then needs no copy of the request to trace. A
// retry's request gets a context tracing its own record (the first's
// trace hears it too, when nothing reads that record any more).
type attemptSlot struct {
	cur        atomic.Pointer[attempt]
	first      attempt
	firstTrace httptrace.ClientTrace
}

// attempt records what httptrace saw during one attempt. A late callback
// from an earlier attempt writes to that attempt's record, not this one.
// gotConn says the transport reports to httptrace at all (net/http's
// Transport calls GetConn first): a custom transport that never does proves
// nothing about what it sent.
type attempt struct{ gotConn, wroteHeaders atomic.Bool }

func (a *attempt) trace() *httptrace.ClientTrace {
	t := &httptrace.ClientTrace{}
	a.hook(t)
	return t
}

// hook sets t's hooks to record into a.
func (a *attempt) hook(t *httptrace.ClientTrace) {
	t.GetConn = func(string) { a.gotConn.Store(true) }
	t.WroteHeaders = func() { a.wroteHeaders.Store(true) }
}

func (c *Client) newCall(ctx context.Context, r *Request) (*call, error) {
	cl := &call{c: c, r: r}
	cl.slot.first.hook(&cl.slot.firstTrace)
	ctx = httptrace.WithClientTrace(ctx, &cl.slot.firstTrace)
	req, err := c.newRequest(ctx, r, cl.bodyReader)
	if err != nil {
		return nil, err
	}
	cl.ctx, cl.req = ctx, req
	cl.idem, cl.extra, cl.pooled = idempotent(r), nonEmpty(r.Secrets), r.Pooled
	return cl, nil
}

// bodyReader is the call's retryablehttp.ReaderFunc, giving a reader of
// Request.Body for each attempt. Its first two calls (SetBody taking the
// length, then the first attempt) get the call's own reader; each later
// one (a retry, net/http's GetBody) a new one, as an earlier attempt's
// write may still be reading its own. It is a *bytes.Reader, which
// net/http writes in the same packet as the request head; it flushes the
// head first for a reader of a type it does not know.
func (cl *call) bodyReader() (io.Reader, error) {
	rb := &cl.sendBody
	if cl.bodies.Add(1) > 2 {
		rb = &bytes.Reader{}
	}
	rb.Reset(cl.r.Body)
	return rb, nil
}

// nonEmpty drops empty values (Redact ignores them anyway).
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// url is the request's URL before Authorize (so it never carries
// credentials Authorize adds), built again: newRequest built it from the
// same Request.
func (cl *call) url() url.URL {
	u, _ := cl.c.buildURL(cl.r)
	return u
}

// redactedURL is the request URL for errors and logs, as built before
// Authorize, redacted. Only failures and logging pay for it.
func (cl *call) redactedURL() string {
	if cl.logURL == "" {
		u := cl.url()
		cl.logURL = redactURL(&u, cl.c.secrets)
	}
	return cl.logURL
}

// head is "vendor: METHOD /path", redacted, the start of every error text.
func (cl *call) head() string {
	return errorHead(cl.c.vendor, cl.req.Method, pathOf(cl.redactedURL()))
}

func (cl *call) run() (*http.Response, error) {
	cl.rc = retryablehttp.Client{
		HTTPClient:     cl.c.http,
		RetryMax:       cl.c.retry.MaxRetries,
		RetryWaitMin:   cl.c.retry.MinWait,
		RetryWaitMax:   cl.c.retry.MaxWait,
		RequestLogHook: cl.beforeAttempt,
		CheckRetry:     cl.checkRetry,
		Backoff:        cl.backoff,
		ErrorHandler:   closeAndPass,
	}
	resp, err := cl.rc.Do(cl.req)
	switch {
	case err != nil:
		return nil, cl.finalError(err)
	case cl.final != nil:
		return nil, cl.c.wrapAPI(cl.final)
	}
	return resp, nil
}

// beforeAttempt starts an attempt: fresh trace record (a retry's request
// gets a context tracing into it), pristine URL and headers (so Authorize
// never stacks), then Authorize. The first attempt's request is still as
// built.
func (cl *call) beforeAttempt(_ retryablehttp.Logger, req *http.Request, i int) {
	cl.n = i + 1
	if i == 0 {
		cl.slot.cur.Store(&cl.slot.first)
	} else {
		a := &attempt{}
		cl.slot.cur.Store(a)
		*req = *req.WithContext(httptrace.WithClientTrace(cl.ctx, a.trace()))
		u := cl.url()
		req.URL = &u
		req.Header = make(http.Header, len(cl.r.Header)+2)
		cl.c.setHeader(req.Header, cl.r)
	}
	if cl.c.authorize != nil {
		cl.c.authorize(req)
	}
	cl.sent, cl.found = req, false
}

// secretList returns what redaction hides for this call: the client's
// secrets, the request's, and the credentials on the current attempt.
func (cl *call) secretList() []string {
	if !cl.found {
		cl.secrets = append(append(cl.secrets[:0], cl.c.secrets...), cl.extra...)
		if cl.sent != nil {
			cl.secrets = append(cl.secrets, requestSecrets(cl.sent)...)
		}
		cl.found = true
	}
	return cl.secrets
}

// checkRetry is retryablehttp's CheckRetry: it decides, records the wait
// for backoff and logs the attempt.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	d := cl.decide(ctx, resp, err)
	cl.wait = d.wait
	cl.logAttempt(resp, err, d)
	if d.final != nil {
		cl.final = d.final
	}
	return d.retry, d.err
}

func (cl *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return cl.wait
}

// closeAndPass is retryablehttp's ErrorHandler: our CheckRetry already
// built the error.
func closeAndPass(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil {
		err = errors.New("request failed")
	}
	return nil, err
}

// finalError makes whatever retryablehttp returned (our own error, or the
// context's error when it ends during a backoff wait) redacted and prefixed.
func (cl *call) finalError(err error) error {
	var re *requestError
	if errors.As(err, &re) {
		return err
	}
	return cl.fail(err, false, "")
}

// fail builds the redacted error for a cause.
func (cl *call) fail(cause error, unknown bool, note string) *requestError {
	cause = cl.sanitize(cause)
	msg := errText(cause)
	if note != "" {
		msg = note + ": " + msg
	}
	return &requestError{head: cl.head(), msg: Redact(msg, cl.secretList()...), cause: cause, unknown: unknown}
}

// unavailable is fail for a request that got no answer and was not
// applied: it wraps ErrUnavailable.
func (cl *call) unavailable(cause error, note string) *requestError {
	e := cl.fail(cause, false, note)
	e.unavailable = true
	return e
}

// errText is err's text without the method and URL a *url.Error repeats:
// the error's head already says them.
func errText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

// sanitize replaces the URL inside a *url.Error (which would carry query
// credentials) with the redacted one.
func (cl *call) sanitize(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: cl.redactedURL(), Err: ue.Err}
	}
	return err
}

// logAttempt writes exactly one Debug record per attempt.
func (cl *call) logAttempt(resp *http.Response, err error, d decision) {
	l := cl.c.logger
	if l == nil || !l.Enabled(cl.ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("vendor", cl.c.vendor),
		slog.String("method", cl.req.Method),
		slog.String("url", cl.redactedURL()),
		slog.Int("attempt", cl.n),
	}
	if resp != nil && err == nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	switch {
	case err != nil:
		attrs = append(attrs, slog.String("error", Redact(errText(err), cl.secretList()...)))
	case d.err != nil:
		text := d.err.Error()
		var re *requestError
		if errors.As(d.err, &re) {
			text = re.detail()
		}
		attrs = append(attrs, slog.String("error", text))
	case d.final != nil:
		attrs = append(attrs, slog.String("error", d.final.detail()))
	}
	attrs = append(attrs, slog.Bool("retry", d.retry), slog.Duration("wait", d.wait))
	l.LogAttrs(cl.ctx, slog.LevelDebug, "http attempt", attrs...)
}

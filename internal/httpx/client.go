package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

const version = "0.1.0"

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxRetries       = 4
	DefaultMinWait          = 500 * time.Millisecond
	DefaultMaxWait          = 30 * time.Second
	DefaultMaxResponseBytes = 10 << 20
	DefaultUserAgent        = "rostersync/" + version
)

// RetryPolicy bounds retries. Zero fields take the defaults; a negative
// MaxRetries disables retries.
type RetryPolicy struct {
	MaxRetries       int           // retries after the first attempt; default 4
	MinWait, MaxWait time.Duration // default 500ms, 30s; MaxWait also caps Retry-After
}

// Config configures a Client. Only BaseURL is required.
type Config struct {
	Vendor     string       // "bamboohr": prefixes every error ("bamboohr: GET /v1/...: 404 ...")
	BaseURL    string       // absolute; request paths are joined to it keeping its path prefix
	HTTPClient *http.Client // nil → a pooled client from go-cleanhttp
	Limit      Limit
	Retry      RetryPolicy
	Logger     *slog.Logger        // nil → no logging; one Debug record per attempt
	UserAgent  string              // default "rostersync/<version>"
	Authorize  func(*http.Request) // sets auth headers/query on each attempt
	Secrets    []string            // literal secret values redacted from every error/log string
	// MaxResponseBytes caps response bodies; default 10 MiB. A larger 2xx body
	// is an error (ErrResponseTooLarge), never silently truncated.
	MaxResponseBytes int64
	// DecodeError extracts the vendor's error code and message from a non-2xx reply.
	// nil → common JSON shapes ({"message"}, {"error":{"code","message"}}, ...) or plain text.
	DecodeError func(resp *http.Response, body []byte) (code, message string)
	// ResetAfter reads vendor rate-limit reset headers (used when Retry-After is absent).
	ResetAfter func(h http.Header) (time.Duration, bool)
	// RateLimitStatuses are the statuses the vendor uses for "slow down"
	// (nil → {429}). They are retried for every method, since the vendor
	// rejected the request, and match ErrRateLimited.
	RateLimitStatuses []int
	// WrapAPIError turns the shared *APIError into the vendor's own error
	// type (a struct embedding APIError), so that errors.As can tell one
	// vendor's answers from another's. nil returns the *APIError itself.
	WrapAPIError func(*APIError) error
}

// Format prints the config without its secrets or credentials.
func (c Config) Format(f fmt.State, verb rune) {
	u, _ := url.Parse(c.BaseURL)
	fmt.Fprintf(f, "httpx.Config{Vendor: %q, BaseURL: %q, Limit: %+v, Retry: %+v, Secrets: %d redacted}",
		c.Vendor, redactURL(u, c.Secrets), c.Limit, c.Retry, len(c.Secrets))
}

// LogValue logs the config without its secrets or credentials.
func (c Config) LogValue() slog.Value {
	u, _ := url.Parse(c.BaseURL)
	return slog.GroupValue(slog.String("vendor", c.Vendor), slog.String("base", redactURL(u, c.Secrets)))
}

// Client sends requests to one vendor with rate limiting, retries and
// redacted errors. It is safe for concurrent use; all goroutines share its
// rate limiter.
type Client struct {
	vendor      string
	base        *url.URL
	http        *http.Client // wraps the caller's transport with the limiter
	limiter     pacer
	retry       RetryPolicy
	logger      *slog.Logger
	userAgent   string
	authorize   func(*http.Request)
	secrets     []string
	maxBody     int64
	decodeError func(*http.Response, []byte) (string, string)
	resetAfter  func(http.Header) (time.Duration, bool)
	rateStatus  map[int]bool
	wrapAPI     func(*APIError) error
	now         func() time.Time // injectable in tests
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := parseBase(cfg.BaseURL, cfg.Secrets)
	if err != nil {
		return nil, err
	}
	lim, err := cfg.Limit.limiter()
	if err != nil {
		return nil, fmt.Errorf("httpx: %w", err)
	}
	rp, err := cfg.Retry.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("httpx: %w", err)
	}
	if cfg.MaxResponseBytes < 0 {
		return nil, fmt.Errorf("httpx: MaxResponseBytes %d is negative", cfg.MaxResponseBytes)
	}
	c := &Client{
		vendor: cfg.Vendor, base: base, limiter: lim, retry: rp, logger: cfg.Logger,
		userAgent: cfg.UserAgent, authorize: cfg.Authorize, maxBody: cfg.MaxResponseBytes,
		decodeError: cfg.DecodeError, resetAfter: cfg.ResetAfter,
		secrets:    append([]string(nil), cfg.Secrets...),
		rateStatus: map[int]bool{http.StatusTooManyRequests: true},
		wrapAPI:    cfg.WrapAPIError,
		now:        time.Now,
	}
	if c.wrapAPI == nil {
		c.wrapAPI = func(e *APIError) error { return e }
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.maxBody == 0 {
		c.maxBody = DefaultMaxResponseBytes
	}
	// A body is read up to the cap plus one byte, which tells an overflow:
	// the largest cap is one less than MaxInt64, so that the sum cannot wrap.
	c.maxBody = min(c.maxBody, math.MaxInt64-1)
	if c.decodeError == nil {
		c.decodeError = decodeErrorBody
	}
	if cfg.RateLimitStatuses != nil {
		c.rateStatus = map[int]bool{}
		for _, s := range cfg.RateLimitStatuses {
			c.rateStatus[s] = true
		}
	}
	c.http = limitedClient(cfg.HTTPClient, lim, func(resp *http.Response) bool { return c.rateStatus[resp.StatusCode] })
	return c, nil
}

func parseBase(raw string, secrets []string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("httpx: BaseURL is not a URL: %s", Redact(err.Error(), secrets...))
	}
	if !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("httpx: BaseURL %q must be an absolute http(s) URL", redactURL(u, secrets))
	}
	return u, nil
}

// Format prints the client without its secrets or credentials.
func (c *Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "httpx.Client{vendor: %q, base: %q}", c.vendor, redactURL(c.base, c.secrets))
}

// LogValue logs the client without its secrets or credentials.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("vendor", c.vendor), slog.String("base", redactURL(c.base, c.secrets)))
}

// Request is one call to the vendor.
type Request struct {
	Method string
	// Path is relative to BaseURL ("employees/12" or "/employees/12" both join
	// under the base path). It is in escaped form: escape variable segments
	// with url.PathEscape. A "?query" suffix is merged into Query.
	Path  string
	Query url.Values
	// RawQuery is a query already encoded, for a caller that sends the
	// same one on many requests: it is sent as it is when it is the only
	// query (no Query, none in Path or BaseURL), else merged like Query.
	RawQuery    string
	Header      http.Header // only read: requests may share one
	Body        []byte
	ContentType string // set when Body != nil
	Idempotent  *bool  // nil → by method: GET/HEAD/PUT/DELETE/OPTIONS yes, POST/PATCH no
	// Pooled reads the 2xx body into a reused buffer, for a caller that
	// decodes it and keeps nothing of it: call Response.Release when done.
	Pooled bool
	// Secrets are values this request carries (a password in a form body)
	// that are redacted, like Config.Secrets, from this call's errors and
	// log records, should the vendor echo them back.
	Secrets []string
}

// Format prints the method and path only: headers and body may carry credentials.
func (r Request) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "httpx.Request{%s %s}", r.Method, Redact(r.Path))
}

// Response is a 2xx answer with its body read in full.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	pooled     *[]byte // Body's buffer, for Request.Pooled
}

// Release gives the buffer of a Request.Pooled body back for reuse; Body
// is empty afterwards. It does nothing on other responses, or on nil.
func (r *Response) Release() {
	if r == nil || r.pooled == nil {
		return
	}
	releaseBody(r.pooled)
	r.pooled, r.Body = nil, nil
}

// Do sends r with rate limiting and retries. 2xx → (*Response, nil).
// Non-2xx after retries → *APIError. A non-idempotent request that may have
// been applied → an error wrapping ErrOutcomeUnknown and its cause.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	resp, _, err := c.do(ctx, r)
	return resp, err
}

// do is Do, also returning the call for helpers that build further errors.
func (c *Client) do(ctx context.Context, r *Request) (*Response, *call, error) {
	cl, err := c.newCall(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	resp, err := cl.run()
	if err != nil {
		return nil, cl, err
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: cl.body, pooled: cl.bodyBuf}, cl, nil
}

// buildURL joins r.Path under the base path and merges the queries.
func (c *Client) buildURL(r *Request) (url.URL, error) {
	p, rawQuery, _ := strings.Cut(r.Path, "?")
	u := *c.base
	escaped := strings.TrimSuffix(c.base.EscapedPath(), "/") + "/" + strings.TrimPrefix(p, "/")
	unescaped, err := url.PathUnescape(escaped)
	if err != nil {
		return url.URL{}, fmt.Errorf("bad path %q: %w", Redact(r.Path, c.secrets...), err)
	}
	// RawPath as url.Parse sets it: only when the path's escaping is not
	// the default one.
	u.Path, u.RawPath = unescaped, ""
	if u.EscapedPath() != escaped {
		u.RawPath = escaped
	}
	u.Fragment, u.RawFragment = "", ""
	if c.base.RawQuery == "" && rawQuery == "" {
		// The usual case: the request's query alone, with nothing to merge.
		switch {
		case r.RawQuery == "":
			u.RawQuery = r.Query.Encode()
			return u, nil
		case len(r.Query) == 0:
			u.RawQuery = r.RawQuery
			return u, nil
		}
	}
	q := c.base.Query()
	extra, err := url.ParseQuery(rawQuery)
	if err != nil {
		return url.URL{}, fmt.Errorf("bad query in path: %s", Redact(err.Error(), c.secrets...))
	}
	given, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		return url.URL{}, fmt.Errorf("bad RawQuery: %s", Redact(err.Error(), c.secrets...))
	}
	for _, vs := range []url.Values{extra, given, r.Query} {
		for k, v := range vs {
			q[k] = append(q[k], v...)
		}
	}
	u.RawQuery = q.Encode()
	return u, nil
}

// newRequest builds r's request, reading its body through body. The URL
// is built once: the request is made on an empty URL that then gets it,
// as http.NewRequest would print it and parse it back.
func (c *Client) newRequest(ctx context.Context, r *Request, body retryablehttp.ReaderFunc) (*retryablehttp.Request, error) {
	if r == nil || r.Method == "" {
		return nil, errors.New("httpx: request has no method")
	}
	u, err := c.buildURL(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", errorHead(c.vendor, r.Method, Redact(r.Path, c.secrets...)), err)
	}
	failed := func(err error) error {
		return fmt.Errorf("%s: %s", errorHead(c.vendor, r.Method, pathOf(redactURL(&u, c.secrets))), Redact(err.Error(), c.secrets...))
	}
	hreq, err := http.NewRequestWithContext(ctx, r.Method, "", nil)
	if err != nil {
		return nil, failed(err)
	}
	*hreq.URL = u
	// Host stays empty, for net/http to send URL.Host, unless it differs:
	// http.Client copies the URL of a request that sets Host.
	if h := removeEmptyPort(u.Host); h != u.Host {
		hreq.Host = h
	}
	c.setHeader(hreq.Header, r)
	req := &retryablehttp.Request{Request: hreq}
	var rb any // nil, not a nil ReaderFunc, for no body
	if r.Body != nil {
		rb = body
	}
	if err := req.SetBody(rb); err != nil {
		return nil, failed(err)
	}
	return req, nil
}

// removeEmptyPort drops the ":" of a host with an empty port, as
// http.NewRequest does.
func removeEmptyPort(host string) string {
	if strings.LastIndex(host, ":") > strings.LastIndex(host, "]") {
		return strings.TrimSuffix(host, ":")
	}
	return host
}

// setHeader sets r's headers on the empty h, with Content-Type and
// User-Agent. The values share one slice, each capped so that appending
// to one (Header.Add) copies it rather than overwriting the next.
func (c *Client) setHeader(h http.Header, r *Request) {
	n := 2
	for _, v := range r.Header {
		n += len(v)
	}
	vals := make([]string, 0, n)
	set := func(k string, v ...string) {
		if len(v) == 0 {
			h[k] = nil
			return
		}
		vals = append(vals, v...)
		h[k] = vals[len(vals)-len(v) : len(vals) : len(vals)]
	}
	for k, v := range r.Header {
		set(k, v...)
	}
	if r.Body != nil && r.ContentType != "" {
		set("Content-Type", r.ContentType)
	}
	if h.Get("User-Agent") == "" {
		set("User-Agent", c.userAgent)
	}
}

func idempotent(r *Request) bool {
	if r.Idempotent != nil {
		return *r.Idempotent
	}
	switch strings.ToUpper(r.Method) {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// readBody reads at most max bytes; more is ErrResponseTooLarge. size is
// the Content-Length (-1 when unknown): a known length is read into one
// slice of that size, an unknown one into pooled chunks and then copied
// into one slice of its exact size, so that a large body is allocated
// once, not about three times over as a growing slice would be (a
// 10,000-row BambooHR report, 3.5 MB sent chunked, cost 15 MB).
func readBody(body io.Reader, size, max int64) ([]byte, error) {
	if size >= 0 {
		return readLimited(body, max, make([]byte, 0, min(size, max)+1))
	}
	var chunks []*[]byte
	defer func() {
		for _, c := range chunks {
			bodyChunks.Put(c)
		}
	}()
	left, total := max+1, 0
	var err error
	for left > 0 && err == nil {
		c := bodyChunks.Get().(*[]byte)
		chunks = append(chunks, c)
		*c, err = readAll(body, (*c)[:0], min(left, int64(cap(*c))))
		left -= int64(len(*c))
		total += len(*c)
		if len(*c) < cap(*c) {
			break // EOF or an error: readAll stops short only then
		}
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, *c...)
	}
	if err != nil {
		return out, err
	}
	return capped(out, max)
}

// bodyChunks are readBody's buffers for a body of unknown length.
var bodyChunks = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// readBodyPooled is readBody into a pooled buffer, given back with
// releaseBody once nothing uses b. A pooled buffer too small for a known
// size is replaced rather than grown, by one an eighth larger: the pages
// of a listing differ by a few bytes, and each would otherwise need a
// buffer of its own.
func readBodyPooled(body io.Reader, size, max int64) (*[]byte, []byte, error) {
	bp := bodyBuffers.Get().(*[]byte)
	if n := min(size, max) + 1; size >= 0 && int64(cap(*bp)) < n {
		*bp = make([]byte, 0, min(n+n/8, max+1))
	}
	b, err := readLimited(body, max, (*bp)[:0])
	*bp = b
	return bp, b, err
}

func releaseBody(bp *[]byte) {
	if bp != nil && cap(*bp) <= maxPooledBody {
		*bp = (*bp)[:0]
		bodyBuffers.Put(bp)
	}
}

func readLimited(body io.Reader, max int64, b []byte) ([]byte, error) {
	b, err := readAll(body, b, max+1)
	if err != nil {
		return b, err
	}
	return capped(b, max)
}

// capped is b read with a limit of max+1 bytes: over max, the first max
// and ErrResponseTooLarge.
func capped(b []byte, max int64) ([]byte, error) {
	if int64(len(b)) > max {
		return b[:max], fmt.Errorf("%w: more than %d bytes (MaxResponseBytes)", ErrResponseTooLarge, max)
	}
	return b, nil
}

// maxPooledBody bounds the buffers bodyBuffers keeps.
const maxPooledBody = 4 << 20

var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// readAll is io.ReadAll of at most n bytes (as through io.LimitReader,
// without allocating one) appending to b, doubling b as it fills: a large
// body of unknown length is allocated about twice its size in all, where
// append's growth (a quarter at a time past 256 bytes) allocates it about
// five times over.
func readAll(r io.Reader, b []byte, n int64) ([]byte, error) {
	for n > 0 {
		if len(b) == cap(b) {
			b = slices.Grow(b, max(len(b), 512))
		}
		p := b[len(b):cap(b)]
		if int64(len(p)) > n {
			p = p[:n]
		}
		k, err := r.Read(p)
		b = b[:len(b)+k]
		n -= int64(k)
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
	return b, nil
}

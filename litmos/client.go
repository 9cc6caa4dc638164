package litmos

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Region is the Litmos data centre that holds an account; an API key works only
// against its own region
// (https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API).
type Region string

// The Litmos regions.
const (
	US Region = "US" // https://api.litmos.com/v1.svc
	EU Region = "EU" // https://api.litmoseu.com/v1.svc
	AU Region = "AU" // https://api.litmos.com.au/v1.svc
)

var regionURLs = map[Region]string{
	US: "https://api.litmos.com/v1.svc",
	EU: "https://api.litmoseu.com/v1.svc",
	AU: "https://api.litmos.com.au/v1.svc",
}

// DefaultRateLimit is the documented limit: 100 requests a minute per API key
// (https://www.litmos.com/docs/litmos/apis/locate-your-api-key). The client
// paces itself to stay under it.
const DefaultRateLimit = 100

// PacedLimit is the client's default pacing on a window of per (a minute
// for Litmos; shorter for fakes that run faster): a sliding window of
// DefaultRateLimit requests, so that no interval of length per holds more
// than DefaultRateLimit requests as Litmos receives them, however late the
// network delivers one. Litmos documents the count, not how it keeps the
// window; keeping every interval under the limit satisfies a fixed window
// (a calendar minute) as well as a sliding one. A full window may go at
// once, and each request counts from its send until per after its answer
// (see Limit), plus a Margin of per/1000 (60 ms a minute, more than the
// clocks of servers kept by NTP differ) in case Litmos stamps requests on
// several servers.
func PacedLimit(per time.Duration) Limit {
	return Limit{Requests: DefaultRateLimit, Per: per, Sliding: true, Margin: per / 1000}
}

// RetryPolicy bounds retries of failed requests; zero fields take the Litmos
// defaults (6 retries, waits from 1s doubling to 60s: over a minute in all, as
// Litmos limits per minute,
// https://www.litmos.com/docs/litmos/apis/locate-your-api-key, and documents no
// Retry-After). Rate-limit answers (503, 429) are retried after the wait; a
// create is retried only when Litmos cannot have applied it.
type RetryPolicy = httpx.RetryPolicy

// Limit is a request rate: Requests per Per, a token bucket with Burst at
// once, or a sliding window when Sliding is set (see PacedLimit).
type Limit = httpx.Limit

// Secret holds a credential; it prints as REDACTED through fmt, JSON and slog.
type Secret = httpx.Secret

// Default retry policy: back off up to about 60s on 503/429, since the limit
// is per minute (https://www.litmos.com/docs/litmos/apis/locate-your-api-key).
const (
	defaultMaxRetries = 6
	defaultMinWait    = time.Second
	defaultMaxWait    = time.Minute
)

// withRetryDefaults fills the zero fields of p with the Litmos defaults.
func withRetryDefaults(p RetryPolicy) RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = defaultMaxRetries
	}
	if p.MaxWait == 0 {
		p.MaxWait = defaultMaxWait
	}
	if p.MinWait == 0 {
		p.MinWait = min(defaultMinWait, p.MaxWait)
	}
	return p
}

// Client calls the Litmos REST API. It is safe for concurrent use; all
// calls share one rate limiter, as Litmos limits per API key.
type Client struct {
	http     *httpx.Client
	source   string
	bulkPoll time.Duration
	// plainQuery is query() encoded, and createQuery the query of a user
	// create by [sendmessage][skipfirstlogin]: encoded once, as most
	// requests carry nothing else.
	plainQuery  string
	createQuery [2][2]string
}

type config struct {
	httpx.Settings
	bulkPoll time.Duration
}

// Option configures a Client. An option given a bad value makes New fail
// with an error naming it.
type Option func(*config) error

// WithRegion selects the data centre (default US).
func WithRegion(r Region) Option {
	return func(c *config) error {
		u, ok := regionURLs[r]
		if !ok {
			return fmt.Errorf("unknown region %q (want US, EU or AU)", string(r))
		}
		c.BaseURL = u
		return nil
	}
}

// WithBaseURL overrides the base URL, for proxies and fakes; it includes the
// service path, e.g. "https://api.litmos.com/v1.svc".
func WithBaseURL(u string) Option { return func(c *config) error { return c.SetBaseURL(u) } }

// WithHTTPClient sets the *http.Client whose transport carries the
// requests; nil is an error.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithRateLimit paces the client's own requests (Requests 0 turns pacing
// off). The default is PacedLimit(time.Minute): at most 100 requests in any
// minute as Litmos receives them, the limit per key
// (https://www.litmos.com/docs/litmos/apis/locate-your-api-key).
func WithRateLimit(l Limit) Option { return func(c *config) error { return c.SetRateLimit(l) } }

// WithLogger logs one debug record per HTTP attempt (the API key is never logged).
func WithLogger(l *slog.Logger) Option { return func(c *config) error { return c.SetLogger(l) } }

// WithUserAgent sets the User-Agent header (one line).
func WithUserAgent(ua string) Option { return func(c *config) error { return c.SetUserAgent(ua) } }

// WithRetry sets the retry policy; a negative MaxRetries turns retries off.
func WithRetry(p RetryPolicy) Option { return func(c *config) error { return c.SetRetry(p) } }

// WithBulkPoll sets how long WaitBulkImport (and so ImportUsers) waits
// before each poll of a bulk import when WaitParams.Interval is zero
// (default 5s, 12 of the 100 calls a minute Litmos allows). It must be
// positive; fakes use a millisecond.
func WithBulkPoll(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithBulkPoll: interval %v is not positive", d)
		}
		c.bulkPoll = d
		return nil
	}
}

// New returns a client for the account that owns apiKey. source is the
// free-text name of the calling application that Litmos requires on every
// request (at most 50 characters,
// https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API).
// Neither ever appears in an error or a log record: URLs show "REDACTED" for
// the source, and a vendor message echoing it has it blanked.
func New(apiKey, source string, opts ...Option) (*Client, error) {
	if apiKey == "" {
		return nil, errors.New("litmos: New: API key is empty")
	}
	if source == "" {
		return nil, errors.New("litmos: New: source is empty (Litmos requires it on every request)")
	}
	if n := utf8.RuneCountInString(source); n > 50 {
		return nil, fmt.Errorf("litmos: New: source is %d characters, Litmos allows at most 50", n)
	}
	cfg := config{Settings: httpx.Settings{BaseURL: regionURLs[US]}}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, wrapf(err, "New")
		}
	}
	keyHeader := []string{apiKey}
	hc, err := httpx.New(httpx.Config{
		Vendor:     "litmos",
		BaseURL:    cfg.BaseURL,
		HTTPClient: cfg.HTTPClient,
		Limit:      cfg.RateLimit(PacedLimit(time.Minute)),
		Retry:      withRetryDefaults(cfg.Retry),
		Logger:     cfg.Logger,
		UserAgent:  cfg.UserAgent,
		// The key goes in a header, never the query
		// (https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API).
		// One value slice for every request (nothing writes into it; an
		// append copies it): Header.Set would allocate it, and the
		// canonical name, on each attempt.
		Authorize: func(r *http.Request) { r.Header["Apikey"] = keyHeader },
		// The source is in every URL: "source=<value>" is redacted from
		// errors and logs as a whole, so a source that is a common word
		// ("users") does not blank that word everywhere else.
		Secrets: []string{apiKey, "source=" + url.QueryEscape(source)},
		// Litmos answers 503 when over its limit ("The API rating limit has been
		// exceeded", https://api.sap.com/api/LitmosAPIdetails/overview); 429 is
		// handled the same.
		RateLimitStatuses: []int{http.StatusServiceUnavailable, http.StatusTooManyRequests},
		DecodeError: func(resp *http.Response, body []byte) (string, string) {
			code, msg := decodeError(resp, body)
			return redactWord(code, source), redactWord(msg, source)
		},
		WrapAPIError: wrapAPIError(source),
	})
	if err != nil {
		return nil, wrapf(err, "New")
	}
	c := &Client{http: hc, source: source, bulkPoll: cmp.Or(cfg.bulkPoll, 5*time.Second)}
	c.plainQuery = c.query().Encode()
	for i, send := range []bool{false, true} {
		for j, skip := range []bool{false, true} {
			c.createQuery[i][j] = c.createUserQuery(CreateUserParams{SendMessage: send, SkipFirstLogin: skip}).Encode()
		}
	}
	return c, nil
}

// Format prints the client without its credentials: the source shows as
// REDACTED, as it does in errors.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "litmos.Client{%v, source: REDACTED}", c.http)
}

// query returns the parameters every call carries: source and format=json
// (JSON only on request, "set to json", https://api.sap.com/api/LitmosAPIdetails/overview;
// Accept: application/json is sent too).
func (c *Client) query(extra ...string) url.Values {
	q := url.Values{"source": {c.source}, "format": {"json"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

// get fetches path as JSON into a reused buffer: the caller decodes the
// body, keeping nothing of it, and then calls Release.
func (c *Client) get(ctx context.Context, path string, q url.Values) (*httpx.Response, error) {
	resp, err := c.http.Do(ctx, &httpx.Request{
		Method: http.MethodGet, Path: path, Query: q,
		Header: acceptJSON,
		Pooled: true,
	})
	if err != nil {
		return nil, err
	}
	if err := checkJSON(resp); err != nil {
		resp.Release()
		return nil, wrapf(err, "GET %s", path)
	}
	return resp, nil
}

// getRecord fetches the record id of collection (GET {collection}/{id});
// kind names it in errors.
func getRecord[T any](ctx context.Context, c *Client, kind, collection, id string) (*T, error) {
	if id == "" {
		return nil, fmt.Errorf("litmos: get %s: id is empty", kind)
	}
	path := collection + "/" + url.PathEscape(id)
	resp, err := c.get(ctx, path, c.query())
	if err != nil {
		return nil, err
	}
	defer resp.Release() // decodeObject keeps copies
	var out T
	if err := decodeObject(resp.Body, &out); err != nil {
		return nil, wrapf(err, "GET %s", path)
	}
	return &out, nil
}

// checkJSON rejects a body that is XML or HTML instead of the JSON asked for.
func checkJSON(resp *httpx.Response) error {
	for _, b := range resp.Body {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case '<':
			return fmt.Errorf("the answer is XML or HTML (Content-Type %q), not JSON", resp.Header.Get("Content-Type"))
		}
		return nil
	}
	return nil
}

// readCreated decodes a create reply into dst, whose Id field is *id. The
// record exists by now, so a reply that is unreadable or lacks the new Id
// is an error matching ErrOutcomeUnknown (see unreadableCreate).
func readCreated(resp *httpx.Response, dst any, id *string) error {
	err := checkJSON(resp)
	if err == nil {
		err = decodeObject(resp.Body, dst)
	}
	if err != nil || *id == "" {
		return unreadableCreate(err)
	}
	return nil
}

// send issues a write with a JSON (or XML) body. Content-Type is always set,
// also on DELETE, where Litmos requires it
// (https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API:
// every request carries a content-type; required on DELETE in
// https://api.sap.com/api/LitmosAPIdetails/overview).
// The query comes encoded (q.Encode(), or c.plainQuery).
func (c *Client) send(ctx context.Context, method, path, rawQuery string, body []byte, contentType string, idempotent *bool) (*httpx.Response, error) {
	return c.http.Do(ctx, writeRequest(method, path, rawQuery, body, contentType, idempotent))
}

// writeRequest is the request send sends.
func writeRequest(method, path, rawQuery string, body []byte, contentType string, idempotent *bool) *httpx.Request {
	if contentType == "" {
		contentType = "application/json"
	}
	h := writeHeaders[contentType]
	if h == nil {
		h = http.Header{"Accept": {"application/json"}, "Content-Type": {contentType}}
	}
	return &httpx.Request{
		Method: method, Path: path, RawQuery: rawQuery, Body: body, ContentType: contentType,
		Header: h, Idempotent: idempotent,
	}
}

// acceptJSON and writeHeaders are the headers of reads and of writes by
// Content-Type, shared by every request: httpx only reads a
// Request.Header, copying it into each attempt's request.
var (
	acceptJSON   = http.Header{"Accept": {"application/json"}}
	writeHeaders = map[string]http.Header{
		"application/json": {"Accept": {"application/json"}, "Content-Type": {"application/json"}},
		"application/xml":  {"Accept": {"application/json"}, "Content-Type": {"application/xml"}},
	}
)

func boolPtr(b bool) *bool { return &b }

package hibob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Secret holds a credential. It prints as "REDACTED" through fmt, JSON and
// slog; Reveal returns the value.
type Secret = httpx.Secret

// Limit is a client-side rate limit: Requests per Per, with Burst at once.
type Limit = httpx.Limit

// RetryPolicy bounds retries: MaxRetries after the first attempt, waits
// between MinWait and MaxWait (which also caps Retry-After). Zero fields take
// the HiBob defaults: 4 retries, waits from 1s up to 60s, since HiBob limits
// per minute.
type RetryPolicy = httpx.RetryPolicy

// Base URLs of the API; the version is part of the path
// (https://apidocs.hibob.com/docs/getting-started).
const (
	DefaultBaseURL = "https://api.hibob.com/v1"
	SandboxBaseURL = "https://api.sandbox.hibob.com/v1"
)

// Default retry waits: HiBob's limits are per minute and its Retry-After may
// say up to a minute (https://apidocs.hibob.com/docs/rate-limit).
const (
	defaultMinWait = time.Second
	defaultMaxWait = time.Minute
)

// Client calls one HiBob company's API as a service user. It is safe for
// concurrent use; each Endpoint group has its own rate limiter, shared by
// all goroutines.
type Client struct {
	http   [endpointCount]*httpx.Client
	limits [endpointCount]Limit
}

// options collects what the Options set.
type options struct {
	httpx.Settings
	endpoint map[Endpoint]Limit
}

// Option configures New. An option given a bad value makes New fail with an
// error naming it.
type Option func(*options) error

// WithBaseURL sets the URL that API paths ("people/search") are joined to,
// version included: DefaultBaseURL, SandboxBaseURL, a proxy or a fake
// ("http://127.0.0.1:4321/v1").
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sets the *http.Client whose transport carries the
// requests; nil is an error.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithRateLimit paces every Endpoint group with l instead of its default
// (Requests 0 turns pacing off); WithEndpointRateLimit overrides it for one
// group.
func WithRateLimit(l Limit) Option { return func(o *options) error { return o.SetRateLimit(l) } }

// WithRetry sets the retry policy; a negative MaxRetries turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithLogger logs one debug record per request attempt, with no credentials.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithUserAgent sets the User-Agent header (one line).
func WithUserAgent(ua string) Option { return func(o *options) error { return o.SetUserAgent(ua) } }

// New returns a client that acts as the service user serviceUserID with its
// token, both shown once when a Bob admin creates the service user
// (Settings → Integrations → Service users). HiBob takes them as HTTP Basic
// auth, the ID as the user name and the token as the password
// (https://apidocs.hibob.com/docs/api-service-users). A new service user has
// no permissions: fields of a category it may not view are silently left
// out of every answer. New makes no request.
func New(serviceUserID, token string, opts ...Option) (*Client, error) {
	if err := checkCredential("service user ID", serviceUserID, false); err != nil {
		return nil, err
	}
	if strings.Contains(serviceUserID, ":") {
		return nil, errors.New("hibob: service user ID contains a colon")
	}
	if err := checkCredential("service user token", token, true); err != nil {
		return nil, err
	}
	tok := Secret(token)
	return newClient(opts, func(r *http.Request) { r.SetBasicAuth(serviceUserID, tok.Reveal()) }, token)
}

// NewWithAccessToken returns a client that sends a legacy personal API
// access token raw in the Authorization header, as HiBob once took it (no
// "Basic" or "Bearer" prefix). The token acts with its employee's
// permissions.
//
// Deprecated: HiBob stopped issuing access tokens on 2024-06-15 and switched
// them off on 2024-10-31
// (https://apidocs.hibob.com/docs/transition-from-api-access-tokens). Create
// a service user and call New; this constructor exists for gateways and
// tenants that still accept the old header.
func NewWithAccessToken(token string, opts ...Option) (*Client, error) {
	if err := checkCredential("access token", token, true); err != nil {
		return nil, err
	}
	tok := Secret(token)
	return newClient(opts, func(r *http.Request) { r.Header.Set("Authorization", tok.Reveal()) }, token)
}

// checkCredential refuses an empty value or one that cannot travel in a
// header; a secret's value is never shown.
func checkCredential(what, v string, secret bool) error {
	if v == "" {
		return fmt.Errorf("hibob: %s is empty", what)
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }); i >= 0 {
		if secret {
			return fmt.Errorf("hibob: %s contains whitespace or a control character", what)
		}
		return fmt.Errorf("hibob: %s %q contains whitespace or a control character", what, truncate(v, 60))
	}
	return nil
}

// MaxSearchResponseBytes caps the answer of the people search, which has
// no paging (https://apidocs.hibob.com/docs/people-read-api-contract): a
// company of 10,000 answers with tens of MiB at once, more than the
// 10 MiB every other call is allowed.
const MaxSearchResponseBytes = 1 << 30

func newClient(opts []Option, auth func(*http.Request), secret string) (*Client, error) {
	o := options{Settings: httpx.Settings{BaseURL: DefaultBaseURL}}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("hibob: %w", err)
		}
	}
	c := &Client{}
	for _, ep := range endpoints {
		lim := o.limitFor(ep)
		var maxBody int64 // the default
		if ep == SearchEndpoint {
			maxBody = MaxSearchResponseBytes
		}
		hc, err := httpx.New(httpx.Config{
			Vendor:           "hibob",
			BaseURL:          o.BaseURL,
			HTTPClient:       o.HTTPClient,
			Limit:            lim,
			Retry:            withRetryDefaults(o.Retry),
			Logger:           o.Logger,
			UserAgent:        o.UserAgent,
			Authorize:        auth,
			Secrets:          []string{secret},
			DecodeError:      decodeError,
			WrapAPIError:     wrapAPIError,
			MaxResponseBytes: maxBody,
		})
		if err != nil {
			return nil, fmt.Errorf("hibob: %w", err)
		}
		c.http[ep.index()], c.limits[ep.index()] = hc, lim
	}
	return c, nil
}

func withRetryDefaults(p RetryPolicy) RetryPolicy {
	if p.MaxWait == 0 {
		p.MaxWait = defaultMaxWait
	}
	if p.MinWait == 0 {
		p.MinWait = min(defaultMinWait, p.MaxWait)
	}
	return p
}

// Format prints the client without its credentials.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "hibob.Client{%v}", c.http[0])
}

// LogValue logs the client without its credentials.
func (c *Client) LogValue() slog.Value { return c.http[0].LogValue() }

// call is one JSON request: Accept: application/json always, Content-Type:
// application/json only with a body (HiBob answers some GETs sent with a
// Content-Type 400, https://apidocs.hibob.com/reference/error-handling).
type call struct {
	ep           Endpoint
	method, path string
	query        url.Values
	in, out      any
	idempotent   *bool
}

// retrySafe marks a POST that only reads (search, read one) as safe to retry.
func retrySafe() *bool { b := true; return &b }

func (c *Client) do(ctx context.Context, cl call) (*httpx.Response, error) {
	req := &httpx.Request{
		Method:     cl.method,
		Path:       cl.path,
		Query:      cl.query,
		Header:     http.Header{"Accept": {"application/json"}},
		Idempotent: cl.idempotent,
	}
	if cl.in != nil {
		b, err := json.Marshal(cl.in)
		if err != nil {
			return nil, fmt.Errorf("encode body: %w", err)
		}
		req.Body, req.ContentType = b, "application/json"
	}
	resp, err := c.http[cl.ep.index()].DoDecode(ctx, req, cl.out)
	if err == nil && cl.out != nil && len(bytes.TrimSpace(resp.Body)) == 0 {
		return resp, fmt.Errorf("%s %s: empty response body, want JSON", cl.method, cl.path)
	}
	return resp, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

package bamboohr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Secret holds a credential. It prints as "REDACTED" through fmt, JSON and
// slog; Reveal returns the value.
type Secret = httpx.Secret

// Limit is a client-side rate limit: Requests per Per, with Burst.
type Limit = httpx.Limit

// RetryPolicy bounds retries: MaxRetries after the first attempt, waits
// between MinWait and MaxWait (which also caps Retry-After).
type RetryPolicy = httpx.RetryPolicy

// Client calls one BambooHR company's API with an API key. It is safe for
// concurrent use.
type Client struct {
	http      *httpx.Client
	subdomain string
}

// options collects what the Options set.
type options struct{ httpx.Settings }

// Option configures New and Login. An option given a bad value makes New
// fail with an error naming it.
type Option func(*options) error

// WithBaseURL sets the URL that version paths ("v1/employees/4") are joined
// to, for the legacy gateway form (see GatewayBaseURL), proxies and tests.
// The default is DefaultBaseURL(subdomain).
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sets the *http.Client whose transport carries the
// requests; nil is an error.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithRateLimit limits the client's own request rate; Requests 0 (the
// default) sends unpaced. BambooHR publishes no numbers
// (https://documentation.bamboohr.com/docs/api-details: requests "can be
// throttled"); the client always honours 429 Retry-After.
func WithRateLimit(l Limit) Option { return func(o *options) error { return o.SetRateLimit(l) } }

// WithRetry sets the retry policy.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithLogger logs one debug record per request attempt, with no credentials.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithUserAgent sets the User-Agent header (one line).
func WithUserAgent(ua string) Option { return func(o *options) error { return o.SetUserAgent(ua) } }

var subdomainRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// DefaultBaseURL is the base URL New uses: https://{subdomain}.bamboohr.com/api/
// (https://documentation.bamboohr.com/docs/api-details).
func DefaultBaseURL(subdomain string) string {
	return "https://" + subdomain + ".bamboohr.com/api/"
}

// GatewayBaseURL is the legacy, still-working base URL
// https://api.bamboohr.com/api/gateway.php/{subdomain}/, the form earlier
// versions of https://documentation.bamboohr.com/docs/api-details gave.
func GatewayBaseURL(subdomain string) string {
	return "https://api.bamboohr.com/api/gateway.php/" + subdomain + "/"
}

// New returns a client for the company at https://{subdomain}.bamboohr.com
// using apiKey, an API key created in BambooHR under the user menu, "API
// Keys" (https://documentation.bamboohr.com/reference/getting-started).
// Pasting a key is the normal way to connect; Login
// exists for partners that hold an application key.
func New(subdomain, apiKey string, opts ...Option) (*Client, error) {
	if !subdomainRe.MatchString(subdomain) {
		return nil, fmt.Errorf("bamboohr: subdomain %q is not a BambooHR company domain (the \"acme\" in acme.bamboohr.com)", truncate(subdomain, 80))
	}
	if apiKey == "" {
		return nil, errors.New("bamboohr: API key is empty")
	}
	if strings.ContainsAny(apiKey, ": \t\r\n") {
		return nil, errors.New("bamboohr: API key contains a colon or whitespace")
	}
	key := Secret(apiKey)
	hc, err := newHTTP(subdomain, opts, func(r *http.Request) {
		// Basic auth key:x, sent on the first request, as BambooHR's own SDK
		// does (https://github.com/BambooHR/bhr-api-python, auth_builder.py).
		r.SetBasicAuth(key.Reveal(), "x")
	}, []string{apiKey})
	if err != nil {
		return nil, err
	}
	return &Client{http: hc, subdomain: subdomain}, nil
}

func newHTTP(subdomain string, opts []Option, auth func(*http.Request), secrets []string) (*httpx.Client, error) {
	o := options{httpx.Settings{BaseURL: DefaultBaseURL(subdomain)}}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("bamboohr: %w", err)
		}
	}
	hc, err := httpx.New(httpx.Config{
		Vendor:       "bamboohr",
		BaseURL:      o.BaseURL,
		HTTPClient:   o.HTTPClient,
		Limit:        o.Limit,
		Retry:        o.Retry,
		Logger:       o.Logger,
		UserAgent:    o.UserAgent,
		Authorize:    auth,
		Secrets:      secrets,
		DecodeError:  decodeError,
		WrapAPIError: wrapAPIError,
		// Rate limiting moved from 503 to 429 on 2026-09-16
		// (https://documentation.bamboohr.com/docs/planned-changes-to-the-api);
		// a 503 with Retry-After is still retried by httpx.
		RateLimitStatuses: []int{http.StatusTooManyRequests},
	})
	if err != nil {
		return nil, fmt.Errorf("bamboohr: %w", err)
	}
	return hc, nil
}

// Subdomain returns the company domain the client was made for.
func (c *Client) Subdomain() string { return c.subdomain }

// call is one JSON request: Accept: application/json always (BambooHR
// answers XML otherwise, https://documentation.bamboohr.com/reference/login);
// Content-Type: application/json exactly, and only, when in is not nil
// (custom reports parse anything else as XML,
// https://documentation.bamboohr.com/reference/request-custom-report).
type call struct {
	method, path string
	query        url.Values
	in, out      any
	idempotent   *bool
}

// retrySafe marks a POST that may be retried: a read, or a write of fixed values.
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
			return nil, fmt.Errorf("bamboohr: %s %s: encode body: %w", cl.method, cl.path, err)
		}
		req.Body, req.ContentType = b, "application/json"
	}
	// httpx decodes the reply, naming XML or HTML when that arrives instead.
	resp, err := c.http.DoDecode(ctx, req, cl.out)
	if err == nil && cl.out != nil && len(bytes.TrimSpace(resp.Body)) == 0 {
		return resp, fmt.Errorf("bamboohr: %s %s: empty response body, want JSON", cl.method, cl.path)
	}
	return resp, err
}

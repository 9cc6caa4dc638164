package learnamp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/rostersync/rostersync/internal/httpx"
)

// DefaultBaseURL is the API host of Learn Amp's first pod (EU1), which
// earlier versions of the reference listed beside https://api-eu2.learnamp.com
// (EU2). Learn Amp now tells each company its own host under Company
// Settings → API ("API Base URL"); give it to WithBaseURL when it differs.
const DefaultBaseURL = "https://api.learnamp.com"

// Paths under the base URL, from https://developers.learnamp.com/#api-reference:
// the token URL is https://{API_BASE_URL}/oauth/token, the resources are
// under https://{API_BASE_URL}/v1.
const (
	tokenPath = "oauth/token"
	apiPath   = "v1/"
)

// Limit is a client-side rate limit: Requests per Per, with Burst at once.
type Limit = httpx.Limit

// RetryPolicy bounds retries: MaxRetries after the first attempt, waits
// between MinWait and MaxWait (which also caps Retry-After).
type RetryPolicy = httpx.RetryPolicy

// Secret holds a credential; it prints as "REDACTED" through fmt, JSON and
// slog, and Reveal returns the value.
type Secret = httpx.Secret

// Client calls one Learn Amp company's API with one API key (a client ID
// and secret). It fetches an access token on first use, keeps it, renews
// it a minute before it expires and once when Learn Amp answers 401, and
// sends it as a Bearer token. It is safe for concurrent use: all calls
// share the token and the rate limiter.
type Client struct {
	http   *httpx.Client
	tokens *tokenSource
	base   string
}

// options collects what the Options set.
type options struct {
	httpx.Settings
	scopes []string
	now    func() time.Time
}

// Option configures New. An option given a bad value makes New fail with
// an error naming it.
type Option func(*options) error

// WithBaseURL sets the API host, the "API Base URL" of Company Settings →
// API with https:// in front, such as "https://api-eu2.learnamp.com"
// (default DefaultBaseURL). It is the bare host: the client asks for tokens
// at {base}/oauth/token and calls the resources under {base}/v1, so a URL
// ending in /v1 is refused. A path prefix is kept, for proxies and fakes.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sets the *http.Client whose transport carries the
// requests, token requests included; nil is an error.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithRateLimit paces the client's own requests, token requests included;
// Requests 0 (the default) sends unpaced. Learn Amp publishes no numbers,
// only its 429 answer (https://developers.learnamp.com/#errors), which the
// client retries after Retry-After or a backoff.
func WithRateLimit(l Limit) Option { return func(o *options) error { return o.SetRateLimit(l) } }

// WithRetry sets the retry policy; a negative MaxRetries turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithLogger logs one debug record per HTTP attempt, token requests
// included; no record carries the client secret or a token.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithUserAgent sets the User-Agent header (one line).
func WithUserAgent(ua string) Option { return func(o *options) error { return o.SetUserAgent(ua) } }

// WithScopes asks for these OAuth scopes in every token request (sent
// space-separated as scope). Without it no scope is sent and Learn Amp
// grants "public", which legacy keys need; a key provisioned with specific
// scopes only must name them, or the token request fails with
// invalid_scope (https://developers.learnamp.com/#oauth-scopes). SyncScopes
// lists what a user and team sync needs.
func WithScopes(scopes ...string) Option {
	return func(o *options) error {
		for i, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				return fmt.Errorf("scope %d (%q) is empty or contains whitespace", i, s)
			}
		}
		o.scopes = append([]string(nil), scopes...)
		return nil
	}
}

// WithClock sets the clock that decides when the access token is due for
// renewal (default time.Now). Tests move it together with the fake's
// (learnamptest's NewClient does so) to renew tokens without waiting.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("nil clock (leave WithClock out for time.Now)")
		}
		o.now = now
		return nil
	}
}

// SyncScopes returns the scopes a user and team sync needs: reading and
// writing users (deactivating and reactivating included), teams and team
// memberships. Deleting needs users:delete or teams:delete as well.
func SyncScopes() []string {
	return []string{
		"users:read", "users:create", "users:update", "users:deactivate", "users:reactivate",
		"teams:read", "teams:create", "teams:update",
		"team_users:read", "team_users:create", "team_users:delete",
	}
}

// New returns a client for the company whose API key is clientID and
// clientSecret (Company Settings → API → Generate New API Key; only the
// account Owner can). It makes no request: the first call fetches the token.
func New(clientID, clientSecret string, opts ...Option) (*Client, error) {
	switch {
	case strings.TrimSpace(clientID) == "":
		return nil, errors.New("learnamp: New: client ID is empty")
	case strings.ContainsAny(clientID, " \t\r\n"):
		return nil, errors.New("learnamp: New: client ID contains whitespace")
	case clientSecret == "":
		return nil, errors.New("learnamp: New: client secret is empty")
	case strings.ContainsAny(clientSecret, "\r\n"):
		return nil, errors.New("learnamp: New: client secret contains a line break")
	}
	o := options{Settings: httpx.Settings{BaseURL: DefaultBaseURL}, now: time.Now}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("learnamp: New: %w", err)
		}
	}
	base, err := apiHost(o.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("learnamp: New: %w", err)
	}
	hc, err := httpx.New(httpx.Config{
		Vendor:       "learnamp",
		BaseURL:      base,
		HTTPClient:   o.HTTPClient,
		Limit:        o.RateLimit(Limit{}),
		Retry:        o.Retry,
		Logger:       o.Logger,
		UserAgent:    o.UserAgent,
		Authorize:    authorize,
		Secrets:      []string{clientSecret},
		DecodeError:  decodeError,
		WrapAPIError: wrapAPIError,
	})
	if err != nil {
		return nil, fmt.Errorf("learnamp: New: %w", err)
	}
	cfg := clientcredentials.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		TokenURL:     base + "/" + tokenPath,
		Scopes:       o.scopes,
		// The reference sends client_id and client_secret in the body
		// (https://developers.learnamp.com/#authentication); naming the style
		// also spares the library's probe with a Basic header first.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	return &Client{http: hc, tokens: newTokenSource(hc, cfg, o.now), base: base}, nil
}

// apiHost checks the base URL and returns it without a trailing slash.
func apiHost(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q is not a URL", httpx.Redact(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q has a query or fragment; give the API host", httpx.Redact(raw))
	}
	p := strings.TrimSuffix(u.Path, "/")
	for _, suffix := range []string{"/v1", "/oauth/token"} {
		if strings.HasSuffix(p, suffix) {
			return "", fmt.Errorf("base URL %q ends in %s: give the API host (such as %s); the client adds /v1 and /oauth/token itself",
				httpx.Redact(raw), suffix, DefaultBaseURL)
		}
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// BaseURL returns the API host the client calls.
func (c *Client) BaseURL() string { return c.base }

// Format prints the client without its credentials.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "learnamp.Client{base: %q}", httpx.Redact(c.base))
}

// LogValue logs the client without its credentials.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("vendor", "learnamp"), slog.String("base", httpx.Redact(c.base)))
}

// tokenKey keys the access token a call carries in its context, for authorize.
type tokenKey struct{}

// authorize is the httpx Authorize hook: it sends the call's access token
// as a Bearer token (https://developers.learnamp.com/#authentication).
// Token requests carry none in their context and go out without one.
func authorize(r *http.Request) {
	if tok, ok := r.Context().Value(tokenKey{}).(Secret); ok {
		r.Header.Set("Authorization", "Bearer "+tok.Reveal())
	}
}

// call is one request to the resource API: path is below /v1/, in
// escaped form; in is sent as JSON; out receives the JSON reply.
type call struct {
	method, path string
	query        url.Values
	in, out      any
}

// do sends cl with an access token. A 401 means the token died early
// (revoked, or the company's keys changed): the token is dropped and the
// call sent once more with a fresh one; a second 401 is returned.
func (c *Client) do(ctx context.Context, cl call) (*httpx.Response, error) {
	r := &httpx.Request{
		Method: cl.method, Path: apiPath + cl.path, Query: cl.query,
		Header: http.Header{"Accept": {"application/json"}},
	}
	if cl.in != nil {
		b, err := marshal(cl.in)
		if err != nil {
			return nil, fmt.Errorf("encoding the request body: %w", err)
		}
		r.Body, r.ContentType = b, "application/json"
	}
	for renewed := false; ; renewed = true {
		tok, err := c.tokens.token(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := c.http.DoDecode(context.WithValue(ctx, tokenKey{}, tok), r, cl.out)
		var apiErr *APIError
		if !renewed && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized {
			c.tokens.drop(tok)
			continue
		}
		return resp, err
	}
}

package talenthr

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

// DefaultBaseURL is TalentHR's public API, the base every path joins
// (https://apidocs.talenthr.io/).
const DefaultBaseURL = "https://pubapi.talenthr.io/v1"

// DefaultRateLimit is TalentHR's documented limit, 2,000 requests a minute
// per API key (https://apidocs.talenthr.io/, introduction). The client
// paces itself to it unless WithRateLimit says otherwise.
const DefaultRateLimit = 2000

// Secret holds a credential. It prints as "REDACTED" through fmt, JSON and
// slog; Reveal returns the value.
type Secret = httpx.Secret

// Limit is a client-side rate limit: Requests per Per, with Burst at once.
type Limit = httpx.Limit

// RetryPolicy bounds retries: MaxRetries after the first attempt, waits
// between MinWait and MaxWait (which also caps Retry-After).
type RetryPolicy = httpx.RetryPolicy

// Client calls one TalentHR company's API with its API key. It is safe for
// concurrent use; all calls share one rate limiter, as TalentHR limits per key.
type Client struct {
	http *httpx.Client
	now  func() time.Time
}

// options collects what the Options set.
type options struct {
	httpx.Settings
	now func() time.Time
}

// Option configures New. An option given a bad value makes New fail with
// an error naming it.
type Option func(*options) error

// WithBaseURL replaces DefaultBaseURL, for proxies and fakes. It includes
// the version path, e.g. "https://pubapi.talenthr.io/v1".
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sets the *http.Client whose transport carries the
// requests; nil is an error.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithRateLimit paces the client's own requests; Requests 0 turns pacing
// off. The default is DefaultRateLimit a minute, one at a time.
func WithRateLimit(l Limit) Option { return func(o *options) error { return o.SetRateLimit(l) } }

// WithRetry sets the retry policy; a negative MaxRetries turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithLogger logs one debug record per request attempt, with no credentials.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithUserAgent sets the User-Agent header (one line).
func WithUserAgent(ua string) Option { return func(o *options) error { return o.SetUserAgent(ua) } }

// WithClock sets the clock the client tells today's date by (in UTC), for
// PollDirectory's terminated-or-not decision; nil is an error. The default
// is time.Now. A vendor extra: tests run it on a fake's clock.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("nil clock (leave WithClock out for time.Now)")
		}
		o.now = now
		return nil
	}
}

// New returns a client for the TalentHR company that owns apiKey, a key an
// admin generates under Settings → Domain settings → API. It makes no
// request.
func New(apiKey string, opts ...Option) (*Client, error) {
	cfg, o, err := config(apiKey, opts)
	if err != nil {
		return nil, err
	}
	hc, err := httpx.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("talenthr: %w", err)
	}
	return &Client{http: hc, now: o.now}, nil
}

// config checks the key and the options and builds the HTTP core's config.
func config(apiKey string, opts []Option) (httpx.Config, options, error) {
	o := options{Settings: httpx.Settings{BaseURL: DefaultBaseURL}, now: time.Now}
	switch {
	case apiKey == "":
		return httpx.Config{}, o, errors.New("talenthr: API key is empty")
	case strings.ContainsAny(apiKey, ": \t\r\n"):
		// Basic auth cannot carry a colon in the user name.
		return httpx.Config{}, o, errors.New("talenthr: API key contains a colon or whitespace")
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return httpx.Config{}, o, fmt.Errorf("talenthr: %w", err)
		}
	}
	key := Secret(apiKey)
	return httpx.Config{
		Vendor:     "talenthr",
		BaseURL:    o.BaseURL,
		HTTPClient: o.HTTPClient,
		Limit:      o.RateLimit(Limit{Requests: DefaultRateLimit, Per: time.Minute, Burst: 1}),
		Retry:      o.Retry,
		Logger:     o.Logger,
		UserAgent:  o.UserAgent,
		// https://apidocs.talenthr.io/: Basic auth, the API key as user
		// name; the password is ignored.
		Authorize:    func(r *http.Request) { r.SetBasicAuth(key.Reveal(), "x") },
		Secrets:      []string{apiKey},
		DecodeError:  decodeError,
		WrapAPIError: wrapAPIError,
	}, o, nil
}

// Format prints the client without its credentials.
func (c *Client) Format(f fmt.State, verb rune) { fmt.Fprintf(f, "talenthr.Client{%v}", c.http) }

// envelope is TalentHR's reply wrapper, {"success":true,"data":…}, with
// "error" on failures.
type envelope struct {
	Success *bool           `json:"success"`
	Data    json.RawMessage `json:"data"`
	Error   json.RawMessage `json:"error"`
}

// get reads path and decodes the reply's data into out.
func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	return c.call(ctx, http.MethodGet, path, q, nil, out)
}

// call sends one request, in (when not nil) as JSON, always asking for
// JSON (https://apidocs.talenthr.io/: errors come as JSON only with
// Accept: application/json), and decodes the envelope's data into out.
// A reply to a POST (a hire, a create) that cannot be read wraps
// ErrOutcomeUnknown: the write happened, its result is lost; a PUT may
// simply be sent again.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, in, out any) error {
	req := &httpx.Request{
		Method: method, Path: path, Query: q,
		Header: http.Header{"Accept": {"application/json"}},
	}
	if in != nil {
		b, err := encodeBody(in)
		if err != nil {
			return fmt.Errorf("talenthr: %s %s: encoding the body: %w", method, path, err)
		}
		req.Body, req.ContentType = b, "application/json"
	}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return err
	}
	if err := decodeEnvelope(resp, out); err != nil {
		err = fmt.Errorf("talenthr: %s /%s: %d: %w", method, strings.TrimPrefix(path, "/"), resp.StatusCode, err)
		if method == http.MethodPost {
			err = fmt.Errorf("%w (%w)", err, ErrOutcomeUnknown)
		}
		return err
	}
	return nil
}

// encodeBody marshals in, unless it is already JSON.
func encodeBody(in any) ([]byte, error) {
	if raw, ok := in.(json.RawMessage); ok {
		return raw, nil
	}
	return json.Marshal(in)
}

// decodeEnvelope checks a 2xx reply and decodes its data into out (when
// out is not nil). "success": false on a 2xx is a failure too.
func decodeEnvelope(resp *httpx.Response, out any) error {
	body := bytes.TrimSpace(resp.Body)
	if len(body) == 0 {
		if out == nil {
			return nil
		}
		return errors.New("empty reply, want JSON")
	}
	if body[0] == '<' {
		return fmt.Errorf("TalentHR answered HTML or XML (Content-Type %q), not JSON", resp.Header.Get("Content-Type"))
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("decoding the reply: %w", err)
	}
	if env.Success != nil && !*env.Success {
		_, msg := decodeError(nil, body)
		return fmt.Errorf("the reply says success false: %s", orElse(msg, "no message"))
	}
	if out == nil {
		return nil
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		return errors.New("the reply has no data")
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("decoding the reply's data: %w", err)
	}
	return nil
}

// checkID refuses an id that is not TalentHR's form, a positive decimal
// number, before anything is sent.
func checkID(id string) error {
	if id == "" {
		return errors.New("id is empty")
	}
	if len(id) > 18 || id[0] == '0' {
		return fmt.Errorf("id %q is not a TalentHR id (a positive number)", clipText(id, 20))
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return fmt.Errorf("id %q is not a TalentHR id (a positive number)", clipText(id, 20))
		}
	}
	return nil
}

// today is the current date in UTC, from the client's clock.
func (c *Client) today() Date { return DateOf(c.now().UTC()) }

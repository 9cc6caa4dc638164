package talentlms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Secret holds a credential; it prints as REDACTED through fmt, JSON and slog.
type Secret = httpx.Secret

// Limit is a client-side request rate: Requests per Per, with Burst at once.
type Limit = httpx.Limit

// RetryPolicy bounds retries: MaxRetries after the first attempt, waits
// between MinWait and MaxWait (which also caps Retry-After and the
// X-RateLimit-Reset wait). Zero fields take the TalentLMS defaults: 4
// retries, waits from 1s, at most an hour, so a 429 waits for the hourly
// reset instead of retrying into it.
type RetryPolicy = httpx.RetryPolicy

// DefaultRateLimit is TalentLMS's documented burst limit: 200 calls in any
// 5 seconds (https://help.talentlms.com/hc/en-us/articles/9651527213468).
// The hourly plan limit (2,000 or 10,000) is read from the replies' headers
// instead; see GetRateLimit.
const DefaultRateLimit = 200

// RateLimitWindow is the window DefaultRateLimit counts in.
const RateLimitWindow = 5 * time.Second

// The client's default pacing: PacedLimit(RateLimitWindow).
var defaultLimit = PacedLimit(RateLimitWindow)

// PacedLimit is the client's default pacing on a window of per
// (RateLimitWindow for TalentLMS; shorter for fakes that run faster): a
// sliding window of DefaultRateLimit requests as the portal receives them
// (each request counts from its send until per after its answer, see
// Limit), with a margin of per/1000 (5 ms in 5 s), so a request held up on
// the network never makes a 201st.
func PacedLimit(per time.Duration) Limit {
	return Limit{Requests: DefaultRateLimit, Per: per, Sliding: true, Margin: per / 1000}
}

// Default retry policy (see RetryPolicy).
const (
	defaultMaxRetries = 4
	defaultMinWait    = time.Second
	defaultMaxWait    = time.Hour
)

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

// Client calls one TalentLMS portal's v1 API. It is safe for concurrent
// use; all calls share one rate limiter and one view of the portal's hourly
// quota, as TalentLMS limits per portal.
type Client struct {
	http   *httpx.Client
	domain string
	quota  *quota

	dfMu sync.Mutex // held while the date format is fetched
	df   DateFormat // "" until known
}

type options struct {
	httpx.Settings
	dateFormat DateFormat
}

// Option configures New. An option given a bad value makes New fail with
// an error naming it.
type Option func(*options) error

// WithBaseURL overrides the base URL, for proxies, custom domains and
// fakes; it includes the API path, e.g. "https://acme.talentlms.com/api/v1".
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sets the *http.Client whose transport carries the
// requests; nil is an error.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithRateLimit paces the client's own requests; Requests 0 turns pacing
// off. The default is at most DefaultRateLimit in any RateLimitWindow, as
// a sliding window (Limit.Sliding). The hourly
// quota is kept whatever this says (see GetRateLimit).
func WithRateLimit(l Limit) Option { return func(o *options) error { return o.SetRateLimit(l) } }

// WithRetry sets the retry policy; a negative MaxRetries turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithLogger logs one debug record per HTTP attempt (the API key is never logged).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithUserAgent sets the User-Agent header (one line).
func WithUserAgent(ua string) Option { return func(o *options) error { return o.SetUserAgent(ua) } }

// WithDateFormat pins the portal's date format (Account & Settings, the
// "date format" setting), sparing the GET siteinfo call the client
// otherwise makes once, on the first call that reads or writes a date.
func WithDateFormat(f DateFormat) Option {
	return func(o *options) error {
		if !f.valid() {
			return fmt.Errorf("date format %q is not one of %s", string(f), knownFormats)
		}
		o.dateFormat = f
		return nil
	}
}

var hostRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)

// Domain returns the portal host for a TalentLMS domain as an admin may
// write it: "acme", "acme.talentlms.com", or "https://acme.talentlms.com/"
// (the scheme and trailing slash are dropped, as the official PHP library
// does). A bare name gets ".talentlms.com".
func Domain(domain string) (string, error) {
	d := strings.TrimSpace(domain)
	d = strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
	d = strings.TrimSuffix(d, "/")
	if !hostRe.MatchString(d) {
		return "", fmt.Errorf("domain %q is not a TalentLMS portal host (like acme.talentlms.com)", clip(domain, 80))
	}
	if !strings.Contains(d, ".") {
		d += ".talentlms.com"
	}
	return strings.ToLower(d), nil
}

// DefaultBaseURL is the base URL New uses for a portal host:
// https://{host}/api/v1. The API is HTTPS only.
func DefaultBaseURL(host string) string { return "https://" + host + "/api/v1" }

// New returns a client for the portal at domain (see Domain) that
// authenticates with apiKey, the key an administrator finds under Account
// & Settings → Integrations → API. It makes no request.
func New(domain, apiKey string, opts ...Option) (*Client, error) {
	host, err := Domain(domain)
	if err != nil {
		return nil, fmt.Errorf("talentlms: New: %w", err)
	}
	if err := checkKey(apiKey); err != nil {
		return nil, fmt.Errorf("talentlms: New: %w", err)
	}
	o := options{Settings: httpx.Settings{BaseURL: DefaultBaseURL(host)}}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("talentlms: New: %w", err)
		}
	}
	q := newQuota()
	key := Secret(apiKey)
	hc, err := httpx.New(httpx.Config{
		Vendor:     "talentlms",
		BaseURL:    o.BaseURL,
		HTTPClient: o.HTTPClient,
		Limit:      o.RateLimit(defaultLimit),
		Retry:      withRetryDefaults(o.Retry),
		Logger:     o.Logger,
		UserAgent:  o.UserAgent,
		// Basic auth with the key as user and an empty password, as the
		// official library sends it (CURLOPT_USERPWD "key:").
		Authorize:         func(r *http.Request) { r.SetBasicAuth(key.Reveal(), "") },
		Secrets:           []string{apiKey},
		DecodeError:       decodeError,
		ResetAfter:        q.resetAfter,
		RateLimitStatuses: []int{http.StatusTooManyRequests},
		WrapAPIError:      wrapAPIError,
	})
	if err != nil {
		return nil, fmt.Errorf("talentlms: New: %w", err)
	}
	return &Client{http: hc, domain: host, quota: q, df: o.dateFormat}, nil
}

// checkKey refuses keys Basic auth cannot carry; the value never appears
// in the error.
func checkKey(k string) error {
	switch {
	case k == "":
		return errors.New("API key is empty")
	case strings.ContainsRune(k, ':'):
		return errors.New("API key contains a colon (Basic auth cannot carry it)")
	case strings.IndexFunc(k, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return errors.New("API key contains whitespace or a control character")
	}
	return nil
}

// Domain returns the portal host the client was made for.
func (c *Client) Domain() string { return c.domain }

// Format prints the client without its key.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "talentlms.Client{domain: %q}", c.domain)
}

// param is one key:value pair of a v1 path segment.
type param struct{ key, value string }

// unsafeInPath are the characters a value in a key:value segment cannot
// carry: the segment syntax has no escape for them, and whether the server
// decodes %2C, %3A or %2F before it splits is unknown (a decoded comma
// would turn username:a,b into a lookup of "a").
const unsafeInPath = ",:/"

// actionPath builds "action/k1:v1,k2:v2" with every value percent-encoded
// except unreserved characters and "@" (so "+" is %2B and a space %20,
// whether the server decodes with urldecode or rawurldecode).
func actionPath(action string, params ...param) (string, error) {
	if len(params) == 0 {
		return action, nil
	}
	var b strings.Builder
	b.WriteString(action)
	b.WriteByte('/')
	for i, p := range params {
		if p.value == "" {
			return "", fmt.Errorf("%s is empty", p.key)
		}
		if strings.ContainsAny(p.value, unsafeInPath) {
			return "", fmt.Errorf("%s %q contains a comma, colon or slash, which a TalentLMS v1 path cannot carry", p.key, clip(p.value, 80))
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.key)
		b.WriteByte(':')
		b.WriteString(escapeValue(p.value))
	}
	return b.String(), nil
}

// escapeValue percent-encodes every byte but A-Z a-z 0-9 - . _ ~ and @.
func escapeValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

var jsonAccept = http.Header{"Accept": {"application/json"}}

// get sends GET action/params and returns the 2xx body. op names the call
// in errors ("get user 5").
func (c *Client) get(ctx context.Context, op, action string, params ...param) ([]byte, error) {
	path, err := actionPath(action, params...)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	return c.sendRequest(ctx, op, &httpx.Request{Method: http.MethodGet, Path: path, Header: jsonAccept.Clone()}, true)
}

// post sends form to action as application/x-www-form-urlencoded, the only
// body v1 reads on every action (a JSON body answers 400 on some, as
// https://github.com/clintmasden/talentlms.client reports). idempotent
// lets httpx retry a write that has the same effect when repeated.
func (c *Client) post(ctx context.Context, op, action string, form url.Values, idempotent bool) ([]byte, error) {
	req := &httpx.Request{
		Method: http.MethodPost, Path: action, Header: jsonAccept.Clone(),
		Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded",
		// A password sent in the form is redacted should TalentLMS echo it.
		Secrets: []string{form.Get("password")},
	}
	if idempotent {
		req.Idempotent = &idempotent
	}
	return c.sendRequest(ctx, op, req, true)
}

// sendRequest waits for the hourly quota (when the call is metered: all
// but GET ratelimit), sends req, records the quota headers and checks that
// the reply is JSON.
func (c *Client) sendRequest(ctx context.Context, op string, req *httpx.Request, metered bool) ([]byte, error) {
	if metered {
		if err := c.quota.wait(ctx); err != nil {
			return nil, wrapf(err, "%s", op)
		}
	}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		c.quota.fromError(err)
		return nil, wrapf(err, "%s", op)
	}
	c.quota.observe(resp.Header)
	if err := checkJSON(resp); err != nil {
		if req.Method == http.MethodPost && req.Idempotent == nil {
			err = fmt.Errorf("%w: %w", err, ErrOutcomeUnknown)
		}
		return nil, wrapf(err, "%s: %s %s", op, req.Method, req.Path)
	}
	return resp.Body, nil
}

// checkJSON rejects an empty body or one that is HTML or XML instead of JSON.
func checkJSON(resp *httpx.Response) error {
	b := strings.TrimSpace(string(resp.Body))
	switch {
	case b == "":
		return fmt.Errorf("empty reply (status %d), want JSON", resp.StatusCode)
	case b[0] == '<':
		return fmt.Errorf("TalentLMS answered HTML or XML (Content-Type %q), not JSON", resp.Header.Get("Content-Type"))
	}
	return nil
}

// clip shortens s for error texts.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

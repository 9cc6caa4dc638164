// Package learnamptest is an in-memory fake of the Learn Amp REST API for
// tests: the OAuth2 token endpoint, users, teams and team users, on a local
// HTTP server, as strict as the real service (https://developers.learnamp.com/).
//
//	srv := learnamptest.NewServer(t)
//	id := srv.AddUser(learnamptest.User{Email: "ada@acme.test", FirstName: "Ada", LastName: "Lovelace"})
//	c := srv.NewClient(t) // a learnamp.Client for the fake, on the fake's clock
//
// What it checks, as Learn Amp does:
//   - Tokens: POST /oauth/token with a form body (or Basic auth),
//     grant_type=client_credentials, a known client ID and secret (401
//     invalid_client), scopes the key holds (400 invalid_scope; a key made
//     with AddAPIKey and scopes must ask for them). Tokens live two hours on
//     the server's clock (WithTokenLifetime); ExpireTokens kills them at once.
//   - Every /v1 call needs a live Bearer token (401 invalid_token, "The
//     access token expired") whose scopes cover the call (403).
//   - Bodies are JSON (415 otherwise); required fields answer 400 with
//     Learn Amp's {"error", "fullErrors"} ("email is missing, email is
//     empty"); mutually exclusive fields, unknown teams, managers and
//     custom fields, taken emails and integrationExternalIds, an unknown
//     occupationRole (422) and role hr without the HR package (422) are
//     refused with the documented bodies.
//   - Lists page with page and perPage and answer Total, Per-Page and
//     Total-Pages; every documented filter works.
//   - A create without skipInvitation "sends" an invitation (Invitations);
//     deactivation removes the user from every team.
//
// Where the reference is silent the fake is strict in the safer direction:
// it refuses body fields and filters the reference does not document
// (Learn Amp may ignore them: a typo'd filter would then list everyone),
// requires email, firstName and lastName on every user update and name on
// every team update (the reference marks them so, one example omits them),
// serves at most MaxPerPage items a page (25 by default; Per-Page says so),
// matches the team name filter by substring (callers must compare names
// exactly), answers 400 to adding a user already in the team, reads JSON
// bodies only (Learn Amp also takes forms), does not send custom field
// values in replies (their shape is undocumented: read them with User),
// and answers a rate limit, when one is set, with 429 as configured. The
// bodies of 401, 403 and the duplicate-email 400 follow Doorkeeper and
// Rails conventions; Learn Amp does not document them.
//
// The embedded kit gives a request log (Log), fault injection (AddFault),
// rate-limit emulation (SetRateLimit) and a clock (SetClock, Now).
package learnamptest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/learnamp"
)

// Types of the fake-server kit, named here so tests outside this module can use them.
type (
	// Fault injects a failure; see Server.AddFault.
	Fault = fakeserver.Fault
	// RateLimit configures rate-limit emulation; see Server.SetRateLimit.
	RateLimit = fakeserver.RateLimit
	// Entry is one logged request.
	Entry = fakeserver.Entry
	// RequestLog lists the requests the server received.
	RequestLog = fakeserver.RequestLog
)

// IsWrite reports whether e is a POST, PUT, PATCH or DELETE (for Log().Count).
func IsWrite(e Entry) bool { return fakeserver.IsWrite(e) }

// IsTokenRequest reports whether e asked for an access token (for Log().Count).
func IsTokenRequest(e Entry) bool { return strings.HasSuffix(e.Path, "/oauth/token") }

// The API key the fake accepts by default: a legacy key, with full access.
const (
	ClientID     = "rostersync-test-client"
	ClientSecret = "rostersync-test-secret-0123456789abcdef"
)

// Subdomain is the company's web subdomain, used in profileUrl values.
const Subdomain = "rostersync-test"

// MaxPerPage is the largest page the fake serves; DefaultPerPage the size
// without perPage. Learn Amp documents neither.
const (
	MaxPerPage     = 100
	DefaultPerPage = 25
)

// DefaultTokenLifetime is the lifetime of an access token (expires_in 7200).
const DefaultTokenLifetime = 2 * time.Hour

// Server is a running fake Learn Amp. The embedded kit server gives URL,
// Client, Close, Log, AddFault, ClearFaults, SetRateLimit, SetClock and Now.
type Server struct {
	*fakeserver.Server

	tb     testing.TB
	prefix string

	mu       sync.Mutex
	keys     map[string]*apiKey
	tokens   map[string]*token
	lifetime time.Duration
	hr       bool
	st       *state
}

// Option configures a Server.
type Option func(*Server)

// WithRateLimit turns rate-limit emulation on (off by default: Learn Amp
// publishes no limit). A zero Status answers 429, Learn Amp's documented code.
func WithRateLimit(rl RateLimit) Option { return func(s *Server) { s.SetRateLimit(rl) } }

// WithoutRateLimit turns rate-limit emulation off (the default).
func WithoutRateLimit() Option { return WithRateLimit(RateLimit{}) }

// WithTokenLifetime sets how long new access tokens live (default two hours).
func WithTokenLifetime(d time.Duration) Option {
	return func(s *Server) {
		if d <= 0 {
			s.fail("WithTokenLifetime: %v is not positive", d)
		}
		s.lifetime = d
	}
}

// WithHRPackage lets users get role hr (without it, as for companies
// without Learn Amp's HR package, role hr answers 422).
func WithHRPackage() Option { return func(s *Server) { s.hr = true } }

// WithPathPrefix serves the API under prefix ("/proxy"), as behind a
// proxy; BaseURL includes it. Tests use it to catch absolute paths.
func WithPathPrefix(prefix string) Option {
	return func(s *Server) { s.prefix = "/" + strings.Trim(prefix, "/") }
}

// NewServer starts a fake Learn Amp that accepts ClientID and
// ClientSecret; tb.Cleanup stops it. tb may be nil (then call Close).
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		tb:       tb,
		keys:     map[string]*apiKey{ClientID: {secret: ClientSecret}},
		tokens:   map[string]*token{},
		lifetime: DefaultTokenLifetime,
		st:       newState(),
	}
	s.Server = fakeserver.New(tb, http.HandlerFunc(s.serve))
	for _, o := range opts {
		o(s)
	}
	return s
}

// BaseURL is the URL to give learnamp.WithBaseURL: URL plus the path prefix.
func (s *Server) BaseURL() string {
	if s.prefix == "/" {
		return s.URL
	}
	return s.URL + s.prefix
}

// NewClient returns a learnamp.Client for this server with ClientID and
// ClientSecret, on the server's clock (so SetClock moves token expiry on
// both sides), with no client-side pacing and retries that wait at most
// 5ms; opts are applied after these and override them.
func (s *Server) NewClient(tb testing.TB, opts ...learnamp.Option) *learnamp.Client {
	base := []learnamp.Option{
		learnamp.WithBaseURL(s.BaseURL()),
		learnamp.WithHTTPClient(s.Client()),
		learnamp.WithRateLimit(learnamp.Limit{}),
		learnamp.WithRetry(learnamp.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
		learnamp.WithClock(s.Now),
	}
	c, err := learnamp.New(ClientID, ClientSecret, append(base, opts...)...)
	if err != nil {
		if tb == nil {
			panic(err)
		}
		tb.Helper()
		tb.Fatalf("learnamptest: NewClient: %v", err)
	}
	return c
}

// serve routes a request: the token endpoint, or an authorized /v1 call.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), strings.TrimSuffix(s.prefix, "/"))
	if !ok {
		notFound(w)
		return
	}
	switch {
	case rest == "/oauth/token":
		s.serveToken(w, r)
		return
	case !strings.HasPrefix(rest, "/v1/"):
		notFound(w)
		return
	}
	seg, ok := segments(strings.TrimPrefix(rest, "/v1/"))
	if !ok {
		writeError(w, http.StatusNotAcceptable, "The requested format is not supported.")
		return
	}
	if !acceptsJSON(r) {
		writeError(w, http.StatusNotAcceptable, "The requested format is not supported.")
		return
	}
	rt, ok := s.route(r.Method, seg)
	if !ok {
		notFound(w)
		return
	}
	if rt.handle == nil {
		writeError(w, http.StatusMethodNotAllowed, "405 Not Allowed")
		return
	}
	if !s.authorize(w, r, rt.scope) {
		return
	}
	rt.handle(w, r)
}

// segments splits an escaped path into unescaped segments, so that an
// escaped slash stays inside its segment (HR%2F1001). A literal ".json"
// on the last segment is Learn Amp's default format and is dropped (its
// replies link to /v1/teams/15.json); ".xml" is refused.
func segments(p string) ([]string, bool) {
	parts := strings.Split(strings.TrimSuffix(p, "/"), "/")
	last := len(parts) - 1
	if strings.HasSuffix(parts[last], ".xml") {
		return nil, false
	}
	parts[last] = strings.TrimSuffix(parts[last], ".json")
	for i, part := range parts {
		u, err := url.PathUnescape(part)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// acceptsJSON: Learn Amp answers 406 to a request for another format.
func acceptsJSON(r *http.Request) bool {
	a := strings.ToLower(r.Header.Get("Accept"))
	return a == "" || strings.Contains(a, "json") || strings.Contains(a, "*/*")
}

// fail reports a misuse of a seed helper or option.
func (s *Server) fail(format string, args ...any) {
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatalf("learnamptest: "+format, args...)
	}
	panic(fmt.Sprintf("learnamptest: "+format, args...))
}

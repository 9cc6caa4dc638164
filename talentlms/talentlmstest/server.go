// Package talentlmstest is an in-memory fake of one TalentLMS portal's v1
// API for tests and examples: the calls package talentlms makes, served on
// 127.0.0.1 under /api/v1 and as strict as the real service:
//
//	srv := talentlmstest.NewServer(t)
//	srv.SeedCompany()
//	c := srv.NewClient(t)
//	for u, err := range c.ListUsers(ctx, talentlms.ListUsersParams{}) { ... }
//
// It checks Basic auth (the API key as user, an empty password; 401 with
// an HTML page when none is sent), the key:value path segments (decoded as
// PHP's urldecode does, so a raw "+" reads as a space), form-encoded
// bodies on every POST (a JSON body is 400 "Invalid arguments provided")
// with the documented parameters only, required fields, unique emails and
// logins, the password policy, the portal's custom fields (mandatory ones
// on signup, dropdown options, on/off checkboxes, dates in the portal's
// date format), branch membership and course enrolment, and answers with
// v1's shapes: strings for nearly everything, numbers where v1 sends
// numbers (the id in a signup reply), formatted dates in the portal's date
// format beside unix timestamps, errors as {"error":{"type","message"}}.
//
// Limits: the hourly quota (default 2,000, the smallest paid plan) with
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset on every
// reply and 429 once it is spent; and 200 requests per 5 seconds
// (https://help.talentlms.com/hc/en-us/articles/9651527213468), 429. GET
// ratelimit is not counted against the hour.
//
// Where the public record is unsure, the fake is strict in the safer
// direction: users are paged with users/page_size:{n},page_number:{p} (at
// most 1000; WithoutUserPaging makes it answer every user instead, as a
// portal that ignores the segment would); a value holding a comma, colon or
// slash is refused; date custom fields and deactivation_date take only the
// portal's date format (a blank " " counts as no date, as the official
// plugin sends for mandatory dates); unknown form parameters are refused;
// quota rejections carry no Retry-After, only X-RateLimit-Reset; created_on
// has no timestamp beside it.
//
// The embedded kit gives a request log (Log), fault injection (AddFault)
// and a clock (SetClock). It keeps everything, credentials included, in
// memory; it is for tests only.
package talentlmstest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
)

// Kit types, re-exported so tests outside this module can use the controls.
type (
	// Fault scripts a failure; see Server.AddFault.
	Fault = fakeserver.Fault
	// RateLimit configures the burst limit; see Server.SetRateLimit.
	RateLimit = fakeserver.RateLimit
	// Entry is one logged request; see Server.Log.
	Entry = fakeserver.Entry
	// RequestLog lists the requests the server received; see Server.Log.
	RequestLog = fakeserver.RequestLog
)

// IsWrite reports whether e is a POST, PUT, PATCH or DELETE; use it with
// Log().Count. v1 also writes with GETs (usersetstatus, addusertobranch,
// removeuserfrombranch, removeuserfromcourse); IsMutation counts those too.
func IsWrite(e Entry) bool { return fakeserver.IsWrite(e) }

// IsMutation reports whether e is a request that changes the portal: a
// POST, or one of the v1 writes sent as a GET.
func IsMutation(e Entry) bool {
	if e.Method == http.MethodPost {
		return true
	}
	action, _, _ := strings.Cut(strings.TrimPrefix(e.Path, APIPath+"/"), "/")
	return getWrites[action]
}

var getWrites = map[string]bool{"usersetstatus": true, "addusertobranch": true, "removeuserfrombranch": true, "removeuserfromcourse": true}

// Defaults of a new Server.
const (
	// APIKey is the key the fake accepts (30 characters, as portal keys are).
	APIKey = "Tl5ZqL0rJ8wVx3KcN7mB2yHd4RsA6e"
	// Domain is the portal host NewClient names.
	Domain = "acme.talentlms.com"
	// APIPath is the path prefix of the API.
	APIPath = "/api/v1"
	// DefaultHourlyLimit is the hourly quota of a new Server.
	DefaultHourlyLimit = 2000
)

// Server is a running fake portal. Its embedded kit server gives URL,
// Client, Close, AddFault, ClearFaults, Log and Now.
type Server struct {
	*fakeserver.Server

	tb testing.TB

	mu        sync.Mutex // guards everything below
	keys      map[string]bool
	st        *state
	hour      hourly
	paging    bool
	strong    bool                 // strong-password policy on
	newStatus talentlms.UserStatus // status of a user who signs up
}

// Option configures a Server; see NewServer.
type Option func(*Server)

// WithRateLimit replaces the burst limit (default 200 per 5 seconds, 429
// with a JSON error and no Retry-After).
func WithRateLimit(rl RateLimit) Option { return func(s *Server) { s.SetRateLimit(rl) } }

// WithHourlyLimit sets the hourly quota (0 turns it off).
func WithHourlyLimit(n int) Option { return func(s *Server) { s.SetHourlyLimit(n) } }

// WithoutRateLimit turns both limits off.
func WithoutRateLimit() Option {
	return func(s *Server) { s.SetRateLimit(RateLimit{}); s.SetHourlyLimit(0) }
}

// WithoutUserPaging makes GET users/page_size:…,page_number:… answer every
// user, as a portal that ignores the segment would.
func WithoutUserPaging() Option { return func(s *Server) { s.paging = false } }

// WithDateFormat sets the portal's date format (default DDMMYYYY).
func WithDateFormat(f talentlms.DateFormat) Option { return func(s *Server) { s.SetDateFormat(f) } }

// WithoutPasswordPolicy accepts any non-empty password.
func WithoutPasswordPolicy() Option { return func(s *Server) { s.strong = false } }

// WithSignupStatus sets the status of users who sign up through the API
// (default active; some portals create them inactive).
func WithSignupStatus(st talentlms.UserStatus) Option { return func(s *Server) { s.newStatus = st } }

// NewServer starts a fake portal with no users, date format DDMMYYYY,
// APIKey, both limits on, paging and the strong-password policy on, then
// applies opts. tb.Cleanup stops it; with a nil tb call Close.
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		tb: tb, keys: map[string]bool{APIKey: true}, st: newState(talentlms.DDMMYYYY),
		paging: true, strong: true, newStatus: talentlms.Active,
	}
	s.hour.limit = DefaultHourlyLimit
	s.Server = fakeserver.New(tb, http.HandlerFunc(s.serve))
	s.SetRateLimit(RateLimit{Requests: talentlms.DefaultRateLimit, Per: talentlms.RateLimitWindow})
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetRateLimit replaces the burst limit; a zero Status answers 429, and
// a rejection carries a JSON error and no Retry-After unless rl says so.
func (s *Server) SetRateLimit(rl RateLimit) {
	if rl.Status == 0 {
		rl.Status = http.StatusTooManyRequests
	}
	if rl.Body == "" {
		rl.Body = `{"error":{"type":"api_error","message":"API rate limit exceeded: 200 calls per 5 seconds"}}`
	}
	if rl.RetryAfter == 0 {
		rl.OmitRetryAfter = true
	}
	s.Server.SetRateLimit(rl)
}

// SetClock sets the clock of the limits, the request log and the dates the
// fake stamps (created_on, last_updated, enrolled_on).
func (s *Server) SetClock(now func() time.Time) { s.Server.SetClock(now) }

// BaseURL is the URL to give talentlms.WithBaseURL: URL + "/api/v1".
func (s *Server) BaseURL() string { return s.URL + APIPath }

// AddAPIKey makes the fake accept another key (a regenerated one).
func (s *Server) AddAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = true
}

// NewClient returns a talentlms.Client for this server with APIKey, no
// client-side pacing and retries that wait at most 5ms; opts are applied
// after these and override them.
func (s *Server) NewClient(tb testing.TB, opts ...talentlms.Option) *talentlms.Client {
	base := []talentlms.Option{
		talentlms.WithBaseURL(s.BaseURL()),
		talentlms.WithHTTPClient(s.Client()),
		talentlms.WithRateLimit(talentlms.Limit{}),
		talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: 4, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
	}
	c, err := talentlms.New(Domain, APIKey, append(base, opts...)...)
	if err != nil {
		if tb == nil {
			panic(err)
		}
		tb.Helper()
		tb.Fatalf("talentlmstest: NewClient: %v", err)
	}
	return c
}

// serve checks the credentials and the quota, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), APIPath+"/")
	if !ok {
		fakeserver.WriteText(w, http.StatusNotFound, "404 Not Found\n")
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		// A request without credentials gets an HTML page, not JSON.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fakeserver.WriteText(w, http.StatusUnauthorized, "<html><body><h1>401</h1>You need a valid user and password to access this content.</body></html>\n")
		return
	}
	s.mu.Lock()
	known := s.keys[user]
	s.mu.Unlock()
	if !known || pass != "" {
		replyError(w, http.StatusUnauthorized, "Invalid API key provided")
		return
	}
	action, params, _ := strings.Cut(rest, "/")
	if !s.admit(w, action) {
		return
	}
	s.route(w, r, action, params)
}

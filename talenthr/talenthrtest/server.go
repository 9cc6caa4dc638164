// Package talenthrtest is an in-memory fake of the TalentHR public API for
// tests and examples: the calls of package talenthr, served on 127.0.0.1
// under /v1 and as strict as the real service is known to be
// (https://apidocs.talenthr.io/), stricter where it is not known:
//
//	srv := talenthrtest.NewServer(t)
//	ids := srv.SeedCompany()
//	c := srv.NewClient(t)
//	for row, err := range c.ListDirectory(ctx, talenthr.DirectoryParams{}) { ... }
//
// What it enforces:
//   - Basic auth with a known API key as the user name, any password
//     (401 otherwise); every request must ask for JSON with
//     Accept: application/json (406 and an HTML page otherwise: TalentHR
//     only promises JSON errors then); a write must send
//     Content-Type: application/json (415).
//   - 2,000 requests a minute per key, answered 429 with Retry-After and
//     {"success":false,"error":"Too Many Attempts."} (the status is
//     assumed; TalentHR documents only the number).
//   - The directory's paging: limit 1-100, default 10; offset from 0, -1
//     for everything; filter keys department, division, location and
//     emp_state with ids that exist; custom_fields slugs that exist.
//   - Hire: first_name, last_name, email (unique), hire_date (Y-m-d) and
//     employment_status.employment_status_id (an existing status) are
//     required; every id must exist; compensation and hire-packet values
//     are checked; an invitation email is recorded unless prevent_email.
//   - Update: a partial PUT; null clears a key, and makes the employee head
//     of the company for reports_to_employee_id; first_name, last_name and
//     email cannot be cleared; dates, enumerations and ids are checked.
//   - Lookups by id (indexed), names unique per list; creating
//     departments, divisions, job titles and locations (locations require
//     field_data).
//
// Where the research found nothing, the fake picks the safer side and
// says so:
//   - Unknown body keys are refused (422), so a misspelt key fails a test
//     instead of being ignored as a Laravel API would likely do.
//   - The default directory hides employees whose termination date has
//     passed; filter emp_state with EmpStateTerminated lists them. A
//     termination date still to come shows on an active row. The emp_state
//     ids (EmpStateActive, EmpStateTerminated, EmpStateFutureHire) are the
//     fake's own; a real company's come from /directory/filters.
//   - Validation errors use the object form of "error"
//     ({"message","errors":{field:[…]}}); every other error the text form,
//     so clients must read both.
//   - GET /employees/{id} puts names and email under "user", not at the
//     top level, and never returns ssn.
//   - photo_url changes on every reply, as a signed CDN link would.
//   - The guessed termination call answers 404, as an unknown route does,
//     unless EnableUnverifiedTerminate turns it on.
//
// The embedded kit gives a request log (Log), fault injection (AddFault)
// and an injectable clock (SetClock), which also decides what "today" is
// for terminations and future hires. It keeps everything, credentials
// included, in memory; it is for tests only.
package talenthrtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talenthr"
)

// Kit types, re-exported so tests outside this module can use the controls.
type (
	// Fault scripts a failure; see Server.AddFault.
	Fault = fakeserver.Fault
	// RateLimit configures rate-limit emulation; see Server.SetRateLimit.
	RateLimit = fakeserver.RateLimit
	// Entry is one logged request; see Server.Log.
	Entry = fakeserver.Entry
	// RequestLog lists the requests the server received; see Server.Log.
	RequestLog = fakeserver.RequestLog
)

// IsWrite reports whether e is a POST, PUT, PATCH or DELETE; use it with Log().Count.
func IsWrite(e Entry) bool { return fakeserver.IsWrite(e) }

// APIKey is the API key the fake accepts by default.
const APIKey = "thr_5f2b8c1d9e7a4b3c6d0e1f2a3b4c5d6e"

// VersionPath is the path prefix of the API, as on pubapi.talenthr.io.
const VersionPath = "/v1"

// The fake's emp_state filter ids (see the package doc).
const (
	EmpStateActive     = "1"
	EmpStateTerminated = "2"
	EmpStateFutureHire = "3"
)

// Server is a running fake TalentHR company. The embedded kit server gives
// URL, Client, Close, Log, AddFault, ClearFaults and Now.
type Server struct {
	*fakeserver.Server

	tb testing.TB

	mu        sync.Mutex
	keys      map[string]bool
	st        *state
	terminate bool // EnableUnverifiedTerminate
}

// Option configures a Server.
type Option func(*Server)

// WithRateLimit replaces the per-key limit (default 2,000 a minute,
// answered 429 with Retry-After); see SetRateLimit.
func WithRateLimit(rl RateLimit) Option { return func(s *Server) { s.SetRateLimit(rl) } }

// WithoutRateLimit turns the rate limit off.
func WithoutRateLimit() Option { return WithRateLimit(RateLimit{}) }

// NewServer starts a fake company that accepts APIKey, with the default
// employment statuses (Full-Time, Part-Time, Contractor, Intern) and
// languages (English, Greek, German, French, Spanish) and nothing else;
// then applies opts. tb.Cleanup stops it; with a nil tb call Close.
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{tb: tb, keys: map[string]bool{APIKey: true}, st: newState()}
	s.Server = fakeserver.New(tb, http.HandlerFunc(s.serve))
	s.SetRateLimit(RateLimit{Requests: talenthr.DefaultRateLimit, Per: time.Minute})
	s.seedDefaults()
	for _, o := range opts {
		o(s)
	}
	return s
}

// rateLimitBody is the fake's 429 body, Laravel's throttle text.
const rateLimitBody = `{"success":false,"error":"Too Many Attempts."}`

// SetRateLimit replaces the rate-limit emulation. A nil Key counts per API
// key, a zero Status answers 429 and an empty Body the fake's JSON error;
// Requests 0 turns it off.
func (s *Server) SetRateLimit(rl RateLimit) {
	if rl.Key == nil {
		rl.Key = apiKeyOf
	}
	if rl.Body == "" {
		rl.Body = rateLimitBody
	}
	s.Server.SetRateLimit(rl)
}

// SetClock sets the clock of the rate limiter, the request log and the
// fake's "today"; nil restores time.Now.
func (s *Server) SetClock(now func() time.Time) { s.Server.SetClock(now) }

// BaseURL is the URL to give talenthr.WithBaseURL: URL plus "/v1".
func (s *Server) BaseURL() string { return s.URL + VersionPath }

// AddAPIKey makes the fake accept another key (with its own rate-limit bucket).
func (s *Server) AddAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = true
}

// RemoveAPIKey revokes key: later requests with it get 401.
func (s *Server) RemoveAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key)
}

// EnableUnverifiedTerminate serves the guessed POST
// /employees/{id}/terminate, for tests of talenthr.UnverifiedTerminateEmployee.
// Off by default: the real endpoint is not known to exist.
func (s *Server) EnableUnverifiedTerminate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.terminate = true
}

// NewClient returns a talenthr.Client for this server with APIKey, the
// server's clock (see SetClock), no client-side pacing and retries that
// wait at most 5ms; opts are applied
// after these and override them. tb may be nil (then a bad option panics).
func (s *Server) NewClient(tb testing.TB, opts ...talenthr.Option) *talenthr.Client {
	base := []talenthr.Option{
		talenthr.WithBaseURL(s.BaseURL()),
		talenthr.WithHTTPClient(s.Client()),
		talenthr.WithRateLimit(talenthr.Limit{}),
		talenthr.WithClock(s.Now),
		talenthr.WithRetry(talenthr.RetryPolicy{MaxRetries: 4, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
	}
	c, err := talenthr.New(APIKey, append(base, opts...)...)
	if err != nil {
		if tb == nil {
			panic("talenthrtest: NewClient: " + err.Error())
		}
		tb.Helper()
		tb.Fatalf("talenthrtest: NewClient: %v", err)
	}
	return c
}

// apiKeyOf is the Basic-auth user name: TalentHR's API key.
func apiKeyOf(r *http.Request) string {
	user, _, _ := fakeserver.BasicAuth(r)
	return user
}

// serve checks what every call requires, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, VersionPath+"/")
	if !ok {
		fail(w, http.StatusNotFound, "Not found.")
		return
	}
	if !acceptsJSON(r) {
		notAcceptable(w)
		return
	}
	s.mu.Lock()
	known := s.keys[apiKeyOf(r)]
	s.mu.Unlock()
	if !known {
		w.Header().Set("WWW-Authenticate", `Basic realm="TalentHR API"`)
		fail(w, http.StatusUnauthorized, "Unauthenticated.")
		return
	}
	s.route(w, r, strings.Split(strings.TrimSuffix(rest, "/"), "/"))
}

// acceptsJSON: the request's Accept names application/json.
func acceptsJSON(r *http.Request) bool {
	for _, a := range r.Header.Values("Accept") {
		for _, part := range strings.Split(a, ",") {
			mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(mt), "application/json") {
				return true
			}
		}
	}
	return false
}

// route dispatches on the path segments after /v1/.
func (s *Server) route(w http.ResponseWriter, r *http.Request, seg []string) {
	switch {
	case seg[0] == "directory" && len(seg) == 1:
		only(w, r, http.MethodGet, s.listDirectory)
	case seg[0] == "directory" && len(seg) == 2 && seg[1] == "filters":
		only(w, r, http.MethodGet, s.directoryFilters)
	case seg[0] == "employees":
		s.routeEmployees(w, r, seg[1:])
	default:
		if kind, ok := lookupKinds[seg[0]]; ok && len(seg) == 1 {
			s.routeLookups(w, r, kind)
			return
		}
		fail(w, http.StatusNotFound, "Not found.")
	}
}

func (s *Server) routeEmployees(w http.ResponseWriter, r *http.Request, seg []string) {
	if len(seg) == 1 && seg[0] == "hire" {
		only(w, r, http.MethodPost, s.hire)
		return
	}
	if len(seg) == 0 || len(seg) > 2 || !isID(seg[0]) {
		fail(w, http.StatusNotFound, "Not found.")
		return
	}
	id := seg[0]
	switch {
	case len(seg) == 1 && r.Method == http.MethodGet:
		s.getEmployee(w, id)
	case len(seg) == 1 && r.Method == http.MethodPut:
		s.updateEmployee(w, r, id)
	case len(seg) == 1:
		fail(w, http.StatusMethodNotAllowed, "Method not allowed.")
	case seg[1] == "job":
		only(w, r, http.MethodGet, func(w http.ResponseWriter, _ *http.Request) { s.jobInfo(w, id) })
	case seg[1] == "custom-fields":
		only(w, r, http.MethodGet, func(w http.ResponseWriter, _ *http.Request) { s.customFields(w, id) })
	case seg[1] == "terminate" && s.terminateEnabled():
		only(w, r, http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.unverifiedTerminate(w, r, id) })
	default:
		fail(w, http.StatusNotFound, "Not found.")
	}
}

func (s *Server) terminateEnabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.terminate
}

// only serves h for method and answers 405 otherwise.
func only(w http.ResponseWriter, r *http.Request, method string, h http.HandlerFunc) {
	if r.Method != method {
		w.Header().Set("Allow", method)
		fail(w, http.StatusMethodNotAllowed, "Method not allowed.")
		return
	}
	h(w, r)
}

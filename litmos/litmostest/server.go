// Package litmostest is an in-memory fake of the Litmos REST API for tests: the
// users, teams, courses and bulk import calls of package litmos, on a local
// HTTP server, as strict as the real service
// (https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API
// and the pages cited beside each handler).
//
// It rejects what Litmos rejects: a missing or wrong apikey (401, the message
// echoing the key as sent), a missing source parameter (403), a write without a
// JSON or XML Content-Type (403), a PUT whose body Id differs from the URL
// (404), a taken username or team name (409), an ISO date in a JSON user body
// (500, as WCF answers: https://github.com/charliequinn/python-litmos-api),
// more than 25 teams or a team the user is already in on POST /users/{id}/teams
// (404, 409). It answers XML unless JSON is asked for (format=json or Accept:
// application/json), treats a user PUT as a full replacement (omitted fields
// are cleared), sends null for the empty fields of seeded users as Litmos does
// and stores what a PUT sends (null or ""), emails learners on course
// assignment unless sendmessage=false (see Messages), and limits each API key
// to 100 requests a minute, answering 503 with no Retry-After as Litmos does.
// Lookups by id, username (any case), team name and import code are indexed.
//
// Bulk imports (POST /bulkimports) run asynchronously: the POST answers
// "Waiting", the job finishes on its third status poll (SetBulkImportPolls)
// or as soon as any other request reaches the fake, whichever comes
// first, and only then creates or updates users, refusing bad rows one by
// one (GET /bulkimports/{id}/usererrors). Litmos finishes a job it
// accepted even if nobody polls it, so a client cut off while polling
// finds the job done by its next call; FinishBulkImports finishes every
// pending job at once. A request that a fault or the rate limit answers
// never reaches the fake and finishes nothing. Where Litmos's documentation is
// silent the fake is strict in the safer direction: it reads XML only (the
// JSON shape is undocumented), refuses an element out of the schema's order
// or unknown to it (DataContract XML would drop it silently), refuses a
// body over 2,000,000 bytes with 413 (the smaller reading of "2000KB"; WCF's
// status), requires Username, FirstName, LastName and Email on every row,
// refuses AccessLevel 4 and 5 (undocumented meaning) and unknown team or
// course codes, and an unknown job id answers 400 as the SAP spec says.
//
// The embedded kit gives a request log (Log), fault injection (AddFault) and
// an injectable clock (SetClock).
package litmostest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/litmos"
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

// The credentials the fake accepts by default.
const (
	APIKey = "11111111-2222-3333-4444-555555555555"
	Source = "rostersync-tests"
)

// ServicePath is the path prefix of the API, as on api.litmos.com.
const ServicePath = "/v1.svc"

// Server is a running fake Litmos. The embedded kit server gives URL,
// Client (an *http.Client for it), Close, Log, AddFault and ClearFaults;
// Server adds SetRateLimit and SetClock on top of the kit's.
type Server struct {
	*fakeserver.Server

	tb testing.TB

	mu          sync.Mutex
	keys        map[string]bool
	st          *state
	importPolls int // status polls a bulk import takes to finish
}

// Option configures a Server.
type Option func(*Server)

// WithRateLimit replaces the per-key limit (default 100 a minute, 503
// without Retry-After, as Litmos answers); see SetRateLimit.
func WithRateLimit(rl RateLimit) Option { return func(s *Server) { s.SetRateLimit(rl) } }

// WithoutRateLimit turns the rate limit off, for tests whose client does
// not pace itself.
func WithoutRateLimit() Option { return WithRateLimit(RateLimit{}) }

// NewServer starts a fake Litmos that accepts APIKey; tb.Cleanup stops it.
// tb may be nil (then call Close).
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{tb: tb, keys: map[string]bool{APIKey: true}, st: newState(), importPolls: 3}
	s.Server = fakeserver.New(tb, http.HandlerFunc(s.serve))
	// 100 a minute per key
	// (https://www.litmos.com/docs/litmos/apis/locate-your-api-key), 503 without
	// rate-limit headers (https://api.sap.com/api/LitmosAPIdetails/overview).
	s.SetRateLimit(RateLimit{Requests: litmos.DefaultRateLimit, Per: time.Minute, OmitRetryAfter: true})
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetRateLimit replaces the rate-limit emulation. A nil Key counts per API
// key and a zero Status answers 503, as Litmos does; Requests 0 turns it off.
func (s *Server) SetRateLimit(rl RateLimit) {
	if rl.Key == nil {
		rl.Key = apiKeyOf
	}
	if rl.Status == 0 {
		rl.Status = http.StatusServiceUnavailable
	}
	s.Server.SetRateLimit(rl)
}

// SetClock sets the clock of the rate limiter, the request log and the
// dates the fake stamps (CreatedDate, AssignedDate).
func (s *Server) SetClock(now func() time.Time) {
	s.Server.SetClock(now)
}

// BaseURL is the URL to give litmos.WithBaseURL: URL plus "/v1.svc".
func (s *Server) BaseURL() string { return s.URL + ServicePath }

// AddAPIKey makes the fake accept another key (it gets its own rate-limit bucket).
func (s *Server) AddAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = true
}

// NewClient returns a litmos.Client for this server with APIKey and
// Source, no client-side pacing, retries that wait at most 5ms and
// bulk-import polls a millisecond apart; opts
// are applied after these and override them.
func (s *Server) NewClient(tb testing.TB, opts ...litmos.Option) *litmos.Client {
	base := []litmos.Option{
		litmos.WithBaseURL(s.BaseURL()),
		litmos.WithHTTPClient(s.Client()),
		litmos.WithRateLimit(litmos.Limit{}),
		litmos.WithRetry(litmos.RetryPolicy{MaxRetries: 4, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
		litmos.WithBulkPoll(time.Millisecond),
	}
	c, err := litmos.New(APIKey, Source, append(base, opts...)...)
	if err != nil {
		if tb == nil {
			panic(err)
		}
		tb.Helper()
		tb.Fatalf("litmostest: NewClient: %v", err)
	}
	return c
}

// apiKeyOf reads the key from the apikey header (any case) or, as old
// clients send it, the query string (the legacy form,
// http://help.litmos.com/developer-api/).
func apiKeyOf(r *http.Request) string {
	if k := r.Header.Get("apikey"); k != "" {
		return k
	}
	return r.URL.Query().Get("apikey")
}

// serve checks what every Litmos call requires, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.finishOthers(r)
	rest, ok := strings.CutPrefix(r.URL.Path, ServicePath+"/")
	if !ok {
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
		return
	}
	key := apiKeyOf(r)
	s.mu.Lock()
	known := s.keys[key]
	s.mu.Unlock()
	if !known {
		// The real service echoes what it was given; clients must redact it.
		replyError(w, r, http.StatusUnauthorized, "Invalid API key '"+key+"'")
		return
	}
	src := r.URL.Query().Get("source")
	if src == "" || len([]rune(src)) > 50 {
		replyError(w, r, http.StatusForbidden, "A source of at most 50 characters is required")
		return
	}
	if isWriteMethod(r.Method) && bodyKind(r) == "" {
		replyError(w, r, http.StatusForbidden, "Content-Type must be application/json or application/xml, got '"+r.Header.Get("Content-Type")+"'")
		return
	}
	s.route(w, r, strings.Split(strings.TrimSuffix(rest, "/"), "/"))
}

func isWriteMethod(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodDelete
}

// bodyKind is "json" or "xml" from the Content-Type, "" when neither.
func bodyKind(r *http.Request) string {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	ct, _, _ = strings.Cut(ct, ";")
	switch strings.TrimSpace(ct) {
	case "application/json", "text/json":
		return "json"
	case "application/xml", "text/xml":
		return "xml"
	}
	return ""
}

// route dispatches on the path segments after /v1.svc/.
func (s *Server) route(w http.ResponseWriter, r *http.Request, seg []string) {
	switch seg[0] {
	case "users":
		s.routeUsers(w, r, seg[1:])
	case "teams":
		s.routeTeams(w, r, seg[1:])
	case "courses":
		s.routeCourses(w, r, seg[1:])
	case "bulkimports":
		s.routeBulkImports(w, r, seg[1:])
	case "org":
		if len(seg) == 3 && seg[1] == "users" && seg[2] == "details" && r.Method == http.MethodGet {
			s.listChangedUsers(w, r)
			return
		}
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
	default:
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
	}
}

// methodNotAllowed answers a method the path does not serve.
func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	replyError(w, r, http.StatusMethodNotAllowed, "Method not allowed.")
}

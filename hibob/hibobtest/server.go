// Package hibobtest is an in-memory fake of HiBob's API for tests and
// examples: the people, work-history, named-list and fields endpoints the
// hibob package calls, served on 127.0.0.1 under /v1, as strict as the real
// service, and a sender of signed webhooks.
//
//	srv := hibobtest.NewServer(t)
//	ids := srv.SeedCompany()
//	client := srv.NewClient(t)
//	people, err := client.SearchPeople(ctx, hibob.SearchParams{})
//
// What it does as HiBob does (https://apidocs.hibob.com/reference/people,
// https://apidocs.hibob.com/docs/people-read-api-contract): Basic auth with a
// service user's ID and token (401 otherwise; a raw legacy access token only
// when AddAccessToken allows it, as HiBob switched them off); answers with
// both response shapes, nested and "/slash" keys with {"value"}, slash keys
// only for non-null values, and humanReadable APPEND or REPLACE with list
// names and dd/mm/yyyy dates; showInactive false hides leavers and hires who
// have not started (internal.status "Inactive"); unknown or unpermitted
// fields are silently left out; at most one search filter, on root.id or
// root.email with "equals", and "filters": [] is a 400; at most 400 fields;
// search limited to 50 a minute per service user, answered 429 with
// Retry-After; a PUT that names a historical field (title, department,
// site, manager, lifecycle) or changes nothing answers 304 and stores
// nothing; work entries take effect on their date by the fake's clock;
// named lists are case-sensitive; a GET sent with Content-Type:
// application/json answers 400 HTML; an unknown path under /v1 answers 200
// HTML, like HiBob's app shell.
//
// Where HiBob's behaviour is undocumented the fake is strict in the safer
// direction: unknown keys in a request body are a 400; a write body needs
// Content-Type: application/json (415); a taken email on create is a 400;
// PUT may not change root.email (HiBob has a separate email call); a work
// entry needs list item IDs (not names), a site unless an earlier row gives
// one, and a date no other row has; list values on create must match an
// item's ID or exact name. Its webhook payloads follow the v2 envelope;
// fieldUpdates items are {"fieldId": ...}, whose real shape is unverified.
//
// The embedded kit gives a request log (Log), fault injection (AddFault), an
// injectable clock (SetClock) and rate-limit control (SetRateLimit). It keeps
// everything, credentials included, in memory; it is for tests only.
package hibobtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/internal/fakeserver"
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

// IsWrite reports whether e is a POST, PUT, PATCH or DELETE. Note that
// HiBob's reads of people are POSTs too; see IsSearch.
func IsWrite(e Entry) bool { return fakeserver.IsWrite(e) }

// The credentials the fake accepts by default, and its company.
const (
	ServiceUserID    = "SERVICE-4242"
	ServiceUserToken = "hT9qzV3mK7wL2xP8rN5cB4dF6gJ1sA0e"
	CompanyID        = 636192
)

// APIPath is the path prefix of the API, as on api.hibob.com.
const APIPath = "/v1"

// Permissions are one service user's rights. The zero value may do everything.
type Permissions struct {
	// HiddenCategories are field categories ("work", "internal") the service
	// user may not view: their fields are silently left out of every answer.
	HiddenCategories []string
	// ReadOnly makes every write 403.
	ReadOnly bool
}

type serviceUser struct {
	token  string
	perms  Permissions
	hidden map[string]bool
}

// Server is a running fake HiBob company. Its embedded kit server gives URL,
// Client, Close, Log, AddFault, ClearFaults and Now.
type Server struct {
	*fakeserver.Server

	mu         sync.Mutex
	users      map[string]*serviceUser
	tokens     map[string]bool
	employees  map[string]*employee
	byEmail    map[string]string // lower-cased work email → ID
	lists      map[string]*list
	fields     map[string]*fieldDef
	fieldOrder []string
	byJSONPath map[string]*fieldDef
	nextItem   int
	nextEmp    uint64
	nextEntry  int64
}

// Option configures a Server; see NewServer.
type Option func(*Server)

// WithRateLimit replaces the default search limit; see SetRateLimit.
func WithRateLimit(rl RateLimit) Option { return func(s *Server) { s.SetRateLimit(rl) } }

// WithoutRateLimit turns rate limiting off.
func WithoutRateLimit() Option { return WithRateLimit(RateLimit{}) }

// NewServer starts a fake with the standard fields, the lists department,
// site and title (empty), the service user ServiceUserID with every
// permission, and HiBob's search limit (50 a minute per service user, 429
// with Retry-After); then applies opts. tb.Cleanup stops it; with a nil tb
// (an example, a program) call Close.
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		users:      map[string]*serviceUser{},
		tokens:     map[string]bool{},
		employees:  map[string]*employee{},
		byEmail:    map[string]string{},
		lists:      map[string]*list{},
		fields:     map[string]*fieldDef{},
		byJSONPath: map[string]*fieldDef{},
		nextEmp:    3332883884017713200,
	}
	for _, name := range []string{hibob.ListDepartment, hibob.ListSite, hibob.ListTitle} {
		s.lists[name] = newList(name)
	}
	for _, f := range standardFields() {
		s.addField(f)
	}
	s.AddServiceUser(ServiceUserID, ServiceUserToken, Permissions{})
	s.Server = fakeserver.New(tb, http.HandlerFunc(s.route))
	s.SetRateLimit(RateLimit{Requests: hibob.DefaultSearchRateLimit, Per: time.Minute, Match: IsSearch})
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetRateLimit replaces the rate-limit emulation. A nil Key counts per
// credential; an empty Body sends HiBob's JSON error; set Match: IsSearch to
// limit only the search, as the default does (a nil Match limits every
// request). Requests 0 turns it off.
func (s *Server) SetRateLimit(rl RateLimit) {
	if rl.Key == nil {
		rl.Key = credentialOf
	}
	if rl.Body == "" {
		rl.Body = `{"key":"tooManyRequests","error":"Too many requests"}`
	}
	s.Server.SetRateLimit(rl)
}

// SetClock sets the clock of the rate limiter, the request log, employees'
// status (start and termination dates) and which work entry is current.
func (s *Server) SetClock(now func() time.Time) { s.Server.SetClock(now) }

// IsSearch reports a people search (POST /v1/people/search), the endpoint
// HiBob limits to 50 a minute.
func IsSearch(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.TrimSuffix(r.URL.Path, "/") == APIPath+"/people/search"
}

// BaseURL is the URL to give hibob.WithBaseURL: URL plus "/v1".
func (s *Server) BaseURL() string { return s.URL + APIPath }

// AddServiceUser makes id and token valid with perms (each service user
// has its own rate-limit bucket).
func (s *Server) AddServiceUser(id, token string, perms Permissions) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hidden := map[string]bool{}
	for _, c := range perms.HiddenCategories {
		hidden[c] = true
	}
	s.users[id] = &serviceUser{token: token, perms: perms, hidden: hidden}
}

// RemoveServiceUser revokes a service user: later requests get 401.
func (s *Server) RemoveServiceUser(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, id)
}

// AddAccessToken accepts a legacy personal access token, sent raw in the
// Authorization header, with every permission. HiBob switched these off in
// 2024; the fake refuses them unless added here.
func (s *Server) AddAccessToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = true
}

// NewClient returns a hibob client for the fake with ServiceUserID, no
// client-side pacing and retries that wait at most 5ms; opts come last and
// override these. tb may be nil (in examples); an invalid option then panics.
func (s *Server) NewClient(tb testing.TB, opts ...hibob.Option) *hibob.Client {
	if tb != nil {
		tb.Helper()
	}
	base := []hibob.Option{
		hibob.WithBaseURL(s.BaseURL()),
		hibob.WithHTTPClient(s.Client()),
		hibob.WithRateLimit(hibob.Limit{}),
		hibob.WithRetry(hibob.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
	}
	c, err := hibob.New(ServiceUserID, ServiceUserToken, append(base, opts...)...)
	if err != nil {
		if tb == nil {
			panic("hibobtest: " + err.Error())
		}
		tb.Fatalf("hibobtest: %v", err)
	}
	return c
}

// credentialOf is the rate-limit key: the service user ID, or the raw token.
func credentialOf(r *http.Request) string {
	if user, _, ok := r.BasicAuth(); ok {
		return "user:" + user
	}
	return "token:" + r.Header.Get("Authorization")
}

// authorize checks Basic auth (service user ID and token) or an added
// legacy token, and returns the caller's permissions.
func (s *Server) authorize(rq *request) bool {
	user, pass, basic := fakeserver.BasicAuth(rq.r)
	raw := rq.r.Header.Get("Authorization")
	s.mu.Lock()
	var su *serviceUser
	if u := s.users[user]; basic && u != nil && u.token == pass {
		su = u
	} else if !basic && raw != "" && s.tokens[raw] {
		su = &serviceUser{hidden: map[string]bool{}}
	}
	s.mu.Unlock()
	if su == nil {
		rq.fail(http.StatusUnauthorized, "unauthorized", "Unauthorized: invalid service user credentials")
		return false
	}
	rq.user = su
	return true
}

// route checks what every call requires, then dispatches.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	rq := &request{srv: s, w: w, r: r}
	rest, ok := strings.CutPrefix(r.URL.Path, APIPath+"/")
	if !ok {
		rq.fail(http.StatusNotFound, "notFound", "Not found")
		return
	}
	if !s.authorize(rq) || !rq.checkContentType() {
		return
	}
	s.dispatch(rq, strings.Split(strings.TrimSuffix(rest, "/"), "/"))
}

func (s *Server) dispatch(rq *request, seg []string) {
	m := rq.r.Method
	switch {
	case m == http.MethodPost && len(seg) == 2 && seg[0] == "people" && seg[1] == "search":
		s.handleSearch(rq)
	case m == http.MethodPost && len(seg) == 1 && seg[0] == "people":
		s.handleCreate(rq)
	case m == http.MethodPost && len(seg) == 2 && seg[0] == "people":
		s.handleRead(rq, seg[1])
	case m == http.MethodPut && len(seg) == 2 && seg[0] == "people":
		s.handleUpdate(rq, seg[1])
	case m == http.MethodPost && len(seg) == 3 && seg[0] == "people" && seg[2] == "work":
		s.handleAddWork(rq, seg[1])
	case m == http.MethodGet && len(seg) == 3 && seg[0] == "company" && seg[1] == "people" && seg[2] == "fields":
		s.handleFields(rq)
	case m == http.MethodGet && len(seg) == 2 && seg[0] == "company" && seg[1] == "named-lists":
		s.handleLists(rq)
	case m == http.MethodGet && len(seg) == 3 && seg[0] == "company" && seg[1] == "named-lists":
		s.handleList(rq, seg[2])
	default:
		rq.appShell()
	}
}

// Package bamboohrtest is an in-memory fake of the BambooHR API for tests
// and examples: the endpoints the bamboohr package calls, served on
// 127.0.0.1 and as strict as the real service
// (https://documentation.bamboohr.com/docs/api-details and the reference
// pages cited beside each handler): Basic auth
// with a known API key, JSON only when Accept asks for it, the exact
// Content-Type on JSON bodies, 400 on unknown fields, per-key permissions,
// both URL shapes (/api/v1/... and /api/gateway.php/{sub}/v1/...), rate
// limiting with 429 and Retry-After, fault injection and a request log.
//
//	srv := bamboohrtest.NewServer(t)
//	id := srv.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@example.com"})
//	client := srv.NewClient(t)
//	emp, err := client.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{Fields: []string{"workEmail"}})
//
// It keeps everything, credentials included, in memory; it is for tests only.
package bamboohrtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/internal/fakeserver"
)

// Defaults of a new Server.
const (
	// DefaultSubdomain is the company domain the fake serves.
	DefaultSubdomain = "acme"
	// DefaultAPIKey is the API key the fake accepts, with every permission.
	DefaultAPIKey = "e254c96d97a12dc561f56d8713e58ac6c2a8c166"
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

// Server is a running fake BambooHR company. Its embedded kit server gives
// URL, Client, Close, AddFault, ClearFaults, SetRateLimit, Log and Now.
type Server struct {
	*fakeserver.Server

	// Subdomain is the company domain (DefaultSubdomain).
	Subdomain string

	mu        sync.Mutex
	keys      map[string]*Key
	fields    []bamboohr.Field
	employees map[int]*employee
	deleted   map[int]time.Time
	nextID    int
	checked   [2]string // how checkboxes read back: unchecked, checked
	login     *Login
	userSeq   int
}

// Key is one API key's permissions. The zero Key may do everything.
type Key struct {
	// HiddenFields are aliases or ids the key's user cannot see: omitted
	// from every answer, as BambooHR does
	// (https://documentation.bamboohr.com/reference/get-employee).
	HiddenFields []string
	// HiddenEmployees are ids the user cannot see: 403 on get, omitted from lists.
	HiddenEmployees []int
	// ReadOnly makes every write 403.
	ReadOnly bool
}

// Option configures a Server; see NewServer.
type Option func(*Server)

// WithRateLimit emulates BambooHR's rate limiting, which is off by default
// (BambooHR publishes no numbers): past rl.Requests per rl.Per, a request
// gets rl.Status with Retry-After. A Status of 0 means 429, which BambooHR
// answers since 2026-09-16; 503 is the older answer
// (https://documentation.bamboohr.com/docs/planned-changes-to-the-api).
func WithRateLimit(rl RateLimit) Option { return func(s *Server) { s.Server.SetRateLimit(rl) } }

// WithoutRateLimit turns rate limiting off (the default, for symmetry
// with the other fakes).
func WithoutRateLimit() Option { return WithRateLimit(RateLimit{}) }

// NewServer starts a fake with no employees, the standard fields, the
// custom checkbox "Litmos Access" (alias LitmosAccessAlias, id
// LitmosAccessID) and DefaultAPIKey, then applies opts. tb.Cleanup stops
// it; with a nil tb (in an example or a program) call Close.
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		Subdomain: DefaultSubdomain,
		keys:      map[string]*Key{DefaultAPIKey: {}},
		fields:    standardFields(),
		employees: map[int]*employee{},
		deleted:   map[int]time.Time{},
		nextID:    100,
		checked:   [2]string{"0", "1"},
	}
	s.Server = fakeserver.New(tb, http.HandlerFunc(s.route))
	for _, o := range opts {
		o(s)
	}
	return s
}

// BaseURL is the subdomain-form base URL to pass to bamboohr.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + "/api/" }

// GatewayURL is the legacy gateway-form base URL.
func (s *Server) GatewayURL() string { return s.URL + "/api/gateway.php/" + s.Subdomain + "/" }

// NewClient returns a bamboohr client for the fake, with DefaultAPIKey, the
// subdomain-form base URL, and no retry waits worth noticing; opts come last.
//
// tb may be nil (in examples); an invalid option then panics.
func (s *Server) NewClient(tb testing.TB, opts ...bamboohr.Option) *bamboohr.Client {
	if tb != nil {
		tb.Helper()
	}
	base := []bamboohr.Option{
		bamboohr.WithBaseURL(s.BaseURL()),
		bamboohr.WithHTTPClient(s.Client()),
		bamboohr.WithRetry(bamboohr.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
	}
	c, err := bamboohr.New(s.Subdomain, DefaultAPIKey, append(base, opts...)...)
	if err != nil {
		if tb == nil {
			panic("bamboohrtest: " + err.Error())
		}
		tb.Fatalf("bamboohrtest: %v", err)
	}
	return c
}

// SetClock sets the clock for lastChanged stamps, employees/changed,
// webhook timestamps, the request log and rate limiting; the fake reads it
// with Now. nil restores time.Now.
func (s *Server) SetClock(now func() time.Time) { s.Server.SetClock(now) }

// AddKey makes key valid with the given permissions.
func (s *Server) AddKey(key string, k Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = &k
}

// RemoveKey revokes key (later requests with it get 401).
func (s *Server) RemoveKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key)
}

// SetCheckboxReadback sets the text checkboxes read back as. BambooHR does
// not document it (https://documentation.bamboohr.com/docs/field-types covers
// writing only); the default is "1" and "0".
func (s *Server) SetCheckboxReadback(checked, unchecked string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checked = [2]string{unchecked, checked}
}

// route strips either URL shape's prefix (both in
// https://documentation.bamboohr.com/docs/api-details, old and new) and dispatches.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	gw := "/api/gateway.php/" + s.Subdomain + "/"
	var rest string
	var gateway bool
	switch {
	case strings.HasPrefix(p, gw):
		rest, gateway = p[len(gw)-1:], true
	case strings.HasPrefix(p, "/api/gateway.php/"):
		notFound(w, r)
		return
	case strings.HasPrefix(p, "/api/"):
		rest = p[len("/api"):]
	default:
		notFound(w, r)
		return
	}
	rq := &request{srv: s, w: w, r: r, path: rest, gateway: gateway}
	if rest == "/v1/login" {
		s.handleLogin(rq)
		return
	}
	if !s.authorize(rq) {
		return
	}
	s.dispatch(rq)
}

// authorize checks Basic auth: the key as user, any password
// (https://documentation.bamboohr.com/reference/getting-started).
func (s *Server) authorize(rq *request) bool {
	user, _, ok := fakeserver.BasicAuth(rq.r)
	s.mu.Lock()
	k, known := s.keys[user]
	s.mu.Unlock()
	if !ok || !known {
		rq.w.Header().Set("WWW-Authenticate", `Basic realm="BambooHR API"`)
		rq.fail(http.StatusUnauthorized, "Invalid API key")
		return false
	}
	rq.key = k
	return true
}

func (s *Server) dispatch(rq *request) {
	m, p := rq.r.Method, rq.path
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case m == http.MethodGet && p == "/v1/employees/changed":
		s.handleChanged(rq)
	case m == http.MethodGet && p == "/v1/meta/fields":
		s.handleFields(rq)
	case m == http.MethodGet && p == "/v1/meta/lists":
		s.handleLists(rq)
	case m == http.MethodPost && p == "/v1/reports/custom":
		s.handleReport(rq)
	case m == http.MethodPost && p == "/v2/datasets/employee/data":
		s.handleDataset(rq)
	case m == http.MethodGet && p == "/v1_2/datasets/employee/fields":
		s.handleDatasetFields(rq)
	case m == http.MethodPost && p == "/v1/employees":
		s.handleAdd(rq)
	case len(parts) == 3 && parts[0] == "v1" && parts[1] == "employees" && m == http.MethodGet:
		s.handleGet(rq, parts[2])
	case len(parts) == 3 && parts[0] == "v1" && parts[1] == "employees" && m == http.MethodPost:
		s.handleUpdate(rq, parts[2])
	default:
		notFound(rq.w, rq.r)
	}
}

func notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-BambooHR-Error-Message", "Not found: "+r.Method+" "+r.URL.Path)
	w.WriteHeader(http.StatusNotFound)
}

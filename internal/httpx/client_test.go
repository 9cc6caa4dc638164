package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestURLJoin(t *testing.T) {
	tests := []struct {
		name, basePath, path string
		query                url.Values
		wantPath, wantQuery  string
	}{
		{"relative path under base", "/api/v1", "employees/12", nil, "/api/v1/employees/12", ""},
		{"leading slash stays under base", "/api/v1", "/employees/12", nil, "/api/v1/employees/12", ""},
		{"base with trailing slash", "/v1.svc/", "users", nil, "/v1.svc/users", ""},
		{"root base", "", "users", nil, "/users", ""},
		{"escaped segment kept", "/api", "users/" + url.PathEscape("a/b c"), nil, "/api/users/a%2Fb%20c", ""},
		{"key:value segment (TalentLMS)", "/api/v1", "users/email:ana@example.com", nil, "/api/v1/users/email:ana@example.com", ""},
		{"query merged", "/api", "users?source=x", url.Values{"limit": {"10"}}, "/api/users", "limit=10&source=x"},
		{"base query kept", "/api?format=json", "users", url.Values{"start": {"0"}}, "/api/users", "format=json&start=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotPath, gotQuery := sentURL(t, tt.basePath, &Request{Method: "GET", Path: tt.path, Query: tt.query})
			if gotPath != tt.wantPath || gotQuery != tt.wantQuery {
				t.Errorf("server saw %q ? %q, want %q ? %q", gotPath, gotQuery, tt.wantPath, tt.wantQuery)
			}
		})
	}
}

// sentURL sends r through a client on a server at basePath and returns
// the escaped path and the query the server saw.
func sentURL(t *testing.T, basePath string, r *Request) (path, query string) {
	t.Helper()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, query = r.URL.EscapedPath(), r.URL.RawQuery
	}))
	c := newClient(t, srv.URL+basePath, nil)
	if _, err := c.Do(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return path, query
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"ok", Config{BaseURL: "https://api.example.com/v1"}, ""},
		{"empty base", Config{}, "BaseURL"},
		{"relative base", Config{BaseURL: "api/v1"}, "BaseURL"},
		{"no host", Config{BaseURL: "https:///v1"}, "BaseURL"},
		{"not http", Config{BaseURL: "ftp://h/x"}, "BaseURL"},
		{"base with key is redacted", Config{BaseURL: "ftp://h/x?apikey=SEKRIT"}, "apikey=REDACTED"},
		{"bad limit", Config{BaseURL: "https://h", Limit: Limit{Requests: 10}}, "Per must be positive"},
		{"bad retry", Config{BaseURL: "https://h", Retry: RetryPolicy{MinWait: time.Second, MaxWait: time.Millisecond}}, "MinWait"},
		{"bad body cap", Config{BaseURL: "https://h", MaxResponseBytes: -1}, "MaxResponseBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("New: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("New error %v, want one containing %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "SEKRIT"):
				t.Errorf("New error shows the secret: %v", err)
			}
		})
	}
}

// TestAuthorizeEachAttempt: Authorize runs before every attempt on a fresh
// copy of the request, so what it adds never piles up.
func TestAuthorizeEachAttempt(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string
	)
	s := &script{steps: []http.HandlerFunc{reply(503, "", ""), reply(503, "", ""), reply(200, "", "")}}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s|%s|%s", strings.Join(r.Header.Values("X-Token"), ","), r.URL.RawQuery, r.UserAgent()))
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	calls := 0
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.Authorize = func(r *http.Request) {
			calls++
			r.Header.Add("X-Token", fmt.Sprintf("t%d", calls))
			q := r.URL.Query()
			q.Add("key", "k")
			r.URL.RawQuery = q.Encode()
		}
	})
	if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x", Query: url.Values{"a": {"1"}}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"t1|a=1&key=k|" + DefaultUserAgent, "t2|a=1&key=k|" + DefaultUserAgent, "t3|a=1&key=k|" + DefaultUserAgent}
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

func TestAPIErrorFromReply(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		header   http.Header
		body     string
		decode   func(*http.Response, []byte) (string, string)
		wantText string
		wantCode string
		wantReq  string
	}{
		{"litmos style plain text", 409, nil, "UserName already exists", nil,
			"acme: POST /v1.svc/users: 409 UserName already exists", "", ""},
		{"bamboohr JSON error", 400, http.Header{"X-Request-Id": {"req-1"}}, `{"error":{"code":"BadRequest","message":"bad field"}}`, nil,
			"acme: POST /v1.svc/users: 400 BadRequest: bad field [request id req-1]", "BadRequest", "req-1"},
		{"message and numeric code", 422, http.Header{"X-Amzn-Requestid": {"amz-9"}}, `{"code":42,"message":"invalid email"}`, nil,
			"acme: POST /v1.svc/users: 422 42: invalid email [request id amz-9]", "42", "amz-9"},
		{"errors list", 400, http.Header{"Request-Id": {"r-3"}}, `{"errors":[{"message":"first"},{"message":"second"}]}`, nil,
			"acme: POST /v1.svc/users: 400 first [request id r-3]", "", "r-3"},
		{"HTML body gives status text", 404, nil, "<html><body>Not here</body></html>", nil,
			"acme: POST /v1.svc/users: 404 Not Found", "", ""},
		{"vendor decoder", 400, nil, "<Error><Code>E1</Code></Error>", func(*http.Response, []byte) (string, string) { return "E1", "from XML" },
			"acme: POST /v1.svc/users: 400 E1: from XML", "E1", ""},
		{"echoed secret redacted", 400, nil, `{"message":"key sekrit-12345 is wrong"}`, nil,
			"acme: POST /v1.svc/users: 400 key REDACTED is wrong", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			c := newClient(t, srv.URL+"/v1.svc", func(cfg *Config) {
				cfg.DecodeError = tt.decode
				cfg.Secrets = []string{"sekrit-12345"}
			})
			_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "users"})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			if err.Error() != tt.wantText {
				t.Errorf("Error() =\n %q\nwant\n %q", err.Error(), tt.wantText)
			}
			if apiErr.Code != tt.wantCode || apiErr.RequestID != tt.wantReq || apiErr.Method != "POST" || apiErr.Vendor != "acme" {
				t.Errorf("APIError %+v: want code %q, request id %q", *apiErr, tt.wantCode, tt.wantReq)
			}
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	sentinels := []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrConflict, ErrOutcomeUnknown}
	tests := []struct {
		err  *APIError
		want error // the only sentinel it matches; nil for none
	}{
		{&APIError{StatusCode: 404}, ErrNotFound},
		{&APIError{StatusCode: 401}, ErrUnauthorized},
		{&APIError{StatusCode: 403}, ErrForbidden},
		{&APIError{StatusCode: 409}, ErrConflict},
		{&APIError{StatusCode: 429}, ErrRateLimited},
		{&APIError{StatusCode: 503, rateLimited: true}, ErrRateLimited},
		{&APIError{StatusCode: 503}, nil},
		{&APIError{StatusCode: 400}, nil},
		{&APIError{StatusCode: 500}, nil},
	}
	for _, tt := range tests {
		for _, s := range sentinels {
			wrapped := fmt.Errorf("litmos: create user: %w", tt.err)
			if got := errors.Is(wrapped, s); got != (s == tt.want) {
				t.Errorf("errors.Is(%d, %v) = %v", tt.err.StatusCode, s, got)
			}
		}
	}
}

func TestPrintingConfigAndClient(t *testing.T) {
	cfg := Config{Vendor: "litmos", BaseURL: "https://u:pw-999999@api.litmos.com/v1.svc?apikey=AK-777777", Secrets: []string{"AK-777777", "other-555555"}}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{
		fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg),
		fmt.Sprintf("%v %+v %#v %s", c, c, c, c),
		fmt.Sprintf("%+v", Request{Method: "POST", Path: "users", Body: []byte(`{"password":"pw-999999"}`), Header: http.Header{"Authorization": {"Basic other-555555"}}}),
	} {
		for _, s := range []string{"pw-999999", "AK-777777", "other-555555"} {
			if strings.Contains(out, s) {
				t.Errorf("%q shows %q", out, s)
			}
		}
	}
}

// TestRetrySendsRequestAgain: a retry sends the headers, body and URL the
// first attempt sent (they are built again, not copied from the first
// attempt), Authorize's additions never spill into another header or into
// the caller's Request, and the caller's header map is left as it was.
func TestRetrySendsRequestAgain(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(503, "", ""), reply(200, "", "")}}
	srv, seen := noteRequests(t, s, func(r *http.Request, b []byte) string {
		return fmt.Sprintf("%s %s?%s|A=%q B=%q C=%q|%s|%s|%d|%s",
			r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Values("X-A"), r.Header.Values("X-B"), r.Header.Values("X-C"),
			r.Header.Get("Content-Type"), r.UserAgent(), r.ContentLength, b)
	})
	c := newClient(t, srv.URL+"/api", func(cfg *Config) {
		cfg.Authorize = func(r *http.Request) {
			r.Header.Add("X-A", "auth")
			r.Header.Add("X-B", "auth")
		}
	})
	yes := true
	hdr := http.Header{"X-A": {"a1"}, "X-B": {"b1", "b2"}, "X-C": {"c1"}}
	req := &Request{
		Method: "POST", Path: "users/" + url.PathEscape("a b"), Query: url.Values{"q": {"1"}},
		Header: hdr, Body: []byte(`{"n":1}`), ContentType: "application/json", Idempotent: &yes,
	}
	if _, err := c.Do(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	one := `POST /api/users/a%20b?q=1|A=["a1" "auth"] B=["b1" "b2" "auth"] C=["c1"]|application/json|` + DefaultUserAgent + `|7|{"n":1}`
	if d := cmp.Diff([]string{one, one}, seen()); d != "" {
		t.Errorf("attempts (-want +got):\n%s", d)
	}
	if d := cmp.Diff(http.Header{"X-A": {"a1"}, "X-B": {"b1", "b2"}, "X-C": {"c1"}}, hdr); d != "" {
		t.Errorf("caller's header changed (-want +got):\n%s", d)
	}
}

// TestRawQuery: an encoded RawQuery is sent as it is when it is the only
// query, and merged like Query with a path's or the base URL's query.
func TestRawQuery(t *testing.T) {
	tests := []struct {
		name, basePath, path, raw string
		query                     url.Values
		wantQuery                 string
	}{
		{"alone, as it is", "/api", "users", "z=1&a=2", nil, "z=1&a=2"},
		{"with Query", "/api", "users", "z=1", url.Values{"a": {"2"}}, "a=2&z=1"},
		{"with the path's query", "/api", "users?b=3", "z=1", nil, "b=3&z=1"},
		{"with the base query", "/api?format=json", "users", "z=1", nil, "format=json&z=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotPath, gotQuery := sentURL(t, tt.basePath, &Request{Method: "GET", Path: tt.path, RawQuery: tt.raw, Query: tt.query})
			if gotPath != "/api/users" || gotQuery != tt.wantQuery {
				t.Errorf("server saw %q ? %q, want /api/users ? %q", gotPath, gotQuery, tt.wantQuery)
			}
		})
	}
	c := newClient(t, "http://127.0.0.1:1", nil)
	if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x", RawQuery: "a=%zz", Query: url.Values{"b": {"1"}}}); err == nil || !strings.Contains(err.Error(), "bad RawQuery") {
		t.Errorf("bad RawQuery: %v", err)
	}
}

// TestBodyOnRedirectAndRetry: each attempt and each redirect hop (net/http's
// GetBody) sends the whole body, whatever reader the earlier ones used.
func TestBodyOnRedirectAndRetry(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(503, "", ""), reply(200, "", "")}}
	srv, seen := noteRequests(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a" {
			http.Redirect(w, r, "/b", http.StatusTemporaryRedirect)
			return
		}
		s.ServeHTTP(w, r)
	}), func(r *http.Request, b []byte) string { return r.URL.Path + " " + string(b) })
	c := newClient(t, srv.URL, nil)
	yes := true
	if _, err := c.Do(context.Background(), &Request{Method: "POST", Path: "a", Body: []byte("payload"), ContentType: "text/plain", Idempotent: &yes}); err != nil {
		t.Fatal(err)
	}
	want := []string{"/a payload", "/b payload", "/a payload", "/b payload"}
	if d := cmp.Diff(want, seen()); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

// noteRequests starts a server that serves h, first noting each request
// (its body read into b); seen returns the notes so far.
func noteRequests(t *testing.T, h http.Handler, note func(r *http.Request, b []byte) string) (srv *httptest.Server, seen func() []string) {
	var (
		mu    sync.Mutex
		notes []string
	)
	srv = newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		notes = append(notes, note(r, b))
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(notes)
	}
}

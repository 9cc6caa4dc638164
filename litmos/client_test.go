package litmos_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// newFake starts a fake Litmos for the test and returns it with a client for it.
func newFake(t *testing.T) (*litmostest.Server, *litmos.Client) {
	t.Helper()
	srv := litmostest.NewServer(t)
	return srv, srv.NewClient(t)
}

func seedUser(srv *litmostest.Server, name string) litmos.User {
	first, last, _ := strings.Cut(strings.Split(name, "@")[0], ".")
	if last == "" {
		last = "Doe"
	}
	return srv.AddUser(litmos.User{UserName: name, Email: name, FirstName: first, LastName: last, Active: true,
		IsCustomUsername: !strings.Contains(name, "@")})
}

// TestEveryRequestCarriesWhatLitmosRequires: apikey header (never the
// query), source, format=json, Accept JSON, and a Content-Type on every write.
func TestEveryRequestCarriesWhatLitmosRequires(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	u, err := c.CreateUser(ctx, litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true}, litmos.CreateUserParams{})
	if err != nil {
		t.Fatal(err)
	}
	team, err := c.CreateTeam(ctx, litmos.Team{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	course := srv.AddCourse(litmos.Course{Code: "C1", Name: "Safety", Active: true})
	steps := []error{
		c.DeactivateUser(ctx, u.ID),
		c.AddTeamMembers(ctx, team.ID, []string{u.ID}, litmos.MessageParams{}),
		c.RemoveTeamMember(ctx, team.ID, u.ID),
		c.AssignCourses(ctx, u.ID, []string{course.ID}, litmos.MessageParams{}),
		c.UnassignCourse(ctx, u.ID, course.ID),
		c.DeleteUser(ctx, u.ID),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	entries := srv.Log().Entries()
	if len(entries) < 9 {
		t.Fatalf("only %d requests logged", len(entries))
	}
	for _, e := range entries {
		if e.Header.Get("apikey") != litmostest.APIKey || e.Query.Has("apikey") {
			t.Errorf("%s %s: apikey header %q, in query %v", e.Method, e.Path, e.Header.Get("apikey"), e.Query.Has("apikey"))
		}
		if e.Query.Get("source") != litmostest.Source || e.Query.Get("format") != "json" {
			t.Errorf("%s %s: query %v lacks source or format=json", e.Method, e.Path, e.Query)
		}
		if !strings.Contains(e.Header.Get("Accept"), "application/json") {
			t.Errorf("%s %s: Accept %q", e.Method, e.Path, e.Header.Get("Accept"))
		}
		if litmostest.IsWrite(e) && e.Header.Get("Content-Type") == "" {
			t.Errorf("%s %s: no Content-Type", e.Method, e.Path)
		}
		if e.Status/100 != 2 {
			t.Errorf("%s %s answered %d", e.Method, e.Path, e.Status)
		}
		if !strings.HasPrefix(e.Path, litmostest.ServicePath+"/") {
			t.Errorf("%s %s is outside the base path", e.Method, e.Path)
		}
	}
}

func TestNewValidates(t *testing.T) {
	long := strings.Repeat("s", 51)
	tests := []struct {
		name, key, source string
		opts              []litmos.Option
		want              string
	}{
		{"no key", "", "app", nil, "API key is empty"},
		{"no source", "k", "", nil, "source is empty"},
		{"long source", "k", long, nil, "at most 50"},
		{"bad region", "k", "app", []litmos.Option{litmos.WithRegion("MARS")}, `unknown region "MARS"`},
		{"relative base", "k", "app", []litmos.Option{litmos.WithBaseURL("/v1.svc")}, "not an absolute"},
		{"bad limit", "k", "app", []litmos.Option{litmos.WithRateLimit(litmos.Limit{Requests: 10, Per: 0})}, "rate limit"},
		{"bad retry", "k", "app", []litmos.Option{litmos.WithRetry(litmos.RetryPolicy{MinWait: -1})}, "negative"},
		{"nil client", "k", "app", []litmos.Option{litmos.WithHTTPClient(nil)}, "nil *http.Client"},
		{"newline UA", "k", "app", []litmos.Option{litmos.WithUserAgent("a\r\nb")}, "line break"},
		{"zero bulk poll", "k", "app", []litmos.Option{litmos.WithBulkPoll(0)}, "WithBulkPoll"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := litmos.New(tt.key, tt.source, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRegions(t *testing.T) {
	for region, want := range map[litmos.Region]string{
		litmos.US: "https://api.litmos.com/v1.svc/courses/c1",
		litmos.EU: "https://api.litmoseu.com/v1.svc/courses/c1",
		litmos.AU: "https://api.litmos.com.au/v1.svc/courses/c1",
	} {
		var got string
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			u := *r.URL
			u.RawQuery = ""
			got = u.String()
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(`{"Id":"c1"}`)), Request: r}, nil
		})}
		c, err := litmos.New("k", "app", litmos.WithRegion(region), litmos.WithHTTPClient(hc), litmos.WithRateLimit(litmos.Limit{}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetCourse(context.Background(), "c1"); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: called %s, want %s", region, got, want)
		}
	}
}

// TestAPIKeyNeverLeaks: the fake echoes a wrong key in its 401 message, as
// the real service may; neither the error nor the debug log may show it.
func TestAPIKeyNeverLeaks(t *testing.T) {
	const secret = "9f8e7d6c-SECRET-key-0000"
	srv := litmostest.NewServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := litmos.New(secret, "app", litmos.WithBaseURL(srv.BaseURL()), litmos.WithHTTPClient(srv.Client()),
		litmos.WithLogger(logger), litmos.WithRateLimit(litmos.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(context.Background(), "someone")
	if !errors.Is(err, litmos.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	var apiErr *litmos.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %#v, want an *APIError with 401", err)
	}
	if !strings.Contains(err.Error(), "Invalid API key") {
		t.Errorf("error %q lost Litmos's message", err)
	}
	printed := fmt.Sprintf("%v %+v %#v", c, c, c)
	for what, s := range map[string]string{"error": err.Error(), "error chain": fmtAll(err), "log": logs.String(), "printed client": printed} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows the API key: %s", what, s)
		}
	}
	if logs.Len() == 0 {
		t.Error("the debug logger recorded nothing; the log check proves nothing")
	}
}

func fmtAll(err error) string {
	var b strings.Builder
	for e := err; e != nil; e = errors.Unwrap(e) {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestRateLimit503: past the per-key limit the fake answers 503 (no
// Retry-After); the client reports ErrRateLimited, and the same call works
// once the injected clock moves past the window.
func TestRateLimit503(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	srv := litmostest.NewServer(t, litmostest.WithRateLimit(litmostest.RateLimit{Requests: 3, Per: time.Minute, OmitRetryAfter: true}))
	srv.SetClock(func() time.Time { return now })
	c := srv.NewClient(t, litmos.WithRetry(litmos.RetryPolicy{MaxRetries: -1}))
	for i := 0; i < 3; i++ {
		if _, err := c.ListUsersPage(ctx, litmos.ListUsersParams{}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	_, err := c.ListUsersPage(ctx, litmos.ListUsersParams{})
	var apiErr *litmos.APIError
	if !errors.Is(err, litmos.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("4th call: %v, want a 503 matching ErrRateLimited", err)
	}
	// Another key has its own bucket.
	srv.AddAPIKey("second-key")
	other, err := litmos.New("second-key", "app", litmos.WithBaseURL(srv.BaseURL()), litmos.WithHTTPClient(srv.Client()), litmos.WithRateLimit(litmos.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ListUsersPage(ctx, litmos.ListUsersParams{}); err != nil {
		t.Errorf("second key: %v, want its own limit", err)
	}
	now = now.Add(61 * time.Second)
	if _, err := c.ListUsersPage(ctx, litmos.ListUsersParams{}); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

// TestRetriesRateLimitAnswers: 503 and 429 (with or without Retry-After)
// are retried, for reads and for creates, which Litmos did not apply.
func TestRetriesRateLimitAnswers(t *testing.T) {
	for _, f := range []litmostest.Fault{
		{Status: 503, Times: 2},
		{Status: 429, RetryAfter: "1", Times: 2},
	} {
		srv, c := newFake(t)
		f.Method = http.MethodPost
		srv.AddFault(f)
		u, err := c.CreateUser(context.Background(), litmos.User{UserName: "bo@example.com", Email: "bo@example.com", LastName: "Bo"}, litmos.CreateUserParams{})
		if err != nil {
			t.Fatalf("status %d: %v", f.Status, err)
		}
		if got := len(srv.Users()); got != 1 || u.ID == "" {
			t.Errorf("status %d: %d users, id %q; want exactly one", f.Status, got, u.ID)
		}
		if n := srv.Log().Count(litmostest.IsWrite); n != 3 {
			t.Errorf("status %d: %d writes, want 3 (two rejected, one applied)", f.Status, n)
		}
	}
}

func TestNonJSONAnswerIsAClearError(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(litmostest.Fault{Status: 200, Body: `<?xml version="1.0"?><Users></Users>`})
	_, err := c.ListUsersPage(context.Background(), litmos.ListUsersParams{})
	if err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("err = %v, want a clear not-JSON error", err)
	}
	srv.ClearFaults()
	srv.AddFault(litmostest.Fault{Status: 500, Body: "<html><body><h1>Request Error</h1></body></html>"})
	_, err = c.GetCourse(context.Background(), "c1")
	var apiErr *litmos.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Errorf("err = %v, want an *APIError with 500", err)
	}
}

// BenchmarkListUsersOnFake lists 10,000 users through the client and the
// fake: 10 calls of 1000.
func BenchmarkListUsersOnFake(b *testing.B) {
	srv := litmostest.NewServer(b, litmostest.WithoutRateLimit())
	for i := 0; i < 10000; i++ {
		srv.AddUser(litmos.User{UserName: "u" + strings.Repeat("x", i%7) + strconv.Itoa(i) + "@example.com", LastName: "L", Active: true})
	}
	c := srv.NewClient(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for _, err := range c.ListUsers(context.Background(), litmos.ListUsersParams{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatalf("listed %d", n)
		}
	}
}

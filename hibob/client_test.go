package hibob_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

var ctx = context.Background()

// fixedClock pins the fake to 2026-06-01, so the seeded leaver has left and
// the future starter starts on 2026-07-31.
func fixedClock() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }

func seeded(t *testing.T, opts ...hibobtest.Option) (*hibobtest.Server, map[string]string) {
	t.Helper()
	srv := hibobtest.NewServer(t, opts...)
	srv.SetClock(fixedClock)
	return srv, srv.SeedCompany()
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name, id, token string
		opts            []hibob.Option
		want            string
	}{
		{name: "empty id", id: "", token: "t", want: "service user ID is empty"},
		{name: "colon in id", id: "a:b", token: "t", want: "colon"},
		{name: "space in id", id: "a b", token: "t", want: "whitespace"},
		{name: "empty token", id: "SERVICE-1", token: "", want: "service user token is empty"},
		{name: "newline in token", id: "SERVICE-1", token: "sec\nret", want: "whitespace or a control character"},
		{name: "relative base", id: "SERVICE-1", token: "t", opts: []hibob.Option{hibob.WithBaseURL("/v1")}, want: "absolute"},
		{name: "nil client", id: "SERVICE-1", token: "t", opts: []hibob.Option{hibob.WithHTTPClient(nil)}, want: "nil"},
		{name: "bad limit", id: "SERVICE-1", token: "t", opts: []hibob.Option{hibob.WithRateLimit(hibob.Limit{Requests: 1})}, want: "rate limit"},
		{name: "bad endpoint limit", id: "SERVICE-1", token: "t", opts: []hibob.Option{hibob.WithEndpointRateLimit(hibob.SearchEndpoint, hibob.Limit{Requests: -1})}, want: "search endpoint"},
		{name: "unknown endpoint", id: "SERVICE-1", token: "t", opts: []hibob.Option{hibob.WithEndpointRateLimit(hibob.Endpoint(9), hibob.Limit{})}, want: "unknown endpoint group"},
		{name: "newline UA", id: "SERVICE-1", token: "t", opts: []hibob.Option{hibob.WithUserAgent("a\nb")}, want: "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := hibob.New(tt.id, tt.token, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want an error containing %q", err, tt.want)
			}
			if tt.token == "sec\nret" && strings.Contains(err.Error(), "sec") {
				t.Errorf("error shows the token: %v", err)
			}
		})
	}
	if _, err := hibob.New("SERVICE-1", "t"); err != nil {
		t.Fatalf("valid New: %v", err)
	}
}

func TestRateLimitDefaultsAndOptions(t *testing.T) {
	perMinute := func(n int) hibob.Limit { return hibob.Limit{Requests: n, Per: time.Minute, Burst: 1} }
	tests := []struct {
		name                string
		opts                []hibob.Option
		search, read, write hibob.Limit
	}{
		{name: "documented defaults", search: perMinute(50), read: perMinute(50), write: perMinute(10)},
		{name: "WithRateLimit sets all", opts: []hibob.Option{hibob.WithRateLimit(hibob.Limit{})}},
		{name: "endpoint option wins, in any order", opts: []hibob.Option{
			hibob.WithEndpointRateLimit(hibob.SearchEndpoint, perMinute(5)), hibob.WithRateLimit(perMinute(30)),
		}, search: perMinute(5), read: perMinute(30), write: perMinute(30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := hibob.New("SERVICE-1", "t", tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got := []hibob.Limit{c.RateLimit(hibob.SearchEndpoint), c.RateLimit(hibob.ReadEndpoint), c.RateLimit(hibob.WriteEndpoint)}
			if diff := cmp.Diff([]hibob.Limit{tt.search, tt.read, tt.write}, got); diff != "" {
				t.Errorf("limits search, read, write (-want +got):\n%s", diff)
			}
		})
	}
}

// Searches wait on their own limiter: once it is spent, a search cannot
// start before the context's deadline, while a read of one employee goes
// through at once.
func TestSearchHasItsOwnLimiter(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t, hibob.WithEndpointRateLimit(hibob.SearchEndpoint, hibob.Limit{Requests: 1, Per: time.Hour}))
	if _, err := c.SearchPeople(ctx, hibob.SearchParams{}); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := c.SearchPeople(short, hibob.SearchParams{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second search = %v, want the limiter to refuse it before the deadline", err)
	}
	if _, err := c.GetEmployee(short, ids["ceo"], hibob.GetEmployeeParams{}); err != nil {
		t.Fatalf("read of one employee waited on the search limiter: %v", err)
	}
	if n := srv.Log().Count(func(e hibobtest.Entry) bool { return e.Path == "/v1/people/search" }); n != 1 {
		t.Errorf("%d searches reached the server, want 1", n)
	}
}

func TestRequestHeaders(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t, hibob.WithUserAgent("acme-sync/1.0"))
	if _, err := c.SearchPeople(ctx, hibob.SearchParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.NamedList(ctx, hibob.ListDepartment, hibob.NamedListParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetEmployee(ctx, ids["engineer"], hibob.GetEmployeeParams{}); err != nil {
		t.Fatal(err)
	}
	entries := srv.Log().Entries()
	wantPaths := []string{"/v1/people/search", "/v1/company/named-lists/department", "/v1/people/" + ids["engineer"]}
	var paths []string
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(hibobtest.ServiceUserID+":"+hibobtest.ServiceUserToken))
	for _, e := range entries {
		paths = append(paths, e.Path)
		if got := e.Header.Get("Authorization"); got != wantAuth {
			t.Errorf("%s %s: Authorization = %q", e.Method, e.Path, got)
		}
		if got := e.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept = %q", e.Method, e.Path, got)
		}
		if got := e.Header.Get("User-Agent"); got != "acme-sync/1.0" {
			t.Errorf("User-Agent = %q", got)
		}
		wantCT := "application/json"
		if e.Method == http.MethodGet {
			wantCT = ""
		}
		if got := e.Header.Get("Content-Type"); got != wantCT {
			t.Errorf("%s %s: Content-Type = %q, want %q", e.Method, e.Path, got, wantCT)
		}
	}
	if diff := cmp.Diff(wantPaths, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if got := entries[1].Query.Get("includeArchived"); got != "false" {
		t.Errorf("includeArchived = %q", got)
	}
}

func TestLegacyAccessToken(t *testing.T) {
	srv, _ := seeded(t)
	const token = "legacy-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	c, err := hibob.NewWithAccessToken(token, hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()),
		hibob.WithRetry(hibob.RetryPolicy{MaxRetries: -1}), hibob.WithRateLimit(hibob.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fields(ctx); !errors.Is(err, hibob.ErrUnauthorized) {
		t.Fatalf("switched-off token: %v, want ErrUnauthorized", err)
	}
	srv.AddAccessToken(token)
	if _, err := c.Fields(ctx); err != nil {
		t.Fatalf("accepted token: %v", err)
	}
	for _, e := range srv.Log().Entries() {
		if got := e.Header.Get("Authorization"); got != token {
			t.Errorf("Authorization = %q, want the raw token", got)
		}
	}
}

func TestAuthFailures(t *testing.T) {
	srv, _ := seeded(t)
	wrong, err := hibob.New(hibobtest.ServiceUserID, "wrong-token-5555", hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := hibob.New("SERVICE-0000", hibobtest.ServiceUserToken, hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*hibob.Client{"wrong token": wrong, "unknown service user": unknown} {
		srv.Log().Reset()
		_, err := c.SearchPeople(ctx, hibob.SearchParams{})
		var apiErr *hibob.APIError
		if !errors.Is(err, hibob.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.Code != "unauthorized" {
			t.Errorf("%s: %v, want a 401 APIError", name, err)
		}
		if !strings.HasPrefix(err.Error(), "hibob: search people: POST /v1/people/search: 401") {
			t.Errorf("%s: error text %q", name, err)
		}
		// HiBob's firewall blocks repeated 401s: never retry them.
		if n := srv.Log().Count(nil); n != 1 {
			t.Errorf("%s: %d requests, want 1 (no retry)", name, n)
		}
	}
	srv.RemoveServiceUser(hibobtest.ServiceUserID)
	if _, err := srv.NewClient(t).Fields(ctx); !errors.Is(err, hibob.ErrUnauthorized) {
		t.Errorf("revoked service user: %v", err)
	}
}

func TestForbiddenWrites(t *testing.T) {
	srv, ids := seeded(t)
	srv.AddServiceUser("SERVICE-RO", "read-only-token-1234", hibobtest.Permissions{ReadOnly: true})
	c, err := hibob.New("SERVICE-RO", "read-only-token-1234", hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateEmployee(ctx, ids["engineer"], map[string]any{"home.mobilePhone": "1"})
	if !errors.Is(err, hibob.ErrForbidden) {
		t.Errorf("read-only update: %v, want ErrForbidden", err)
	}
}

func TestDecodeErrorShapes(t *testing.T) {
	srv, _ := seeded(t)
	c := srv.NewClient(t, hibob.WithRetry(hibob.RetryPolicy{MaxRetries: -1}))
	tests := []struct {
		body, want string
	}{
		{`{"key":"badRequest","error":"Site Mars does not exist"}`, "400 badRequest: Site Mars does not exist"},
		{`{"errorMessage":"The service user has no permission"}`, "400 The service user has no permission"},
		{`{"errors":{"work.site":{"error":"MISSING_MANDATORY_FIELD","message":"Site is mandatory"}}}`, "400 work.site: MISSING_MANDATORY_FIELD: Site is mandatory"},
		{`{"error":"Bad Request","message":"goal not found","statusCode":400}`, "400 Bad Request"},
		{`<!DOCTYPE html><html>Bad</html>`, "400 Bad Request"},
	}
	for _, tt := range tests {
		srv.ClearFaults()
		srv.AddFault(hibobtest.Fault{Path: "/v1/company/people/fields", Status: 400, Body: tt.body})
		_, err := c.Fields(ctx)
		if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("body %s: error %v, want it to end %q", tt.body, err, tt.want)
		}
	}
}

func TestHTMLInsteadOfJSON(t *testing.T) {
	srv, _ := seeded(t)
	c := srv.NewClient(t)
	srv.AddFault(hibobtest.Fault{Path: "/v1/company/people/fields", Status: 200, Body: "<!DOCTYPE html><html><body>app</body></html>"})
	if _, err := c.Fields(ctx); err == nil || !strings.Contains(err.Error(), "expected JSON, got HTML") {
		t.Errorf("HTML 200: %v", err)
	}
}

func TestFieldsMetadata(t *testing.T) {
	srv, _ := seeded(t)
	fields, err := srv.NewClient(t).Fields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]hibob.FieldMeta{}
	for _, f := range fields {
		byID[f.ID] = f
	}
	want := hibob.FieldMeta{ID: "work.department", Category: "work", CategoryID: "work", CategoryDisplayName: "Work",
		Name: "Department", JSONPath: "work.department", Type: "list", TypeData: hibob.FieldTypeData{ListID: "department"}, Historical: true}
	if diff := cmp.Diff(want, byID["work.department"]); diff != "" {
		t.Errorf("work.department (-want +got):\n%s", diff)
	}
	if f := byID[hibobtest.SubDepartmentField]; f.Name != "Sub-department" || f.JSONPath != hibobtest.SubDepartmentField {
		t.Errorf("custom field = %+v", f)
	}

	var golden []hibob.FieldMeta
	if err := json.Unmarshal(readGolden(t, "fields.json"), &golden); err != nil {
		t.Fatal(err)
	}
	if got := golden[2]; got.Description != "Team below the department" || got.Historical || golden[1].TypeData.ListID != "department" {
		t.Errorf("golden fields = %+v", golden)
	}
}

package learnamptest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// reply is what the fake answered a raw request.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func send(t *testing.T, srv *learnamptest.Server, method, path, contentType, body string, header http.Header) reply {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &r.body)
	return r
}

// token gets an access token with the default key.
func token(t *testing.T, srv *learnamptest.Server) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {learnamptest.ClientID}, "client_secret": {learnamptest.ClientSecret}}
	r := send(t, srv, "POST", "/oauth/token", "application/x-www-form-urlencoded", form.Encode(), nil)
	if r.status != 200 {
		t.Fatalf("token: %d %s", r.status, r.raw)
	}
	return r.body["access_token"].(string)
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

func TestTokenEndpoint(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := learnamptest.NewServer(t)
	srv.SetClock(clk.Now)
	srv.AddAPIKey("scoped", "scoped-secret", "users:read", "teams:read")
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	tests := []struct {
		name, ct, body string
		header         http.Header
		status         int
		code           string
		scope          string
	}{
		{"form", "application/x-www-form-urlencoded", form("grant_type", "client_credentials", "client_id", learnamptest.ClientID, "client_secret", learnamptest.ClientSecret), nil, 200, "", "public"},
		{"basic auth", "application/x-www-form-urlencoded", form("grant_type", "client_credentials"),
			http.Header{"Authorization": {"Basic " + basic(learnamptest.ClientID, learnamptest.ClientSecret)}}, 200, "", "public"},
		{"scoped key with its scopes", "application/x-www-form-urlencoded", form("grant_type", "client_credentials", "client_id", "scoped", "client_secret", "scoped-secret", "scope", "users:read teams:read"), nil, 200, "", "teams:read users:read"},
		{"scoped key without scope", "application/x-www-form-urlencoded", form("grant_type", "client_credentials", "client_id", "scoped", "client_secret", "scoped-secret"), nil, 400, "invalid_scope", ""},
		{"scope not held", "application/x-www-form-urlencoded", form("grant_type", "client_credentials", "client_id", "scoped", "client_secret", "scoped-secret", "scope", "users:delete"), nil, 400, "invalid_scope", ""},
		{"unknown scope", "application/x-www-form-urlencoded", form("grant_type", "client_credentials", "client_id", learnamptest.ClientID, "client_secret", learnamptest.ClientSecret, "scope", "everything"), nil, 400, "invalid_scope", ""},
		{"wrong secret", "application/x-www-form-urlencoded", form("grant_type", "client_credentials", "client_id", learnamptest.ClientID, "client_secret", "nope"), nil, 401, "invalid_client", ""},
		{"no credentials", "application/x-www-form-urlencoded", form("grant_type", "client_credentials"), nil, 401, "invalid_client", ""},
		{"other grant", "application/x-www-form-urlencoded", form("grant_type", "password", "client_id", learnamptest.ClientID, "client_secret", learnamptest.ClientSecret), nil, 400, "unsupported_grant_type", ""},
		{"no grant", "application/x-www-form-urlencoded", form("client_id", learnamptest.ClientID), nil, 400, "invalid_request", ""},
		{"json body", "application/json", `{"grant_type":"client_credentials"}`, nil, 400, "invalid_request", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, srv, "POST", "/oauth/token", tt.ct, tt.body, tt.header)
			if r.status != tt.status {
				t.Fatalf("status %d %s, want %d", r.status, r.raw, tt.status)
			}
			if tt.status != 200 {
				if r.body["error"] != tt.code || r.body["error_description"] == "" {
					t.Errorf("body %s, want error %s", r.raw, tt.code)
				}
				return
			}
			want := map[string]any{"token_type": "Bearer", "expires_in": 7200.0, "scope": tt.scope, "created_at": float64(clk.Now().Unix())}
			got := map[string]any{}
			for k := range want {
				got[k] = r.body[k]
			}
			if d := cmp.Diff(want, got); d != "" || len(r.body["access_token"].(string)) < 20 {
				t.Errorf("token reply (-want +got):\n%s%s", d, r.raw)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
			}
		})
	}
	if r := send(t, srv, "GET", "/oauth/token", "", "", nil); r.status != 404 {
		t.Errorf("GET token: %d", r.status)
	}
}

func basic(u, p string) string {
	req, _ := http.NewRequest("GET", "http://x", nil)
	req.SetBasicAuth(u, p)
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// TestBearerChecks: missing, unknown, expired (by the clock and by
// ExpireTokens) and under-scoped tokens.
func TestBearerChecks(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := learnamptest.NewServer(t)
	srv.SetClock(clk.Now)
	tok := token(t, srv)
	check := func(name string, h http.Header, status int, desc string) {
		t.Helper()
		r := send(t, srv, "GET", "/v1/users", "", "", h)
		if r.status != status || (desc != "" && r.body["error_description"] != desc) {
			t.Errorf("%s: %d %s, want %d %q", name, r.status, r.raw, status, desc)
		}
		if status == 401 && !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("%s: WWW-Authenticate %q", name, r.header.Get("WWW-Authenticate"))
		}
	}
	check("good", bearer(tok), 200, "")
	check("missing", nil, 401, "The access token is invalid")
	check("unknown", bearer("nope"), 401, "The access token is invalid")
	check("basic scheme", http.Header{"Authorization": {"Basic " + tok}}, 401, "The access token is invalid")
	clk.add(2*time.Hour - time.Second)
	check("last second", bearer(tok), 200, "")
	clk.add(time.Second)
	check("expired", bearer(tok), 401, "The access token expired")
	tok2 := token(t, srv)
	srv.ExpireTokens()
	check("expired by ExpireTokens", bearer(tok2), 401, "The access token expired")
	if ts := srv.Tokens(); len(ts) != 2 || ts[0].AccessToken != tok || ts[1].AccessToken != tok2 || !ts[1].ExpiresAt.Equal(clk.Now()) {
		t.Errorf("Tokens %+v", ts)
	}

	srv.AddAPIKey("reader", "reader-secret", "users:read")
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"reader"}, "client_secret": {"reader-secret"}, "scope": {"users:read"}}
	r := send(t, srv, "POST", "/oauth/token", "application/x-www-form-urlencoded", form.Encode(), nil)
	reader := r.body["access_token"].(string)
	check("scoped read", bearer(reader), 200, "")
	if r := send(t, srv, "GET", "/v1/teams", "", "", bearer(reader)); r.status != 403 || r.body["error"] != "insufficient_scope" {
		t.Errorf("teams with users:read: %d %s", r.status, r.raw)
	}
}

// TestRequestShapeChecks: formats, content types, undocumented fields and
// filters, bad paging, unknown paths and methods.
func TestRequestShapeChecks(t *testing.T) {
	srv := learnamptest.NewServer(t)
	srv.AddTeam(learnamptest.Team{Name: "Ops", IntegrationExternalID: "ops"})
	tok := token(t, srv)
	accept := func(a string) http.Header { h := bearer(tok); h.Set("Accept", a); return h }
	tests := []struct {
		name, method, path, ct, body string
		header                       http.Header
		status                       int
		errText                      string
	}{
		{"xml asked", "GET", "/v1/users", "", "", accept("application/xml"), 406, ""},
		{"xml suffix", "GET", "/v1/users.xml", "", "", bearer(tok), 406, ""},
		{"json suffix", "GET", "/v1/users.json", "", "", bearer(tok), 200, ""},
		{"form body", "POST", "/v1/users", "application/x-www-form-urlencoded", "email=a@b.test", bearer(tok), 415, "The provided content-type 'application/x-www-form-urlencoded' is not supported."},
		{"not an object", "POST", "/v1/users", "application/json", `[1]`, bearer(tok), 400, "The request body is not a JSON object."},
		{"undocumented field", "POST", "/v1/users", "application/json", `{"email":"a@b.test","firstName":"A","lastName":"B","nickname":"x"}`, bearer(tok), 400, "nickname is not a documented parameter of this endpoint (learnamptest)"},
		{"id as a string", "POST", "/v1/users", "application/json", `{"email":"a@b.test","firstName":"A","lastName":"B","managerId":"1"}`, bearer(tok), 400, "managerId is invalid"},
		{"skipInvitation as a string", "POST", "/v1/users", "application/json", `{"email":"a@b.test","firstName":"A","lastName":"B","skipInvitation":"true"}`, bearer(tok), 400, "skipInvitation is invalid"},
		{"missing fields", "POST", "/v1/users", "application/json", `{}`, bearer(tok), 400, "email is missing, email is empty, firstName is missing, lastName is missing"},
		{"blank fields", "POST", "/v1/users", "application/json", `{"email":"","firstName":" ","lastName":"B"}`, bearer(tok), 400, "email is empty, firstName is empty"},
		{"bad email", "POST", "/v1/users", "application/json", `{"email":"nope","firstName":"A","lastName":"B"}`, bearer(tok), 400, "email is invalid"},
		{"bad hire date", "POST", "/v1/users", "application/json", `{"email":"a@b.test","firstName":"A","lastName":"B","hireDate":"01/02/2026"}`, bearer(tok), 400, "hireDate is invalid"},
		{"exclusive", "POST", "/v1/users", "application/json", `{"email":"a@b.test","firstName":"A","lastName":"B","managerId":1,"managerEmail":"m@b.test"}`, bearer(tok), 400, "managerId, managerEmail are mutually exclusive"},
		{"undocumented filter", "GET", "/v1/users?filters[emial]=a@b.test", "", "", bearer(tok), 400, "filters[emial] is not a documented parameter of this endpoint (learnamptest)"},
		{"bad status filter", "GET", "/v1/users?filters[status][]=active", "", "", bearer(tok), 400, "filters[status] does not have a valid value"},
		{"bad date filter", "GET", "/v1/users?filters[updated_at][from]=yesterday", "", "", bearer(tok), 400, "filters[updated_at][from] is invalid"},
		{"page 0", "GET", "/v1/users?page=0", "", "", bearer(tok), 400, "page is invalid"},
		{"perPage x", "GET", "/v1/teams?perPage=x", "", "", bearer(tok), 400, "perPage is invalid"},
		{"unknown path", "GET", "/v1/courses", "", "", bearer(tok), 404, "Not found"},
		{"outside v1", "GET", "/v2/users", "", "", bearer(tok), 404, "Not found"},
		{"wrong method", "PATCH", "/v1/users", "", "", bearer(tok), 405, "405 Not Allowed"},
		{"unknown user", "GET", "/v1/users/42", "", "", bearer(tok), 404, "Not found"},
		{"user id not a number", "GET", "/v1/users/abc", "", "", bearer(tok), 404, "Not found"},
		{"unknown team external id", "PUT", "/v1/teams/by_external_id/none", "application/json", `{"name":"X"}`, bearer(tok), 404, "Not found"},
		{"team update without name", "PUT", "/v1/teams/by_external_id/ops", "application/json", `{"tags":"a"}`, bearer(tok), 400, "name is missing, name is empty"},
		{"team parent by unknown name", "POST", "/v1/teams", "application/json", `{"name":"X","parentTeamName":"Nope"}`, bearer(tok), 400, "parentTeamName must match existing teams names"},
		{"team exclusive", "POST", "/v1/teams", "application/json", `{"name":"X","parentTeamId":1,"parentTeamName":"Nope"}`, bearer(tok), 400, "parentTeamId, parentTeamName are mutually exclusive"},
		{"team under its own sub-team", "POST", "/v1/teams", "application/json", `{"name":"X","parentTeamId":301,"subTeamIds":[301]}`, bearer(tok), 400, "subTeamIds cannot include the parent team or one of its ancestors"},
		{"bulk without users", "POST", "/v1/teams/by_external_id/ops/bulk/users", "application/json", `{"userIds":[]}`, bearer(tok), 400, "userIds is missing, userIds is empty"},
		{"add without userId", "POST", "/v1/teams/by_external_id/ops/users", "application/json", `{}`, bearer(tok), 400, "userId is missing, userId is empty"},
		{"remove a non-member", "DELETE", "/v1/teams/by_external_id/ops/users/1001", "", "", bearer(tok), 404, "Not found"},
		{"alt add with nothing", "POST", "/v1/teams/users", "application/json", `{}`, bearer(tok), 400,
			"teamId, teamName, teamIntegrationExternalId are missing, exactly one parameter must be provided"},
		{"alt add with two teams", "POST", "/v1/teams/users", "application/json", `{"teamId":1,"teamName":"A","userId":1}`, bearer(tok), 400,
			"teamId, teamName are mutually exclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, srv, tt.method, tt.path, tt.ct, tt.body, tt.header)
			if r.status != tt.status {
				t.Fatalf("status %d %s, want %d", r.status, r.raw, tt.status)
			}
			if tt.errText != "" && r.body["error"] != tt.errText {
				t.Errorf("error %q, want %q", r.body["error"], tt.errText)
			}
		})
	}
}

// TestListHeaders: Total, Per-Page (clamped at MaxPerPage) and Total-Pages.
func TestListHeaders(t *testing.T) {
	srv := learnamptest.NewServer(t)
	for i := 0; i < 130; i++ {
		srv.AddTeam(learnamptest.Team{Name: "T"})
	}
	tok := token(t, srv)
	for _, tt := range []struct {
		query, per, pages string
		items             int
	}{{"", "25", "6", 25}, {"?perPage=500", "100", "2", 100}, {"?perPage=100&page=2", "100", "2", 30}, {"?page=9", "25", "6", 0}} {
		r := send(t, srv, "GET", "/v1/teams"+tt.query, "", "", bearer(tok))
		got := []string{r.header.Get("Total"), r.header.Get("Per-Page"), r.header.Get("Total-Pages")}
		if d := cmp.Diff([]string{"130", tt.per, tt.pages}, got); d != "" || len(r.body["teams"].([]any)) != tt.items {
			t.Errorf("%s: headers (-want +got) %s, %d items", tt.query, d, len(r.body["teams"].([]any)))
		}
	}
}

// TestReplyShapes: ids are numbers, short and full user forms, the
// status text, and empty lists as [].
func TestReplyShapes(t *testing.T) {
	srv := learnamptest.NewServer(t)
	co := srv.SeedCompany()
	tok := token(t, srv)
	list := send(t, srv, "GET", "/v1/users?filters[integration_external_id]=HR-3", "", "", bearer(tok))
	u := list.body["users"].([]any)[0].(map[string]any)
	if _, ok := u["manager"]; ok {
		t.Errorf("short form carries manager: %v", u)
	}
	if u["id"] != 1003.0 || u["status"].(map[string]any)["status"] != "Invite pending" || u["profileUrl"] != "https://rostersync-test.learnamp.com/en/users/1003" {
		t.Errorf("short user %v", u)
	}
	full := send(t, srv, "GET", "/v1/users/"+co.Users["HR-3"], "", "", bearer(tok))
	if full.body["manager"].(map[string]any)["id"] != 1001.0 || full.body["primaryTeam"].(map[string]any)["apiTeamPath"] != "/v1/teams/304.json" {
		t.Errorf("full user %s", full.raw)
	}
	team := send(t, srv, "GET", "/v1/teams/"+co.Teams["dept-3"], "", "", bearer(tok))
	if team.body["parentTeamId"] != nil || len(team.body["users"].([]any)) != 0 || team.body["tags"] == nil || team.body["manager"] != nil {
		t.Errorf("team %s", team.raw)
	}
	left, _ := srv.UserByExternalID("HR-6")
	if left.Status != learnamp.StatusDeactivated || left.DeactivatedAt.IsZero() {
		t.Errorf("seeded leaver %+v", left)
	}
}

// TestSeedsAndInspection: the seed helpers index what they store.
func TestSeedsAndInspection(t *testing.T) {
	srv := learnamptest.NewServer(t)
	team := srv.AddTeam(learnamptest.Team{Name: "Ops", IntegrationExternalID: "ops"})
	srv.AddCustomField("Division", true)
	id := srv.AddUser(learnamptest.User{Email: "Ada@Acme.test", FirstName: "Ada", LastName: "L", IntegrationExternalID: "HR-1",
		PrimaryTeamID: team, CustomFields: map[string]string{"Division": "EU"}})
	if u, ok := srv.UserByEmail("ada@acme.test"); !ok || u.ID != id || u.TimeZone != "London" || u.Role != "viewer" || u.Status != learnamp.StatusConfirmed {
		t.Errorf("by email %+v %v", u, ok)
	}
	if u, ok := srv.UserByExternalID("HR-1"); !ok || u.PrimaryTeamID != team || u.CustomFields["Division"] != "EU" {
		t.Errorf("by external id %+v", u)
	}
	if tm, ok := srv.TeamByExternalID("ops"); !ok || tm.ID != team {
		t.Errorf("team %+v", tm)
	}
	if got := srv.TeamUsers(team); cmp.Diff([]string{id}, got) != "" {
		t.Errorf("team users %v", got)
	}
	// Clearing a presence-validated custom field is refused; the value stays.
	c := srv.NewClient(t)
	_, err := c.UpdateUser(context.Background(), id, learnamp.UpdateUserParams{Email: "Ada@Acme.test", FirstName: "Ada", LastName: "L",
		CustomFields: []learnamp.CustomField{{Name: "Division", Value: ""}}})
	var apiErr *learnamp.APIError
	if !asAPI(err, &apiErr) || apiErr.Message != "Validation failed: Value can't be blank" {
		t.Errorf("clearing a required field: %v", err)
	}
	if u, _ := srv.User(id); u.CustomFields["Division"] != "EU" {
		t.Errorf("value lost: %+v", u.CustomFields)
	}
}

func asAPI(err error, target **learnamp.APIError) bool {
	for e := err; e != nil; {
		if a, ok := e.(*learnamp.APIError); ok {
			*target = a
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// TestOccupationAndHR: occupationRole must exist (422), role hr needs the
// HR package (422 without, fine with).
func TestOccupationAndHR(t *testing.T) {
	for _, withHR := range []bool{false, true} {
		var opts []learnamptest.Option
		if withHR {
			opts = append(opts, learnamptest.WithHRPackage())
		}
		srv := learnamptest.NewServer(t, opts...)
		tok := token(t, srv)
		r := send(t, srv, "POST", "/v1/users", "application/json", `{"email":"h@acme.test","firstName":"H","lastName":"R","role":"hr","skipInvitation":true}`, bearer(tok))
		if want := map[bool]int{false: 422, true: 201}[withHR]; r.status != want {
			t.Errorf("hr with package %v: %d %s", withHR, r.status, r.raw)
		}
	}
	srv := learnamptest.NewServer(t)
	id := srv.AddUser(learnamptest.User{Email: "a@acme.test", FirstName: "A", LastName: "B"})
	tok := token(t, srv)
	body := `{"email":"a@acme.test","firstName":"A","lastName":"B","occupationRole":"Pilot"}`
	if r := send(t, srv, "PUT", "/v1/users/"+id, "application/json", body, bearer(tok)); r.status != 422 || r.body["error"] != "occupationRole does not match an existing role in your company" {
		t.Errorf("unknown occupation: %d %s", r.status, r.raw)
	}
	srv.AddOccupationRole("Pilot")
	if r := send(t, srv, "PUT", "/v1/users/"+id, "application/json", body, bearer(tok)); r.status != 200 || r.body["occupationRole"] != "Pilot" {
		t.Errorf("known occupation: %d %s", r.status, r.raw)
	}
	if r := send(t, srv, "PUT", "/v1/users/"+id, "application/json", `{"jobTitle":"x"}`, bearer(tok)); r.status != 400 ||
		r.body["error"] != "email is missing, email is empty, firstName is missing, lastName is missing" {
		t.Errorf("partial update: %d %s", r.status, r.raw)
	}
}

// TestRateLimit: the fake answers 429 once the window is full.
func TestRateLimit(t *testing.T) {
	srv := learnamptest.NewServer(t, learnamptest.WithRateLimit(learnamptest.RateLimit{Requests: 2, Per: time.Minute, OmitRetryAfter: true}))
	tok := token(t, srv)
	if r := send(t, srv, "GET", "/v1/teams", "", "", bearer(tok)); r.status != 200 {
		t.Fatalf("second request %d", r.status)
	}
	r := send(t, srv, "GET", "/v1/teams", "", "", bearer(tok))
	if r.status != 429 || r.header.Get("Retry-After") != "" {
		t.Errorf("third request %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
}

// TestPathPrefix: under WithPathPrefix the API answers only there.
func TestPathPrefix(t *testing.T) {
	srv := learnamptest.NewServer(t, learnamptest.WithPathPrefix("/proxy/"))
	if srv.BaseURL() != srv.URL+"/proxy" {
		t.Errorf("BaseURL %q", srv.BaseURL())
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {learnamptest.ClientID}, "client_secret": {learnamptest.ClientSecret}}
	if r := send(t, srv, "POST", "/oauth/token", "application/x-www-form-urlencoded", form.Encode(), nil); r.status != 404 {
		t.Errorf("token outside the prefix: %d", r.status)
	}
	if r := send(t, srv, "POST", "/proxy/oauth/token", "application/x-www-form-urlencoded", form.Encode(), nil); r.status != 200 {
		t.Errorf("token under the prefix: %d", r.status)
	}
}

package litmostest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

type call struct {
	method, path string
	query        url.Values // nil → source and format=json
	header       http.Header
	body         string
}

// do sends c with the default key unless c.header sets "apikey" (to "" to omit it).
func do(t *testing.T, srv *litmostest.Server, c call) (int, string, http.Header) {
	t.Helper()
	q := c.query
	if q == nil {
		q = url.Values{"source": {"test"}, "format": {"json"}}
	}
	req, err := http.NewRequest(c.method, srv.BaseURL()+c.path+"?"+q.Encode(), strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", litmostest.APIKey)
	for k, v := range c.header {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	if req.Header.Get("apikey") == "" {
		req.Header.Del("apikey")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var jsonCT = http.Header{"Content-Type": {"application/json"}}

func userBody(id, name string) string {
	b, _ := json.Marshal(map[string]any{"Id": id, "UserName": name, "Email": name, "FirstName": "F", "LastName": "L", "Active": true})
	return string(b)
}

func TestStrictness(t *testing.T) {
	srv := litmostest.NewServer(t)
	u := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true, City: "Porto"})
	tests := []struct {
		name       string
		call       call
		wantStatus int
		wantBody   string
	}{
		{"no key", call{method: "GET", path: "/users", header: http.Header{"apikey": {""}}}, 401, "Invalid API key"},
		{"wrong key", call{method: "GET", path: "/users", header: http.Header{"apikey": {"nope"}}}, 401, "Invalid API key 'nope'"},
		{"key in query (legacy)", call{method: "GET", path: "/users", header: http.Header{"apikey": {""}},
			query: url.Values{"source": {"s"}, "format": {"json"}, "apikey": {litmostest.APIKey}}}, 200, "ana@example.com"},
		{"no source", call{method: "GET", path: "/users", query: url.Values{"format": {"json"}}}, 403, "source"},
		{"long source", call{method: "GET", path: "/users", query: url.Values{"source": {strings.Repeat("x", 51)}}}, 403, "source"},
		{"POST without Content-Type", call{method: "POST", path: "/users", body: userBody("", "bo@example.com")}, 403, "Content-Type"},
		{"POST text/plain", call{method: "POST", path: "/users", header: http.Header{"Content-Type": {"text/plain"}}, body: userBody("", "bo@example.com")}, 403, "Content-Type"},
		{"PUT without Content-Type", call{method: "PUT", path: "/users/" + u.ID, body: userBody(u.ID, "ana@example.com")}, 403, "Content-Type"},
		{"DELETE without Content-Type", call{method: "DELETE", path: "/users/" + u.ID}, 403, "Content-Type"},
		{"PUT with another Id", call{method: "PUT", path: "/users/" + u.ID, header: jsonCT, body: userBody("someoneElse", "ana@example.com")}, 404, "User not found"},
		{"PUT unknown user", call{method: "PUT", path: "/users/nobody", header: jsonCT, body: userBody("nobody", "x@example.com")}, 404, "User not found"},
		{"GET unknown user", call{method: "GET", path: "/users/nobody"}, 404, `{"Detail":"User not found"}`},
		{"duplicate username", call{method: "POST", path: "/users", header: jsonCT, body: userBody("", "ANA@example.com")}, 409, "UserName already exists"},
		{"short username", call{method: "POST", path: "/users", header: jsonCT, body: userBody("", "ab")}, 409, "at least 3"},
		{"username not an email", call{method: "POST", path: "/users", header: jsonCT, body: userBody("", "ana.lima")}, 409, "email"},
		{"ISO date in a PUT", call{method: "PUT", path: "/users/" + u.ID, header: jsonCT,
			body: strings.Replace(userBody(u.ID, "ana@example.com"), "{", `{"ExpirationDate":"2027-01-31T00:00:00Z",`, 1)}, 500, "as required for JSON"},
		{"invalid body", call{method: "POST", path: "/users", header: jsonCT, body: "[1]"}, 400, "not a user"},
		{"limit over 1000", call{method: "GET", path: "/users", query: url.Values{"source": {"s"}, "format": {"json"}, "limit": {"1001"}}}, 406, "1000"},
		{"long search", call{method: "GET", path: "/users", query: url.Values{"source": {"s"}, "format": {"json"}, "search": {strings.Repeat("a", 51)}}}, 400, "50"},
		{"add no members", call{method: "POST", path: "/teams/nope/users", header: jsonCT, body: `[{"Id":"x"}]`}, 404, "Team"},
		{"unknown path", call{method: "GET", path: "/widgets"}, 404, "Endpoint"},
		{"wrong method", call{method: "PATCH", path: "/users/" + u.ID, header: jsonCT, body: "{}"}, 405, "Method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := do(t, srv, tt.call)
			if status != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Errorf("got %d %s, want %d containing %q", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
	if got, _ := srv.User(u.ID); got.City != "Porto" || len(srv.Users()) != 1 {
		t.Errorf("a rejected call changed state: %+v, %d users", got, len(srv.Users()))
	}
}

// TestPutReplacesWhole: a partial PUT clears what it omits (the fake's safer
// reading of the full-object PUT in https://api.sap.com/api/LitmosAPIdetails/overview),
// so a client that sends partial bodies loses data on the fake too.
func TestPutReplacesWhole(t *testing.T) {
	srv := litmostest.NewServer(t)
	u := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", LastName: "Lima", City: "Porto", Active: true})
	status, body, _ := do(t, srv, call{method: "PUT", path: "/users/" + u.ID, header: jsonCT, body: userBody(u.ID, "ana@example.com")})
	if status != 200 || body != "" {
		t.Fatalf("PUT: %d %q, want 200 with an empty body", status, body)
	}
	got, _ := srv.User(u.ID)
	if got.City != "" || got.FirstName != "F" || got.OriginalID != u.OriginalID || !got.CreatedDate.Equal(u.CreatedDate) {
		t.Errorf("after a partial PUT: %+v", got)
	}
}

func TestCreateAnswers201WithTheUser(t *testing.T) {
	srv := litmostest.NewServer(t)
	status, body, h := do(t, srv, call{method: "POST", path: "/users", header: jsonCT, body: userBody("", "bo@example.com")})
	if status != 201 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("create: %d %s", status, h.Get("Content-Type"))
	}
	var u litmos.User
	if err := json.Unmarshal([]byte(body), &u); err != nil || u.ID == "" || u.OriginalID == 0 || u.Culture != "en-US" || u.LoginKey == "" {
		t.Errorf("create answered %s (%v)", body, err)
	}
	if !strings.Contains(body, `"LastLogin":""`) || !strings.Contains(body, `"CreatedDate":"20`) {
		t.Errorf("dates not in Litmos's user forms: %s", body)
	}
}

func TestXMLUnlessJSONRequested(t *testing.T) {
	srv := litmostest.NewServer(t)
	srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana & Co", LastName: "Lima", Active: true})
	status, body, h := do(t, srv, call{method: "GET", path: "/users", query: url.Values{"source": {"s"}}})
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/xml") ||
		!strings.Contains(body, `<Users xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><User>`) ||
		!strings.Contains(body, "<FirstName>Ana &amp; Co</FirstName>") {
		t.Errorf("no format: %d %s %s", status, h.Get("Content-Type"), body)
	}
	_, body, _ = do(t, srv, call{method: "GET", path: "/users", query: url.Values{"source": {"s"}}, header: http.Header{"Accept": {"application/json"}}})
	if !strings.HasPrefix(body, "[{") {
		t.Errorf("Accept: application/json answered %s", body)
	}
}

func TestPagingAndSearch(t *testing.T) {
	srv := litmostest.NewServer(t)
	for _, n := range []string{"charlie.quinn", "charlie.quinn123", "charlie.quinn@pieshop.net", "dana@pieshop.net", "eve@x.org"} {
		srv.AddUser(litmos.User{UserName: n, Email: "e" + strings.ReplaceAll(n, "@", "") + "@pieshop.net", LastName: "L", IsCustomUsername: true, Active: true})
	}
	names := func(q url.Values) []string {
		q.Set("source", "s")
		q.Set("format", "json")
		_, body, _ := do(t, srv, call{method: "GET", path: "/users", query: q})
		var us []litmos.UserSummary
		if err := json.Unmarshal([]byte(body), &us); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.UserName)
		}
		return out
	}
	tests := []struct {
		q    url.Values
		want string
	}{
		{url.Values{"start": {"1"}, "limit": {"2"}}, "charlie.quinn123,charlie.quinn@pieshop.net"},
		{url.Values{"start": {"4"}, "limit": {"2"}}, "eve@x.org"},
		{url.Values{"start": {"5"}}, ""},
		{url.Values{"search": {"CHARLIE.quinn"}}, "charlie.quinn,charlie.quinn123,charlie.quinn@pieshop.net"},
		{url.Values{"search": {"pieshop"}}, "charlie.quinn,charlie.quinn123,charlie.quinn@pieshop.net,dana@pieshop.net,eve@x.org"},
	}
	for _, tt := range tests {
		if got := strings.Join(names(tt.q), ","); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.q, got, tt.want)
		}
	}
}

// TestDefaultRateLimit: 100 requests a minute per key, then 503 without
// Retry-After (https://www.litmos.com/docs/litmos/apis/locate-your-api-key,
// https://api.sap.com/api/LitmosAPIdetails/overview), on an injected clock.
func TestDefaultRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := litmostest.NewServer(t)
	srv.SetClock(func() time.Time { return now })
	for i := 0; i < 100; i++ {
		if status, body, _ := do(t, srv, call{method: "GET", path: "/courses"}); status != 200 {
			t.Fatalf("request %d: %d %s", i, status, body)
		}
		now = now.Add(100 * time.Millisecond)
	}
	status, _, h := do(t, srv, call{method: "GET", path: "/courses"})
	if status != 503 || h.Get("Retry-After") != "" {
		t.Errorf("101st request: %d, Retry-After %q; want 503 without it", status, h.Get("Retry-After"))
	}
	srv.AddAPIKey("other")
	if status, _, _ := do(t, srv, call{method: "GET", path: "/courses", header: http.Header{"apikey": {"other"}}}); status != 200 {
		t.Errorf("another key: %d, want its own bucket", status)
	}
	now = now.Add(51 * time.Second) // the first request leaves the window
	if status, _, _ := do(t, srv, call{method: "GET", path: "/courses"}); status != 200 {
		t.Errorf("after the window: %d", status)
	}
}

func TestSetRateLimitDefaultsToLitmos(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := litmostest.NewServer(t)
	srv.SetClock(func() time.Time { return now })
	srv.SetRateLimit(litmostest.RateLimit{Requests: 1, Per: time.Minute, OmitRetryAfter: true})
	srv.AddAPIKey("other")
	for _, c := range []struct {
		key  string
		want int
	}{{litmostest.APIKey, 200}, {litmostest.APIKey, 503}, {"other", 200}} {
		if status, _, _ := do(t, srv, call{method: "GET", path: "/courses", header: http.Header{"apikey": {c.key}}}); status != c.want {
			t.Errorf("key %s: %d, want %d", c.key, status, c.want)
		}
	}
}

func TestChangedUsersNeedsAWindow(t *testing.T) {
	srv := litmostest.NewServer(t)
	for _, q := range []url.Values{
		{"source": {"s"}, "format": {"json"}},
		{"source": {"s"}, "format": {"json"}, "since": {"2026-01-01"}},
		{"source": {"s"}, "format": {"json"}, "since": {"2026-01-01T00:00:00Z"}, "to": {"2026-02-01"}},
	} {
		if status, body, _ := do(t, srv, call{method: "GET", path: "/org/users/details", query: q}); status != 406 {
			t.Errorf("%v: %d %s, want 406", q, status, body)
		}
	}
	q := url.Values{"source": {"s"}, "format": {"json"}, "since": {"2026-01-01 00:00"}, "to": {"2026-02-01"}}
	if status, body, _ := do(t, srv, call{method: "GET", path: "/org/users/details", query: q}); status != 200 || body != "[]\n" {
		t.Errorf("valid window: %d %q", status, body)
	}
}

// RenameTeam renames as the Litmos UI does: the API lists the new name,
// and the old one is free again for another team.
func TestRenameTeam(t *testing.T) {
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	sales := srv.AddTeam(litmos.Team{Name: "Sales"})
	srv.RenameTeam(sales.ID, "Sales EMEA")
	teams := srv.Teams()
	if len(teams) != 1 || teams[0].Name != "Sales EMEA" {
		t.Fatalf("Teams() = %+v", teams)
	}
	_, body, _ := do(t, srv, call{method: "GET", path: "/teams/" + sales.ID})
	if !strings.Contains(body, `"Name":"Sales EMEA"`) {
		t.Errorf("GET /teams/{id} = %s", body)
	}
	srv.AddTeam(litmos.Team{Name: "Sales"}) // the old name is free: no failure
}

// TestUserPageAsMarshal: a JSON page of full users is json.Marshal of the
// users, byte for byte (HTML characters escaped, nested Extra values
// compacted), on the first listing and on one after the users changed.
func TestUserPageAsMarshal(t *testing.T) {
	srv := litmostest.NewServer(t)
	a := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima",
		JobTitle: "R&D <Lead>", Active: true, Extra: litmos.Extra{"Tags": json.RawMessage(`[ "a",  "b" ]`)}})
	b := srv.AddUser(litmos.User{UserName: "bo@example.com", Email: "bo@example.com", LastName: "Bo\u2028", Active: true})
	page := call{method: "GET", path: "/users/details", query: url.Values{"source": {"t"}, "format": {"json"}, "limit": {"1000"}, "start": {"0"}}}
	check := func(when string) string {
		t.Helper()
		status, body, h := do(t, srv, page)
		want, err := json.Marshal(srv.Users())
		if err != nil {
			t.Fatal(err)
		}
		if status != 200 || h.Get("Content-Type") != "application/json; charset=utf-8" || body != string(want)+"\n" {
			t.Fatalf("%s: %d %s\n%s\nwant\n%s", when, status, h.Get("Content-Type"), body, want)
		}
		return body
	}
	first := check("first listing")
	if check("same again") != first {
		t.Fatal("an unchanged listing changed")
	}
	status, _, _ := do(t, srv, call{method: "PUT", path: "/users/" + a.ID, header: jsonCT, body: userBody(a.ID, "ana@example.com")})
	if status != 200 {
		t.Fatalf("PUT: %d", status)
	}
	status, _, _ = do(t, srv, call{method: "PUT", path: "/users/" + b.ID, header: jsonCT,
		body: strings.Replace(userBody(b.ID, "bo@example.com"), `"LastName":"L"`, `"LastName":"Bode"`, 1)})
	if status != 200 {
		t.Fatalf("PUT: %d", status)
	}
	srv.AddUser(litmos.User{UserName: "cy@example.com", Email: "cy@example.com", LastName: "Cy", Active: true})
	if after := check("after two PUTs and a create"); after == first || strings.Contains(after, "R\\u0026D") || !strings.Contains(after, `"Bode"`) {
		t.Fatalf("the listing kept what changed: %s", after)
	}
}

package learnamp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

func TestNewValidates(t *testing.T) {
	const secret = "s3cret-value-never-shown"
	tests := []struct {
		name, id, secret string
		opts             []learnamp.Option
		want             string
	}{
		{"no client id", "", secret, nil, "client ID is empty"},
		{"blank client id", "  ", secret, nil, "client ID is empty"},
		{"client id with space", "a b", secret, nil, "client ID contains whitespace"},
		{"no secret", "id", "", nil, "client secret is empty"},
		{"secret with newline", "id", "x\ny", nil, "line break"},
		{"relative base", "id", secret, []learnamp.Option{learnamp.WithBaseURL("api.learnamp.com")}, "not an absolute"},
		{"base ending in /v1", "id", secret, []learnamp.Option{learnamp.WithBaseURL("https://api.learnamp.com/v1/")}, "ends in /v1"},
		{"base ending in token path", "id", secret, []learnamp.Option{learnamp.WithBaseURL("https://api.learnamp.com/oauth/token")}, "ends in /oauth/token"},
		{"base with query", "id", secret, []learnamp.Option{learnamp.WithBaseURL("https://api.learnamp.com/?a=1")}, "query or fragment"},
		{"nil http client", "id", secret, []learnamp.Option{learnamp.WithHTTPClient(nil)}, "nil *http.Client"},
		{"bad limit", "id", secret, []learnamp.Option{learnamp.WithRateLimit(learnamp.Limit{Requests: 5})}, "rate limit"},
		{"bad retry", "id", secret, []learnamp.Option{learnamp.WithRetry(learnamp.RetryPolicy{MinWait: -1})}, "negative"},
		{"user agent newline", "id", secret, []learnamp.Option{learnamp.WithUserAgent("a\r\nb")}, "line break"},
		{"empty scope", "id", secret, []learnamp.Option{learnamp.WithScopes("users:read", "")}, "scope 1"},
		{"scope with space", "id", secret, []learnamp.Option{learnamp.WithScopes("users:read teams:read")}, "whitespace"},
		{"nil clock", "id", secret, []learnamp.Option{learnamp.WithClock(nil)}, "nil clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := learnamp.New(tt.id, tt.secret, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "learnamp: New: ") {
				t.Fatalf("New: %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

// TestBaseURLDerivesBothEndpoints: the token URL is {base}/oauth/token and
// the resources are under {base}/v1, a path prefix kept.
func TestBaseURLDerivesBothEndpoints(t *testing.T) {
	srv, c := newFake(t)
	if got, want := c.BaseURL(), srv.URL+"/proxy/learnamp"; got != want {
		t.Errorf("BaseURL %q, want %q", got, want)
	}
	if _, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{}); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range srv.Log().Entries() {
		paths = append(paths, e.Method+" "+e.Path)
	}
	want := []string{"POST /proxy/learnamp/oauth/token", "GET /proxy/learnamp/v1/users"}
	if d := cmp.Diff(want, paths); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	// A trailing slash on the base changes nothing.
	c2 := srv.NewClient(t, learnamp.WithBaseURL(srv.BaseURL()+"/"))
	if c2.BaseURL() != srv.BaseURL() {
		t.Errorf("BaseURL with slash %q", c2.BaseURL())
	}
}

// TestDefaultBaseURL is Learn Amp's EU1 host.
func TestDefaultBaseURL(t *testing.T) {
	c, err := learnamp.New("id", "secret")
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://api.learnamp.com" {
		t.Errorf("BaseURL %q", c.BaseURL())
	}
}

// TestRequestsCarryWhatLearnAmpRequires: the token request is the
// documented form with no Authorization header; every API call carries
// the Bearer token and asks for JSON; bodies are JSON.
func TestRequestsCarryWhatLearnAmpRequires(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	team, err := c.CreateTeam(ctx, learnamp.CreateTeamParams{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.CreateUser(ctx, learnamp.CreateUserParams{Email: "ada@acme.test", FirstName: "Ada", LastName: "Lovelace"})
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		c.AddTeamUsers(ctx, team.ID, learnamp.AddTeamUsersParams{UserIDs: []string{u.ID}}),
		c.RemoveTeamUser(ctx, team.ID, u.ID),
		c.DeactivateUser(ctx, u.ID),
		c.ReactivateUser(ctx, u.ID),
		c.DeleteUser(ctx, u.ID),
		c.DeleteTeam(ctx, team.ID),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	tokens := srv.Tokens()
	if len(tokens) != 1 {
		t.Fatalf("%d tokens issued, want 1", len(tokens))
	}
	for i, e := range srv.Log().Entries() {
		if e.Status/100 != 2 {
			t.Errorf("%s %s answered %d", e.Method, e.Path, e.Status)
		}
		if i == 0 {
			checkTokenRequest(t, e, url.Values{"grant_type": {"client_credentials"}, "client_id": {learnamptest.ClientID}, "client_secret": {learnamptest.ClientSecret}})
			continue
		}
		if got := e.Header.Get("Authorization"); got != "Bearer "+tokens[0].AccessToken {
			t.Errorf("%s %s: Authorization %q", e.Method, e.Path, got)
		}
		if e.Header.Get("Accept") != "application/json" {
			t.Errorf("%s %s: Accept %q", e.Method, e.Path, e.Header.Get("Accept"))
		}
		if len(e.Body) > 0 && e.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: body with Content-Type %q", e.Method, e.Path, e.Header.Get("Content-Type"))
		}
	}
}

func checkTokenRequest(t *testing.T, e learnamptest.Entry, want url.Values) {
	t.Helper()
	if e.Method != http.MethodPost || !learnamptest.IsTokenRequest(e) {
		t.Fatalf("first request %s %s, want the token request", e.Method, e.Path)
	}
	if ct := e.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("token request Content-Type %q", ct)
	}
	if a := e.Header.Get("Authorization"); a != "" {
		t.Errorf("token request carries Authorization %q", a)
	}
	form, err := url.ParseQuery(string(e.Body))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, form); d != "" {
		t.Errorf("token form (-want +got):\n%s", d)
	}
}

// TestScopesAreRequested: WithScopes sends them space-separated, and a key
// provisioned with scopes works only with them.
func TestScopesAreRequested(t *testing.T) {
	srv, _ := newFake(t)
	srv.AddAPIKey("scoped", "scoped-secret-123456", learnamp.SyncScopes()...)
	c, err := learnamp.New("scoped", "scoped-secret-123456", learnamp.WithBaseURL(srv.BaseURL()),
		learnamp.WithHTTPClient(srv.Client()), learnamp.WithScopes(learnamp.SyncScopes()...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{}); err != nil {
		t.Fatal(err)
	}
	checkTokenRequest(t, srv.Log().Entries()[0], url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"scoped"}, "client_secret": {"scoped-secret-123456"},
		"scope": {strings.Join(learnamp.SyncScopes(), " ")},
	})
}

// TestClientPrintsNoSecret: a Client printed or logged shows no credential.
func TestClientPrintsNoSecret(t *testing.T) {
	_, c := newFake(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, c); strings.Contains(s, learnamptest.ClientSecret) || strings.Contains(s, learnamptest.ClientID) {
			t.Errorf("%s prints %q", verb, s)
		}
	}
	if s := c.LogValue().String(); strings.Contains(s, learnamptest.ClientSecret) {
		t.Errorf("LogValue %q", s)
	}
}

// TestContextEndsTokenRequest: a token request that hangs ends with the
// call's context.
func TestContextEndsTokenRequest(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(learnamptest.Fault{Path: "/proxy/learnamp/oauth/token", Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetUser(ctx, "1001")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "get access token") {
		t.Fatalf("err %v, want the token request ended by the context", err)
	}
}

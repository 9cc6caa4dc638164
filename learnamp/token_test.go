package learnamp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// TestTokenCached: one token serves many calls, sequential and concurrent.
func TestTokenCached(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	srv.SeedCompany()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListUsersPage(ctx, learnamp.ListUsersParams{})
			errs <- err
		}()
	}
	wg.Wait()
	for i := 0; i < 8; i++ {
		_, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{})
		errs <- err
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Log().Count(isToken); n != 1 {
		t.Errorf("%d token requests for 16 calls, want 1", n)
	}
	if n := srv.Log().Count(nil); n != 17 {
		t.Errorf("%d requests, want 17", n)
	}
}

// TestTokenRenewedBeforeExpiry: on the shared clock, a token is used until
// a minute before its two hours end, then renewed before the call (so no
// call ever meets a 401), also when the client was idle past the expiry.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	tests := []struct {
		name    string
		advance time.Duration
		renew   bool
	}{
		{"fresh", 0, false},
		{"just before the renewal point", 2*time.Hour - time.Minute - time.Second, false},
		{"at the renewal point", 2*time.Hour - time.Minute, true},
		{"inside the last minute", 2*time.Hour - 10*time.Second, true},
		{"after expiry", 3 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clk := newClock()
			srv, c := newFake(t)
			srv.SetClock(clk.Now)
			if _, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{}); err != nil {
				t.Fatal(err)
			}
			clk.Advance(tt.advance)
			if _, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{}); err != nil {
				t.Fatal(err)
			}
			want := []string{"POST /oauth/token 200", "GET /v1/teams 200", "GET /v1/teams 200"}
			if tt.renew {
				want = []string{"POST /oauth/token 200", "GET /v1/teams 200", "POST /oauth/token 200", "GET /v1/teams 200"}
			}
			if d := cmp.Diff(want, calls(srv)); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
			if tt.renew {
				tok := srv.Tokens()
				if got := srv.Log().Entries()[3].Header.Get("Authorization"); got != "Bearer "+tok[1].AccessToken {
					t.Errorf("renewed call sent %q, want the new token", got)
				}
			}
		})
	}
}

// TestTokenRenewedOnceOn401: a token that dies early (ExpireTokens, mid
// run) is renewed on the 401 and the call is sent once more; a second 401
// is returned, with no third attempt.
func TestTokenRenewedOnceOn401(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	id := srv.AddUser(learnamptest.User{Email: "ada@acme.test", FirstName: "Ada", LastName: "Lovelace"})
	if _, err := c.GetUser(ctx, id); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	u, err := c.GetUser(ctx, id)
	if err != nil || u.ID != id {
		t.Fatalf("GetUser after the token died: %v, %+v", err, u)
	}
	want := []string{"POST /oauth/token 200", "GET /v1/users/" + id + " 200",
		"GET /v1/users/" + id + " 401", "POST /oauth/token 200", "GET /v1/users/" + id + " 200"}
	if d := cmp.Diff(want, calls(srv)); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}

	srv.Log().Reset()
	srv.AddFault(learnamptest.Fault{Method: "GET", Path: "/proxy/learnamp/v1/users/" + id, Status: 401,
		Body: `{"error":"invalid_token","error_description":"The access token is invalid"}`})
	_, err = c.GetUser(ctx, id)
	var apiErr *learnamp.APIError
	if !errors.Is(err, learnamp.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.Code != "invalid_token" {
		t.Fatalf("err %v, want the second 401", err)
	}
	want = []string{"GET /v1/users/" + id + " 401", "POST /oauth/token 200", "GET /v1/users/" + id + " 401"}
	if d := cmp.Diff(want, calls(srv)); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

// TestConcurrent401sRenewOnce: callers that all meet the dead token share
// one renewal.
func TestConcurrent401sRenewOnce(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	if _, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{}); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.Log().Count(isToken); n != 2 {
		t.Errorf("%d token requests, want 2 (the first and one renewal)", n)
	}
}

// TestTokenErrors: refused token requests are APIErrors matching the
// sentinels, with Learn Amp's RFC 6749 code and description.
func TestTokenErrors(t *testing.T) {
	srv := learnamptest.NewServer(t)
	srv.AddAPIKey("scoped", "scoped-secret-abcdef", "users:read")
	tests := []struct {
		name, id, secret string
		scopes           []string
		sentinel         error
		status           int
		code             string
	}{
		{"wrong secret", learnamptest.ClientID, "wrong-secret-123456", nil, learnamp.ErrUnauthorized, 401, "invalid_client"},
		{"unknown client", "nobody", "wrong-secret-123456", nil, learnamp.ErrUnauthorized, 401, "invalid_client"},
		{"scoped key without scope", "scoped", "scoped-secret-abcdef", nil, learnamp.ErrInvalid, 400, "invalid_scope"},
		{"scope the key lacks", "scoped", "scoped-secret-abcdef", []string{"users:read", "users:delete"}, learnamp.ErrInvalid, 400, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []learnamp.Option{learnamp.WithBaseURL(srv.BaseURL()), learnamp.WithHTTPClient(srv.Client())}
			if tt.scopes != nil {
				opts = append(opts, learnamp.WithScopes(tt.scopes...))
			}
			c, err := learnamp.New(tt.id, tt.secret, opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListUsersPage(context.Background(), learnamp.ListUsersParams{})
			var apiErr *learnamp.APIError
			if !errors.Is(err, tt.sentinel) || !errors.As(err, &apiErr) {
				t.Fatalf("err %v, want an APIError matching %v", err, tt.sentinel)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.code || apiErr.Message == "" {
				t.Errorf("APIError %d %q %q", apiErr.StatusCode, apiErr.Code, apiErr.Message)
			}
			if !strings.HasPrefix(err.Error(), "learnamp: list users: get access token: POST /oauth/token: ") {
				t.Errorf("error text %q", err)
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

// TestMissingScopeIsForbidden: a token without the endpoint's scope gets 403.
func TestMissingScopeIsForbidden(t *testing.T) {
	srv := learnamptest.NewServer(t)
	srv.AddAPIKey("reader", "reader-secret-abcdef", "users:read")
	c, err := learnamp.New("reader", "reader-secret-abcdef", learnamp.WithBaseURL(srv.BaseURL()),
		learnamp.WithHTTPClient(srv.Client()), learnamp.WithScopes("users:read"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ListUsersPage(ctx, learnamp.ListUsersParams{}); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteUser(ctx, "1001")
	if !errors.Is(err, learnamp.ErrForbidden) {
		t.Errorf("DeleteUser with users:read only: %v, want ErrForbidden", err)
	}
	if n := srv.Log().Count(isToken); n != 1 {
		t.Errorf("%d token requests: a 403 must not renew the token", n)
	}
}

// TestUnusableTokenReplies: a 2xx token reply that is not a Bearer token,
// or not JSON, is an error that does not echo the reply.
func TestUnusableTokenReplies(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"mac token", `{"access_token":"tok-abcdef-123456","token_type":"mac","expires_in":7200}`, `token type "mac"`},
		{"no token", `{"token_type":"Bearer","expires_in":7200}`, "missing access_token"},
		{"error in a 200", `{"error":"invalid_client","error_description":"nope"}`, "invalid_client: nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			srv.AddFault(learnamptest.Fault{Path: "/proxy/learnamp/oauth/token", Status: http.StatusOK, Body: tt.body})
			_, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want it to say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "tok-abcdef-123456") {
				t.Errorf("error %q echoes the token", err)
			}
		})
	}
}

// TestTokenLifetimeFromReply: the expires_in of the reply decides renewal.
func TestTokenLifetimeFromReply(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	srv, c := newFake(t, learnamptest.WithTokenLifetime(10*time.Minute))
	srv.SetClock(clk.Now)
	for _, step := range []time.Duration{0, 8 * time.Minute, time.Minute} {
		clk.Advance(step)
		if _, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{}); err != nil {
			t.Fatal(err)
		}
	}
	// 0: fetch; 8m: still good (renewal at 9m); 9m: renewed.
	if n := srv.Log().Count(isToken); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

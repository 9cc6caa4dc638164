package learnamp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// TestErrorDecoding: the reference's error payloads become APIErrors with
// its message, its fullErrors, the right sentinel and a readable text.
func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name, file string
		status     int
		sentinel   error
		code, msg  string
		full       map[string][]string
		text       string
	}{
		{"validation", "error_validation.json", 400, learnamp.ErrInvalid, "",
			"email is missing, email is empty, firstName is missing, lastName is missing",
			map[string][]string{"email": {"is missing", "is empty"}, "firstName": {"is missing"}, "lastName": {"is missing"}},
			"learnamp: create user \"a@acme.test\": POST /proxy/learnamp/v1/users: 400 email is missing, email is empty, firstName is missing, lastName is missing"},
		{"taken", "error_taken.json", 400, learnamp.ErrInvalid, "",
			"Validation failed: Integration external id has already been taken",
			map[string][]string{"integrationExternalId": {"has already been taken"}}, ""},
		{"exclusive", "error_exclusive.json", 400, learnamp.ErrInvalid, "", "managerId, managerEmail are mutually exclusive", nil, ""},
		{"occupation", "error_occupation.json", 422, learnamp.ErrInvalid, "", "occupationRole does not match an existing role in your company", nil, ""},
		{"not found", "error_not_found.json", 404, learnamp.ErrNotFound, "", "Not found", nil, ""},
		{"token refused", "", 401, learnamp.ErrUnauthorized, "invalid_token", "The access token was revoked", nil, ""},
		{"rate limited", "", 429, learnamp.ErrRateLimited, "", "Retry later", nil, ""},
		{"html outage page", "", 500, learnamp.ErrOutcomeUnknown, "", "", nil, ""},
	}
	bodies := map[string]string{
		"token refused":    `{"error":"invalid_token","error_description":"The access token was revoked"}`,
		"rate limited":     "Retry later\n",
		"html outage page": "<!DOCTYPE html><html><body>We're sorry</body></html>",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t, learnamptest.WithoutRateLimit())
			body := bodies[tt.name]
			if tt.file != "" {
				body = readTestdata(t, tt.file)
			}
			srv.AddFault(learnamptest.Fault{Method: "POST", Path: "/proxy/learnamp/v1/users", Status: tt.status, Body: body})
			_, err := c.CreateUser(context.Background(), learnamp.CreateUserParams{Email: "a@acme.test", FirstName: "A", LastName: "B"})
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err %v, want %v", err, tt.sentinel)
			}
			var apiErr *learnamp.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err %v (%T) has no APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.code || apiErr.Message != tt.msg {
				t.Errorf("APIError %d %q %q, want %d %q %q", apiErr.StatusCode, apiErr.Code, apiErr.Message, tt.status, tt.code, tt.msg)
			}
			if d := cmp.Diff(tt.full, apiErr.FullErrors); d != "" {
				t.Errorf("FullErrors (-want +got):\n%s", d)
			}
			if tt.text != "" && err.Error() != tt.text {
				t.Errorf("text %q\nwant %q", err, tt.text)
			}
		})
	}
}

// TestRetries: a 429 with Retry-After and a 503 on a read are retried;
// the call then succeeds with one token.
func TestRetries(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(learnamptest.Fault{Method: "GET", Path: "/proxy/learnamp/v1/teams", Times: 1, Status: 429, RetryAfter: "0"})
	srv.AddFault(learnamptest.Fault{Method: "GET", Path: "/proxy/learnamp/v1/teams", Times: 1, Status: 503})
	if _, err := c.ListTeamsPage(context.Background(), learnamp.ListTeamsParams{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /oauth/token 200", "GET /v1/teams 429", "GET /v1/teams 503", "GET /v1/teams 200"}
	if d := cmp.Diff(want, calls(srv)); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

// TestRateLimitedByTheFake: the fake's 429 comes back as ErrRateLimited
// once retries are spent.
func TestRateLimitedByTheFake(t *testing.T) {
	srv, c := newFake(t, learnamptest.WithRateLimit(learnamptest.RateLimit{Requests: 2, Per: 3600e9, Body: "Retry later"}))
	_, err := c.ListTeamsPage(context.Background(), learnamp.ListTeamsParams{})
	if err != nil {
		t.Fatal(err) // token + list fit in the limit
	}
	_, err = c.ListTeamsPage(context.Background(), learnamp.ListTeamsParams{})
	if !errors.Is(err, learnamp.ErrRateLimited) {
		t.Errorf("err %v, want ErrRateLimited", err)
	}
	if n := srv.Log().Count(nil); n != 2+4 {
		t.Errorf("%d requests, want 2 and 4 tries of the third", n)
	}
}

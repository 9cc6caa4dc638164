package talentlms_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func v1err(msg string) string {
	return fmt.Sprintf(`{"error":{"type":"invalid_request_error","message":%q}}`, msg)
}

// TestErrorClassification serves v1 (and v2) error answers and checks
// which sentinels they match: by TalentLMS's message first, then the status.
func TestErrorClassification(t *testing.T) {
	all := []error{
		talentlms.ErrNotFound, talentlms.ErrConflict, talentlms.ErrInvalid, talentlms.ErrUnauthorized,
		talentlms.ErrForbidden, talentlms.ErrRateLimited, talentlms.ErrUnavailable,
		talentlms.ErrAlreadyEnrolled, talentlms.ErrNotEnrolled, talentlms.ErrAlreadyMember, talentlms.ErrNotMember,
	}
	tests := []struct {
		name   string
		status int
		body   string
		want   []error
		text   string
	}{
		{"user does not exist, 404", 404, v1err("The requested user does not exist"), []error{talentlms.ErrNotFound}, "404 invalid_request_error: The requested user does not exist"},
		{"user does not exist, 400", 400, v1err("The requested user does not exist"), []error{talentlms.ErrNotFound}, ""},
		{"soft-deleted user", 400, v1err("The requested user is no longer available"), []error{talentlms.ErrNotFound}, ""},
		{"email taken", 400, v1err("A user with the same email address already exists"), []error{talentlms.ErrConflict}, ""},
		{"login taken", 400, v1err("A user with the same login already exists"), []error{talentlms.ErrConflict}, ""},
		{"already enrolled", 400, v1err("The requested user is already enrolled in this course"), []error{talentlms.ErrAlreadyEnrolled, talentlms.ErrConflict}, ""},
		{"not enrolled", 400, v1err("The requested user is not enrolled in this course"), []error{talentlms.ErrNotEnrolled, talentlms.ErrNotFound}, ""},
		{"already a member", 400, v1err("The requested user is already a member of this branch"), []error{talentlms.ErrAlreadyMember, talentlms.ErrConflict}, ""},
		{"not a member", 400, v1err("The requested user is not a member of this branch"), []error{talentlms.ErrNotMember, talentlms.ErrNotFound}, ""},
		{"invalid arguments", 400, v1err("Invalid arguments provided"), []error{talentlms.ErrInvalid}, ""},
		{"unknown action is no 'not found'", 404, v1err("The requested API action does not exist"), nil, ""},
		{"a 404 page is no 'not found'", 404, "<html><body>Not Found</body></html>", nil, "404 Not Found"},
		{"401 HTML page", 401, "<html><body>You need a valid user and password</body></html>", []error{talentlms.ErrUnauthorized}, "401 Unauthorized"},
		{"403", 403, v1err("Your account is inactive. Please contact your administrator"), []error{talentlms.ErrForbidden}, ""},
		{"429", 429, `{"error":{"type":"api_error","message":"API rate limit exceeded"}}`, []error{talentlms.ErrRateLimited}, ""},
		{"rate limit said with another status", 403, v1err("API rate limit reached"), []error{talentlms.ErrForbidden, talentlms.ErrRateLimited}, ""},
		{"v2 top-level shape", 404, `{"type":"invalid_request_error","message":"The requested user does not exist"}`, []error{talentlms.ErrNotFound}, ""},
		{"500", 500, `{"error":{"type":"api_error","message":"Internal error"}}`, []error{talentlms.ErrUnavailable}, "500 api_error: Internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := talentlmstest.NewServer(t, talentlmstest.WithoutRateLimit())
			c := srv.NewClient(t, talentlms.WithDateFormat(talentlms.DDMMYYYY), talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: -1}))
			srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/users/id:5", Status: tt.status, Body: tt.body})
			_, err := c.GetUser(ctx, "5")
			var apiErr *talentlms.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
				t.Fatalf("err = %v, want a *talentlms.APIError with status %d", err, tt.status)
			}
			for _, s := range all {
				want := false
				for _, w := range tt.want {
					want = want || w == s
				}
				if errors.Is(err, s) != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v (err: %v)", s, !want, want, err)
				}
			}
			if !strings.HasPrefix(err.Error(), "talentlms: get user 5: GET /api/v1/users/id:5: ") || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("text %q", err.Error())
			}
			if syncengine.Retryable(err) != (tt.status == 429 || tt.status == 500 || strings.Contains(tt.name, "rate limit")) {
				t.Errorf("Retryable = %v", syncengine.Retryable(err))
			}
		})
	}
}

// An HTML answer where JSON was asked for is an error naming it.
func TestHTMLReply(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/branches", Status: 200, Body: "<!DOCTYPE html><html>maintenance</html>"})
	for _, err := range c.ListBranches(ctx) {
		if err == nil || !strings.Contains(err.Error(), "HTML") {
			t.Errorf("err = %v", err)
		}
	}
}

// A signup whose 2xx reply is lost in decoding matches ErrOutcomeUnknown,
// and one whose connection drops after sending is not retried.
func TestCreateUserOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	p := talentlms.CreateUserParams{FirstName: "A", LastName: "B", Email: "a@example.com", Login: "a", Password: "Passw0rd1"}
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", ApplyThenDrop: true})
	if _, err := c.CreateUser(ctx, p); !errors.Is(err, talentlms.ErrOutcomeUnknown) {
		t.Fatalf("dropped reply: %v", err)
	}
	if n := srv.Log().Count(talentlmstest.IsWrite); n != 1 {
		t.Errorf("signup sent %d times, want 1", n)
	}
	if _, ok := srv.UserByEmail("a@example.com"); !ok {
		t.Error("the fake did not apply the signup")
	}
	srv.ClearFaults()
	p.Email, p.Login = "b@example.com", "b"
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", Status: 200, Body: `{"id":""}`})
	if _, err := c.CreateUser(ctx, p); !errors.Is(err, talentlms.ErrOutcomeUnknown) {
		t.Errorf("reply without id: %v", err)
	}
	srv.ClearFaults()
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", Status: 200, Body: `<html>ok</html>`})
	if _, err := c.CreateUser(ctx, p); !errors.Is(err, talentlms.ErrOutcomeUnknown) {
		t.Errorf("HTML reply: %v", err)
	}
}

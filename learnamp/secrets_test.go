package learnamp_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// syncBuffer is a log sink safe for the client's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestNoSecretInErrorsOrLogs: through token fetch, renewal on 401, errors
// that echo the secret or the token, and debug logging of every attempt,
// neither the client secret nor any access token is ever printed.
func TestNoSecretInErrorsOrLogs(t *testing.T) {
	ctx := context.Background()
	var logs syncBuffer
	srv := learnamptest.NewServer(t, learnamptest.WithPathPrefix("/proxy/learnamp"))
	c := srv.NewClient(t, learnamp.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	var errs []error
	record := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	_, err := c.ListUsersPage(ctx, learnamp.ListUsersParams{})
	record(err)
	tok := srv.Tokens()[0].AccessToken
	srv.ExpireTokens()
	_, err = c.ListTeamsPage(ctx, learnamp.ListTeamsParams{}) // 401, renewal, success
	record(err)
	tok2 := srv.Tokens()[1].AccessToken

	// Learn Amp echoing the token and the secret back in error bodies.
	srv.AddFault(learnamptest.Fault{Method: "GET", Path: "/proxy/learnamp/v1/teams/1", Status: 400,
		Body: `{"error":"token ` + tok2 + ` refused for client secret ` + learnamptest.ClientSecret + `"}`})
	_, err = c.GetTeam(ctx, "1")
	record(err)
	srv.AddFault(learnamptest.Fault{Method: "GET", Path: "/proxy/learnamp/v1/teams/2", Status: 403,
		Body: `{"error":"insufficient_scope","error_description":"Bearer ` + tok2 + `"}`})
	_, err = c.GetTeam(ctx, "2")
	record(err)
	srv.AddFault(learnamptest.Fault{Path: "/proxy/learnamp/oauth/token", Status: 401,
		Body: `{"error":"invalid_client","error_description":"client_secret=` + learnamptest.ClientSecret + ` is wrong"}`})
	srv.ExpireTokens()
	_, err = c.GetTeam(ctx, "3")
	record(err)
	if len(errs) != 3 {
		t.Fatalf("%d errors, want 3: %v", len(errs), errs)
	}

	secrets := map[string]string{"client secret": learnamptest.ClientSecret, "first token": tok, "renewed token": tok2}
	for _, err := range errs {
		for _, verb := range []string{"%v", "%+v", "%#v", "%q"} {
			s := fmt.Sprintf(verb, err)
			for name, sec := range secrets {
				if strings.Contains(s, sec) {
					t.Errorf("error printed with %s shows the %s: %s", verb, name, s)
				}
			}
		}
		var apiErr *learnamp.APIError
		if asAPIError(err, &apiErr) {
			for name, sec := range secrets {
				if bytes.Contains(apiErr.Body(), []byte(sec)) || strings.Contains(fmt.Sprint(apiErr.FullErrors), sec) {
					t.Errorf("APIError body shows the %s", name)
				}
			}
		}
	}
	out := logs.String()
	if strings.Count(out, `"msg":"http attempt"`) < 8 {
		t.Fatalf("too few log records to prove anything:\n%s", out)
	}
	for name, sec := range secrets {
		if strings.Contains(out, sec) {
			t.Errorf("the log shows the %s", name)
		}
	}
	if !strings.Contains(out, "REDACTED") {
		t.Error("no redaction in the log of echoed secrets")
	}
}

func asAPIError(err error, target **learnamp.APIError) bool {
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

package litmos_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

const (
	testKey    = "9f8e7d6c-5b4a-3210-fedc-ba9876543210"
	testSource = "acme-lms-sync"
)

// sourceIs matches requests that carry source.
func sourceIs(source string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.URL.Query().Get("source") == source }
}

// TestTestConnection: the three failures a setup screen must tell apart
// (key, source, no team) are three errors, each in at most two calls,
// and none of them shows the key or the source.
func TestTestConnection(t *testing.T) {
	ctx := context.Background()
	teamsPath := litmostest.ServicePath + "/teams"
	tests := []struct {
		name  string
		key   string
		teams int
		fault *litmostest.Fault
		want  error // nil: success
		calls int
		is    []error // further errors.Is that must hold
	}{
		{"ok", testKey, 1, nil, nil, 1, nil},
		{"no teams", testKey, 0, nil, litmos.ErrNoTeams, 1, nil},
		{"wrong key", "0000-not-the-key-0000", 1, nil, litmos.ErrKeyRefused, 2, []error{litmos.ErrUnauthorized}},
		{"key without access", testKey, 1, &litmostest.Fault{Path: teamsPath, Status: http.StatusForbidden},
			litmos.ErrKeyRefused, 2, []error{litmos.ErrForbidden}},
		{"source refused", testKey, 1, &litmostest.Fault{Path: teamsPath, Match: sourceIs(testSource), Status: http.StatusForbidden,
			Body: `{"Detail":"Invalid source ` + testSource + `"}`}, litmos.ErrSourceRefused, 2, []error{litmos.ErrForbidden}},
		// A read that keeps failing with 500 is tried 1+4 times (newClient's retries).
		{"unavailable", testKey, 1, &litmostest.Fault{Path: teamsPath, Status: http.StatusInternalServerError}, nil, 5,
			[]error{litmos.ErrUnavailable}},
	}
	kinds := []error{litmos.ErrKeyRefused, litmos.ErrSourceRefused, litmos.ErrNoTeams}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
			srv.AddAPIKey(testKey)
			for i := range tc.teams {
				srv.AddTeam(litmos.Team{Name: fmt.Sprint("Team ", i)})
			}
			if tc.fault != nil {
				srv.AddFault(*tc.fault)
			}
			c := newClient(t, srv, tc.key, testSource)
			err := c.TestConnection(ctx)
			for _, k := range kinds {
				if errors.Is(err, k) != (k == tc.want) {
					t.Errorf("errors.Is(err, %q) = %v; err = %v", k, !(k == tc.want), err)
				}
			}
			if tc.want == nil && tc.is == nil && err != nil {
				t.Errorf("err = %v, want nil", err)
			}
			for _, e := range tc.is {
				if !errors.Is(err, e) {
					t.Errorf("err = %v, want it to match %v too", err, e)
				}
			}
			if n := srv.Log().Count(nil); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
			if err != nil {
				assertNoSecret(t, err.Error(), tc.key, testSource)
			}
		})
	}
}

func newClient(t *testing.T, srv *litmostest.Server, key, source string, opts ...litmos.Option) *litmos.Client {
	t.Helper()
	base := []litmos.Option{litmos.WithBaseURL(srv.BaseURL()), litmos.WithHTTPClient(srv.Client()),
		litmos.WithRateLimit(litmos.Limit{}), litmos.WithRetry(litmos.RetryPolicy{MaxRetries: 4, MinWait: 1e6, MaxWait: 2e6})}
	c, err := litmos.New(key, source, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func assertNoSecret(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%q shows the secret %q", text, s)
		}
	}
}

// TestSourceNeverShown: the source value, in every URL, never appears in
// an error (text or fields), a log record or a printed client, whatever
// failed; a source that is a common word does not blank that word in paths.
func TestSourceNeverShown(t *testing.T) {
	ctx := context.Background()
	for _, source := range []string{testSource, "users"} {
		t.Run(source, func(t *testing.T) {
			srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
			srv.AddAPIKey(testKey)
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newClient(t, srv, testKey, source, litmos.WithLogger(logger))
			hidden := "source=" + source
			if source == testSource {
				hidden = source
			}
			check := func(what string, err error) {
				t.Helper()
				if err == nil {
					t.Fatalf("%s: no error", what)
				}
				assertNoSecret(t, err.Error(), hidden, testKey)
				assertNoSecret(t, fmt.Sprintf("%+v %#v", err, err), hidden, testKey)
				var api *litmos.APIError
				if errors.As(err, &api) {
					assertNoSecret(t, api.URL+" "+api.Message+" "+api.Code+" "+string(api.Body()), hidden, testKey)
					// fmt prints a []byte field as numbers: look for those too.
					asBytes := strings.Trim(fmt.Sprint([]byte(hidden)), "[]")
					assertNoSecret(t, fmt.Sprintf("%+v %#v %+v", *api, *api, api), hidden, testKey, asBytes)
				}
			}
			_, err := c.GetUser(ctx, "nobody")
			check("404", err)
			if !strings.Contains(err.Error(), "/v1.svc/users/nobody") {
				t.Errorf("404 error lost its path: %v", err)
			}
			srv.AddFault(litmostest.Fault{Method: "GET", Times: 1, Status: http.StatusBadRequest,
				Body: `{"Detail":"Source '` + source + `' is not allowed for key ` + testKey + `"}`})
			_, err = c.GetUser(ctx, "nobody")
			check("echo", err)
			if !strings.Contains(err.Error(), "Source 'REDACTED' is not allowed") {
				t.Errorf("echoed source not redacted as a word: %v", err)
			}
			srv.AddFault(litmostest.Fault{Method: "GET", Drop: true})
			_, err = c.ListTeamsPage(ctx, litmos.ListParams{})
			check("dropped", err)
			srv.ClearFaults()
			_, err = newClient(t, srv, "0000-not-the-key-0000", source, litmos.WithLogger(logger)).GetUser(ctx, "nobody")
			check("401", err)
			assertNoSecret(t, logs.String(), hidden, testKey, "0000-not-the-key-0000")
			if !strings.Contains(logs.String(), "REDACTED") {
				t.Errorf("the log has no redacted URL; is it logging?\n%s", logs.String())
			}
			assertNoSecret(t, fmt.Sprintf("%v %+v %#v", c, c, c), hidden, testKey)
		})
	}
}

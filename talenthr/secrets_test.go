package talenthr_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// TestNoSecretInErrorsOrLogs drives the failure paths with a debug logger,
// against a fake that echoes the key back, and checks that no key (raw or
// in its Basic-auth form) reaches an error text under any verb, a log
// record, or a printed client.
func TestNoSecretInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t, talenthr.WithLogger(logger), talenthr.WithRetry(talenthr.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	const wrongKey = "thr_wrong_9f8e7d6c5b4a39281706f5e4"
	wrong, err := talenthr.New(wrongKey, talenthr.WithBaseURL(srv.BaseURL()), talenthr.WithHTTPClient(srv.Client()), talenthr.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	collect(wrong.ListLanguages(ctx))
	collect(c.GetEmployee(ctx, "999"))
	// A vendor that echoes the credentials it was sent.
	srv.AddFault(talenthrtest.Fault{Path: "/v1/departments", Status: 401, Times: 1,
		Body: fmt.Sprintf(`{"success":false,"error":"Invalid key %s (Authorization: Basic %s)"}`, talenthrtest.APIKey,
			base64.StdEncoding.EncodeToString([]byte(talenthrtest.APIKey+":x")))})
	collect(c.ListDepartments(ctx))
	srv.AddFault(talenthrtest.Fault{Path: "/v1/divisions", Status: 429, RetryAfter: "0"})
	collect(c.ListDivisions(ctx))
	srv.AddFault(talenthrtest.Fault{Path: "/v1/locations", Drop: true})
	collect(c.ListLocations(ctx))
	srv.AddFault(talenthrtest.Fault{Method: "POST", Path: "/v1/employees/hire", ApplyThenDrop: true})
	collect(c.Hire(ctx, talenthr.HireParams{FirstName: "A", LastName: "B", Email: "a@acme.test", HireDate: talenthr.NewDate(2026, 1, 1), EmploymentStatusID: "1"}))
	srv.AddFault(talenthrtest.Fault{Path: "/v1/job-titles", Status: 200, Body: "<html>login</html>"})
	collect(c.ListJobTitles(ctx))
	collect(c.PollDirectory(ctx, talenthr.DirectorySnapshot{}, talenthr.DirectoryParams{Limit: 101}))
	errs = append(errs, c.UnverifiedTerminateEmployee(ctx, "1", talenthr.UnverifiedTerminateParams{TerminationDate: talenthr.NewDate(2026, 6, 30)}))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	collect(c.ListLanguages(cancelled))
	_, err = talenthr.New(talenthrtest.APIKey + ":x")
	errs = append(errs, err)

	secrets := []string{
		talenthrtest.APIKey, wrongKey,
		base64.StdEncoding.EncodeToString([]byte(talenthrtest.APIKey + ":x")),
		base64.StdEncoding.EncodeToString([]byte(wrongKey + ":x")),
	}
	var texts []string
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%q", err))
	}
	texts = append(texts, logs.String(), fmt.Sprintf("%v %+v %#v", c, c, wrong))
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %.8s… leaked in: %s", s, text)
			}
		}
	}
	if !strings.Contains(logs.String(), `"msg":"http attempt"`) || !strings.Contains(strings.Join(texts, "\n"), "Invalid key REDACTED") {
		t.Error("nothing was logged, or the echo was not there to redact: the check proves nothing")
	}
}

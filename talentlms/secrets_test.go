package talentlms_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// TestNoSecretsInErrorsOrLogs drives the failure paths with a debug
// logger and checks that neither API key (as sent, or as the Basic
// credential) nor a user's password reaches an error text under any fmt
// verb, a log line, or the printed client and params.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := talentlmstest.NewServer(t)
	co := srv.SeedCompany()
	retry := talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	c := srv.NewClient(t, talentlms.WithLogger(logger), retry)
	const wrongKey = "WrongKey0123456789abcdefGHIJKL"
	wrong, err := talentlms.New(talentlmstest.Domain, wrongKey, talentlms.WithBaseURL(srv.BaseURL()),
		talentlms.WithHTTPClient(srv.Client()), talentlms.WithLogger(logger), retry)
	if err != nil {
		t.Fatal(err)
	}
	const password = "Sup3rSecretPassw0rd"
	basic := base64.StdEncoding.EncodeToString([]byte(talentlmstest.APIKey + ":"))
	var errs []error
	keep := func(_ any, err error) { errs = append(errs, err) }

	keep(wrong.GetSiteInfo(ctx))
	keep(c.GetUser(ctx, "999"))
	srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/branches/*", Status: 401,
		Body: `{"error":{"type":"invalid_request_error","message":"Invalid API key ` + talentlmstest.APIKey + ` (Authorization: Basic ` + basic + `)"}}`})
	keep(c.GetBranch(ctx, "1"))
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", Times: 1, Status: 400,
		Body: `{"error":{"type":"invalid_request_error","message":"Password ` + password + ` is not strong enough"}}`})
	signup := talentlms.CreateUserParams{FirstName: "A", LastName: "B", Email: "ab@example.com", Login: "ab", Password: password}
	keep(c.CreateUser(ctx, signup))
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", Times: 1, Drop: true})
	keep(c.CreateUser(ctx, signup))
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/edituser", Times: 1, Status: 200, Body: `<html>` + password + `</html>`})
	keep(c.EditUser(ctx, talentlms.EditUserParams{UserID: co.Users["bo.chen"], Password: password}))
	srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/courses", Status: 503})
	for _, err := range c.ListCourses(ctx) {
		errs = append(errs, err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	keep(c.GetSiteInfo(cancelled))
	_, err = talentlms.New("acme", "bad:"+talentlmstest.APIKey)
	errs = append(errs, err)
	_, err = talentlms.New("acme", talentlmstest.APIKey+"\n")
	errs = append(errs, err)

	secrets := []string{talentlmstest.APIKey, wrongKey, password, basic,
		base64.StdEncoding.EncodeToString([]byte(wrongKey + ":"))}
	var texts []string
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	texts = append(texts, logs.String(), fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprintf("%v %+v %#v", signup, signup, signup))
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %.6s… in %q", s, text)
			}
		}
	}
	if !strings.Contains(logs.String(), `"msg":"http attempt"`) {
		t.Error("no debug records logged: the check proved nothing")
	}
}

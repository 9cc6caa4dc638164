package bamboohr_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
)

const testWebhookKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

// TestNoSecretsInErrorsOrLogs drives every failure path with a debug
// logger and checks that no credential reaches an error text (under every
// fmt verb) or a log line.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := loginServer(t, bamboohrtest.Login{})
	c := srv.NewClient(t, bamboohr.WithLogger(logger), bamboohr.WithRetry(bamboohr.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	wrongKey := "ffffffffffffffffffffffffffffffffffffffff"
	wrong, err := bamboohr.New(srv.Subdomain, wrongKey, bamboohr.WithBaseURL(srv.BaseURL()), bamboohr.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	collect(wrong.Fields(ctx))
	collect(c.GetEmployee(ctx, 404, bamboohr.GetEmployeeParams{}))
	collect(c.GetEmployee(ctx, 1, bamboohr.GetEmployeeParams{Fields: []string{"nope"}}))
	srv.AddFault(bamboohrtest.Fault{Path: "/api/v1/meta/lists", Status: 429, RetryAfter: "0"})
	collect(c.Lists(ctx))
	srv.AddFault(bamboohrtest.Fault{Path: "/api/v1/meta/fields", Drop: true})
	collect(c.Fields(ctx))
	srv.AddFault(bamboohrtest.Fault{Path: "/api/v1/employees", Method: "POST", ApplyThenDrop: true})
	collect(c.AddEmployee(ctx, map[string]string{"firstName": "A", "lastName": "B"}))
	srv.ClearFaults()
	srv.AddFault(bamboohrtest.Fault{Path: "/api/v1/employees/changed", Status: 200, Body: "<xml/>"})
	collect(c.ChangedEmployees(ctx, time.Now(), ""))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	collect(c.Fields(cancelled))
	collect(login(srv, "wrong-"+testPassword, testAppKey))
	collect(login(srv, testPassword, "wrong-"+testAppKey))
	_, err = bamboohr.New("acme", "bad:"+bamboohrtest.DefaultAPIKey)
	errs = append(errs, err)
	_, err = bamboohr.Login(ctx, "acme", bamboohr.Credentials{User: "u", Password: testPassword, ApplicationKey: testAppKey},
		bamboohr.WithBaseURL("http://127.0.0.1:1/api/"), bamboohr.WithRetry(bamboohr.RetryPolicy{MaxRetries: -1}))
	errs = append(errs, err)

	v := &bamboohr.WebhookVerifier{PrivateKey: testWebhookKey, Logger: logger}
	h := v.Handler(func(context.Context, *bamboohr.WebhookPayload) error { return nil })
	req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(`{"type":"employee.created","data":{"employeeId":"1"}}`))
	req.Header.Set(bamboohr.TimestampHeader, "1")
	req.Header.Set(bamboohr.SignatureHeader, bamboohr.Sign(testWebhookKey, []byte("other"), "1"))
	h.ServeHTTP(httptest.NewRecorder(), req)
	errs = append(errs, v.Verify([]byte("x"), "1", "00"))

	secrets := []string{
		bamboohrtest.DefaultAPIKey, wrongKey, testPassword, testAppKey, testWebhookKey,
		base64.StdEncoding.EncodeToString([]byte(bamboohrtest.DefaultAPIKey + ":x")),
		base64.StdEncoding.EncodeToString([]byte(wrongKey + ":x")),
	}
	var texts []string
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	texts = append(texts, logs.String(),
		fmt.Sprintf("%+v %#v", c, c),
		fmt.Sprintf("%+v %#v", v, *v),
		fmt.Sprintf("%+v %#v", bamboohr.Credentials{Password: testPassword, ApplicationKey: testAppKey}, bamboohr.Credentials{Password: testPassword}))
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %.6s… leaked in: %s", s, text)
			}
		}
	}
	if logs.Len() == 0 {
		t.Error("nothing was logged: the check proves nothing")
	}
}

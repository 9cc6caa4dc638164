package hibob_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

// TestNoSecretsInErrorsOrLogs drives the failure paths with a debug logger
// and checks that no credential, webhook secret or signature reaches an
// error text (under every fmt verb) or a log record.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, ids := seeded(t)
	fast := hibob.WithRetry(hibob.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	c := srv.NewClient(t, hibob.WithLogger(logger), fast)
	const wrongToken, legacyToken = "wrong-token-0f1e2d3c4b5a6978", "legacy-token-8796a5b4c3d2e1f0"
	wrong, err := hibob.New(hibobtest.ServiceUserID, wrongToken, hibob.WithBaseURL(srv.BaseURL()), hibob.WithLogger(logger), fast)
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := hibob.NewWithAccessToken(legacyToken, hibob.WithBaseURL(srv.BaseURL()), hibob.WithLogger(logger), fast)
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	collect(wrong.SearchPeople(ctx, hibob.SearchParams{}))
	collect(legacy.Fields(ctx))
	collect(c.GetEmployee(ctx, "3332883884017799999", hibob.GetEmployeeParams{}))
	srv.AddFault(hibobtest.Fault{Path: "/v1/company/people/fields", Status: 400,
		Body: `{"key":"badToken","error":"token ` + hibobtest.ServiceUserToken + ` rejected for Authorization: Basic x"}`})
	collect(c.Fields(ctx))
	srv.ClearFaults()
	srv.AddFault(hibobtest.Fault{Path: "/v1/people/search", Status: 429, RetryAfter: "0"})
	collect(c.SearchPeople(ctx, hibob.SearchParams{}))
	srv.ClearFaults()
	srv.AddFault(hibobtest.Fault{Path: "/v1/company/named-lists/site", Drop: true})
	collect(c.NamedList(ctx, "site", hibob.NamedListParams{}))
	srv.AddFault(hibobtest.Fault{Method: "POST", Path: "/v1/people", ApplyThenDrop: true})
	collect(c.CreateEmployee(ctx, newHire()))
	srv.ClearFaults()
	srv.AddFault(hibobtest.Fault{Path: "/v1/company/people/fields", Status: 200, Body: "<!DOCTYPE html><html></html>"})
	collect(c.Fields(ctx))
	srv.ClearFaults()
	collect(c.UpdateEmployee(ctx, ids["engineer"], map[string]any{"work.title": "x"}))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	collect(c.Fields(cancelled))
	_, err = hibob.New("SERVICE-1", hibobtest.ServiceUserToken+"\n")
	errs = append(errs, err)

	signature := hibob.Sign("other-secret", []byte(`{"type":"employee.created","data":{"employeeId":"1"}}`))
	v := &hibob.WebhookVerifier{Secret: webhookSecret, Logger: logger}
	req := httptest.NewRequest("POST", "/hook", strings.NewReader(`{"type":"employee.created","data":{"employeeId":"1"}}`))
	req.Header.Set(hibob.SignatureHeader, signature)
	v.Handler(func(context.Context, *hibob.WebhookPayload) error { return nil }).ServeHTTP(httptest.NewRecorder(), req)
	errs = append(errs, v.Verify([]byte("x"), signature))

	secrets := []string{
		hibobtest.ServiceUserToken, wrongToken, legacyToken, webhookSecret, signature,
		base64.StdEncoding.EncodeToString([]byte(hibobtest.ServiceUserID + ":" + hibobtest.ServiceUserToken)),
		base64.StdEncoding.EncodeToString([]byte(hibobtest.ServiceUserID + ":" + wrongToken)),
	}
	var texts []string
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	texts = append(texts, logs.String(), fmt.Sprintf("%+v %#v %v", c, c, legacy), fmt.Sprintf("%+v %#v", v, *v))
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %.8s… leaked in: %s", s, text)
			}
		}
	}
	if !strings.Contains(logs.String(), "http attempt") || !strings.Contains(logs.String(), "webhook rejected") {
		t.Error("nothing was logged: the check proves nothing")
	}
}

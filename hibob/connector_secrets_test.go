package hibob_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
)

// The connector's errors and warnings never carry the service user's token,
// whatever fails: refused credentials, a read HiBob answers with the token
// echoed back, hidden fields, unknown fields.
func TestConnectorKeepsSecretsOut(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := newFake(t)
	ids := srv.SeedCompany()
	const wrongToken, limitedToken = "wrong-token-5a4b3c2d1e0f9687", "limited-token-0a1b2c3d4e5f6789"
	srv.AddServiceUser("LIMITED", limitedToken, hibobtest.Permissions{HiddenCategories: []string{"work", "internal"}})
	fast := hibob.WithRetry(hibob.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	connector := func(id, token string) *hibob.Connector {
		c, err := hibob.New(id, token, hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()), hibob.WithLogger(logger), fast, hibob.WithRateLimit(hibob.Limit{}))
		if err != nil {
			t.Fatal(err)
		}
		return hibob.NewConnector(c, hibob.ConnectorOptions{Now: fixedClock, Logger: logger})
	}
	var errs []error
	first := func(k *hibob.Connector, c syncengine.Collection) {
		for _, err := range k.List(ctx, c) {
			errs = append(errs, err)
			return
		}
	}
	wrong := connector(hibobtest.ServiceUserID, wrongToken)
	first(wrong, syncengine.Users)
	first(wrong, syncengine.Teams)
	_, err := wrong.Get(ctx, syncengine.Users, ids["ceo"])
	errs = append(errs, err)

	limited := connector("LIMITED", limitedToken)
	first(limited, syncengine.Users)
	_, err = limited.Get(ctx, syncengine.Users, ids["ceo"])
	errs = append(errs, err)

	good := connector(hibobtest.ServiceUserID, hibobtest.ServiceUserToken)
	srv.AddFault(hibobtest.Fault{Path: "/v1/people/search", Status: 400,
		Body: `{"key":"bad","error":"token ` + hibobtest.ServiceUserToken + ` refused"}`})
	first(good, syncengine.Users)
	srv.ClearFaults()
	if err := good.ReadFields(syncengine.Users, []string{"work.nope"}); err != nil {
		t.Fatal(err)
	}
	first(good, syncengine.Users)

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			text := fmt.Sprintf(verb, err)
			for _, secret := range []string{wrongToken, limitedToken, hibobtest.ServiceUserToken} {
				if strings.Contains(text, secret) {
					t.Errorf("case %d: error under %s shows a token: %s", i, verb, text)
				}
			}
		}
	}
	for _, secret := range []string{wrongToken, limitedToken, hibobtest.ServiceUserToken} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("a log record shows a token:\n%s", logs.String())
		}
	}
}

package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// syncBuffer is a bytes.Buffer safe for the loggers of concurrent calls.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// No credential — the HiBob token, the Learn Amp client secret, an access
// token, the webhook secret — appears in a log record, an error or a
// report, through failing calls, a dying token and a forged webhook.
func TestHiBobLearnAmpNoSecrets(t *testing.T) {
	var logs syncBuffer
	debug := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var e *bobEnv
	steps := 0
	e = newBobEnv(t, func(s *bobSetup) {
		s.hrClient = []hibob.Option{hibob.WithLogger(debug)}
		s.lmsClient = []learnamp.Option{learnamp.WithLogger(debug)}
		s.logger = debug
		s.concurrency = 1
		s.onProgress = func(int, int, syncengine.Outcome) {
			if steps++; steps == 3 {
				e.lms.ExpireTokens()
			}
		}
	})
	e.lms.AddFault(learnamptest.Fault{Method: http.MethodPost, Path: "/v1/users", Status: http.StatusUnauthorized, Skip: 1, Times: 1})
	e.lms.AddFault(learnamptest.Fault{Method: http.MethodPut, Status: http.StatusBadRequest, Times: 1})
	e.hr.AddFault(hibobtest.Fault{Path: "/v1/people/search", Status: http.StatusUnauthorized, Times: 1})
	ctx := context.Background()
	var texts []string
	for range 2 {
		rep, err := e.eng.Sync(ctx)
		if err != nil {
			texts = append(texts, err.Error())
		}
		if rep != nil {
			b, _ := json.Marshal(rep)
			var csv strings.Builder
			_ = rep.WriteCSV(&csv)
			texts = append(texts, string(b), csv.String(), rep.Summary())
		}
	}
	v := &hibob.WebhookVerifier{Secret: hibob.Secret(bobWebhookSecret), Logger: debug}
	if err := v.Verify([]byte(`{}`), hibob.Sign("wrong", []byte(`{}`))); err != nil {
		texts = append(texts, err.Error())
	}
	url := e.receiver(t)
	_, _ = e.hr.SendWebhook(ctx, url, "wrong-"+bobWebhookSecret, hibob.WebhookPayload{Type: hibob.EventEmployeeUpdated, EmployeeID: e.ids["ceo"]})

	secrets := []string{hibobtest.ServiceUserToken, learnamptest.ClientSecret, bobWebhookSecret}
	for _, tok := range e.lms.Tokens() {
		secrets = append(secrets, tok.AccessToken)
	}
	if len(secrets) < 5 {
		t.Fatalf("only %d secrets to look for: the token did not die", len(secrets))
	}
	all := logs.String() + strings.Join(texts, "\n")
	if !strings.Contains(logs.String(), "401") && !strings.Contains(logs.String(), "Unauthorized") {
		t.Errorf("the logs show no 401: the test did not exercise the failures\n%s", logs.String())
	}
	for _, sec := range secrets {
		if strings.Contains(all, sec) {
			t.Errorf("a secret (%d characters) appears in the logs, an error or a report", len(sec))
		}
	}
}

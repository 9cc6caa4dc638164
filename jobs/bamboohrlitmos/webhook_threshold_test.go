package bamboohrlitmos_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
	"github.com/rostersync/rostersync/syncengine"
)

// A delivery whose run the deactivation threshold holds back answers 422
// (BambooHR retries only 5xx, and a retry cannot fix it), and deactivates
// nobody.
func TestWebhookThresholdAnswers422(t *testing.T) {
	e := newEnv(t, func(cfg *bamboohrlitmos.Config) { cfg.Threshold = syncengine.Threshold{MaxCount: 1} })
	ids := e.staff(4)
	e.sync(t)
	srv := httptest.NewServer(e.job.WebhookHandler(bamboohr.WebhookVerifier{PrivateKey: webhookKey}))
	defer srv.Close()
	for _, id := range ids[:2] {
		e.hr.Terminate(atoi(id), "2026-11-30")
	}
	e.lms.Log().Reset()
	body := fmt.Sprintf(`{"employees":[{"id":%q,"action":"Updated","changedFields":["Status"],"fields":{}},`+
		`{"id":%q,"action":"Updated","changedFields":["Status"],"fields":{}}]}`, ids[0], ids[1])
	status, err := e.hr.SendWebhookBody(context.Background(), srv.URL, webhookKey, []byte(body))
	if err != nil || status != http.StatusUnprocessableEntity {
		t.Errorf("delivery held by the threshold: %d, %v; want 422", status, err)
	}
	if n := e.writes(); n != 0 {
		t.Errorf("a held webhook run made %d writes", n)
	}
	for _, u := range e.lms.Users() {
		if !u.Active {
			t.Errorf("learner %s deactivated by a held run", u.UserName)
		}
	}
	// One termination per delivery stays under the cap.
	status, err = e.hr.SendWebhook(context.Background(), srv.URL, webhookKey, bamboohr.EventBased,
		bamboohr.WebhookEvent{Action: "Updated", EmployeeID: ids[0]})
	if err != nil || status != http.StatusOK {
		t.Errorf("single termination: %d, %v; want 200", status, err)
	}
	if e.learner(t, "emp000@acme.example").Active {
		t.Error("terminated employee's learner still active")
	}
}

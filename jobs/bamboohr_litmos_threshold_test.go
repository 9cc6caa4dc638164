package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/syncengine"
)

// A delivery whose run the deactivation threshold holds back deactivates
// nobody: the run fails for good (a retry cannot fix it), the queue drops
// it and logs it, and the next full run holds it again for a reviewer.
func TestWebhookThresholdHoldsTheRun(t *testing.T) {
	var runErr error
	e := newEnv(t, func(cfg *setup) { cfg.Threshold = syncengine.Threshold{MaxCount: 1} })
	e.job.q = e.job.eng.NewQueue(syncengine.QueueOptions{OnRun: func(_ *syncengine.Report, err error) { runErr = err }})
	ids := e.staff(4)
	e.sync(t)
	srv := e.receiver(t)
	for _, id := range ids[:2] {
		e.hr.Terminate(atoi(id), "2026-11-30")
	}
	e.lms.Log().Reset()
	body := fmt.Sprintf(`{"employees":[{"id":%q,"action":"Updated","changedFields":["Status"],"fields":{}},`+
		`{"id":%q,"action":"Updated","changedFields":["Status"],"fields":{}}]}`, ids[0], ids[1])
	status, err := e.hr.SendWebhookBody(context.Background(), srv.URL, webhookKey, []byte(body))
	if err != nil || status != http.StatusAccepted {
		t.Errorf("delivery: %d, %v; want 202", status, err)
	}
	if err := e.drain(t); err != nil {
		t.Errorf("drain = %v, want the held run dropped, not kept", err)
	}
	if !errors.Is(runErr, syncengine.ErrThresholdExceeded) {
		t.Errorf("run error = %v, want ErrThresholdExceeded", runErr)
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
	if err != nil || status != http.StatusAccepted {
		t.Errorf("single termination: %d, %v; want 202", status, err)
	}
	if err := e.drain(t); err != nil {
		t.Fatal(err)
	}
	if e.learner(t, "emp000@acme.example").Active {
		t.Error("terminated employee's learner still active")
	}
}

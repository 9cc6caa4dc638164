package jobs_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

func TestWebhookDrivesChanges(t *testing.T) {
	var (
		mu      sync.Mutex
		reports []*syncengine.Report
	)
	e := newEnv(t, func(cfg *setup) {
		cfg.OnFinish = func(r *syncengine.Report) {
			mu.Lock()
			reports = append(reports, r)
			mu.Unlock()
		}
	})
	c := seedCompany(e)
	e.sync(t)
	srv := e.receiver(t)
	ctx := context.Background()

	tests := []struct {
		name     string
		change   func() string // changes BambooHR, returns the employee id
		family   bamboohr.WebhookFamily
		username string
		want     syncengine.Result
		reason   string
		check    func(t *testing.T, e *env)
	}{{
		name: "job title change, event-based",
		change: func() string {
			e.hr.SetField(atoi(c.report), "jobTitle", "Staff Engineer")
			return c.report
		},
		family: bamboohr.EventBased, username: "bo.chen@acme.example", want: syncengine.ResultUpdated,
		check: func(t *testing.T, e *env) {
			if u := e.learner(t, "bo.chen@acme.example"); u.JobTitle != "Staff Engineer" {
				t.Errorf("JobTitle = %q", u.JobTitle)
			}
		},
	}, {
		name: "new hire, field-based",
		change: func() string {
			return e.employee("Fay", "Ng", "fay.ng@acme.example", nil)
		},
		family: bamboohr.FieldBased, username: "fay.ng@acme.example", want: syncengine.ResultCreated,
		check: func(t *testing.T, e *env) { e.learner(t, "fay.ng@acme.example") },
	}, {
		name: "Litmos Access unticked",
		change: func() string {
			e.hr.SetField(atoi(c.report), bamboohrtest.LitmosAccessAlias, "no")
			return c.report
		},
		family: bamboohr.EventBased, username: "bo.chen@acme.example", want: syncengine.ResultDeactivated, reason: "no Litmos Access",
		check: func(t *testing.T, e *env) {
			if e.learner(t, "bo.chen@acme.example").Active {
				t.Error("learner still active after Litmos Access was unticked")
			}
		},
	}, {
		name: "termination",
		change: func() string {
			e.hr.Terminate(atoi(c.boss), "2026-11-30")
			return c.boss
		},
		family: bamboohr.EventBased, username: "zoe.nunez@acme.example", want: syncengine.ResultDeactivated, reason: "terminated",
		check: func(t *testing.T, e *env) {
			if e.learner(t, "zoe.nunez@acme.example").Active {
				t.Error("terminated employee's learner still active")
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.change()
			mu.Lock()
			reports = nil
			mu.Unlock()
			status, err := e.hr.SendWebhook(ctx, srv.URL, webhookKey, tt.family,
				bamboohr.WebhookEvent{Action: "Updated", EmployeeID: id, ChangedFields: []string{"jobTitle"}})
			if err != nil || status != http.StatusAccepted {
				t.Fatalf("SendWebhook = %d, %v; want 202", status, err)
			}
			if err := e.drain(t); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(reports) != 1 {
				t.Fatalf("%d runs reported, want 1", len(reports))
			}
			row := rowOf(t, reports[0], id)
			if row.Result != tt.want || row.Key != tt.username || !strings.Contains(row.Detail, tt.reason) {
				t.Errorf("row = %+v, want %s of %s, reason with %q", row, tt.want, tt.username, tt.reason)
			}
			tt.check(t, e)
		})
	}
	if n := len(usernames(e.lms)); n != 3 {
		t.Errorf("Litmos has %d usernames, want 3: %v", n, usernames(e.lms))
	}
}

// A delivery is answered at once: 401 when forged (and nothing is read), 202
// when recorded. A run that fails because Litmos fails keeps the employee
// pending, and the queue's next run syncs it: nothing the receiver
// acknowledged is lost.
func TestWebhookRejectsAndRetries(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	e.sync(t)
	srv := e.receiver(t)
	ctx := context.Background()
	ev := bamboohr.WebhookEvent{Action: "Updated", EmployeeID: c.report}
	e.hr.SetField(atoi(c.report), "jobTitle", "Staff Engineer")
	e.lms.Log().Reset()
	e.hr.Log().Reset()

	status, err := e.hr.SendWebhook(ctx, srv.URL, "0000000000000000000000000000beef", bamboohr.EventBased, ev)
	if err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrongly signed delivery: %d, %v; want 401", status, err)
	}
	if p, _ := e.job.q.Pending(ctx); len(p) != 0 {
		t.Errorf("a rejected delivery queued %+v", p)
	}

	// Litmos failing: the delivery is acknowledged, the run fails, the
	// employee stays pending.
	remove := e.lms.AddFault(litmostest.Fault{Method: http.MethodPut, Status: http.StatusInternalServerError})
	status, err = e.hr.SendWebhook(ctx, srv.URL, webhookKey, bamboohr.EventBased, ev)
	if err != nil || status != http.StatusAccepted {
		t.Errorf("delivery while Litmos fails: %d, %v; want 202", status, err)
	}
	if err := e.drain(t); err == nil {
		t.Error("the run against a failing Litmos succeeded")
	}
	if p, _ := e.job.q.Pending(ctx); len(p) != 1 || p[0].ID != c.report {
		t.Errorf("pending after the failed run = %+v, want employee %s", p, c.report)
	}
	remove()
	if err := e.drain(t); err != nil {
		t.Errorf("the retry: %v", err)
	}
	if u := e.learner(t, "bo.chen@acme.example"); u.JobTitle != "Staff Engineer" {
		t.Errorf("JobTitle after the retry = %q", u.JobTitle)
	}

	// A company event names no employee: accepted, nothing synced.
	e.lms.Log().Reset()
	status, err = e.hr.SendWebhookBody(ctx, srv.URL, webhookKey,
		[]byte(`{"type":"company.updated","timestamp":"2026-11-30T09:00:00Z","data":{"companyId":"1"}}`))
	if err != nil || status != http.StatusAccepted {
		t.Errorf("company event: %d, %v; want 202", status, err)
	}
	if err := e.drain(t); err != nil {
		t.Fatal(err)
	}
	if n := e.lms.Log().Count(func(litmostest.Entry) bool { return true }); n != 0 {
		t.Errorf("a company event made %d Litmos calls", n)
	}
}

// Deliveries that arrive together are all acknowledged and synced, each
// employee once.
func TestConcurrentWebhooks(t *testing.T) {
	e := newEnv(t)
	ids := e.staff(12)
	srv := e.receiver(t)
	statuses := make(chan int, len(ids))
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := e.hr.SendWebhook(context.Background(), srv.URL, webhookKey, bamboohr.EventBased,
				bamboohr.WebhookEvent{Action: "Created", EmployeeID: id})
			if err != nil {
				t.Error(err)
			}
			statuses <- st
		}()
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusAccepted {
			t.Errorf("a concurrent delivery answered %d", st)
		}
	}
	if err := e.drain(t); err != nil {
		t.Fatal(err)
	}
	if n := len(usernames(e.lms)); n != len(ids) {
		t.Errorf("%d learners, want %d", n, len(ids))
	}
}

// A learner an admin made by hand, inactive when the nightly sync listed
// it, is then reactivated by the admin and given a time zone; the
// employee gets Litmos Access and the webhook run matches the learner by
// username and updates it on that read: the learner stays active and
// keeps the admin's time zone, and gets the employee's fields.
func TestWebhookMatchKeepsAdminEdits(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	seedCompany(e)
	fay := e.employee("Fay", "Ng", "fay.ng@acme.example", map[string]string{bamboohrtest.LitmosAccessAlias: "no"})
	u := e.lms.AddUser(litmos.User{UserName: "fay.ng@acme.example", Email: "fay.ng@acme.example", FirstName: "Fay", LastName: "Ng", TimeZone: "UTC"})
	e.sync(t) // nightly: lists every learner, Fay's too (out of scope in BambooHR)
	if _, err := e.lms.NewClient(t).UpdateUser(ctx, u.ID, func(u *litmos.User) error {
		u.Active, u.TimeZone = true, "GMT Standard Time"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.hr.SetField(atoi(fay), bamboohrtest.LitmosAccessAlias, "yes")
	rep, err := e.job.SyncEmployees(ctx, []string{fay})
	if err != nil {
		t.Fatal(err)
	}
	if row := rowOf(t, rep, fay); row.Result != syncengine.ResultUpdated || row.BID != u.ID {
		t.Fatalf("row = %+v, want learner %s updated", row, u.ID)
	}
	got := e.learner(t, "fay.ng@acme.example")
	if !got.Active || got.TimeZone != "GMT Standard Time" || got.PhoneWork != "+1 555 0100" {
		t.Errorf("learner after the webhook run: active %v, time zone %q, work phone %q; want active, GMT Standard Time, +1 555 0100",
			got.Active, got.TimeZone, got.PhoneWork)
	}
}

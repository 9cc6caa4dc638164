package bamboohrlitmos_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

const webhookKey = "123b929362d51613054f71e5e5d4bf2c"

func TestWebhookDrivesChanges(t *testing.T) {
	var (
		mu      sync.Mutex
		reports []*bamboohrlitmos.Report
	)
	e := newEnv(t, func(cfg *bamboohrlitmos.Config) {
		cfg.OnFinish = func(r *bamboohrlitmos.Report) {
			mu.Lock()
			reports = append(reports, r)
			mu.Unlock()
		}
	})
	c := seedCompany(e)
	e.sync(t)
	srv := httptest.NewServer(e.job.WebhookHandler(bamboohr.WebhookVerifier{PrivateKey: webhookKey}))
	defer srv.Close()
	ctx := context.Background()

	tests := []struct {
		name     string
		change   func() string // changes BambooHR, returns the employee id
		family   bamboohr.WebhookFamily
		username string
		want     bamboohrlitmos.Action
		reason   string
		check    func(t *testing.T, e *env)
	}{{
		name: "job title change, event-based",
		change: func() string {
			e.hr.SetField(atoi(c.report), "jobTitle", "Staff Engineer")
			return c.report
		},
		family: bamboohr.EventBased, username: "bo.chen@acme.example", want: bamboohrlitmos.Updated,
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
		family: bamboohr.FieldBased, username: "fay.ng@acme.example", want: bamboohrlitmos.Created,
		check: func(t *testing.T, e *env) { e.learner(t, "fay.ng@acme.example") },
	}, {
		name: "Litmos Access unticked",
		change: func() string {
			e.hr.SetField(atoi(c.report), bamboohrtest.LitmosAccessAlias, "no")
			return c.report
		},
		family: bamboohr.EventBased, username: "bo.chen@acme.example", want: bamboohrlitmos.Deactivated, reason: "no Litmos Access",
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
		family: bamboohr.EventBased, username: "zoe.nunez@acme.example", want: bamboohrlitmos.Deactivated, reason: "terminated",
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
			if err != nil || status != http.StatusOK {
				t.Fatalf("SendWebhook = %d, %v; want 200", status, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(reports) != 1 {
				t.Fatalf("%d runs reported, want 1", len(reports))
			}
			row := rowOf(t, reports[0], id)
			if row.Action != tt.want || row.Username != tt.username || !strings.Contains(row.Reason, tt.reason) {
				t.Errorf("row = %+v, want %s of %s, reason with %q", row, tt.want, tt.username, tt.reason)
			}
			tt.check(t, e)
		})
	}
	if n := len(usernames(e.lms)); n != 3 {
		t.Errorf("Litmos has %d usernames, want 3: %v", n, usernames(e.lms))
	}
}

func TestWebhookRejectsAndRetries(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	e.sync(t)
	srv := httptest.NewServer(e.job.WebhookHandler(bamboohr.WebhookVerifier{PrivateKey: webhookKey}))
	defer srv.Close()
	ctx := context.Background()
	ev := bamboohr.WebhookEvent{Action: "Updated", EmployeeID: c.report}
	e.hr.SetField(atoi(c.report), "jobTitle", "Staff Engineer")
	e.lms.Log().Reset()

	status, err := e.hr.SendWebhook(ctx, srv.URL, "0000000000000000000000000000beef", bamboohr.EventBased, ev)
	if err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrongly signed delivery: %d, %v; want 401", status, err)
	}
	if n := e.lms.Log().Count(func(litmostest.Entry) bool { return true }); n != 0 {
		t.Errorf("a rejected delivery made %d Litmos calls", n)
	}

	// Litmos failing: BambooHR is asked to deliver again (5xx).
	remove := e.lms.AddFault(litmostest.Fault{Method: http.MethodPut, Status: http.StatusInternalServerError})
	status, err = e.hr.SendWebhook(ctx, srv.URL, webhookKey, bamboohr.EventBased, ev)
	if err != nil || status != http.StatusServiceUnavailable {
		t.Errorf("delivery while Litmos fails: %d, %v; want 503", status, err)
	}
	remove()
	status, err = e.hr.SendWebhook(ctx, srv.URL, webhookKey, bamboohr.EventBased, ev)
	if err != nil || status != http.StatusOK {
		t.Errorf("redelivery: %d, %v; want 200", status, err)
	}
	if u := e.learner(t, "bo.chen@acme.example"); u.JobTitle != "Staff Engineer" {
		t.Errorf("JobTitle after redelivery = %q", u.JobTitle)
	}

	// A company event names no employee: accepted, nothing synced.
	e.lms.Log().Reset()
	status, err = e.hr.SendWebhookBody(ctx, srv.URL, webhookKey,
		[]byte(`{"type":"company.updated","timestamp":"2026-11-30T09:00:00Z","data":{"companyId":"1"}}`))
	if err != nil || status != http.StatusOK {
		t.Errorf("company event: %d, %v; want 200", status, err)
	}
	if n := e.lms.Log().Count(func(litmostest.Entry) bool { return true }); n != 0 {
		t.Errorf("a company event made %d Litmos calls", n)
	}
}

// Deliveries that arrive together queue for the job instead of failing on
// the pair's lock.
func TestConcurrentWebhooks(t *testing.T) {
	e := newEnv(t)
	ids := e.staff(12)
	srv := httptest.NewServer(e.job.WebhookHandler(bamboohr.WebhookVerifier{PrivateKey: webhookKey}))
	defer srv.Close()
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
		if st != http.StatusOK {
			t.Errorf("a concurrent delivery answered %d", st)
		}
	}
	if n := len(usernames(e.lms)); n != len(ids) {
		t.Errorf("%d learners, want %d", n, len(ids))
	}
}

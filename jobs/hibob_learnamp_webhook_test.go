package jobs_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/syncengine"
)

// A signed delivery of each event family syncs just the employee it
// names, through the queue: one read of that employee in HiBob (no
// search), and in Learn Amp a read of the linked user and one write (a
// new one: the lookups by integrationExternalId and email, and the
// create). A change HiBob made to someone else waits for its own event or
// the next full run.
func TestHiBobLearnAmpWebhooks(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		event  string
		change func(t *testing.T, e *bobEnv) (id string, fields []string)
		want   syncengine.Result
		calls  bobCalls
		check  func(t *testing.T, e *bobEnv, id string)
	}{{
		name: "employee.updated", event: hibob.EventEmployeeUpdated,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			e.hr.SetField(e.ids["engineer"], hibob.FieldFirstName, "Alan M.")
			return e.ids["engineer"], []string{hibob.FieldFirstName}
		},
		want: syncengine.ResultUpdated, calls: bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1},
		check: func(t *testing.T, e *bobEnv, id string) {
			if u := e.user(t, "engineer"); u.FirstName != "Alan M." {
				t.Errorf("first name %q", u.FirstName)
			}
		},
	}, {
		name: "table.entry.created", event: hibob.EventTableEntryCreated,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			work(t, e, "engineer", hibob.WorkEntry{Title: e.hr.AddTitle("Staff Engineer")})
			return e.ids["engineer"], nil
		},
		want: syncengine.ResultUpdated, calls: bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1},
		check: func(t *testing.T, e *bobEnv, id string) {
			if u := e.user(t, "engineer"); u.JobTitle != "Staff Engineer" {
				t.Errorf("job title %q", u.JobTitle)
			}
		},
	}, {
		name: "table.entry.updated", event: hibob.EventTableEntryUpdated,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			work(t, e, "sales_rep", hibob.WorkEntry{ManagerID: e.ids["ceo"]})
			return e.ids["sales_rep"], nil
		},
		want: syncengine.ResultUpdated, calls: bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1},
		check: func(t *testing.T, e *bobEnv, id string) {
			if u := e.user(t, "sales_rep"); u.ManagerID != e.user(t, "ceo").ID {
				t.Errorf("manager %s, want the CEO", u.ManagerID)
			}
		},
	}, {
		name: "employee.left", event: hibob.EventEmployeeLeft,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			e.hr.Terminate(e.ids["sales_rep"], "2026-05-31")
			return e.ids["sales_rep"], nil
		},
		want: syncengine.ResultDeactivated, calls: bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1},
		check: deactivated("sales_rep"),
	}, {
		name: "employee.inactivated", event: hibob.EventEmployeeInactivated,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			e.hr.Terminate(e.ids["engineer"], "2026-06-01") // terminated today: Bob's lifecycle says so at once
			return e.ids["engineer"], nil
		},
		want: syncengine.ResultDeactivated, calls: bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1},
		check: deactivated("engineer"),
	}, {
		name: "employee.deleted", event: hibob.EventEmployeeDeleted,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			e.hr.DeleteEmployee(e.ids["engineer"])
			return e.ids["engineer"], nil
		},
		want: syncengine.ResultDeactivated, calls: bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1},
		check: deactivated("engineer"),
	}, {
		name: "employee.created", event: hibob.EventEmployeeCreated,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			return e.hr.AddEmployee(hibobtest.Employee{FirstName: "Joan", Surname: "Clarke", Email: "joan.clarke@example.com",
				Title: "Cryptanalyst", Department: "Platform", ManagerID: e.ids["eng_manager"], StartDate: "2026-05-04"}), nil
		},
		want: syncengine.ResultCreated, calls: bobCalls{HRReads: 1, LMSReads: 2, LMSWrites: 1},
		check: func(t *testing.T, e *bobEnv, id string) {
			u, ok := e.lms.UserByExternalID(id)
			if !ok || u.Status != learnamp.StatusInvitePending || u.ManagerID != e.user(t, "eng_manager").ID || u.JobTitle != "Cryptanalyst" {
				t.Errorf("new employee: %+v, want invited, managed by Ada", u)
			}
		},
	}, {
		name: "employee.joined", event: hibob.EventEmployeeJoined,
		change: func(t *testing.T, e *bobEnv) (string, []string) {
			e.clock.to("2026-07-31") // the future starter's first day
			return e.ids["future_starter"], nil
		},
		want: syncengine.ResultCreated, calls: bobCalls{HRReads: 1, LMSReads: 2, LMSWrites: 1, Tokens: 1},
		check: func(t *testing.T, e *bobEnv, id string) {
			if u := e.user(t, "future_starter"); u.Status != learnamp.StatusInvitePending {
				t.Errorf("starter: %s, want invited", u.Status)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newBobEnv(t)
			url := e.receiver(t)
			e.sync(t)
			// Someone else changes too: no event names them.
			work(t, e, "ceo", hibob.WorkEntry{Title: e.hr.AddTitle("Chief Executive")})
			id, fields := tt.change(t, e)
			e.calls()
			statuses, err := e.hr.SendWebhook(ctx, url, bobWebhookSecret,
				hibob.WebhookPayload{Type: tt.event, EmployeeID: id, ChangedFields: fields, TableID: "work"})
			if err != nil || !cmp.Equal(statuses, []int{http.StatusOK}) {
				t.Fatalf("delivery: %v, %v; want 200", statuses, err)
			}
			if c := e.calls(); c != (bobCalls{}) {
				t.Errorf("the receiver made calls %+v; it should only queue", c)
			}
			// The pending events are in the Store: any queue of the engine runs them.
			var rep *syncengine.Report
			q := e.eng.NewQueue(syncengine.QueueOptions{OnRun: func(r *syncengine.Report, err error) {
				if err != nil {
					t.Errorf("queue run: %v", err)
				}
				rep = r
			}})
			if err := q.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if c := e.calls(); c != tt.calls {
				t.Errorf("the queued run: %+v, want %+v", c, tt.calls)
			}
			if rep == nil || len(rep.Outcomes) != 1 || rep.Outcomes[0].AID != id || rep.Outcomes[0].Result != tt.want {
				t.Fatalf("report %+v, want %s of %s alone", rep, tt.want, id)
			}
			tt.check(t, e, id)
			if u := e.user(t, "ceo"); u.JobTitle != "CEO" {
				t.Errorf("the CEO's title became %q without an event", u.JobTitle)
			}
		})
	}
}

func deactivated(role string) func(t *testing.T, e *bobEnv, id string) {
	return func(t *testing.T, e *bobEnv, id string) {
		if u := e.user(t, role); u.Status != learnamp.StatusDeactivated {
			t.Errorf("%s: status %s, want deactivated", role, u.Status)
		}
	}
}

// A delivery signed with another secret is refused and queues nothing.
func TestHiBobLearnAmpWebhookBadSignature(t *testing.T) {
	e := newBobEnv(t)
	url := e.receiver(t)
	statuses, err := e.hr.SendWebhook(context.Background(), url, "not-the-secret",
		hibob.WebhookPayload{Type: hibob.EventEmployeeUpdated, EmployeeID: e.ids["ceo"]})
	if err != nil || len(statuses) != 1 || statuses[0] < 400 || statuses[0] >= 500 {
		t.Errorf("statuses %v, %v; want a 4xx", statuses, err)
	}
	if pend, _ := e.q.Pending(context.Background()); len(pend) != 0 {
		t.Errorf("queued %+v", pend)
	}
}

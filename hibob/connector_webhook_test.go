package hibob_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

const usersMap = `{"name": "hibob-test", "rules": [
  {"target": "email", "source": "root.email", "transforms": ["trim", "lower"], "required": true},
  {"target": "first_name", "source": "root.firstName"},
  {"target": "last_name", "source": "root.surname"},
  {"target": "department", "source": "work.department"},
  {"target": "leave_date", "source": "internal.terminationDate", "transforms": [{"name": "date", "args": {"to": "date"}}]}
]}`

const teamsMap = `{"name": "hibob-teams", "rules": [{"target": "name", "source": "name", "required": true}]}`

func mustMap(t testing.TB, spec string) *mapping.Map {
	t.Helper()
	m, err := mapping.Load([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pairEnv is HiBob → an in-memory learning platform, with the engine's
// event queue behind a HiBob webhook receiver.
type pairEnv struct {
	hr  *hibobtest.Server
	lms *syncenginetest.Connector
	eng *syncengine.Engine
	q   *syncengine.Queue
	url string
}

func newPair(t *testing.T, store syncengine.Store) *pairEnv {
	t.Helper()
	p := &pairEnv{hr: newFake(t), lms: syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))}
	all := func(m *mapping.Map, key string) syncengine.Rules {
		return syncengine.Rules{Map: m, Match: []syncengine.MatchKey{{Field: key, Fold: true}},
			Create: true, Update: true, Deactivate: true, Reactivate: true, Refs: true}
	}
	eng, err := syncengine.New(syncengine.Config{
		A: newConnector(t, p.hr, hibob.ConnectorOptions{}), B: p.lms, Store: store,
		Direction: syncengine.AToB, OutOfScope: syncengine.DeactivateOutOfScope, Now: fixedClock,
		Collections: []syncengine.CollectionRules{
			{Collection: syncengine.Teams, AToB: all(mustMap(t, teamsMap), "name")},
			{Collection: syncengine.Users, AToB: all(mustMap(t, usersMap), "email")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	p.eng, p.q = eng, eng.NewQueue(syncengine.QueueOptions{})
	v := &hibob.WebhookVerifier{Secret: hibob.Secret(webhookSecret)}
	recv := httptest.NewServer(v.Handler(hibob.Enqueue(p.q)))
	t.Cleanup(recv.Close)
	p.url = recv.URL
	return p
}

// learner is the platform's user with email.
func (p *pairEnv) learner(t *testing.T, email string) syncengine.Record {
	t.Helper()
	for _, r := range p.lms.Records(syncengine.Users) {
		if r.Fields["email"] == email {
			return r
		}
	}
	t.Fatalf("no learner %s", email)
	return syncengine.Record{}
}

func (p *pairEnv) teamID(t *testing.T, name string) string {
	t.Helper()
	for _, r := range p.lms.Records(syncengine.Teams) {
		if r.Fields["name"] == name {
			return r.ID
		}
	}
	t.Fatalf("no team %s", name)
	return ""
}

// deliver sends one signed event and returns the ids it queued.
func (p *pairEnv) deliver(t *testing.T, ev hibob.WebhookPayload) []string {
	t.Helper()
	statuses, err := p.hr.SendWebhook(ctx, p.url, webhookSecret, ev)
	if err != nil || len(statuses) != 1 || statuses[0] != http.StatusOK {
		t.Fatalf("deliver %s: %v, %v; want 200", ev.Type, statuses, err)
	}
	return p.pending(t)
}

func (p *pairEnv) pending(t *testing.T) []string {
	t.Helper()
	pend, err := p.q.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range pend {
		if x.Collection != syncengine.Users || x.Side != syncengine.SideA {
			t.Errorf("queued %+v, want hibob users", x)
		}
		ids = append(ids, x.ID)
	}
	return ids
}

// drain syncs what is queued and returns the calls it made to HiBob.
func (p *pairEnv) drain(t *testing.T) calls {
	t.Helper()
	p.hr.Log().Reset()
	if err := p.q.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	return countCalls(p.hr)
}

// A signed delivery of each event family reaches the queue as the employee
// to read afresh, and the queue's run brings the platform in step with one
// read of that employee and no search.
func TestEnqueueEventFamilies(t *testing.T) {
	p := newPair(t, syncengine.NewMemoryStore())
	ids := p.hr.SeedCompany()
	if _, err := p.eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	oneRead := calls{read: 1}

	t.Run("ping", func(t *testing.T) {
		status, err := p.hr.SendPing(ctx, p.url, webhookSecret)
		if err != nil || status != http.StatusOK || len(p.pending(t)) != 0 {
			t.Errorf("ping: %d, %v, pending %v; want 200 and nothing queued", status, err, p.pending(t))
		}
	})
	t.Run("employee.updated", func(t *testing.T) {
		p.hr.SetField(ids["engineer"], hibob.FieldFirstName, "Alan M.")
		queued := p.deliver(t, hibob.WebhookPayload{Type: hibob.EventEmployeeUpdated, EmployeeID: ids["engineer"],
			ChangedFields: []string{hibob.FieldFirstName}})
		if diff := cmp.Diff([]string{ids["engineer"]}, queued); diff != "" {
			t.Fatalf("queued (-want +got):\n%s", diff)
		}
		if c := p.drain(t); c != oneRead {
			t.Errorf("run made %+v, want one read", c)
		}
		if got := p.learner(t, "alan.turing@example.com").Fields["first_name"]; got != "Alan M." {
			t.Errorf("first_name = %v, want Alan M.", got)
		}
	})
	t.Run("table.entry.created", func(t *testing.T) {
		sales := workIDs(p.hr, ids["sales_rep"]).DepartmentID
		if _, err := p.hr.NewClient(t).AddWorkEntry(ctx, ids["engineer"], hibob.WorkEntry{EffectiveDate: fixedClock(), Department: sales}); err != nil {
			t.Fatal(err)
		}
		queued := p.deliver(t, hibob.WebhookPayload{Type: hibob.EventTableEntryCreated, EmployeeID: ids["engineer"], TableID: "work"})
		if diff := cmp.Diff([]string{ids["engineer"]}, queued); diff != "" {
			t.Fatalf("queued (-want +got):\n%s", diff)
		}
		if c := p.drain(t); c != oneRead {
			t.Errorf("run made %+v, want one read", c)
		}
		got := p.learner(t, "alan.turing@example.com")
		if got.Fields["department"] != "Sales" || !cmp.Equal(got.Refs["teams"], ref(syncengine.Teams, p.teamID(t, "Sales"))) {
			t.Errorf("after the work entry: department %v, teams %v; want Sales", got.Fields["department"], got.Refs["teams"])
		}
	})
	t.Run("employee.left", func(t *testing.T) {
		p.hr.Terminate(ids["sales_rep"], "2026-06-01")
		p.deliver(t, hibob.WebhookPayload{Type: hibob.EventEmployeeLeft, EmployeeID: ids["sales_rep"]})
		if c := p.drain(t); c != oneRead {
			t.Errorf("run made %+v, want one read", c)
		}
		got := p.learner(t, "dorothy.vaughan@example.com")
		if got.Active || got.Fields["leave_date"] != "2026-06-01" {
			t.Errorf("leaver: active %v, leave_date %v; want inactive, 2026-06-01", got.Active, got.Fields["leave_date"])
		}
	})
	t.Run("employee.created", func(t *testing.T) {
		id := p.hr.AddEmployee(hibobtest.Employee{FirstName: "Joan", Surname: "Clarke", Email: "joan.clarke@example.com",
			Department: "Platform", ManagerID: ids["eng_manager"], StartDate: "2026-05-04"})
		p.deliver(t, hibob.WebhookPayload{Type: hibob.EventEmployeeCreated, EmployeeID: id})
		if c := p.drain(t); c != oneRead {
			t.Errorf("run made %+v, want one read", c)
		}
		got := p.learner(t, "joan.clarke@example.com")
		mgr := p.learner(t, "ada.lovelace@example.com")
		if !got.Active || !cmp.Equal(got.Refs["manager"], ref(syncengine.Users, mgr.ID)) {
			t.Errorf("new employee: %+v; want active, managed by %s", got, mgr.ID)
		}
	})
	t.Run("employee.deleted", func(t *testing.T) {
		p.hr.DeleteEmployee(ids["engineer"])
		queued := p.deliver(t, hibob.WebhookPayload{Type: hibob.EventEmployeeDeleted, EmployeeID: ids["engineer"], Email: "alan.turing@example.com"})
		if diff := cmp.Diff([]string{ids["engineer"]}, queued); diff != "" {
			t.Fatalf("queued (-want +got):\n%s", diff)
		}
		if c := p.drain(t); c != oneRead {
			t.Errorf("run made %+v, want one read (answered 404)", c)
		}
		if got := p.learner(t, "alan.turing@example.com"); got.Active {
			t.Error("the deleted employee's learner is active; the out-of-scope policy says deactivate")
		}
	})
	t.Run("other modules", func(t *testing.T) {
		if queued := p.deliver(t, hibob.WebhookPayload{Type: "timeoff.request.approved", EmployeeID: ids["ceo"]}); len(queued) != 0 {
			t.Errorf("a time-off event queued %v", queued)
		}
	})
}

// addFailStore is a Store whose AddPending fails, as a database that is down.
type addFailStore struct{ syncengine.Store }

func (addFailStore) AddPending(context.Context, string, []syncengine.Pending) error {
	return errors.New("store down")
}

// When the queue cannot record a delivery, HiBob is answered 503 and
// delivers it again later.
func TestEnqueueAnswers503WhenTheQueueFails(t *testing.T) {
	p := newPair(t, addFailStore{syncengine.NewMemoryStore()})
	ids := p.hr.SeedCompany()
	statuses, err := p.hr.SendWebhook(ctx, p.url, webhookSecret,
		hibob.WebhookPayload{Type: hibob.EventEmployeeUpdated, EmployeeID: ids["ceo"]})
	if err != nil || len(statuses) != 1 || statuses[0] != http.StatusServiceUnavailable {
		t.Errorf("statuses %v, %v; want 503", statuses, err)
	}
}

// An engine whose pair has no hibob side queues nothing; the delivery is
// answered 200 (retrying would not help) and logged by the Handler.
func TestEnqueueWithoutAHiBobSide(t *testing.T) {
	eng, err := syncengine.New(syncengine.Config{
		A: syncenginetest.NewConnector("hr"), B: syncenginetest.NewConnector("lms"), Store: syncengine.NewMemoryStore(),
		Direction: syncengine.AToB, Now: func() time.Time { return fixedClock() },
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{Create: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	q := eng.NewQueue(syncengine.QueueOptions{})
	err = hibob.Enqueue(q)(ctx, &hibob.WebhookPayload{Type: hibob.EventEmployeeUpdated, EmployeeID: "3332883884017713201"})
	if err == nil || errors.Is(err, hibob.ErrRetryWebhook) {
		t.Errorf("err = %v, want a non-retry error naming the missing side", err)
	}
	if pend, _ := q.Pending(ctx); len(pend) != 0 {
		t.Errorf("queued %+v", pend)
	}
}

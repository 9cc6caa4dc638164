package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/internal/pgtest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/fleet"
	"github.com/rostersync/rostersync/syncengine/pgstore"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// env is one instance of a fleet in the test process, on schemas of its own.
type env struct {
	pool        *pgxpool.Pool
	store       *pgstore.Store
	riverSchema string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.Pool(t)
	e := &env{pool: pool, riverSchema: pgtest.Schema(t, pool)}
	var err error
	if e.store, err = pgstore.New(context.Background(), pool, pgstore.WithSchema(pgtest.Schema(t, pool))); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) fleet(t *testing.T, pairs []fleet.Pair, opts ...fleet.Option) *fleet.Fleet {
	t.Helper()
	fl, err := fleet.New(context.Background(), e.pool, pairs, append([]fleet.Option{fleet.WithSchema(e.riverSchema),
		fleet.WithPollInterval(50 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatalf("fleet.New: %v", err)
	}
	return fl
}

// start starts fl, stopped at the end of t.
func start(t *testing.T, fl *fleet.Fleet) {
	t.Helper()
	if err := fl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := fl.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
}

// jobs counts the jobs of kind in state ("" any).
func (e *env) jobs(t *testing.T, kind, state string) int {
	t.Helper()
	var n int
	err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+pgx.Identifier{e.riverSchema, "river_job"}.Sanitize()+
		" WHERE kind = $1 AND ($2 = '' OR state::text = $2)", kind, state).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitCompleted waits for a job of kind to complete in fl, and fails t
// when one fails or none completes in time.
func waitCompleted(t *testing.T, events <-chan *river.Event, kind string, within time.Duration) *river.Event {
	t.Helper()
	timeout := time.After(within)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind != kind {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %d (%s) ended %s: %v", ev.Job.ID, kind, ev.Kind, ev.Job.Errors)
			}
			return ev
		case <-timeout:
			t.Fatalf("no %s job completed within %v", kind, within)
			return nil
		}
	}
}

// bambooPair is a BambooHR → Litmos pair on in-process fakes.
func (e *env) bambooPair(t *testing.T, name string) (*testPair, fleet.Pair) {
	t.Helper()
	p := newTestPair(t, 0)
	eng, err := pairEngine(pairConfig{Name: name, HR: p.hr.BaseURL(), LMS: p.lms.BaseURL(), Key: "litmos-acme"}, e.store, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	return p, fleet.Pair{Engine: eng, Key: "litmos-acme"}
}

func receiver(t *testing.T, fl *fleet.Fleet, pair string) *httptest.Server {
	t.Helper()
	verifier := &bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret(webhookKey)}
	h, err := fl.Webhook(pair, func(q syncengine.EventQueue) http.Handler { return verifier.Handler(bamboohr.Enqueue(q)) })
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// A delivery is answered 202 once its records are pending in the Store
// and its job is in river, and 503 when the job could not be inserted;
// the job, worked, syncs the delivery's employee.
func TestWebhookIsAcknowledgedOnlyOnceItsJobIsInserted(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p, pair := e.bambooPair(t, "acme")
	fl := e.fleet(t, []fleet.Pair{pair})
	srv := receiver(t, fl, "acme")
	emp := p.hr.EmployeeIDs()[0]
	deliver := func() int {
		t.Helper()
		status, err := p.hr.SendWebhook(ctx, srv.URL, webhookKey, bamboohr.EventBased,
			bamboohr.WebhookEvent{Action: "Updated", EmployeeID: fmt.Sprint(emp), ChangedFields: []string{"jobTitle"}})
		if err != nil {
			t.Fatal(err)
		}
		return status
	}

	// The job table cannot take the insert: 503, so BambooHR delivers again.
	table := pgx.Identifier{e.riverSchema, "river_job"}.Sanitize()
	if _, err := e.pool.Exec(ctx, "ALTER TABLE "+table+" RENAME TO river_job_away"); err != nil {
		t.Fatal(err)
	}
	status := deliver()
	if _, err := e.pool.Exec(ctx, "ALTER TABLE "+pgx.Identifier{e.riverSchema, "river_job_away"}.Sanitize()+" RENAME TO river_job"); err != nil {
		t.Fatal(err)
	}
	if status != http.StatusServiceUnavailable {
		t.Errorf("delivery with no job table: %d, want 503", status)
	}
	if n := e.jobs(t, fleet.KindEvent, ""); n != 0 {
		t.Errorf("%d event jobs after a failed insert, want 0", n)
	}

	p.hr.SetField(emp, "jobTitle", "Staff Engineer")
	if status := deliver(); status != http.StatusAccepted {
		t.Fatalf("delivery: %d, want 202", status)
	}
	if n := e.jobs(t, fleet.KindEvent, "available"); n != 1 {
		t.Errorf("%d event jobs available after the 202, want 1", n)
	}
	pend, err := e.store.Pending(ctx, "acme")
	if err != nil || len(pend) != 1 || pend[0].ID != fmt.Sprint(emp) {
		t.Fatalf("pending after the 202: %v, %v; want employee %d once (both deliveries coalesced)", pend, err, emp)
	}

	events, cancel := fl.River().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	start(t, fl)
	waitCompleted(t, events, fleet.KindEvent, 20*time.Second)
	fields, _ := p.hr.Employee(emp)
	u, ok := p.lms.UserByUsername(fields["workEmail"])
	if !ok || u.JobTitle != "Staff Engineer" {
		t.Errorf("learner after the event job: %+v (found %v), want job title Staff Engineer", u, ok)
	}
	if pend, _ := e.store.Pending(ctx, "acme"); len(pend) != 0 {
		t.Errorf("still pending after the event job: %v", pend)
	}
}

// Sync jobs are unique per pair and period, however many instances insert them.
func TestSyncJobsAreOnePerPairAndPeriod(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	_, a := e.bambooPair(t, "acme")
	_, b := e.bambooPair(t, "globex")
	// Uniqueness is per period (the default, an hour): a test that crosses
	// the hour may see the next period's two jobs as well.
	period := time.Now().Truncate(time.Hour)
	check := func(n int, when string) {
		t.Helper()
		crossed := !time.Now().Truncate(time.Hour).Equal(period)
		if n != 2 && !(crossed && n <= 4) {
			t.Errorf("%d sync jobs %s, want 2 (one per pair)", n, when)
		}
	}
	one := e.fleet(t, []fleet.Pair{a, b})
	two := e.fleet(t, []fleet.Pair{a, b}) // another instance, same schema
	for _, fl := range []*fleet.Fleet{one, two, one} {
		for _, pair := range fl.Pairs() {
			if err := fl.SyncNow(ctx, pair); err != nil {
				t.Fatal(err)
			}
		}
	}
	check(e.jobs(t, fleet.KindSync, ""), "after six inserts for two pairs")
	// Both instances start, and insert the period's syncs again: still one
	// per pair and period.
	start(t, one)
	start(t, two)
	check(e.jobs(t, fleet.KindSync, ""), "after two instances started")
	if err := one.SyncNow(ctx, "initech"); err == nil {
		t.Error("SyncNow of an unknown pair: no error")
	}
}

// A record's leave date becomes a due job scheduled for it; the job
// deactivates the record's counterpart then.
func TestDueWorkRunsAtItsTime(t *testing.T) {
	e := newEnv(t)
	hr := syncenginetest.NewConnector("hr")
	lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	leave := time.Now().Add(1500 * time.Millisecond).UTC()
	hr.Put(syncengine.Users, syncengine.Record{ID: "e1", Active: true,
		Fields: map[string]any{"email": "ana@example.com", "leaveDate": leave.Format(time.RFC3339Nano)}})
	eng, err := syncengine.New(syncengine.Config{A: hr, B: lms, Store: e.store, Pair: "acme", Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Match: []syncengine.MatchKey{{Field: "email", Fold: true}}, LeaveField: "leaveDate",
			Create: true, Update: true, Deactivate: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	fl := e.fleet(t, []fleet.Pair{{Engine: eng, Key: "lms"}})
	events, cancel := fl.River().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	start(t, fl)
	waitCompleted(t, events, fleet.KindSync, 20*time.Second)
	if n := e.jobs(t, fleet.KindDue, "scheduled"); n != 1 {
		t.Fatalf("%d due jobs scheduled after the sync, want 1", n)
	}
	if recs := lms.Records(syncengine.Users); len(recs) != 1 || !recs[0].Active {
		t.Fatalf("before the leave date: %v, want one active record", recs)
	}
	ev := waitCompleted(t, events, fleet.KindDue, 30*time.Second)
	if ev.Job.AttemptedAt.Before(leave) {
		t.Errorf("due job ran at %v, before the leave date %v", ev.Job.AttemptedAt, leave)
	}
	if recs := lms.Records(syncengine.Users); len(recs) != 1 || recs[0].Active {
		t.Errorf("after the leave date: %v, want the record deactivated", recs)
	}
}

// Two instances' budgets of one key share its calls: a burst of 3 and
// then a wait of a whole refill, whichever instance asks.
func TestBudgetIsSharedByInstances(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	limit := fleet.Limit{Requests: 1, Per: time.Minute, Burst: 3}
	a, err := fleet.NewBudget(ctx, pool, schema, "litmos-acme", limit)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fleet.NewBudget(ctx, pool, schema, "litmos-acme", limit)
	if err != nil {
		t.Fatal(err)
	}
	for i, bud := range []*fleet.Budget{a, b, a} {
		if err := bud.Wait(ctx); err != nil {
			t.Fatalf("call %d of the burst: %v", i+1, err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := b.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a fourth call within the minute: %v, want it to wait past its context", err)
	}
	if _, err := fleet.NewBudget(ctx, pool, schema, "Litmos Key!", limit); err == nil {
		t.Error("a key name that is no queue name: no error")
	}
}

// A budget given no Burst keeps every window of length Per at or under
// Requests: one call at once, the rest spaced by Per/Requests. (With the
// old default, a burst of Requests, a full bucket and its refill let 2×
// Requests through in one window, which Litmos's sliding minute refuses.)
func TestBudgetDefaultKeepsEachWindowUnderTheLimit(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	b, err := fleet.NewBudget(ctx, pool, pgtest.Schema(t, pool), "litmos-acme", fleet.Limit{Requests: 3, Per: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Wait(ctx); err != nil {
		t.Fatalf("first call: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := b.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second call at once: %v, want it to wait its 20 minutes past its context", err)
	}
}

// The Transport waits for the budget before each request.
func TestBudgetTransportWaits(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	b, err := fleet.NewBudget(ctx, pool, pgtest.Schema(t, pool), "vendor", fleet.Limit{Requests: 1, Per: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var got int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got++ }))
	defer srv.Close()
	c := &http.Client{Transport: b.Transport(nil)}
	for i := range 2 {
		rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		req, _ := http.NewRequestWithContext(rctx, http.MethodGet, srv.URL, nil)
		resp, err := c.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != (i == 0) {
			t.Errorf("request %d: %v; want the first sent and the second held back", i+1, err)
		}
	}
	if got != 1 {
		t.Errorf("the server saw %d requests, want 1", got)
	}
}

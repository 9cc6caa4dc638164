package jobs_test

import (
	"context"
	"fmt"

	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// setup is what a test changes of the BambooHR → Litmos preset.
type setup struct {
	jobs.BambooHRLitmosOptions
	OnFinish func(*syncengine.Report)
	BulkMin  int              // syncengine.Config.BulkMin
	Now      func() time.Time // syncengine.Config.Now
}

// job is the preset's engine and its event queue.
type job struct {
	eng *syncengine.Engine
	q   *syncengine.Queue
}

func (j *job) Plan(ctx context.Context) (*syncengine.Plan, error)   { return j.eng.Plan(ctx) }
func (j *job) Sync(ctx context.Context) (*syncengine.Report, error) { return j.eng.Sync(ctx) }

// Apply applies p, or only the changes of the employees only names.
func (j *job) Apply(ctx context.Context, p *syncengine.Plan, only ...string) (*syncengine.Report, error) {
	sel, err := p.Select(only...)
	if err != nil {
		return nil, err
	}
	return j.eng.Apply(ctx, sel)
}

// SyncEmployees syncs the named employees, as a webhook asks.
func (j *job) SyncEmployees(ctx context.Context, ids []string) (*syncengine.Report, error) {
	return j.eng.SyncIDs(ctx, syncengine.SideA, syncengine.Users, ids)
}

// env is the BambooHR → Litmos preset on the two fakes with a memory store.
type env struct {
	hr    *bamboohrtest.Server
	lms   *litmostest.Server
	store *syncengine.MemoryStore
	job   *job
}

func newEnv(t testing.TB, opts ...func(*setup)) *env {
	t.Helper()
	e := &env{
		hr:    bamboohrtest.NewServer(t),
		lms:   litmostest.NewServer(t, litmostest.WithoutRateLimit()),
		store: syncengine.NewMemoryStore(),
	}
	var s setup
	for _, o := range opts {
		o(&s)
	}
	cfg, err := jobs.BambooHRLitmos(e.hr.NewClient(t), e.lms.NewClient(t), s.BambooHRLitmosOptions)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.OnFinish, cfg.BulkMin = e.store, s.OnFinish, s.BulkMin
	if s.Now != nil {
		cfg.Now = s.Now
	}
	eng, err := syncengine.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	e.job = &job{eng: eng, q: eng.NewQueue(syncengine.QueueOptions{})}
	return e
}

// receiver serves the job's BambooHR webhook receiver: verified deliveries
// go to the job's queue.
func (e *env) receiver(t testing.TB) *httptest.Server {
	v := &bamboohr.WebhookVerifier{PrivateKey: webhookKey}
	srv := httptest.NewServer(v.Handler(bamboohr.Enqueue(e.job.q)))
	t.Cleanup(srv.Close)
	return srv
}

// drain syncs what the queue holds, as its Run goroutine would.
func (e *env) drain(t testing.TB) error {
	t.Helper()
	return e.job.q.Drain(context.Background())
}

// employee seeds an employee with Litmos Access and an address; extra
// fields override.
func (e *env) employee(first, last, email string, extra map[string]string) string {
	f := map[string]string{
		"firstName": first, "lastName": last, "workEmail": email,
		"workPhone": "+1 555 0100", "mobilePhone": "+1 555 0199",
		"address1": "1 Main St", "city": "Springfield", "state": "IL", "zipcode": "62701",
		"country": "United States", "jobTitle": "Engineer",
		bamboohrtest.LitmosAccessAlias: "yes",
	}
	for k, v := range extra {
		f[k] = v
	}
	return strconv.Itoa(e.hr.AddEmployee(f))
}

// staff seeds n plain employees with Litmos Access and returns their ids.
func (e *env) staff(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.employee("Emp", fmt.Sprintf("N%03d", i), fmt.Sprintf("emp%03d@acme.example", i), nil)
	}
	return ids
}

func (e *env) sync(t testing.TB) *syncengine.Report {
	t.Helper()
	rep, err := e.job.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return rep
}

// learner returns the Litmos user for a username, failing the test if absent.
func (e *env) learner(t testing.TB, username string) litmos.User {
	t.Helper()
	u, ok := e.lms.UserByUsername(username)
	if !ok {
		t.Fatalf("no Litmos user %q", username)
	}
	return u
}

func (e *env) writes() int { return e.lms.Log().Count(litmostest.IsWrite) }

// rowOf returns the report's outcome of an employee.
func rowOf(t testing.TB, rep *syncengine.Report, id string) syncengine.Outcome {
	t.Helper()
	i := slices.IndexFunc(rep.Outcomes, func(o syncengine.Outcome) bool { return o.AID == id })
	if i < 0 {
		t.Fatalf("no report row for employee %s in %+v", id, rep.Outcomes)
	}
	return rep.Outcomes[i]
}

// usernames counts Litmos users per lower-cased username.
func usernames(lms *litmostest.Server) map[string]int {
	out := map[string]int{}
	for _, u := range lms.Users() {
		out[u.UserName]++
	}
	return out
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }

const webhookKey = "123b929362d51613054f71e5e5d4bf2c"

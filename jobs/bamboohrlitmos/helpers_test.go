package bamboohrlitmos_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// env is a job on the two fakes with a memory store.
type env struct {
	hr    *bamboohrtest.Server
	lms   *litmostest.Server
	store *syncengine.MemoryStore
	job   *bamboohrlitmos.Job
}

func newEnv(t testing.TB, opts ...func(*bamboohrlitmos.Config)) *env {
	t.Helper()
	e := &env{
		hr:    bamboohrtest.NewServer(t),
		lms:   litmostest.NewServer(t, litmostest.WithoutRateLimit()),
		store: syncengine.NewMemoryStore(),
	}
	cfg := bamboohrlitmos.Config{
		BambooHR: e.hr.NewClient(t),
		Litmos:   e.lms.NewClient(t),
		Store:    e.store,
	}
	for _, o := range opts {
		o(&cfg)
	}
	job, err := bamboohrlitmos.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.job = job
	t.Cleanup(func() { _ = job.Close() })
	return e
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

func (e *env) sync(t testing.TB) *bamboohrlitmos.Report {
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

// rowOf returns the report row of an employee.
func rowOf(t testing.TB, rep *bamboohrlitmos.Report, id string) bamboohrlitmos.Row {
	t.Helper()
	i := slices.IndexFunc(rep.Rows, func(r bamboohrlitmos.Row) bool { return r.EmployeeID == id })
	if i < 0 {
		t.Fatalf("no report row for employee %s in %+v", id, rep.Rows)
	}
	return rep.Rows[i]
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

package fleet_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/internal/pgtest"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine/fleet"
	"github.com/rostersync/rostersync/syncengine/pgstore"
)

// The multi-instance test's settings: a short lease, so that a killed
// instance's pairs are free again soon.
const (
	testPairs = 10
	testLease = 2 * time.Second
	syncEvery = 2 * time.Second
	burst     = 1_000_000 // the budgets' tokens: never empty, so they count calls
)

// testPair is one tenant: a fake BambooHR and a fake Litmos of its own.
type testPair struct {
	name string
	hr   *bamboohrtest.Server
	lms  *litmostest.Server
}

func newTestPair(t *testing.T, i int) *testPair {
	p := &testPair{name: fmt.Sprintf("tenant-%d", i), hr: bamboohrtest.NewServer(t),
		lms: litmostest.NewServer(t, litmostest.WithoutRateLimit())}
	for j := range 12 + i { // seeded differently: 12 to 21 people
		p.hire(fmt.Sprintf("Emp%02d", j), "Engineer")
	}
	// One out of scope: never a learner.
	p.hr.AddEmployee(map[string]string{"firstName": "No", "lastName": "Access", "workEmail": p.email("noaccess"),
		bamboohrtest.LitmosAccessAlias: "no"})
	// Writes take a while, so that runs are under way when an instance dies.
	p.lms.AddFault(litmostest.Fault{Match: func(r *http.Request) bool { return r.Method != http.MethodGet },
		Latency: 60 * time.Millisecond})
	return p
}

func (p *testPair) email(first string) string {
	return strings.ToLower(first) + "." + p.name + "@acme.example"
}

func (p *testPair) hire(first, title string) int {
	return p.hr.AddEmployee(map[string]string{"firstName": first, "lastName": "Test", "workEmail": p.email(first),
		"jobTitle": title, bamboohrtest.LitmosAccessAlias: "yes"})
}

// mismatches compares the pair's Litmos with what its BambooHR says it
// must hold, and counts duplicates (two learners of one employee id or
// one username).
func (p *testPair) mismatches() (diffs []string, dups int) {
	byName := map[string][]int{}
	byEmp := map[string]int{}
	users := p.lms.Users()
	for i, u := range users {
		byName[strings.ToLower(u.UserName)] = append(byName[strings.ToLower(u.UserName)], i)
		if u.ExternalEmployeeID != "" {
			byEmp[u.ExternalEmployeeID]++
		}
	}
	for _, n := range byEmp {
		dups += n - 1
	}
	for _, ix := range byName {
		dups += len(ix) - 1
	}
	for _, id := range p.hr.EmployeeIDs() {
		e, _ := p.hr.Employee(id)
		ix := byName[e["workEmail"]]
		inScope := e[bamboohrtest.LitmosAccessAlias] == "yes"
		active := inScope && e["status"] != "Inactive"
		switch {
		case !inScope && len(ix) > 0:
			diffs = append(diffs, fmt.Sprintf("%s: %s has a learner without access", p.name, e["workEmail"]))
		case active && len(ix) == 0:
			diffs = append(diffs, fmt.Sprintf("%s: %s has no learner", p.name, e["workEmail"]))
		case active && (!users[ix[0]].Active || users[ix[0]].JobTitle != e["jobTitle"]):
			diffs = append(diffs, fmt.Sprintf("%s: %s: active %v, title %q; want active, %q", p.name, e["workEmail"],
				users[ix[0]].Active, users[ix[0]].JobTitle, e["jobTitle"]))
		case inScope && !active && len(ix) > 0 && users[ix[0]].Active:
			diffs = append(diffs, fmt.Sprintf("%s: %s left but the learner is active", p.name, e["workEmail"]))
		}
	}
	return diffs, dups
}

// instance is one subprocess of the test.
type instance struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	logMu sync.Mutex
	log   bytes.Buffer

	stopOnce sync.Once
}

func startInstance(t *testing.T, cfg instanceConfig) *instance {
	t.Helper()
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{name: cfg.Name, cmd: exec.Command(os.Args[0], "-test.run=^$")}
	in.cmd.Env = append(os.Environ(), envInstance+"="+string(js))
	in.cmd.Stderr = writerFunc(func(b []byte) (int, error) {
		in.logMu.Lock()
		defer in.logMu.Unlock()
		return in.log.Write(b)
	})
	out, err := in.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if in.stdin, err = in.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cfg.Name, err)
	}
	t.Cleanup(func() {
		in.stop()
		if t.Failed() {
			in.logMu.Lock()
			t.Logf("%s's log:\n%s", in.name, in.log.String())
			in.logMu.Unlock()
		}
	})
	sc := bufio.NewScanner(out)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "ADDR ") {
		t.Fatalf("%s did not start: %q", cfg.Name, sc.Text())
	}
	in.addr = strings.TrimPrefix(sc.Text(), "ADDR ")
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return in
}

// stop closes the instance's stdin, which stops it gracefully (its
// running jobs finish), and waits for it; once is enough.
func (in *instance) stop() {
	in.stopOnce.Do(func() {
		_ = in.stdin.Close()
		done := make(chan error, 1)
		go func() { done <- in.cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = in.cmd.Process.Kill()
			<-done
		}
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// deliveries sends BambooHR webhooks to the instances as BambooHR would:
// a delivery not answered 2xx (the instance is dead, or could not record
// it) is delivered again, to the next instance.
type deliveries struct {
	insts        []*instance
	acked, tries int
}

func (d *deliveries) send(t *testing.T, p *testPair, first int, emp int) {
	t.Helper()
	ev := bamboohr.WebhookEvent{Action: "Updated", EmployeeID: fmt.Sprint(emp), ChangedFields: []string{"jobTitle"}}
	for i := range 2 * len(d.insts) {
		in := d.insts[(first+i)%len(d.insts)]
		d.tries++
		status, err := p.hr.SendWebhook(context.Background(), "http://"+in.addr+"/webhooks/"+p.name, webhookKey,
			bamboohr.EventBased, ev)
		if err == nil && status/100 == 2 {
			d.acked++
			return
		}
	}
	t.Fatalf("no instance acknowledged the delivery of %s's employee %d", p.name, emp)
}

// leasesOf lists the pairs whose lease holder holds now, with the
// database's clock.
func leasesOf(ctx context.Context, t *testing.T, pool *pgxpool.Pool, schema, holder string) []string {
	t.Helper()
	rows, err := pool.Query(ctx, "SELECT pair FROM "+pgx.Identifier{schema, "leases"}.Sanitize()+
		" WHERE holder = $1 AND expires_at > now() ORDER BY pair", holder)
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return pairs
}

// Three instances (real processes) share one PostgreSQL and ten pairs;
// one is killed with SIGKILL while it holds pairs; the others take them
// over once the lease runs out, webhooks keep arriving (some at the dead
// instance, then delivered again elsewhere), and in the end every pair's
// Litmos is what its BambooHR says, with no duplicate and no acknowledged
// delivery left unsynced.
func TestManyInstancesSurviveAKill(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	storeSchema, riverSchema := pgtest.Schema(t, pool), pgtest.Schema(t, pool)
	store, err := pgstore.New(ctx, pool, pgstore.WithSchema(storeSchema))
	if err != nil {
		t.Fatal(err)
	}
	if err := fleet.Migrate(ctx, pool, riverSchema); err != nil {
		t.Fatal(err)
	}
	pairs := make([]*testPair, testPairs)
	var pcs []pairConfig
	for i := range pairs {
		pairs[i] = newTestPair(t, i)
		pcs = append(pcs, pairConfig{Name: pairs[i].name, HR: pairs[i].hr.BaseURL(), LMS: pairs[i].lms.BaseURL(),
			Key: fmt.Sprintf("litmos-%d", i)})
	}
	start := time.Now()
	var insts []*instance
	for _, name := range []string{"instance-a", "instance-b", "instance-c"} {
		insts = append(insts, startInstance(t, instanceConfig{Name: name, URL: pgtest.URL(t), StoreSchema: storeSchema,
			RiverSchema: riverSchema, Lease: testLease, SyncEvery: syncEvery, Pairs: pcs, BudgetBurst: burst}))
	}
	for _, in := range insts {
		if _, err := io.WriteString(in.stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
	}
	d := &deliveries{insts: insts}
	// Changes with webhooks while the first syncs run.
	for i, p := range pairs {
		emp := p.hr.EmployeeIDs()[0]
		p.hr.SetField(emp, "jobTitle", "Staff Engineer")
		d.send(t, p, i, emp)
	}

	// Kill an instance in the middle of a full sync's writes: the first
	// found holding a pair whose Litmos has some of its learners (the
	// webhooks above make one at most), not all.
	var victim *instance
	var held []string
	midRun := func(in *instance) bool {
		held = leasesOf(ctx, t, pool, storeSchema, in.name)
		for _, name := range held {
			p := pairs[slices.IndexFunc(pairs, func(p *testPair) bool { return p.name == name })]
			if n := len(p.lms.Users()); n >= 2 && n < len(p.hr.EmployeeIDs())-1 {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(20 * time.Second); victim == nil; {
		if time.Now().After(deadline) {
			t.Fatal("no instance was caught in the middle of a sync")
		}
		for _, in := range insts {
			if midRun(in) {
				victim = in
				break
			}
		}
	}
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	var killedAt time.Time
	if err := pool.QueryRow(ctx, "SELECT now()").Scan(&killedAt); err != nil {
		t.Fatal(err)
	}
	killedAfter := time.Since(start)

	// More changes: terminations and hires; deliveries for a third of the
	// pairs go to the dead instance first.
	for i, p := range pairs {
		ids := p.hr.EmployeeIDs()
		p.hr.Terminate(ids[1], "2026-11-30")
		d.send(t, p, i, ids[1])
		d.send(t, p, i, p.hire("New", "Analyst"))
	}

	// The takeover: each pair the victim held gets a new holder.
	var takeover time.Duration
	for _, pair := range held {
		for deadline := time.Now().Add(15 * time.Second); ; {
			var holder string
			var at time.Time
			err := pool.QueryRow(ctx, "SELECT holder, acquired_at FROM "+pgx.Identifier{storeSchema, "leases"}.Sanitize()+
				" WHERE pair = $1", pair).Scan(&holder, &at)
			if err != nil {
				t.Fatal(err)
			}
			if holder != victim.name {
				takeover = max(takeover, at.Sub(killedAt))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("nobody took %s over from the killed %s", pair, victim.name)
			}
			time.Sleep(20 * time.Millisecond) // polling another process's progress
		}
	}
	if takeover > testLease+time.Second {
		t.Errorf("takeover took %v; want it within the lease (%v) and a lock poll or two", takeover, testLease)
	}

	// Convergence: every pair's Litmos as BambooHR says, nothing pending.
	var diffs []string
	var dups, pending int
	for deadline := time.Now().Add(40 * time.Second); ; {
		diffs, dups, pending = nil, 0, 0
		for _, p := range pairs {
			df, dp := p.mismatches()
			diffs, dups = append(diffs, df...), dups+dp
			ps, err := store.Pending(ctx, p.name)
			if err != nil {
				t.Fatal(err)
			}
			pending += len(ps)
		}
		if len(diffs) == 0 && pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // polling the instances' progress
	}
	converged := time.Since(start)
	if len(diffs) > 0 {
		t.Errorf("not converged after %v:\n%s", converged, strings.Join(diffs, "\n"))
	}
	if dups != 0 {
		t.Errorf("%d duplicate learners", dups)
	}
	if pending != 0 {
		t.Errorf("%d acknowledged records still pending", pending)
	}
	if want := 3 * testPairs; d.acked != want {
		t.Errorf("%d deliveries acknowledged, want %d", d.acked, want)
	}
	counts := jobCounts(ctx, t, pool, riverSchema)
	if n := counts["discarded"]; n != 0 {
		t.Errorf("%d jobs discarded: %v", n, counts)
	}
	if n := counts[fleet.KindEvent+"/total"]; n != d.acked {
		t.Errorf("%d event jobs inserted, want one per acknowledged delivery (%d)", n, d.acked)
	}
	// The budgets: every Litmos call of every instance took its key's
	// token, once the live instances have stopped. The killed instance may
	// have taken tokens for calls it never sent: at most one per write its
	// apply had in flight (4) in each job it left running.
	for _, in := range insts {
		if in != victim {
			in.stop()
		}
	}
	counts = jobCounts(ctx, t, pool, riverSchema)
	var taken, seen int
	for i, p := range pairs {
		var tokens float64
		err := pool.QueryRow(ctx, "SELECT tokens FROM "+pgx.Identifier{riverSchema, "rostersync_budgets"}.Sanitize()+
			" WHERE key = $1", pcs[i].Key).Scan(&tokens)
		if err != nil {
			t.Fatal(err)
		}
		taken += int(math.Round(burst - tokens)) // the refill of one an hour adds less than 0.1 in the test
		seen += p.lms.Log().Count(func(litmostest.Entry) bool { return true })
	}
	if slack := 4 * counts["running"]; taken < seen || taken > seen+slack {
		t.Errorf("the budgets counted %d calls, the Litmos fakes saw %d; want as many, or up to %d more (the killed instance's)",
			taken, seen, slack)
	}
	t.Logf("budgets: %d Litmos calls counted across the instances, %d seen by the fakes", taken, seen)
	t.Logf("killed %s after %v holding %v; taken over in %v (lease %v); converged after %v; "+
		"deliveries %d acknowledged of %d tries; %d duplicates, %d pending; jobs %v",
		victim.name, killedAfter.Round(time.Millisecond), held, takeover.Round(time.Millisecond), testLease,
		converged.Round(time.Millisecond), d.acked, d.tries, dups, pending, counts)
}

// jobCounts counts river's jobs by kind and state, and by state.
func jobCounts(ctx context.Context, t *testing.T, pool *pgxpool.Pool, schema string) map[string]int {
	t.Helper()
	rows, err := pool.Query(ctx, "SELECT kind, state::text, count(*) FROM "+pgx.Identifier{schema, "river_job"}.Sanitize()+
		" GROUP BY kind, state")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var kind, state string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&kind, &state, &n}, func() error {
		out[kind+"/"+state] += n
		out[kind+"/total"] += n
		out[state] += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

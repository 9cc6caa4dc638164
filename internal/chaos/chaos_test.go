package chaos_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/internal/chaos"
	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/internal/tempdircheck"
	"github.com/rostersync/rostersync/syncengine"
)

var (
	flagN       = flag.Int("chaos.n", 200, "employees per pair")
	flagSeed    = flag.Uint64("chaos.seed", 1, "random seed; pair i uses seed+i")
	flagRate    = flag.Float64("chaos.rate", 0.2, "share of requests that fail, on every server")
	flagTimeout = flag.Duration("chaos.timeout", 0, "how long clients wait for a reply (0: 500ms, 1s above 1,000 employees)")
)

var bg = context.Background()

// childEnv carries a childSpec (JSON) to the test binary re-executed as
// the run that gets killed.
const childEnv = "ROSTERSYNC_CHAOS_CHILD"

type childSpec struct {
	Pair      string    `json:"pair"`
	Endpoints endpoints `json:"endpoints"`
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChild(spec))
	}
	tempdircheck.Main(m)
}

// runChild is the killed run: the pair's sync against the parent's
// fakes, with the file store in the spec's directory.
func runChild(spec string) int {
	var s childSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Fprintln(os.Stderr, "chaos child:", err)
		return 2
	}
	p, ok := pairByName(s.Pair)
	if !ok {
		fmt.Fprintln(os.Stderr, "chaos child: no pair", s.Pair)
		return 2
	}
	eng, closeFn, err := fileEngine(p, s.Endpoints)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos child:", err)
		return 2
	}
	defer closeFn()
	defer eng.Close()
	if _, err := eng.Sync(bg); err != nil {
		fmt.Fprintln(os.Stderr, "chaos child: sync:", err)
		return 1
	}
	return 0
}

// fileEngine is the pair's engine on the file store in e.Dir.
func fileEngine(p pair, e endpoints) (*syncengine.Engine, func(), error) {
	cfg, closeFn, err := p.config(e)
	if err != nil {
		return nil, nil, err
	}
	cfg.StateDir = filepath.Join(e.Dir, "state")
	eng, err := syncengine.New(cfg)
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	return eng, closeFn, nil
}

func timeout(n int) time.Duration {
	switch {
	case *flagTimeout > 0:
		return *flagTimeout
	case n > 1000:
		return time.Second // a Litmos page of 1,000 users takes a while on a busy machine
	}
	return 500 * time.Millisecond
}

// TestChaos runs every pair under 20% faults on both sides with a SIGKILL
// at a random request, then at most two more runs with faults on, and
// checks the result against a clean run: the same target, no duplicate,
// nobody lost, and nothing left to plan.
func TestChaos(t *testing.T) {
	n := *flagN
	var mu sync.Mutex
	var lines []string
	t.Cleanup(func() {
		t.Logf("chaos summary (n=%d, rate=%.2f, seed=%d):\n%s", n, *flagRate, *flagSeed, strings.Join(lines, "\n"))
	})
	for i, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			f := chaosPair(t, p, n, *flagSeed+uint64(i))
			mu.Lock()
			lines = append(lines, f.String())
			mu.Unlock()
		})
	}
}

// figures are one pair's results.
type figures struct {
	pair              string
	requests          int // on every server, faults on or off (snapshots, the last plan)
	faults            string
	killedAt          int // the request count at the kill
	runs              int // runs after the kill until the target was right (0: never)
	duplicates, lost  int
	run2, run3        string
	elapsed, refTaken time.Duration
}

func (f figures) String() string {
	return fmt.Sprintf("%-30s requests=%d faults[%s] killed-at=%d converged-after=%d duplicates=%d lost=%d run2=%s run3=%s (%s; clean run %s)",
		f.pair, f.requests, f.faults, f.killedAt, f.runs, f.duplicates, f.lost, f.run2, f.run3,
		f.elapsed.Round(time.Millisecond), f.refTaken.Round(time.Millisecond))
}

func chaosPair(t *testing.T, p pair, n int, seed uint64) figures {
	fig := figures{pair: p.name}
	start := time.Now()

	// The expected state: a clean run into fresh fakes.
	ref := p.seed(t, n)
	refEP := endpointsOf(p, ref, t.TempDir(), n)
	want, cleanRequests := cleanRun(t, p, refEP, ref)
	fig.refTaken = time.Since(start)

	fakes := p.seed(t, n)
	ep := endpointsOf(p, fakes, t.TempDir(), n)
	faults := chaos.New(seed, *flagRate, time.Hour)
	rng := rand.New(rand.NewPCG(seed, 7))
	killAt := 1 + rng.IntN(max(1, cleanRequests*8/10))
	k := newKiller(killAt)
	for _, f := range fakes {
		f.srv.AddFault(fakeserver.Fault{Match: k.count})
		for _, r := range faults.Rules() {
			f.srv.AddFault(r)
		}
	}
	faults.Enable(true)

	// Run 1: a subprocess, killed with SIGKILL at request killAt.
	fig.killedAt = k.run(t, p, ep)

	// Runs 2 and 3, faults still on; the target is checked after each.
	for run := 2; run <= 3; run++ {
		rep, err := syncOnFiles(t, p, ep)
		outcome := reportLine(rep, err)
		logFailures(t, run, rep, err)
		if run == 2 {
			fig.run2 = outcome
		} else {
			fig.run3 = outcome
		}
		faults.Enable(false)
		got, _ := snapshot(t, p, ep)
		faults.Enable(true)
		if fig.runs == 0 && cmp.Equal(want, got) {
			fig.runs = run - 1
		}
	}
	faults.Enable(false)

	got, dups := snapshot(t, p, ep)
	fig.duplicates = dups
	for key := range want {
		if _, ok := got[key]; !ok {
			fig.lost++
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the kill and two runs under faults the state differs from a clean run's (-want +got):\n%s", diff)
	}
	if fig.runs == 0 {
		t.Errorf("not converged within two runs after the kill (run 2: %s; run 3: %s)", fig.run2, fig.run3)
	}
	if dups != 0 || fig.lost != 0 {
		t.Errorf("%d duplicates, %d lost", dups, fig.lost)
	}
	if pl := planOnFiles(t, p, ep); pl.HasChanges() {
		t.Errorf("a third plan is not empty:\n%s", pl)
	}
	for _, kind := range chaos.Kinds() {
		if faults.Fired(kind) == 0 && !(kind == chaos.AppliedLost && p.readOnly) {
			t.Errorf("no %s fault fired", kind)
		}
	}
	fig.requests, fig.faults = checkLogs(t, fakes, faults)
	fig.elapsed = time.Since(start)
	t.Log(fig)
	return fig
}

func endpointsOf(p pair, fakes []fake, dir string, n int) endpoints {
	d := timeout(n)
	// A whole-company answer of n people takes up to a second per 1,000
	// on a busy machine.
	whole := max(d, time.Duration(n/1000)*time.Second)
	e := endpoints{URLs: map[string]string{}, Timeout: d, Whole: whole, Dir: dir}
	for i, f := range fakes {
		e.URLs[p.vendors[i]] = f.base
	}
	return e
}

// cleanRun syncs once with no fault and returns the state reached and the
// requests it took; it fails the test when that state is not settled.
func cleanRun(t *testing.T, p pair, e endpoints, fakes []fake) (state, int) {
	t.Helper()
	rep, err := syncOnFiles(t, p, e)
	if err != nil {
		t.Fatalf("clean run: %v", err)
	}
	requests := 0
	for _, f := range fakes {
		requests += f.srv.Log().Count(nil)
	}
	if pl := planOnFiles(t, p, e); pl.HasChanges() {
		t.Fatalf("a clean run (%v) does not settle: the next plan is\n%s", rep.Counts, pl)
	}
	want, dups := snapshot(t, p, e)
	if dups != 0 {
		t.Fatalf("a clean run made %d duplicates", dups)
	}
	return want, requests
}

// onFiles runs do with the pair's engine on the file store in e.Dir.
func onFiles[T any](t *testing.T, p pair, e endpoints, do func(*syncengine.Engine) (T, error)) (T, error) {
	t.Helper()
	eng, closeFn, err := fileEngine(p, e)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	defer eng.Close()
	return do(eng)
}

func syncOnFiles(t *testing.T, p pair, e endpoints) (*syncengine.Report, error) {
	t.Helper()
	return onFiles(t, p, e, func(eng *syncengine.Engine) (*syncengine.Report, error) { return eng.Sync(bg) })
}

func planOnFiles(t *testing.T, p pair, e endpoints) *syncengine.Plan {
	t.Helper()
	pl, err := onFiles(t, p, e, func(eng *syncengine.Engine) (*syncengine.Plan, error) { return eng.Plan(bg) })
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return pl
}

func reportLine(rep *syncengine.Report, err error) string {
	var parts []string
	if rep != nil {
		for _, r := range []syncengine.Result{syncengine.ResultFailed} {
			parts = append(parts, fmt.Sprintf("%s:%d", r, rep.Counts[r]))
		}
	}
	if err != nil {
		parts = append(parts, "error")
	}
	if len(parts) == 0 {
		return "ok"
	}
	return strings.Join(parts, ",")
}

// logFailures logs what a run under faults failed, to tell a fault the
// next run heals from a bug when the suite fails.
func logFailures(t *testing.T, run int, rep *syncengine.Report, err error) {
	t.Helper()
	if err != nil {
		t.Logf("run %d: %v", run, err)
	}
	if rep == nil {
		return
	}
	for _, o := range rep.Outcomes {
		if o.Result == syncengine.ResultFailed {
			t.Logf("run %d: %s %s %q failed: %s", run, o.Action, o.Collection, o.Key, o.Error)
		}
	}
}

// killer counts the requests the fakes receive and kills the child at the
// killAt-th.
type killer struct {
	killAt int64
	seen   atomic.Int64
	proc   atomic.Pointer[os.Process]
	killed atomic.Bool
}

func newKiller(killAt int) *killer { return &killer{killAt: int64(killAt)} }

// count is a fault rule's Match that never fires.
func (k *killer) count(*http.Request) bool {
	if k.seen.Add(1) >= k.killAt {
		k.kill()
	}
	return false
}

// kill sends SIGKILL once, when the child is known and killAt is reached.
// killed is set before the signal: once it is sent, run's Wait can return
// before this goroutine runs again.
func (k *killer) kill() {
	p := k.proc.Load()
	if p == nil || k.seen.Load() < k.killAt || !k.killed.CompareAndSwap(false, true) {
		return
	}
	if p.Kill() != nil { // SIGKILL on Unix
		k.killed.Store(false)
	}
}

// run runs the pair's sync in a child process and returns the request
// count at which it was killed; it fails the test when the child ended
// on its own first.
func (k *killer) run(t *testing.T, p pair, e endpoints) int {
	t.Helper()
	spec, err := json.Marshal(childSpec{Pair: p.name, Endpoints: e})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	k.proc.Store(cmd.Process)
	k.kill() // the child reached killAt before it was stored
	err = cmd.Wait()
	if !k.killed.Load() {
		t.Fatalf("the run ended before request %d (%d seen): %v\n%s", k.killAt, k.seen.Load(), err, out.String())
	}
	return int(k.killAt)
}

// checkLogs compares the faults counted as they fired with the fakes'
// request logs, and returns the request total and the per-kind figures.
func checkLogs(t *testing.T, fakes []fake, f *chaos.Faults) (int, string) {
	t.Helper()
	total, limited, failed, cut := 0, 0, 0, 0
	for _, fk := range fakes {
		for _, e := range fk.srv.Log().Entries() {
			total++
			switch {
			case e.Status == http.StatusTooManyRequests:
				limited++
			case e.Status >= 500:
				failed++
			case e.Status == 0:
				cut++
			}
		}
	}
	if limited != f.Fired(chaos.RateLimited) || failed != f.Fired(chaos.ServerError) {
		t.Errorf("the logs show %d 429s and %d 5xx, the fault set fired %d and %d",
			limited, failed, f.Fired(chaos.RateLimited), f.Fired(chaos.ServerError))
	}
	// Requests in flight at the kill are cut too.
	if want := f.Fired(chaos.Reset) + f.Fired(chaos.Timeout) + f.Fired(chaos.AppliedLost); cut < want {
		t.Errorf("the logs show %d replies cut, the fault set cut %d", cut, want)
	}
	return total, f.Summary()
}

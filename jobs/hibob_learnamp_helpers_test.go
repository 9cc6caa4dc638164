package jobs_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// bobDay is the HiBob → Learn Amp tests' today: the seeded leaver left
// on 2026-01-15 and the future starter starts on 2026-07-31.
var bobDay = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// clock is the one clock of a test: both fakes, the HiBob connector and
// the engine read it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// to moves the clock to day (YYYY-MM-DD) at 09:00 UTC.
func (c *clock) to(day string) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = t.Add(9 * time.Hour)
	c.mu.Unlock()
}

// bobSetup is what a test changes of the HiBob → Learn Amp preset.
type bobSetup struct {
	jobs.HiBobLearnAmpOptions
	hrOpts      []hibobtest.Option
	hrClient    []hibob.Option // options of the HiBob client, after the fake's
	lmsOpts     []learnamptest.Option
	lmsClient   []learnamp.Option // options of the Learn Amp client, after the fake's
	logger      *slog.Logger      // the engine's
	concurrency int
	onProgress  func(done, total int, o syncengine.Outcome)
}

// bobEnv is the HiBob → Learn Amp preset on the two fakes, through the
// real clients and connectors, with a memory store and the engine's queue.
type bobEnv struct {
	hr    *hibobtest.Server
	lms   *learnamptest.Server
	clock *clock
	store *syncengine.MemoryStore
	eng   *syncengine.Engine
	q     *syncengine.Queue
	ids   map[string]string // SeedCompany's employees by role
}

func newBobEnv(t testing.TB, opts ...func(*bobSetup)) *bobEnv {
	t.Helper()
	s := bobSetup{hrOpts: []hibobtest.Option{hibobtest.WithoutRateLimit()}}
	for _, o := range opts {
		o(&s)
	}
	e := &bobEnv{clock: &clock{t: bobDay}, store: syncengine.NewMemoryStore()}
	e.hr = hibobtest.NewServer(t, s.hrOpts...)
	e.hr.SetClock(e.clock.Now)
	e.lms = learnamptest.NewServer(t, s.lmsOpts...)
	e.lms.SetClock(e.clock.Now)
	e.ids = e.hr.SeedCompany()
	s.Now = e.clock.Now
	cfg, err := jobs.HiBobLearnAmp(e.hr.NewClient(t, s.hrClient...), e.lms.NewClient(t, s.lmsClient...), s.HiBobLearnAmpOptions)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Concurrency, cfg.OnProgress, cfg.Logger = e.store, s.concurrency, s.onProgress, s.logger
	if e.eng, err = syncengine.New(cfg); err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = e.eng.Close() })
	e.q = e.eng.NewQueue(syncengine.QueueOptions{})
	return e
}

func (e *bobEnv) sync(t testing.TB) *syncengine.Report {
	t.Helper()
	rep, err := e.eng.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return rep
}

func (e *bobEnv) plan(t testing.TB) *syncengine.Plan {
	t.Helper()
	p, err := e.eng.Plan(context.Background())
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return p
}

// user is the Learn Amp user of a HiBob employee (by role), failing the
// test when there is none.
func (e *bobEnv) user(t testing.TB, role string) learnamptest.User {
	t.Helper()
	u, ok := e.lms.UserByExternalID(e.ids[role])
	if !ok {
		t.Fatalf("no Learn Amp user for HiBob %s %s", role, e.ids[role])
	}
	return u
}

// team is the Learn Amp team of a HiBob team ID.
func (e *bobEnv) team(t testing.TB, id string) learnamptest.Team {
	t.Helper()
	tm, ok := e.lms.TeamByExternalID(id)
	if !ok {
		t.Fatalf("no Learn Amp team with integrationExternalId %s", id)
	}
	return tm
}

// dept is a HiBob department's list item ID, by name.
func (e *bobEnv) dept(t testing.TB, name string) string {
	t.Helper()
	l, err := e.hr.NewClient(t).NamedList(context.Background(), hibob.ListDepartment, hibob.NamedListParams{})
	if err != nil {
		t.Fatal(err)
	}
	id, ok := l.IDOf(name)
	if !ok {
		t.Fatalf("no department %q", name)
	}
	return id
}

// bobCalls are the requests each fake answered since the last reset, by
// kind; the logs are reset.
type bobCalls struct {
	Search, HRReads, HRLists, HRFields, HROther int // HiBob
	LMSReads, LMSWrites, Tokens                 int // Learn Amp; reads and writes leave tokens apart
}

func (e *bobEnv) calls() bobCalls {
	var c bobCalls
	for _, en := range e.hr.Log().Entries() {
		switch p := strings.TrimPrefix(en.Path, hibobtest.APIPath); {
		case p == "/people/search":
			c.Search++
		case p == "/company/people/fields":
			c.HRFields++
		case strings.HasPrefix(p, "/company/named-lists"):
			c.HRLists++
		case strings.HasPrefix(p, "/people/") && en.Method == "POST":
			c.HRReads++
		default:
			c.HROther++
		}
	}
	for _, en := range e.lms.Log().Entries() {
		switch {
		case learnamptest.IsTokenRequest(en):
			c.Tokens++
		case learnamptest.IsWrite(en):
			c.LMSWrites++
		default:
			c.LMSReads++
		}
	}
	e.hr.Log().Reset()
	e.lms.Log().Reset()
	return c
}

// lmsCalls lists Learn Amp's requests since the last reset as "METHOD
// /path", token requests apart, and resets both logs.
func (e *bobEnv) lmsCalls() []string {
	var out []string
	for _, en := range e.lms.Log().Entries() {
		if !learnamptest.IsTokenRequest(en) {
			out = append(out, en.Method+" "+en.Path)
		}
	}
	e.hr.Log().Reset()
	e.lms.Log().Reset()
	return out
}

// row is the report's outcome of a HiBob record (user or team).
func row(t testing.TB, rep *syncengine.Report, aid string) syncengine.Outcome {
	t.Helper()
	i := slices.IndexFunc(rep.Outcomes, func(o syncengine.Outcome) bool { return o.AID == aid })
	if i < 0 {
		t.Fatalf("no report row for %s in %+v", aid, rep.Outcomes)
	}
	return rep.Outcomes[i]
}

// receiver serves the job's HiBob webhook receiver: verified deliveries
// go to the job's queue.
func (e *bobEnv) receiver(t testing.TB) string {
	v := &hibob.WebhookVerifier{Secret: hibob.Secret(bobWebhookSecret)}
	srv := httptest.NewServer(v.Handler(hibob.Enqueue(e.q)))
	t.Cleanup(srv.Close)
	return srv.URL
}

const bobWebhookSecret = "whsec-3f0c9a8e2b7d4c1a9e6f5b2d8c7a1e4f"

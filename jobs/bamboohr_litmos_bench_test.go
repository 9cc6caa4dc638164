package jobs_test

import (
	"context"
	"fmt"
	"github.com/rostersync/rostersync/internal/cputime"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// Litmos allows 100 requests a minute per API key
// (https://www.litmos.com/docs/litmos/apis/locate-your-api-key).
// The benchmarks run 1000 times faster: the client paces itself at 100
// requests per 60ms and the fake enforces the same window. A run can take
// no less than its Litmos calls × 0.6ms there (× 0.6s for real): that is
// the rate bound, and wall/rate-bound says how close the run comes to it.
// At the real rate the SDK's own work (decoding a page of 1,000 users takes
// a few ms) disappears beside the 600ms each call costs; at the scaled rate
// it does not, so wall/rate-bound above 1 on a re-sync is CPU the real
// rate hides, reported as cpu-ms/op.
const (
	benchScale     = 1000
	benchPer       = time.Minute / benchScale
	benchEmployees = 10000
	benchChanged   = benchEmployees / 100
)

// benchLimit is Litmos's limit at the benchmarks' scale.
var benchLimit = litmos.PacedLimit(benchPer)

// rateBound is the least time calls Litmos calls take at the scaled limit.
func rateBound(calls int) time.Duration {
	return time.Duration(calls) * benchPer / time.Duration(litmos.DefaultRateLimit)
}

type benchJob struct {
	hr    *bamboohrtest.Server
	lms   *litmostest.Server
	ids   []int
	store *syncengine.MemoryStore
}

// newBenchJob seeds benchEmployees employees with Litmos Access (a manager
// per 50 people), and, when seeded, their learners as a first sync
// leaves them, linked by a first, unthrottled sync.
func newBenchJob(b *testing.B, seeded bool) *benchJob {
	j := &benchJob{hr: bamboohrtest.NewServer(b), store: syncengine.NewMemoryStore()}
	j.ids = seedBench(b, j.hr, nil)
	j.lms = litmostest.NewServer(b, litmostest.WithoutRateLimit())
	if seeded {
		seedLearners(j.lms, j.ids)
		rep, err := j.engine(b, j.lms.NewClient(b), 1<<30).Sync(context.Background())
		if err != nil || rep.Counts[syncengine.ResultUnchanged] != benchEmployees {
			b.Fatalf("linking sync: %v %v", rep.Summary(), err)
		}
		if n := j.lms.Log().Count(litmostest.IsWrite); n != 0 {
			b.Fatalf("linking sync wrote %d times", n)
		}
	}
	j.lms.SetRateLimit(litmostest.RateLimit{Requests: litmos.DefaultRateLimit, Per: benchPer})
	return j
}

func (j *benchJob) engine(b *testing.B, c *litmos.Client, bulkMin int) *syncengine.Engine {
	cfg, err := jobs.BambooHRLitmos(j.hr.NewClient(b), c, jobs.BambooHRLitmosOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Store, cfg.BulkMin = j.store, bulkMin
	eng, err := syncengine.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return eng
}

// benchCounted are the calls one run made, from the fakes' logs, and
// when Litmos received the run's first write.
type benchCounted struct {
	litmos, writes, limited, bamboohr int
	firstWrite                        time.Time
}

func (j *benchJob) count() benchCounted {
	rejected := func(e litmostest.Entry) bool { return e.Status == 503 || e.Status == 429 }
	c := benchCounted{
		litmos:   j.lms.Log().Count(func(e litmostest.Entry) bool { return !rejected(e) }),
		writes:   j.lms.Log().Count(func(e litmostest.Entry) bool { return litmostest.IsWrite(e) && !rejected(e) }),
		limited:  j.lms.Log().Count(rejected),
		bamboohr: j.hr.Log().Count(func(bamboohrtest.Entry) bool { return true }),
	}
	for _, e := range j.lms.Log().Entries() {
		if litmostest.IsWrite(e) {
			c.firstWrite = e.At
			break
		}
	}
	j.lms.Log().Reset()
	j.hr.Log().Reset()
	return c
}

// runMetrics accumulates what each measured run cost.
type runMetrics struct {
	n                          int
	calls, writes, limited, hr int
	wall, cpu                  time.Duration
	bytes                      uint64
	start                      time.Time     // of the run being measured
	preWrite                   time.Duration // from each run's start to its first Litmos write
}

// measure runs one sync, timed, with its allocations and CPU time.
func (m *runMetrics) measure(b *testing.B, run func() (*syncengine.Report, error)) *syncengine.Report {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cputime.Process()
	start := time.Now()
	m.start = start
	b.StartTimer()
	rep, err := run()
	b.StopTimer()
	m.wall += time.Since(start)
	m.cpu += cputime.Process() - cpu0
	runtime.ReadMemStats(&after)
	m.bytes += after.TotalAlloc - before.TotalAlloc
	if err != nil {
		b.Fatal(err)
	}
	m.n++
	return rep
}

func (m *runMetrics) add(c benchCounted) {
	m.calls += c.litmos
	m.writes += c.writes
	m.limited += c.limited
	m.hr += c.bamboohr
	if !c.firstWrite.IsZero() {
		m.preWrite += c.firstWrite.Sub(m.start)
	}
}

// report prints the custom metrics: calls/minimum against the least calls
// the run can make, wall/rate-bound, cpu-ms/op (the whole process: the
// fakes' work too), B/employee (every allocation of the process) and
// pre-write-ms/op: the time before the first write, reading and planning,
// which the rate bound does not count.
func (m *runMetrics) report(b *testing.B, minimum int) {
	per := func(x int) float64 { return float64(x) / float64(m.n) }
	b.ReportMetric(per(m.calls), "litmos-calls/op")
	b.ReportMetric(per(m.writes), "litmos-writes/op")
	b.ReportMetric(per(m.hr), "bamboohr-calls/op")
	b.ReportMetric(per(m.limited), "rate-limited/op")
	b.ReportMetric(per(m.calls)/float64(minimum), "calls/minimum")
	b.ReportMetric(float64(m.wall)/float64(rateBound(m.calls+m.limited)), "wall/rate-bound")
	b.ReportMetric(float64(m.cpu.Milliseconds())/float64(m.n), "cpu-ms/op")
	b.ReportMetric(float64(m.bytes)/float64(m.n)/benchEmployees, "B/employee")
	b.ReportMetric(per(m.calls+m.limited)*0.6/60, "realtime-min/op")
	b.ReportMetric(float64(m.preWrite.Microseconds())/1000/float64(m.n), "pre-write-ms/op")
}

// BenchmarkFirstSync: 10k employees into an empty Litmos, one create per
// learner carrying its manager (the minimum: the empty page and 10,000
// creates), and in bulk (three reference levels: the leader alone, then
// the managers in one /bulkimports job and the others in two, with their
// polls and listings).
func BenchmarkFirstSync(b *testing.B) {
	for _, mode := range []struct {
		name    string
		bulkMin int
		minimum int
	}{
		{"per-record", 1 << 30, 1 + benchEmployees},
		// The empty page; the leader; 200 managers in one job (POST, 3
		// polls, 1 page); the 9,800 others, whose rows pass the 2,000 KB
		// payload limit of one job, in two (2 POSTs, 2 × 3 polls), then 11
		// pages: 26.
		{"bulk", 0, 1 + 1 + 5 + (2 + 6 + 11)},
	} {
		b.Run(mode.name, func(b *testing.B) {
			b.StopTimer()
			var m runMetrics
			for n := 0; n < b.N; n++ {
				j := newBenchJob(b, false)
				eng := j.engine(b, j.lms.NewClient(b, litmos.WithRateLimit(benchLimit)), mode.bulkMin)
				j.count()
				rep := m.measure(b, func() (*syncengine.Report, error) { return eng.Sync(context.Background()) })
				if rep.Counts[syncengine.ResultCreated] != benchEmployees {
					b.Fatalf("first sync: %s", rep.Summary())
				}
				m.add(j.count())
			}
			m.report(b, mode.minimum)
		})
	}
}

// BenchmarkResync1Percent: 10k employees already synced, 1% of them with
// a new job title: the minimum is the listing (10 full pages and the
// short one) and one PUT per changed learner, and one BambooHR report.
func BenchmarkResync1Percent(b *testing.B) {
	b.StopTimer()
	j := newBenchJob(b, true)
	eng := j.engine(b, j.lms.NewClient(b, litmos.WithRateLimit(benchLimit)), 0)
	var m runMetrics
	for n := 0; n < b.N; n++ {
		for i := 0; i < benchChanged; i++ {
			j.hr.SetField(j.ids[(n*benchChanged+i*97)%benchEmployees], "jobTitle", fmt.Sprintf("Title %d", n))
		}
		j.count()
		rep := m.measure(b, func() (*syncengine.Report, error) { return eng.Sync(context.Background()) })
		c := j.count()
		if rep.Counts[syncengine.ResultUpdated] != benchChanged || c.writes != benchChanged {
			b.Fatalf("run %d: %d updated, %d writes; want %d", n, rep.Counts[syncengine.ResultUpdated], c.writes, benchChanged)
		}
		m.add(c)
	}
	m.report(b, benchEmployees/1000+1+benchChanged)
}

// BenchmarkResyncNoChange: nothing changed: the listing, no write.
func BenchmarkResyncNoChange(b *testing.B) {
	b.StopTimer()
	j := newBenchJob(b, true)
	eng := j.engine(b, j.lms.NewClient(b, litmos.WithRateLimit(benchLimit)), 0)
	var m runMetrics
	for n := 0; n < b.N; n++ {
		j.count()
		rep := m.measure(b, func() (*syncengine.Report, error) { return eng.Sync(context.Background()) })
		c := j.count()
		if rep.Writes() != 0 || c.writes != 0 {
			b.Fatalf("no-op run wrote: %s", rep.Summary())
		}
		m.add(c)
	}
	m.report(b, benchEmployees/1000+1)
}

// seedBench adds the employees to BambooHR, a manager per 50 people
// reporting to employee 0, who leads.
func seedBench(b *testing.B, hr *bamboohrtest.Server, _ *litmostest.Server) []int {
	ids := make([]int, benchEmployees)
	for i := range ids {
		email := fmt.Sprintf("emp%05d@acme.example", i)
		f := map[string]string{"firstName": "Emp", "lastName": fmt.Sprintf("N%05d", i), "workEmail": email,
			"jobTitle": "Associate", "city": "Chicago", "country": "United States", bamboohrtest.LitmosAccessAlias: "yes"}
		switch {
		case i == 0:
		case i%50 == 0:
			f["supervisorEId"] = strconv.Itoa(ids[0])
		default:
			f["supervisorEId"] = strconv.Itoa(ids[i-i%50])
		}
		ids[i] = hr.AddEmployee(f)
	}
	return ids
}

// seedLearners puts the learners in Litmos as a first sync makes them
// (seeding the fake directly keeps the set-up short).
func seedLearners(lms *litmostest.Server, ids []int) {
	learners := make([]string, len(ids))
	for i := range ids {
		email := fmt.Sprintf("emp%05d@acme.example", i)
		u := litmos.User{UserName: email, Email: email, FirstName: "Emp", LastName: fmt.Sprintf("N%05d", i), JobTitle: "Associate",
			City: "Chicago", Country: "United States", AccessLevel: "Learner", Active: true, ExternalEmployeeID: strconv.Itoa(ids[i])}
		switch {
		case i == 0:
		case i%50 == 0:
			u.ManagerID = learners[0]
		default:
			u.ManagerID = learners[i-i%50]
		}
		learners[i] = lms.AddUser(u).ID
	}
}

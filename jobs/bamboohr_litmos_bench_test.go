package jobs_test

import (
	"context"
	"fmt"
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
// (https://www.litmos.com/docs/litmos/apis/locate-your-api-key). The benchmark
// runs 1000 times faster: the client paces itself at 100 requests per 60ms and
// the fake enforces the same window, so the waits for the limit shrink to a
// thousandth (about 0.13s of the run); the rest of ns/op is in-process work
// (both fakes serve 10k records from memory). The call counts, which do not
// depend on the scale, give the real-time bound exactly: litmos-calls × 0.6s
// (realtime-min/op).
const (
	benchScale     = 1000
	benchPer       = time.Minute / benchScale
	benchEmployees = 10000
	benchChanged   = benchEmployees / 100
)

// BenchmarkSync1PercentChanged: 10k employees with Litmos Access, already
// synced; 1% of them change job title; one Sync.
//
// Metrics: litmos-reads/op and litmos-writes/op from the fake's request
// log, counting answered calls (writes must equal the changed records),
// bamboohr-calls/op, rate-limited/op (calls the fake's limiter rejected
// with 503 and the client retried: the client's token bucket and Litmos's
// window meet at the same rate, so a few collide at window edges), and
// realtime-min/op, the run's duration at Litmos's real limit: every Litmos
// call, rejected ones included, costs 0.6s of the 100-a-minute budget.
func BenchmarkSync1PercentChanged(b *testing.B) {
	ctx := context.Background()
	hr := bamboohrtest.NewServer(b)
	lms := litmostest.NewServer(b, litmostest.WithoutRateLimit())
	ids := seedBench(b, hr, lms)
	store := syncengine.NewMemoryStore()
	newJob := func(c *litmos.Client) *syncengine.Engine {
		cfg, err := jobs.BambooHRLitmos(hr.NewClient(b), c, jobs.BambooHRLitmosOptions{})
		if err != nil {
			b.Fatal(err)
		}
		cfg.Store = store
		eng, err := syncengine.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		return eng
	}
	// First sync, outside the timer and unthrottled: it matches every
	// employee to their learner by username and links them, writing nothing.
	if rep, err := newJob(lms.NewClient(b)).Sync(ctx); err != nil || rep.Counts[syncengine.ResultUnchanged] != benchEmployees {
		b.Fatalf("first sync: %v %v", rep.Summary(), err)
	}
	if n := lms.Log().Count(litmostest.IsWrite); n != 0 {
		b.Fatalf("first sync over existing learners wrote %d times", n)
	}
	lms.SetRateLimit(litmostest.RateLimit{Requests: litmos.DefaultRateLimit, Per: benchPer})
	job := newJob(lms.NewClient(b, litmos.WithRateLimit(litmos.Limit{Requests: litmos.DefaultRateLimit, Per: benchPer})))

	var reads, writes, hrCalls, limited int
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		for i := 0; i < benchChanged; i++ {
			hr.SetField(ids[(n*benchChanged+i*97)%benchEmployees], "jobTitle", fmt.Sprintf("Title %d", n))
		}
		lms.Log().Reset()
		hr.Log().Reset()
		b.StartTimer()
		rep, err := job.Sync(ctx)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		rejected := func(e litmostest.Entry) bool { return e.Status == 503 || e.Status == 429 }
		w := lms.Log().Count(func(e litmostest.Entry) bool { return litmostest.IsWrite(e) && !rejected(e) })
		if got := rep.Counts[syncengine.ResultUpdated]; got != benchChanged || w != benchChanged {
			b.Fatalf("run %d: %d updated, %d write calls; want %d of each", n, got, w, benchChanged)
		}
		lim := lms.Log().Count(rejected)
		reads += lms.Log().Count(func(e litmostest.Entry) bool { return !litmostest.IsWrite(e) && !rejected(e) })
		writes += w
		limited += lim
		hrCalls += hr.Log().Count(func(bamboohrtest.Entry) bool { return true })
		b.StartTimer()
	}
	b.StopTimer()
	per := func(x int) float64 { return float64(x) / float64(b.N) }
	b.ReportMetric(per(reads), "litmos-reads/op")
	b.ReportMetric(per(writes), "litmos-writes/op")
	b.ReportMetric(per(hrCalls), "bamboohr-calls/op")
	b.ReportMetric(per(limited), "rate-limited/op")
	b.ReportMetric(per(reads+writes+limited)/float64(litmos.DefaultRateLimit), "realtime-min/op")
}

// seedBench adds the employees to BambooHR, a manager per 50 people, and
// their learners to Litmos as a first sync would have made them (seeding
// Litmos directly keeps the setup short: the fake checks usernames by
// scanning, so 10k creates through the API take a minute).
func seedBench(b *testing.B, hr *bamboohrtest.Server, lms *litmostest.Server) []int {
	ids := make([]int, benchEmployees)
	learners := make([]string, benchEmployees)
	for i := range ids {
		email := fmt.Sprintf("emp%05d@acme.example", i)
		f := map[string]string{"firstName": "Emp", "lastName": fmt.Sprintf("N%05d", i), "workEmail": email,
			"jobTitle": "Associate", "city": "Chicago", "country": "United States", bamboohrtest.LitmosAccessAlias: "yes"}
		u := litmos.User{UserName: email, Email: email, FirstName: "Emp", LastName: f["lastName"], JobTitle: "Associate",
			City: "Chicago", Country: "United States", AccessLevel: "Learner", Active: true}
		if i%50 != 0 {
			f["supervisorEId"] = strconv.Itoa(ids[i-i%50])
			u.ManagerID = learners[i-i%50]
		}
		ids[i] = hr.AddEmployee(f)
		u.ExternalEmployeeID = strconv.Itoa(ids[i])
		learners[i] = lms.AddUser(u).ID
	}
	return ids
}

package jobs_test

import (
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/syncengine"
)

// bobBenchStaff is the company size of the HiBob → Learn Amp benchmarks:
// 1000 employees in 20 departments, plus the seeded company (5 who have
// started, a leaver and a future starter, 4 departments).
const bobBenchStaff = 1000

// bobMinimum is the fewest calls a run can make: HiBob's one search and
// one read of the department list (the teams' snapshot), plus the fields
// metadata when nothing has cached it; Learn Amp's listings at its
// largest page (learnamp.DefaultPerPage, 100) and one write per changed
// record. Token requests are not counted: one serves two hours.
func bobMinimum(firstRun bool, users, teams, changed int) (hibobMin, lmsReads, lmsWrites int) {
	hibobMin = 2
	if firstRun {
		hibobMin++
	}
	return hibobMin, pages(users) + pages(teams), changed
}

// reportBobCalls reports what the runs cost against the minimum: per
// side and in all (calls/minimum is 1.00 at the minimum).
func reportBobCalls(b *testing.B, got bobCalls, hibobMin, lmsReads, lmsWrites int) {
	per := func(x int) float64 { return float64(x) / float64(b.N) }
	hr := got.Search + got.HRLists + got.HRFields + got.HRReads + got.HROther
	b.ReportMetric(per(got.Search), "hibob-searches/op")
	b.ReportMetric(per(hr), "hibob-calls/op")
	b.ReportMetric(per(got.LMSReads), "learnamp-reads/op")
	b.ReportMetric(per(got.LMSWrites), "learnamp-writes/op")
	b.ReportMetric(per(got.Tokens), "learnamp-tokens/op")
	b.ReportMetric(float64(hr)/float64(hibobMin*b.N), "hibob-calls/minimum")
	b.ReportMetric(float64(got.LMSReads)/float64(lmsReads*b.N), "learnamp-reads/minimum")
	if lmsWrites > 0 {
		b.ReportMetric(float64(got.LMSWrites)/float64(lmsWrites*b.N), "learnamp-writes/minimum")
	}
	b.ReportMetric(float64(hr+got.LMSReads+got.LMSWrites)/float64((hibobMin+lmsReads+lmsWrites)*b.N), "calls/minimum")
}

func addBobCalls(sum *bobCalls, c bobCalls) {
	sum.Search += c.Search
	sum.HRReads += c.HRReads
	sum.HRLists += c.HRLists
	sum.HRFields += c.HRFields
	sum.HROther += c.HROther
	sum.LMSReads += c.LMSReads
	sum.LMSWrites += c.LMSWrites
	sum.Tokens += c.Tokens
}

// BenchmarkHiBobLearnAmpFirstSync: an empty Learn Amp, 1005 people who
// have started and 24 departments; one Sync creates them all.
func BenchmarkHiBobLearnAmpFirstSync(b *testing.B) {
	const users, teams = bobBenchStaff + 5, 24
	var sum bobCalls
	b.ReportAllocs()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		e := newBobEnv(b)
		bobStaff(e, bobBenchStaff)
		e.calls()
		b.StartTimer()
		rep := e.sync(b)
		b.StopTimer()
		if rep.Counts[syncengine.ResultCreated] != users+teams || rep.Failed() {
			b.Fatalf("first sync: %s", rep.Summary())
		}
		addBobCalls(&sum, e.calls())
		b.StartTimer()
	}
	b.StopTimer()
	hr, reads, writes := bobMinimum(true, 0, 0, users+teams)
	reportBobCalls(b, sum, hr, reads, writes)
}

// BenchmarkHiBobLearnAmpResync: the company synced; per run, changed
// people change job title (0: a no-op run, 10: 1%), then one Sync.
func BenchmarkHiBobLearnAmpResync(b *testing.B) {
	for _, changed := range []int{0, bobBenchStaff / 100} {
		b.Run(fmt.Sprintf("changed=%d", changed), func(b *testing.B) {
			const users, teams = bobBenchStaff + 5, 24
			e := newBobEnv(b)
			ids := bobStaff(e, bobBenchStaff)
			e.sync(b)
			var sum bobCalls
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				for i := range changed {
					workID(b, e, ids[(n*changed+i*97)%bobBenchStaff], hibob.WorkEntry{Title: e.hr.AddTitle(fmt.Sprintf("Title %d.%d", n, i))})
				}
				e.calls()
				b.StartTimer()
				rep := e.sync(b)
				b.StopTimer()
				if rep.Counts[syncengine.ResultUpdated] != changed || rep.Failed() {
					b.Fatalf("run %d: %s", n, rep.Summary())
				}
				addBobCalls(&sum, e.calls())
				b.StartTimer()
			}
			b.StopTimer()
			hr, reads, writes := bobMinimum(false, users, teams, changed)
			reportBobCalls(b, sum, hr, reads, writes)
		})
	}
}

package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// TalentLMS's plans allow 2,000 calls an hour
// (https://developers.talentlms.io/api/talentlms-public-api), which is
// the wall time of a run against a real portal: a run of C calls uses
// C/2000 of the hour, and one of more than 2,000 waits for the next hour
// (the client waits for X-RateLimit-Reset). TalentHR allows 2,000 a
// minute, sixty times more. The benchmarks run a 2,000-person company
// on the unthrottled fakes (ns/op is in-process work) and report, from
// the fakes' request logs:
//
//	talentlms-calls/op    calls that count against the quota (GET ratelimit does not)
//	talentlms-min/op      the minimum for the run: the user pages, the custom
//	                      field definitions, one write per changed user
//	talentlms-calls/minimum
//	talentlms-hour/op     the fraction of the hourly quota the run uses
//	talenthr-calls/op, talenthr-min/op, talenthr-calls/minimum
const (
	benchPeople    = 2000
	benchChange    = benchPeople / 100
	lmsHourlyLimit = 2000
	lmsPageSize    = 100
	hrPageSize     = 100
)

// benchPages is the pages a listing of n reads: full pages and the short
// one that ends it.
func benchPages(n, size int) int { return n/size + 1 }

// benchEnv is a 2,000-person company, synced once (the first sync, outside
// the timer, matches every employee to the user the seed gave them by
// email and writes nothing).
type benchEnv struct {
	hr   *talenthrtest.Server
	lms  *talentlmstest.Server
	eng  *syncengine.Engine
	cfg  syncengine.Config
	emp  []string // TalentHR ids
	user []string // TalentLMS ids
	job  string   // custom_field_N of jobTitle
}

func newBenchEnv(b *testing.B, dir jobs.Direction) *benchEnv {
	b.Helper()
	e := &benchEnv{hr: talenthrtest.NewServer(b, talenthrtest.WithoutRateLimit()),
		lms: talentlmstest.NewServer(b, talentlmstest.WithoutRateLimit())}
	now := func() time.Time { return thrDay }
	e.hr.SetClock(now)
	e.lms.SetClock(now)
	title := e.hr.AddJobTitle("Associate")
	dept := e.hr.AddDepartment("Operations")
	english := json.Number(e.hr.LookupID(talenthr.Languages, "English"))
	hire := e.lms.AddCustomField(talentlms.CustomField{Name: "hireDate", Type: talentlms.FieldDate})
	e.job = e.lms.AddCustomField(talentlms.CustomField{Name: "jobTitle", Type: talentlms.FieldText})
	e.lms.AddCustomField(talentlms.CustomField{Name: "department", Type: talentlms.FieldDropdown, Options: []string{"Operations"}})
	for i := 0; i < benchPeople; i++ {
		email := fmt.Sprintf("emp%04d@acme.example", i)
		e.emp = append(e.emp, e.hr.AddEmployee(talenthrtest.Employee{FirstName: "Emp", LastName: fmt.Sprintf("N%04d", i), Email: email,
			HireDate: "2021-03-01", JobTitleID: title, DepartmentID: dept,
			Profile: map[string]any{"city": "Athens", "hr_languages": []any{english}}}))
		e.user = append(e.user, e.lms.AddUser(talentlmstest.User{Login: email, FirstName: "Emp", LastName: fmt.Sprintf("N%04d", i),
			Email: email, Custom: map[string]string{hire: "01/03/2021", e.job: "Associate"}}))
	}
	cfg, err := jobs.TalentHRTalentLMS(e.hr.NewClient(b), e.lms.NewClient(b), jobs.TalentHRTalentLMSOptions{Direction: dir, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Store, cfg.Now = syncengine.NewMemoryStore(), now
	e.cfg = cfg
	if e.eng, err = syncengine.New(cfg); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.eng.Close() })
	rep, err := e.eng.Sync(context.Background())
	if err != nil || rep.Writes() != 0 || rep.Failed() {
		b.Fatalf("first sync over matching people: %v %s", err, rep.Summary())
	}
	e.reset()
	return e
}

func (e *benchEnv) reset() { e.hr.Log().Reset(); e.lms.Log().Reset() }

// counts are the calls both fakes answered since the last reset.
func (e *benchEnv) counts() (hr, lms int) {
	hr = e.hr.Log().Count(nil)
	lms = e.lms.Log().Count(func(x talentlmstest.Entry) bool { return !strings.HasSuffix(x.Path, "/ratelimit") })
	return hr, lms
}

// benchMetrics accumulates the calls of b.N runs against their minimum.
type benchMetrics struct{ hr, hrMin, lms, lmsMin int }

func (m *benchMetrics) add(e *benchEnv, hrMin, lmsMin int) {
	hr, lms := e.counts()
	m.hr, m.lms, m.hrMin, m.lmsMin = m.hr+hr, m.lms+lms, m.hrMin+hrMin, m.lmsMin+lmsMin
}

func (m *benchMetrics) report(b *testing.B) {
	per := func(x int) float64 { return float64(x) / float64(b.N) }
	b.ReportMetric(per(m.lms), "talentlms-calls/op")
	b.ReportMetric(per(m.lmsMin), "talentlms-min/op")
	b.ReportMetric(float64(m.lms)/float64(m.lmsMin), "talentlms-calls/minimum")
	b.ReportMetric(per(m.lms)/lmsHourlyLimit, "talentlms-hour/op")
	b.ReportMetric(per(m.hr), "talenthr-calls/op")
	b.ReportMetric(per(m.hrMin), "talenthr-min/op")
	b.ReportMetric(float64(m.hr)/float64(m.hrMin), "talenthr-calls/minimum")
}

// HR to LMS full syncs of a 2,000-person company: nothing changed, and
// 1% of job titles changed. TalentLMS's minimum is its 21 user pages, the
// custom field definitions and one edituser per change; TalentHR's is its
// 21 directory pages and one read per employee for the detail fields the
// map reads (birth date, SSN, city, country), which the directory lacks
// (P+N: the polls' change cursor comes from the listing).
func BenchmarkTHRSyncHRToLMS(b *testing.B) {
	for _, changed := range []int{0, benchChange} {
		b.Run(fmt.Sprintf("changed=%d", changed), func(b *testing.B) {
			e := newBenchEnv(b, jobs.HRToLMS)
			var m benchMetrics
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				for i := 0; i < changed; i++ {
					id := e.emp[(n*changed+i*97)%benchPeople]
					e.hr.Edit(id, func(x *talenthrtest.Employee) { x.JobTitleID = e.hr.AddJobTitle(fmt.Sprintf("Title %d.%d", n, i)) })
				}
				e.reset()
				b.StartTimer()
				rep, err := e.eng.Sync(context.Background())
				b.StopTimer()
				if err != nil || rep.Counts[syncengine.ResultUpdated] != changed {
					b.Fatalf("run %d: %v %s", n, err, rep.Summary())
				}
				m.add(e, benchPages(benchPeople, hrPageSize)+benchPeople, benchPages(benchPeople, lmsPageSize)+1+changed)
				b.StartTimer()
			}
			b.StopTimer()
			m.report(b)
		})
	}
}

// The TalentHR poll of HR to LMS (the automatic sync's TalentHR task): 1%
// of the company changed since the last poll. The minimum: TalentHR's 21
// directory pages and one read per changed employee; TalentLMS's one read
// and one write per changed user (a read of the user is cheaper than the
// 21 pages of a listing).
func BenchmarkTHRPollHRToLMS(b *testing.B) {
	e := newBenchEnv(b, jobs.HRToLMS)
	tasks, err := jobs.TalentHRTalentLMSTasks(e.eng, e.cfg, jobs.TalentHRTalentLMSSchedule{})
	if err != nil {
		b.Fatal(err)
	}
	poll := tasks[0].Run
	if _, err := poll(context.Background()); err != nil { // the first poll: a full sync, and the cursor
		b.Fatal(err)
	}
	var m benchMetrics
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		for i := 0; i < benchChange; i++ {
			e.hr.Edit(e.emp[(n*benchChange+i*97)%benchPeople], func(x *talenthrtest.Employee) { x.LastName = fmt.Sprintf("L%d.%d", n, i) })
		}
		e.reset()
		b.StartTimer()
		rep, err := poll(context.Background())
		b.StopTimer()
		if err != nil || rep == nil || rep.Counts[syncengine.ResultUpdated] != benchChange {
			b.Fatalf("poll %d: %v %v", n, err, rep)
		}
		m.add(e, benchPages(benchPeople, hrPageSize)+benchChange, 2*benchChange)
		b.StartTimer()
	}
	b.StopTimer()
	m.report(b)
}

// LMS to HR full syncs of a 2,000-user portal: nothing changed, and 1% of
// last names changed in TalentLMS. TalentLMS's minimum is its 21 user
// pages and the custom field definitions; TalentHR's is its 21 directory
// pages, one read per employee for the detail fields the map writes, and
// one PUT per change.
func BenchmarkTHRSyncLMSToHR(b *testing.B) {
	for _, changed := range []int{0, benchChange} {
		b.Run(fmt.Sprintf("changed=%d", changed), func(b *testing.B) {
			e := newBenchEnv(b, jobs.LMSToHR)
			client := e.lms.NewClient(b)
			var m benchMetrics
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				for i := 0; i < changed; i++ {
					id := e.user[(n*changed+i*97)%benchPeople]
					if _, err := client.EditUser(context.Background(), talentlms.EditUserParams{UserID: id, LastName: fmt.Sprintf("L%d.%d", n, i)}); err != nil {
						b.Fatal(err)
					}
				}
				e.reset()
				b.StartTimer()
				rep, err := e.eng.Sync(context.Background())
				b.StopTimer()
				if err != nil || rep.Counts[syncengine.ResultUpdated] != changed {
					b.Fatalf("run %d: %v %s", n, err, rep.Summary())
				}
				m.add(e, benchPages(benchPeople, hrPageSize)+benchPeople+changed, benchPages(benchPeople, lmsPageSize)+1)
				b.StartTimer()
			}
			b.StopTimer()
			m.report(b)
		})
	}
}

// The first HR to LMS sync of a 2,000-person company into an empty
// portal: one usersignup per employee. At TalentLMS's hourly quota this
// is the run that takes longest: talentlms-hour/op above 1 means the run
// waits for the next hour.
func BenchmarkTHRFirstSyncHRToLMS(b *testing.B) {
	var m benchMetrics
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		hr := talenthrtest.NewServer(b, talenthrtest.WithoutRateLimit())
		lms := talentlmstest.NewServer(b, talentlmstest.WithoutRateLimit())
		title := hr.AddJobTitle("Associate")
		lms.AddCustomField(talentlms.CustomField{Name: "jobTitle", Type: talentlms.FieldText})
		for i := 0; i < benchPeople; i++ {
			hr.AddEmployee(talenthrtest.Employee{FirstName: "Emp", LastName: fmt.Sprintf("N%04d", i),
				Email: fmt.Sprintf("emp%04d@acme.example", i), JobTitleID: title})
		}
		cfg, err := jobs.TalentHRTalentLMS(hr.NewClient(b), lms.NewClient(b), jobs.TalentHRTalentLMSOptions{Direction: jobs.HRToLMS})
		if err != nil {
			b.Fatal(err)
		}
		cfg.Store = syncengine.NewMemoryStore()
		eng, err := syncengine.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		e := &benchEnv{hr: hr, lms: lms}
		b.StartTimer()
		rep, err := eng.Sync(context.Background())
		b.StopTimer()
		if err != nil || rep.Counts[syncengine.ResultCreated] != benchPeople {
			b.Fatalf("%v %s", err, rep.Summary())
		}
		// TalentHR's first run also reads the employment states and the
		// custom field definitions (3 calls, kept in the Cache); TalentLMS's
		// the date format (siteinfo).
		m.add(e, 3+benchPages(benchPeople, hrPageSize)+benchPeople, 1+1+1+benchPeople)
		_ = eng.Close()
		hr.Close()
		lms.Close()
	}
	m.report(b)
}

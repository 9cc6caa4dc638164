package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// thrDay is the day the TalentHR ⇔ TalentLMS tests run on (both fakes,
// the connectors and the engine read this clock).
var thrDay = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// thrEnv is the TalentHR ⇔ TalentLMS job on the two fakes, with a memory
// store and, when asked, a Training store.
type thrEnv struct {
	hr       *talenthrtest.Server
	lms      *talentlmstest.Server
	store    *syncengine.MemoryStore
	training *countingTraining
	cfg      syncengine.Config
	eng      *syncengine.Engine
	co       thrCompany
	now      func() time.Time
}

// thrSetup is what a test changes.
type thrSetup struct {
	jobs.TalentHRTalentLMSOptions
	training  bool                   // keep training in a MemoryTraining
	hrOpts    []talenthrtest.Option  // TalentHR fake options
	lmsOpts   []talentlmstest.Option // TalentLMS fake options
	noCompany bool                   // start both systems empty
	noFields  bool                   // the portal has no custom user field
	seedLMS   func(*thrEnv)          // changes to the portal before the job is made
}

// thrCompany names what the seed stored.
type thrCompany struct {
	emp     map[string]string // TalentHR employee ids by first name, lower case
	user    map[string]string // TalentLMS user ids by first name, lower case
	fields  map[string]string // TalentLMS custom_field_N by name
	branch  map[string]string // TalentLMS branch ids by name
	course  map[string]string // TalentLMS course ids by code
	lang    map[string]string // TalentHR language ids by name
	title   map[string]string // TalentHR job title ids by name
	depts   map[string]string // TalentHR department ids by name
	secrets []string          // every SSN and birth date seeded, on either side
}

func newTHREnv(t testing.TB, dir jobs.Direction, opts ...func(*thrSetup)) *thrEnv {
	t.Helper()
	s := thrSetup{}
	s.Direction = dir
	for _, o := range opts {
		o(&s)
	}
	e := &thrEnv{
		hr:    talenthrtest.NewServer(t, append([]talenthrtest.Option{talenthrtest.WithoutRateLimit()}, s.hrOpts...)...),
		lms:   talentlmstest.NewServer(t, append([]talentlmstest.Option{talentlmstest.WithoutRateLimit()}, s.lmsOpts...)...),
		store: syncengine.NewMemoryStore(),
		now:   func() time.Time { return thrDay },
	}
	e.hr.SetClock(e.now)
	e.lms.SetClock(e.now)
	if !s.noCompany {
		e.co = seedTHRCompany(e, s.noFields)
	}
	if s.seedLMS != nil {
		s.seedLMS(e)
	}
	if s.training {
		e.training = &countingTraining{MemoryTraining: talenthr.NewMemoryTraining()}
		s.Training = e.training
	}
	s.Now = e.now
	cfg, err := jobs.TalentHRTalentLMS(e.hr.NewClient(t), e.lms.NewClient(t), s.TalentHRTalentLMSOptions)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Now = e.store, e.now
	e.cfg = cfg
	if e.eng, err = syncengine.New(cfg); err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = e.eng.Close() })
	e.resetLogs()
	return e
}

// seedTHRCompany stores Northwind in both systems: six employees in
// TalentHR (one terminated and in TalentLMS, one terminated and not),
// five users in TalentLMS (three of them employees, one only a learner,
// one inactive), custom fields of the same name and type (hireDate,
// dateOfBirth, ssn, jobTitle, city, country, division), of another type
// (department, a dropdown; TalentHR's is text) and missing (location),
// two branches and two courses with progress.
func seedTHRCompany(e *thrEnv, noFields bool) thrCompany {
	co := thrCompany{emp: map[string]string{}, user: map[string]string{}, fields: map[string]string{},
		branch: map[string]string{}, course: map[string]string{}, lang: map[string]string{},
		title: map[string]string{}, depts: map[string]string{}}
	hr, lms := e.hr, e.lms
	for _, l := range hr.Lookups(talenthr.Languages) {
		co.lang[l.Name] = l.ID
	}
	for _, d := range []string{"Engineering", "Sales", "People"} {
		co.depts[d] = hr.AddDepartment(d)
	}
	eu, na := hr.AddDivision("Europe"), hr.AddDivision("North America")
	athens, ny := hr.AddLocation("Athens", "Leoforos Kifisias 44"), hr.AddLocation("New York", "350 5th Ave")
	for _, t := range []string{"Account Executive", "Software Engineer", "Engineering Manager", "Designer"} {
		co.title[t] = hr.AddJobTitle(t)
	}
	type emp struct {
		first, last, title, dept, div, loc, hire, birth, ssn, city, country, term string
		langs                                                                     []string
	}
	for _, p := range []emp{
		{"Ana", "Lima", "Account Executive", "Sales", na, ny, "2021-03-01", "1990-05-17", "123-45-6789", "New York", "United States", "", []string{"English"}},
		{"Bo", "Chen", "Software Engineer", "Engineering", eu, athens, "2020-11-16", "1988-02-29", "987-65-4321", "Athens", "Greece", "", []string{"English", "Greek"}},
		{"Zoë", "Ñúñez-O'Brien", "Engineering Manager", "Engineering", eu, athens, "2019-01-07", "1985-12-01", "555-12-3456", "Athens", "Greece", "", nil},
		{"Nia", "Okafor", "Designer", "People", eu, athens, "2024-05-06", "", "", "Athens", "Greece", "", []string{"English"}},
		{"Ed", "Silva", "Account Executive", "Sales", na, ny, "2017-02-20", "1979-07-04", "", "New York", "United States", "2025-01-15", nil},
		{"Kostas", "Alexiou", "Software Engineer", "Engineering", eu, athens, "2016-08-29", "", "", "Athens", "Greece", "2025-06-30", nil},
	} {
		profile := map[string]any{"city": p.city, "country": p.country}
		if p.birth != "" {
			profile["birth_date"] = p.birth
			co.secrets = append(co.secrets, p.birth)
		}
		if p.ssn != "" {
			profile["ssn"] = p.ssn // TalentHR keeps it, and never returns it
			co.secrets = append(co.secrets, p.ssn)
		}
		var langs []any
		for _, l := range p.langs {
			langs = append(langs, json.Number(co.lang[l]))
		}
		if langs != nil {
			profile["hr_languages"] = langs
		}
		key := strings.TrimSuffix(thrEmail(p.first), "@northwind.example")
		co.emp[key] = hr.AddEmployee(talenthrtest.Employee{FirstName: p.first, LastName: p.last,
			Email: thrEmail(p.first), HireDate: p.hire, TerminationDate: p.term, JobTitleID: co.title[p.title],
			DepartmentID: co.depts[p.dept], DivisionID: p.div, LocationID: p.loc, Profile: profile})
	}
	for _, f := range []talentlms.CustomField{
		{Name: "hireDate", Type: talentlms.FieldDate}, {Name: "dateOfBirth", Type: talentlms.FieldDate},
		{Name: "ssn", Type: talentlms.FieldText}, {Name: "jobTitle", Type: talentlms.FieldText},
		{Name: "department", Type: talentlms.FieldDropdown, Options: []string{"Engineering", "Sales", "People"}},
		{Name: "city", Type: talentlms.FieldText}, {Name: "country", Type: talentlms.FieldText},
		{Name: "division", Type: talentlms.FieldText},
	} {
		if !noFields {
			co.fields[f.Name] = lms.AddCustomField(f)
		}
	}
	for _, b := range []string{"Sales", "Engineering"} {
		co.branch[b] = lms.AddBranch(talentlms.Branch{Name: b})
	}
	ddmm := func(y int, m time.Month, d int) string {
		return talentlms.DDMMYYYY.FormatDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	type user struct {
		first, last, email, branch string
		active                     bool
		custom                     map[string]string
		created                    time.Time
	}
	for _, u := range []user{
		{"Ana", "Lima", thrEmail("Ana"), "Sales", true, map[string]string{"jobTitle": "Sales Rep", "department": "Sales"}, thrDay.AddDate(-4, 0, 0)},
		{"Bo", "Chen", strings.ToUpper(thrEmail("Bo")), "Engineering", true, nil, thrDay.AddDate(-5, 0, 0)},
		{"Ed", "Silva", thrEmail("Ed"), "Sales", true, nil, thrDay.AddDate(-8, 0, 0)},
		{"Lena", "Park", thrEmail("Lena"), "Engineering", true,
			map[string]string{"hireDate": ddmm(2023, 9, 4), "dateOfBirth": ddmm(1995, 4, 23), "ssn": "321-54-9876",
				"jobTitle": "Designer", "city": "Berlin", "country": "Germany", "department": "People"}, thrDay.AddDate(-2, 0, 0)},
		{"Omar", "Haddad", thrEmail("Omar"), "Sales", true, nil, time.Date(2025, 11, 3, 8, 0, 0, 0, time.UTC)},
		{"Ivy", "Quinn", thrEmail("Ivy"), "", false, nil, thrDay.AddDate(-1, 0, 0)},
	} {
		custom := map[string]string{}
		for name, v := range u.custom {
			if noFields {
				continue
			}
			custom[co.fields[name]] = v
			if name == "ssn" || name == "dateOfBirth" {
				co.secrets = append(co.secrets, v)
			}
		}
		seed := talentlmstest.User{Login: strings.ToLower(u.first), FirstName: u.first, LastName: u.last, Email: u.email,
			Custom: custom, CreatedOn: u.created}
		if !u.active {
			seed.Status = talentlms.Inactive
		}
		if u.branch != "" {
			seed.Branches = []string{co.branch[u.branch]}
		}
		co.user[strings.ToLower(u.first)] = lms.AddUser(seed)
	}
	for _, c := range []talentlms.Course{{Name: "Security Awareness", Code: "SEC-101"}, {Name: "Onboarding", Code: "ONB-100"}} {
		co.course[c.Code] = lms.AddCourse(c)
	}
	lms.Enroll(co.user["ana"], co.course["SEC-101"], talentlmstest.Progress{Percent: 100,
		EnrolledOn: thrDay.AddDate(0, -2, 0), CompletedOn: thrDay.AddDate(0, -1, 0), TotalTimeSeconds: 1260})
	lms.Enroll(co.user["bo"], co.course["SEC-101"], talentlmstest.Progress{Percent: 40, EnrolledOn: thrDay.AddDate(0, -2, 0), TotalTimeSeconds: 300})
	lms.Enroll(co.user["lena"], co.course["ONB-100"], talentlmstest.Progress{Percent: 10, EnrolledOn: thrDay.AddDate(0, 0, -7), TotalTimeSeconds: 60})
	return co
}

// thrEmail is a person's work email, the same on both sides.
func thrEmail(first string) string {
	return strings.ToLower(strings.NewReplacer("ë", "e").Replace(first)) + "@northwind.example"
}

func (e *thrEnv) sync(t testing.TB) *syncengine.Report {
	t.Helper()
	rep, err := e.eng.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return rep
}

func (e *thrEnv) plan(t testing.TB) *syncengine.Plan {
	t.Helper()
	p, err := e.eng.Plan(context.Background())
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return p
}

func (e *thrEnv) resetLogs() {
	e.hr.Log().Reset()
	e.lms.Log().Reset()
	if e.training != nil {
		e.training.reset()
	}
}

// calls lists the requests each fake answered since the last reset, as
// "METHOD path" (TalentLMS: the action and its key:value segment names;
// TalentHR: the path, ids as {id}), in order, and resets the logs.
func (e *thrEnv) calls() (hr, lms []string) {
	for _, x := range e.hr.Log().Entries() {
		hr = append(hr, x.Method+" "+thrPath(strings.TrimPrefix(x.Path, talenthrtest.VersionPath)))
	}
	for _, x := range e.lms.Log().Entries() {
		lms = append(lms, x.Method+" "+lmsAction(x.Path))
	}
	e.resetLogs()
	return hr, lms
}

// thrPath replaces ids in a TalentHR path by {id}.
func thrPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// lmsAction is a TalentLMS v1 path without its values: "users/id", "usersignup".
func lmsAction(p string) string {
	p, _ = url.PathUnescape(strings.TrimPrefix(p, talentlmstest.APIPath+"/"))
	action, seg, _ := strings.Cut(p, "/")
	if seg == "" {
		return action
	}
	var keys []string
	for _, kv := range strings.Split(seg, ",") {
		k, _, _ := strings.Cut(kv, ":")
		keys = append(keys, k)
	}
	return action + "/" + strings.Join(keys, ",")
}

// counted tallies calls by name, sorted by name, for comparison.
func counted(calls []string) map[string]int {
	out := map[string]int{}
	for _, c := range calls {
		out[c]++
	}
	return out
}

// writes are the calls that change a system: TalentHR's POST and PUT,
// TalentLMS's POSTs and its writes sent as GETs.
func writes(calls []string) []string {
	var out []string
	for _, c := range calls {
		method, action, _ := strings.Cut(c, " ")
		name, _, _ := strings.Cut(action, "/")
		if method != "GET" || slices.Contains([]string{"usersetstatus", "addusertobranch", "removeuserfrombranch", "removeuserfromcourse"}, name) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// outcome returns the report's row for a record of collection c whose
// name is name.
func outcome(t testing.TB, rep *syncengine.Report, c syncengine.Collection, name string) syncengine.Outcome {
	t.Helper()
	for _, o := range rep.Outcomes {
		if o.Collection == c && o.Name == name {
			return o
		}
	}
	t.Fatalf("no %s row named %q in:\n%s", c, name, rowsText(rep))
	return syncengine.Outcome{}
}

func rowsText(rep *syncengine.Report) string {
	var b strings.Builder
	for _, o := range rep.Outcomes {
		fmt.Fprintf(&b, "%s %s %q %s %s %v %s %s\n", o.Collection, o.AID+"/"+o.BID, o.Name, o.Result, o.Reason, o.Fields, o.Detail, o.Error)
	}
	return b.String()
}

// lmsUser returns the TalentLMS user with an email, failing the test if none.
func (e *thrEnv) lmsUser(t testing.TB, first string) talentlms.User {
	t.Helper()
	u, ok := e.lms.UserByEmail(thrEmail(first))
	if !ok {
		t.Fatalf("no TalentLMS user %s", thrEmail(first))
	}
	return u
}

// custom is a TalentLMS user's custom field value by name.
func (e *thrEnv) custom(u talentlms.User, name string) string {
	v, _ := u.CustomValue(e.co.fields[name])
	return v
}

// employee returns the TalentHR employee with an email, failing if none.
func (e *thrEnv) employee(t testing.TB, first string) talenthrtest.Employee {
	t.Helper()
	x, ok := e.hr.EmployeeByEmail(thrEmail(first))
	if !ok {
		t.Fatalf("no TalentHR employee %s", thrEmail(first))
	}
	return x
}

// emails counts each system's people per lower-cased email.
func (e *thrEnv) emails() (hr, lms map[string]int) {
	hr, lms = map[string]int{}, map[string]int{}
	for _, x := range e.hr.Employees() {
		hr[strings.ToLower(x.Email)]++
	}
	for _, u := range e.lms.Users() {
		lms[strings.ToLower(u.Email)]++
	}
	return hr, lms
}

// countingTraining counts the Training store's writes.
type countingTraining struct {
	*talenthr.MemoryTraining
	mu   sync.Mutex
	puts []talenthr.Enrollment
	adds []talenthr.Course
}

func (c *countingTraining) PutEnrollment(ctx context.Context, x talenthr.Enrollment) error {
	if err := c.MemoryTraining.PutEnrollment(ctx, x); err != nil {
		return err
	}
	c.mu.Lock()
	c.puts = append(c.puts, x)
	c.mu.Unlock()
	return nil
}

func (c *countingTraining) PutCourse(ctx context.Context, x talenthr.Course) (talenthr.Course, error) {
	kept, err := c.MemoryTraining.PutCourse(ctx, x)
	if err == nil {
		c.mu.Lock()
		c.adds = append(c.adds, kept)
		c.mu.Unlock()
	}
	return kept, err
}

// written returns the enrollments and courses put since the last reset.
func (c *countingTraining) written() ([]talenthr.Enrollment, []talenthr.Course) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.puts), slices.Clone(c.adds)
}

func (c *countingTraining) reset() {
	c.mu.Lock()
	c.puts, c.adds = nil, nil
	c.mu.Unlock()
}

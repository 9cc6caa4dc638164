package chaos_test

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// endpoints is what a run needs to reach the fakes: their base URLs by
// vendor, how long the clients wait for a reply, and the state directory
// (the file store, and the portal's SQLite file).
type endpoints struct {
	URLs    map[string]string `json:"urls"`
	Timeout time.Duration     `json:"timeout"`
	// Whole is the timeout of a call that answers with the whole company
	// at once (HiBob's people search has no paging).
	Whole time.Duration `json:"whole"`
	Dir   string        `json:"dir"`
}

// httpClient has its own connection pool and gives up after e.Timeout.
func (e endpoints) httpClient() *http.Client { return e.clientFor(e.Timeout) }

func (e endpoints) clientFor(d time.Duration) *http.Client {
	return &http.Client{Timeout: d, Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// Client retries: many, and short, so 20% faults rarely exhaust them and
// a 429's Retry-After (capped by MaxWait) costs milliseconds.
const (
	maxRetries = 6
	minWait    = time.Millisecond
	maxWait    = 10 * time.Millisecond
)

// fake is one vendor's fake server and the base URL its client takes.
type fake struct {
	srv  *fakeserver.Server
	base string
}

// pair is one job of the suite.
type pair struct {
	name string
	// seed starts the fakes and seeds a company of about n people.
	seed func(tb testing.TB, n int) []fake
	// vendors names the seed's servers, in the same order (the keys of endpoints.URLs).
	vendors []string
	// config builds the job for the fakes at e; close releases what it opened.
	config func(e endpoints) (cfg syncengine.Config, close func(), err error)
	// keys says how a record is known across runs, per collection: the
	// first non-empty of these fields, case-folded (ids differ per run).
	keys map[syncengine.Collection][]string
	// fields are the fields compared, per collection (ids and timestamps are not).
	fields map[syncengine.Collection][]string
	// readOnly: the fakes are only read (the sink is local), so no
	// write can be applied and its reply lost.
	readOnly bool
}

var pairs = []pair{bambooLitmos, bobLearnAmp,
	talentPair(jobs.HRToLMS), talentPair(jobs.LMSToHR), talentPair(jobs.TwoWay), litmosPortal}

func pairByName(name string) (pair, bool) {
	for _, p := range pairs {
		if p.name == name {
			return p, true
		}
	}
	return pair{}, false
}

// noCap lifts the presets' cap on deactivations: the seeds deactivate
// more than ten people on purpose.
var noCap = syncengine.Threshold{MaxPercent: 100}

func email(i int) string { return fmt.Sprintf("p%05d@acme.example", i) }

var bambooLitmos = pair{
	name:    "bamboohr-litmos",
	vendors: []string{"bamboohr", "litmos"},
	seed: func(tb testing.TB, n int) []fake {
		hr := bamboohrtest.NewServer(tb, bamboohrtest.WithoutRateLimit())
		lms := litmostest.NewServer(tb, litmostest.WithoutRateLimit())
		ids := make([]int, n)
		for i := range n {
			f := map[string]string{
				"firstName": "First" + strconv.Itoa(i), "lastName": "Last" + strconv.Itoa(i), "workEmail": email(i),
				"jobTitle": fmt.Sprintf("Title %d", i%7), "city": "Lindon", "country": "United States",
				bamboohrtest.LitmosAccessAlias: yes(i%10 != 9),
			}
			if i > 0 {
				f["supervisorEId"] = strconv.Itoa(ids[i/10])
			}
			ids[i] = hr.AddEmployee(f)
			if i%17 == 5 {
				hr.Terminate(ids[i], "2025-01-15")
			}
			if i%4 == 0 { // a learner already: matched by username, out of date
				lms.AddUser(litmos.User{UserName: email(i), Email: email(i), FirstName: "Old", LastName: "Name", Active: true})
			}
		}
		return []fake{{hr.Server, hr.BaseURL()}, {lms.Server, lms.BaseURL()}}
	},
	config: func(e endpoints) (syncengine.Config, func(), error) {
		hr, err := bamboohr.New(bamboohrtest.DefaultSubdomain, bamboohrtest.DefaultAPIKey,
			bamboohr.WithBaseURL(e.URLs["bamboohr"]), bamboohr.WithHTTPClient(e.httpClient()),
			bamboohr.WithRateLimit(bamboohr.Limit{}),
			bamboohr.WithRetry(bamboohr.RetryPolicy{MaxRetries: maxRetries, MinWait: minWait, MaxWait: maxWait}))
		if err != nil {
			return syncengine.Config{}, nil, err
		}
		lms, err := newLitmos(e)
		if err != nil {
			return syncengine.Config{}, nil, err
		}
		cfg, err := jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{Threshold: noCap})
		return cfg, func() {}, err
	},
	keys: map[syncengine.Collection][]string{syncengine.Users: {"UserName", "workEmail"}},
	fields: map[syncengine.Collection][]string{syncengine.Users: {"UserName", "Email", "FirstName", "LastName", "JobTitle", "City", "Country",
		"workEmail", "firstName", "lastName", "jobTitle", "status", "terminationDate", "access"}},
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func newLitmos(e endpoints) (*litmos.Client, error) {
	return litmos.New(litmostest.APIKey, litmostest.Source,
		litmos.WithBaseURL(e.URLs["litmos"]), litmos.WithHTTPClient(e.httpClient()),
		litmos.WithRateLimit(litmos.Limit{}), litmos.WithBulkPoll(time.Millisecond),
		litmos.WithRetry(litmos.RetryPolicy{MaxRetries: maxRetries, MinWait: minWait, MaxWait: maxWait}))
}

var departments = []string{"Engineering", "Sales", "People", "Finance", "Support"}

var bobLearnAmp = pair{
	name:    "hibob-learnamp",
	vendors: []string{"hibob", "learnamp"},
	seed: func(tb testing.TB, n int) []fake {
		hr := hibobtest.NewServer(tb, hibobtest.WithoutRateLimit())
		lms := learnamptest.NewServer(tb, learnamptest.WithoutRateLimit())
		ids := make([]string, n)
		for i := range n {
			e := hibobtest.Employee{FirstName: "First" + strconv.Itoa(i), Surname: "Last" + strconv.Itoa(i),
				Email: email(i), Title: fmt.Sprintf("Title %d", i%7), Department: departments[i%len(departments)]}
			if i > 0 {
				e.ManagerID = ids[i/10]
			}
			if i%17 == 5 {
				e.TerminationDate = "2025-01-15"
			}
			ids[i] = hr.AddEmployee(e)
			if i%4 == 0 { // a user already, by email, without the external id
				lms.AddUser(learnamptest.User{Email: email(i), FirstName: "Old", LastName: "Name"})
			}
		}
		return []fake{{hr.Server, hr.BaseURL()}, {lms.Server, lms.BaseURL()}}
	},
	config: func(e endpoints) (syncengine.Config, func(), error) {
		hr, err := hibob.New(hibobtest.ServiceUserID, hibobtest.ServiceUserToken,
			hibob.WithBaseURL(e.URLs["hibob"]), hibob.WithHTTPClient(e.clientFor(e.Whole)),
			hibob.WithRateLimit(hibob.Limit{}),
			hibob.WithRetry(hibob.RetryPolicy{MaxRetries: maxRetries, MinWait: minWait, MaxWait: maxWait}))
		if err != nil {
			return syncengine.Config{}, nil, err
		}
		lms, err := learnamp.New(learnamptest.ClientID, learnamptest.ClientSecret,
			learnamp.WithBaseURL(e.URLs["learnamp"]), learnamp.WithHTTPClient(e.httpClient()),
			learnamp.WithRateLimit(learnamp.Limit{}),
			learnamp.WithRetry(learnamp.RetryPolicy{MaxRetries: maxRetries, MinWait: minWait, MaxWait: maxWait}))
		if err != nil {
			return syncengine.Config{}, nil, err
		}
		cfg, err := jobs.HiBobLearnAmp(hr, lms, jobs.HiBobLearnAmpOptions{Threshold: noCap})
		return cfg, func() {}, err
	},
	keys: map[syncengine.Collection][]string{
		syncengine.Users: {"email", "root.email"},
		syncengine.Teams: {"name"},
	},
	fields: map[syncengine.Collection][]string{
		syncengine.Users: {"email", "firstName", "lastName", "jobTitle", "department", "location", "status", "hireDate",
			"root.email", "root.firstName", "root.surname", "work.title", "work.department", "internal.status", "internal.terminationDate"},
		syncengine.Teams: {"name"},
	},
}

func talentPair(dir jobs.Direction) pair {
	return pair{
		name:    "talenthr-talentlms-" + string(dir),
		vendors: []string{"talenthr", "talentlms"},
		seed:    seedTalent,
		config: func(e endpoints) (syncengine.Config, func(), error) {
			hr, err := talenthr.New(talenthrtest.APIKey,
				talenthr.WithBaseURL(e.URLs["talenthr"]), talenthr.WithHTTPClient(e.httpClient()),
				talenthr.WithRateLimit(talenthr.Limit{}),
				talenthr.WithRetry(talenthr.RetryPolicy{MaxRetries: maxRetries, MinWait: minWait, MaxWait: maxWait}))
			if err != nil {
				return syncengine.Config{}, nil, err
			}
			lms, err := talentlms.New(talentlmstest.Domain, talentlmstest.APIKey,
				talentlms.WithBaseURL(e.URLs["talentlms"]), talentlms.WithHTTPClient(e.httpClient()),
				talentlms.WithRateLimit(talentlms.Limit{}),
				talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: maxRetries, MinWait: minWait, MaxWait: maxWait}))
			if err != nil {
				return syncengine.Config{}, nil, err
			}
			cfg, err := jobs.TalentHRTalentLMS(hr, lms, jobs.TalentHRTalentLMSOptions{Direction: dir, Threshold: noCap})
			return cfg, func() {}, err
		},
		keys: map[syncengine.Collection][]string{syncengine.Users: {"email"}},
		// Not hire_date: a hire from TalentLMS takes the user's creation date.
		fields: map[syncengine.Collection][]string{syncengine.Users: {"email", "first_name", "last_name", "login",
			"status", "custom_fields", "employment_status", "termination_date"}},
	}
}

// seedTalent: n employees in TalentHR (some terminated), n/2 users in
// TalentLMS: half of them employees too (stale names), half learners
// only.
func seedTalent(tb testing.TB, n int) []fake {
	hr := talenthrtest.NewServer(tb, talenthrtest.WithoutRateLimit())
	lms := talentlmstest.NewServer(tb, talentlmstest.WithoutRateLimit())
	for i := range n {
		e := talenthrtest.Employee{FirstName: "First" + strconv.Itoa(i), LastName: "Last" + strconv.Itoa(i), Email: email(i)}
		if i%17 == 5 {
			e.TerminationDate = "2025-01-15"
		}
		hr.AddEmployee(e)
	}
	for i := 0; i < n/2; i++ {
		u := talentlmstest.User{Login: fmt.Sprintf("user%05d", i), FirstName: "Old", LastName: "Name" + strconv.Itoa(i),
			Email: email(2 * i), Status: talentlms.Active}
		if i%2 == 1 {
			u.Email, u.FirstName = fmt.Sprintf("lms%05d@acme.example", i), "Learner"
		}
		lms.AddUser(u)
	}
	return []fake{{hr.Server, hr.BaseURL()}, {lms.Server, lms.BaseURL()}}
}

var litmosPortal = pair{
	name:     "litmos-portal",
	vendors:  []string{"litmos"},
	readOnly: true,
	seed: func(tb testing.TB, n int) []fake {
		lms := litmostest.NewServer(tb, litmostest.WithoutRateLimit())
		// A team per 5 people: the job reads a roster per team, which is
		// most of its requests (users come 1,000 a page).
		teams := make([]litmos.Team, max(10, n/5))
		for i := range teams {
			teams[i] = lms.AddTeam(litmos.Team{Name: fmt.Sprintf("Team %d", i)})
		}
		for i := range 5 {
			lms.AddCourse(litmos.Course{Name: fmt.Sprintf("Course %d", i), Code: fmt.Sprintf("C%d", i), Active: true})
		}
		for i := range n {
			u := lms.AddUser(litmos.User{UserName: email(i), Email: email(i), FirstName: "First" + strconv.Itoa(i),
				LastName: "Last" + strconv.Itoa(i), Active: i%17 != 5, JobTitle: fmt.Sprintf("Title %d", i%7)})
			if i%10 != 9 { // one in ten is in no team: out of scope
				lms.AddTeamMember(teams[i%len(teams)].ID, u.ID)
			}
		}
		return []fake{{lms.Server, lms.BaseURL()}}
	},
	config: func(e endpoints) (syncengine.Config, func(), error) {
		lms, err := newLitmos(e)
		if err != nil {
			return syncengine.Config{}, nil, err
		}
		db, err := portal.Open(filepath.Join(e.Dir, "portal.db"), false)
		if err != nil {
			return syncengine.Config{}, nil, err
		}
		closeDB := func() { _ = db.Close() }
		if err := portal.CreateTables(bg, db); err != nil {
			closeDB()
			return syncengine.Config{}, nil, err
		}
		cfg, err := jobs.LitmosPlatform(lms, portal.New(db), jobs.LitmosPlatformOptions{Threshold: noCap})
		if err != nil {
			closeDB()
			return syncengine.Config{}, nil, errors.Join(err)
		}
		return cfg, closeDB, nil
	},
	keys: map[syncengine.Collection][]string{
		syncengine.Users:   {"UserName", "email"},
		syncengine.Teams:   {"Name", "name"},
		syncengine.Courses: {"Code", "code", "Name", "name"},
	},
	fields: map[syncengine.Collection][]string{
		syncengine.Users:   {"UserName", "Email", "FirstName", "LastName", "JobTitle", "email", "first_name", "last_name", "name", "title"},
		syncengine.Teams:   {"Name", "name", "auto_sync"},
		syncengine.Courses: {"Code", "code", "Name", "name"},
	},
}

package jobs_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// step is one targeted change and exactly the writes it must make.
type step struct {
	name    string
	change  func(e *thrEnv)
	hr, lms []string // the writes, as writes() lists them
	check   func(t *testing.T, e *thrEnv, l stepLog)
}

// stepLog is what both fakes received in a step's run.
type stepLog struct {
	hr  []talenthrtest.Entry
	lms []talentlmstest.Entry
}

// runSteps syncs once, then makes each change in turn and syncs again,
// failing when a run writes anything but the step's writes.
func runSteps(t *testing.T, e *thrEnv, steps []step) {
	t.Helper()
	e.sync(t)
	e.resetLogs()
	for _, s := range steps {
		s.change(e)
		e.resetLogs()
		rep := e.sync(t)
		if rep.Failed() {
			t.Errorf("%s: %s\n%s", s.name, rep.Summary(), rowsText(rep))
		}
		hrLog, lmsLog := e.hr.Log().Entries(), e.lms.Log().Entries()
		hr, lms := e.calls()
		if d := cmp.Diff(s.hr, writes(hr), cmpEmpty); d != "" {
			t.Errorf("%s: TalentHR writes (-want +got):\n%s", s.name, d)
		}
		if d := cmp.Diff(s.lms, writes(lms), cmpEmpty); d != "" {
			t.Errorf("%s: TalentLMS writes (-want +got):\n%s", s.name, d)
		}
		if s.check != nil {
			s.check(t, e, stepLog{hrLog, lmsLog})
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) })

// form is the body of the step's one TalentLMS POST to action.
func (l stepLog) form(t *testing.T, action string) url.Values {
	t.Helper()
	var out []url.Values
	for _, x := range l.lms {
		if x.Method == "POST" && strings.HasSuffix(x.Path, "/"+action) {
			v, err := url.ParseQuery(string(x.Body))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s requests, want 1", len(out), action)
	}
	return out[0]
}

// formKeys are a form's keys but user_id, sorted.
func formKeys(v url.Values) []string {
	var out []string
	for k := range v {
		if k != "user_id" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// put is the body of the step's one TalentHR PUT.
func (l stepLog) put(t *testing.T) map[string]any {
	t.Helper()
	var out []map[string]any
	for _, x := range l.hr {
		if x.Method == "PUT" {
			var m map[string]any
			if err := json.Unmarshal(x.Body, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d PUTs, want 1", len(out))
	}
	return out[0]
}

// Changes in TalentHR reach TalentLMS with exactly one write each, and
// only the fields that changed; what TalentLMS cannot take makes none.
func TestTHRChangesHRToLMS(t *testing.T) {
	e := newTHREnv(t, jobs.HRToLMS)
	edit := func(who string, f func(*talenthrtest.Employee)) { e.hr.Edit(e.co.emp[who], f) }
	yesterday := thrDay.AddDate(0, 0, -1).Format("2006-01-02")
	runSteps(t, e, []step{
		{name: "a job title", change: func(e *thrEnv) {
			edit("bo", func(x *talenthrtest.Employee) { x.JobTitleID = e.co.title["Engineering Manager"] })
		}, lms: []string{"POST edituser"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			f := l.form(t, "edituser")
			if d := cmp.Diff([]string{e.co.fields["jobTitle"]}, formKeys(f)); d != "" || f.Get(e.co.fields["jobTitle"]) != "Engineering Manager" {
				t.Errorf("edituser %v: want the job title only (-want +got):\n%s", f, d)
			}
		}},
		{name: "a termination", change: func(e *thrEnv) { e.hr.Terminate(e.co.emp["nia"], yesterday, "Resignation") },
			lms: []string{"GET usersetstatus/user_id,status"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
				if u := e.lmsUser(t, "Nia"); u.Status != talentlms.Inactive {
					t.Errorf("Nia %s", u.Status)
				}
			}},
		{name: "an email change on a linked user", change: func(e *thrEnv) {
			edit("ana", func(x *talenthrtest.Employee) { x.Email = "ana.lima@northwind.example" })
		}, lms: []string{"POST edituser"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			// The email only: the login was set at the signup and stays.
			if f := l.form(t, "edituser"); !cmp.Equal(formKeys(f), []string{"email"}) || f.Get("email") != "ana.lima@northwind.example" {
				t.Errorf("edituser %v", f)
			}
			if u, _ := e.lms.User(e.co.user["ana"]); u.Email != "ana.lima@northwind.example" || u.Login != "ana" {
				t.Errorf("Ana in TalentLMS: %+v", u)
			}
		}},
		{name: "a last name", change: func(e *thrEnv) {
			edit("bo", func(x *talenthrtest.Employee) { x.LastName = "Chen-Wong" })
		}, lms: []string{"POST edituser"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if f := l.form(t, "edituser"); !cmp.Equal(formKeys(f), []string{"last_name"}) || f.Get("last_name") != "Chen-Wong" {
				t.Errorf("edituser %v", f)
			}
		}},
		{name: "a language", change: func(e *thrEnv) {
			// The languages an employee speaks are no TalentLMS field, and
			// TalentLMS's edituser takes no language: nothing to write.
			edit("zoe", func(x *talenthrtest.Employee) { x.Profile["hr_languages"] = []any{json.Number(e.co.lang["Spanish"])} })
		}},
		{name: "a new hire", change: func(e *thrEnv) {
			e.hr.AddEmployee(talenthrtest.Employee{FirstName: "Mei", LastName: "Tanaka", Email: thrEmail("Mei"),
				HireDate: "2026-03-02", JobTitleID: e.co.title["Designer"], Profile: map[string]any{"city": "Athens"}})
		}, lms: []string{"POST usersignup"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			f := l.form(t, "usersignup")
			if f.Get("email") != thrEmail("Mei") || f.Get("login") != thrEmail("Mei") || f.Get(e.co.fields["hireDate"]) != "02/03/2026" ||
				f.Get(e.co.fields["city"]) != "Athens" || f.Get("restrict_email") != "on" || f.Get("password") == "" {
				t.Errorf("usersignup %v", f)
			}
		}},
		{name: "a rehire", change: func(e *thrEnv) {
			edit("nia", func(x *talenthrtest.Employee) { x.TerminationDate = "" })
		}, lms: []string{"GET usersetstatus/user_id,status"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if u := e.lmsUser(t, "Nia"); u.Status != talentlms.Active {
				t.Errorf("Nia %s", u.Status)
			}
		}},
		{name: "a deletion", change: func(e *thrEnv) { e.hr.DeleteEmployee(e.co.emp["zoe"]) },
			lms: []string{"GET usersetstatus/user_id,status"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
				if u := e.lmsUser(t, "Zoë"); u.Status != talentlms.Inactive {
					t.Errorf("Zoë %s after her deletion in TalentHR", u.Status)
				}
			}},
		{name: "nothing", change: func(*thrEnv) {}},
	})
}

// Changes in TalentLMS reach TalentHR with exactly one PUT each, only
// where TalentHR's update takes the field: a deactivation and a job title
// (set by the hire only) write nothing.
func TestTHRChangesLMSToHR(t *testing.T) {
	e := newTHREnv(t, jobs.LMSToHR)
	client := e.lms.NewClient(t)
	edit := func(who string, p talentlms.EditUserParams) {
		p.UserID = e.co.user[who]
		if _, err := client.EditUser(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	runSteps(t, e, []step{
		{name: "a last name", change: func(e *thrEnv) { edit("lena", talentlms.EditUserParams{LastName: "Park-Kim"}) },
			hr: []string{"PUT /employees/{id}"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
				if d := cmp.Diff(map[string]any{"last_name": "Park-Kim"}, l.put(t)); d != "" {
					t.Errorf("PUT (-want +got):\n%s", d)
				}
			}},
		{name: "a language", change: func(e *thrEnv) { e.lms.SetLanguage(e.co.user["lena"], "Greek") },
			hr: []string{"PUT /employees/{id}"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
				// Greek joins the languages Lena speaks; English stays.
				want := map[string]any{"hr_languages": []any{jsonNumber(e.co.lang["English"]), jsonNumber(e.co.lang["Greek"])}}
				if d := cmp.Diff(want, l.put(t)); d != "" {
					t.Errorf("PUT (-want +got):\n%s", d)
				}
			}},
		{name: "the same language again", change: func(e *thrEnv) { e.lms.SetLanguage(e.co.user["lena"], "english") }},
		{name: "an email change on a linked user", change: func(e *thrEnv) {
			edit("omar", talentlms.EditUserParams{Email: "omar.haddad@northwind.example"})
		}, hr: []string{"PUT /employees/{id}"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if d := cmp.Diff(map[string]any{"email": "omar.haddad@northwind.example"}, l.put(t)); d != "" {
				t.Errorf("PUT (-want +got):\n%s", d)
			}
		}},
		{name: "a city", change: func(e *thrEnv) {
			edit("lena", talentlms.EditUserParams{Custom: map[string]string{e.co.fields["city"]: "Munich"}})
		}, hr: []string{"PUT /employees/{id}"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if d := cmp.Diff(map[string]any{"city": "Munich"}, l.put(t)); d != "" {
				t.Errorf("PUT (-want +got):\n%s", d)
			}
		}},
		{name: "an emptied city", change: func(e *thrEnv) {
			// TalentLMS fills TalentHR in; it never empties it.
			edit("lena", talentlms.EditUserParams{Custom: map[string]string{e.co.fields["city"]: ""}})
		}},
		{name: "a job title", change: func(e *thrEnv) {
			// TalentHR sets the job title when it hires, and has no call to change it.
			edit("lena", talentlms.EditUserParams{Custom: map[string]string{e.co.fields["jobTitle"]: "Lead Designer"}})
		}},
		{name: "a new TalentLMS user", change: func(e *thrEnv) {
			e.lms.AddUser(talentlmstest.User{Login: "mei", FirstName: "Mei", LastName: "Tanaka", Email: thrEmail("Mei"),
				Custom: map[string]string{e.co.fields["hireDate"]: "02/03/2026"}})
		}, hr: []string{"POST /employees/hire", "PUT /employees/{id}"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if mei := e.employee(t, "Mei"); mei.HireDate != "2026-03-02" {
				t.Errorf("Mei hired as %+v", mei)
			}
			// The PUT after the hire: her language, which the hire cannot take.
			if d := cmp.Diff(map[string]any{"hr_languages": []any{jsonNumber(e.co.lang["English"])}}, l.put(t)); d != "" {
				t.Errorf("PUT after the hire (-want +got):\n%s", d)
			}
		}},
		{name: "a deactivation", change: func(e *thrEnv) {
			if _, err := client.SetUserStatus(context.Background(), e.co.user["lena"], talentlms.Inactive); err != nil {
				t.Fatal(err)
			}
		}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if lena := e.employee(t, "Lena"); lena.TerminationDate != "" {
				t.Errorf("Lena terminated in TalentHR: %+v", lena)
			}
		}},
	})
}

// Two-way: TalentLMS never overwrites TalentHR. A last name changed in
// TalentLMS is put back from TalentHR (one edituser) and TalentHR gets no
// write; one changed in TalentHR reaches TalentLMS; a new TalentLMS user
// is hired; a TalentLMS deactivation of an employee still employed is
// undone.
func TestTHRTwoWayNeverOverwritesHR(t *testing.T) {
	e := newTHREnv(t, jobs.TwoWay)
	e.sync(t) // Omar's hire date flows back in the second run
	client := e.lms.NewClient(t)
	runSteps(t, e, []step{
		{name: "a last name in TalentLMS", change: func(e *thrEnv) {
			if _, err := client.EditUser(context.Background(), talentlms.EditUserParams{UserID: e.co.user["bo"], LastName: "Chan"}); err != nil {
				t.Fatal(err)
			}
		}, lms: []string{"POST edituser"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if f := l.form(t, "edituser"); f.Get("last_name") != "Chen" || len(formKeys(f)) != 1 {
				t.Errorf("edituser %v, want TalentHR's last name back", f)
			}
			if bo := e.employee(t, "Bo"); bo.LastName != "Chen" {
				t.Errorf("TalentHR's Bo: %+v", bo)
			}
		}},
		{name: "a last name in TalentHR", change: func(e *thrEnv) {
			e.hr.Edit(e.co.emp["bo"], func(x *talenthrtest.Employee) { x.LastName = "Chen-Wong" })
		}, lms: []string{"POST edituser"}},
		{name: "a city in TalentLMS", change: func(e *thrEnv) {
			u := e.co.user["lena"]
			if _, err := client.EditUser(context.Background(), talentlms.EditUserParams{UserID: u, Custom: map[string]string{e.co.fields["city"]: "Paris"}}); err != nil {
				t.Fatal(err)
			}
		}, lms: []string{"POST edituser"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if lena := e.employee(t, "Lena"); lena.Profile["city"] != "Berlin" {
				t.Errorf("TalentHR's Lena: %v", lena.Profile)
			}
		}},
		{name: "a new TalentLMS user", change: func(e *thrEnv) {
			e.lms.AddUser(talentlmstest.User{Login: "mei", FirstName: "Mei", LastName: "Tanaka", Email: thrEmail("Mei")})
		}, hr: []string{"POST /employees/hire", "PUT /employees/{id}"}},
		{name: "the next run", change: func(*thrEnv) {},
			// TalentHR hired Mei on her TalentLMS creation date, which now
			// flows to TalentLMS's hireDate: the engine plans a new pair's
			// reverse flow in the run after the create.
			lms: []string{"POST edituser"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
				if f := l.form(t, "edituser"); !cmp.Equal(formKeys(f), []string{e.co.fields["hireDate"]}) || f.Get(e.co.fields["hireDate"]) != "10/03/2026" {
					t.Errorf("edituser %v, want Mei's hire date", f)
				}
			}},
		{name: "a deactivation in TalentLMS", change: func(e *thrEnv) {
			if _, err := client.SetUserStatus(context.Background(), e.co.user["ana"], talentlms.Inactive); err != nil {
				t.Fatal(err)
			}
		}, lms: []string{"GET usersetstatus/user_id,status"}, check: func(t *testing.T, e *thrEnv, l stepLog) {
			if ana := e.lmsUser(t, "Ana"); ana.Status != talentlms.Active {
				t.Errorf("Ana %s, want active again: she is employed in TalentHR", ana.Status)
			}
		}},
		{name: "nothing", change: func(*thrEnv) {}},
	})
}

func jsonNumber(id string) any {
	var n float64
	_ = json.Unmarshal([]byte(id), &n)
	return n
}

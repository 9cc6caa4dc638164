package jobs_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// The job refuses what it cannot run, naming what is wrong.
func TestTHRConfigErrors(t *testing.T) {
	hr := talenthrtest.NewServer(t)
	lms := talentlmstest.NewServer(t)
	for _, tc := range []struct {
		name string
		dir  jobs.Direction
		nil_ bool
		want string
	}{
		{"no direction", "", false, `no direction (want "hr-to-lms", "lms-to-hr" or "two-way")`},
		{"unknown direction", "sideways", false, `direction "sideways"`},
		{"no clients", jobs.HRToLMS, true, "needs a TalentHR and a TalentLMS client"},
	} {
		hc, lc := hr.NewClient(t), lms.NewClient(t)
		if tc.nil_ {
			hc, lc = nil, nil
		}
		_, err := jobs.TalentHRTalentLMS(hc, lc, jobs.TalentHRTalentLMSOptions{Direction: tc.dir})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}

// Each direction is the engine's direction, with the rules TalentHR's
// integration has: HR to LMS creates, updates, deactivates and
// reactivates TalentLMS users; LMS to HR hires and updates; two-way
// hires only (TalentLMS never overwrites TalentHR).
func TestTHRDirections(t *testing.T) {
	type rules struct{ Create, Update, Deactivate, Reactivate bool }
	for _, tc := range []struct {
		dir        jobs.Direction
		engine     syncengine.Direction
		aToB, bToA rules
	}{
		{jobs.HRToLMS, syncengine.AToB, rules{true, true, true, true}, rules{true, false, false, false}},
		{jobs.LMSToHR, syncengine.BToA, rules{true, true, true, true}, rules{true, true, false, false}},
		{jobs.TwoWay, syncengine.TwoWay, rules{true, true, true, true}, rules{true, false, false, false}},
	} {
		e := newTHREnv(t, tc.dir)
		users := e.cfg.Collections[0]
		a, b := users.AToB, users.BToA
		got := [2]rules{{a.Create, a.Update, a.Deactivate, a.Reactivate}, {b.Create, b.Update, b.Deactivate, b.Reactivate}}
		if e.cfg.Direction != tc.engine || got != [2]rules{tc.aToB, tc.bToA} || users.Collection != syncengine.Users {
			t.Errorf("%s: engine direction %s, rules %+v", tc.dir, e.cfg.Direction, got)
		}
		if e.cfg.Conflict != syncengine.AWins || e.cfg.Threshold != jobs.DefaultTalentLMSThreshold {
			t.Errorf("%s: conflict %s, threshold %+v", tc.dir, e.cfg.Conflict, e.cfg.Threshold)
		}
		// Leaving TalentHR deactivates a learner; leaving TalentLMS changes
		// nothing in TalentHR, which cannot terminate anyone.
		wantOut := syncengine.DeactivateOutOfScope
		if tc.dir == jobs.LMSToHR {
			wantOut = syncengine.IgnoreOutOfScope
		}
		if e.cfg.OutOfScope != wantOut {
			t.Errorf("%s: out-of-scope policy %s", tc.dir, e.cfg.OutOfScope)
		}
	}
}

// HR to LMS, first sync: the active employees TalentLMS lacks are
// created (usersignup, the named custom fields the portal has in the
// same call), those it has by email (in any case) are updated with one
// edituser, the terminated employee with a user is deactivated, the one
// without is ignored, and the TalentLMS-only users are left alone. The
// rerun writes nothing. Every call is counted.
func TestTHRFirstSyncHRToLMS(t *testing.T) {
	e := newTHREnv(t, jobs.HRToLMS)
	rep := e.sync(t)
	want := map[string]syncengine.Result{"Ana Lima": syncengine.ResultUpdated, "Bo Chen": syncengine.ResultUpdated,
		"Zoë Ñúñez-O'Brien": syncengine.ResultCreated, "Nia Okafor": syncengine.ResultCreated,
		"Ed Silva": syncengine.ResultDeactivated, "Kostas Alexiou": syncengine.ResultSkipped}
	got := map[string]syncengine.Result{}
	for _, o := range rep.Outcomes {
		got[o.Name] = o.Result
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("first sync (-want +got):\n%s\n%s", d, rowsText(rep))
	}
	hr, lms := e.calls()
	// TalentHR: the employment-state ids (kept in the Cache), the custom
	// field definitions (a directory row and one employee's custom
	// fields, kept too), the listing (one page: 6 employees; the change
	// cursor comes from it, syncengine.ListCursorer), and one read per
	// employee for the detail fields the preset reads (birth_date, ssn,
	// city, country). No write.
	wantHR := map[string]int{"GET /directory/filters": 1, "GET /directory": 2, "GET /employees/{id}/custom-fields": 1, "GET /employees/{id}": 6}
	// TalentLMS: the hourly quota (free), the date format, the custom
	// field definitions, one page of users; then one write per changed
	// user, and two for Ed, whose fields change as he is deactivated.
	wantLMS := map[string]int{"GET ratelimit": 1, "GET siteinfo": 1, "GET getcustomregistrationfields": 1, "GET users/page_size,page_number": 1,
		"POST usersignup": 2, "POST edituser": 3, "GET usersetstatus/user_id,status": 1}
	if d := cmp.Diff(wantHR, counted(hr)); d != "" {
		t.Errorf("TalentHR calls (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantLMS, counted(lms)); d != "" {
		t.Errorf("TalentLMS calls (-want +got):\n%s", d)
	}
	zoe := e.lmsUser(t, "Zoë")
	if zoe.Login != thrEmail("Zoë") || zoe.FirstName != "Zoë" || zoe.LastName != "Ñúñez-O'Brien" || !zoe.RestrictEmail ||
		e.custom(zoe, "jobTitle") != "Engineering Manager" || e.custom(zoe, "hireDate") != "07/01/2019" ||
		e.custom(zoe, "dateOfBirth") != "01/12/1985" || e.custom(zoe, "department") != "" {
		t.Errorf("Zoë in TalentLMS: %+v (custom %v)", zoe, zoe.Custom)
	}
	if ed := e.lmsUser(t, "Ed"); ed.Status != talentlms.Inactive {
		t.Errorf("Ed's TalentLMS status %q, want inactive", ed.Status)
	}
	if bo := e.lmsUser(t, "Bo"); bo.Email != thrEmail("Bo") || e.custom(bo, "jobTitle") != "Software Engineer" {
		t.Errorf("Bo: %+v", bo)
	}
	if _, ok := e.lms.UserByEmail(thrEmail("Kostas")); ok {
		t.Error("a terminated employee without a user was created")
	}
	if u, _ := e.lms.User(e.co.user["lena"]); u.LastName != "Park" || u.Status != talentlms.Active {
		t.Errorf("a TalentLMS-only user was touched: %+v", u)
	}

	// Rerun: the same reads, warm (no filters, no definitions, no quota or
	// date format again), and no write on either side.
	if rep := e.sync(t); rep.Writes() != 0 {
		t.Errorf("rerun: %s\n%s", rep.Summary(), rowsText(rep))
	}
	hr, lms = e.calls()
	if d := cmp.Diff(map[string]int{"GET /directory": 1, "GET /employees/{id}": 6}, counted(hr)); d != "" {
		t.Errorf("rerun TalentHR calls (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"GET getcustomregistrationfields": 1, "GET users/page_size,page_number": 1}, counted(lms)); d != "" {
		t.Errorf("rerun TalentLMS calls (-want +got):\n%s", d)
	}
}

// LMS to HR, first sync: the active TalentLMS users TalentHR lacks are
// hired (one hire, then one PUT for what the hire does not take), those
// it has by email are updated only where something differs (Ed's
// languages: his learner's language is added), the inactive user is not
// hired, and nobody is terminated. The rerun writes nothing.
func TestTHRFirstSyncLMSToHR(t *testing.T) {
	e := newTHREnv(t, jobs.LMSToHR)
	rep := e.sync(t)
	want := map[string]syncengine.Result{"Ana Lima": syncengine.ResultUnchanged, "Bo Chen": syncengine.ResultUnchanged,
		"Ed Silva": syncengine.ResultUpdated, "Lena Park": syncengine.ResultCreated, "Omar Haddad": syncengine.ResultCreated,
		"Ivy Quinn": syncengine.ResultSkipped}
	got := map[string]syncengine.Result{}
	for _, o := range rep.Outcomes {
		got[o.Name] = o.Result
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("first sync (-want +got):\n%s\n%s", d, rowsText(rep))
	}
	hr, lms := e.calls()
	// TalentHR as the target: filters, the custom field definitions (2),
	// one directory page, a read per employee (the fields the preset
	// writes include detail ones: birth_date, ssn, city, country,
	// hr_languages), the language list to read hr_languages, and for the
	// writes the employment statuses, job titles and language lists once;
	// two hires with a PUT each after them (city, ssn, languages...) and
	// Ed's PUT.
	wantHR := map[string]int{"GET /directory/filters": 1, "GET /directory": 2, "GET /employees/{id}/custom-fields": 1,
		"GET /employees/{id}": 6, "GET /languages": 2, "GET /employment-statuses": 1, "GET /job-titles": 1,
		"POST /employees/hire": 2, "PUT /employees/{id}": 3}
	wantLMS := map[string]int{"GET ratelimit": 1, "GET siteinfo": 1, "GET getcustomregistrationfields": 1, "GET users/page_size,page_number": 1}
	if d := cmp.Diff(wantHR, counted(hr)); d != "" {
		t.Errorf("TalentHR calls (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantLMS, counted(lms)); d != "" {
		t.Errorf("TalentLMS calls (-want +got):\n%s", d)
	}
	lena := e.employee(t, "Lena")
	if lena.HireDate != "2023-09-04" || lena.JobTitleID != e.co.title["Designer"] || lena.DepartmentID != "" ||
		lena.Profile["city"] != "Berlin" || lena.Profile["birth_date"] != "1995-04-23" || lena.Profile["ssn"] != "321-54-9876" ||
		!lena.IsExisting || !lena.PreventEmail {
		t.Errorf("Lena hired as %+v", lena)
	}
	// Omar has no hireDate: hired on the day TalentLMS created him.
	if omar := e.employee(t, "Omar"); omar.HireDate != "2025-11-03" {
		t.Errorf("Omar's hire date %q, want his TalentLMS creation date", omar.HireDate)
	}
	if _, ok := e.hr.EmployeeByEmail(thrEmail("Ivy")); ok {
		t.Error("an inactive TalentLMS user was hired")
	}
	if ed := e.employee(t, "Ed"); ed.TerminationDate != "2025-01-15" {
		t.Errorf("Ed's termination changed: %+v", ed)
	}

	rep = e.sync(t)
	if rep.Writes() != 0 {
		t.Errorf("rerun: %s\n%s", rep.Summary(), rowsText(rep))
	}
	if o := outcome(t, rep, syncengine.Users, "Ed Silva"); o.Result != syncengine.ResultSkipped ||
		!strings.Contains(o.Detail, "TalentHR has no rehire call") {
		t.Errorf("Ed (terminated in TalentHR, active in TalentLMS): %+v", o)
	}
	hr, lms = e.calls()
	if w := writes(hr); len(w) != 0 {
		t.Errorf("rerun wrote to TalentHR: %v", w)
	}
	if d := cmp.Diff(map[string]int{"GET /directory": 1, "GET /employees/{id}": 8}, counted(hr)); d != "" {
		t.Errorf("rerun TalentHR calls (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"GET getcustomregistrationfields": 1, "GET users/page_size,page_number": 1}, counted(lms)); d != "" {
		t.Errorf("rerun TalentLMS calls (-want +got):\n%s", d)
	}
}

// Two-way, first sync: TalentLMS gets TalentHR's people as in HR to LMS,
// and TalentHR only hires the TalentLMS users it lacks. The hire date
// TalentHR got from a learner's creation date flows back to TalentLMS in
// the next run (the engine plans a create and the reverse flow of the new
// pair in separate runs); the third run writes nothing.
func TestTHRFirstSyncTwoWay(t *testing.T) {
	e := newTHREnv(t, jobs.TwoWay)
	rep := e.sync(t)
	want := map[string]syncengine.Result{"Ana Lima": syncengine.ResultUpdated, "Bo Chen": syncengine.ResultUpdated,
		"Zoë Ñúñez-O'Brien": syncengine.ResultCreated, "Nia Okafor": syncengine.ResultCreated,
		"Ed Silva": syncengine.ResultDeactivated, "Kostas Alexiou": syncengine.ResultSkipped,
		"Lena Park": syncengine.ResultCreated, "Omar Haddad": syncengine.ResultCreated, "Ivy Quinn": syncengine.ResultSkipped}
	got := map[string]syncengine.Result{}
	for _, o := range rep.Outcomes {
		got[o.Name] = o.Result
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("first sync (-want +got):\n%s\n%s", d, rowsText(rep))
	}
	hr, lms := e.calls()
	if d := cmp.Diff([]string{"POST /employees/hire", "POST /employees/hire", "PUT /employees/{id}", "PUT /employees/{id}"}, writes(hr)); d != "" {
		t.Errorf("TalentHR writes (-want +got):\n%s", d)
	}
	wantLMS := []string{"GET usersetstatus/user_id,status", "POST edituser", "POST edituser", "POST edituser", "POST usersignup", "POST usersignup"}
	if d := cmp.Diff(wantLMS, writes(lms)); d != "" {
		t.Errorf("TalentLMS writes (-want +got):\n%s", d)
	}
	if ana := e.employee(t, "Ana"); ana.LastName != "Lima" || ana.Profile["city"] != "New York" {
		t.Errorf("TalentHR's Ana changed: %+v", ana)
	}
	rep = e.sync(t)
	if o := outcome(t, rep, syncengine.Users, "Omar Haddad"); rep.Writes() != 1 || o.Result != syncengine.ResultUpdated ||
		!cmp.Equal(o.Fields, []string{"custom_fields.hireDate"}) {
		t.Errorf("second run: %s\n%s", rep.Summary(), rowsText(rep))
	}
	if omar := e.lmsUser(t, "Omar"); e.custom(omar, "hireDate") != "03/11/2025" {
		t.Errorf("Omar's hireDate in TalentLMS %q", e.custom(omar, "hireDate"))
	}
	e.resetLogs()
	if rep = e.sync(t); rep.Writes() != 0 {
		t.Errorf("third run: %s\n%s", rep.Summary(), rowsText(rep))
	}
	hr, lms = e.calls()
	if w := append(writes(hr), writes(lms)...); len(w) != 0 {
		t.Errorf("third run wrote %v", w)
	}
}

// A two-way job makes the caller's LMSToHRMap create-only with the map's
// own registry: a transform of the caller's (here "shout") still compiles,
// where recompiling the map against the default registry refused it.
func TestTHRTwoWayKeepsTheMapsRegistry(t *testing.T) {
	reg := mapping.DefaultRegistry()
	if err := reg.Register("shout", func(mapping.Args) (mapping.Transform, error) {
		return mapping.Func(func(v any) (any, error) { s, _ := v.(string); return strings.ToUpper(s), nil }), nil
	}); err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Compile(mapping.Spec{Name: "mine", Rules: []mapping.Rule{
		{Target: "email", Source: "email", Required: true},
		{Target: "first_name", Source: "first_name", Transforms: []mapping.Step{mapping.T("shout")}},
	}}, mapping.WithRegistry(reg))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jobs.TalentHRTalentLMS(talenthrtest.NewServer(t).NewClient(t), talentlmstest.NewServer(t).NewClient(t),
		jobs.TalentHRTalentLMSOptions{Direction: jobs.TwoWay, LMSToHRMap: m})
	if err != nil {
		t.Fatalf("TalentHRTalentLMS: %v", err)
	}
	got, ok := cfg.Collections[0].BToA.Map.(*mapping.Map)
	if !ok || !got.CreateOnly("first_name") || m.CreateOnly("first_name") {
		t.Fatalf("BToA map %v: want a create-only copy of the caller's map, the caller's left as it was", cfg.Collections[0].BToA.Map)
	}
	if out, err := got.Apply(map[string]any{"email": "a@b.co", "first_name": "ana"}); err != nil || out["first_name"] != "ANA" {
		t.Errorf("Apply = %v, %v", out, err)
	}
}

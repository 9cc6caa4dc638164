package talenthr_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func preset(t *testing.T, name string) *mapping.Map {
	t.Helper()
	m, err := mapping.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func byEmail(recs []syncengine.Record) map[string]syncengine.Record {
	out := map[string]syncengine.Record{}
	for _, r := range recs {
		s, _ := r.Fields["email"].(string)
		out[strings.ToLower(s)] = r
	}
	return out
}

// TestConnectorPresetHRToLMS: the talenthr-talentlms preset's source
// fields are the connector's (the engine's ReadFields accepts them), a
// full sync creates a learner per active employee with the named custom
// fields, and a SyncChanges from the stored cursor carries a name change
// with one directory poll and one employee read.
func TestConnectorPresetHRToLMS(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	lms := syncenginetest.NewConnector("talentlms", syncenginetest.WithFindFold("email"))
	eng, err := syncengine.New(syncengine.Config{
		A: k, B: lms, Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB, Now: srv.Now,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Map: preset(t, mapping.PresetTalentHRTalentLMS), Create: true, Update: true, Deactivate: true,
			Match: []syncengine.MatchKey{{Field: "email", Fold: true}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Log().Reset()
	rep, err := eng.Sync(ctx)
	if err != nil || rep.Failed() {
		t.Fatalf("Sync: %v %+v", err, rep)
	}
	// The listing reads the directory once (the change cursor comes from
	// it: ListCursorer); the preset's detail fields (birth_date, ssn, city,
	// country) cost one read per employee; the employment states are
	// read once and kept in the engine's Cache.
	calls := requests(srv)
	wantCalls := []string{"GET /directory/filters", "GET /directory?limit=100&offset=0"}
	var reads int
	for _, c := range calls {
		if strings.HasPrefix(c, "GET /employees/") {
			reads++
		}
	}
	if diff := cmp.Diff(wantCalls, slices.DeleteFunc(calls, func(c string) bool { return strings.HasPrefix(c, "GET /employees/") })); diff != "" || reads != len(ids) {
		t.Errorf("full sync: %d employee reads (want %d), other requests (-want +got):\n%s", reads, len(ids), diff)
	}
	learners := byEmail(lms.Records(syncengine.Users))
	if len(learners) != len(ids)-1 {
		t.Errorf("%d learners, want every employee but the terminated one", len(learners))
	}
	got := learners["mioannou@acme.test"].Fields
	want := map[string]any{"email": "mioannou@acme.test", "login": "mioannou@acme.test", "first_name": "Maria",
		"last_name": "Ioannou", "custom_fields": map[string]any{"hireDate": day(2021, 3, 1), "city": "Athens",
			"country": "Greece", "jobTitle": "Software Engineer", "department": "Engineering", "location": "Athens",
			"division": "Europe", "dateOfBirth": nil}} // no birth date in TalentHR; ssn it never returns, so none is written (skip_missing)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("engineer's learner (-want +got):\n%s", diff)
	}
	if n := srv.Log().Count(talenthrtest.IsWrite); n != 0 {
		t.Errorf("%d writes to TalentHR as a source", n)
	}

	srv.Edit(ids["engineer"], func(e *talenthrtest.Employee) { e.LastName = "Ioannou-Smith" })
	srv.Log().Reset()
	if rep, err = eng.SyncChanges(ctx); err != nil || rep.Failed() {
		t.Fatalf("SyncChanges: %v %+v", err, rep)
	}
	if got := byEmail(lms.Records(syncengine.Users))["mioannou@acme.test"].Fields["last_name"]; got != "Ioannou-Smith" {
		t.Errorf("learner's last name %v after SyncChanges", got)
	}
	wantCalls = []string{"GET /directory?limit=100&offset=0", "GET /employees/" + ids["engineer"]}
	if diff := cmp.Diff(wantCalls, requests(srv)); diff != "" {
		t.Errorf("SyncChanges requests to TalentHR (-want +got):\n%s", diff)
	}
}

// TestConnectorPresetLMSToHR: the talentlms-talenthr preset hires the
// active learners (the hire date from hireDate, else the creation date;
// none at all fails that learner alone, naming hire_date), updates what
// TalentHR's update takes, leaves the placement as the hire set it (the
// preset marks it create-only: TalentHR refuses to change it), and never
// deactivates: no termination request reaches TalentHR, even where one
// would answer.
func TestConnectorPresetLMSToHR(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time", CreateMissingLookups: true})
	srv.EnableUnverifiedTerminate()
	lms := syncenginetest.NewConnector("talentlms", syncenginetest.WithFindFold("email"))
	put := func(id, email string, active bool, custom map[string]any, created any) {
		f := map[string]any{"email": email, "first_name": "F" + id, "last_name": "L" + id, "custom_fields": custom}
		if created != nil {
			f["created_on"] = created
		}
		lms.Put(syncengine.Users, syncengine.Record{ID: id, Active: active, Fields: f})
	}
	put("u1", "Ada@Acme.test", true, map[string]any{"hireDate": "2026-04-01", "jobTitle": "Analyst", "city": "London"}, "21/08/2020, 07:05:00")
	put("u2", "bo@acme.test", true, map[string]any{}, "21/08/2020, 07:05:00")
	put("u3", "cy@acme.test", true, map[string]any{}, nil)
	put("u4", "di@acme.test", false, map[string]any{"hireDate": "2026-04-01"}, nil)
	eng, err := syncengine.New(syncengine.Config{
		A: lms, B: k, Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB, Now: srv.Now,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Map: preset(t, mapping.PresetTalentLMSTalentHR), Create: true, Update: true, Deactivate: true,
			Match: []syncengine.MatchKey{{Field: "email", Fold: true}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eng.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[syncengine.ResultCreated] != 2 {
		t.Errorf("report %v, want 2 hires", rep.Counts)
	}
	for _, o := range rep.Outcomes {
		if o.AID == "u3" && (o.Status != syncengine.StatusSkipped || !strings.Contains(o.Detail, "hire_date")) {
			t.Errorf("u3 (no hire date at all): %+v, want a skip naming hire_date", o)
		}
	}
	ada, ok := srv.EmployeeByEmail("ada@acme.test")
	if !ok || ada.HireDate != "2026-04-01" || ada.Profile["city"] != "London" || ada.JobTitleID != srv.LookupID(talenthr.JobTitles, "Analyst") {
		t.Errorf("Ada hired as %+v", ada)
	}
	if bo, ok := srv.EmployeeByEmail("bo@acme.test"); !ok || bo.HireDate != "2020-08-21" {
		t.Errorf("Bo hired as %+v, want the creation date as hire date", bo)
	}
	if len(srv.Invitations()) != 0 {
		t.Errorf("invitations %v", srv.Invitations())
	}

	// A second run: the city flows; a new job title is not even compared
	// (create-only), so nothing is sent for it; u1 leaving the LMS is no
	// termination in TalentHR.
	put("u1", "Ada@Acme.test", true, map[string]any{"hireDate": "2026-04-01", "jobTitle": "Analyst", "city": "Paris"}, "21/08/2020, 07:05:00")
	put("u2", "bo@acme.test", true, map[string]any{"jobTitle": "Astronaut"}, "21/08/2020, 07:05:00")
	rep, err = eng.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ada, _ = srv.EmployeeByEmail("ada@acme.test"); ada.Profile["city"] != "Paris" {
		t.Errorf("Ada's city %v, want Paris", ada.Profile["city"])
	}
	for _, o := range rep.Outcomes {
		if o.AID == "u2" && o.Result != syncengine.ResultUnchanged {
			t.Errorf("u2's job title change: %+v, want unchanged (the job title is set by the hire only)", o)
		}
	}
	put("u1", "Ada@Acme.test", false, map[string]any{"hireDate": "2026-04-01", "jobTitle": "Analyst", "city": "Paris"}, "21/08/2020, 07:05:00")
	if _, err = eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	terminate := func(e talenthrtest.Entry) bool { return strings.HasSuffix(e.Path, "/terminate") }
	if n := srv.Log().Count(terminate); n != 0 {
		t.Errorf("%d termination requests", n)
	}
	if ada, _ = srv.EmployeeByEmail("ada@acme.test"); ada.TerminationDate != "" {
		t.Errorf("Ada terminated: %+v", ada)
	}
}

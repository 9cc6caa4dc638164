package talentlms_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func preset(t *testing.T, name string) *mapping.Map {
	t.Helper()
	m, err := mapping.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func engine(t *testing.T, a, b syncengine.Connector, m *mapping.Map) *syncengine.Engine {
	t.Helper()
	e, err := syncengine.New(syncengine.Config{A: a, B: b, Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Map: m, Create: true, Update: true, Deactivate: true,
			Match: []syncengine.MatchKey{{Field: "email", Fold: true}},
		}}},
		Now: func() time.Time { return seedClock },
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// HR to LMS with the talenthr-talentlms preset: the field names the preset
// writes are the connector's, a first run creates and updates with one
// call each, and a second run writes nothing to TalentLMS.
func TestConnectorWithPresetHRToLMS(t *testing.T) {
	srv := talentlmstest.NewServer(t)
	srv.SetClock(func() time.Time { return seedClock })
	co := srv.SeedCompany()
	lms := talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{})
	hr := syncenginetest.NewConnector("talenthr", syncenginetest.WithFindFold("email"))
	hr.Put(syncengine.Users, syncengine.Record{ID: "11", Active: true, Fields: map[string]any{
		"email": "Ana.Lima@northwind.example", "first_name": "Ana", "last_name": "Lima",
		"job_title": "Sales Director", "department": "Sales", "hire_date": "2021-03-01"}})
	hr.Put(syncengine.Users, syncengine.Record{ID: "12", Active: true, Fields: map[string]any{
		"email": "nina.kovac@northwind.example", "first_name": "Nina", "last_name": "Kovač",
		"job_title": "Designer", "department": "People", "hire_date": "2024-05-06",
		"city": "Porto"}}) // the portal has no "city" custom field
	e := engine(t, hr, lms, preset(t, "talenthr-talentlms"))
	srv.Log().Reset()
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var writes []string
	for _, p := range paths(srv) {
		if strings.HasPrefix(p, "POST") || strings.Contains(p, "setstatus") {
			writes = append(writes, p)
		}
	}
	slices.Sort(writes) // the engine writes concurrently
	if d := cmp.Diff([]string{"POST edituser", "POST usersignup"}, writes); d != "" {
		t.Errorf("writes (-want +got):\n%s", d)
	}
	if got := forms(t, srv, "edituser")[0]; got.Get("custom_field_1") != "Sales Director" || len(got) != 2 {
		t.Errorf("edituser sent %v, want the job title only", got)
	}
	nina, ok := srv.UserByEmail("nina.kovac@northwind.example")
	if !ok {
		t.Fatal("nina was not created")
	}
	wantCustom := map[string]string{co.Fields["jobTitle"]: "Designer", co.Fields["department"]: "People", co.Fields["hireDate"]: "06/05/2024"}
	for key, v := range wantCustom {
		if got, _ := nina.CustomValue(key); got != v {
			t.Errorf("nina %s = %q, want %q", key, got, v)
		}
	}
	if nina.Login != "nina.kovac@northwind.example" || !nina.RestrictEmail {
		t.Errorf("nina login %q, restrict_email %v", nina.Login, nina.RestrictEmail)
	}

	srv.Log().Reset()
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := srv.Log().Count(talentlmstest.IsMutation); n != 0 {
		t.Errorf("second run made %d TalentLMS writes: %v", n, paths(srv))
	}
}

// LMS to HR with the talentlms-talenthr preset: the preset reads the
// connector's field names; the hire date falls back to created_on.
func TestConnectorWithPresetLMSToHR(t *testing.T) {
	srv := talentlmstest.NewServer(t)
	srv.SetClock(func() time.Time { return seedClock })
	co := srv.SeedCompany()
	lms := talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{Branch: "Engineering"})
	hr := syncenginetest.NewConnector("talenthr", syncenginetest.WithFindFold("email"))
	e := engine(t, lms, hr, preset(t, "talentlms-talenthr"))
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for _, r := range hr.Records(syncengine.Users) {
		got[r.Fields["email"].(string)] = r.Fields
	}
	if len(got) != 3 {
		t.Errorf("%d employees created, want the Engineering branch's 3", len(got))
	}
	zoe := got["zoe.nunez@northwind.example"]
	want := map[string]any{"email": "zoe.nunez@northwind.example", "first_name": "Zoë", "last_name": "Ñúñez-O'Brien",
		"hire_date": "2019-01-07", "job_title": "Engineering Manager", "department": "Engineering"}
	for f, v := range want {
		if d := cmp.Diff(v, zoe[f]); d != "" {
			t.Errorf("zoe %s (-want +got):\n%s", f, d)
		}
	}
	// A user without a hire date is hired on the day the LMS created them.
	if err := lms.Update(ctx, syncengine.Users, co.Users["bo.chen"], map[string]any{"custom_fields.hireDate": nil}); err != nil {
		t.Fatal(err)
	}
	hr2 := syncenginetest.NewConnector("talenthr", syncenginetest.WithFindFold("email"))
	if _, err := engine(t, lms, hr2, preset(t, "talentlms-talenthr")).Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range hr2.Records(syncengine.Users) {
		if r.Fields["email"] == "bo.chen@northwind.example" && r.Fields["hire_date"] != "2026-03-02" {
			t.Errorf("bo's hire date %v, want created_on's day", r.Fields["hire_date"])
		}
	}
}

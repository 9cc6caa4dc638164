package jobs_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// subDepartmentMap is the seed's custom map, as a user writes it: the
// preset's JSON with the primary team taken from the sub-department
// custom field instead of the department.
func subDepartmentMap(t *testing.T) *mapping.Map {
	t.Helper()
	b, err := mapping.PresetJSON(mapping.PresetHiBobLearnAmp)
	if err != nil {
		t.Fatal(err)
	}
	const teamsRule = `{"target": "teams", "source": "work.department.id",`
	if !strings.Contains(string(b), teamsRule) {
		t.Fatalf("the preset has no %s", teamsRule)
	}
	custom := strings.Replace(string(b), teamsRule, `{"target": "teams", "source": "`+hibobtest.SubDepartmentField+`",`, 1)
	custom = strings.Replace(custom, `"name": "hibob-learnamp"`, `"name": "hibob-learnamp-subdepartments"`, 1)
	m, err := mapping.Load([]byte(custom))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A custom map (mapping JSON) takes the primary team from the
// sub-department field: one flat team per value active people hold,
// matched by that value as integrationExternalId, and no team of the
// departments. Teams and users still cost one search together.
func TestHiBobLearnAmpSubDepartmentMap(t *testing.T) {
	e := newBobEnv(t, func(s *bobSetup) { s.Map = subDepartmentMap(t) })
	e.hr.SetField(e.ids["sales_rep"], hibobtest.SubDepartmentField, "Enterprise")
	e.calls()
	rep := e.sync(t)
	if rep.Failed() {
		t.Fatalf("sync: %s", rep.Summary())
	}
	if diff := cmp.Diff(map[string][]string{"Enterprise": {"Enterprise"}, "Platform": {"Platform"}}, teamState(e.lms)); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
	teams := map[string]string{}
	for _, tm := range e.lms.Teams() {
		teams[tm.ID] = tm.Name
	}
	for role, want := range map[string]string{"engineer": "Platform", "sales_rep": "Enterprise", "ceo": "", "eng_manager": ""} {
		if got := teams[e.user(t, role).PrimaryTeamID]; got != want {
			t.Errorf("%s: primary team %q, want %q", role, got, want)
		}
	}
	if c, want := e.calls(), (bobCalls{Search: 1, HRFields: 1, LMSReads: 2, LMSWrites: 2 + 5, Tokens: 1}); c != want {
		t.Errorf("calls %+v, want %+v: one search for teams and users, no department list", c, want)
	}
	// A new sub-department value, by webhook: its team is made and set.
	e.hr.SetField(e.ids["ceo"], hibobtest.SubDepartmentField, "Board")
	url := e.receiver(t)
	if _, err := e.hr.SendWebhook(context.Background(), url, bobWebhookSecret, hibob.WebhookPayload{
		Type: hibob.EventEmployeeUpdated, EmployeeID: e.ids["ceo"], ChangedFields: []string{hibobtest.SubDepartmentField}}); err != nil {
		t.Fatal(err)
	}
	if err := e.q.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if board := e.team(t, "Board"); e.user(t, "ceo").PrimaryTeamID != board.ID || board.Name != "Board" {
		t.Errorf("ceo's team after the event: %s, want Board (%s)", e.user(t, "ceo").PrimaryTeamID, board.ID)
	}
	if p := e.plan(t); p.HasChanges() {
		t.Errorf("plan after the event has changes:\n%s", p)
	}
}

// The presets are written against the hibob connector's records: every
// field the users map reads, and the match keys' fields it writes, are
// keys of the records the connector makes for the job, with the values
// the map expects; Compose(hibob-person, person-learnamp) maps them the
// same as hibob-learnamp.
func TestHiBobPresetsReadTheConnectorsRecords(t *testing.T) {
	e := newBobEnv(t)
	cfg, err := hibobRecordsOf(t, e)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := mapping.Preset(mapping.PresetHiBobLearnAmp)
	if err != nil {
		t.Fatal(err)
	}
	hr, _ := mapping.Preset(mapping.PresetHiBobPerson)
	lms, _ := mapping.Preset(mapping.PresetPersonLearnAmp)
	composed, err := mapping.Compose(hr, lms)
	if err != nil {
		t.Fatal(err)
	}
	engineer := cfg[e.ids["engineer"]]
	for _, f := range seed.SourceFields() {
		if _, ok := engineer.Fields[f]; !ok {
			t.Errorf("hibob-learnamp reads %q, which the connector's record lacks (keys: %v)", f, keys(engineer.Fields))
		}
	}
	for id, rec := range cfg {
		want, werr := seed.Apply(rec.Fields)
		got, gerr := composed.Apply(rec.Fields)
		if diff := cmp.Diff(want, got); diff != "" || (werr == nil) != (gerr == nil) {
			t.Errorf("employee %s: composed differs from the seed (-seed +composed):\n%s\n%v\n%v", id, diff, werr, gerr)
		}
	}
	got, err := seed.Apply(engineer.Fields)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"integrationExternalId": e.ids["engineer"], "firstName": "Alan", "lastName": "Turing", "email": "alan.turing@example.com",
		"jobTitle": "Software Engineer", "location": "London", "department": "Platform", "hireDate": "2021-05-10",
		"teams":   mapping.Reference{Collection: "teams", Key: e.dept(t, "Platform")},
		"manager": mapping.Reference{Collection: "users", Key: e.ids["eng_manager"]},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the engineer mapped (-want +got):\n%s", diff)
	}
}

// hibobRecordsOf lists the users a HiBob connector reads when told, as
// the job's engine tells it, the fields the preset reads.
func hibobRecordsOf(t *testing.T, e *bobEnv) (map[string]syncengine.Record, error) {
	t.Helper()
	seed, err := mapping.Preset(mapping.PresetHiBobLearnAmp)
	if err != nil {
		return nil, err
	}
	k := hibob.NewConnector(e.hr.NewClient(t), hibob.ConnectorOptions{Now: e.clock.Now})
	if err := k.ReadFields(syncengine.Users, seed.SourceFields()); err != nil {
		return nil, err
	}
	out := map[string]syncengine.Record{}
	for r, err := range k.List(context.Background(), syncengine.Users) {
		if err != nil {
			return nil, err
		}
		out[r.ID] = r
	}
	return out, nil
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package learnamp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

func listAll(t *testing.T, k syncengine.Connector, c syncengine.Collection) []syncengine.Record {
	t.Helper()
	var out []syncengine.Record
	for r, err := range k.List(context.Background(), c) {
		if err != nil {
			t.Fatalf("List(%s): %v", c, err)
		}
		out = append(out, r)
	}
	return out
}

func userRef(id string) []syncengine.Ref {
	return []syncengine.Ref{{Collection: syncengine.Users, ID: id}}
}

func teamRef(ids ...string) []syncengine.Ref {
	out := make([]syncengine.Ref, len(ids))
	for i, id := range ids {
		out[i] = syncengine.Ref{Collection: syncengine.Teams, ID: id}
	}
	return out
}

// seedUserRecord is the record of one SeedCompany person, as the
// connector must yield it: every field by Learn Amp's name.
func seedUserRecord(id, ext, first, last, title, status string, active bool) syncengine.Record {
	return syncengine.Record{ID: id, Active: active, Fields: map[string]any{
		"email": strings.ToLower(first+"."+last) + "@acme.test", "firstName": first, "lastName": last,
		"integrationExternalId": ext, "jobTitle": title, "location": "", "department": "", "hireDate": nil,
		"language": "en", "role": "viewer", "occupationRole": "", "timeZone": "London", "status": status,
	}}
}

// Every user of the seeded company, field by field: Active is false only
// for the deactivated leaver; "manager" is the override manager; "teams"
// the primary team (the leaver has none: deactivation took it).
func TestConnectorUserRecords(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	u, tm := co.Users, co.Teams
	withRefs := func(r syncengine.Record, manager string, team string) syncengine.Record {
		r.Refs = map[string][]syncengine.Ref{}
		if manager != "" {
			r.Refs["manager"] = userRef(manager)
		}
		if team != "" {
			r.Refs["teams"] = teamRef(team)
		}
		if len(r.Refs) == 0 {
			r.Refs = nil
		}
		return r
	}
	want := []syncengine.Record{
		withRefs(seedUserRecord(u["HR-1"], "HR-1", "Grace", "Hopper", "CTO", "confirmed", true), "", tm["dept-1"]),
		withRefs(seedUserRecord(u["HR-2"], "HR-2", "Ada", "Lovelace", "Engineer", "confirmed", true), u["HR-1"], tm["dept-4"]),
		withRefs(seedUserRecord(u["HR-3"], "HR-3", "Alan", "Turing", "Engineer", "invite_pending", true), u["HR-1"], tm["dept-4"]),
		withRefs(seedUserRecord(u["HR-4"], "HR-4", "Mary", "Jackson", "Head of Sales", "confirmed", true), "", tm["dept-2"]),
		withRefs(seedUserRecord(u["HR-5"], "HR-5", "Katherine", "Johnson", "Account Executive", "confirmed", true), u["HR-4"], tm["dept-2"]),
		withRefs(seedUserRecord(u["HR-6"], "HR-6", "Dorothy", "Vaughan", "Operations Lead", "deactivated", false), "", ""),
	}
	if d := cmp.Diff(want, listAll(t, k, syncengine.Users)); d != "" {
		t.Errorf("List(users) (-want +got):\n%s", d)
	}
	got, err := k.Get(context.Background(), syncengine.Users, u["HR-2"])
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[1], got); d != "" {
		t.Errorf("Get(users) (-want +got):\n%s", d)
	}
	if l := k.Describe(syncengine.Users, got); l.Name != "Ada Lovelace" {
		t.Errorf("Describe = %q", l.Name)
	}
}

// The fields Learn Amp writes in forms of its own: a hire date becomes a
// time.Time at midnight UTC, and a status text it documents no status
// for stays as it came, and is active.
func TestConnectorUserValues(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	id := srv.AddUser(learnamptest.User{Email: "ext@acme.test", FirstName: "Ext", LastName: "Erne",
		HireDate: learnamp.Date{Year: 2021, Month: 1, Day: 15}, Location: "London, UK", Department: "R&D"})
	rec, err := k.Get(context.Background(), syncengine.Users, id)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"hireDate": learnamp.Date{Year: 2021, Month: 1, Day: 15}.Time(time.UTC), "location": "London, UK", "department": "R&D"},
		pick(rec.Fields, "hireDate", "location", "department")); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	// Learn Amp's examples show "External Contributor", which is no status of its filter.
	srv.AddFault(learnamptest.Fault{Method: http.MethodGet, Path: "/proxy/learnamp/v1/users/" + id, Times: 1, Status: http.StatusOK,
		Body: `{"id": ` + id + `, "email": "ext@acme.test", "firstName": "Ext", "lastName": "Erne", "status": {"status": "External Contributor", "time": ""},
		"customFields": [{"name": "Division", "value": "Europe"}, {"name": "Badge", "value": 42}, {"name": "Empty", "value": null}]}`})
	rec, err = k.Get(context.Background(), syncengine.Users, id)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Active || rec.Fields["status"] != "External Contributor" {
		t.Errorf("External Contributor: active %v, status %v", rec.Active, rec.Fields["status"])
	}
	if d := cmp.Diff(map[string]any{"Division": "Europe", "Badge": "42", "Empty": nil}, rec.Fields["customFields"]); d != "" {
		t.Errorf("custom fields (-want +got):\n%s", d)
	}
}

func pick(fields map[string]any, names ...string) map[string]any {
	out := map[string]any{}
	for _, n := range names {
		out[n] = fields[n]
	}
	return out
}

// With SecondaryTeams the "teams" reference lists every team, the primary
// one first; without, secondary teams do not show.
func TestConnectorSecondaryTeamRefs(t *testing.T) {
	for _, secondary := range []bool{false, true} {
		k, srv := newConnector(t, learnamp.ConnectorOptions{SecondaryTeams: secondary})
		co := srv.SeedCompany()
		srv.AddTeamUser(co.Teams["dept-2"], co.Users["HR-2"], false)
		srv.AddTeamUser(co.Teams["dept-3"], co.Users["HR-2"], false)
		rec, err := k.Get(context.Background(), syncengine.Users, co.Users["HR-2"])
		if err != nil {
			t.Fatal(err)
		}
		want := teamRef(co.Teams["dept-4"])
		if secondary {
			want = teamRef(co.Teams["dept-4"], co.Teams["dept-2"], co.Teams["dept-3"])
		}
		if d := cmp.Diff(want, rec.Refs["teams"]); d != "" {
			t.Errorf("SecondaryTeams %v: teams (-want +got):\n%s", secondary, d)
		}
	}
}

// Teams: name and integrationExternalId, the parent as a reference, never
// the members.
func TestConnectorTeamRecords(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	tm := srv.SeedCompany().Teams
	team := func(ext, name string) syncengine.Record {
		return syncengine.Record{ID: tm[ext], Active: true, Fields: map[string]any{"name": name, "integrationExternalId": ext}}
	}
	want := []syncengine.Record{team("dept-1", "Engineering"), team("dept-2", "Sales"), team("dept-3", "Operations"), team("dept-4", "Platform")}
	want[3].Refs = map[string][]syncengine.Ref{"parent": teamRef(tm["dept-1"])}
	if d := cmp.Diff(want, listAll(t, k, syncengine.Teams)); d != "" {
		t.Errorf("List(teams) (-want +got):\n%s", d)
	}
	got, err := k.Get(context.Background(), syncengine.Teams, tm["dept-4"])
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[3], got); d != "" {
		t.Errorf("Get(teams) (-want +got):\n%s", d)
	}
	if l := k.Describe(syncengine.Teams, got); l.Name != "Platform" {
		t.Errorf("Describe = %q", l.Name)
	}
}

// ReadFields: records carry the fields asked for and those writes and
// lookups need; a field Learn Amp has not is refused, naming it, and a
// Learn Amp body field that is a reference says which.
func TestConnectorReadFields(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	if err := k.ReadFields(syncengine.Users, []string{"jobTitle", "manager", "teams", "customFields.Division"}); err != nil {
		t.Fatal(err)
	}
	rec, err := k.Get(context.Background(), syncengine.Users, co.Users["HR-2"])
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"email": "ada.lovelace@acme.test", "firstName": "Ada", "lastName": "Lovelace",
		"integrationExternalId": "HR-2", "jobTitle": "Engineer"}
	if d := cmp.Diff(want, rec.Fields); d != "" {
		t.Errorf("fields after ReadFields (-want +got):\n%s", d)
	}
	if rec.Refs["manager"] == nil || rec.Refs["teams"] == nil {
		t.Errorf("refs dropped: %v", rec.Refs)
	}
	for _, tc := range []struct {
		c     syncengine.Collection
		field string
		says  string
	}{
		{syncengine.Users, "displayName", `"displayName" is not a field`},
		{syncengine.Users, "primaryTeamId", `it is the "teams" reference`},
		{syncengine.Users, "managerId", `it is the "manager" reference`},
		{syncengine.Users, "jobTitle.x", `"jobTitle.x" is not a field`},
		{syncengine.Teams, "description", `"description" is not a field`},
		{syncengine.Teams, "parentTeamId", `it is the "parent" reference`},
	} {
		err := k.ReadFields(tc.c, []string{"integrationExternalId", tc.field})
		if !errors.Is(err, syncengine.ErrUnknownField) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("ReadFields(%s, %q) = %v; want ErrUnknownField saying %s", tc.c, tc.field, err, tc.says)
		}
	}
}

package hibob_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
)

// stepClock is a clock tests move on.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// A text TeamField (a sub-department) makes one team per value active
// employees hold; the List of users after it takes the same search, so
// teams and users cost one search together; Get of such a team makes no
// call; each user's "teams" ref names the value.
func TestValueTeams(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	srv.SetField(ids["sales_rep"], hibobtest.SubDepartmentField, " Enterprise ")
	srv.SetField(ids["leaver"], hibobtest.SubDepartmentField, "Retired squad") // a leaver's value makes no team
	k := newConnector(t, srv, hibob.ConnectorOptions{TeamField: hibobtest.SubDepartmentField})
	srv.Log().Reset()

	teams := listAll(t, k, syncengine.Teams)
	want := map[string]syncengine.Record{
		"Enterprise": {ID: "Enterprise", Active: true, Fields: map[string]any{"id": "Enterprise", "name": "Enterprise"},
			Refs: map[string][]syncengine.Ref{syncengine.RoleParent: {}}},
		"Platform": {ID: "Platform", Active: true, Fields: map[string]any{"id": "Platform", "name": "Platform"},
			Refs: map[string][]syncengine.Ref{syncengine.RoleParent: {}}},
	}
	if diff := cmp.Diff(want, teams); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
	users := listAll(t, k, syncengine.Users)
	if c := countCalls(srv); c != (calls{search: 1, fields: 1}) {
		t.Errorf("teams then users: %+v, want one search and the metadata", c)
	}
	for role, want := range map[string][]syncengine.Ref{
		"engineer": ref(syncengine.Teams, "Platform"), "sales_rep": ref(syncengine.Teams, "Enterprise"), "ceo": {},
	} {
		if got := users[ids[role]].Refs[syncengine.RoleTeams]; !cmp.Equal(got, want) {
			t.Errorf("%s: teams ref %v, want %v", role, got, want)
		}
	}
	srv.Log().Reset()
	got, err := k.Get(ctx, syncengine.Teams, "Platform")
	if err != nil || !cmp.Equal(got, want["Platform"]) || countCalls(srv) != (calls{}) {
		t.Errorf("Get(Platform) = %+v, %v, %+v calls; want the team and no call", got, err, countCalls(srv))
	}
	// The held search serves one List of users: the next one searches.
	listAll(t, k, syncengine.Users)
	if c := countCalls(srv); c.search != 1 {
		t.Errorf("a second List of users: %+v, want a search", c)
	}
}

// The users a List of value teams read are not served after a minute.
func TestValueTeamsHeldOnlyAMinute(t *testing.T) {
	srv := newFake(t)
	srv.SeedCompany()
	clock := &stepClock{t: fixedClock()}
	k := newConnector(t, srv, hibob.ConnectorOptions{TeamField: hibobtest.SubDepartmentField, Now: clock.Now})
	listAll(t, k, syncengine.Teams)
	clock.add(time.Minute)
	srv.Log().Reset()
	listAll(t, k, syncengine.Users)
	if c := countCalls(srv); c.search != 1 {
		t.Errorf("List of users a minute after the teams: %+v, want a fresh search", c)
	}
}

// A list field's ".id" as TeamField makes that field's list the teams
// (one call, child items flat, archived ones inactive), and the users'
// "teams" ref its item ID.
func TestListTeamField(t *testing.T) {
	const squad = "work.custom.field_1712345678901"
	srv := newFake(t)
	srv.AddField(hibob.FieldMeta{ID: squad, Category: "work", Name: "Squad", Type: "list", TypeData: hibob.FieldTypeData{ListID: "squads"}})
	blue := srv.AddListItem("squads", "Blue", "")
	navy := srv.AddListItem("squads", "Navy", blue)
	old := srv.AddListItem("squads", "Old", "")
	srv.ArchiveListItem("squads", old)
	ada := srv.AddEmployee(hibobtest.Employee{FirstName: "Ada", Surname: "Lovelace", Email: "ada@example.com",
		Department: "Engineering", Fields: map[string]any{squad: navy}})
	k := newConnector(t, srv, hibob.ConnectorOptions{TeamField: squad + ".id"})
	srv.Log().Reset()

	teams := listAll(t, k, syncengine.Teams)
	got := map[string]string{}
	for id, r := range teams {
		got[id] = r.Fields["name"].(string)
		if r.Active != (id != old) {
			t.Errorf("team %s active = %v", id, r.Active)
		}
	}
	if diff := cmp.Diff(map[string]string{blue: "Blue", navy: "Navy", old: "Old"}, got); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
	if !cmp.Equal(teams[navy].Refs[syncengine.RoleParent], ref(syncengine.Teams, blue)) {
		t.Errorf("Navy's parent ref = %v, want Blue", teams[navy].Refs)
	}
	if c := countCalls(srv); c != (calls{lists: 1, fields: 1}) {
		t.Errorf("List of teams: %+v, want the squads list and the metadata", c)
	}
	user := listAll(t, k, syncengine.Users)[ada]
	if !cmp.Equal(user.Refs[syncengine.RoleTeams], ref(syncengine.Teams, navy)) || user.Fields[squad] != "Navy" {
		t.Errorf("Ada: teams ref %v, %s = %v; want Navy's ID and name", user.Refs[syncengine.RoleTeams], squad, user.Fields[squad])
	}
	srv.Log().Reset()
	if r, err := k.Get(ctx, syncengine.Teams, blue); err != nil || r.Fields["name"] != "Blue" || countCalls(srv) != (calls{}) {
		t.Errorf("Get(Blue) = %+v, %v; want it from the list in hand", r, err)
	}
}

// A TeamField HiBob does not have fails the List, naming it.
func TestUnknownTeamField(t *testing.T) {
	srv := newFake(t)
	srv.SeedCompany()
	k := newConnector(t, srv, hibob.ConnectorOptions{TeamField: "work.custom.field_404"})
	for _, err := range k.List(ctx, syncengine.Users) {
		if !errors.Is(err, syncengine.ErrUnknownField) || !strings.Contains(err.Error(), "work.custom.field_404") {
			t.Errorf("List: %v, want an error naming the field", err)
		}
		break
	}
}

package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// leaveOut is an ExcludeTeams answering ids.
func leaveOut(ids ...string) func(context.Context) ([]string, error) {
	return func(context.Context) ([]string, error) { return ids, nil }
}

func teamRefs(ids ...string) []syncengine.Ref {
	slices.Sort(ids)
	out := []syncengine.Ref{}
	for _, id := range ids {
		out = append(out, syncengine.Ref{Collection: syncengine.Teams, ID: id})
	}
	return out
}

// TestConnectorUserTeams: with Memberships, an active user's record
// carries "teams" (sorted, empty for none), an inactive one none (Litmos
// lists active members only); Get reads what List does; TeamIDs limits
// the teams, the refs and the parent refs.
func TestConnectorUserTeams(t *testing.T) {
	ctx := context.Background()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	kitchen := srv.AddTeam(litmos.Team{Name: "Kitchen"})
	pastry := srv.AddTeam(litmos.Team{Name: "Pastry", ParentTeamID: kitchen.ID})
	bar := srv.AddTeam(litmos.Team{Name: "Bar"})
	ana, bo, dee := seedUser(srv, "ana@example.com"), seedUser(srv, "bo@example.com"), seedUser(srv, "dee@example.com")
	cy := srv.AddUser(litmos.User{UserName: "cy@example.com", Email: "cy@example.com", LastName: "Cy", ManagerID: dee.ID})
	for _, m := range [][2]string{{pastry.ID, ana.ID}, {bar.ID, ana.ID}, {bar.ID, cy.ID}, {kitchen.ID, dee.ID}} {
		srv.AddTeamMember(m[0], m[1])
	}

	tests := []struct {
		name  string
		opts  litmos.ConnectorOptions
		teams map[string][]syncengine.Ref // user id → "teams"; absent: no such role
		listT []string                    // team ids List(Teams) yields
	}{
		{"off", litmos.ConnectorOptions{}, map[string][]syncengine.Ref{}, []string{kitchen.ID, pastry.ID, bar.ID}},
		{"every team", litmos.ConnectorOptions{Memberships: true}, map[string][]syncengine.Ref{
			ana.ID: teamRefs(pastry.ID, bar.ID), bo.ID: teamRefs(), dee.ID: teamRefs(kitchen.ID)},
			[]string{kitchen.ID, pastry.ID, bar.ID}},
		{"chosen teams", litmos.ConnectorOptions{Memberships: true, TeamIDs: []string{pastry.ID, bar.ID}}, map[string][]syncengine.Ref{
			ana.ID: teamRefs(pastry.ID, bar.ID), bo.ID: teamRefs(), dee.ID: teamRefs()},
			[]string{pastry.ID, bar.ID}},
		{"every team but one left out", litmos.ConnectorOptions{Memberships: true, ExcludeTeams: leaveOut(bar.ID)},
			map[string][]syncengine.Ref{ana.ID: teamRefs(pastry.ID), bo.ID: teamRefs(), dee.ID: teamRefs(kitchen.ID)},
			[]string{kitchen.ID, pastry.ID}},
		{"chosen teams, one left out", litmos.ConnectorOptions{Memberships: true, TeamIDs: []string{pastry.ID, bar.ID},
			ExcludeTeams: leaveOut(pastry.ID)},
			map[string][]syncengine.Ref{ana.ID: teamRefs(bar.ID), bo.ID: teamRefs(), dee.ID: teamRefs()}, []string{bar.ID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := litmos.NewConnector(srv.NewClient(t), tc.opts)
			listed := listRecords(t, k, syncengine.Users)
			if len(listed) != 4 {
				t.Fatalf("%d users listed, want 4", len(listed))
			}
			for _, rec := range listed {
				want, ok := tc.teams[rec.ID]
				got, has := rec.Refs[syncengine.RoleTeams]
				if d := cmp.Diff(want, got); ok != has || d != "" {
					t.Errorf("user %s: teams role present %v (want %v), (-want +got):\n%s", rec.Fields["UserName"], has, ok, d)
				}
				srv.Log().Reset()
				read, err := k.Get(ctx, syncengine.Users, rec.ID)
				if err != nil {
					t.Fatal(err)
				}
				wantCalls := 1 // GET /users/{id}, and GET /users/{id}/teams for an active user's memberships
				if tc.opts.Memberships && rec.Active {
					wantCalls = 2
				}
				if n := srv.Log().Count(nil); n != wantCalls {
					t.Errorf("Get %s made %d calls, want %d", rec.Fields["UserName"], n, wantCalls)
				}
				if d := cmp.Diff(rec, read); d != "" {
					t.Errorf("Get differs from List for %s (-list +get):\n%s", rec.Fields["UserName"], d)
				}
			}
			var ids []string
			for _, r := range listRecords(t, k, syncengine.Teams) {
				ids = append(ids, r.ID)
				if r.ID == pastry.ID && tc.opts.TeamIDs == nil && r.Refs["parent"][0].ID != kitchen.ID {
					t.Errorf("pastry's parent ref = %v", r.Refs)
				}
				if r.ID == pastry.ID && tc.opts.TeamIDs != nil && r.Refs != nil {
					t.Errorf("pastry's parent (not chosen) is referenced: %v", r.Refs)
				}
			}
			if d := cmp.Diff(tc.listT, ids); d != "" {
				t.Errorf("List(Teams) (-want +got):\n%s", d)
			}
			kitchenRec := syncengine.Record{ID: kitchen.ID}
			if got := k.InScope(syncengine.Teams, kitchenRec); got != (tc.opts.TeamIDs == nil) {
				t.Errorf("InScope(kitchen) = %v", got)
			}
			if !k.InScope(syncengine.Users, syncengine.Record{ID: bo.ID}) {
				t.Error("a user is out of scope")
			}
		})
	}
}

// TestConnectorReadFieldsID: a source map that reads the Litmos id gets
// it as the field "Id" (the litmos-platform preset does); names a collection
// lacks are refused, naming them.
func TestConnectorReadFieldsID(t *testing.T) {
	ctx := context.Background()
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	u := seedUser(srv, "ana@example.com")
	team := srv.AddTeam(litmos.Team{Name: "Bar"})
	if err := k.ReadFields(syncengine.Users, []string{"Id", "Email", "CustomField1"}); err != nil {
		t.Fatal(err)
	}
	if err := k.ReadFields(syncengine.Teams, []string{"Id", "Name"}); err != nil {
		t.Fatal(err)
	}
	rec, err := k.Get(ctx, syncengine.Users, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Id": u.ID, "UserName": "ana@example.com", "Email": "ana@example.com", "FirstName": "ana",
		"LastName": "Doe", "CustomField1": ""}
	if d := cmp.Diff(want, rec.Fields); d != "" {
		t.Errorf("user fields (-want +got):\n%s", d)
	}
	teams := listRecords(t, k, syncengine.Teams)
	if len(teams) != 1 || teams[0].Fields["Id"] != team.ID {
		t.Errorf("team records %+v", teams)
	}
	if err := k.Update(ctx, syncengine.Users, u.ID, map[string]any{"Id": "other"}); err == nil {
		t.Error("Update wrote Id")
	}
	for _, tc := range []struct {
		c     syncengine.Collection
		field string
	}{{syncengine.Users, "Nope"}, {syncengine.Teams, "Members"}, {syncengine.Courses, "Title"}} {
		err := k.ReadFields(tc.c, []string{tc.field})
		if !errors.Is(err, syncengine.ErrUnknownField) || !strings.Contains(err.Error(), `"`+tc.field+`"`) {
			t.Errorf("ReadFields(%s, %s) = %v", tc.c, tc.field, err)
		}
	}
}

// membershipCompany seeds users (each active one in team i%teams, and
// every seventh also in team (i+1)%teams) and teams.
func membershipCompany(srv *litmostest.Server, users, teams, inactive int) ([]litmos.User, []litmos.Team) {
	var ts []litmos.Team
	for i := range teams {
		ts = append(ts, srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Team %03d", i)}))
	}
	var us []litmos.User
	for i := range users {
		name := fmt.Sprintf("u%05d@example.com", i)
		u := srv.AddUser(litmos.User{UserName: name, Email: name, LastName: "L", Active: i >= inactive})
		us = append(us, u)
		srv.AddTeamMember(ts[i%teams].ID, u.ID)
		if i%7 == 0 {
			srv.AddTeamMember(ts[(i+1)%teams].ID, u.ID)
		}
	}
	return us, ts
}

// callsOf counts the GETs by what they read.
func callsOf(srv *litmostest.Server) map[string]int {
	out := map[string]int{}
	for _, e := range srv.Log().Entries() {
		p := strings.TrimPrefix(e.Path, litmostest.ServicePath+"/")
		switch seg := strings.Split(p, "/"); {
		case p == "users/details":
			out["user pages"]++
		case p == "teams":
			out["team pages"]++
		case len(seg) == 3 && seg[0] == "teams" && seg[2] == "users":
			out["rosters"]++
		case len(seg) == 3 && seg[0] == "users" && seg[2] == "teams":
			out["user teams"]++
		default:
			out[e.Method+" "+p]++
		}
	}
	return out
}

// TestConnectorMembershipCalls: List with memberships costs exactly the
// user pages, the team pages, and one call per team or per active user,
// whichever is fewer. /users/details sends no totals, so n users cost
// n/1000+1 pages (a full last page needs one more call to end).
func TestConnectorMembershipCalls(t *testing.T) {
	big := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	users, teams := membershipCompany(big, 5000, 300, 0)
	small := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	membershipCompany(small, 20, 300, 10)
	tests := []struct {
		name string
		srv  *litmostest.Server
		opts litmos.ConnectorOptions
		want map[string]int
	}{
		// 5000 users: pages of 1000 at start 0…4000, then an empty page at 5000.
		{"5000 users, memberships off", big, litmos.ConnectorOptions{}, map[string]int{"user pages": 6}},
		// 6 user pages + 1 team page (300 < 1000) + 300 rosters (fewer teams than active users).
		{"5000 users, 300 teams", big, litmos.ConnectorOptions{Memberships: true},
			map[string]int{"user pages": 6, "team pages": 1, "rosters": 300}},
		// Chosen teams: their rosters only, and no team listing.
		{"5000 users, 3 chosen teams", big, litmos.ConnectorOptions{Memberships: true,
			TeamIDs: []string{teams[0].ID, teams[1].ID, teams[299].ID, teams[0].ID, " "}}, // a repeat and a blank cost nothing
			map[string]int{"user pages": 6, "rosters": 3}},
		// 10 active users < 300 teams: each active user's teams instead of 300 rosters.
		{"20 users (10 active), 300 teams", small, litmos.ConnectorOptions{Memberships: true},
			map[string]int{"user pages": 1, "team pages": 1, "user teams": 10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := litmos.NewConnector(tc.srv.NewClient(t), tc.opts)
			tc.srv.Log().Reset()
			got := listRecords(t, k, syncengine.Users)
			if d := cmp.Diff(tc.want, callsOf(tc.srv)); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			if tc.srv != big || !tc.opts.Memberships {
				return
			}
			byID := map[string]syncengine.Record{}
			for _, r := range got {
				byID[r.ID] = r
			}
			for _, i := range []int{0, 1, 299, 300, 4999} {
				want := []string{teams[i%300].ID}
				if i%7 == 0 {
					want = append(want, teams[(i+1)%300].ID)
				}
				if tc.opts.TeamIDs != nil {
					want = slices.DeleteFunc(want, func(id string) bool { return !slices.Contains(tc.opts.TeamIDs, id) })
				}
				if d := cmp.Diff(teamRefs(want...), byID[users[i].ID].Refs["teams"]); d != "" {
					t.Errorf("user %d teams (-want +got):\n%s", i, d)
				}
			}
		})
	}
}

// TestSearchTeams: a picker's search lists an account of at most 250
// teams in one call and filters it; a larger one is searched by Litmos,
// after one probe the first time only.
func TestSearchTeams(t *testing.T) {
	ctx := context.Background()
	seed := func(n int) *litmostest.Server {
		srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
		for i := range n {
			srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Team %03d", i)})
		}
		return srv
	}
	names := func(ts []litmos.Team) []string {
		out := []string{}
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	type step struct {
		text  string
		want  []string // nil: only the count is checked
		count int
		calls []string // "limit=N" or "search=TEXT", in order
	}
	tests := []struct {
		name  string
		teams int
		steps []step
	}{
		{"300 teams", 300, []step{
			{"team 12", []string{"Team 120", "Team 121", "Team 122", "Team 123", "Team 124", "Team 125", "Team 126",
				"Team 127", "Team 128", "Team 129"}, 10, []string{"limit=251", "search=team 12"}},
			{" TEAM 29 ", []string{"Team 290", "Team 291", "Team 292", "Team 293", "Team 294", "Team 295", "Team 296",
				"Team 297", "Team 298", "Team 299"}, 10, []string{"search=TEAM 29"}},
			{"kitchen", []string{}, 0, []string{"search=kitchen"}},
			{"", nil, 250, []string{"limit=250"}},
		}},
		{"251 teams", 251, []step{{"", nil, 250, []string{"limit=251"}}, {"250", []string{"Team 250"}, 1, []string{"search=250"}}}},
		{"250 teams", 250, []step{
			{"team 24", []string{"Team 240", "Team 241", "Team 242", "Team 243", "Team 244", "Team 245", "Team 246",
				"Team 247", "Team 248", "Team 249"}, 10, []string{"limit=251"}},
			{"", nil, 250, []string{"limit=251"}},
			{"TEAM 007", []string{"Team 007"}, 1, []string{"limit=251"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := seed(tc.teams)
			k := litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{})
			for _, st := range tc.steps {
				srv.Log().Reset()
				got, err := k.SearchTeams(ctx, st.text)
				if err != nil {
					t.Fatal(err)
				}
				if st.want != nil {
					if d := cmp.Diff(st.want, names(got)); d != "" {
						t.Errorf("SearchTeams(%q) (-want +got):\n%s", st.text, d)
					}
				}
				if len(got) != st.count {
					t.Errorf("SearchTeams(%q): %d teams, want %d", st.text, len(got), st.count)
				}
				var calls []string
				for _, e := range srv.Log().Entries() {
					if s := e.Query.Get("search"); s != "" {
						calls = append(calls, "search="+s)
					} else {
						calls = append(calls, "limit="+e.Query.Get("limit"))
					}
				}
				if d := cmp.Diff(st.calls, calls); d != "" {
					t.Errorf("SearchTeams(%q) calls (-want +got):\n%s", st.text, d)
				}
			}
		})
	}
}

// The users' listing right after a whole List(Teams) reuses its teams for
// the memberships (one GET /teams in the plan, not two), once: the next
// listing of users reads the teams again.
func TestConnectorMembershipsReuseTeamList(t *testing.T) {
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	bar := srv.AddTeam(litmos.Team{Name: "Bar"})
	srv.AddTeamMember(bar.ID, seedUser(srv, "ana@example.com").ID)
	k := litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{Memberships: true})
	teamLists := func() int {
		return srv.Log().Count(func(e litmostest.Entry) bool { return e.Path == litmostest.ServicePath+"/teams" })
	}
	listRecords(t, k, syncengine.Teams)
	users := listRecords(t, k, syncengine.Users)
	if n := teamLists(); n != 1 || len(users[0].Refs[syncengine.RoleTeams]) != 1 {
		t.Errorf("teams then users: %d team listings (want 1), refs %v", n, users[0].Refs)
	}
	listRecords(t, k, syncengine.Users)
	if n := teamLists(); n != 2 {
		t.Errorf("a second users' listing: %d team listings in all, want 2", n)
	}
}

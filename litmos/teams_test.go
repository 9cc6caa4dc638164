package litmos_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

func TestTeams(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	bakers, err := c.CreateTeam(ctx, litmos.Team{Name: "Bakers", Description: "Ovens"})
	if err != nil {
		t.Fatal(err)
	}
	night, err := c.CreateTeam(ctx, litmos.Team{Name: "Night bakers", ParentTeamID: bakers.ID})
	if err != nil {
		t.Fatal(err)
	}
	if night.ParentTeamID != bakers.ID || srv.Log().Entries()[1].Path != litmostest.ServicePath+"/teams/"+bakers.ID+"/teams" {
		t.Errorf("sub-team %+v not created under its parent", night)
	}
	if _, err := c.CreateTeam(ctx, litmos.Team{Name: "bakers"}); !errors.Is(err, litmos.ErrConflict) {
		t.Errorf("duplicate name: %v", err)
	}
	if _, err := c.CreateTeam(ctx, litmos.Team{Name: "  "}); err == nil {
		t.Error("empty name accepted")
	}
	srv.AddTeam(litmos.Team{Name: "Drivers"})

	all := collect(t, c.ListTeams(ctx, litmos.ListParams{}))
	if len(all) != 3 || all[1].ParentTeamID != bakers.ID || all[0].Description != "" {
		t.Errorf("teams = %+v (lists carry no Description)", all)
	}
	found := collect(t, c.SearchTeams(ctx, "baker"))
	if len(found) != 2 {
		t.Errorf("search found %+v", found)
	}
	got, err := c.GetTeam(ctx, bakers.ID)
	if err != nil || got.Description != "Ovens" {
		t.Errorf("GetTeam = %+v, %v", got, err)
	}
	if _, err := c.GetTeam(ctx, "nope"); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown team: %v", err)
	}
	subs := collect(t, c.ListSubTeams(ctx, bakers.ID, litmos.ListParams{}))
	if len(subs) != 1 || subs[0].ID != night.ID {
		t.Errorf("sub-teams = %+v", subs)
	}
}

func TestTeamMembers(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	team := srv.AddTeam(litmos.Team{Name: "Ops"})
	a, b, z := seedUser(srv, "a@example.com"), seedUser(srv, "b@example.com"), seedUser(srv, "z@example.com")
	if err := c.AddTeamMembers(ctx, team.ID, []string{a.ID, b.ID, z.ID}, litmos.MessageParams{}); err != nil {
		t.Fatal(err)
	}
	// Adding again is a no-op, as in Litmos.
	if err := c.AddTeamMembers(ctx, team.ID, []string{a.ID}, litmos.MessageParams{}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{a.ID, b.ID, z.ID}, srv.TeamMembers(team.ID)); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("emails sent: %v", srv.Messages())
	}
	if err := c.DeactivateUser(ctx, z.ID); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range collect(t, c.ListTeamMembers(ctx, team.ID, litmos.ListParams{})) {
		names = append(names, m.UserName)
	}
	if d := cmp.Diff([]string{"a@example.com", "b@example.com"}, names); d != "" {
		t.Errorf("listed members, active only (-want +got):\n%s", d)
	}
	if err := c.RemoveTeamMember(ctx, team.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{b.ID, z.ID}, srv.TeamMembers(team.ID)); d != "" {
		t.Errorf("after remove (-want +got):\n%s", d)
	}
	if err := c.RemoveTeamMember(ctx, team.ID, a.ID); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("removing a non-member: %v", err)
	}
	if err := c.AddTeamMembers(ctx, "nope", []string{b.ID}, litmos.MessageParams{}); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown team: %v", err)
	}
	if err := c.AddTeamMembers(ctx, team.ID, []string{a.ID}, litmos.MessageParams{SendMessage: true}); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || m[0].Kind != "team" || m[0].UserID != a.ID {
		t.Errorf("messages = %v", m)
	}
}

// TestUserTeams: a user joins several teams in one call, all or nothing:
// 409 when already in one, 404 for an unknown team, and more than 25 is
// refused before sending.
func TestUserTeams(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	u := seedUser(srv, "ana@example.com")
	bakers, night := srv.AddTeam(litmos.Team{Name: "Bakers"}), srv.AddTeam(litmos.Team{Name: "Night"})
	if err := c.AddUserToTeams(ctx, u.ID, []string{bakers.ID, night.ID}, litmos.MessageParams{}); err != nil {
		t.Fatal(err)
	}
	e := srv.Log().Entries()[0]
	if e.Query.Get("sendmessage") != "false" || e.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("sent %v, %q", e.Query, e.Header.Get("Content-Type"))
	}
	got := collect(t, c.ListUserTeams(ctx, u.ID, litmos.ListParams{}))
	if len(got) != 2 || got[0].ID != bakers.ID || got[1].Name != "Night" {
		t.Errorf("user teams %+v", got)
	}
	other := srv.AddTeam(litmos.Team{Name: "Other"})
	err := c.AddUserToTeams(ctx, u.ID, []string{other.ID, bakers.ID}, litmos.MessageParams{})
	if !errors.Is(err, litmos.ErrConflict) || !strings.Contains(err.Error(), "already belongs") {
		t.Errorf("already a member: %v", err)
	}
	if err := c.AddUserToTeams(ctx, u.ID, []string{"nope"}, litmos.MessageParams{}); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown team: %v", err)
	}
	if d := cmp.Diff([]string{bakers.ID, night.ID}, srv.UserTeams(u.ID)); d != "" {
		t.Errorf("a refused call changed the teams (-want +got):\n%s", d)
	}
	calls := srv.Log().Count(nil)
	if err := c.AddUserToTeams(ctx, u.ID, make([]string, 26), litmos.MessageParams{}); err == nil || srv.Log().Count(nil) != calls {
		t.Errorf("26 teams: %v, sent anyway", err)
	}
}

// ResolveTeams takes exact names or ids, keeps the order given, drops
// repeats, and names the unknown choices with the teams like them: one
// listing, then one team-picker listing per unknown choice.
func TestResolveTeams(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	ops := srv.AddTeam(litmos.Team{Name: "Ops"})
	sales := srv.AddTeam(litmos.Team{Name: "Sales"})
	srv.AddTeam(litmos.Team{Name: "Sales EMEA"})

	got, err := c.ResolveTeams(ctx, []string{"Sales", ops.ID, "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{sales.ID, ops.ID}, []string{got[0].ID, got[1].ID}); len(got) != 2 || diff != "" {
		t.Errorf("ResolveTeams = %+v (-want +got):\n%s", got, diff)
	}
	if ids, err := c.ResolveTeamIDs(ctx, []string{ops.ID}); err != nil || !cmp.Equal(ids, []string{ops.ID}) {
		t.Errorf("ResolveTeamIDs = %v, %v", ids, err)
	}

	srv.Log().Reset()
	_, err = c.ResolveTeams(ctx, []string{"sales", "Nope", "Ops"})
	want := `litmos: no such Litmos team named or with id "sales", "Nope" (names are exact and case-sensitive); ` +
		`teams with a name like it: "Sales", "Sales EMEA"`
	if !errors.Is(err, litmos.ErrUnknownTeam) || err == nil || err.Error() != want {
		t.Errorf("unknown choices:\n got %v\nwant %s", err, want)
	}
	if n := len(srv.Log().Entries()); n != 3 {
		t.Errorf("%d calls, want 3 (the listing, a picker listing per unknown choice)", n)
	}
	if _, err := c.ResolveTeams(ctx, nil); err != nil {
		t.Errorf("no choices: %v", err)
	}
}

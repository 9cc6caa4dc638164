package learnamp_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// TestListTeamsFilters: name and tags as Learn Amp names them.
func TestListTeamsFilters(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	srv.SeedCompany()
	tests := []struct {
		name  string
		p     learnamp.ListTeamsParams
		query url.Values
		want  []string
	}{
		{"all", learnamp.ListTeamsParams{}, url.Values{}, []string{"Engineering", "Sales", "Operations", "Platform"}},
		{"name", learnamp.ListTeamsParams{Name: "sales"}, url.Values{"filters[name]": {"sales"}}, []string{"Sales"}},
		{"tags", learnamp.ListTeamsParams{Tags: []string{"tech", "none"}}, url.Values{"filters[tags]": {"tech,none"}}, []string{"Engineering", "Platform"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Log().Reset()
			var got []string
			for team, err := range c.ListTeams(ctx, tt.p) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, team.Name)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("teams (-want +got):\n%s", d)
			}
			tt.query["page"], tt.query["perPage"] = []string{"1"}, []string{"100"}
			if d := cmp.Diff(tt.query, apiEntries(srv)[0].Query); d != "" {
				t.Errorf("query (-want +got):\n%s", d)
			}
		})
	}
	if _, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{Tags: []string{"a,b"}}); err == nil || !strings.Contains(err.Error(), "contains a comma") {
		t.Errorf("tag with a comma: %v", err)
	}
}

// TestListTeamsPaging: exact page count through Total-Pages.
func TestListTeamsPaging(t *testing.T) {
	srv, c := newFake(t)
	for i := 0; i < 11; i++ {
		srv.AddTeam(learnamptest.Team{Name: "T" + string(rune('a'+i))})
	}
	n := 0
	for _, err := range c.ListTeams(context.Background(), learnamp.ListTeamsParams{PageParams: learnamp.PageParams{PerPage: 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 11 || srv.Log().Count(nil) != 4 { // token + 3 pages
		t.Errorf("%d teams in %d requests, want 11 in 4", n, srv.Log().Count(nil))
	}
}

func TestGetTeam(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	eng, err := c.GetTeam(ctx, co.Teams["dept-1"])
	if err != nil {
		t.Fatal(err)
	}
	if eng.Name != "Engineering" || len(eng.SubTeams) != 1 || eng.SubTeams[0].ID != co.Teams["dept-4"] ||
		len(eng.Users) != 1 || eng.Users[0].ID != co.Users["HR-1"] || eng.ParentTeam != nil || cmp.Diff([]string{"tech"}, eng.Tags) != "" {
		t.Errorf("Engineering %+v", eng)
	}
	plat, err := c.GetTeamByExternalID(ctx, "dept-4")
	if err != nil || plat.ParentTeamID != co.Teams["dept-1"] || plat.ParentTeam.Name != "Engineering" || plat.TeamUsersCount != 2 {
		t.Errorf("Platform %v %+v", err, plat)
	}
	if _, err := c.GetTeam(ctx, "999"); !errors.Is(err, learnamp.ErrNotFound) {
		t.Errorf("unknown team: %v", err)
	}
	if _, err := c.GetTeamByExternalID(ctx, "nope"); !errors.Is(err, learnamp.ErrNotFound) {
		t.Errorf("unknown external id: %v", err)
	}
}

// TestCreateTeamPayload: the documented body, and what Learn Amp did with it.
func TestCreateTeamPayload(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	team, err := c.CreateTeam(context.Background(), learnamp.CreateTeamParams{
		Name: "Research", IntegrationExternalID: "dept-9", ManagerEmail: "grace.hopper@acme.test",
		SecondaryManagerIDs: []string{co.Users["HR-2"]}, ParentTeamName: "Engineering",
		SubTeamIDs: []string{co.Teams["dept-4"]}, Tags: []string{"tech", "lab"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "team_create_request.golden.json", lastBody(t, srv))
	if team.Manager == nil || team.Manager.ID != co.Users["HR-1"] || team.ParentTeamID != co.Teams["dept-1"] ||
		len(team.SubTeams) != 1 || len(team.SecondaryManagers) != 1 || cmp.Diff([]string{"tech", "lab"}, team.Tags) != "" {
		t.Errorf("created %+v", team)
	}
	if plat, _ := srv.Team(co.Teams["dept-4"]); plat.ParentTeamID != team.ID {
		t.Errorf("sub-team's parent %q, want %q", plat.ParentTeamID, team.ID)
	}
	_, err = c.CreateTeam(context.Background(), learnamp.CreateTeamParams{Name: "Dup", IntegrationExternalID: "dept-9"})
	var apiErr *learnamp.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, learnamp.ErrInvalid) || apiErr.Message != "Integration external id has already been taken" {
		t.Errorf("duplicate external id: %v", err)
	}
}

func TestCreateTeamRefused(t *testing.T) {
	tests := []struct {
		name string
		p    learnamp.CreateTeamParams
		want string
	}{
		{"no name", learnamp.CreateTeamParams{Name: " "}, "name is required"},
		{"both managers", learnamp.CreateTeamParams{Name: "T", ManagerID: "1", ManagerEmail: "m@x.test"}, "managerId and managerEmail are mutually exclusive"},
		{"both parents", learnamp.CreateTeamParams{Name: "T", ParentTeamID: "1", ParentTeamName: "P"}, "parentTeamId and parentTeamName"},
		{"both sub-team lists", learnamp.CreateTeamParams{Name: "T", SubTeamIDs: []string{"1"}, SubTeamNames: []string{"S"}}, "subTeamIds and subTeamNames"},
		{"bad manager id", learnamp.CreateTeamParams{Name: "T", ManagerID: "m"}, `manager id "m"`},
		{"bad sub-team id", learnamp.CreateTeamParams{Name: "T", SubTeamIDs: []string{"s"}}, `sub-team id "s"`},
		{"comma tag", learnamp.CreateTeamParams{Name: "T", Tags: []string{"a,b"}}, "comma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			if _, err := c.CreateTeam(context.Background(), tt.p); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if srv.Log().Count(nil) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestCreateTeamVendorErrors: the documented 400 for an unknown parent.
func TestCreateTeamVendorErrors(t *testing.T) {
	srv, c := newFake(t)
	_, err := c.CreateTeam(context.Background(), learnamp.CreateTeamParams{Name: "T", ParentTeamID: "999"})
	var apiErr *learnamp.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "parentTeamId must match existing teams IDs" ||
		cmp.Diff(map[string][]string{"parentTeamId": {"must match existing teams IDs"}}, apiErr.FullErrors) != "" {
		t.Errorf("err %v", err)
	}
	if len(srv.Teams()) != 0 {
		t.Error("a team was stored")
	}
}

// TestUpdateTeamPayload: the documented body, by id and by external id.
func TestUpdateTeamPayload(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	team, err := c.UpdateTeam(ctx, co.Teams["dept-2"], learnamp.UpdateTeamParams{
		Name: "Sales EMEA", IntegrationExternalID: learnamp.Ptr("dept-20"), ManagerID: learnamp.Ptr(co.Users["HR-5"]),
		ParentTeamID: learnamp.Ptr(co.Teams["dept-3"]), Tags: []string{},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "team_update_request.golden.json", lastBody(t, srv))
	if team.Name != "Sales EMEA" || team.IntegrationExternalID != "dept-20" || team.Manager.ID != co.Users["HR-5"] || team.ParentTeamID != co.Teams["dept-3"] {
		t.Errorf("updated %+v", team)
	}
	if team.Users != nil || team.Tags != nil {
		t.Errorf("the simple form came back with detail: %+v", team)
	}
	byExt, err := c.UpdateTeamByExternalID(ctx, "dept-20", learnamp.UpdateTeamParams{Name: "Sales", IntegrationExternalID: learnamp.Ptr("")})
	if err != nil || byExt.ID != co.Teams["dept-2"] || byExt.IntegrationExternalID != "" {
		t.Errorf("by external id: %v %+v", err, byExt)
	}
	if _, err := c.UpdateTeam(ctx, co.Teams["dept-1"], learnamp.UpdateTeamParams{Name: "Engineering", ParentTeamID: learnamp.Ptr(co.Teams["dept-4"])}); !errors.Is(err, learnamp.ErrInvalid) {
		t.Errorf("making a team its sub-team's child: %v, want ErrInvalid", err)
	}
	if _, err := c.UpdateTeam(ctx, co.Teams["dept-1"], learnamp.UpdateTeamParams{}); err == nil || !strings.Contains(err.Error(), "name is required") {
		t.Errorf("update without name: %v", err)
	}
}

func TestDeleteTeam(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	if err := c.DeleteTeam(ctx, co.Teams["dept-1"]); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteTeamByExternalID(ctx, "dept-2"); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.User(co.Users["HR-1"]); !ok {
		t.Error("deleting the team deleted its user")
	}
	if u, _ := srv.User(co.Users["HR-4"]); u.PrimaryTeamID != "" {
		t.Errorf("user still in the deleted team: %+v", u)
	}
	if plat, _ := srv.Team(co.Teams["dept-4"]); plat.ParentTeamID != "" {
		t.Errorf("sub-team still points at the deleted parent: %+v", plat)
	}
	if err := c.DeleteTeam(ctx, co.Teams["dept-1"]); !errors.Is(err, learnamp.ErrNotFound) {
		t.Errorf("deleting again: %v", err)
	}
	want := []string{"DELETE /v1/teams/" + co.Teams["dept-1"] + " 204", "DELETE /v1/teams/by_external_id/dept-2 204"}
	if d := cmp.Diff(want, calls(srv)[1:3]); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

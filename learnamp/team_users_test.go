package learnamp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// TestListTeamUsers: by id and by external id, paged by Total-Pages.
func TestListTeamUsers(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	team := srv.AddTeam(learnamptest.Team{Name: "Big", IntegrationExternalID: "big"})
	var want []string
	for i := 0; i < 7; i++ {
		id := srv.AddUser(learnamptest.User{Email: fmt.Sprintf("m%d@acme.test", i), FirstName: "M", LastName: "N", PrimaryTeamID: team})
		want = append(want, id)
	}
	for name, seq := range map[string]func() []string{
		"by id": func() []string {
			var got []string
			for u, err := range c.ListTeamUsers(ctx, team, learnamp.PageParams{PerPage: 3}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, u.ID)
			}
			return got
		},
		"by external id": func() []string {
			var got []string
			for u, err := range c.ListTeamUsersByExternalID(ctx, "big", learnamp.PageParams{PerPage: 3}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, u.ID)
			}
			return got
		},
	} {
		srv.Log().Reset()
		if d := cmp.Diff(want, seq()); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
		if n := len(apiEntries(srv)); n != 3 {
			t.Errorf("%s: %d pages asked, want 3", name, n)
		}
	}
	pg, err := c.ListTeamUsersPage(ctx, team, learnamp.PageParams{Page: 3, PerPage: 3})
	if err != nil || len(pg.Items) != 1 || pg.Total != 7 || pg.TotalPages != 3 || pg.HasNext() {
		t.Errorf("last page %v %+v", err, pg)
	}
	if _, err := c.ListTeamUsersPage(ctx, "999", learnamp.PageParams{}); !errors.Is(err, learnamp.ErrNotFound) {
		t.Errorf("unknown team: %v", err)
	}
}

// TestAddTeamUser: each way of naming the team and the user.
func TestAddTeamUser(t *testing.T) {
	tests := []struct {
		name string
		p    func(co learnamptest.Company) learnamp.AddTeamUserParams
		team string
	}{
		{"ids", func(co learnamptest.Company) learnamp.AddTeamUserParams {
			return learnamp.AddTeamUserParams{TeamID: co.Teams["dept-2"], UserID: co.Users["HR-2"]}
		}, "dept-2"},
		{"name and email", func(learnamptest.Company) learnamp.AddTeamUserParams {
			return learnamp.AddTeamUserParams{TeamName: "Sales", UserEmail: "ada.lovelace@acme.test"}
		}, "dept-2"},
		{"external id", func(co learnamptest.Company) learnamp.AddTeamUserParams {
			return learnamp.AddTeamUserParams{TeamIntegrationExternalID: "dept-3", UserID: co.Users["HR-2"]}
		}, "dept-3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			co := srv.SeedCompany()
			m, err := c.AddTeamUser(context.Background(), tt.p(co))
			if err != nil {
				t.Fatal(err)
			}
			if m.TeamID != co.Teams[tt.team] || m.UserID != co.Users["HR-2"] || m.ID == "" {
				t.Errorf("membership %+v", m)
			}
			if e := apiEntries(srv)[0]; e.Method != "POST" || e.Path != "/proxy/learnamp/v1/teams/users" {
				t.Errorf("sent %s %s", e.Method, e.Path)
			}
			u, _ := srv.User(co.Users["HR-2"])
			if cmp.Diff([]string{co.Teams[tt.team]}, u.SecondaryTeamIDs) != "" || u.PrimaryTeamID != co.Teams["dept-4"] {
				t.Errorf("user's teams %+v", u)
			}
			_, err = c.AddTeamUser(context.Background(), tt.p(co))
			if !errors.Is(err, learnamp.ErrInvalid) {
				t.Errorf("adding again: %v, want ErrInvalid", err)
			}
		})
	}
}

func TestAddTeamUserPayload(t *testing.T) {
	srv, c := newFake(t)
	srv.SeedCompany()
	if _, err := c.AddTeamUser(context.Background(), learnamp.AddTeamUserParams{TeamName: "Sales", UserEmail: "ada.lovelace@acme.test"}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "team_user_add_request.golden.json", lastBody(t, srv))
}

func TestAddTeamUserRefused(t *testing.T) {
	tests := []struct {
		name string
		p    learnamp.AddTeamUserParams
		want string
	}{
		{"no team", learnamp.AddTeamUserParams{UserID: "1"}, "exactly one of teamId, teamName and teamIntegrationExternalId must be set, got 0"},
		{"two teams", learnamp.AddTeamUserParams{TeamID: "1", TeamName: "S", UserID: "1"}, "got 2"},
		{"no user", learnamp.AddTeamUserParams{TeamID: "1"}, "exactly one of userId and userEmail"},
		{"two users", learnamp.AddTeamUserParams{TeamID: "1", UserID: "1", UserEmail: "a@x.test"}, "exactly one of userId and userEmail"},
		{"bad team id", learnamp.AddTeamUserParams{TeamID: "t", UserID: "1"}, `team id "t"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			if _, err := c.AddTeamUser(context.Background(), tt.p); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if srv.Log().Count(nil) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestAddTeamUserVendorErrors: the documented 400 for an unknown team external id.
func TestAddTeamUserVendorErrors(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	_, err := c.AddTeamUser(context.Background(), learnamp.AddTeamUserParams{TeamIntegrationExternalID: "dept-99", UserID: co.Users["HR-1"]})
	var apiErr *learnamp.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 ||
		apiErr.Message != "teamIntegrationExternalId must match an existing team integration external ID within your company" {
		t.Errorf("err %v", err)
	}
}

// TestAddTeamUsers: the bulk call by id and external id, primary included.
func TestAddTeamUsers(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	ids := []string{co.Users["HR-2"], co.Users["HR-3"]}
	if err := c.AddTeamUsers(ctx, co.Teams["dept-3"], learnamp.AddTeamUsersParams{UserIDs: ids, IsPrimary: true}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "team_users_bulk_request.golden.json", lastBody(t, srv))
	for _, id := range ids {
		if u, _ := srv.User(id); u.PrimaryTeamID != co.Teams["dept-3"] {
			t.Errorf("user %s primary team %q", id, u.PrimaryTeamID)
		}
	}
	if err := c.AddTeamUsersByExternalID(ctx, "dept-2", learnamp.AddTeamUsersParams{UserIDs: ids}); err != nil {
		t.Fatal(err)
	}
	if got := srv.TeamUsers(co.Teams["dept-2"]); len(got) != 4 {
		t.Errorf("Sales users %v", got)
	}
	if e := apiEntries(srv); e[len(e)-1].Path != "/proxy/learnamp/v1/teams/by_external_id/dept-2/bulk/users" {
		t.Errorf("path %q", e[len(e)-1].Path)
	}
	for _, p := range []learnamp.AddTeamUsersParams{{}, {UserIDs: []string{"x"}}} {
		if err := c.AddTeamUsers(ctx, co.Teams["dept-2"], p); err == nil {
			t.Errorf("AddTeamUsers(%+v) accepted", p)
		}
	}
}

// TestRemoveTeamUser: by id and external id; a non-member is ErrNotFound.
func TestRemoveTeamUser(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	if err := c.RemoveTeamUser(ctx, co.Teams["dept-4"], co.Users["HR-2"]); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveTeamUserByExternalID(ctx, "dept-4", co.Users["HR-3"]); err != nil {
		t.Fatal(err)
	}
	if got := srv.TeamUsers(co.Teams["dept-4"]); len(got) != 0 {
		t.Errorf("Platform users %v", got)
	}
	if u, _ := srv.User(co.Users["HR-2"]); u.PrimaryTeamID != "" {
		t.Errorf("removed user keeps the primary team: %+v", u)
	}
	if err := c.RemoveTeamUser(ctx, co.Teams["dept-4"], co.Users["HR-2"]); !errors.Is(err, learnamp.ErrNotFound) {
		t.Errorf("removing again: %v", err)
	}
	want := []string{
		"DELETE /v1/teams/" + co.Teams["dept-4"] + "/users/" + co.Users["HR-2"] + " 204",
		"DELETE /v1/teams/by_external_id/dept-4/users/" + co.Users["HR-3"] + " 204",
	}
	if d := cmp.Diff(want, calls(srv)[1:3]); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

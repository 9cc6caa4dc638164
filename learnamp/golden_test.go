package learnamp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// serveGolden makes the fake answer path with the vendor payload file.
func serveGolden(t *testing.T, srv *learnamptest.Server, method, path, file string) {
	t.Helper()
	srv.AddFault(learnamptest.Fault{Method: method, Path: "/proxy/learnamp" + path, Status: http.StatusOK, Body: readTestdata(t, file)})
}

var testManager = &learnamp.User{
	ID: "17", FirstName: "Test", LastName: "Manager", JobTitle: "Ops Director", Email: "test2@email.com",
	TimeZone: "London", Language: "en", Role: "admin", IntegrationExternalID: "EPOS-98765",
	ProfileURL: "https://testaccount.learnamp.com/en/users/17",
	Status:     learnamp.UserStatus{Status: "Confirmed", Time: "On 20 Feb 17"},
}

// TestDecodeDocumentedUser: the reference's "Show a User" reply decodes
// into every field, nested manager and primary team included.
func TestDecodeDocumentedUser(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "GET", "/v1/users/1", "user_get.json")
	got, err := c.GetUser(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	want := &learnamp.User{
		ID: "1", FirstName: "Test", LastName: "User", JobTitle: "Developer", Email: "test@email.com",
		TimeZone: "London", Language: "en", Role: "viewer", IntegrationExternalID: "EPOS-12345",
		OccupationRole: "Software Engineer", HireDate: learnamp.Date{Year: 2021, Month: time.January, Day: 15},
		ProfileURL: "https://testaccount.learnamp.com/en/users/1",
		Status:     learnamp.UserStatus{Status: "Confirmed", Time: "On 29 Nov 16"},
		Avatar:     "https://res.cloudinary.com/dfiav5ctj/image/upload/c_crop,g_custom/a_exif,c_fill,dpr_1.0,f_auto,q_auto,w_100/v1505401603/iysnlkr6sr6ys0dybeh0.jpg",
		Manager:    testManager,
		Location:   "London, UK", Department: "Marketing",
		PrimaryTeam: &learnamp.Team{
			ID: "15", Name: "Operations", TeamUsersCount: 1, APITeamPath: "/v1/teams/15.json",
			APITeamUsersPath: "/v1/teams/15/users.json", Manager: testManager,
		},
		SecondaryTeams: []learnamp.Team{},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("user (-want +got):\n%s", d)
	}
	if got.Status.State() != learnamp.StatusConfirmed {
		t.Errorf("State %q", got.Status.State())
	}
}

// TestDecodeDocumentedUpdateReply: null location, an empty manager object
// ({}) read as no manager, secondary teams.
func TestDecodeDocumentedUpdateReply(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "PUT", "/v1/users/1382", "user_update_reply.json")
	got, err := c.UpdateUser(context.Background(), "1382", learnamp.UpdateUserParams{Email: "jimrobinson@test.com", FirstName: "Jim", LastName: "Robinson"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Location != "" || got.PrimaryTeam == nil || got.PrimaryTeam.Manager != nil || len(got.SecondaryTeams) != 1 ||
		got.SecondaryTeams[0].ID != "380" || got.Status.State() != learnamp.StatusInvitePending || !got.HireDate.IsZero() {
		t.Errorf("decoded %+v", got)
	}
}

// TestDecodeDocumentedList: a list reply without paging headers has
// unknown totals, and a short page has no next.
func TestDecodeDocumentedList(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "GET", "/v1/users", "users_list.json")
	pg, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Items) != 1 || pg.Items[0].ID != "1" || pg.Items[0].HireDate.String() != "2021-01-15" ||
		pg.Total != -1 || pg.TotalPages != -1 || pg.PerPage != learnamp.DefaultPerPage || pg.HasNext() {
		t.Errorf("page %+v", pg)
	}
}

// TestDecodeDocumentedTeam: the detailed team, with its users (their
// removeFromTeamUrl kept in Extra), sub-team, parent and tags.
func TestDecodeDocumentedTeam(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "GET", "/v1/teams/383", "team_get.json")
	got, err := c.GetTeam(context.Background(), "383")
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		ID, Name, Ext, Manager, Parent string
		Secondary, Users, Subs         []string
		SubParent                      string
		Tags                           []string
		Remove                         string
	}
	s := summary{ID: got.ID, Name: got.Name, Ext: got.IntegrationExternalID, Tags: got.Tags}
	if got.Manager != nil {
		s.Manager = got.Manager.ID
	}
	if got.ParentTeam != nil {
		s.Parent = got.ParentTeam.ID
	}
	for _, m := range got.SecondaryManagers {
		s.Secondary = append(s.Secondary, m.ID)
	}
	for _, u := range got.Users {
		s.Users = append(s.Users, u.ID)
	}
	for _, st := range got.SubTeams {
		s.Subs, s.SubParent = append(s.Subs, st.ID), st.ParentTeamID
	}
	if len(got.Users) > 0 {
		_ = json.Unmarshal(got.Users[0].Extra["removeFromTeamUrl"], &s.Remove)
	}
	want := summary{ID: "383", Name: "Test Team", Ext: "EPOS-001", Manager: "7", Parent: "1",
		Secondary: []string{"8"}, Users: []string{"1186", "1281"}, Subs: []string{"169"}, SubParent: "383",
		Tags: []string{"example team tag 1", "example team tag 2"}, Remove: "/v1/teams/383/users/1186.json"}
	if d := cmp.Diff(want, s); d != "" {
		t.Errorf("team (-want +got):\n%s", d)
	}
}

// TestDecodeDocumentedTeamLists: the teams list and a team's users.
func TestDecodeDocumentedTeamLists(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	serveGolden(t, srv, "GET", "/v1/teams", "teams_list.json")
	serveGolden(t, srv, "GET", "/v1/teams/379/users", "team_users.json")
	teams, err := c.ListTeamsPage(ctx, learnamp.ListTeamsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(teams.Items) != 1 || teams.Items[0].ParentTeamID != "123" || teams.Items[0].TeamUsersCount != 2 || teams.Items[0].Manager.ID != "7" {
		t.Errorf("teams %+v", teams.Items)
	}
	users, err := c.ListTeamUsersPage(ctx, "379", learnamp.PageParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Items) != 1 || users.Items[0].ID != "1" || users.Items[0].Manager.ID != "17" || users.Items[0].PrimaryTeam.ID != "15" {
		t.Errorf("team users %+v", users.Items)
	}
}

// TestDecodeDocumentedCreates: the create replies of teams and team users.
func TestDecodeDocumentedCreates(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	srv.AddFault(learnamptest.Fault{Method: "POST", Path: "/proxy/learnamp/v1/teams", Status: http.StatusCreated, Body: readTestdata(t, "team_create_reply.json")})
	srv.AddFault(learnamptest.Fault{Method: "POST", Path: "/proxy/learnamp/v1/teams/users", Status: http.StatusCreated, Body: readTestdata(t, "team_user_add_reply.json")})
	team, err := c.CreateTeam(ctx, learnamp.CreateTeamParams{Name: "New Team Test"})
	if err != nil {
		t.Fatal(err)
	}
	if team.ID != "449" || team.ParentTeam == nil || team.ParentTeam.ID != "10" || team.Users == nil || len(team.Tags) != 0 {
		t.Errorf("team %+v", team)
	}
	m, err := c.AddTeamUser(ctx, learnamp.AddTeamUserParams{TeamName: "Marketing", UserEmail: "new@member.com"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&learnamp.Membership{ID: "1", TeamID: "3", UserID: "1"}, m); d != "" {
		t.Errorf("membership (-want +got):\n%s", d)
	}
}

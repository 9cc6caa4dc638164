package learnamp_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

func date(y int, m time.Month, d int) learnamp.Date { return learnamp.Date{Year: y, Month: m, Day: d} }

// TestListUsersFilters: every filter goes out as Learn Amp names it and
// selects what it says (users 1001-1006 of SeedCompany).
func TestListUsersFilters(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	srv, c := newFake(t)
	srv.SetClock(clk.Now)
	co := srv.SeedCompany() // created on 2026-03-02
	clk.Advance(48 * time.Hour)
	if _, err := c.UpdateUserByExternalID(ctx, "HR-5", learnamp.UpdateUserParams{Email: "katherine.johnson@acme.test", FirstName: "Katherine", LastName: "Johnson", JobTitle: learnamp.Ptr("AE")}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeactivateUser(ctx, co.Users["HR-4"]); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		p     learnamp.ListUsersParams
		query url.Values
		want  []string // integrationExternalIds
	}{
		{"none", learnamp.ListUsersParams{}, url.Values{}, []string{"HR-1", "HR-2", "HR-3", "HR-4", "HR-5", "HR-6"}},
		{"email", learnamp.ListUsersParams{Email: "ada.lovelace@acme.test"}, url.Values{"filters[email]": {"ada.lovelace@acme.test"}}, []string{"HR-2"}},
		{"external id", learnamp.ListUsersParams{IntegrationExternalID: "HR-3"}, url.Values{"filters[integration_external_id]": {"HR-3"}}, []string{"HR-3"}},
		{"first name part", learnamp.ListUsersParams{FirstName: "ALAN"}, url.Values{"filters[first_name]": {"ALAN"}}, []string{"HR-3"}},
		{"last name part", learnamp.ListUsersParams{LastName: "son"}, url.Values{"filters[last_name]": {"son"}}, []string{"HR-4", "HR-5"}},
		{"role", learnamp.ListUsersParams{Role: "viewer"}, url.Values{"filters[role]": {"viewer"}}, []string{"HR-1", "HR-2", "HR-3", "HR-4", "HR-5", "HR-6"}},
		{"no team", learnamp.ListUsersParams{NoTeam: true}, url.Values{"filters[no_team]": {"true"}}, []string{"HR-4", "HR-6"}},
		{"teams", learnamp.ListUsersParams{TeamIDs: []string{co.Teams["dept-4"], co.Teams["dept-2"]}},
			url.Values{"filters[team_ids][]": {co.Teams["dept-4"], co.Teams["dept-2"]}}, []string{"HR-2", "HR-3", "HR-5"}},
		{"statuses", learnamp.ListUsersParams{Statuses: []learnamp.Status{learnamp.StatusInvitePending, learnamp.StatusDeactivated}},
			url.Values{"filters[status][]": {"invite_pending", "deactivated"}}, []string{"HR-3", "HR-4", "HR-6"}},
		{"updated since", learnamp.ListUsersParams{UpdatedFrom: date(2026, 3, 3)},
			url.Values{"filters[updated_at][from]": {"2026-03-03"}}, []string{"HR-4", "HR-5"}},
		{"updated until", learnamp.ListUsersParams{UpdatedTo: date(2026, 3, 2)},
			url.Values{"filters[updated_at][to]": {"2026-03-02"}}, []string{"HR-1", "HR-2", "HR-3", "HR-6"}},
		{"created range", learnamp.ListUsersParams{CreatedFrom: date(2026, 3, 1), CreatedTo: date(2026, 3, 2)},
			url.Values{"filters[created_at][from]": {"2026-03-01"}, "filters[created_at][to]": {"2026-03-02"}}, []string{"HR-1", "HR-2", "HR-3", "HR-4", "HR-5", "HR-6"}},
		{"deactivated range", learnamp.ListUsersParams{DeactivatedFrom: date(2026, 3, 4), DeactivatedTo: date(2026, 3, 4)},
			url.Values{"filters[deactivated_at][from]": {"2026-03-04"}, "filters[deactivated_at][to]": {"2026-03-04"}}, []string{"HR-4"}},
		{"expanded and combined", learnamp.ListUsersParams{Expanded: true, LastName: "o", Statuses: []learnamp.Status{learnamp.StatusConfirmed}},
			url.Values{"expanded": {"true"}, "filters[last_name]": {"o"}, "filters[status][]": {"confirmed"}}, []string{"HR-1", "HR-2", "HR-5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Log().Reset()
			var got []string
			for u, err := range c.ListUsers(ctx, tt.p) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, u.IntegrationExternalID)
				if tt.p.Expanded && u.ProfileURL == "" {
					t.Error("expanded user without profileUrl")
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("users (-want +got):\n%s", d)
			}
			q := apiEntries(srv)[0].Query
			tt.query["page"], tt.query["perPage"] = []string{"1"}, []string{"100"}
			if d := cmp.Diff(tt.query, q); d != "" {
				t.Errorf("query (-want +got):\n%s", d)
			}
		})
	}
}

// TestListUsersExpandedFields: expanded users carry manager and teams.
func TestListUsersExpandedFields(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	pg, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{Expanded: true, IntegrationExternalID: "HR-2"})
	if err != nil || len(pg.Items) != 1 {
		t.Fatalf("%v %+v", err, pg)
	}
	u := pg.Items[0]
	if u.Manager == nil || u.Manager.ID != co.Users["HR-1"] || u.PrimaryTeam == nil || u.PrimaryTeam.ID != co.Teams["dept-4"] {
		t.Errorf("expanded user %+v", u)
	}
	short, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{IntegrationExternalID: "HR-2"})
	if err != nil || short.Items[0].Manager != nil || short.Items[0].PrimaryTeam != nil {
		t.Errorf("short user %v %+v", err, short.Items)
	}
}

// TestListUsersParamsRefused: bad params fail before any request.
func TestListUsersParamsRefused(t *testing.T) {
	tests := []struct {
		name string
		p    learnamp.ListUsersParams
		want string
	}{
		{"negative page", learnamp.ListUsersParams{PageParams: learnamp.PageParams{Page: -1}}, "page -1 is negative"},
		{"negative perPage", learnamp.ListUsersParams{PageParams: learnamp.PageParams{PerPage: -5}}, "perPage -5"},
		{"unknown status", learnamp.ListUsersParams{Statuses: []learnamp.Status{"active"}}, `status "active"`},
		{"bad team id", learnamp.ListUsersParams{TeamIDs: []string{"x1"}}, `team id "x1"`},
		{"backwards range", learnamp.ListUsersParams{UpdatedFrom: date(2026, 3, 2), UpdatedTo: date(2026, 3, 1)}, "ends (2026-03-01) before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			_, err := c.ListUsersPage(context.Background(), tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "learnamp: list users: ") {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if n := srv.Log().Count(nil); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestListUsersPaging: the iterator asks for exactly the pages
// Total-Pages announces, whatever size the fake serves, and stops when
// the caller does.
func TestListUsersPaging(t *testing.T) {
	tests := []struct {
		name     string
		users    int
		p        learnamp.PageParams
		stopAt   int // stop after this many users (0: read all)
		wantGets []string
		wantN    int
	}{
		{"three pages of 100", 250, learnamp.PageParams{}, 0, []string{"1/100", "2/100", "3/100"}, 250},
		{"exact pages", 200, learnamp.PageParams{PerPage: 100}, 0, []string{"1/100", "2/100"}, 200},
		{"server clamps 500 to 100", 250, learnamp.PageParams{PerPage: 500}, 0, []string{"1/500", "2/500", "3/500"}, 250},
		{"small pages", 7, learnamp.PageParams{PerPage: 3}, 0, []string{"1/3", "2/3", "3/3"}, 7},
		{"from page 2", 250, learnamp.PageParams{Page: 2}, 0, []string{"2/100", "3/100"}, 150},
		{"empty", 0, learnamp.PageParams{}, 0, []string{"1/100"}, 0},
		{"stop early", 250, learnamp.PageParams{}, 5, []string{"1/100"}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			for i := 0; i < tt.users; i++ {
				srv.AddUser(learnamptest.User{Email: fmt.Sprintf("u%03d@acme.test", i), FirstName: "U", LastName: fmt.Sprint(i)})
			}
			n := 0
			var prev string
			for u, err := range c.ListUsers(context.Background(), learnamp.ListUsersParams{PageParams: tt.p}) {
				if err != nil {
					t.Fatal(err)
				}
				if u.ID <= prev {
					t.Fatalf("user %s after %s: out of order or repeated", u.ID, prev)
				}
				prev = u.ID
				n++
				if n == tt.stopAt {
					break
				}
			}
			var gets []string
			for _, e := range srv.Log().Entries() {
				if !learnamptest.IsTokenRequest(e) {
					gets = append(gets, e.Query.Get("page")+"/"+e.Query.Get("perPage"))
				}
			}
			if d := cmp.Diff(tt.wantGets, gets); d != "" {
				t.Errorf("pages asked (-want +got):\n%s", d)
			}
			if n != tt.wantN {
				t.Errorf("%d users, want %d", n, tt.wantN)
			}
			if tk := srv.Log().Count(isToken); tk != 1 {
				t.Errorf("%d token requests", tk)
			}
		})
	}
}

// TestListUsersPageTotals: the page type carries Learn Amp's headers.
func TestListUsersPageTotals(t *testing.T) {
	srv, c := newFake(t)
	for i := 0; i < 45; i++ {
		srv.AddUser(learnamptest.User{Email: fmt.Sprintf("u%d@acme.test", i), FirstName: "U", LastName: "V"})
	}
	for _, tt := range []struct {
		page, items int
		next        bool
	}{{1, 20, true}, {2, 20, true}, {3, 5, false}, {4, 0, false}} {
		pg, err := c.ListUsersPage(context.Background(), learnamp.ListUsersParams{PageParams: learnamp.PageParams{Page: tt.page, PerPage: 20}})
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("page %d: %d items, per %d, total %d, pages %d, next %v", pg.Page, len(pg.Items), pg.PerPage, pg.Total, pg.TotalPages, pg.HasNext())
		want := fmt.Sprintf("page %d: %d items, per 20, total 45, pages 3, next %v", tt.page, tt.items, tt.next)
		if got != want {
			t.Errorf("%s, want %s", got, want)
		}
	}
}

func TestGetUser(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	id := srv.AddUser(learnamptest.User{Email: "ada@acme.test", FirstName: "Ada", LastName: "Lovelace", IntegrationExternalID: "HR/1001"})
	u, err := c.GetUser(ctx, id)
	if err != nil || u.IntegrationExternalID != "HR/1001" || u.Email != "ada@acme.test" {
		t.Fatalf("GetUser: %v %+v", err, u)
	}
	byExt, err := c.GetUserByExternalID(ctx, "HR/1001")
	if err != nil || byExt.ID != id {
		t.Fatalf("GetUserByExternalID: %v %+v", err, byExt)
	}
	last := srv.Log().Entries()[srv.Log().Count(nil)-1]
	if last.Path != "/proxy/learnamp/v1/users/by_integration_external_id/HR/1001" {
		t.Errorf("path %q", last.Path)
	}
	for _, ext := range []string{"HR-404", ".", ".."} {
		if _, err := c.GetUserByExternalID(ctx, ext); !errors.Is(err, learnamp.ErrNotFound) {
			t.Errorf("unknown %q: %v, want ErrNotFound", ext, err)
		}
	}
	_, err = c.GetUser(ctx, "9999")
	var apiErr *learnamp.APIError
	if !errors.Is(err, learnamp.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Message != "Not found" ||
		err.Error() != "learnamp: get user 9999: GET /proxy/learnamp/v1/users/9999: 404 Not found" {
		t.Errorf("unknown id: %v", err)
	}
	before := srv.Log().Count(nil)
	for _, bad := range []string{"", "abc", "0", "-1", "1.5", "012"} {
		if _, err := c.GetUser(ctx, bad); err == nil || !strings.Contains(err.Error(), "is not a Learn Amp id") {
			t.Errorf("GetUser(%q): %v", bad, err)
		}
	}
	if _, err := c.GetUserByExternalID(ctx, " "); err == nil {
		t.Error("blank external id accepted")
	}
	if n := srv.Log().Count(nil); n != before {
		t.Errorf("%d requests for refused ids", n-before)
	}
}

// TestCreateUserPayloads: the bodies are the documented ones, exactly.
func TestCreateUserPayloads(t *testing.T) {
	tests := []struct {
		name   string
		p      func(co learnamptest.Company) learnamp.CreateUserParams
		golden string
		invite bool
	}{
		{"every field", func(co learnamptest.Company) learnamp.CreateUserParams {
			return learnamp.CreateUserParams{
				Email: "edsger.dijkstra@acme.test", FirstName: "Edsger", LastName: "Dijkstra", IntegrationExternalID: "HR-7",
				Language: "nl", JobTitle: "Engineer", Role: "viewer", HireDate: learnamp.Ptr(date(2026, 3, 1)),
				Location: "Athens", Department: "R&D", PrimaryTeamIntegrationExternalID: "dept-4",
				SecondaryTeamIDs: []string{co.Teams["dept-2"]}, ManagerEmail: "grace.hopper@acme.test",
				CustomFields: []learnamp.CustomField{{Name: "Division", Value: "Europe"}},
			}
		}, "user_create_request.golden.json", false},
		{"required only", func(learnamptest.Company) learnamp.CreateUserParams {
			return learnamp.CreateUserParams{Email: "edsger.dijkstra@acme.test", FirstName: "Edsger", LastName: "Dijkstra"}
		}, "user_create_minimal_request.golden.json", false},
		{"ids and invitation", func(co learnamptest.Company) learnamp.CreateUserParams {
			return learnamp.CreateUserParams{Email: "edsger.dijkstra@acme.test", FirstName: "Edsger", LastName: "Dijkstra",
				PrimaryTeamID: co.Teams["dept-1"], SecondaryTeamIntegrationExternalIDs: []string{"dept-2"},
				ManagerID: co.Users["HR-1"], SendInvitation: true}
		}, "user_create_invite_request.golden.json", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			co := srv.SeedCompany()
			srv.AddCustomField("Division", false)
			u, err := c.CreateUser(context.Background(), tt.p(co))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, lastBody(t, srv))
			stored, _ := srv.User(u.ID)
			wantStatus := learnamp.StatusNotInvited
			if tt.invite {
				wantStatus = learnamp.StatusInvitePending
			}
			if stored.Status != wantStatus || u.Status.State() != wantStatus || (len(srv.Invitations()) == 1) != tt.invite {
				t.Errorf("status %q / %q, invitations %v", stored.Status, u.Status.State(), srv.Invitations())
			}
		})
	}
}

// TestCreateUserStored: what the fake stored and answered for every field.
func TestCreateUserStored(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	srv.AddCustomField("Division", false)
	u, err := c.CreateUser(context.Background(), learnamp.CreateUserParams{
		Email: "edsger.dijkstra@acme.test", FirstName: "Edsger", LastName: "Dijkstra", IntegrationExternalID: "HR-7",
		Language: "nl", HireDate: learnamp.Ptr(date(2026, 3, 1)), PrimaryTeamIntegrationExternalID: "dept-4",
		SecondaryTeamIDs: []string{co.Teams["dept-2"]}, ManagerEmail: "grace.hopper@acme.test",
		CustomFields: []learnamp.CustomField{{Name: "Division", Value: "Europe"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.User(u.ID)
	got := []string{stored.PrimaryTeamID, strings.Join(stored.SecondaryTeamIDs, ","), stored.ManagerID, stored.CustomFields["Division"], stored.HireDate.String(), stored.Language}
	want := []string{co.Teams["dept-4"], co.Teams["dept-2"], co.Users["HR-1"], "Europe", "2026-03-01", "nl"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stored (-want +got):\n%s", d)
	}
	if u.Manager == nil || u.Manager.ID != co.Users["HR-1"] || u.PrimaryTeam.ID != co.Teams["dept-4"] || len(u.SecondaryTeams) != 1 {
		t.Errorf("reply %+v", u)
	}
}

// TestCreateUserRefused: what Learn Amp would refuse is refused before sending.
func TestCreateUserRefused(t *testing.T) {
	ok := learnamp.CreateUserParams{Email: "a@acme.test", FirstName: "A", LastName: "B"}
	with := func(f func(*learnamp.CreateUserParams)) learnamp.CreateUserParams { p := ok; f(&p); return p }
	tests := []struct {
		name string
		p    learnamp.CreateUserParams
		want string
	}{
		{"no email", with(func(p *learnamp.CreateUserParams) { p.Email = "" }), "email is required"},
		{"no first name", with(func(p *learnamp.CreateUserParams) { p.FirstName = " " }), "firstName is required"},
		{"no last name", with(func(p *learnamp.CreateUserParams) { p.LastName = "" }), "lastName is required"},
		{"display-name email", with(func(p *learnamp.CreateUserParams) { p.Email = "A <a@acme.test>" }), "not a plain email"},
		{"both primary teams", with(func(p *learnamp.CreateUserParams) { p.PrimaryTeamID, p.PrimaryTeamIntegrationExternalID = "1", "x" }), "primaryTeamId and primaryTeamIntegrationExternalId are mutually exclusive"},
		{"both secondaries", with(func(p *learnamp.CreateUserParams) {
			p.SecondaryTeamIDs, p.SecondaryTeamIntegrationExternalIDs = []string{"1"}, []string{"x"}
		}), "secondaryTeamIds and secondaryTeamIntegrationExternalIds"},
		{"both managers", with(func(p *learnamp.CreateUserParams) { p.ManagerID, p.ManagerEmail = "1", "m@acme.test" }), "managerId and managerEmail"},
		{"bad team id", with(func(p *learnamp.CreateUserParams) { p.PrimaryTeamID = "ops" }), `primary team id "ops"`},
		{"bad secondary id", with(func(p *learnamp.CreateUserParams) { p.SecondaryTeamIDs = []string{"1", "x"} }), `secondary team id "x"`},
		{"bad manager id", with(func(p *learnamp.CreateUserParams) { p.ManagerID = "boss" }), `manager id "boss"`},
		{"nameless custom field", with(func(p *learnamp.CreateUserParams) { p.CustomFields = []learnamp.CustomField{{Value: "v"}} }), "custom field 0 has no name"},
		{"impossible date", with(func(p *learnamp.CreateUserParams) { p.HireDate = learnamp.Ptr(date(2026, 2, 30)) }), "hireDate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			_, err := c.CreateUser(context.Background(), tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "learnamp: create user ") {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if n := srv.Log().Count(nil); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestCreateUserVendorErrors: Learn Amp's refusals arrive as APIErrors with
// its text, its fullErrors and the right sentinel.
func TestCreateUserVendorErrors(t *testing.T) {
	base := learnamp.CreateUserParams{Email: "new@acme.test", FirstName: "N", LastName: "U"}
	with := func(f func(*learnamp.CreateUserParams)) learnamp.CreateUserParams { p := base; f(&p); return p }
	tests := []struct {
		name     string
		p        learnamp.CreateUserParams
		status   int
		sentinel error
		message  string
		full     map[string][]string
	}{
		{"taken email", with(func(p *learnamp.CreateUserParams) { p.Email = "ADA.lovelace@acme.test" }), 400, learnamp.ErrInvalid,
			"Validation failed: Email has already been taken", map[string][]string{"email": {"has already been taken"}}},
		{"taken external id", with(func(p *learnamp.CreateUserParams) { p.IntegrationExternalID = "HR-1" }), 400, learnamp.ErrInvalid,
			"Validation failed: Integration external id has already been taken", map[string][]string{"integrationExternalId": {"has already been taken"}}},
		{"unknown primary team", with(func(p *learnamp.CreateUserParams) { p.PrimaryTeamIntegrationExternalID = "dept-99" }), 400, learnamp.ErrInvalid,
			"primaryTeamIntegrationExternalId must match existing teams integration external IDs",
			map[string][]string{"primaryTeamIntegrationExternalId": {"must match existing teams integration external IDs"}}},
		{"unknown team id", with(func(p *learnamp.CreateUserParams) { p.SecondaryTeamIDs = []string{"999"} }), 400, learnamp.ErrInvalid,
			"secondaryTeamIds must match existing teams IDs", map[string][]string{"secondaryTeamIds": {"must match existing teams IDs"}}},
		{"unknown manager email", with(func(p *learnamp.CreateUserParams) { p.ManagerEmail = "nobody@acme.test" }), 400, learnamp.ErrInvalid,
			"managerEmail must match an existing user email within your company", nil},
		{"deactivated manager", with(func(p *learnamp.CreateUserParams) { p.ManagerEmail = "dorothy.vaughan@acme.test" }), 400, learnamp.ErrInvalid,
			"managerEmail must match an existing user email within your company", nil},
		{"owner role", with(func(p *learnamp.CreateUserParams) { p.Role = "owner" }), 400, learnamp.ErrInvalid,
			"role does not have a valid value", map[string][]string{"role": {"does not have a valid value"}}},
		{"unknown language", with(func(p *learnamp.CreateUserParams) { p.Language = "xx" }), 400, learnamp.ErrInvalid,
			"language does not have a valid value", map[string][]string{"language": {"does not have a valid value"}}},
		{"hr without the package", with(func(p *learnamp.CreateUserParams) { p.Role = "hr" }), 422, learnamp.ErrInvalid,
			"role hr requires the HR package on your company", nil},
		{"unknown custom field", with(func(p *learnamp.CreateUserParams) {
			p.CustomFields = []learnamp.CustomField{{Name: "Shoe size", Value: "9"}}
		}), 404, learnamp.ErrNotFound,
			"Not found", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			srv.SeedCompany()
			before := len(srv.Users())
			_, err := c.CreateUser(context.Background(), tt.p)
			var apiErr *learnamp.APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, tt.sentinel) {
				t.Fatalf("err %v, want an APIError matching %v", err, tt.sentinel)
			}
			if apiErr.StatusCode != tt.status || apiErr.Message != tt.message {
				t.Errorf("APIError %d %q, want %d %q", apiErr.StatusCode, apiErr.Message, tt.status, tt.message)
			}
			if d := cmp.Diff(tt.full, apiErr.FullErrors); d != "" {
				t.Errorf("FullErrors (-want +got):\n%s", d)
			}
			if len(srv.Users()) != before {
				t.Error("a refused create stored a user")
			}
		})
	}
}

// TestCreateUserOutcomeUnknown: a create applied whose reply is lost is
// ErrOutcomeUnknown, never retried blindly; the user exists once.
func TestCreateUserOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(learnamptest.Fault{Method: "POST", Path: "/proxy/learnamp/v1/users", Times: 1, ApplyThenDrop: true})
	_, err := c.CreateUser(context.Background(), learnamp.CreateUserParams{Email: "a@acme.test", FirstName: "A", LastName: "B", IntegrationExternalID: "HR-9"})
	if !errors.Is(err, learnamp.ErrOutcomeUnknown) {
		t.Fatalf("err %v, want ErrOutcomeUnknown", err)
	}
	if n := srv.Log().Count(learnamptest.IsWrite) - srv.Log().Count(isToken); n != 1 {
		t.Errorf("%d creates sent, want 1", n)
	}
	u, err := c.GetUserByExternalID(context.Background(), "HR-9")
	if err != nil || u.Email != "a@acme.test" {
		t.Errorf("look-up after the lost reply: %v %+v", err, u)
	}
}

// TestUpdateUserPayloads: the update bodies, by id and by external id.
func TestUpdateUserPayloads(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	srv.AddCustomField("Division", false)
	srv.AddOccupationRole("Software Engineer")
	ada := co.Users["HR-2"]
	u, err := c.UpdateUser(ctx, ada, learnamp.UpdateUserParams{
		Email: "ada.lovelace@acme.test", FirstName: "Ada", LastName: "King",
		IntegrationExternalID: learnamp.Ptr(""), JobTitle: learnamp.Ptr("Senior Engineer"),
		HireDate: learnamp.Ptr(date(2026, 3, 1)), PrimaryTeamID: learnamp.Ptr(co.Teams["dept-2"]),
		SecondaryTeamIDs: []string{}, ManagerID: learnamp.Ptr(co.Users["HR-4"]),
		OccupationRole: learnamp.Ptr("Software Engineer"), Reactivate: true,
		CustomFields: []learnamp.CustomField{{Name: "Division", Value: ""}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "user_update_request.golden.json", lastBody(t, srv))
	stored, _ := srv.User(ada)
	if stored.LastName != "King" || stored.IntegrationExternalID != "" || stored.PrimaryTeamID != co.Teams["dept-2"] ||
		len(stored.SecondaryTeamIDs) != 0 || stored.ManagerID != co.Users["HR-4"] || stored.OccupationRole != "Software Engineer" {
		t.Errorf("stored %+v", stored)
	}
	if u.OccupationRole != "Software Engineer" || u.JobTitle != "Senior Engineer" || u.IntegrationExternalID != "" {
		t.Errorf("reply %+v", u)
	}

	// By external id: the three required fields and one change.
	srv.Log().Reset()
	u, err = c.UpdateUserByExternalID(ctx, "HR-1", learnamp.UpdateUserParams{Email: "grace.hopper@acme.test", FirstName: "Grace", LastName: "Hopper", Location: learnamp.Ptr("Edinburgh")})
	if err != nil || u.ID != co.Users["HR-1"] || u.Location != "Edinburgh" || u.JobTitle != "CTO" {
		t.Fatalf("%v %+v", err, u)
	}
	checkGolden(t, "user_update_minimal_request.golden.json", lastBody(t, srv))
	if e := srv.Log().Entries()[0]; e.Method != "PUT" || e.Path != "/proxy/learnamp/v1/users/by_integration_external_id/HR-1" {
		t.Errorf("sent %s %s", e.Method, e.Path)
	}
	// Taking another user's email is Learn Amp's 400.
	_, err = c.UpdateUserByExternalID(ctx, "HR-1", learnamp.UpdateUserParams{Email: "ada.lovelace@acme.test", FirstName: "Grace", LastName: "Hopper"})
	var apiErr *learnamp.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, learnamp.ErrInvalid) || apiErr.FullErrors["email"][0] != "has already been taken" {
		t.Errorf("taken email: %v", err)
	}
}

// TestUpdateUserRenamesExternalID: the by-external-id route can rename it.
func TestUpdateUserRenamesExternalID(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	id := srv.AddUser(learnamptest.User{Email: "a@acme.test", FirstName: "A", LastName: "B", IntegrationExternalID: "old"})
	u, err := c.UpdateUserByExternalID(ctx, "old", learnamp.UpdateUserParams{Email: "a@acme.test", FirstName: "A", LastName: "B", IntegrationExternalID: learnamp.Ptr("new")})
	if err != nil || u.ID != id || u.IntegrationExternalID != "new" {
		t.Fatalf("%v %+v", err, u)
	}
	if _, err := c.GetUserByExternalID(ctx, "old"); !errors.Is(err, learnamp.ErrNotFound) {
		t.Errorf("old external id still found: %v", err)
	}
	if _, ok := srv.UserByExternalID("new"); !ok {
		t.Error("new external id not indexed")
	}
}

// TestUpdateUserRefused: bad update params are refused before sending.
func TestUpdateUserRefused(t *testing.T) {
	ok := learnamp.UpdateUserParams{Email: "a@acme.test", FirstName: "A", LastName: "B"}
	with := func(f func(*learnamp.UpdateUserParams)) learnamp.UpdateUserParams { p := ok; f(&p); return p }
	tests := []struct {
		name string
		id   string
		p    learnamp.UpdateUserParams
		want string
	}{
		{"bad id", "u1", ok, `user id "u1"`},
		{"no email", "1", with(func(p *learnamp.UpdateUserParams) { p.Email = "" }), "email is required"},
		{"both managers", "1", with(func(p *learnamp.UpdateUserParams) {
			p.ManagerID, p.ManagerEmail = learnamp.Ptr("1"), learnamp.Ptr("m@x.test")
		}), "mutually exclusive"},
		{"empty manager id", "1", with(func(p *learnamp.UpdateUserParams) { p.ManagerID = learnamp.Ptr("") }), "cannot be cleared"},
		{"bad team id", "1", with(func(p *learnamp.UpdateUserParams) { p.PrimaryTeamID = learnamp.Ptr("t") }), `primary team id "t"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			if _, err := c.UpdateUser(context.Background(), tt.id, tt.p); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if n := srv.Log().Count(nil); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestUserLifecycle: deactivate (out of every team), reactivate, delete.
func TestUserLifecycle(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	co := srv.SeedCompany()
	ada := co.Users["HR-2"]
	if err := c.DeactivateUser(ctx, ada); err != nil {
		t.Fatal(err)
	}
	u, _ := srv.User(ada)
	if u.Status != learnamp.StatusDeactivated || u.PrimaryTeamID != "" || slices.Contains(srv.TeamUsers(co.Teams["dept-4"]), ada) {
		t.Errorf("after deactivate: %+v, team users %v", u, srv.TeamUsers(co.Teams["dept-4"]))
	}
	if err := c.ReactivateUser(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if u, _ := srv.User(ada); u.Status != learnamp.StatusConfirmed || !u.DeactivatedAt.IsZero() {
		t.Errorf("after reactivate: %+v", u)
	}
	if err := c.DeleteUser(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.User(ada); ok {
		t.Error("user still there after delete")
	}
	for name, err := range map[string]error{
		"deactivate": c.DeactivateUser(ctx, ada), "reactivate": c.ReactivateUser(ctx, ada), "delete": c.DeleteUser(ctx, ada),
	} {
		if !errors.Is(err, learnamp.ErrNotFound) {
			t.Errorf("%s a deleted user: %v, want ErrNotFound", name, err)
		}
	}
	want := []string{"PUT /v1/users/" + ada + "/deactivate 204", "PUT /v1/users/" + ada + "/reactivate 204", "DELETE /v1/users/" + ada + " 204"}
	if d := cmp.Diff(want, calls(srv)[1:4]); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

// TestParseStatus maps Learn Amp's status texts.
func TestParseStatus(t *testing.T) {
	for text, want := range map[string]learnamp.Status{
		"Confirmed": learnamp.StatusConfirmed, "Invite pending": learnamp.StatusInvitePending,
		"Invite Pending": learnamp.StatusInvitePending, "Not yet invited": learnamp.StatusNotInvited,
		"Invite scheduled": learnamp.StatusInviteScheduled, "Deactivated": learnamp.StatusDeactivated,
		"invite_pending": learnamp.StatusInvitePending, "  confirmed ": learnamp.StatusConfirmed,
		"External Contributor": "", "": "", "Active": "",
	} {
		if got := learnamp.ParseStatus(text); got != want {
			t.Errorf("ParseStatus(%q) = %q, want %q", text, got, want)
		}
	}
}

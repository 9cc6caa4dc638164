package talentlms_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
)

// With a branch, List yields only its users and their enrollments, and
// InScope says the same of every user read, by Get and Find too.
func TestConnectorBranchScope(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{Branch: "Sales"})
	co := srv.SeedCompany()
	u := co.Users
	var listed []string
	for _, r := range listAll(t, k, syncengine.Users) {
		listed = append(listed, r.ID)
		if !k.InScope(syncengine.Users, r) {
			t.Errorf("listed user %s is out of scope", r.ID)
		}
	}
	if d := cmp.Diff([]string{u["ana.lima"], u["kwame.mensah"], u["ed.silva"]}, listed); d != "" {
		t.Errorf("listed (-want +got):\n%s", d)
	}
	for login, in := range map[string]bool{"ana.lima": true, "bo.chen": false, "laura.rossi": false} {
		got, err := k.Get(ctx, syncengine.Users, u[login])
		if err != nil {
			t.Fatal(err)
		}
		if k.InScope(syncengine.Users, got) != in {
			t.Errorf("Get %s: InScope = %v, want %v", login, !in, in)
		}
		found, err := k.Find(ctx, syncengine.Users, "email", got.Fields["email"])
		if err != nil || len(found) != 1 || k.InScope(syncengine.Users, found[0]) != in {
			t.Errorf("Find %s: %v, %v", login, found, err)
		}
	}
	bo := enrollment(u["bo.chen"], co.Courses["Security Awareness"], nil)
	ana := enrollment(u["ana.lima"], co.Courses["Security Awareness"], nil)
	if k.InScope(syncengine.Enrollments, bo) || !k.InScope(syncengine.Enrollments, ana) {
		t.Error("enrollments are not scoped by their user")
	}
	// A user who leaves the branch in TalentLMS leaves the scope.
	if _, err := srv.NewClient(t).RemoveUserFromBranch(ctx, u["ana.lima"], co.Branches["Sales"]); err != nil {
		t.Fatal(err)
	}
	if got := byID(listAll(t, k, syncengine.Users)); len(got) != 2 || k.InScope(syncengine.Enrollments, ana) {
		t.Errorf("after ana left the branch: listed %d, enrollment in scope %v", len(got), k.InScope(syncengine.Enrollments, ana))
	}
}

// A branch option that names no branch, or two, fails the listing with an
// error that says so; a number that is no branch id is tried as a name.
func TestConnectorBranchResolution(t *testing.T) {
	for _, tt := range []struct {
		branch, err string
		want        int // users listed
	}{
		{branch: "Marketing", err: `branch "Marketing": the portal has no such branch (it has "Sales", "Engineering", "2024", "Ops", "ops")`},
		{branch: "OPS", err: "share that name"},
		{branch: "ops", want: 0},
		{branch: "2024", want: 1},
		{branch: " engineering ", want: 3},
	} {
		k, srv := newConnector(t, talentlms.ConnectorOptions{Branch: tt.branch})
		co := srv.SeedCompany()
		y := srv.AddBranch(talentlms.Branch{Name: "2024"})
		srv.AddBranch(talentlms.Branch{Name: "Ops"})
		srv.AddBranch(talentlms.Branch{Name: "ops"})
		srv.AddBranchMember(y, co.Users["noor.haddad"])
		var n int
		var err error
		for _, err = range k.List(ctx, syncengine.Users) {
			if err != nil {
				break
			}
			n++
		}
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("Branch %q: err = %v, want %q", tt.branch, err, tt.err)
		case tt.err == "" && (err != nil || n != tt.want):
			t.Errorf("Branch %q: listed %d, %v; want %d", tt.branch, n, err, tt.want)
		}
	}
}

// With Teams, a user's branches are its "teams" refs; WriteRefs makes them
// exactly the ones given, with one call per branch that differs after
// reading the user, and nothing more when they already are.
func TestConnectorWriteTeams(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{Teams: true, Branch: "Sales"})
	co := srv.SeedCompany()
	ana, sales, eng := co.Users["ana.lima"], co.Branches["Sales"], co.Branches["Engineering"]
	listAll(t, k, syncengine.Users)
	teams := func(ids ...string) map[string][]syncengine.Ref {
		refs := []syncengine.Ref{}
		for _, id := range ids {
			refs = append(refs, syncengine.Ref{Collection: syncengine.Teams, ID: id})
		}
		return map[string][]syncengine.Ref{"teams": refs}
	}
	for _, tt := range []struct {
		refs  map[string][]syncengine.Ref
		calls []string
		in    bool // in the Sales scope after
	}{
		{teams(eng), []string{"GET users/id:" + ana, "GET addusertobranch/user_id:" + ana + ",branch_id:" + eng,
			"GET removeuserfrombranch/user_id:" + ana + ",branch_id:" + sales}, false},
		{teams(eng), []string{"GET users/id:" + ana}, false},
		{teams(sales, eng), []string{"GET users/id:" + ana, "GET addusertobranch/user_id:" + ana + ",branch_id:" + sales}, true},
		{teams(), []string{"GET users/id:" + ana, "GET removeuserfrombranch/user_id:" + ana + ",branch_id:" + sales,
			"GET removeuserfrombranch/user_id:" + ana + ",branch_id:" + eng}, false},
		{map[string][]syncengine.Ref{}, nil, false},
	} {
		srv.Log().Reset()
		if err := k.WriteRefs(ctx, syncengine.Users, ana, tt.refs); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tt.calls, paths(srv)); d != "" {
			t.Errorf("WriteRefs %v: calls (-want +got):\n%s", tt.refs, d)
		}
		got, err := k.Get(ctx, syncengine.Users, ana)
		if err != nil {
			t.Fatal(err)
		}
		if want, ok := tt.refs["teams"]; ok && !cmp.Equal(want, got.Refs["teams"]) {
			t.Errorf("after WriteRefs: teams %v, want %v", got.Refs["teams"], want)
		}
		if k.InScope(syncengine.Users, got) != tt.in {
			t.Errorf("after WriteRefs %v: InScope %v", tt.refs, !tt.in)
		}
	}
	srv.Log().Reset()
	for _, bad := range []map[string][]syncengine.Ref{
		{"manager": {{Collection: syncengine.Users, ID: "2"}}},
		{"teams": {{Collection: syncengine.Users, ID: "2"}}},
		{"teams": {{Collection: syncengine.Teams, ID: "x"}}},
	} {
		if err := k.WriteRefs(ctx, syncengine.Users, ana, bad); !errors.Is(err, syncengine.ErrInvalid) {
			t.Errorf("WriteRefs(%v): %v, want ErrInvalid", bad, err)
		}
	}
	if n := len(srv.Log().Entries()); n != 0 {
		t.Errorf("%d requests for refused refs", n)
	}
	if err := k.WriteRefs(ctx, syncengine.Users, "999", teams(eng)); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("WriteRefs of an absent user: %v", err)
	}
}

// Without Teams the connector serves no teams and writes no refs.
func TestConnectorWithoutTeams(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	if k.Capabilities(syncengine.Teams) != 0 || k.Capabilities(syncengine.Users).Has(syncengine.CanWriteRefs) {
		t.Error("teams served without ConnectorOptions.Teams")
	}
	for _, err := range k.List(ctx, syncengine.Teams) {
		if !errors.Is(err, syncengine.ErrUnsupported) {
			t.Errorf("List(teams): %v", err)
		}
	}
	if err := k.WriteRefs(ctx, syncengine.Users, "1", nil); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("WriteRefs: %v", err)
	}
	for _, r := range listAll(t, k, syncengine.Users) {
		if r.Refs != nil {
			t.Errorf("user %s carries refs %v", r.ID, r.Refs)
		}
	}
}

// With a branch, a signup refused because a user of another branch has
// the email puts that user in the branch before the conflict is
// answered, so the engine adopts someone its next listing sees.
func TestConnectorCreateJoinsTheBranchOnConflict(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{Branch: "Engineering"})
	co := srv.SeedCompany()
	ana := co.Users["ana.lima"] // in Sales
	srv.Log().Reset()
	_, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{
		"first_name": "Ana", "last_name": "Lima", "email": "ana.lima@northwind.example"}})
	if !errors.Is(err, syncengine.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if !slices.Contains(srv.BranchMembers(co.Branches["Engineering"]), ana) {
		t.Errorf("Ana is not in Engineering: %v", srv.BranchMembers(co.Branches["Engineering"]))
	}
	if !k.InScope(syncengine.Users, syncengine.Record{ID: ana}) {
		t.Error("Ana is not in scope after joining")
	}
	want := []string{"POST usersignup", "GET users/email:ana.lima@northwind.example", "GET addusertobranch/user_id:" + ana + ",branch_id:" + co.Branches["Engineering"]}
	if got := paths(srv); !slices.Equal(got[len(got)-3:], want) {
		t.Errorf("calls %v, want them to end with %v", got, want)
	}
}

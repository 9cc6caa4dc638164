package talentlms_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talentlms"
)

func TestBranches(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	sales, eng := co.Branches["Sales"], co.Branches["Engineering"]
	all := collect(t, c.ListBranches(ctx))
	if len(all) != 2 || all[0].Name != "Sales" || all[1].Name != "Engineering" || all[0].Users != nil {
		t.Errorf("ListBranches = %+v", all)
	}
	b, err := c.GetBranch(ctx, sales)
	if err != nil {
		t.Fatal(err)
	}
	want := []talentlms.Ref{{ID: co.Users["ana.lima"], Name: "A. Lima"}, {ID: co.Users["kwame.mensah"], Name: "K. Mensah"}, {ID: co.Users["ed.silva"], Name: "E. Silva"}}
	if d := cmp.Diff(want, b.Users); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	if len(b.Courses) != 1 || b.Courses[0].Name != "Sales Playbook" {
		t.Errorf("courses = %+v", b.Courses)
	}
	if _, err := c.GetBranch(ctx, "99"); !errors.Is(err, talentlms.ErrNotFound) {
		t.Errorf("no branch: %v", err)
	}

	laura := co.Users["laura.rossi"]
	m, err := c.AddUserToBranch(ctx, laura, eng)
	if err != nil || *m != (talentlms.BranchMembership{UserID: laura, BranchID: eng, BranchName: "Engineering"}) {
		t.Errorf("AddUserToBranch = %+v, %v", m, err)
	}
	if _, err := c.AddUserToBranch(ctx, laura, eng); !errors.Is(err, talentlms.ErrAlreadyMember) || !errors.Is(err, talentlms.ErrConflict) {
		t.Errorf("second add: %v", err)
	}
	if _, err := c.RemoveUserFromBranch(ctx, laura, eng); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RemoveUserFromBranch(ctx, laura, eng); !errors.Is(err, talentlms.ErrNotMember) {
		t.Errorf("second remove: %v", err)
	}
	if _, err := c.AddUserToBranch(ctx, "999", eng); !errors.Is(err, talentlms.ErrNotFound) {
		t.Errorf("no user: %v", err)
	}
}

// ListBranchUsers reads the branch and then the user list once: 1 + pages.
func TestListBranchUsers(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	seedUsers(srv, 150)
	srv.Log().Reset()
	var got []string
	for _, u := range collect(t, c.ListBranchUsers(ctx, co.Branches["Engineering"])) {
		got = append(got, u.Login)
	}
	if d := cmp.Diff([]string{"bo.chen", "zoe.nunez", "margaret.okonkwo"}, got); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	want := []string{"GET branches/id:" + co.Branches["Engineering"], "GET siteinfo",
		"GET users/page_size:100,page_number:1", "GET users/page_size:100,page_number:2"}
	if d := cmp.Diff(want, paths(srv)); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
	empty := srv.AddBranch(talentlms.Branch{Name: "Empty"})
	srv.Log().Reset()
	if got := collect(t, c.ListBranchUsers(ctx, empty)); len(got) != 0 || srv.Log().Count(nil) != 1 {
		t.Errorf("empty branch: %d users, %d requests", len(got), srv.Log().Count(nil))
	}
	for _, err := range c.ListBranchUsers(ctx, "99") {
		if !errors.Is(err, talentlms.ErrNotFound) {
			t.Errorf("no branch: %v", err)
		}
	}
}

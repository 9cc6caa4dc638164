package jobs_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
)

// With a branch, HR to LMS sees only that branch's users: new users join
// it (usersignup's branch_id, no extra call), a member is updated, a
// terminated employee whose user is in another branch is not deactivated,
// and nobody is created twice: Ana, whose user is in Sales, is refused as
// a duplicate at signup, joins Engineering and is adopted by email. The
// rerun writes nothing and reads only the branch.
func TestTHRBranchHRToLMS(t *testing.T) {
	e := newTHREnv(t, jobs.HRToLMS, func(s *thrSetup) { s.Branch = "Engineering" })
	rep := e.sync(t)
	if rep.Failed() {
		t.Fatalf("%s\n%s", rep.Summary(), rowsText(rep))
	}
	_, lms := e.calls()
	// Three signups (Ana's refused), Ana's look-up by the connector and by
	// the engine, her joining the branch, her and Bo's edituser.
	want := []string{"GET addusertobranch/user_id,branch_id", "POST edituser", "POST edituser",
		"POST usersignup", "POST usersignup", "POST usersignup"}
	if d := cmp.Diff(want, writes(lms)); d != "" {
		t.Errorf("TalentLMS writes (-want +got):\n%s", d)
	}
	eng := e.co.branch["Engineering"]
	for _, who := range []string{"Zoë", "Nia", "Ana"} {
		u := e.lmsUser(t, who)
		if !slices.ContainsFunc(u.Branches, func(b talentlms.Ref) bool { return b.ID == eng }) {
			t.Errorf("%s's branches %+v, want Engineering among them", who, u.Branches)
		}
	}
	if ed := e.lmsUser(t, "Ed"); ed.Status != talentlms.Active {
		t.Errorf("Ed, in Sales, was deactivated by a job scoped to Engineering")
	}
	_, emails := e.emails()
	for email, n := range emails {
		if n != 1 {
			t.Errorf("%s has %d TalentLMS users", email, n)
		}
	}
	if rep := e.sync(t); rep.Writes() != 0 {
		t.Errorf("rerun: %s\n%s", rep.Summary(), rowsText(rep))
	}
	_, calls := e.calls()
	// The branch's members cost one GET branches/id:{id} per listing.
	if d := cmp.Diff(map[string]int{"GET getcustomregistrationfields": 1, "GET users/page_size,page_number": 1, "GET branches/id": 1}, counted(calls)); d != "" {
		t.Errorf("rerun TalentLMS calls (-want +got):\n%s", d)
	}
}

// With a branch, LMS to HR hires only that branch's learners: Lena
// (Engineering), not Omar (Sales).
func TestTHRBranchLMSToHR(t *testing.T) {
	e := newTHREnv(t, jobs.LMSToHR, func(s *thrSetup) { s.Branch = e0Branch })
	rep := e.sync(t)
	got := map[string]syncengine.Result{}
	for _, o := range rep.Outcomes {
		got[o.Name] = o.Result
	}
	want := map[string]syncengine.Result{"Bo Chen": syncengine.ResultUnchanged, "Lena Park": syncengine.ResultCreated}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if _, ok := e.hr.EmployeeByEmail(thrEmail("Omar")); ok {
		t.Error("Omar, in Sales, was hired by a job scoped to Engineering")
	}
}

// e0Branch is given by id: TalentLMS branch ids work as well as names.
const e0Branch = "2"

package talentlms_test

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

var update = flag.Bool("update", false, "rewrite the golden request bodies in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(strings.TrimSpace(string(want)), string(got)); d != "" {
		t.Errorf("%s (-want +got):\n%s", name, d)
	}
}

// lastWrite returns the last POST the fake received.
func lastWrite(t *testing.T, srv *talentlmstest.Server) talentlmstest.Entry {
	t.Helper()
	es := srv.Log().Entries()
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Method == http.MethodPost {
			return es[i]
		}
	}
	t.Fatal("no POST logged")
	return talentlmstest.Entry{}
}

// TestFormBodies sends each write and compares its body, byte for byte,
// with the documented form (testdata/*.form): form-encoded, the v1
// parameter names, on/off and yes/no spelt per parameter, dates in the
// portal's format, nothing empty sent unless it clears.
func TestFormBodies(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	yes := true
	pw := talentlms.Secret("S3cure-Passw0rd")
	u, err := c.CreateUser(ctx, talentlms.CreateUserParams{
		FirstName: "Zoë", LastName: "Ñúñez-O'Brien", Email: "zoe+lms@example.com", Login: "zoe.n",
		Password: pw, RestrictEmail: &yes, BranchID: co.Branches["Engineering"], UserType: "Learner-Type", Language: "en",
		Custom: map[string]string{co.Fields["jobTitle"]: "Engineering Manager", co.Fields["hireDate"]: "07/01/2019"},
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string) {
		t.Helper()
		e := lastWrite(t, srv)
		if ct := e.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		golden(t, name+".form", e.Body)
	}
	check("usersignup")

	bio := ""
	deact := time.Date(2031, time.February, 3, 0, 0, 0, 0, time.UTC)
	if _, err := c.EditUser(ctx, talentlms.EditUserParams{
		UserID: u.ID, LastName: "Núñez", Bio: &bio, DeactivationDate: &deact,
		Custom: map[string]string{co.Fields["jobTitle"]: "", co.Fields["remote"]: "on"},
	}); err != nil {
		t.Fatal(err)
	}
	check("edituser")

	zero := time.Time{}
	if _, err := c.EditUser(ctx, talentlms.EditUserParams{UserID: u.ID, DeactivationDate: &zero}); err != nil {
		t.Fatal(err)
	}
	check("edituser_clear_deactivation")

	if _, err := c.AddUserToCourse(ctx, talentlms.AddUserToCourseParams{CourseID: co.Courses["Sales Playbook"], UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	check("addusertocourse")
	if _, err := c.AddUserToCourse(ctx, talentlms.AddUserToCourseParams{CourseID: co.Courses["Onboarding & Culture"], UserEmail: "zoe+lms@example.com", Role: "instructor"}); err != nil {
		t.Fatal(err)
	}
	check("addusertocourse_email")

	if err := c.DeleteUser(ctx, talentlms.DeleteUserParams{UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	check("deleteuser")
	if err := c.DeleteUser(ctx, talentlms.DeleteUserParams{UserID: co.Users["ed.silva"], DeletedByUserID: co.Users["zoe.nunez"], Permanent: true}); err != nil {
		t.Fatal(err)
	}
	check("deleteuser_permanent")
}

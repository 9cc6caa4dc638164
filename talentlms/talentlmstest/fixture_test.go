package talentlmstest_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// Seed adds the portal's fields, branches, users (custom fields and
// branches by name), courses and enrollments (courses by name or code),
// and returns their ids by name.
func TestSeedPortal(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithoutRateLimit())
	var p talentlmstest.Portal
	err := json.Unmarshal([]byte(`{
		"fields": [{"name": "jobTitle", "type": "text"}, {"name": "department", "type": "dropdown", "options": ["Sales", "People"]}],
		"branches": [{"name": "Sales"}, {"name": "Engineering"}],
		"users": [
			{"login": "ana", "firstName": "Ana", "lastName": "Lima", "email": "ana@acme.test", "branchNames": ["Sales", "Engineering"],
				"fields": {"jobTitle": "Sales Rep", "department": "Sales"}, "createdOn": "2024-01-02T03:04:05Z"},
			{"login": "ivy", "firstName": "Ivy", "lastName": "Quinn", "email": "ivy@acme.test", "status": "inactive"}
		],
		"courses": [{"name": "Security Awareness", "code": "SEC-101"}, {"name": "Onboarding"}],
		"enrollments": [{"login": "ana", "course": "SEC-101", "percent": 40}, {"login": "ivy", "course": "Onboarding"}]}`), &p)
	if err != nil {
		t.Fatal(err)
	}
	co := srv.Seed(p)
	if co.Fields["jobTitle"] != "custom_field_1" || co.Fields["department"] != "custom_field_2" || len(co.Users) != 2 ||
		len(co.Branches) != 2 || len(co.Courses) != 2 {
		t.Fatalf("Seed returned %+v", co)
	}
	ana, _ := srv.User(co.Users["ana"])
	if string(ana.Custom["custom_field_1"]) != `"Sales Rep"` || string(ana.Custom["custom_field_2"]) != `"Sales"` {
		t.Errorf("Ana's custom fields %s", ana.Custom)
	}
	for _, b := range []string{"Sales", "Engineering"} {
		if m := srv.BranchMembers(co.Branches[b]); len(m) != 1 || m[0] != co.Users["ana"] {
			t.Errorf("branch %s members %v, want Ana only", b, m)
		}
	}
	if ivy, _ := srv.User(co.Users["ivy"]); ivy.Status != talentlms.Inactive {
		t.Errorf("Ivy is %q", ivy.Status)
	}
	if !ana.CreatedOn.Time.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Ana created on %v", ana.CreatedOn)
	}
	if pr, ok := srv.Enrollment(co.Users["ana"], co.Courses["Security Awareness"]); !ok || pr.Percent != 40 {
		t.Errorf("Ana in SEC-101: %+v %v", pr, ok)
	}
	if _, ok := srv.Enrollment(co.Users["ivy"], co.Courses["Onboarding"]); !ok {
		t.Error("Ivy is not enrolled in Onboarding")
	}
}

// A custom field, branch, user or course the portal lacks fails the
// seed, naming it.
func TestSeedPortalRefusals(t *testing.T) {
	user := talentlmstest.User{Login: "a", FirstName: "A", LastName: "B", Email: "a@acme.test"}
	for _, tc := range []struct {
		p    talentlmstest.Portal
		want string
	}{
		{talentlmstest.Portal{Users: []talentlmstest.Member{{User: user, Fields: map[string]string{"shoe": "9"}}}}, `no custom field "shoe"`},
		{talentlmstest.Portal{Users: []talentlmstest.Member{{User: user, BranchNames: []string{"Mars"}}}}, `no branch "Mars"`},
		{talentlmstest.Portal{Users: []talentlmstest.Member{{User: user}},
			Enrollments: []talentlmstest.Enrollment{{Login: "a", Course: "Nope"}}}, `enrollment of "a" in "Nope"`},
	} {
		if msg := seedPanic(tc.p); !strings.Contains(msg, tc.want) {
			t.Errorf("Seed: panic %q, want one saying %q", msg, tc.want)
		}
	}
}

// seedPanic seeds p in a fake without a testing.TB and returns the
// message it panics with, "" when it does not.
func seedPanic(p talentlmstest.Portal) (msg string) {
	srv := talentlmstest.NewServer(nil)
	defer srv.Close()
	defer func() { msg, _ = recover().(string) }()
	srv.Seed(p)
	return ""
}

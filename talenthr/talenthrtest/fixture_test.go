package talenthrtest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// Seed adds the lookups in order, names each person's lookups by id
// (adding a job title it lacks), their languages as hr_languages ids and
// their manager by email, and returns the ids by email.
func TestSeedFixture(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	var f talenthrtest.Fixture
	err := json.Unmarshal([]byte(`{
		"lookups": {"department": [{"name": "Engineering"}, {"name": "Sales"}],
			"location": [{"name": "Athens", "address": "Leoforos Kifisias 44"}]},
		"people": [
			{"firstName": "Eleni", "lastName": "Papadaki", "email": "eleni@acme.test", "department": "Sales",
				"jobTitle": "Chief Executive Officer", "location": "Athens", "profile": {"city": "Athens"}},
			{"firstName": "Nikos", "lastName": "Georgiou", "email": "nikos@acme.test", "department": "Engineering",
				"division": "Europe", "jobTitle": "Engineer", "manager": "eleni@acme.test", "languages": ["Greek", "English"]}
		]}`), &f)
	if err != nil {
		t.Fatal(err)
	}
	ids := srv.Seed(f)
	if len(ids) != 2 || ids["eleni@acme.test"] == "" || ids["nikos@acme.test"] == "" {
		t.Fatalf("ids %v", ids)
	}
	if got := srv.Lookups(talenthr.Departments); len(got) != 2 || got[0].Name != "Engineering" || got[1].Name != "Sales" {
		t.Errorf("departments %+v: want Engineering, then Sales", got)
	}
	if got := srv.Lookups(talenthr.Locations); len(got) != 1 || got[0].Address != "Leoforos Kifisias 44" {
		t.Errorf("locations %+v", got)
	}
	eleni, _ := srv.Employee(ids["eleni@acme.test"])
	nikos, _ := srv.Employee(ids["nikos@acme.test"])
	want := map[string]string{"title": srv.LookupID(talenthr.JobTitles, "Engineer"), "dept": srv.LookupID(talenthr.Departments, "Engineering"),
		"div": srv.LookupID(talenthr.Divisions, "Europe"), "manager": eleni.ID}
	got := map[string]string{"title": nikos.JobTitleID, "dept": nikos.DepartmentID, "div": nikos.DivisionID, "manager": nikos.ReportsToEmployeeID}
	if diff := cmp.Diff(want, got); diff != "" || want["title"] == "" || want["div"] == "" {
		t.Errorf("Nikos's references (-want +got):\n%s", diff)
	}
	langs := []any{json.Number(srv.LookupID(talenthr.Languages, "Greek")), json.Number(srv.LookupID(talenthr.Languages, "English"))}
	if diff := cmp.Diff(langs, nikos.Profile["hr_languages"]); diff != "" {
		t.Errorf("hr_languages (-want +got):\n%s", diff)
	}
	if eleni.Profile["city"] != "Athens" || eleni.Profile["hr_languages"] != nil || eleni.LocationID != srv.LookupID(talenthr.Locations, "Athens") {
		t.Errorf("Eleni %+v", eleni)
	}
}

// A language the fake does not know, or a manager not seeded before the
// person, fails the seed, naming it.
func TestSeedFixtureRefusals(t *testing.T) {
	for _, tc := range []struct {
		p    talenthrtest.Person
		want string
	}{
		{talenthrtest.Person{Employee: talenthrtest.Employee{FirstName: "A", LastName: "B", Email: "a@acme.test"},
			Languages: []string{"Klingon"}}, `no language "Klingon"`},
		{talenthrtest.Person{Employee: talenthrtest.Employee{FirstName: "A", LastName: "B", Email: "a@acme.test"},
			Manager: "boss@acme.test"}, `manager "boss@acme.test" is not an earlier person`},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("Seed: panic %v, want one saying %q", r, tc.want)
				}
			}()
			srv := talenthrtest.NewServer(nil)
			defer srv.Close()
			srv.Seed(talenthrtest.Fixture{People: []talenthrtest.Person{tc.p}})
		}()
	}
}

package talenthr_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func gets(srv *talenthrtest.Server) []string {
	var out []string
	for _, e := range srv.Log().Entries() {
		out = append(out, e.Method+" "+e.Path)
	}
	return out
}

// TestResolvePlacement: names resolve ignoring case and spacing, each list
// is read once, and nothing is written.
func TestResolvePlacement(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	srv.SeedCompany()
	c := srv.NewClient(t)
	lk := c.NewLookups()
	p := talenthr.Placement{EmploymentStatus: "full-time", JobTitle: "software  engineer", Department: "Engineering", Division: "EUROPE", Location: "Athens"}
	got, err := lk.ResolvePlacement(ctx, p, talenthr.ResolveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := talenthr.PlacementIDs{EmploymentStatusID: srv.LookupID(talenthr.EmploymentStatuses, "Full-Time"), JobRecord: &talenthr.JobRecord{
		JobTitleID: srv.LookupID(talenthr.JobTitles, "Software Engineer"), DepartmentID: srv.LookupID(talenthr.Departments, "Engineering"),
		DivisionID: srv.LookupID(talenthr.Divisions, "Europe"), LocationID: srv.LookupID(talenthr.Locations, "Athens"),
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := lk.ResolvePlacement(ctx, p, talenthr.ResolveOptions{}); err != nil {
		t.Fatal(err)
	}
	wantCalls := []string{"GET /v1/employment-statuses", "GET /v1/job-titles", "GET /v1/departments", "GET /v1/divisions", "GET /v1/locations"}
	if diff := cmp.Diff(wantCalls, gets(srv)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	only, err := lk.ResolvePlacement(ctx, talenthr.Placement{EmploymentStatus: "Intern"}, talenthr.ResolveOptions{})
	if err != nil || only.JobRecord != nil {
		t.Errorf("status only: %+v, %v", only, err)
	}
	if _, err := lk.ResolvePlacement(ctx, talenthr.Placement{Department: "Sales"}, talenthr.ResolveOptions{}); err == nil {
		t.Error("a placement without an employment status resolved")
	}
}

// TestMissingLookupIsAnErrorByDefault: a missing name fails with a
// LookupError naming it, and nothing is created.
func TestMissingLookupIsAnErrorByDefault(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	srv.SeedCompany()
	c := srv.NewClient(t)
	_, err := c.NewLookups().ResolvePlacement(ctx, talenthr.Placement{EmploymentStatus: "Full-Time", Department: "Research"}, talenthr.ResolveOptions{})
	var le *talenthr.LookupError
	if !errors.As(err, &le) || le.Kind != talenthr.Departments || le.Name != "Research" || !errors.Is(err, talenthr.ErrInvalid) {
		t.Fatalf("err = %v, want a LookupError for department Research", err)
	}
	if want := `talenthr: department "Research" does not exist (ResolveOptions.CreateMissing allows creating it)`; err.Error() != want {
		t.Errorf("text %q, want %q", err, want)
	}
	if n := srv.Log().Count(talenthrtest.IsWrite); n != 0 || srv.LookupID(talenthr.Departments, "Research") != "" {
		t.Errorf("%d writes: a missing department was created without permission", n)
	}
	_, err = c.NewLookups().ResolvePlacement(ctx, talenthr.Placement{EmploymentStatus: "Seasonal"}, talenthr.ResolveOptions{CreateMissing: true})
	if !errors.As(err, &le) || le.Kind != talenthr.EmploymentStatuses || !strings.Contains(err.Error(), "no call that creates one") {
		t.Errorf("missing status with CreateMissing: %v", err)
	}
}

// TestCreateMissingLookups: with the option, missing entries are created
// once and then come from the cache.
func TestCreateMissingLookups(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	srv.SeedCompany()
	c := srv.NewClient(t)
	lk := c.NewLookups()
	p := talenthr.Placement{EmploymentStatus: "Full-Time", Department: "Research", Location: "Berlin", JobTitle: "Software Engineer"}
	got, err := lk.ResolvePlacement(ctx, p, talenthr.ResolveOptions{CreateMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	research, berlin := srv.LookupID(talenthr.Departments, "Research"), srv.LookupID(talenthr.Locations, "Berlin")
	if research == "" || berlin == "" || got.JobRecord.DepartmentID != research || got.JobRecord.LocationID != berlin {
		t.Fatalf("got %+v; fake has Research %q, Berlin %q", got.JobRecord, research, berlin)
	}
	srv.Log().Reset()
	if _, err := lk.ResolvePlacement(ctx, p, talenthr.ResolveOptions{CreateMissing: true}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests for a resolved placement, want 0 (cached)", n)
	}
	if l := srv.Lookups(talenthr.Locations); l[len(l)-1].Name != "Berlin" || l[len(l)-1].Address != "" {
		t.Errorf("created location %+v", l[len(l)-1])
	}
}

// TestEnsureLooksBeforeCreatingAgain: a create whose reply is lost is
// found by reading the list again, not sent twice.
func TestEnsureLooksBeforeCreatingAgain(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(talenthrtest.Fault{Method: "POST", Path: "/v1/job-titles", ApplyThenDrop: true, Times: 1})
	e, created, err := c.NewLookups().Ensure(ctx, talenthr.JobTitles, "Data Engineer", true)
	if err != nil || !created || e.Name != "Data Engineer" || e.ID != srv.LookupID(talenthr.JobTitles, "Data Engineer") {
		t.Fatalf("Ensure = %+v, %v, %v", e, created, err)
	}
	want := []string{"GET /v1/job-titles", "POST /v1/job-titles", "GET /v1/job-titles"}
	if diff := cmp.Diff(want, gets(srv)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if n := len(srv.Lookups(talenthr.JobTitles)); n != 1 {
		t.Errorf("%d job titles, want 1", n)
	}
}

func TestLanguageIDs(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	lk := c.NewLookups()
	ids, err := lk.LanguageIDs(ctx, "Greek", "en")
	if err != nil || !cmp.Equal(ids, []string{srv.LookupID(talenthr.Languages, "Greek"), srv.LookupID(talenthr.Languages, "English")}) {
		t.Errorf("LanguageIDs = %v, %v", ids, err)
	}
	var le *talenthr.LookupError
	if _, err := lk.LanguageIDs(ctx, "Klingon"); !errors.As(err, &le) || le.Kind != talenthr.Languages {
		t.Errorf("unknown language: %v", err)
	}
}

// TestAmbiguousLookup: two entries with one name are an error naming both.
func TestAmbiguousLookup(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"success":true,"data":[{"id":4,"name":"Sales"},{"id":9,"name":"sales "}]}`))
	}))
	defer srv.Close()
	c, err := talenthr.New("k", talenthr.WithBaseURL(srv.URL+"/v1"), talenthr.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.NewLookups().Find(ctx, talenthr.Departments, "SALES")
	var le *talenthr.LookupError
	if !errors.As(err, &le) || !cmp.Equal(le.IDs, []string{"4", "9"}) || !strings.Contains(err.Error(), "ambiguous: ids 4, 9") {
		t.Errorf("err = %v", err)
	}
	if _, _, err := c.NewLookups().Ensure(ctx, talenthr.Departments, "Sales", true); !errors.As(err, &le) {
		t.Errorf("Ensure created a third Sales: %v", err)
	}
}

package talenthr_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// directoryPages counts the directory pages read (a custom-field
// definition read, limit 1, is not one).
func directoryPages(srv *talenthrtest.Server) int {
	return srv.Log().Count(func(e talenthrtest.Entry) bool {
		return e.Method == http.MethodGet && e.Path == "/v1/directory" && e.Query.Get("limit") == "100"
	})
}

func seedDirectory(srv *talenthrtest.Server, n int) {
	for i := range n {
		srv.AddEmployee(talenthrtest.Employee{FirstName: fmt.Sprint("F", i), LastName: fmt.Sprint("L", i),
			Email: fmt.Sprintf("staff%03d@acme.test", i)})
	}
}

// TestFindManyOneRead: FindMany answers every email with one read of the
// directory, the cost of one Find, matching as Find does.
func TestFindManyOneRead(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{})
	seedDirectory(srv, 250) // 3 pages
	srv.Log().Reset()
	got, err := k.FindMany(ctx, syncengine.Users, "email", []any{" STAFF007@acme.test", "staff249@acme.test", "nobody@acme.test", "", nil})
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, r := range got {
		emails = append(emails, r.Fields["email"].(string))
	}
	slices.Sort(emails)
	if !slices.Equal(emails, []string{"staff007@acme.test", "staff249@acme.test"}) {
		t.Errorf("found %v", emails)
	}
	if n := directoryPages(srv); n != 3 {
		t.Errorf("%d directory pages read, want 3 (one read)", n)
	}
	before := srv.Log().Count(nil)
	if got, err := k.FindMany(ctx, syncengine.Users, "email", []any{"", nil}); err != nil || got != nil {
		t.Errorf("no email: %v, %v", got, err)
	}
	if n := srv.Log().Count(nil) - before; n != 0 {
		t.Errorf("%d requests for no email, want 0", n)
	}
}

// TestUnknownHiresOneDirectoryRead: a run whose hires lose their replies
// finds them all with one more directory read, not one read per hire,
// and hires nobody twice.
func TestUnknownHiresOneDirectoryRead(t *testing.T) {
	const staff, learners, lost = 250, 6, 4
	k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"})
	seedDirectory(srv, staff)
	var emails []string
	for i := range learners {
		emails = append(emails, fmt.Sprintf("new%d@acme.test", i))
	}
	eng := hireEngine(t, k, srv, emails)
	srv.AddFault(talenthrtest.Fault{Method: http.MethodPost, Path: "/v1/employees/hire", ApplyThenDrop: true, Times: lost})
	rep, err := eng.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() || rep.Counts[syncengine.ResultCreated] != learners {
		t.Fatalf("report %v: %+v", rep.Counts, rep.Outcomes)
	}
	if n := len(srv.Employees()); n != staff+learners {
		t.Errorf("%d employees, want %d (no hire twice)", n, staff+learners)
	}
	pages := staff/talenthr.MaxPageSize + 1
	if n := directoryPages(srv); n != 2*pages {
		t.Errorf("%d directory pages read, want %d: the plan's read and one for the %d lost replies", n, 2*pages, lost)
	}
	if n := srv.Log().Count(func(e talenthrtest.Entry) bool { return e.Path == "/v1/employees/hire" }); n != learners {
		t.Errorf("%d hires sent, want %d", n, learners)
	}
}

// hireEngine is an engine hiring into k, from an in-memory TalentLMS
// holding one learner per email, with the TalentLMS → TalentHR preset.
func hireEngine(t *testing.T, k *talenthr.Connector, srv *talenthrtest.Server, emails []string) *syncengine.Engine {
	t.Helper()
	lms := syncenginetest.NewConnector("talentlms", syncenginetest.WithFindFold("email"))
	for i, email := range emails {
		lms.Put(syncengine.Users, syncengine.Record{ID: fmt.Sprint("u", i), Active: true, Fields: map[string]any{
			"email": email, "first_name": "F", "last_name": fmt.Sprint("L", i),
			"custom_fields": map[string]any{"hireDate": "2026-04-01"}}})
	}
	eng, err := syncengine.New(syncengine.Config{
		A: lms, B: k, Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB, Now: srv.Now,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Map: preset(t, mapping.PresetTalentLMSTalentHR), Create: true, Update: true,
			Match: []syncengine.MatchKey{{Field: "email", Fold: true}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

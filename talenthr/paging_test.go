package talenthr_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func seedEmployees(srv *talenthrtest.Server, n int) {
	for i := 0; i < n; i++ {
		srv.AddEmployee(talenthrtest.Employee{FirstName: "E", LastName: fmt.Sprint(i), Email: fmt.Sprintf("e%d@acme.test", i)})
	}
}

// TestListDirectoryCallCounts: pages of the limit, offsets advanced by
// the rows received, and never a request after a short page.
func TestListDirectoryCallCounts(t *testing.T) {
	tests := []struct {
		rows, limit int
		wantOffsets []string
	}{
		{0, 0, []string{"0"}},
		{99, 0, []string{"0"}},
		{100, 0, []string{"0", "100"}},
		{250, 0, []string{"0", "100", "200"}},
		{25, 10, []string{"0", "10", "20"}},
		{30, 10, []string{"0", "10", "20", "30"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d rows limit %d", tt.rows, tt.limit), func(t *testing.T) {
			srv := talenthrtest.NewServer(t)
			seedEmployees(srv, tt.rows)
			c := srv.NewClient(t)
			seen := map[string]bool{}
			for row, err := range c.ListDirectory(ctx, talenthr.DirectoryParams{Limit: tt.limit}) {
				if err != nil {
					t.Fatal(err)
				}
				seen[row.ID] = true
			}
			if len(seen) != tt.rows {
				t.Errorf("%d distinct rows, want %d", len(seen), tt.rows)
			}
			wantLimit := fmt.Sprint(tt.limit)
			if tt.limit == 0 {
				wantLimit = "100"
			}
			var offsets []string
			for _, e := range srv.Log().Entries() {
				offsets = append(offsets, e.Query.Get("offset"))
				if e.Query.Get("limit") != wantLimit {
					t.Errorf("limit %q, want %s", e.Query.Get("limit"), wantLimit)
				}
			}
			if diff := cmp.Diff(tt.wantOffsets, offsets); diff != "" {
				t.Errorf("offsets requested (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListDirectoryStopsWhenTheCallerDoes(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	seedEmployees(srv, 250)
	c := srv.NewClient(t)
	n := 0
	for _, err := range c.ListDirectory(ctx, talenthr.DirectoryParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	if got := srv.Log().Count(nil); got != 1 {
		t.Errorf("%d requests after taking 5 rows, want 1", got)
	}
}

func TestListDirectoryPage(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	seedEmployees(srv, 25)
	c := srv.NewClient(t)
	page, err := c.ListDirectoryPage(ctx, talenthr.DirectoryParams{})
	if err != nil || len(page.Rows) != 10 || page.Total != 25 {
		t.Fatalf("default page: %d rows, total %d, %v; want TalentHR's 10 of 25", len(page.Rows), page.Total, err)
	}
	if e := srv.Log().Entries()[0]; e.Query.Has("limit") || e.Query.Get("offset") != "0" {
		t.Errorf("query %v", e.Query)
	}
	all, err := c.ListDirectoryPage(ctx, talenthr.DirectoryParams{Offset: talenthr.NoPaging})
	if err != nil || len(all.Rows) != 25 {
		t.Errorf("NoPaging: %d rows, %v", len(all.Rows), err)
	}
	sorted, err := c.ListDirectoryPage(ctx, talenthr.DirectoryParams{Limit: 3, Sort: "id", Order: "desc",
		CustomFields: nil, Filter: talenthr.DirectoryFilter{EmploymentStates: []string{talenthrtest.EmpStateActive}}})
	if err != nil || len(sorted.Rows) != 3 || sorted.Rows[0].ID != "25" {
		t.Errorf("sorted page: %+v, %v", sorted, err)
	}
	if q := srv.Log().Entries()[2].Query; q.Get("filter") != "emp_state=1" || q.Get("sort") != "id" || q.Get("order") != "desc" {
		t.Errorf("query %v", q)
	}
}

func TestDirectoryParamsRefusedBeforeSending(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	for _, p := range []talenthr.DirectoryParams{
		{Limit: 101}, {Limit: -1}, {Offset: -2}, {Order: "up"},
		{Filter: talenthr.DirectoryFilter{Locations: []string{"36;emp_state=2"}}},
		{CustomFields: []string{"a,b"}},
	} {
		if _, err := c.ListDirectoryPage(ctx, p); err == nil || !strings.HasPrefix(err.Error(), "talenthr: list directory: ") {
			t.Errorf("%+v: err = %v", p, err)
		}
	}
	for _, err := range c.ListDirectory(ctx, talenthr.DirectoryParams{Offset: talenthr.NoPaging}) {
		if err == nil {
			t.Error("ListDirectory took NoPaging")
		}
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestDirectoryFilterString(t *testing.T) {
	f := talenthr.DirectoryFilter{Locations: []string{"36", "37"}, EmploymentStates: []string{"1", "2", "3"}, Departments: []string{"6"}}
	if got := f.String(); got != "department=6;location=36,37;emp_state=1,2,3" {
		t.Errorf("String() = %q", got)
	}
	if !(talenthr.DirectoryFilter{}).IsZero() || f.IsZero() {
		t.Error("IsZero")
	}
}

// TestDirectoryTerminatedEmployees: the fake's default directory hides
// leavers; AllEmploymentStates lists them, with their termination date.
func TestDirectoryTerminatedEmployees(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	list := func(f talenthr.DirectoryFilter) map[string]talenthr.DirectoryRow {
		rows := map[string]talenthr.DirectoryRow{}
		for row, err := range c.ListDirectory(ctx, talenthr.DirectoryParams{Filter: f}) {
			if err != nil {
				t.Fatal(err)
			}
			rows[row.ID] = row
		}
		return rows
	}
	def := list(talenthr.DirectoryFilter{})
	if _, listed := def[ids["terminated"]]; listed || len(def) != 7 {
		t.Errorf("default: %d rows, terminated listed: %v", len(def), listed)
	}
	opts, err := c.DirectoryFilters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := list(opts.AllEmploymentStates())
	today := talenthr.DateOf(srv.Now().UTC())
	if gone := all[ids["terminated"]]; gone.TerminationDate != talenthr.NewDate(2025, 1, 15) || !gone.Terminated(today) {
		t.Errorf("terminated row %+v", gone)
	}
	if leaving := all[ids["leaving"]]; leaving.TerminationDate.IsZero() || leaving.Terminated(today) {
		t.Errorf("leaving row %+v: a future date is not yet a termination", leaving)
	}
}

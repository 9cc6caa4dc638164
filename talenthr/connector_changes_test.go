package talenthr_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// TestConnectorChanges walks a company through the changes a poll must
// and must not report, each poll from the previous one's cursor, each
// costing exactly the directory's pages.
func TestConnectorChanges(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	k.UseCache(&memCache{})
	ids0, cursor, err := k.Changes(ctx, syncengine.Users, "")
	if err != nil || len(ids0) != 0 || !strings.HasPrefix(cursor, "thr1.") {
		t.Fatalf("Changes(\"\") = %v, %q, %v", ids0, cursor, err)
	}
	var hired string
	steps := []struct {
		name   string
		change func()
		want   func() []string
	}{
		{"nothing (photo links change on every reply)", func() {}, func() []string { return nil }},
		{"a name edited in TalentHR", func() {
			srv.Edit(ids["engineer"], func(e *talenthrtest.Employee) { e.LastName = "Ioannou-Smith" })
		}, func() []string { return []string{ids["engineer"]} }},
		{"a hire", func() {
			hired = srv.AddEmployee(talenthrtest.Employee{FirstName: "New", LastName: "Hire", Email: "new@acme.test"})
		}, func() []string { return []string{hired} }},
		{"a custom field", func() { srv.SetCustomField(ids["sales_rep"], "tshirt-size", "S") },
			func() []string { return []string{ids["sales_rep"]} }},
		{"a manager", func() {
			srv.Edit(ids["sales_rep"], func(e *talenthrtest.Employee) { e.ReportsToEmployeeID = ids["ceo"] })
		},
			func() []string { return []string{ids["sales_rep"]} }},
		{"a termination recorded", func() { srv.Terminate(ids["engineer"], "2026-03-01", "Layoff") },
			func() []string { return []string{ids["engineer"]} }},
		{"a termination date coming (the row does not change)", func() {
			srv.SetClock(func() time.Time { return fakeClock.AddDate(0, 1, 1) })
		}, func() []string { return []string{ids["leaving"]} }},
		{"a deletion", func() { srv.DeleteEmployee(ids["sales_manager"]) },
			func() []string { return []string{ids["sales_manager"]} }},
		{"a detail field only (not in the directory: seen by full syncs)", func() {
			srv.Edit(ids["ceo"], func(e *talenthrtest.Employee) { e.Profile["city"] = "Thessaloniki" })
		}, func() []string { return nil }},
	}
	srv.Log().Reset()
	for _, s := range steps {
		s.change()
		got, next, err := k.Changes(ctx, syncengine.Users, cursor)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if diff := cmp.Diff(s.want(), got); diff != "" {
			t.Errorf("%s: ids (-want +got):\n%s", s.name, diff)
		}
		if diff := cmp.Diff([]string{"GET /directory?limit=100&offset=0"}, requests(srv)); diff != "" {
			t.Errorf("%s: requests (-want +got):\n%s", s.name, diff)
		}
		cursor = next
	}
}

// TestConnectorChangesCursor: the cursor holds the whole directory in
// about ten bytes an employee, and a cursor this connector did not make
// is refused, naming the problem, before any request.
func TestConnectorChangesCursor(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{})
	k.UseCache(&memCache{})
	seedN(srv, 1000)
	_, cursor, err := k.Changes(ctx, syncengine.Users, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cursor); n > 14000 {
		t.Errorf("cursor of 1,000 employees is %d bytes, want at most 14 an employee", n)
	}
	srv.Log().Reset()
	for _, bad := range []string{"garbage", "thr1.!!", "thr1.AQ", "thr0." + cursor[5:], cursor[:len(cursor)-3]} {
		ids, next, err := k.Changes(ctx, syncengine.Users, bad)
		if err == nil || !strings.Contains(err.Error(), "not one this connector made") || ids != nil || next != bad {
			t.Errorf("Changes(%.20q) = %v, %.20q, %v", bad, ids, next, err)
		}
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests for bad cursors", n)
	}
}

// BenchmarkConnectorChanges polls a company of 5,000 with nothing
// changed, reporting requests per poll beside the minimum (the pages).
func BenchmarkConnectorChanges(b *testing.B) {
	srv := talenthrtest.NewServer(b, talenthrtest.WithoutRateLimit())
	for i := 0; i < 5000; i++ {
		srv.AddEmployee(talenthrtest.Employee{FirstName: "E", LastName: fmt.Sprint(i), Email: fmt.Sprintf("e%d@acme.test", i)})
	}
	k := talenthr.NewConnector(srv.NewClient(b), talenthr.ConnectorOptions{Now: func() time.Time { return fakeClock }})
	k.UseCache(&memCache{})
	_, cursor, err := k.Changes(ctx, syncengine.Users, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(cursor)), "cursor-bytes")
	srv.Log().Reset()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, cursor, err = k.Changes(ctx, syncengine.Users, cursor); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(srv.Log().Count(nil))/float64(b.N), "calls/op")
	b.ReportMetric(5000/100+1, "min-calls/op")
}

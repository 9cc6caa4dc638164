package hibob_test

import (
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
)

// BenchmarkConnectorListUsers lists a company of 1000 employees from the
// fake (HTTP, JSON and record building), with the fields metadata in hand;
// calls/op is HiBob calls per List, whose minimum is 1 (one search).
func BenchmarkConnectorListUsers(b *testing.B) {
	srv := hibobtest.NewServer(b, hibobtest.WithoutRateLimit())
	srv.SetClock(fixedClock)
	boss := srv.AddEmployee(hibobtest.Employee{FirstName: "Grace", Surname: "Hopper", Email: "grace@example.com", Department: "Executive"})
	for i := range 999 {
		srv.AddEmployee(hibobtest.Employee{FirstName: "First", Surname: fmt.Sprint("Last", i), Email: fmt.Sprintf("e%d@example.com", i),
			Title: "Engineer", Department: fmt.Sprint("Dept", i%20), ManagerID: boss})
	}
	k := newConnector(b, srv, hibob.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Users, []string{"root.email", "work.title", "work.site", "work.startDate", "internal.terminationDate"}); err != nil {
		b.Fatal(err)
	}
	listAll(b, k, syncengine.Users) // the metadata, read once per connector
	srv.Log().Reset()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if n := len(listAll(b, k, syncengine.Users)); n != 1000 {
			b.Fatalf("%d users", n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(srv.Log().Count(nil))/float64(b.N), "calls/op")
	b.ReportMetric(1, "min-calls/op")
}

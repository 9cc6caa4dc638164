package learnamp_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// BenchmarkConnectorListUsers lists 1000 users: the minimum is 10 pages
// of 100; calls/minimum must stay 1.
func BenchmarkConnectorListUsers(b *testing.B) {
	srv := learnamptest.NewServer(b)
	addUsers(srv, 1000)
	k := learnamp.NewConnector(srv.NewClient(b), learnamp.ConnectorOptions{})
	srv.Log().Reset()
	b.ResetTimer()
	for range b.N {
		n := 0
		for _, err := range k.List(context.Background(), syncengine.Users) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("listed %d", n)
		}
	}
	b.StopTimer()
	calls := float64(len(apiEntries(srv))) / float64(b.N)
	b.ReportMetric(calls, "calls/op")
	b.ReportMetric(calls/10, "calls/minimum")
}

package litmos_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// BenchmarkListUsersWithTeams lists 5,000 users with their memberships
// (300 teams) from the fake and reports the calls beside the minimum:
// 6 user pages + 1 team page + 300 rosters.
func BenchmarkListUsersWithTeams(b *testing.B) {
	srv := litmostest.NewServer(b, litmostest.WithoutRateLimit())
	membershipCompany(srv, 5000, 300, 0)
	const minimum = 6 + 1 + 300
	k := litmos.NewConnector(srv.NewClient(b), litmos.ConnectorOptions{Memberships: true})
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
		if n != 5000 {
			b.Fatalf("%d users", n)
		}
	}
	b.StopTimer()
	calls := float64(srv.Log().Count(nil)) / float64(b.N)
	b.ReportMetric(calls, "calls/op")
	b.ReportMetric(calls/minimum, "calls/minimum")
}

// BenchmarkListEnrollments lists 2,000 enrollments (200 users × 10
// courses) from the course rosters: 1 course page + 10 rosters, where
// reading per user would cost 1 + 200.
func BenchmarkListEnrollments(b *testing.B) {
	srv := litmostest.NewServer(b, litmostest.WithoutRateLimit())
	var courses []litmos.Course
	for i := range 10 {
		courses = append(courses, srv.AddCourse(litmos.Course{Code: string(rune('A' + i)), Name: "Course", Active: true}))
	}
	for i := range 200 {
		u := seedUser(srv, "learner"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.com")
		for _, c := range courses {
			srv.SetProgress(u.ID, litmos.UserCourse{ID: c.ID, PercentageComplete: float64(i % 100)})
		}
	}
	const minimum = 1 + 10
	k := litmos.NewConnector(srv.NewClient(b), litmos.ConnectorOptions{})
	srv.Log().Reset()
	b.ResetTimer()
	for range b.N {
		n := 0
		for _, err := range k.List(context.Background(), syncengine.Enrollments) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 2000 {
			b.Fatalf("%d enrollments", n)
		}
	}
	b.StopTimer()
	calls := float64(srv.Log().Count(nil)) / float64(b.N)
	b.ReportMetric(calls, "calls/op")
	b.ReportMetric(calls/minimum, "calls/minimum")
}

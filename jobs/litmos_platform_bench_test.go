package jobs_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// bigAccount is a Litmos account of users users in teams teams (each user
// in one), and 20 courses, with the job planning into an empty sink.
func bigAccount(tb testing.TB, users, teams int) (*litmostest.Server, *syncengine.Engine) {
	tb.Helper()
	srv := litmostest.NewServer(tb, litmostest.WithoutRateLimit())
	ids := make([]string, teams)
	for i := range ids {
		ids[i] = srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Team %03d", i)}).ID
	}
	for i := range users {
		email := fmt.Sprintf("user%05d@example.com", i)
		u := srv.AddUser(litmos.User{UserName: email, Email: email, FirstName: "User", LastName: fmt.Sprint(i), Active: true})
		srv.AddTeamMember(ids[i%teams], u.ID)
	}
	for i := range 20 {
		srv.AddCourse(litmos.Course{Code: fmt.Sprintf("C%02d", i), Name: fmt.Sprintf("Course %d", i), Active: true})
	}
	cfg, err := jobs.LitmosPlatform(srv.NewClient(tb), syncenginetest.NewConnector("platform"), jobs.LitmosPlatformOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Store = syncengine.NewMemoryStore()
	eng, err := syncengine.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return srv, eng
}

// readMinimum is the fewest calls that read the account: the pages of
// 1,000 users (and the empty page that ends a listing of full pages), one
// page of teams, one roster per team, one page of courses.
func readMinimum(users, teams int) int { return users/1000 + 1 + 1 + teams + 1 }

// Reading a 5,000-user, 300-team account costs the minimum: 6 pages of
// users, one of teams (the memberships reuse it), 300 rosters, one page of
// courses.
func TestLitmosPlatformReadCalls(t *testing.T) {
	srv, eng := bigAccount(t, 5000, 300)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := p.Summary().Create; n != 5000+300+20 {
		t.Errorf("plan creates %d records, want %d", n, 5320)
	}
	count := func(path string) int {
		return srv.Log().Count(func(e litmostest.Entry) bool { return e.Path == path })
	}
	got := map[string]int{"users": count("/v1.svc/users/details"), "teams": count("/v1.svc/teams"), "courses": count("/v1.svc/courses"),
		"all": srv.Log().Count(nil)}
	want := map[string]int{"users": 6, "teams": 1, "courses": 1, "all": 308}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s calls = %d, want %d (minimum in all: %d)", k, got[k], v, readMinimum(5000, 300))
		}
	}
}

// BenchmarkLitmosPlatformRead plans the job over a 5,000-user, 300-team
// account: the calls a plan makes, beside the minimum.
func BenchmarkLitmosPlatformRead(b *testing.B) {
	srv, eng := bigAccount(b, 5000, 300)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		srv.Log().Reset()
		if _, err := eng.Plan(ctx); err != nil {
			b.Fatal(err)
		}
	}
	calls := srv.Log().Count(nil)
	b.ReportMetric(float64(calls), "calls/op")
	b.ReportMetric(float64(readMinimum(5000, 300)), "min-calls")
	b.ReportMetric(float64(calls)/float64(readMinimum(5000, 300)), "calls/min")
}

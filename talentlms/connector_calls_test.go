package talentlms_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// Calls are the time of a run against an hourly quota: these tests pin
// the exact requests each operation sends, from the fake's request log.

// pages lists the users page requests a listing of n users sends.
func pages(n int) []string {
	var out []string
	for p := 1; p <= n/talentlms.DefaultUsersPageSize+1; p++ {
		out = append(out, fmt.Sprintf("GET users/page_size:%d,page_number:%d", talentlms.DefaultUsersPageSize, p))
	}
	return out
}

// clock is a settable connector clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// A full user listing costs its pages: ceil((n+1)/100) requests (a short
// page ends it), or one on a portal that ignores paging, plus GET
// getcustomregistrationfields when custom fields are read, GET siteinfo
// once per client (the date format) and GET ratelimit (not metered) at
// most once a minute.
func TestConnectorListUsersCalls(t *testing.T) {
	head := []string{"GET ratelimit", "GET siteinfo", "GET getcustomregistrationfields"}
	for _, tt := range []struct {
		n      int
		fake   []talentlmstest.Option
		listed []string
	}{
		{n: 0, listed: pages(0)}, {n: 1, listed: pages(1)}, {n: 99, listed: pages(99)},
		{n: 100, listed: pages(100)}, {n: 101, listed: pages(101)}, {n: 250, listed: pages(250)},
		{n: 250, fake: []talentlmstest.Option{talentlmstest.WithoutUserPaging()}, listed: pages(0)},
	} {
		t.Run(fmt.Sprintf("%d users, paging %v", tt.n, tt.fake == nil), func(t *testing.T) {
			clk := &clock{t: seedClock}
			k, srv := newConnector(t, talentlms.ConnectorOptions{Now: clk.now}, tt.fake...)
			portalFields(srv)
			seedUsers(srv, tt.n)
			if got := len(listAll(t, k, syncengine.Users)); got != tt.n {
				t.Fatalf("listed %d users, want %d", got, tt.n)
			}
			if d := cmp.Diff(append(head, tt.listed...), paths(srv)); d != "" {
				t.Errorf("first listing (-want +got):\n%s", d)
			}
			if used, want := srv.HourlyUsed(), len(tt.listed)+2; used != want {
				t.Errorf("hourly quota used %d, want %d (ratelimit is free)", used, want)
			}
			srv.Log().Reset()
			clk.add(30 * time.Second)
			listAll(t, k, syncengine.Users)
			if d := cmp.Diff(append([]string{"GET getcustomregistrationfields"}, tt.listed...), paths(srv)); d != "" {
				t.Errorf("listing again (-want +got):\n%s", d)
			}
			srv.Log().Reset()
			clk.add(time.Minute)
			listAll(t, k, syncengine.Users)
			if got := paths(srv); got[0] != "GET ratelimit" {
				t.Errorf("a minute later the quota is not read again: %v", got)
			}
		})
	}
}

// A listing that reads no custom field asks for no definitions.
func TestConnectorListUsersWithoutCustomFields(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	if err := k.ReadFields(syncengine.Users, []string{"email", "first_name", "last_name"}); err != nil {
		t.Fatal(err)
	}
	recs := listAll(t, k, syncengine.Users)
	if d := cmp.Diff(append([]string{"GET ratelimit", "GET siteinfo"}, pages(8)...), paths(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	want := map[string]any{"email": "ana.lima@northwind.example", "first_name": "Ana", "last_name": "Lima"}
	if d := cmp.Diff(want, recs[0].Fields); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

// Branch scope: one GET branches/id:{id} for the members (and GET
// branches once, to resolve a name); an empty branch lists no page; with
// Teams, GET branches and one detail per branch.
func TestConnectorListUsersBranchCalls(t *testing.T) {
	for _, tt := range []struct {
		name        string
		opts        talentlms.ConnectorOptions
		first, next []string
		want        []string // logins listed
	}{
		{name: "by name", opts: talentlms.ConnectorOptions{Branch: "Sales"},
			first: []string{"GET branches", "GET branches/id:1"}, next: []string{"GET branches/id:1"},
			want: []string{"ana.lima", "kwame.mensah", "ed.silva"}},
		{name: "by id", opts: talentlms.ConnectorOptions{Branch: "2"},
			first: []string{"GET branches/id:2"}, next: []string{"GET branches/id:2"},
			want: []string{"bo.chen", "zoe.nunez", "margaret.okonkwo"}},
		{name: "empty branch", opts: talentlms.ConnectorOptions{Branch: "Interns"},
			first: []string{"GET branches", "GET branches/id:3"}, next: []string{"GET branches/id:3"}},
		{name: "teams", opts: talentlms.ConnectorOptions{Teams: true},
			first: []string{"GET branches", "GET branches/id:1", "GET branches/id:2", "GET branches/id:3"},
			next:  []string{"GET branches", "GET branches/id:1", "GET branches/id:2", "GET branches/id:3"},
			want:  []string{"ana.lima", "bo.chen", "zoe.nunez", "kwame.mensah", "laura.rossi", "noor.haddad", "ed.silva", "margaret.okonkwo"}},
		{name: "teams in a branch", opts: talentlms.ConnectorOptions{Teams: true, Branch: "Engineering"},
			first: []string{"GET branches", "GET branches/id:1", "GET branches/id:2", "GET branches/id:3"},
			next:  []string{"GET branches", "GET branches/id:1", "GET branches/id:2", "GET branches/id:3"},
			want:  []string{"bo.chen", "zoe.nunez", "margaret.okonkwo"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: seedClock}
			tt.opts.Now = clk.now
			k, srv := newConnector(t, tt.opts)
			srv.SeedCompany()
			srv.AddBranch(talentlms.Branch{Name: "Interns"})
			if err := k.ReadFields(syncengine.Users, []string{"login"}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range listAll(t, k, syncengine.Users) {
				got = append(got, r.Fields["login"].(string))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("logins (-want +got):\n%s", d)
			}
			listed := pages(8)
			if tt.want == nil {
				listed = nil
			}
			if d := cmp.Diff(append(append([]string{"GET ratelimit"}, tt.first...), withSiteInfo(listed)...), paths(srv)); d != "" {
				t.Errorf("first listing (-want +got):\n%s", d)
			}
			srv.Log().Reset()
			listAll(t, k, syncengine.Users)
			if d := cmp.Diff(append(tt.next, listed...), paths(srv)); d != "" {
				t.Errorf("listing again (-want +got):\n%s", d)
			}
		})
	}
}

// withSiteInfo puts the once-per-client GET siteinfo before the first
// users page (the first request that reads a date).
func withSiteInfo(pages []string) []string {
	if len(pages) == 0 {
		return nil
	}
	return append([]string{"GET siteinfo"}, pages...)
}

// Enrollments cost GET courses and one GET courses/id:{id} per course:
// never a call per user.
func TestConnectorListEnrollmentsCalls(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	recs := listAll(t, k, syncengine.Enrollments)
	if len(recs) != 9 {
		t.Errorf("%d enrollments, want 9", len(recs))
	}
	want := []string{"GET ratelimit", "GET siteinfo", "GET courses"}
	for _, name := range []string{"Security Awareness", "Onboarding & Culture", "Sales Playbook"} {
		want = append(want, "GET courses/id:"+co.Courses[name])
	}
	if d := cmp.Diff(want, paths(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}

	k, srv = newConnector(t, talentlms.ConnectorOptions{Branch: "Sales"})
	co = srv.SeedCompany()
	recs = listAll(t, k, syncengine.Enrollments)
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	ana, kwame := co.Users["ana.lima"], co.Users["kwame.mensah"]
	sec, sal := co.Courses["Security Awareness"], co.Courses["Sales Playbook"]
	if d := cmp.Diff([]string{ana + ":" + sec, kwame + ":" + sec, ana + ":" + sal, kwame + ":" + sal}, ids); d != "" {
		t.Errorf("enrollments of the Sales branch (-want +got):\n%s", d)
	}
	if n := len(paths(srv)); n != 2+2+1+3 { // ratelimit, branches + detail, siteinfo, courses, 3 details
		t.Errorf("%d calls: %v", n, paths(srv))
	}
}

// A sync lists courses, then enrollments: the second listing reuses the
// first's course ids (one GET courses in all). The ids serve once: a
// later listing of enrollments reads the courses again.
func TestConnectorCoursesThenEnrollmentsCalls(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	listAll(t, k, syncengine.Courses)
	srv.Log().Reset()
	if n := len(listAll(t, k, syncengine.Enrollments)); n != 9 {
		t.Errorf("%d enrollments, want 9", n)
	}
	if got := paths(srv); len(got) != 3 || slices.Contains(got, "GET courses") {
		t.Errorf("enrollments after courses: %v, want the 3 course details only", got)
	}
	srv.Log().Reset()
	listAll(t, k, syncengine.Enrollments)
	if got := paths(srv); len(got) != 4 || got[0] != "GET courses" {
		t.Errorf("enrollments again: %v, want GET courses and the 3 details", got)
	}
}

// Single reads and writes cost one call each.
func TestConnectorSingleCalls(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	listAll(t, k, syncengine.Users) // reads the definitions and the date format
	ana, sal, onb := co.Users["ana.lima"], co.Courses["Sales Playbook"], co.Courses["Onboarding & Culture"]
	for _, tt := range []struct {
		name string
		op   func() error
		want []string
	}{
		{"get user", func() error { _, err := k.Get(ctx, syncengine.Users, ana); return err }, []string{"GET users/id:" + ana}},
		{"find by login", func() error { _, err := k.Find(ctx, syncengine.Users, "login", "ana.lima"); return err }, []string{"GET users/username:ana.lima"}},
		{"update", func() error {
			return k.Update(ctx, syncengine.Users, ana, map[string]any{"custom_fields.jobTitle": "VP"})
		}, []string{"POST edituser"}},
		{"get course", func() error { _, err := k.Get(ctx, syncengine.Courses, sal); return err }, []string{"GET courses/id:" + sal}},
		{"get enrollment", func() error { _, err := k.Get(ctx, syncengine.Enrollments, ana+":"+sal); return err },
			[]string{"GET getuserstatusincourse/course_id:" + sal + ",user_id:" + ana}},
		{"enrol", func() error {
			_, err := k.Create(ctx, syncengine.Enrollments, enrollment(ana, onb, nil))
			return err
		}, []string{"POST addusertocourse"}},
		{"enrol again: adopted", func() error {
			id, err := k.Create(ctx, syncengine.Enrollments, enrollment(ana, onb, nil))
			if id != ana+":"+onb {
				return fmt.Errorf("id %q", id)
			}
			return err
		}, []string{"POST addusertocourse"}},
		{"unenrol", func() error { return k.SetActive(ctx, syncengine.Enrollments, ana+":"+onb, false) },
			[]string{"GET removeuserfromcourse/user_id:" + ana + ",course_id:" + onb}},
		{"unenrol again", func() error { return k.SetActive(ctx, syncengine.Enrollments, ana+":"+onb, false) },
			[]string{"GET removeuserfromcourse/user_id:" + ana + ",course_id:" + onb}},
		{"reenrol", func() error { return k.SetActive(ctx, syncengine.Enrollments, ana+":"+onb, true) }, []string{"POST addusertocourse"}},
	} {
		srv.Log().Reset()
		if err := tt.op(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if d := cmp.Diff(tt.want, paths(srv)); d != "" {
			t.Errorf("%s: calls (-want +got):\n%s", tt.name, d)
		}
	}
}

// The hourly quota, read at the start of a listing, holds back every
// metered request once it is spent: a listing whose deadline comes before
// the reset fails at once with ErrRateLimited, having sent only GET
// ratelimit (which does not count).
func TestConnectorRespectsHourlyQuota(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(50))
	srv.SeedCompany()
	srv.SetHourlyWindow(time.Now(), 50)
	k := talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{})
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var err error
	for _, err = range k.List(dctx, syncengine.Users) {
		break
	}
	if !errors.Is(err, syncengine.ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if d := cmp.Diff([]string{"GET ratelimit"}, paths(srv)); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
	if strings.Contains(err.Error(), talentlmstest.APIKey) {
		t.Error("the error holds the API key")
	}
}

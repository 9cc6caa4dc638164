package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// sourceFakes hands the conformance suite's NewRecord and Seed the fake
// behind the connector the factory made last: enrollment records need a
// user and a course that exist there. Subtests run one after another.
type sourceFakes struct {
	mu   sync.Mutex
	srv  *litmostest.Server
	ids  map[int][2]string // record number → user id, course id on srv
	opts litmos.ConnectorOptions
}

func (f *sourceFakes) factory(t *testing.T) syncengine.Connector {
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	srv.SetBulkImportPolls(1) // CreateBulk polls every 5s of real time: finish on the first
	f.mu.Lock()
	f.srv, f.ids = srv, map[int][2]string{}
	f.mu.Unlock()
	return litmos.NewConnector(srv.NewClient(t), f.opts)
}

func (f *sourceFakes) newRecord(c syncengine.Collection, i int) syncengine.Record {
	if c == syncengine.Courses {
		return syncengine.Record{Active: true, Fields: map[string]any{"Code": fmt.Sprintf("C-%03d", i), "Name": fmt.Sprintf("Course %d", i)}}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ids, ok := f.ids[i]
	if !ok {
		email := fmt.Sprintf("learner%d@example.com", i)
		u := f.srv.AddUser(litmos.User{UserName: email, Email: email, FirstName: "L", LastName: fmt.Sprint(i), Active: true})
		co := f.srv.AddCourse(litmos.Course{Code: fmt.Sprintf("E-%03d", i), Name: fmt.Sprintf("Course %d", i), Active: true})
		ids = [2]string{u.ID, co.ID}
		f.ids[i] = ids
	}
	return syncengine.Record{Active: true, Fields: map[string]any{}, Refs: map[string][]syncengine.Ref{
		syncengine.RoleUser:   {{Collection: syncengine.Users, ID: ids[0]}},
		syncengine.RoleCourse: {{Collection: syncengine.Courses, ID: ids[1]}},
	}}
}

func (f *sourceFakes) seed(t *testing.T, _ syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string {
	if c != syncengine.Courses {
		t.Fatalf("seed %s: only courses are seeded", c)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.srv.AddCourse(litmos.Course{Code: rec.Fields["Code"].(string), Name: rec.Fields["Name"].(string), Active: rec.Active}).ID
}

// TestConnectorSourceConformance runs the engine's contract on the
// collections a source reads beyond users and teams: courses (read-only,
// seeded; List yields inactive ones) and enrollments (created by
// assigning a course; List yields only what is assigned, so
// ListOmitsInactive).
func TestConnectorSourceConformance(t *testing.T) {
	f := &sourceFakes{}
	for _, c := range []syncengine.Collection{syncengine.Courses, syncengine.Enrollments} {
		syncenginetest.RunConnectorTests(t, f.factory, syncenginetest.ConformanceOptions{
			Collections:       []syncengine.Collection{c},
			NewRecord:         f.newRecord,
			Seed:              f.seed,
			FindField:         map[syncengine.Collection]string{},
			ListOmitsInactive: c == syncengine.Enrollments,
		})
	}
}

// TestConnectorMembershipsConformance: users and teams keep the contract
// with memberships read.
func TestConnectorMembershipsConformance(t *testing.T) {
	f := &sourceFakes{opts: litmos.ConnectorOptions{Memberships: true}}
	syncenginetest.RunConnectorTests(t, f.factory, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users, syncengine.Teams},
		NewRecord: func(c syncengine.Collection, i int) syncengine.Record {
			if c == syncengine.Teams {
				return syncengine.Record{Active: true, Fields: map[string]any{"Name": fmt.Sprintf("Team %d", i)}}
			}
			email := fmt.Sprintf("user%d@example.com", i)
			return syncengine.Record{Active: true, Fields: map[string]any{"UserName": email, "Email": email, "FirstName": "F", "LastName": fmt.Sprint(i)}}
		},
		Change: func(c syncengine.Collection, i int) map[string]any {
			return map[string]any{"City": fmt.Sprintf("City %d", i)}
		},
		FindField: map[syncengine.Collection]string{syncengine.Users: "UserName", syncengine.Teams: "Name"},
		FindFold:  true,
	})
}

// TestConnectorCourseRecords: a course record carries every Course field
// by its Litmos name, Id and Active included; List costs a call per 1000
// courses, Get one.
func TestConnectorCourseRecords(t *testing.T) {
	ctx := context.Background()
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	until := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	fs := srv.AddCourse(litmos.Course{Code: "FS-101", Name: "Food safety", Active: true, Description: "The basics.",
		CourseCodeForBulkImport: "FS101", Price: 12.5, AccessTillDate: litmos.NewTime(until), AccessTillDays: 30, Tags: "safety"})
	old := srv.AddCourse(litmos.Course{Code: "OLD", Name: "Retired"})
	srv.Log().Reset()

	got := listRecords(t, k, syncengine.Courses)
	if n := srv.Log().Count(nil); n != 1 {
		t.Errorf("listing 2 courses made %d calls, want 1 (one page)", n)
	}
	want := []syncengine.Record{
		{ID: fs.ID, Active: true, Fields: map[string]any{"Id": fs.ID, "Code": "FS-101", "Name": "Food safety", "Active": true,
			"ForSale": false, "OriginalId": fs.OriginalID, "Description": "The basics.", "EcommerceShortDescription": "",
			"EcommerceLongDescription": "", "CourseCodeForBulkImport": "FS101", "Price": 12.5, "AccessTillDate": until,
			"AccessTillDays": int64(30), "CourseTeamLibrary": false, "CreatedBy": "", "Tags": "safety"}},
		{ID: old.ID, Active: false, Fields: map[string]any{"Id": old.ID, "Code": "OLD", "Name": "Retired", "Active": false,
			"ForSale": false, "OriginalId": old.OriginalID, "Description": "", "EcommerceShortDescription": "",
			"EcommerceLongDescription": "", "CourseCodeForBulkImport": "", "Price": 0.0,
			"AccessTillDays": int64(0), "CourseTeamLibrary": false, "CreatedBy": "", "Tags": ""}},
	}
	if d := cmp.Diff(want, got, timeEqual); d != "" {
		t.Errorf("course records (-want +got):\n%s", d)
	}
	srv.Log().Reset()
	rec, err := k.Get(ctx, syncengine.Courses, fs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[0], rec, timeEqual); d != "" || srv.Log().Count(nil) != 1 {
		t.Errorf("Get course (-list +get):\n%s; %d calls", d, srv.Log().Count(nil))
	}
	if l := k.Describe(syncengine.Courses, rec); l.Name != "Food safety" {
		t.Errorf("Describe = %+v", l)
	}
	if d := cmp.Diff([]string{"Id", "Code", "Name", "Active", "ForSale", "OriginalId", "Description", "EcommerceShortDescription",
		"EcommerceLongDescription", "CourseCodeForBulkImport", "Price", "AccessTillDate", "AccessTillDays", "CourseTeamLibrary",
		"CreatedBy", "Tags"}, litmos.CourseFields()); d != "" {
		t.Errorf("CourseFields (-want +got):\n%s", d)
	}
	if _, err := k.Create(ctx, syncengine.Courses, want[0]); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Create course: %v, want ErrUnsupported", err)
	}
}

var timeEqual = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func newSourceConnector(t *testing.T, opts litmos.ConnectorOptions) (*litmos.Connector, *litmostest.Server) {
	t.Helper()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	return litmos.NewConnector(srv.NewClient(t), opts), srv
}

func listRecords(t *testing.T, k syncengine.Connector, c syncengine.Collection) []syncengine.Record {
	t.Helper()
	var out []syncengine.Record
	for r, err := range k.List(context.Background(), c) {
		if err != nil {
			t.Fatalf("List(%s): %v", c, err)
		}
		out = append(out, r)
	}
	return out
}

// TestConnectorEnrollmentRecords: enrollments come from each course's
// roster, so a listing costs the course page plus one call per course,
// whatever the number of users; Get reads the same record from the same
// roster.
func TestConnectorEnrollmentRecords(t *testing.T) {
	ctx := context.Background()
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	var users []litmos.User
	for i := range 40 {
		users = append(users, seedUser(srv, fmt.Sprintf("learner%02d@example.com", i)))
	}
	courses := []litmos.Course{
		srv.AddCourse(litmos.Course{Code: "FS", Name: "Food safety", Active: true}),
		srv.AddCourse(litmos.Course{Code: "AL", Name: "Allergens", Active: true}),
		srv.AddCourse(litmos.Course{Code: "EMPTY", Name: "Nobody yet", Active: true}),
	}
	till, due := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for i, u := range users {
		srv.SetProgress(u.ID, litmos.UserCourse{ID: courses[i%2].ID, PercentageComplete: float64(i)})
	}
	srv.SetProgress(users[0].ID, litmos.UserCourse{ID: courses[0].ID, Complete: true, PercentageComplete: 100, CompliantTill: litmos.NewTime(till)})
	srv.SetDueDate(users[1].ID, courses[1].ID, due)
	srv.Log().Reset()

	got := listRecords(t, k, syncengine.Enrollments)
	// Minimum: one page of courses (3 < 1000) and one roster page per course
	// (20 learners each < 1000); reading per user would cost 1 + 40.
	if n := srv.Log().Count(nil); n != 1+3 {
		t.Errorf("listing 40 enrollments of 3 courses made %d calls, want 4", n)
	}
	if len(got) != 40 {
		t.Fatalf("%d enrollments, want 40", len(got))
	}
	refs := func(u, c string) map[string][]syncengine.Ref {
		return map[string][]syncengine.Ref{"user": {{Collection: syncengine.Users, ID: u}}, "course": {{Collection: syncengine.Courses, ID: c}}}
	}
	wantFirst := syncengine.Record{ID: litmos.EnrollmentID(users[0].ID, courses[0].ID), Active: true, Refs: refs(users[0].ID, courses[0].ID),
		Fields: map[string]any{"Code": "FS", "Name": "Food safety", "Complete": true, "PercentageComplete": 100.0, "CompliantTill": till}}
	wantDue := syncengine.Record{ID: litmos.EnrollmentID(users[1].ID, courses[1].ID), Active: true, Refs: refs(users[1].ID, courses[1].ID),
		Fields: map[string]any{"Code": "AL", "Name": "Allergens", "Complete": false, "PercentageComplete": 1.0, "DueDate": due}}
	byID := map[string]syncengine.Record{}
	for _, r := range got {
		byID[r.ID] = r
	}
	for _, want := range []syncengine.Record{wantFirst, wantDue} {
		if d := cmp.Diff(want, byID[want.ID], timeEqual); d != "" {
			t.Errorf("listed enrollment (-want +got):\n%s", d)
		}
		srv.Log().Reset()
		rec, err := k.Get(ctx, syncengine.Enrollments, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, rec, timeEqual); d != "" {
			t.Errorf("Get enrollment (-want +got):\n%s", d)
		}
		if n := srv.Log().Count(nil); n != 2 {
			t.Errorf("Get enrollment made %d calls, want 2 (the course and its roster)", n)
		}
	}
	for _, f := range litmos.EnrollmentFields() {
		if _, ok := wantFirst.Fields[f]; !ok && f != "DueDate" && f != "AccessTillDate" {
			t.Errorf("EnrollmentFields names %q, which a listed record lacks", f)
		}
	}

	// A user and a course that exist, not paired: inactive, not absent.
	srv.Log().Reset()
	rec, err := k.Get(ctx, syncengine.Enrollments, litmos.EnrollmentID(users[0].ID, courses[2].ID))
	want := syncengine.Record{ID: litmos.EnrollmentID(users[0].ID, courses[2].ID), Refs: refs(users[0].ID, courses[2].ID),
		Fields: map[string]any{"Code": "EMPTY", "Name": "Nobody yet"}}
	if d := cmp.Diff(want, rec); err != nil || d != "" || srv.Log().Count(nil) != 3 {
		t.Errorf("Get unpaired: %v, %d calls (want 3), diff (-want +got):\n%s", err, srv.Log().Count(nil), d)
	}
	for _, id := range []string{litmos.EnrollmentID("no-such-user", courses[2].ID), litmos.EnrollmentID(users[0].ID, "no-such-course"), "x:y:z"} {
		if _, err := k.Get(ctx, syncengine.Enrollments, id); !errors.Is(err, syncengine.ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", id, err)
		}
	}
}

// TestConnectorRemediation: creating an enrollment assigns the course
// with sendmessage=false sent explicitly (Litmos emails by default), once:
// a second create adopts the assignment with a read and no write; the
// learner's progress reads back through Get.
func TestConnectorRemediation(t *testing.T) {
	ctx := context.Background()
	for _, email := range []bool{false, true} {
		t.Run(fmt.Sprintf("SendEmail=%v", email), func(t *testing.T) {
			k, srv := newSourceConnector(t, litmos.ConnectorOptions{SendEmail: email})
			u := seedUser(srv, "ana@example.com")
			c := srv.AddCourse(litmos.Course{Code: "REM", Name: "Hygiene refresher", Active: true})
			rec := syncengine.Record{Active: true, Fields: map[string]any{"Complete": true}, Refs: map[string][]syncengine.Ref{
				"user": {{Collection: syncengine.Users, ID: u.ID}}, "course": {{Collection: syncengine.Courses, ID: c.ID}}}}
			srv.Log().Reset()
			id, err := k.Create(ctx, syncengine.Enrollments, rec)
			if err != nil {
				t.Fatal(err)
			}
			var posts []litmostest.Entry
			for _, e := range srv.Log().Entries() {
				if e.Method == http.MethodPost {
					posts = append(posts, e)
				}
			}
			if n := srv.Log().Count(nil); n != 2 || len(posts) != 1 {
				t.Fatalf("create made %d calls (%d POSTs), want a read and one POST", n, len(posts))
			}
			if got := posts[0].Query["sendmessage"]; len(got) != 1 || got[0] != fmt.Sprint(email) {
				t.Errorf("sendmessage = %q, want exactly %q", got, fmt.Sprint(email))
			}
			if wantMsgs := map[bool]int{false: 0, true: 1}[email]; len(srv.Messages()) != wantMsgs {
				t.Errorf("messages %v, want %d", srv.Messages(), wantMsgs)
			}

			srv.SetProgress(u.ID, litmos.UserCourse{ID: c.ID, PercentageComplete: 50})
			srv.Log().Reset()
			again, err := k.Create(ctx, syncengine.Enrollments, rec)
			if err != nil || again != id {
				t.Fatalf("second create = %q, %v; want %q adopted", again, err, id)
			}
			if n, w := srv.Log().Count(nil), srv.Log().Count(litmostest.IsWrite); n != 1 || w != 0 {
				t.Errorf("adopting made %d calls, %d writes; want one read", n, w)
			}
			if n := len(srv.Assignments(u.ID)); n != 1 {
				t.Errorf("%d assignments, want 1", n)
			}
			got, err := k.Get(ctx, syncengine.Enrollments, id)
			if err != nil || !got.Active || got.Fields["PercentageComplete"] != 50.0 || got.Fields["Complete"] != false {
				t.Errorf("progress read back: %+v, %v", got, err)
			}
			if l := k.Describe(syncengine.Enrollments, got); l.Name != "Hygiene refresher" {
				t.Errorf("Describe = %+v", l)
			}
		})
	}
}

// TestConnectorEnrollmentCalls: what SetActive costs — a read, and a write
// only when the assignment changes.
func TestConnectorEnrollmentCalls(t *testing.T) {
	ctx := context.Background()
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	u := seedUser(srv, "ana@example.com")
	c := srv.AddCourse(litmos.Course{Code: "FS", Name: "Food safety", Active: true})
	id := litmos.EnrollmentID(u.ID, c.ID)
	for _, tc := range []struct {
		active       bool
		calls, write int
	}{{true, 2, 1}, {true, 1, 0}, {false, 2, 1}, {false, 1, 0}} {
		srv.Log().Reset()
		if err := k.SetActive(ctx, syncengine.Enrollments, id, tc.active); err != nil {
			t.Fatal(err)
		}
		if n, w := srv.Log().Count(nil), srv.Log().Count(litmostest.IsWrite); n != tc.calls || w != tc.write {
			t.Errorf("SetActive(%v): %d calls, %d writes; want %d, %d", tc.active, n, w, tc.calls, tc.write)
		}
	}
	if err := k.SetActive(ctx, syncengine.Enrollments, litmos.EnrollmentID("no-such-user", c.ID), true); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("SetActive of an unknown user: %v", err)
	}
	if err := k.ReadFields(syncengine.Enrollments, []string{"Complete", "DateCompleted"}); !errors.Is(err, syncengine.ErrUnknownField) ||
		!strings.Contains(err.Error(), `"DateCompleted"`) {
		t.Errorf("ReadFields(DateCompleted) = %v, want ErrUnknownField naming it", err)
	}
}

// FuzzSplitEnrollmentID: enrollment ids come back from saved links and
// plans. A split id joins back to itself; a refused one matches ErrNotFound.
func FuzzSplitEnrollmentID(f *testing.F) {
	for _, s := range []string{"u1:c1", "u1:", ":c1", "a:b:c", "", "rnjx2WaQOEY1:wBC7BPbNJ2Q1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		u, c, err := litmos.SplitEnrollmentID(id)
		if err != nil {
			if !errors.Is(err, syncengine.ErrNotFound) || u != "" || c != "" {
				t.Fatalf("SplitEnrollmentID(%q) = %q, %q, %v", id, u, c, err)
			}
			return
		}
		if u == "" || c == "" || strings.Contains(c, ":") || litmos.EnrollmentID(u, c) != id {
			t.Fatalf("SplitEnrollmentID(%q) = %q, %q", id, u, c)
		}
	})
}

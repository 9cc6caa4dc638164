package litmos_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

func TestCourses(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	safety := srv.AddCourse(litmos.Course{Code: "FS-101", Name: "Food safety", Active: true, Price: 9.5})
	srv.AddCourse(litmos.Course{Code: "AL-1", Name: "Allergens", Active: true})
	all := collect(t, c.ListCourses(ctx, litmos.ListParams{}))
	if len(all) != 2 {
		t.Fatalf("courses = %+v", all)
	}
	if d := cmp.Diff(safety, all[0]); d != "" {
		t.Errorf("listed course (-want +got):\n%s", d)
	}
	got, err := c.GetCourse(ctx, safety.ID)
	if err != nil || got.Price != 9.5 {
		t.Errorf("GetCourse = %+v, %v", got, err)
	}
	if _, err := c.GetCourse(ctx, "nope"); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown course: %v", err)
	}
}

func TestAssignmentsAndProgress(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	srv, c := newFake(t)
	srv.SetClock(func() time.Time { return now })
	u := seedUser(srv, "gil@example.com")
	fs := srv.AddCourse(litmos.Course{Code: "FS-101", Name: "Food safety", Active: true})
	al := srv.AddCourse(litmos.Course{Code: "AL-1", Name: "Allergens", Active: true})
	if err := c.AssignCourses(ctx, u.ID, []string{fs.ID, al.ID}, litmos.MessageParams{}); err != nil {
		t.Fatal(err)
	}
	e := srv.Log().Entries()[0]
	if e.Query.Get("sendmessage") != "false" || e.Header.Get("Content-Type") != "application/xml" ||
		string(e.Body) != "<Courses><Course><Id>"+fs.ID+"</Id></Course><Course><Id>"+al.ID+"</Id></Course></Courses>" {
		t.Errorf("assign sent sendmessage=%q, %s, %s", e.Query.Get("sendmessage"), e.Header.Get("Content-Type"), e.Body)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("emails sent: %v", srv.Messages())
	}
	done := now.Add(48 * time.Hour)
	srv.SetProgress(u.ID, litmos.UserCourse{ID: fs.ID, Complete: true, PercentageComplete: 100, DateCompleted: litmos.NewTime(done)})
	got := collect(t, c.ListUserCourses(ctx, u.ID, litmos.ListParams{}))
	want := []litmos.UserCourse{
		{ID: fs.ID, Code: "FS-101", Name: "Food safety", Complete: true, PercentageComplete: 100,
			AssignedDate: litmos.NewTime(now), DateCompleted: litmos.NewTime(done), OriginalID: fs.OriginalID},
		{ID: al.ID, Code: "AL-1", Name: "Allergens", Active: true, AssignedDate: litmos.NewTime(now), UpToDate: true, OriginalID: al.OriginalID},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("user courses (-want +got):\n%s", d)
	}
	if err := c.UnassignCourse(ctx, u.ID, al.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Assignments(u.ID)); n != 1 {
		t.Errorf("%d assignments after unassign, want 1", n)
	}
	if err := c.UnassignCourse(ctx, u.ID, al.ID); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unassigning twice: %v", err)
	}
	if err := c.AssignCourses(ctx, u.ID, []string{"nope"}, litmos.MessageParams{}); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown course: %v", err)
	}
	if err := c.AssignCourses(ctx, u.ID, []string{al.ID}, litmos.MessageParams{SendMessage: true}); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || m[0].Kind != "course" || m[0].About != al.ID {
		t.Errorf("messages = %v", m)
	}
	if _, err := c.ListUserCoursesPage(ctx, "nobody", litmos.ListParams{}); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
}

// TestListCourseUsers: the roster reads both completion spellings and the
// SAP spelling Username, in one call per 1000 users.
func TestListCourseUsers(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	fs := srv.AddCourse(litmos.Course{Code: "FS", Name: "Food safety"})
	path := litmostest.ServicePath + "/courses/" + fs.ID + "/users"
	body, err := os.ReadFile(filepath.Join("testdata", "course_users.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(litmostest.Fault{Method: http.MethodGet, Path: path, Times: 1, Status: 200, Body: string(body)})
	got := collect(t, c.ListCourseUsers(ctx, fs.ID, litmos.ListParams{}))
	want := []litmos.CourseUser{
		{ID: "-bA-I8jb-tXUrvqglbdc1A2", UserName: "LennyLitmos", FirstName: "Leonard", LastName: "Somtil",
			CompliantTill: litmos.Time{Form: litmos.DateNull}, DueDate: litmos.Time{Time: time.UnixMilli(1500000000000).UTC()},
			AccessTillDate: litmos.Time{Form: litmos.DateNull}},
		{ID: "rnjx2WaQOEY1", UserName: "janine.butcher@pieshop.net", FirstName: "Janine", LastName: "Butcher",
			Completed: true, PercentageComplete: 100, CompliantTill: litmos.Time{Time: time.UnixMilli(1529337750508).UTC()},
			DueDate: litmos.Time{Form: litmos.DateNull}, AccessTillDate: litmos.Time{Form: litmos.DateNull}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("recorded roster (-want +got):\n%s", d)
	}
	// On the fake's own data: one user done, one halfway.
	a, b := seedUser(srv, "a@example.com"), seedUser(srv, "b@example.com")
	srv.SetProgress(a.ID, litmos.UserCourse{ID: fs.ID, Complete: true, PercentageComplete: 100})
	srv.SetProgress(b.ID, litmos.UserCourse{ID: fs.ID, PercentageComplete: 50})
	srv.Log().Reset()
	roster := collect(t, c.ListCourseUsers(ctx, fs.ID, litmos.ListParams{}))
	if len(roster) != 2 || !roster[0].Completed || roster[1].Completed || roster[1].PercentageComplete != 50 || roster[0].UserName != "a@example.com" {
		t.Errorf("roster %+v", roster)
	}
	if n := srv.Log().Count(nil); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
	if _, err := c.ListCourseUsersPage(ctx, "nope", litmos.ListParams{}); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown course: %v", err)
	}
}

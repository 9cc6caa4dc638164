package talentlms_test

import (
	"errors"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
)

func TestCoursesAndProgress(t *testing.T) {
	now := utc(2026, 5, 1, 12, 0, 0)
	srv, c := newFake(t)
	srv.SetClock(func() time.Time { return now })
	co := srv.SeedCompany()
	courses := collect(t, c.ListCourses(ctx))
	if len(courses) != 3 || courses[1].Name != "Onboarding & Culture" || courses[2].Price != "$49.00" || courses[0].Users != nil {
		t.Errorf("ListCourses = %+v", courses)
	}
	sec := co.Courses["Security Awareness"]
	course, err := c.GetCourse(ctx, sec)
	if err != nil {
		t.Fatal(err)
	}
	if len(course.Users) != 6 || len(course.Units) != 1 {
		t.Fatalf("course users %d units %d", len(course.Users), len(course.Units))
	}
	byID := map[string]talentlms.CourseUser{}
	for _, u := range course.Users {
		byID[u.ID] = u
	}
	ana, bo := byID[co.Users["ana.lima"]], byID[co.Users["bo.chen"]]
	if !ana.Completed() || !ana.CompletedOn.Equal(now.Add(-20*24*time.Hour)) || ana.TotalTimeSeconds != 1260 || ana.TotalTime != "21m 0s" {
		t.Errorf("ana = %+v", ana)
	}
	if bo.Completed() || bo.CompletionPercentage != 40 || !bo.EnrolledOn.Equal(now.Add(-30*24*time.Hour)) {
		t.Errorf("bo = %+v", bo)
	}

	st, err := c.GetUserStatusInCourse(ctx, co.Users["ana.lima"], sec)
	if err != nil || st.CompletionStatus != talentlms.Completed || st.CompletionStatusText != "Completed" || st.CompletionPercentage != 100 || len(st.Units) != 1 {
		t.Errorf("status = %+v, %v", st, err)
	}
	u, err := c.GetUser(ctx, co.Users["bo.chen"])
	if err != nil || len(u.Courses) != 1 || u.Courses[0].CompletionStatus != talentlms.Incomplete || u.Courses[0].Name != "Security Awareness" {
		t.Errorf("bo's courses = %+v, %v", u.Courses, err)
	}

	noor, onb := co.Users["noor.haddad"], co.Courses["Onboarding & Culture"]
	if _, err := c.GetUserStatusInCourse(ctx, noor, onb); !errors.Is(err, talentlms.ErrNotEnrolled) || !errors.Is(err, talentlms.ErrNotFound) {
		t.Errorf("status when not enrolled: %v", err)
	}
	e, err := c.AddUserToCourse(ctx, talentlms.AddUserToCourseParams{CourseID: onb, UserID: noor})
	if err != nil || *e != (talentlms.Enrollment{UserID: noor, CourseID: onb, Role: "learner"}) {
		t.Errorf("AddUserToCourse = %+v, %v", e, err)
	}
	if p, ok := srv.Enrollment(noor, onb); !ok || !p.EnrolledOn.Equal(now) {
		t.Errorf("stored enrolment %+v, %v", p, ok)
	}
	if st, err := c.GetUserStatusInCourse(ctx, noor, onb); err != nil || st.CompletionStatus != talentlms.NotAttempted {
		t.Errorf("fresh status = %+v, %v", st, err)
	}
	if _, err := c.AddUserToCourse(ctx, talentlms.AddUserToCourseParams{CourseID: onb, UserEmail: "NOOR.HADDAD@northwind.example"}); !errors.Is(err, talentlms.ErrAlreadyEnrolled) || !errors.Is(err, talentlms.ErrConflict) {
		t.Errorf("second enrolment: %v", err)
	}
	r, err := c.RemoveUserFromCourse(ctx, noor, onb)
	if err != nil || *r != (talentlms.Unenrollment{UserID: noor, CourseID: onb, CourseName: "Onboarding & Culture"}) {
		t.Errorf("RemoveUserFromCourse = %+v, %v", r, err)
	}
	if _, err := c.RemoveUserFromCourse(ctx, noor, onb); !errors.Is(err, talentlms.ErrNotEnrolled) {
		t.Errorf("second removal: %v", err)
	}
	if _, err := c.GetCourse(ctx, "999"); !errors.Is(err, talentlms.ErrNotFound) {
		t.Errorf("no course: %v", err)
	}
	before := srv.Log().Count(nil)
	for _, p := range []talentlms.AddUserToCourseParams{
		{CourseID: onb}, {CourseID: onb, UserID: noor, UserEmail: "a@b.c"}, {CourseID: onb, UserID: noor, Role: "admin"}, {UserID: noor},
	} {
		if _, err := c.AddUserToCourse(ctx, p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	if srv.Log().Count(nil) != before {
		t.Error("refused params were sent")
	}
}

func TestParseCompletionStatus(t *testing.T) {
	for in, want := range map[string]talentlms.CompletionStatus{
		"Completed": talentlms.Completed, "completed": talentlms.Completed, "Not attempted": talentlms.NotAttempted,
		"not_attempted": talentlms.NotAttempted, "In progress": talentlms.Incomplete, "incomplete": talentlms.Incomplete,
		"Failed": talentlms.Failed, "": "", "Pending Review": "pending_review",
	} {
		if got := talentlms.ParseCompletionStatus(in); got != want {
			t.Errorf("ParseCompletionStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// puts is what the Training store got in a run: each enrollment kept
// (employee:course percent status) and each course added.
func (e *thrEnv) puts() (enrolls []string, courses []string) {
	es, cs := e.training.written()
	for _, x := range es {
		enrolls = append(enrolls, x.ID()+" "+x.Status)
	}
	for _, c := range cs {
		courses = append(courses, c.Code)
	}
	e.training.reset()
	return enrolls, courses
}

// LMS to HR: TalentLMS's courses and progress land in the Training store
// (there is no TalentHR endpoint for them): one PutEnrollment per new
// enrollment and per enrollment whose progress moved on, none for one
// that went back (the further progress is kept) or did not change.
func TestTHRTrainingLMSToHR(t *testing.T) {
	e := newTHREnv(t, jobs.LMSToHR, func(s *thrSetup) { s.training = true })
	rep := e.sync(t)
	if rep.Failed() {
		t.Fatalf("%s\n%s", rep.Summary(), rowsText(rep))
	}
	ana, bo, lena := e.co.emp["ana"], e.co.emp["bo"], e.employee(t, "Lena").ID
	enrolls, courses := e.puts()
	if d := cmp.Diff([]string{"ONB-100", "SEC-101"}, courses, cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
		t.Errorf("courses kept (-want +got):\n%s", d)
	}
	sec, onb := trainingCourse(t, e, "SEC-101"), trainingCourse(t, e, "ONB-100")
	want := []string{ana + ":" + sec + " completed", bo + ":" + sec + " incomplete", lena + ":" + onb + " incomplete"}
	if d := cmp.Diff(want, enrolls, cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
		t.Errorf("enrollments kept (-want +got):\n%s", d)
	}
	got, _ := e.training.Enrollment(ana, sec)
	wantAna := talenthr.Enrollment{EmployeeID: ana, CourseID: sec, Role: "learner", Status: talenthr.Completed, Percent: 100,
		Seconds: 1260, EnrolledOn: thrDay.AddDate(0, -2, 0), CompletedOn: thrDay.AddDate(0, -1, 0)}
	if d := cmp.Diff(wantAna, got); d != "" {
		t.Errorf("Ana's enrollment (-want +got):\n%s", d)
	}
	if o := outcome(t, rep, syncengine.Enrollments, "Ana Lima in Security Awareness"); o.Result != syncengine.ResultCreated {
		t.Errorf("the report's row for Ana's training: %+v", o)
	}
	_, lms := e.calls()
	// One GET courses serves both the courses and the enrollments; one
	// GET courses/id:{id} per course carries every learner's progress.
	if n := counted(lms)["GET courses"]; n != 1 || counted(lms)["GET courses/id"] != 2 {
		t.Errorf("TalentLMS course calls: %v", counted(lms))
	}

	steps := []struct {
		name   string
		change func()
		want   []string
	}{
		{"nothing", func() {}, nil},
		{"progress", func() { e.lmsProgress("bo", "SEC-101", 80, false) }, []string{bo + ":" + sec + " incomplete"}},
		{"a completion", func() { e.lmsProgress("bo", "SEC-101", 100, true) }, []string{bo + ":" + sec + " completed"}},
		{"progress going back (re-enrolled in TalentLMS)", func() { e.lmsProgress("bo", "SEC-101", 0, false) }, nil},
		{"a new enrollment", func() { e.lmsProgress("lena", "SEC-101", 5, false) }, []string{lena + ":" + sec + " incomplete"}},
		{"taken out of a course in TalentLMS", func() {
			if _, err := e.lms.NewClient(t).RemoveUserFromCourse(context.Background(), e.co.user["lena"], e.co.course["SEC-101"]); err != nil {
				t.Fatal(err)
			}
		}, nil},
	}
	for _, s := range steps {
		s.change()
		e.resetLogs()
		if rep := e.sync(t); rep.Failed() {
			t.Errorf("%s: %s\n%s", s.name, rep.Summary(), rowsText(rep))
		}
		enrolls, courses := e.puts()
		if d := cmp.Diff(s.want, enrolls, cmpEmpty); d != "" || len(courses) != 0 {
			t.Errorf("%s: enrollments kept (-want +got):\n%s (courses %v)", s.name, d, courses)
		}
		if hr, _ := e.calls(); len(writes(hr)) != 0 {
			t.Errorf("%s: TalentHR writes %v: training never goes to TalentHR", s.name, writes(hr))
		}
	}
	if got, _ := e.training.Enrollment(bo, sec); got.Percent != 100 || got.Status != talenthr.Completed || got.CompletedOn.IsZero() {
		t.Errorf("Bo's kept progress %+v, want his completion kept", got)
	}
	if _, ok := e.training.Enrollment(lena, sec); !ok {
		t.Error("Lena's enrollment was dropped from the store")
	}
	// The store keeps it quietly: a plan holds nothing about it.
	for _, ch := range e.plan(t).Changes {
		if ch.Collection == syncengine.Enrollments && ch.Reason != syncengine.ReasonUnchanged && ch.Reason != syncengine.ReasonOutOfScope {
			t.Errorf("enrollment %s/%s: %s %s", ch.AID, ch.BID, ch.Action, ch.Reason)
		}
	}
}

// HR to LMS: an enrollment kept on the TalentHR side is created in
// TalentLMS once (addusertocourse), for an employee the same run creates
// too; one TalentLMS already has is adopted, not enrolled twice; one in a
// course TalentLMS lacks is not written (TalentLMS's courses cannot be
// created through its API).
func TestTHRTrainingHRToLMS(t *testing.T) {
	var sec, fire string
	e := newTHREnv(t, jobs.HRToLMS, func(s *thrSetup) { s.training = true })
	ctx := context.Background()
	put := func(emp, course string, pct float64) {
		if err := e.training.MemoryTraining.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: e.co.emp[emp], CourseID: course,
			Role: "learner", Status: talenthr.Incomplete, Percent: pct}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := e.training.MemoryTraining.PutCourse(ctx, talenthr.Course{Name: "Security Awareness", Code: "SEC-101"})
	sec = c.ID
	c, _ = e.training.MemoryTraining.PutCourse(ctx, talenthr.Course{Name: "Fire Safety", Code: "FIRE-1"})
	fire = c.ID
	put("nia", sec, 0)   // Nia's TalentLMS user is created in this run
	put("ana", sec, 100) // TalentLMS has Ana's enrollment already
	put("zoe", fire, 0)  // no such course in TalentLMS
	rep := e.sync(t)
	_, lms := e.calls()
	if d := cmp.Diff(1, counted(lms)["GET addusertocourse/course_id,user_id,role"]+counted(lms)["POST addusertocourse"]); d != "" {
		t.Errorf("addusertocourse calls: %v\n%s", counted(lms), rowsText(rep))
	}
	nia := e.lmsUser(t, "Nia")
	if _, ok := e.lms.Enrollment(nia.ID, e.co.course["SEC-101"]); !ok {
		t.Errorf("Nia is not enrolled in Security Awareness:\n%s", rowsText(rep))
	}
	if p, _ := e.lms.Enrollment(e.co.user["ana"], e.co.course["SEC-101"]); p.Percent != 100 {
		t.Errorf("Ana's TalentLMS progress %+v: her enrollment was replaced", p)
	}
	if o := outcome(t, rep, syncengine.Courses, "Fire Safety"); o.Result != syncengine.ResultSkipped {
		t.Errorf("the course TalentLMS lacks: %+v", o)
	}
	if n := len(e.lms.CourseLearners(e.co.course["SEC-101"])); n != 3 {
		t.Errorf("Security Awareness has %d learners, want Ana, Bo and Nia", n)
	}
	e.resetLogs()
	if rep := e.sync(t); rep.Writes() != 0 {
		t.Errorf("rerun: %s\n%s", rep.Summary(), rowsText(rep))
	}
	if _, lms := e.calls(); len(writes(lms)) != 0 {
		t.Errorf("rerun wrote %v", writes(lms))
	}
}

// Two-way: progress flows both ways without duplicates and the further
// progress wins field by field: the store keeps a completion TalentLMS
// does not have, TalentLMS's own progress is never rewritten, and the
// store follows TalentLMS when it is further.
func TestTHRTrainingTwoWay(t *testing.T) {
	e := newTHREnv(t, jobs.TwoWay, func(s *thrSetup) { s.training = true })
	ctx := context.Background()
	c, _ := e.training.MemoryTraining.PutCourse(ctx, talenthr.Course{Name: "Security Awareness", Code: "SEC-101"})
	done := thrDay.AddDate(0, 0, -3)
	// Bo finished the course elsewhere: the store knows, TalentLMS has 40%.
	if err := e.training.MemoryTraining.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: e.co.emp["bo"], CourseID: c.ID,
		Role: "learner", Status: talenthr.Completed, Percent: 100, CompletedOn: done}); err != nil {
		t.Fatal(err)
	}
	// Nia's assignment, kept on the TalentHR side only.
	if err := e.training.MemoryTraining.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: e.co.emp["nia"], CourseID: c.ID,
		Role: "learner", Status: talenthr.NotAttempted}); err != nil {
		t.Fatal(err)
	}
	rep := e.sync(t)
	if rep.Failed() {
		t.Fatalf("%s\n%s", rep.Summary(), rowsText(rep))
	}
	bo, _ := e.training.Enrollment(e.co.emp["bo"], c.ID)
	if bo.Percent != 100 || bo.Status != talenthr.Completed || !bo.CompletedOn.Equal(done) {
		t.Errorf("Bo's kept progress %+v: the completion must win", bo)
	}
	if p, _ := e.lms.Enrollment(e.co.user["bo"], e.co.course["SEC-101"]); p.Percent != 40 {
		t.Errorf("Bo's TalentLMS progress %+v was rewritten", p)
	}
	nia := e.lmsUser(t, "Nia")
	if _, ok := e.lms.Enrollment(nia.ID, e.co.course["SEC-101"]); !ok {
		t.Error("Nia's assignment did not reach TalentLMS")
	}
	if _, ok := e.training.Enrollment(e.co.emp["ana"], c.ID); !ok {
		t.Error("Ana's TalentLMS completion did not reach the store")
	}
	e.sync(t) // the hire date of the people TalentHR hired flows back
	e.resetLogs()
	if rep := e.sync(t); rep.Writes() != 0 {
		t.Errorf("third run: %s\n%s", rep.Summary(), rowsText(rep))
	}
	// TalentLMS moves Nia on: the store follows.
	e.lmsProgress("nia", "SEC-101", 30, false)
	e.resetLogs()
	e.sync(t)
	enrolls, _ := e.puts()
	if d := cmp.Diff([]string{e.co.emp["nia"] + ":" + c.ID + " incomplete"}, enrolls); d != "" {
		t.Errorf("after Nia's progress (-want +got):\n%s", d)
	}
	if _, lms := e.calls(); len(writes(lms)) != 0 {
		t.Errorf("TalentLMS writes %v", writes(lms))
	}
	seen := map[string]int{}
	for _, u := range e.lms.Users() {
		for _, course := range []string{e.co.course["SEC-101"], e.co.course["ONB-100"]} {
			if _, ok := e.lms.Enrollment(u.ID, course); ok {
				seen[u.ID+":"+course]++
			}
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("enrollment %s %d times", k, n)
		}
	}
}

// lmsProgress sets a learner's progress in TalentLMS, as the learner
// taking the course would.
func (e *thrEnv) lmsProgress(who, code string, pct int, completed bool) {
	id := e.co.user[who]
	if id == "" {
		u, ok := e.lms.UserByEmail(thrEmail(who))
		if !ok {
			panic("no user " + who)
		}
		id = u.ID
	}
	p := talentlmstest.Progress{Percent: pct, EnrolledOn: thrDay.AddDate(0, -2, 0), TotalTimeSeconds: int64(pct * 10)}
	if completed {
		p.CompletedOn = thrDay.Add(-time.Hour)
	}
	e.lms.Enroll(id, e.co.course[code], p)
}

// trainingCourse is the store's id of the course with code.
func trainingCourse(t *testing.T, e *thrEnv, code string) string {
	t.Helper()
	cs, _ := e.training.Courses(context.Background())
	for _, c := range cs {
		if c.Code == code {
			return c.ID
		}
	}
	t.Fatalf("the store has no course %s", code)
	return ""
}

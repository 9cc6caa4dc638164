package talentlms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// EnrollmentID is the id of the enrollment record of a user in a course.
func EnrollmentID(userID, courseID string) string { return userID + ":" + courseID }

// SplitEnrollmentID returns the user and course ids of an enrollment id;
// an id not of the form "userID:courseID" (digits) matches ErrNotFound.
func SplitEnrollmentID(id string) (userID, courseID string, err error) {
	u, c, ok := strings.Cut(id, ":")
	if !ok || !digitsRe.MatchString(u) || !digitsRe.MatchString(c) {
		return "", "", fmt.Errorf("talentlms: enrollment id %q is not \"userID:courseID\": %w", clip(id, 60), ErrNotFound)
	}
	return u, c, nil
}

// progress is a user's progress in a course, from a course's users list
// or getuserstatusincourse.
type progress struct {
	role                         string
	enrolled, completed, expired Time
	percent, seconds             int64
}

// status derives the completion status from the percentage, the
// completion date and the time spent: a course's users list, which the
// listing reads, carries no completion_status, and Get derives it the same
// way so that both reads agree (TalentLMS's own "failed" is not told apart).
func (p progress) status() CompletionStatus {
	switch {
	case !p.completed.IsZero() || strings.TrimSpace(p.completed.Raw) != "" || p.percent >= 100:
		return Completed
	case p.percent > 0 || p.seconds > 0:
		return Incomplete
	}
	return NotAttempted
}

func enrollmentRecord(userID, courseID string, p progress, rs *readSet) syncengine.Record {
	all := map[string]any{
		"role": p.role, "completion_status": string(p.status()),
		"completion_percentage": float64(p.percent), "total_time_seconds": float64(p.seconds),
		"enrolled_on": timeValue(p.enrolled), "completed_on": timeValue(p.completed), "expired_on": timeValue(p.expired),
	}
	f := make(map[string]any, len(all))
	for name, v := range all {
		if rs.has(name) {
			f[name] = v
		}
	}
	return syncengine.Record{ID: EnrollmentID(userID, courseID), Fields: f, Active: true, Refs: enrollmentRefs(userID, courseID)}
}

func enrollmentRefs(userID, courseID string) map[string][]syncengine.Ref {
	return map[string][]syncengine.Ref{
		syncengine.RoleUser:   {{Collection: syncengine.Users, ID: userID}},
		syncengine.RoleCourse: {{Collection: syncengine.Courses, ID: courseID}},
	}
}

// listEnrollments reads each course's users with their progress: GET
// courses (none when courses were just listed), then one GET
// courses/id:{id} per course (not one call per user), plus one GET
// branches/id:{id} with Branch.
func (k *Connector) listEnrollments(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	members, err := k.branchMembers(ctx)
	if err != nil {
		return err
	}
	rs := k.readOf(syncengine.Enrollments)
	ids, err := k.courseList(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		c, err := k.c.GetCourse(ctx, id)
		if err != nil {
			return err
		}
		k.remember(syncengine.Courses, c.ID, c.Name)
		for _, u := range c.Users {
			if members != nil && !members[u.ID] {
				continue
			}
			k.rememberLearner(u.ID, u.Name)
			p := progress{role: u.Role, enrolled: u.EnrolledOn, completed: u.CompletedOn, expired: u.ExpiredOn,
				percent: u.CompletionPercentage, seconds: u.TotalTimeSeconds}
			if !yield(enrollmentRecord(u.ID, c.ID, p, rs), nil) {
				return errStop
			}
		}
	}
	return nil
}

// rememberLearner keeps a course's display name of a user ("J. Smith")
// unless the connector read the user's full name.
func (k *Connector) rememberLearner(id, name string) {
	if k.nameOf(syncengine.Users, id) == "" {
		k.remember(syncengine.Users, id, name)
	}
}

// getEnrollment reads one enrollment: one GET getuserstatusincourse. A
// user not enrolled in the course (both existing) reads as an inactive
// enrollment, so that SetActive(false) is seen to have taken.
func (k *Connector) getEnrollment(ctx context.Context, id string) (syncengine.Record, error) {
	userID, courseID, err := SplitEnrollmentID(id)
	if err != nil {
		return syncengine.Record{}, err
	}
	st, err := k.c.GetUserStatusInCourse(ctx, userID, courseID)
	var rec syncengine.Record
	switch {
	case errors.Is(err, ErrNotEnrolled):
		rec = syncengine.Record{ID: id, Fields: map[string]any{}, Refs: enrollmentRefs(userID, courseID)}
	case err != nil:
		return syncengine.Record{}, err
	default:
		p := progress{role: st.Role, enrolled: st.EnrolledOn, completed: st.CompletedOn, expired: st.ExpiredOn,
			percent: st.CompletionPercentage, seconds: st.TotalTimeSeconds}
		rec = enrollmentRecord(userID, courseID, p, k.readOf(syncengine.Enrollments))
	}
	if k.opts.Branch != "" && !k.memberKnown(userID) {
		if _, err := k.branchMembers(ctx); err != nil {
			return syncengine.Record{}, err
		}
	}
	return rec, nil
}

// createEnrollment enrols the user of Refs["user"] in the course of
// Refs["course"] with Fields["role"] (learner by default): one
// addusertocourse. A user already enrolled is adopted, not enrolled twice.
// The progress fields are TalentLMS's own and are not written.
func (k *Connector) createEnrollment(ctx context.Context, rec syncengine.Record) (string, error) {
	u, c := rec.Refs[syncengine.RoleUser], rec.Refs[syncengine.RoleCourse]
	if len(u) != 1 || len(c) != 1 || !digitsRe.MatchString(u[0].ID) || !digitsRe.MatchString(c[0].ID) {
		return "", invalidf("create enrollment: refs %q and %q must each name one TalentLMS id, got %v and %v",
			syncengine.RoleUser, syncengine.RoleCourse, u, c)
	}
	role := ""
	for name, v := range rec.Fields {
		switch {
		case name == "role" && v != nil:
			s, ok := v.(string)
			if !ok || (s != "learner" && s != "instructor") {
				return "", invalidf("create enrollment: role %v is neither learner nor instructor", v)
			}
			role = s
		case !slices.Contains(EnrollmentFields(), name):
			return "", invalidf("enrollments have no field %q (they have %s)", name, strings.Join(EnrollmentFields(), ", "))
		}
	}
	return k.enrol(ctx, u[0].ID, c[0].ID, role)
}

// enrol sends addusertocourse. "Already enrolled" is success; a reply
// lost after sending is settled with one getuserstatusincourse, and the
// enrolment is sent once more only when that proves it absent.
func (k *Connector) enrol(ctx context.Context, userID, courseID, role string) (string, error) {
	id := EnrollmentID(userID, courseID)
	p := AddUserToCourseParams{CourseID: courseID, UserID: userID, Role: role}
	_, err := k.c.AddUserToCourse(ctx, p)
	if err == nil || errors.Is(err, ErrAlreadyEnrolled) {
		return id, nil
	}
	if !errors.Is(err, ErrOutcomeUnknown) || ctx.Err() != nil {
		return "", err
	}
	_, serr := k.c.GetUserStatusInCourse(ctx, userID, courseID)
	switch {
	case serr == nil:
		return id, nil
	case !errors.Is(serr, ErrNotEnrolled):
		return "", err
	}
	if _, err := k.c.AddUserToCourse(ctx, p); err != nil && !errors.Is(err, ErrAlreadyEnrolled) {
		return "", err
	}
	return id, nil
}

// setEnrollmentActive enrols again (SetActive true, one addusertocourse)
// or takes the user out of the course (false, one removeuserfromcourse);
// either is a no-op when TalentLMS is already so.
func (k *Connector) setEnrollmentActive(ctx context.Context, id string, active bool) error {
	userID, courseID, err := SplitEnrollmentID(id)
	if err != nil {
		return err
	}
	if active {
		_, err := k.enrol(ctx, userID, courseID, "")
		return err
	}
	_, err = k.c.RemoveUserFromCourse(ctx, userID, courseID)
	if errors.Is(err, ErrNotEnrolled) {
		return nil
	}
	return err
}

// enrollmentLabel names an enrollment from the names the connector read.
func (k *Connector) enrollmentLabel(r syncengine.Record) string {
	u, c := r.Refs[syncengine.RoleUser], r.Refs[syncengine.RoleCourse]
	if len(u) != 1 || len(c) != 1 {
		return r.ID
	}
	who := k.nameOf(syncengine.Users, u[0].ID)
	if who == "" {
		who = "user " + u[0].ID
	}
	what := k.nameOf(syncengine.Courses, c[0].ID)
	if what == "" {
		what = "course " + c[0].ID
	}
	return who + " in " + what
}

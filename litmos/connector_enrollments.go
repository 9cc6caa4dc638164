package litmos

import (
	"context"
	"fmt"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// EnrollmentID is the id of the enrollment record for a user and a course.
func EnrollmentID(userID, courseID string) string { return userID + ":" + courseID }

// SplitEnrollmentID returns the user and course ids of an enrollment id.
func SplitEnrollmentID(id string) (userID, courseID string, err error) {
	u, c, ok := strings.Cut(id, ":")
	if !ok || u == "" || c == "" || strings.Contains(c, ":") {
		return "", "", fmt.Errorf("litmos: enrollment id %q is not \"userID:courseID\": %w", id, syncengine.ErrNotFound)
	}
	return u, c, nil
}

// EnrollmentFields lists the field names of enrollment records: the
// course's Code and Name, and the learner's progress as the course roster
// gives it (GET /courses/{id}/users; https://api.sap.com/api/LitmosAPIdetails/overview):
// Complete (Litmos spells it Completed there), PercentageComplete (a
// float64) and the dates CompliantTill, DueDate and AccessTillDate
// (time.Time, absent when unset). The roster has no assigned, start or
// completion date: those come one user at a time (Client.ListUserCourses,
// https://support.litmos.com/hc/en-us/articles/227734647).
func EnrollmentFields() []string {
	return []string{"Code", "Name", "Complete", "PercentageComplete", "CompliantTill", "DueDate", "AccessTillDate"}
}

// enrollmentRecord is the assignment of course c to the learner cu.
func enrollmentRecord(c *Course, cu *CourseUser) syncengine.Record {
	rec := inactiveEnrollment(cu.ID, c)
	rec.Active = true
	rec.Fields["Complete"] = cu.Completed
	rec.Fields["PercentageComplete"] = cu.PercentageComplete
	for _, d := range []struct {
		name string
		t    Time
	}{{"CompliantTill", cu.CompliantTill}, {"DueDate", cu.DueDate}, {"AccessTillDate", cu.AccessTillDate}} {
		if !d.t.IsZero() {
			rec.Fields[d.name] = d.t.Time
		}
	}
	return rec
}

// inactiveEnrollment is the record of a user and a course that exist but
// are not paired: what SetActive(false) leaves, Active false.
func inactiveEnrollment(userID string, c *Course) syncengine.Record {
	return syncengine.Record{ID: EnrollmentID(userID, c.ID),
		Fields: map[string]any{"Code": c.Code, "Name": c.Name},
		Refs: map[string][]syncengine.Ref{
			syncengine.RoleUser:   {{Collection: syncengine.Users, ID: userID}},
			syncengine.RoleCourse: {{Collection: syncengine.Courses, ID: c.ID}},
		}}
}

// listEnrollments reads each course's roster: the course pages plus one
// call per course (per 1000 learners), where reading each user's courses
// would cost one call per user.
func (k *Connector) listEnrollments(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	for c, err := range k.c.ListCourses(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		seen := map[string]bool{} // a roster that shifts while paged may repeat a learner
		for cu, err := range k.c.ListCourseUsers(ctx, c.ID, ListParams{}) {
			if isNotFound(err) {
				break // deleted since the course listing
			}
			if err != nil {
				return err
			}
			if seen[cu.ID] {
				continue
			}
			seen[cu.ID] = true
			if !yield(enrollmentRecord(&c, &cu), nil) {
				return errStop
			}
		}
	}
	return nil
}

// getEnrollment reads the course and its roster up to the learner: two
// calls for a course of fewer than 1000 learners. A user who exists but
// is not on the roster (one more call to tell) answers the record
// inactive, as SetActive(false) leaves it; an unknown user or course
// answers an error matching ErrNotFound.
func (k *Connector) getEnrollment(ctx context.Context, id string) (syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return syncengine.Record{}, err
	}
	userID, courseID, err := SplitEnrollmentID(id)
	if err != nil {
		return syncengine.Record{}, err
	}
	c, err := k.c.GetCourse(ctx, courseID)
	if err != nil {
		return syncengine.Record{}, err
	}
	for cu, err := range k.c.ListCourseUsers(ctx, courseID, ListParams{}) {
		if err != nil {
			return syncengine.Record{}, err
		}
		if cu.ID == userID {
			return enrollmentRecord(c, &cu), nil
		}
	}
	if _, err := k.c.GetUser(ctx, userID); err != nil {
		return syncengine.Record{}, err
	}
	return inactiveEnrollment(userID, c), nil
}

// assignment returns the user's assignment of the course, nil when there
// is none: one call for a user with fewer than 1000 courses.
func (k *Connector) assignment(ctx context.Context, userID, courseID string) (*UserCourse, error) {
	for uc, err := range k.c.ListUserCourses(ctx, userID, ListParams{}) {
		if err != nil {
			return nil, err
		}
		if uc.ID == courseID {
			return &uc, nil
		}
	}
	return nil, nil
}

// createEnrollment assigns the course of Refs["course"] to the user of
// Refs["user"], without email unless SendEmail (Litmos emails on
// assignment by default, https://support.litmos.com/hc/en-us/articles/227734647;
// AssignCourses always sends sendmessage): a read and a write, or
// the read alone when the course is assigned already (adopted, so a
// repeated create neither duplicates nor re-sends anything). Fields are
// ignored: progress is the learner's, not writable.
func (k *Connector) createEnrollment(ctx context.Context, rec syncengine.Record) (string, error) {
	u, c := rec.Refs[syncengine.RoleUser], rec.Refs[syncengine.RoleCourse]
	if len(u) != 1 || len(c) != 1 || u[0].ID == "" || c[0].ID == "" {
		return "", fmt.Errorf("litmos: create enrollment: refs \"user\" and \"course\" must each name one record")
	}
	have, err := k.assignment(ctx, u[0].ID, c[0].ID)
	if err != nil {
		return "", err
	}
	if have == nil {
		if err := k.c.AssignCourses(ctx, u[0].ID, []string{c[0].ID}, MessageParams{SendMessage: k.opts.SendEmail}); err != nil {
			return "", err
		}
	}
	return EnrollmentID(u[0].ID, c[0].ID), nil
}

// setEnrollmentActive assigns or unassigns: a read, and a write unless the
// assignment is already as wanted.
func (k *Connector) setEnrollmentActive(ctx context.Context, id string, active bool) error {
	userID, courseID, err := SplitEnrollmentID(id)
	if err != nil {
		return err
	}
	have, err := k.assignment(ctx, userID, courseID)
	switch {
	case err != nil:
		return err
	case (have != nil) == active:
		return nil // already in the wanted state
	case active:
		return k.c.AssignCourses(ctx, userID, []string{courseID}, MessageParams{SendMessage: k.opts.SendEmail})
	}
	err = k.c.UnassignCourse(ctx, userID, courseID)
	if isNotFound(err) {
		// A retried DELETE whose first attempt was applied answers 404: check.
		if have, gerr := k.assignment(ctx, userID, courseID); gerr == nil && have == nil {
			return nil
		}
	}
	return err
}

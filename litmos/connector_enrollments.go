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

func enrollmentRecord(userID string, uc *UserCourse) syncengine.Record {
	f := map[string]any{
		"Code": uc.Code, "Name": uc.Name, "Complete": uc.Complete, "PercentageComplete": uc.PercentageComplete,
		"UpToDate": uc.UpToDate, "Overdue": uc.Overdue,
	}
	for name, t := range map[string]Time{"AssignedDate": uc.AssignedDate, "StartDate": uc.StartDate,
		"DateCompleted": uc.DateCompleted, "CompliantTill": uc.CompliantTill} {
		if !t.IsZero() {
			f[name] = t.Time
		}
	}
	return syncengine.Record{ID: EnrollmentID(userID, uc.ID), Fields: f, Active: true,
		Refs: map[string][]syncengine.Ref{
			"user":   {{Collection: syncengine.Users, ID: userID}},
			"course": {{Collection: Courses, ID: uc.ID}},
		}}
}

// listEnrollments reads every user's courses: one call per user.
func (k *Connector) listEnrollments(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	for u, err := range k.c.ListUsers(ctx, ListUsersParams{}) {
		if err != nil {
			return err
		}
		for uc, err := range k.c.ListUserCourses(ctx, u.ID, ListParams{}) {
			if err != nil {
				return err
			}
			if !yield(enrollmentRecord(u.ID, &uc), nil) {
				return errStop
			}
		}
	}
	return nil
}

func (k *Connector) getEnrollment(ctx context.Context, id string) (syncengine.Record, error) {
	userID, courseID, err := SplitEnrollmentID(id)
	if err != nil {
		return syncengine.Record{}, err
	}
	for uc, err := range k.c.ListUserCourses(ctx, userID, ListParams{}) {
		if err != nil {
			return syncengine.Record{}, err
		}
		if uc.ID == courseID {
			return enrollmentRecord(userID, &uc), nil
		}
	}
	return syncengine.Record{}, fmt.Errorf("litmos: enrollment %s: course not assigned: %w", id, ErrNotFound)
}

// createEnrollment assigns the course of Refs["course"] to the user of
// Refs["user"], without email unless SendEmail.
func (k *Connector) createEnrollment(ctx context.Context, rec syncengine.Record) (string, error) {
	u, c := rec.Refs["user"], rec.Refs["course"]
	if len(u) != 1 || len(c) != 1 || u[0].ID == "" || c[0].ID == "" {
		return "", fmt.Errorf("litmos: create enrollment: refs \"user\" and \"course\" must each name one record")
	}
	if err := k.c.AssignCourses(ctx, u[0].ID, []string{c[0].ID}, MessageParams{SendMessage: k.opts.SendEmail}); err != nil {
		return "", err
	}
	return EnrollmentID(u[0].ID, c[0].ID), nil
}

func (k *Connector) setEnrollmentActive(ctx context.Context, id string, active bool) error {
	userID, courseID, err := SplitEnrollmentID(id)
	if err != nil {
		return err
	}
	_, err = k.getEnrollment(ctx, id)
	switch {
	case err == nil && active, err != nil && !active && isNotFound(err):
		return nil // already in the wanted state
	case err != nil && !isNotFound(err):
		return err
	case active:
		return k.c.AssignCourses(ctx, userID, []string{courseID}, MessageParams{SendMessage: k.opts.SendEmail})
	}
	err = k.c.UnassignCourse(ctx, userID, courseID)
	if isNotFound(err) {
		// A retried DELETE whose first attempt was applied answers 404: check.
		if _, gerr := k.getEnrollment(ctx, id); isNotFound(gerr) {
			return nil
		}
	}
	return err
}

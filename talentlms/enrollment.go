package talentlms

import (
	"bytes"
	"context"
	"fmt"
)

// AddUserToCourseParams is what addusertocourse takes: the course and the
// user, by id or (as the official WordPress plugin enrols) by email.
type AddUserToCourseParams struct {
	CourseID  string `form:"course_id"`
	UserID    string `form:"user_id"`
	UserEmail string `form:"user_email"` // instead of UserID
	// Role is learner (the default) or instructor.
	Role string `form:"role"`
}

// Enrollment is a user's place in a course, as addusertocourse answers it.
type Enrollment struct {
	UserID   string
	CourseID string
	Role     string
}

// AddUserToCourse enrols a user in a course (POST addusertocourse). A
// user already enrolled answers an error matching ErrAlreadyEnrolled (and
// ErrConflict): a sync counts that as done. A reply lost after sending
// answers ErrOutcomeUnknown; GetUserStatusInCourse tells whether it took.
func (c *Client) AddUserToCourse(ctx context.Context, p AddUserToCourseParams) (*Enrollment, error) {
	who := p.UserID
	if who == "" {
		who = p.UserEmail
	}
	op := fmt.Sprintf("add user %s to course %s", who, p.CourseID)
	if err := p.check(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if p.Role == "" {
		p.Role = "learner"
	}
	form, err := encodeForm(p)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.post(ctx, op, "addusertocourse", form, false)
	if err != nil {
		return nil, err
	}
	// TalentLMS answers an array holding one enrolment
	// (https://github.com/clintmasden/talentlms.client calls it out); a bare
	// object is read too.
	one := func(o *object) Enrollment {
		return Enrollment{UserID: o.str("user_id"), CourseID: o.str("course_id"), Role: o.str("role")}
	}
	var items []Enrollment
	if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '[' {
		items, err = decodeArray(b, "", one)
	} else if o, derr := decodeObject(b, ""); derr != nil {
		err = derr
	} else {
		items, err = []Enrollment{one(o)}, o.err
	}
	if err == nil && (len(items) != 1 || items[0].UserID == "") {
		err = fmt.Errorf("want one enrolment in the reply, got %d", len(items))
	}
	if err != nil {
		return nil, wrapf(errOutcome(err), "%s", op)
	}
	return &items[0], nil
}

func (p AddUserToCourseParams) check() error {
	if err := checkID("course", p.CourseID); err != nil {
		return err
	}
	switch {
	case p.UserID == "" && p.UserEmail == "":
		return fmt.Errorf("the user is missing: set UserID or UserEmail")
	case p.UserID != "" && p.UserEmail != "":
		return fmt.Errorf("set one of UserID and UserEmail, not both")
	case p.UserID != "":
		if err := checkID("user", p.UserID); err != nil {
			return err
		}
	default:
		if err := checkEmail(p.UserEmail); err != nil {
			return err
		}
	}
	if p.Role != "" && p.Role != "learner" && p.Role != "instructor" {
		return fmt.Errorf("role %q is neither learner nor instructor", p.Role)
	}
	return nil
}

// Unenrollment is what removeuserfromcourse answers.
type Unenrollment struct {
	UserID     string
	CourseID   string
	CourseName string
}

// RemoveUserFromCourse takes a user out of a course (GET
// removeuserfromcourse/user_id:{u},course_id:{c}). A user not enrolled
// answers an error matching ErrNotEnrolled.
func (c *Client) RemoveUserFromCourse(ctx context.Context, userID, courseID string) (*Unenrollment, error) {
	op := fmt.Sprintf("remove user %s from course %s", userID, courseID)
	if err := checkIDs("user", userID, "course", courseID); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.get(ctx, op, "removeuserfromcourse", param{"user_id", userID}, param{"course_id", courseID})
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, "")
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	r := &Unenrollment{UserID: o.str("user_id"), CourseID: o.str("course_id"), CourseName: o.text("course_name")}
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	return r, nil
}

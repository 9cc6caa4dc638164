package talentlms

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Course is a TalentLMS course. ListCourses sends it abridged; GetCourse
// adds Users (every enrolled user's progress: the cheapest progress report,
// one call per course) and Units. Name and Price arrive HTML-entity
// encoded ("&#36;0.00") and are decoded.
type Course struct {
	ID                    string
	Name                  string
	Code                  string
	CategoryID            string
	Description           string
	Price                 string
	Status                string // active or inactive
	CreationDate          Time
	LastUpdateOn          Time
	CreatorID             string
	HideFromCatalog       bool
	TimeLimit             string
	StartDatetime         Time
	ExpirationDatetime    Time
	Level                 string
	Shared                string
	SharedURL             string
	Avatar                string
	BigAvatar             string
	Certification         string
	CertificationDuration string
	Custom                Extra // custom_field_N of the course
	Users                 []CourseUser
	Units                 []Unit
	Extra                 Extra // rules, prerequisites, …
}

// CourseUser is a user in a course's detail, with progress. TalentLMS
// sends no completion status here; Completed derives it.
type CourseUser struct {
	ID                   string
	Name                 string // a display name, "J. Smith"
	Role                 string
	EnrolledOn           Time
	CompletedOn          Time
	CompletionPercentage int64
	ExpiredOn            Time
	TotalTime            string
	TotalTimeSeconds     int64
	Extra                Extra
}

// Completed reports whether the user completed the course: a completion
// date, or 100 percent.
func (u CourseUser) Completed() bool {
	return !u.CompletedOn.IsZero() || u.CompletedOn.Raw != "" || u.CompletionPercentage >= 100
}

// Unit is a unit of a course.
type Unit struct {
	ID, Type, Name, URL string
}

func decodeCourse(o *object) Course {
	c := Course{
		ID:                    o.str("id"),
		Name:                  o.text("name"),
		Code:                  o.str("code"),
		CategoryID:            o.str("category_id"),
		Description:           o.str("description"),
		Price:                 o.text("price"),
		Status:                o.str("status"),
		CreationDate:          o.time("creation_date"),
		LastUpdateOn:          o.time("last_update_on"),
		CreatorID:             o.str("creator_id"),
		HideFromCatalog:       o.flag("hide_from_catalog"),
		TimeLimit:             o.str("time_limit"),
		StartDatetime:         o.time("start_datetime"),
		ExpirationDatetime:    o.time("expiration_datetime"),
		Level:                 o.str("level"),
		Shared:                o.str("shared"),
		SharedURL:             o.str("shared_url"),
		Avatar:                o.str("avatar"),
		BigAvatar:             o.str("big_avatar"),
		Certification:         o.str("certification"),
		CertificationDuration: o.str("certification_duration"),
		Users:                 list(o, "users", decodeCourseUser),
		Units:                 list(o, "units", decodeUnit),
	}
	c.Custom = o.custom()
	c.Extra = o.rest()
	return c
}

func decodeCourseUser(o *object) CourseUser {
	u := CourseUser{
		ID:                   o.str("id"),
		Name:                 o.text("name"),
		Role:                 o.str("role"),
		EnrolledOn:           o.time("enrolled_on"),
		CompletedOn:          o.time("completed_on"),
		CompletionPercentage: o.int("completion_percentage"),
		ExpiredOn:            o.time("expired_on"),
		TotalTime:            o.str("total_time"),
		TotalTimeSeconds:     o.int("total_time_seconds"),
	}
	u.Extra = o.rest()
	return u
}

func decodeUnit(o *object) Unit {
	return Unit{ID: o.str("id"), Type: o.str("type"), Name: o.text("name"), URL: o.str("url")}
}

// ListCourses yields every course, abridged (GET courses: v1 sends the
// whole list in one reply).
func (c *Client) ListCourses(ctx context.Context) iter.Seq2[Course, error] {
	return httpx.Pages(ctx, func(ctx context.Context, _ int) ([]Course, bool, error) {
		const op = "list courses"
		df, err := c.DateFormat(ctx)
		if err != nil {
			return nil, false, wrapf(err, op)
		}
		body, err := c.get(ctx, op, "courses")
		if err != nil {
			return nil, false, err
		}
		courses, err := decodeArray(body, df, decodeCourse)
		if err != nil {
			return nil, false, wrapf(err, op)
		}
		return courses, false, nil
	})
}

// GetCourse returns a course with its users' progress and its units (GET
// courses/id:{id}); an error matching ErrNotFound when there is none.
func (c *Client) GetCourse(ctx context.Context, id string) (*Course, error) {
	op := "get course " + id
	if err := checkID("course", id); err != nil {
		return nil, wrapf(err, "get course")
	}
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.get(ctx, op, "courses", param{"id", id})
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, df)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	course := decodeCourse(o)
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	return &course, nil
}

// CompletionStatus is a course completion state. TalentLMS spells it
// several ways ("Completed" in getuserstatusincourse, "completed" and
// "not_attempted" in user details, "Not attempted" in units);
// ParseCompletionStatus folds them.
type CompletionStatus string

// The completion states. Another value TalentLMS sends is kept, lower-cased
// with "_" for spaces.
const (
	NotAttempted CompletionStatus = "not_attempted"
	Incomplete   CompletionStatus = "incomplete"
	Completed    CompletionStatus = "completed"
	Failed       CompletionStatus = "failed"
)

// ParseCompletionStatus folds a completion_status as sent: case, spaces,
// "-" and "_" do not matter; "in progress" is Incomplete.
func ParseCompletionStatus(s string) CompletionStatus {
	k := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "":
		return ""
	case "notattempted", "notstarted":
		return NotAttempted
	case "incomplete", "inprogress":
		return Incomplete
	case "completed", "complete", "passed":
		return Completed
	case "failed":
		return Failed
	}
	return CompletionStatus(strings.Join(strings.Fields(strings.ToLower(s)), "_"))
}

// CourseStatus is a user's progress in one course (getuserstatusincourse).
type CourseStatus struct {
	Role                 string
	EnrolledOn           Time
	CompletionStatus     CompletionStatus
	CompletionStatusText string // as sent
	CompletionPercentage int64
	CompletedOn          Time
	ExpiredOn            Time
	TotalTime            string
	TotalTimeSeconds     int64
	Units                []UnitStatus
	Extra                Extra
}

// UnitStatus is a user's progress in one unit.
type UnitStatus struct {
	ID                   string
	Name                 string
	Type                 string
	CompletionStatus     CompletionStatus
	CompletionStatusText string
	CompletedOn          Time
	Score                string
	TotalTime            string
	TotalTimeSeconds     int64
	Extra                Extra
}

func decodeCourseStatus(o *object) CourseStatus {
	s := CourseStatus{
		Role:                 o.str("role"),
		EnrolledOn:           o.time("enrolled_on"),
		CompletionStatusText: o.str("completion_status"),
		CompletionPercentage: o.int("completion_percentage"),
		CompletedOn:          o.time("completed_on"),
		ExpiredOn:            o.time("expired_on"),
		TotalTime:            o.str("total_time"),
		TotalTimeSeconds:     o.int("total_time_seconds"),
		Units:                list(o, "units", decodeUnitStatus),
	}
	s.CompletionStatus = ParseCompletionStatus(s.CompletionStatusText)
	s.Extra = o.rest()
	return s
}

func decodeUnitStatus(o *object) UnitStatus {
	u := UnitStatus{
		ID:                   o.str("id"),
		Name:                 o.text("name"),
		Type:                 o.str("type"),
		CompletionStatusText: o.str("completion_status"),
		CompletedOn:          o.time("completed_on"),
		Score:                o.str("score"),
		TotalTime:            o.str("total_time"),
		TotalTimeSeconds:     o.int("total_time_seconds"),
	}
	u.CompletionStatus = ParseCompletionStatus(u.CompletionStatusText)
	u.Extra = o.rest()
	return u
}

// GetUserStatusInCourse returns a user's progress in a course (GET
// getuserstatusincourse/course_id:{c},user_id:{u}). A user not enrolled
// answers an error matching ErrNotEnrolled (and ErrNotFound).
func (c *Client) GetUserStatusInCourse(ctx context.Context, userID, courseID string) (*CourseStatus, error) {
	op := fmt.Sprintf("get status of user %s in course %s", userID, courseID)
	if err := checkIDs("user", userID, "course", courseID); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.get(ctx, op, "getuserstatusincourse", param{"course_id", courseID}, param{"user_id", userID})
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, df)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	st := decodeCourseStatus(o)
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	return &st, nil
}

func checkIDs(kindA, a, kindB, b string) error {
	if err := checkID(kindA, a); err != nil {
		return err
	}
	return checkID(kindB, b)
}

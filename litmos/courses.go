package litmos

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Course is a Litmos course (the Course schema,
// https://api.sap.com/api/LitmosAPIdetails/overview).
type Course struct {
	ID                        string  `json:"Id"`
	Code                      string  `json:"Code"`
	Name                      string  `json:"Name" html:"1"`
	Active                    bool    `json:"Active"`
	ForSale                   bool    `json:"ForSale"`
	OriginalID                int64   `json:"OriginalId"`
	Description               string  `json:"Description" html:"1"`
	EcommerceShortDescription string  `json:"EcommerceShortDescription"`
	EcommerceLongDescription  string  `json:"EcommerceLongDescription"`
	CourseCodeForBulkImport   string  `json:"CourseCodeForBulkImport"`
	Price                     float64 `json:"Price"`
	AccessTillDate            Time    `json:"AccessTillDate"`
	AccessTillDays            int64   `json:"AccessTillDays"`
	CourseTeamLibrary         bool    `json:"CourseTeamLibrary"`
	CreatedBy                 string  `json:"CreatedBy"`
	Tags                      string  `json:"Tags"`
	// Extra keeps fields this type does not name.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (c *Course) UnmarshalJSON(b []byte) error { return decodeObject(b, c) }

// MarshalJSON writes the course with its Extra fields.
func (c Course) MarshalJSON() ([]byte, error) { return encodeObject(c) }

// UserCourse is a course assigned to a user, with the user's progress
// (GET /users/{id}/courses,
// https://www.litmos.com/docs/litmos/apis/user-assignments-results-via-api).
// Litmos spells some fields two ways (the SAP schema says CompletedDate and
// ComplaintTill, the docs DateCompleted and CompliantTill); both are read.
type UserCourse struct {
	ID                 string  `json:"Id"`
	Code               string  `json:"Code"`
	Name               string  `json:"Name" html:"1"`
	Active             bool    `json:"Active"`
	Complete           bool    `json:"Complete" alt:"Completed"`
	PercentageComplete float64 `json:"PercentageComplete"`
	AssignedDate       Time    `json:"AssignedDate"`
	StartDate          Time    `json:"StartDate"`
	DateCompleted      Time    `json:"DateCompleted" alt:"CompletedDate"`
	// UpToDate: the course has not changed since the user completed it.
	UpToDate          bool   `json:"UpToDate"`
	Overdue           bool   `json:"Overdue"`
	CompliantTill     Time   `json:"CompliantTill" alt:"CompliantTillDate,ComplaintTill"`
	IsLearningPath    bool   `json:"IsLearningPath"`
	CourseCreatedDate Time   `json:"CourseCreatedDate"`
	CourseCreator     string `json:"CourseCreator"`
	OriginalID        int64  `json:"OriginalId"`
	ResultID          string `json:"ResultId"`
	AccessTillDate    Time   `json:"AccessTillDate"`
	// Extra keeps fields this type does not name.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes tolerantly, reading both spellings of the completion fields.
func (c *UserCourse) UnmarshalJSON(b []byte) error { return decodeObject(b, c) }

// MarshalJSON writes the record under the primary spellings.
func (c UserCourse) MarshalJSON() ([]byte, error) { return encodeObject(c) }

// CourseUser is a user assigned to a course, with the user's progress (GET
// /courses/{id}/users, https://api.sap.com/api/LitmosAPIdetails/overview).
// Litmos spells the completion flag Completed here and Complete in a user's
// courses; both are read.
type CourseUser struct {
	ID                 string  `json:"Id"`
	UserName           string  `json:"UserName" alt:"Username"` // the SAP example spells it Username
	FirstName          string  `json:"FirstName" html:"1"`
	LastName           string  `json:"LastName" html:"1"`
	Completed          bool    `json:"Completed" alt:"Complete"`
	PercentageComplete float64 `json:"PercentageComplete"`
	CompliantTill      Time    `json:"CompliantTill" alt:"CompliantTillDate,ComplaintTill"`
	DueDate            Time    `json:"DueDate"`
	AccessTillDate     Time    `json:"AccessTillDate"`
	// Extra keeps fields this type does not name.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes tolerantly, reading both spellings of Completed.
func (c *CourseUser) UnmarshalJSON(b []byte) error { return decodeObject(b, c) }

// MarshalJSON writes the record under the primary spellings.
func (c CourseUser) MarshalJSON() ([]byte, error) { return encodeObject(c) }

// ListCoursesPage returns one page of courses (GET /courses).
func (c *Client) ListCoursesPage(ctx context.Context, opts ListParams) ([]Course, error) {
	return listPage[Course](ctx, c, "list courses", "courses", opts)
}

// ListCourses yields every course from opts.Start on.
func (c *Client) ListCourses(ctx context.Context, opts ListParams) iter.Seq2[Course, error] {
	return pages(ctx, opts, c.ListCoursesPage)
}

// GetCourse returns the course id, or an error matching ErrNotFound.
func (c *Client) GetCourse(ctx context.Context, id string) (*Course, error) {
	return getRecord[Course](ctx, c, "course", "courses", id)
}

// ListUserCoursesPage returns one page of a user's courses with progress.
func (c *Client) ListUserCoursesPage(ctx context.Context, userID string, opts ListParams) ([]UserCourse, error) {
	if userID == "" {
		return nil, errors.New("litmos: list user courses: user id is empty")
	}
	path := "users/" + url.PathEscape(userID) + "/courses"
	return listPage[UserCourse](ctx, c, "list courses of user "+userID, path, opts)
}

// ListUserCourses yields every course assigned to the user, with progress.
func (c *Client) ListUserCourses(ctx context.Context, userID string, opts ListParams) iter.Seq2[UserCourse, error] {
	return pages(ctx, opts, func(ctx context.Context, lo ListParams) ([]UserCourse, error) {
		return c.ListUserCoursesPage(ctx, userID, lo)
	})
}

// ListCourseUsersPage returns one page of a course's roster with progress
// (GET /courses/{id}/users).
func (c *Client) ListCourseUsersPage(ctx context.Context, courseID string, p ListParams) ([]CourseUser, error) {
	if courseID == "" {
		return nil, errors.New("litmos: list course users: course id is empty")
	}
	path := "courses/" + url.PathEscape(courseID) + "/users"
	return listPage[CourseUser](ctx, c, "list users of course "+courseID, path, p)
}

// ListCourseUsers yields every user assigned to the course, with progress:
// one call per 1000 users, where ListUserCourses needs one per user.
func (c *Client) ListCourseUsers(ctx context.Context, courseID string, p ListParams) iter.Seq2[CourseUser, error] {
	return pages(ctx, p, func(ctx context.Context, lp ListParams) ([]CourseUser, error) {
		return c.ListCourseUsersPage(ctx, courseID, lp)
	})
}

type xmlCourses struct {
	XMLName xml.Name `xml:"Courses"`
	Courses []struct {
		ID string `xml:"Id"`
	} `xml:"Course"`
}

// AssignCourses assigns courses to a user (POST /users/{id}/courses). Litmos
// emails the user by default here; sendmessage is always sent, false unless
// opts asks (sendmessage, https://api.sap.com/api/LitmosAPIdetails/overview).
// The body is the documented XML
// (<Courses><Course><Id>…</Id></Course></Courses>,
// https://support.litmos.com/hc/en-us/articles/227734647), as JSON is uneven on
// this older endpoint (https://github.com/Trifoia/litmos-sdk uses XML only for
// that reason). Assigning a course twice leaves one assignment, so the call is
// retried like an idempotent one.
func (c *Client) AssignCourses(ctx context.Context, userID string, courseIDs []string, opts MessageParams) error {
	if userID == "" || len(courseIDs) == 0 {
		return errors.New("litmos: assign courses: user id and at least one course id are required")
	}
	var doc xmlCourses
	for i, id := range courseIDs {
		if id == "" {
			return fmt.Errorf("litmos: assign courses to %s: course id %d is empty", userID, i)
		}
		doc.Courses = append(doc.Courses, struct {
			ID string `xml:"Id"`
		}{id})
	}
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).Encode(doc); err != nil {
		return wrapf(err, "assign courses to %s", userID)
	}
	q := c.query("sendmessage", strconv.FormatBool(opts.SendMessage))
	path := "users/" + url.PathEscape(userID) + "/courses"
	if _, err := c.send(ctx, http.MethodPost, path, q.Encode(), buf.Bytes(), "application/xml", boolPtr(true)); err != nil {
		return wrapf(err, "assign courses to %s", userID)
	}
	return nil
}

// UnassignCourse removes a course from a user. Litmos answers 406 when the
// course came through a learning path or a team
// (https://api.sap.com/api/LitmosAPIdetails/overview).
func (c *Client) UnassignCourse(ctx context.Context, userID, courseID string) error {
	if userID == "" || courseID == "" {
		return errors.New("litmos: unassign course: user id and course id are required")
	}
	path := "users/" + url.PathEscape(userID) + "/courses/" + url.PathEscape(courseID)
	if _, err := c.send(ctx, http.MethodDelete, path, c.plainQuery, nil, "", nil); err != nil {
		return wrapf(err, "unassign course %s from %s", courseID, userID)
	}
	return nil
}

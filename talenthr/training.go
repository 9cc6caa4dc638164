package talenthr

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TalentHR's public API has no training endpoint: its reference
// (https://apidocs.talenthr.io/) and every public client of it list
// employees, the directory, hires, lookups, time off, documents and assets,
// but no course, training record or progress. TalentHR's own TalentLMS
// integration shows "TalentLMS training on your TalentHR domain"
// (https://help.talenthr.io/hc/en-us/articles/9447528196637) through a
// channel the public API does not offer. So the connector never pretends
// to write training into TalentHR: the courses and enrollments it serves
// (ConnectorOptions.Training) live in a Training store of the caller's.

// Training keeps the training records the connector serves as its
// syncengine.Courses and syncengine.Enrollments: what TalentHR's public
// API cannot hold. Implement it on your own database (a table of
// courses, one of enrollments), or use NewMemoryTraining.
//
// PutEnrollment is the place to react to progress (the OnEnrollment of
// the job): the engine calls it once for every enrollment it creates on
// the TalentHR side and once for every one whose progress moves on, and
// never for one that did not change. Implementations must be safe for
// concurrent use; an error fails that one record and is reported.
type Training interface {
	// Courses returns every course kept.
	Courses(ctx context.Context) ([]Course, error)
	// PutCourse keeps c, replacing the course with c.ID; an empty ID adds
	// a course, whose new id the result carries.
	PutCourse(ctx context.Context, c Course) (Course, error)
	// Enrollments returns every enrollment kept.
	Enrollments(ctx context.Context) ([]Enrollment, error)
	// PutEnrollment keeps e, replacing the enrollment of the same
	// employee and course.
	PutEnrollment(ctx context.Context, e Enrollment) error
}

// Course is a course as a Training store keeps it.
type Course struct {
	// ID is the store's id of the course.
	ID string `json:"id"`
	// Name and Code are as the learning platform names the course.
	Name string `json:"name"`
	Code string `json:"code,omitempty"`
}

// Completion statuses of an Enrollment, as TalentLMS words them.
const (
	NotAttempted = "not_attempted"
	Incomplete   = "incomplete"
	Completed    = "completed"
)

// Enrollment is one employee's progress in one course, as a Training
// store keeps it.
type Enrollment struct {
	// EmployeeID is the TalentHR employee id; CourseID the store's course id.
	EmployeeID string `json:"employee_id"`
	CourseID   string `json:"course_id"`
	// Role is "learner" or "instructor".
	Role string `json:"role,omitempty"`
	// Status is NotAttempted, Incomplete or Completed.
	Status string `json:"status,omitempty"`
	// Percent is the completion percentage, 0 to 100.
	Percent float64 `json:"percent"`
	// Seconds is the time spent in the course.
	Seconds float64 `json:"seconds,omitempty"`
	// EnrolledOn, CompletedOn and ExpiredOn are zero when unset.
	EnrolledOn  time.Time `json:"enrolled_on,omitzero"`
	CompletedOn time.Time `json:"completed_on,omitzero"`
	ExpiredOn   time.Time `json:"expired_on,omitzero"`
}

// EnrollmentID is the record id of an employee's enrollment in a course.
func EnrollmentID(employeeID, courseID string) string { return employeeID + ":" + courseID }

// ID is the enrollment's record id: EnrollmentID(e.EmployeeID, e.CourseID).
func (e Enrollment) ID() string { return EnrollmentID(e.EmployeeID, e.CourseID) }

// MemoryTraining is a Training store in memory, for tests and for a
// process that keeps its records elsewhere; safe for concurrent use.
// Its course ids are "1", "2", ...
type MemoryTraining struct {
	mu      sync.Mutex
	courses map[string]Course
	enrols  map[string]Enrollment
	next    int
}

var _ Training = (*MemoryTraining)(nil)

// NewMemoryTraining returns an empty MemoryTraining.
func NewMemoryTraining() *MemoryTraining {
	return &MemoryTraining{courses: map[string]Course{}, enrols: map[string]Enrollment{}, next: 1}
}

// Courses returns the courses in id order.
func (m *MemoryTraining) Courses(ctx context.Context) ([]Course, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Course, 0, len(m.courses))
	for _, c := range m.courses {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Course) int { return compareIDs(a.ID, b.ID) })
	return out, nil
}

// PutCourse keeps c; a course without a name is refused.
func (m *MemoryTraining) PutCourse(ctx context.Context, c Course) (Course, error) {
	if err := ctx.Err(); err != nil {
		return Course{}, err
	}
	if strings.TrimSpace(c.Name) == "" {
		return Course{}, fmt.Errorf("talenthr: training: a course needs a name")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if c.ID == "" {
		c.ID = strconv.Itoa(m.next)
		m.next++
	} else if n, err := strconv.Atoi(c.ID); err == nil && n >= m.next {
		m.next = n + 1 // a course kept with its id (reloaded): new ids come after it
	}
	m.courses[c.ID] = c
	return c, nil
}

// Enrollments returns the enrollments in employee, then course order.
func (m *MemoryTraining) Enrollments(ctx context.Context) ([]Enrollment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Enrollment, 0, len(m.enrols))
	for _, e := range m.enrols {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Enrollment) int {
		if c := compareIDs(a.EmployeeID, b.EmployeeID); c != 0 {
			return c
		}
		return compareIDs(a.CourseID, b.CourseID)
	})
	return out, nil
}

// PutEnrollment keeps e; one without an employee or a known course is refused.
func (m *MemoryTraining) PutEnrollment(ctx context.Context, e Enrollment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.courses[e.CourseID]; !ok || e.EmployeeID == "" {
		return fmt.Errorf("talenthr: training: enrollment %q: no employee, or no course %q kept", e.ID(), e.CourseID)
	}
	m.enrols[e.ID()] = e
	return nil
}

// Enrollment returns the enrollment of an employee in a course, if kept.
func (m *MemoryTraining) Enrollment(employeeID, courseID string) (Enrollment, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.enrols[EnrollmentID(employeeID, courseID)]
	return e, ok
}

// compareIDs orders decimal ids by value, others as text.
func compareIDs(a, b string) int {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	switch {
	case errA == nil && errB == nil && x != y:
		if x < y {
			return -1
		}
		return 1
	case errA == nil && errB != nil:
		return -1
	case errA != nil && errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

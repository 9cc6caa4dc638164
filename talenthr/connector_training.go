package talenthr

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// EnrollmentFields returns the fields of the enrollment records the
// connector serves from ConnectorOptions.Training, named as TalentLMS's
// connector names them so a pair copies them without a map: "role",
// "completion_status" (NotAttempted, Incomplete, Completed),
// "completion_percentage" and "total_time_seconds" (float64),
// "enrolled_on", "completed_on", "expired_on" (time.Time at midnight UTC,
// nil when unset).
func EnrollmentFields() []string {
	return []string{"role", "completion_status", "completion_percentage", "total_time_seconds",
		"enrolled_on", "completed_on", "expired_on"}
}

// MergeProgress returns the Rules.Merge of enrollments whose progress both
// sides hold (a Training store and a learning platform): the further one
// wins field by field, the higher completion_percentage,
// total_time_seconds and completed_on, and the later completion_status
// (NotAttempted, Incomplete, Completed).
func MergeProgress() map[string]syncengine.Merge {
	return map[string]syncengine.Merge{
		"completion_percentage": syncengine.MergeMax(),
		"completion_status":     syncengine.MergeRank(NotAttempted, Incomplete, Completed),
		"completed_on":          syncengine.MergeMax(),
		"total_time_seconds":    syncengine.MergeMax(),
	}
}

// training serves the Training store's courses and enrollments, with an
// index of what it last read (for Get and Update) and the names Describe
// shows.
type training struct {
	store Training

	mu      sync.Mutex
	courses map[string]Course
	enrols  map[string]Enrollment
	people  map[string]string // employee id → name, from the users read
}

func newTraining(t Training) *training {
	return &training{store: t, courses: map[string]Course{}, enrols: map[string]Enrollment{}, people: map[string]string{}}
}

func isTraining(c syncengine.Collection) bool {
	return c == syncengine.Courses || c == syncengine.Enrollments
}

// noTraining is the error for a training collection without a store.
func noTraining(c syncengine.Collection, op string) error {
	return fmt.Errorf("talenthr: %s %s: TalentHR's public API has no training endpoint; "+
		"ConnectorOptions.Training keeps %s instead: %w", op, c, c, syncengine.ErrUnsupported)
}

func courseRecord(c Course) syncengine.Record {
	return syncengine.Record{ID: c.ID, Active: true, Fields: map[string]any{"name": c.Name, "code": textValue(c.Code)}}
}

func enrollmentRecord(e Enrollment) syncengine.Record {
	return syncengine.Record{ID: e.ID(), Active: true,
		Fields: map[string]any{
			"role": textValue(e.Role), "completion_status": textValue(e.Status),
			"completion_percentage": e.Percent, "total_time_seconds": e.Seconds,
			"enrolled_on": timeOrNil(e.EnrolledOn), "completed_on": timeOrNil(e.CompletedOn), "expired_on": timeOrNil(e.ExpiredOn),
		},
		Refs: map[string][]syncengine.Ref{
			syncengine.RoleUser:   {{Collection: syncengine.Users, ID: e.EmployeeID}},
			syncengine.RoleCourse: {{Collection: syncengine.Courses, ID: e.CourseID}},
		}}
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// list yields the store's records of c (one call to the store) and
// indexes them.
func (t *training) list(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		recs, err := t.load(ctx, c)
		if err != nil {
			yield(syncengine.Record{}, err)
			return
		}
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// load reads c from the store and replaces the index of c.
func (t *training) load(ctx context.Context, c syncengine.Collection) ([]syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("talenthr: training: list %s: %w", c, err)
	}
	if c == syncengine.Courses {
		cs, err := t.store.Courses(ctx)
		if err != nil {
			return nil, fmt.Errorf("talenthr: training: list courses: %w", err)
		}
		idx := make(map[string]Course, len(cs))
		out := make([]syncengine.Record, len(cs))
		for i, x := range cs {
			idx[x.ID], out[i] = x, courseRecord(x)
		}
		t.mu.Lock()
		t.courses = idx
		t.mu.Unlock()
		return out, nil
	}
	es, err := t.store.Enrollments(ctx)
	if err != nil {
		return nil, fmt.Errorf("talenthr: training: list enrollments: %w", err)
	}
	idx := make(map[string]Enrollment, len(es))
	out := make([]syncengine.Record, len(es))
	for i, x := range es {
		idx[x.ID()], out[i] = x, enrollmentRecord(x)
	}
	t.mu.Lock()
	t.enrols = idx
	t.mu.Unlock()
	return out, nil
}

// get returns one record from the index, reading the store again when
// the index lacks it.
func (t *training) get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	for fresh := false; ; fresh = true {
		t.mu.Lock()
		course, cok := t.courses[id]
		enrol, eok := t.enrols[id]
		t.mu.Unlock()
		switch {
		case c == syncengine.Courses && cok:
			return courseRecord(course), nil
		case c == syncengine.Enrollments && eok:
			return enrollmentRecord(enrol), nil
		case fresh:
			return syncengine.Record{}, fmt.Errorf("talenthr: training: %s %q is not kept: %w", c, clipText(id, 60), syncengine.ErrNotFound)
		}
		if _, err := t.load(ctx, c); err != nil {
			return syncengine.Record{}, err
		}
	}
}

// create keeps a new course or enrollment.
func (t *training) create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("talenthr: training: create %s: %w", c, err)
	}
	if c == syncengine.Courses {
		var x Course
		if err := applyCourse(&x, rec.Fields); err != nil {
			return "", fmt.Errorf("talenthr: training: create course: %w", err)
		}
		kept, err := t.store.PutCourse(ctx, x)
		if err != nil {
			return "", fmt.Errorf("talenthr: training: create course %q: %w", x.Name, err)
		}
		t.mu.Lock()
		t.courses[kept.ID] = kept
		t.mu.Unlock()
		return kept.ID, nil
	}
	user, course := rec.Refs[syncengine.RoleUser], rec.Refs[syncengine.RoleCourse]
	if len(user) != 1 || len(course) != 1 || checkID(user[0].ID) != nil || course[0].ID == "" {
		return "", fmt.Errorf("talenthr: training: create enrollment: refs %q and %q must each name one record, got %v and %v: %w",
			syncengine.RoleUser, syncengine.RoleCourse, user, course, syncengine.ErrInvalid)
	}
	x := Enrollment{EmployeeID: user[0].ID, CourseID: course[0].ID}
	if err := applyEnrollment(&x, rec.Fields); err != nil {
		return "", fmt.Errorf("talenthr: training: create enrollment %s: %w", x.ID(), err)
	}
	return x.ID(), t.putEnrollment(ctx, x)
}

// update writes the changed fields of a kept course or enrollment.
func (t *training) update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("talenthr: training: update %s %q: %w", c, clipText(id, 60), err)
	}
	if _, err := t.get(ctx, c, id); err != nil {
		return err
	}
	t.mu.Lock()
	course, enrol := t.courses[id], t.enrols[id]
	t.mu.Unlock()
	if c == syncengine.Courses {
		if err := applyCourse(&course, changed); err != nil {
			return fmt.Errorf("talenthr: training: update course %q: %w", clipText(id, 60), err)
		}
		kept, err := t.store.PutCourse(ctx, course)
		if err != nil {
			return fmt.Errorf("talenthr: training: update course %q: %w", clipText(id, 60), err)
		}
		t.mu.Lock()
		t.courses[kept.ID] = kept
		t.mu.Unlock()
		return nil
	}
	if err := applyEnrollment(&enrol, changed); err != nil {
		return fmt.Errorf("talenthr: training: update enrollment %s: %w", id, err)
	}
	return t.putEnrollment(ctx, enrol)
}

func (t *training) putEnrollment(ctx context.Context, x Enrollment) error {
	if err := t.store.PutEnrollment(ctx, x); err != nil {
		return fmt.Errorf("talenthr: training: keep enrollment %s: %w", x.ID(), err)
	}
	t.mu.Lock()
	t.enrols[x.ID()] = x
	t.mu.Unlock()
	return nil
}

// applyCourse sets a course's fields from record values.
func applyCourse(c *Course, fields map[string]any) error {
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		s, ok := textOf(fields[name])
		if !ok {
			return fmt.Errorf("%s: want text, got %T: %w", name, fields[name], syncengine.ErrInvalid)
		}
		switch name {
		case "name":
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("name cannot be empty: %w", syncengine.ErrInvalid)
			}
			c.Name = s
		case "code":
			c.Code = s
		default:
			return fmt.Errorf("courses have no field %q (they have name, code): %w", name, syncengine.ErrInvalid)
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("name is required: %w", syncengine.ErrInvalid)
	}
	return nil
}

// applyEnrollment sets an enrollment's fields from record values.
func applyEnrollment(e *Enrollment, fields map[string]any) error {
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		v := fields[name]
		var err error
		switch name {
		case "role", "completion_status":
			s, ok := textOf(v)
			if !ok {
				return fmt.Errorf("%s: want text, got %T: %w", name, v, syncengine.ErrInvalid)
			}
			if name == "role" {
				e.Role = s
			} else {
				e.Status = s
			}
		case "completion_percentage":
			e.Percent, err = numberOf(name, v)
		case "total_time_seconds":
			e.Seconds, err = numberOf(name, v)
		case "enrolled_on":
			e.EnrolledOn, err = timeOf(name, v)
		case "completed_on":
			e.CompletedOn, err = timeOf(name, v)
		case "expired_on":
			e.ExpiredOn, err = timeOf(name, v)
		default:
			return fmt.Errorf("enrollments have no field %q (they have %s): %w", name,
				strings.Join(EnrollmentFields(), ", "), syncengine.ErrInvalid)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func numberOf(name string, v any) (float64, error) {
	if v == nil {
		return 0, fmt.Errorf("%s cannot be emptied (0 is a value): %w", name, syncengine.ErrInvalid)
	}
	s, ok := textOf(v)
	if !ok {
		return 0, fmt.Errorf("%s: want a number, got %T: %w", name, v, syncengine.ErrInvalid)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number: %w", name, clipText(s, 40), syncengine.ErrInvalid)
	}
	return f, nil
}

func timeOf(name string, v any) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		return t.UTC(), nil
	}
	d, err := dateOf(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", name, err)
	}
	if d.IsZero() {
		return time.Time{}, nil
	}
	return d.In(time.UTC), nil
}

// remember keeps an employee's name for the enrollments' labels.
func (t *training) remember(r syncengine.Record) {
	text := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	if name := strings.TrimSpace(text("first_name") + " " + text("last_name")); name != "" {
		t.mu.Lock()
		t.people[r.ID] = name
		t.mu.Unlock()
	}
}

// label names a training record: a course's name, an enrollment's
// employee and course ("Ana Lima in Security Awareness").
func (t *training) label(c syncengine.Collection, r syncengine.Record) string {
	if c == syncengine.Courses {
		s, _ := r.Fields["name"].(string)
		return s
	}
	user, course := r.Refs[syncengine.RoleUser], r.Refs[syncengine.RoleCourse]
	if len(user) != 1 || len(course) != 1 {
		return r.ID
	}
	t.mu.Lock()
	who, what := t.people[user[0].ID], t.courses[course[0].ID].Name
	t.mu.Unlock()
	if who == "" {
		who = "employee " + user[0].ID
	}
	if what == "" {
		what = "course " + course[0].ID
	}
	return who + " in " + what
}

// confirmRefs accepts, for enrollment id, refs naming its own employee
// and course, and refuses any others: an enrollment cannot move.
func (t *training) confirmRefs(ctx context.Context, id string, refs map[string][]syncengine.Ref) error {
	rec, err := t.get(ctx, syncengine.Enrollments, id)
	if err != nil {
		return err
	}
	for role, rs := range refs {
		own, ok := rec.Refs[role]
		if !ok || len(rs) != 1 || rs[0] != own[0] {
			return fmt.Errorf("talenthr: training: write refs of enrollment %s: an enrollment cannot move to another employee or course: %w",
				clipText(id, 60), syncengine.ErrUnsupported)
		}
	}
	return nil
}

package talentlms

import (
	"context"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// courseRecord is a course as a record: "name" and "code"; Active unless
// its status says inactive.
func courseRecord(c *Course, rs *readSet) syncengine.Record {
	f := map[string]any{}
	for name, v := range map[string]string{"name": c.Name, "code": c.Code} {
		if rs.has(name) {
			f[name] = v
		}
	}
	return syncengine.Record{ID: c.ID, Fields: f, Active: !strings.EqualFold(strings.TrimSpace(c.Status), "inactive")}
}

// listCourses yields every course: one GET courses. The ids are kept for
// a listing of enrollments that follows (see courseList).
func (k *Connector) listCourses(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	rs := k.readOf(syncengine.Courses)
	var ids []string
	for c, err := range k.c.ListCourses(ctx) {
		if err != nil {
			return err
		}
		k.remember(syncengine.Courses, c.ID, c.Name)
		ids = append(ids, c.ID)
		if !yield(courseRecord(&c, rs), nil) {
			return errStop
		}
	}
	k.mu.Lock()
	k.courseIDs, k.coursesAt = ids, k.now()
	k.mu.Unlock()
	return nil
}

// courseList returns the ids of every course: those of a whole courses
// listing made less than rateLimitEvery ago (a sync lists courses, then
// enrollments, seconds apart), else one GET courses.
func (k *Connector) courseList(ctx context.Context) ([]string, error) {
	k.mu.Lock()
	ids, at := k.courseIDs, k.coursesAt
	k.courseIDs = nil // used once: a later listing reads afresh
	k.mu.Unlock()
	if ids != nil && k.now().Sub(at) < rateLimitEvery {
		return ids, nil
	}
	ids = nil
	for c, err := range k.c.ListCourses(ctx) {
		if err != nil {
			return nil, err
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// getCourse reads a course: one GET courses/id:{id}.
func (k *Connector) getCourse(ctx context.Context, id string) (syncengine.Record, error) {
	if !digitsRe.MatchString(id) {
		return syncengine.Record{}, notFoundID("course", id)
	}
	c, err := k.c.GetCourse(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	k.remember(syncengine.Courses, c.ID, c.Name)
	return courseRecord(c, k.readOf(syncengine.Courses)), nil
}

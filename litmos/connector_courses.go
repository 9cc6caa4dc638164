package litmos

import (
	"context"
	"reflect"

	"github.com/rostersync/rostersync/syncengine"
)

// CourseFields lists the field names of course records, in Litmos's order (the
// Course schema, https://api.sap.com/api/LitmosAPIdetails/overview): "Id",
// "Code", "Name", "Active", …. AccessTillDate is a time.Time, absent when
// unset.
func CourseFields() []string {
	ti := infoOf(reflect.TypeOf(Course{}))
	out := make([]string, len(ti.fields))
	for i, f := range ti.fields {
		out[i] = f.name
	}
	return out
}

// courseRecord turns a course into a read-only record: every field of
// Course by its Litmos name, Id and Active included (a map may carry
// them), and Active as the record's flag.
func courseRecord(c *Course) syncengine.Record {
	f := recordFields(reflect.ValueOf(c).Elem(), nil, 0)
	return syncengine.Record{ID: c.ID, Fields: f, Active: c.Active}
}

// listCourses yields every course, active or not: a call per 1000.
func (k *Connector) listCourses(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	for c, err := range k.c.ListCourses(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		if !yield(courseRecord(&c), nil) {
			return errStop
		}
	}
	return nil
}

// getCourse reads one course: one call.
func (k *Connector) getCourse(ctx context.Context, id string) (syncengine.Record, error) {
	c, err := k.c.GetCourse(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	return courseRecord(c), nil
}

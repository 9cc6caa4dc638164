package talenthr_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
	"github.com/rostersync/rostersync/talenthr"
)

// trainingRecord is the i-th new course, or the i-th employee's
// enrollment in the course kept as "1".
func trainingRecord(c syncengine.Collection, i int) syncengine.Record {
	if c == syncengine.Courses {
		return syncengine.Record{Active: true, Fields: map[string]any{"name": fmt.Sprintf("Course %d", i), "code": fmt.Sprintf("C-%03d", i)}}
	}
	return syncengine.Record{Active: true,
		Fields: map[string]any{"role": "learner", "completion_status": talenthr.Incomplete, "completion_percentage": float64(i % 100),
			"total_time_seconds": 60.0, "enrolled_on": time.Date(2026, 1, 1+i%28, 0, 0, 0, 0, time.UTC), "completed_on": nil, "expired_on": nil},
		Refs: map[string][]syncengine.Ref{
			syncengine.RoleUser:   {{Collection: syncengine.Users, ID: strconv.Itoa(1000 + i)}},
			syncengine.RoleCourse: {{Collection: syncengine.Courses, ID: "1"}},
		}}
}

// The courses and enrollments a Training store keeps keep the engine's
// connector contract too: they are created, read back, updated field by
// field, and never deactivated (Capabilities says so).
func TestTrainingConformance(t *testing.T) {
	change := func(c syncengine.Collection, i int) map[string]any {
		if c == syncengine.Courses {
			return map[string]any{"name": fmt.Sprintf("Course %d, revised", i), "code": fmt.Sprintf("C-%03d-R", i)}
		}
		return map[string]any{"completion_percentage": 100.0, "completion_status": talenthr.Completed,
			"completed_on": time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	}
	for _, c := range []syncengine.Collection{syncengine.Courses, syncengine.Enrollments} {
		t.Run(string(c), func(t *testing.T) {
			factory := func(t *testing.T) syncengine.Connector {
				tr := talenthr.NewMemoryTraining()
				if c == syncengine.Enrollments { // the course every enrollment is in
					if _, err := tr.PutCourse(context.Background(), talenthr.Course{Name: "Security Awareness", Code: "SEC-101"}); err != nil {
						t.Fatal(err)
					}
				}
				k, _ := newConnector(t, talenthr.ConnectorOptions{Training: tr})
				return k
			}
			syncenginetest.RunConnectorTests(t, factory, syncenginetest.ConformanceOptions{
				Collections: []syncengine.Collection{c}, NewRecord: trainingRecord, Change: change,
				FindField: map[syncengine.Collection]string{},
			})
		})
	}
}

// Without a Training store the connector serves users only, and says why.
func TestTrainingNeedsAStore(t *testing.T) {
	k, _ := newConnector(t, talenthr.ConnectorOptions{})
	for _, c := range []syncengine.Collection{syncengine.Courses, syncengine.Enrollments} {
		if got := k.Capabilities(c); got != 0 {
			t.Errorf("%s: capabilities %b without a store", c, got)
		}
		_, err := k.Create(context.Background(), c, trainingRecord(c, 1))
		if !errors.Is(err, syncengine.ErrUnsupported) || !containsAll(err.Error(), "no training endpoint", "ConnectorOptions.Training") {
			t.Errorf("%s: create without a store: %v", c, err)
		}
	}
}

// What a sync writes towards TalentHR lands in the store as typed
// Enrollments, and bad input fails with the field named.
func TestTrainingWrites(t *testing.T) {
	ctx := context.Background()
	tr := talenthr.NewMemoryTraining()
	k, srv := newConnector(t, talenthr.ConnectorOptions{Training: tr})
	srv.SeedCompany()
	cid, err := k.Create(ctx, syncengine.Courses, syncengine.Record{Fields: map[string]any{"name": "Onboarding", "code": "ONB-100"}})
	if err != nil {
		t.Fatal(err)
	}
	rec := trainingRecord(syncengine.Enrollments, 7)
	rec.Refs[syncengine.RoleCourse] = []syncengine.Ref{{Collection: syncengine.Courses, ID: cid}}
	id, err := k.Create(ctx, syncengine.Enrollments, rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := talenthr.EnrollmentID("1007", cid); id != want {
		t.Errorf("enrollment id %q, want %q", id, want)
	}
	done := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	if err := k.Update(ctx, syncengine.Enrollments, id, map[string]any{"completion_percentage": "100", "completion_status": "completed", "completed_on": "2026-02-03"}); err != nil {
		t.Fatal(err)
	}
	got, _ := tr.Enrollment("1007", cid)
	want := talenthr.Enrollment{EmployeeID: "1007", CourseID: cid, Role: "learner", Status: talenthr.Completed, Percent: 100,
		Seconds: 60, EnrolledOn: time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC), CompletedOn: done}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kept enrollment (-want +got):\n%s", d)
	}
	for _, tc := range []struct {
		name    string
		change  map[string]any
		wantErr string
	}{
		{"unknown field", map[string]any{"score": 9}, `enrollments have no field "score"`},
		{"percent not a number", map[string]any{"completion_percentage": "lots"}, `completion_percentage: "lots" is not a number`},
		{"bad date", map[string]any{"completed_on": "3 Feb"}, "completed_on"},
	} {
		err := k.Update(ctx, syncengine.Enrollments, id, tc.change)
		if !errors.Is(err, syncengine.ErrInvalid) || !containsAll(err.Error(), tc.wantErr) {
			t.Errorf("%s: %v, want ErrInvalid naming %q", tc.name, err, tc.wantErr)
		}
	}
	if _, err := k.Create(ctx, syncengine.Enrollments, syncengine.Record{Fields: map[string]any{}}); !errors.Is(err, syncengine.ErrInvalid) {
		t.Errorf("an enrollment without refs: %v", err)
	}
	if _, err := k.Get(ctx, syncengine.Enrollments, "1:999"); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("get of an enrollment not kept: %v", err)
	}
	if err := k.SetActive(ctx, syncengine.Enrollments, id, false); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("set-active of an enrollment: %v", err)
	}
}

// Enrollments are labelled with the employee's name once the connector
// has read the employee, and the course's name from the store.
func TestTrainingLabels(t *testing.T) {
	ctx := context.Background()
	tr := talenthr.NewMemoryTraining()
	k, srv := newConnector(t, talenthr.ConnectorOptions{Training: tr})
	ids := srv.SeedCompany()
	c, _ := tr.PutCourse(ctx, talenthr.Course{Name: "Security Awareness"})
	if err := tr.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: ids["engineer"], CourseID: c.ID, Percent: 40}); err != nil {
		t.Fatal(err)
	}
	for _, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			t.Fatal(err)
		}
	}
	var labels []string
	for _, coll := range []syncengine.Collection{syncengine.Courses, syncengine.Enrollments} {
		for r, err := range k.List(ctx, coll) {
			if err != nil {
				t.Fatal(err)
			}
			labels = append(labels, k.Describe(coll, r).Name)
		}
	}
	if d := cmp.Diff([]string{"Security Awareness", "Maria Ioannou in Security Awareness"}, labels); d != "" {
		t.Errorf("labels (-want +got):\n%s", d)
	}
}

// MemoryTraining refuses what no real store could keep, and lists in
// numeric id order.
func TestMemoryTraining(t *testing.T) {
	ctx := context.Background()
	tr := talenthr.NewMemoryTraining()
	if _, err := tr.PutCourse(ctx, talenthr.Course{Name: " "}); err == nil {
		t.Error("a course without a name was kept")
	}
	if err := tr.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: "1", CourseID: "9"}); err == nil {
		t.Error("an enrollment in an unknown course was kept")
	}
	var ids []string
	for i := 0; i < 11; i++ {
		c, err := tr.PutCourse(ctx, talenthr.Course{Name: fmt.Sprint("C", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	cs, _ := tr.Courses(ctx)
	var got []string
	for _, c := range cs {
		got = append(got, c.ID)
	}
	if !slices.Equal(got, ids) || got[10] != "11" {
		t.Errorf("course ids %v, want %v", got, ids)
	}
	// A store reloaded with its ids hands out new ids after them.
	again := talenthr.NewMemoryTraining()
	if _, err := again.PutCourse(ctx, talenthr.Course{ID: "7", Name: "Kept"}); err != nil {
		t.Fatal(err)
	}
	if c, _ := again.PutCourse(ctx, talenthr.Course{Name: "New"}); c.ID != "8" {
		t.Errorf("a new course after course 7 got id %q, want 8", c.ID)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// An enrollment's employee and course are references the engine plans:
// WriteRefs confirms them and refuses to move the enrollment.
func TestTrainingEnrollmentRefs(t *testing.T) {
	ctx := context.Background()
	tr := talenthr.NewMemoryTraining()
	k, _ := newConnector(t, talenthr.ConnectorOptions{Training: tr})
	c, _ := tr.PutCourse(ctx, talenthr.Course{Name: "Security Awareness"})
	if err := tr.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: "12", CourseID: c.ID}); err != nil {
		t.Fatal(err)
	}
	if !k.Capabilities(syncengine.Enrollments).Has(syncengine.CanWriteRefs) || k.Capabilities(syncengine.Courses).Has(syncengine.CanWriteRefs) {
		t.Error("only enrollments declare CanWriteRefs")
	}
	id := talenthr.EnrollmentID("12", c.ID)
	own := map[string][]syncengine.Ref{"user": {{Collection: syncengine.Users, ID: "12"}}, "course": {{Collection: syncengine.Courses, ID: c.ID}}}
	if err := k.WriteRefs(ctx, syncengine.Enrollments, id, own); err != nil {
		t.Errorf("own refs: %v", err)
	}
	moved := map[string][]syncengine.Ref{"user": {{Collection: syncengine.Users, ID: "13"}}}
	if err := k.WriteRefs(ctx, syncengine.Enrollments, id, moved); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("another employee: %v, want ErrUnsupported", err)
	}
}

// MergeProgress keeps the further progress of each field, whichever side
// holds it.
func TestMergeProgress(t *testing.T) {
	m := talenthr.MergeProgress()
	if diff := cmp.Diff([]string{"completed_on", "completion_percentage", "completion_status", "total_time_seconds"},
		slices.Sorted(maps.Keys(m))); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		field            string
		want, have, keep any
	}{
		{"completion_percentage", 40.0, 75.0, 75.0},
		{"completion_percentage", 90.0, 75.0, 90.0},
		{"completion_status", talenthr.Incomplete, talenthr.Completed, talenthr.Completed},
		{"completion_status", talenthr.Completed, talenthr.NotAttempted, talenthr.Completed},
		{"total_time_seconds", 600.0, 60.0, 600.0},
	} {
		if got := m[tc.field](tc.want, tc.have); got != tc.keep {
			t.Errorf("%s(%v, %v) = %v, want %v", tc.field, tc.want, tc.have, got, tc.keep)
		}
	}
}

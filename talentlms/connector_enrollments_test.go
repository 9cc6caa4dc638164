package talentlms_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func enrollment(user, course string, fields map[string]any) syncengine.Record {
	if fields == nil {
		fields = map[string]any{}
	}
	return syncengine.Record{Active: true, Fields: fields, Refs: map[string][]syncengine.Ref{
		"user": {{Collection: syncengine.Users, ID: user}}, "course": {{Collection: syncengine.Courses, ID: course}}}}
}

// The enrollment records of the seeded portal, field by field: one per
// user × course, progress as TalentLMS reports it, the status derived.
func TestConnectorEnrollmentRecords(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	got := byID(listAll(t, k, syncengine.Enrollments))
	u, c := co.Users, co.Courses
	now, dayLen := seedClock, 24*time.Hour
	rec := func(user, course string, f map[string]any) syncengine.Record {
		base := map[string]any{"role": "learner", "completion_status": "not_attempted", "completion_percentage": 0.0,
			"total_time_seconds": 0.0, "enrolled_on": now.Add(-30 * dayLen), "completed_on": nil, "expired_on": nil}
		for k, v := range f {
			base[k] = v
		}
		r := enrollment(u[user], c[course], base)
		r.ID = u[user] + ":" + c[course]
		return r
	}
	want := []syncengine.Record{
		rec("ana.lima", "Security Awareness", map[string]any{"completion_status": "completed", "completion_percentage": 100.0,
			"completed_on": now.Add(-20 * dayLen), "total_time_seconds": 1260.0}),
		rec("bo.chen", "Security Awareness", map[string]any{"completion_status": "incomplete", "completion_percentage": 40.0, "total_time_seconds": 197.0}),
		rec("zoe.nunez", "Security Awareness", nil),
		rec("ana.lima", "Sales Playbook", map[string]any{"completion_status": "incomplete", "completion_percentage": 10.0,
			"total_time_seconds": 300.0, "enrolled_on": now.Add(-10 * dayLen)}),
		rec("kwame.mensah", "Sales Playbook", map[string]any{"role": "instructor", "enrolled_on": now.Add(-10 * dayLen)}),
		rec("laura.rossi", "Onboarding & Culture", map[string]any{"completion_status": "completed", "completion_percentage": 100.0,
			"completed_on": now.Add(-4 * dayLen), "total_time_seconds": 900.0, "enrolled_on": now.Add(-5 * dayLen)}),
	}
	for _, w := range want {
		if d := cmp.Diff(w, got[w.ID]); d != "" {
			t.Errorf("enrollment %s (-want +got):\n%s", w.ID, d)
		}
	}
	if len(got) != 9 {
		t.Errorf("%d enrollments, want 9", len(got))
	}
	for id, r := range got {
		g, err := k.Get(ctx, syncengine.Enrollments, id)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(r, g); d != "" {
			t.Errorf("enrollment %s: List and Get differ (-list +get):\n%s", id, d)
		}
	}
	if l := k.Describe(syncengine.Enrollments, want[0]).Name; l != "A. Lima in Security Awareness" {
		t.Errorf("Describe = %q", l)
	}
	listAll(t, k, syncengine.Users)
	if l := k.Describe(syncengine.Enrollments, want[0]).Name; l != "Ana Lima in Security Awareness" {
		t.Errorf("Describe after reading the users = %q", l)
	}
}

// Get: a user and course that both exist but are not enrolled read as an
// inactive enrollment; anything else absent is ErrNotFound.
func TestConnectorGetEnrollment(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	noor, sec := co.Users["noor.haddad"], co.Courses["Security Awareness"]
	got, err := k.Get(ctx, syncengine.Enrollments, noor+":"+sec)
	want := syncengine.Record{ID: noor + ":" + sec, Active: false, Fields: map[string]any{}, Refs: enrollment(noor, sec, nil).Refs}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("not enrolled: %+v, %v", got, err)
	}
	for _, id := range []string{"999:" + sec, noor + ":999", "garbage", noor + ":", ":" + sec, noor + ":" + sec + ":1"} {
		if _, err := k.Get(ctx, syncengine.Enrollments, id); !errors.Is(err, syncengine.ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", id, err)
		}
	}
}

// Create is one addusertocourse with the role; bad records are refused
// before sending; the progress fields are not TalentLMS's to take and are
// ignored.
func TestConnectorCreateEnrollment(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	noor, onb := co.Users["noor.haddad"], co.Courses["Onboarding & Culture"]
	id, err := k.Create(ctx, syncengine.Enrollments, enrollment(noor, onb, map[string]any{
		"role": "instructor", "completion_status": "completed", "completion_percentage": 100.0}))
	if err != nil || id != noor+":"+onb {
		t.Fatalf("Create = %q, %v", id, err)
	}
	sent := forms(t, srv, "addusertocourse")
	if d := cmp.Diff([]url.Values{{"course_id": {onb}, "user_id": {noor}, "role": {"instructor"}}}, sent); d != "" {
		t.Errorf("addusertocourse (-want +got):\n%s", d)
	}
	if p, ok := srv.Enrollment(noor, onb); !ok || p.Role != "instructor" || p.Percent != 0 {
		t.Errorf("stored %+v, %v", p, ok)
	}
	srv.Log().Reset()
	for _, bad := range []syncengine.Record{
		enrollment(noor, onb, map[string]any{"role": "owner"}),
		enrollment(noor, onb, map[string]any{"grade": "A"}),
		enrollment("", onb, nil),
		enrollment(noor, "x", nil),
		{Active: true, Refs: map[string][]syncengine.Ref{"user": {{ID: noor}}}},
	} {
		if _, err := k.Create(ctx, syncengine.Enrollments, bad); !errors.Is(err, syncengine.ErrInvalid) {
			t.Errorf("Create(%+v): %v, want ErrInvalid", bad, err)
		}
	}
	if n := len(srv.Log().Entries()); n != 0 {
		t.Errorf("%d requests for refused records", n)
	}
	if _, err := k.Create(ctx, syncengine.Enrollments, enrollment("999", onb, nil)); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("enrolling an absent user: %v", err)
	}
	if err := k.Update(ctx, syncengine.Enrollments, noor+":"+onb, map[string]any{"role": "learner"}); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Update enrollment: %v", err)
	}
}

// A lost reply never duplicates an enrollment: an applied one is found
// with one getuserstatusincourse and adopted; one proven not applied is
// sent once more.
func TestConnectorEnrollOutcomeUnknown(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault talentlmstest.Fault
		calls []string
	}{
		{"applied, reply lost", talentlmstest.Fault{ApplyThenDrop: true},
			[]string{"POST addusertocourse", "GET getuserstatusincourse/course_id:%c,user_id:%u"}},
		{"dropped before applied", talentlmstest.Fault{Drop: true},
			[]string{"POST addusertocourse", "GET getuserstatusincourse/course_id:%c,user_id:%u", "POST addusertocourse"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, talentlms.ConnectorOptions{})
			co := srv.SeedCompany()
			noor, onb := co.Users["noor.haddad"], co.Courses["Onboarding & Culture"]
			listAll(t, k, syncengine.Courses)
			srv.Log().Reset()
			tt.fault.Method, tt.fault.Path, tt.fault.Times = "POST", talentlmstest.APIPath+"/addusertocourse", 1
			srv.AddFault(tt.fault)
			id, err := k.Create(ctx, syncengine.Enrollments, enrollment(noor, onb, nil))
			if err != nil || id != noor+":"+onb {
				t.Fatalf("Create = %q, %v", id, err)
			}
			var want []string
			for _, c := range tt.calls {
				want = append(want, strings.NewReplacer("%c", onb, "%u", noor).Replace(c))
			}
			if d := cmp.Diff(want, paths(srv)); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			if learners := srv.CourseLearners(onb); len(learners) != 2 {
				t.Errorf("course learners %v, want laura and noor once each", learners)
			}
		})
	}
}

// An enrollment's user and course are references the engine plans, so
// the connector declares CanWriteRefs; WriteRefs only confirms them, and
// refuses to move an enrollment, without a call.
func TestConnectorEnrollmentRefsAreConfirmedOnly(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	if !k.Capabilities(syncengine.Enrollments).Has(syncengine.CanWriteRefs) {
		t.Fatal("enrollments must declare CanWriteRefs: the engine plans their user and course as references")
	}
	srv.Log().Reset()
	own := enrollment("7", "101", nil).Refs
	if err := k.WriteRefs(ctx, syncengine.Enrollments, "7:101", own); err != nil {
		t.Errorf("own refs: %v", err)
	}
	other := enrollment("8", "101", nil).Refs
	if err := k.WriteRefs(ctx, syncengine.Enrollments, "7:101", other); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("another user: %v, want ErrUnsupported", err)
	}
	if err := k.WriteRefs(ctx, syncengine.Enrollments, "seven", own); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("a bad id: %v, want ErrNotFound", err)
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d calls", n)
	}
}

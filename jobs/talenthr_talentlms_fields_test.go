package jobs_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// The named custom fields flow only where the other side has a field of
// the same name and type, and the plan says, field by field, which were
// carried and why the others were not: department is a dropdown in
// TalentLMS and text in TalentHR, and the portal has no location field.
func TestTHRCustomFieldsSameNameAndType(t *testing.T) {
	note := func(target syncengine.Side, field string, carried bool, why string) syncengine.FieldNote {
		return syncengine.FieldNote{Collection: syncengine.Users, Target: target, Field: field, Carried: carried, Why: why}
	}
	hrToLMS := []syncengine.FieldNote{
		note("b", "custom_fields.hireDate", true, "date on both sides"),
		note("b", "custom_fields.dateOfBirth", true, "date on both sides"),
		note("b", "custom_fields.ssn", true, "text on both sides"),
		note("b", "custom_fields.city", true, "text on both sides"),
		note("b", "custom_fields.country", true, "text on both sides"),
		note("b", "custom_fields.jobTitle", true, "text on both sides"),
		note("b", "custom_fields.department", false, "text in talenthr (department), list in talentlms"),
		note("b", "custom_fields.location", false, `talentlms has no field named "custom_fields.location"`),
		note("b", "custom_fields.division", true, "text on both sides"),
	}
	lmsToHR := []syncengine.FieldNote{
		note("a", "birth_date", true, "date on both sides"),
		note("a", "ssn", true, "text on both sides"),
		note("a", "city", true, "text on both sides"),
		note("a", "country", true, "text on both sides"),
		note("a", "job_title", true, "text on both sides"),
		note("a", "department", false, "list in talentlms (custom_fields.department), text in talenthr"),
		note("a", "location", false, `talentlms has no field named "custom_fields.location"`),
		note("a", "division", true, "text on both sides"),
	}
	for _, tc := range []struct {
		dir  jobs.Direction
		want []syncengine.FieldNote
	}{
		{jobs.HRToLMS, hrToLMS}, {jobs.LMSToHR, lmsToHR}, {jobs.TwoWay, append(append([]syncengine.FieldNote{}, hrToLMS...), lmsToHR...)},
	} {
		e := newTHREnv(t, tc.dir)
		p := e.plan(t)
		if d := cmp.Diff(tc.want, p.Fields); d != "" {
			t.Errorf("%s: field notes (-want +got):\n%s", tc.dir, d)
		}
		if !strings.Contains(p.String(), "custom_fields.department: not carried (text in talenthr (department), list in talentlms)") &&
			tc.dir != jobs.LMSToHR {
			t.Errorf("%s: the plan's text does not say why department is not carried:\n%s", tc.dir, p)
		}
		e.sync(t)
	}
	// What was not carried was not written: Zoë's TalentLMS department
	// (a dropdown) is empty, and Lena was hired without one.
	e := newTHREnv(t, jobs.TwoWay)
	e.sync(t)
	if zoe := e.lmsUser(t, "Zoë"); e.custom(zoe, "department") != "" {
		t.Errorf("Zoë's department %q: a field of another type was written", e.custom(zoe, "department"))
	}
	if lena := e.employee(t, "Lena"); lena.DepartmentID != "" || lena.LocationID != "" {
		t.Errorf("Lena hired into department %q, location %q", lena.DepartmentID, lena.LocationID)
	}
}

// A portal with none of the named fields carries none, and says so; the
// people still flow with their names and email.
func TestTHRCustomFieldsNoneOnThePortal(t *testing.T) {
	e := newTHREnv(t, jobs.HRToLMS, func(s *thrSetup) { s.noFields = true })
	p := e.plan(t)
	for _, n := range p.Fields {
		if n.Carried {
			t.Errorf("%s carried on a portal without custom fields", n.Field)
		}
	}
	rep := e.sync(t)
	if rep.Failed() || outcome(t, rep, syncengine.Users, "Zoë Ñúñez-O'Brien").Result != syncengine.ResultCreated {
		t.Errorf("%s\n%s", rep.Summary(), rowsText(rep))
	}
	if rep := e.sync(t); rep.Writes() != 0 {
		t.Errorf("rerun: %s\n%s", rep.Summary(), rowsText(rep))
	}
}

// The hire date of a learner hired into TalentHR is the hireDate custom
// field when it reads as a date, else the day TalentLMS created the
// user: whether the portal has no such field, the user has no value, a
// blank one, or one that is no date.
func TestTHRHireDateFallback(t *testing.T) {
	created := time.Date(2024, 2, 3, 9, 15, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		fieldType talentlms.CustomFieldType // "": the portal has no hireDate field
		value     string
		want      string
	}{
		{"no hireDate field on the portal", "", "", "2024-02-03"},
		{"no value", talentlms.FieldDate, "", "2024-02-03"},
		{"a blank value", talentlms.FieldDate, " ", "2024-02-03"},
		{"an impossible date (a text field)", talentlms.FieldText, "31/02/2021", "2024-02-03"},
		{"no date at all (a text field)", talentlms.FieldText, "next week", "2024-02-03"},
		{"a date in the portal's format", talentlms.FieldDate, "04/09/2023", "2023-09-04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTHREnv(t, jobs.LMSToHR, func(s *thrSetup) {
				s.noCompany = true
				s.seedLMS = func(e *thrEnv) {
					u := talentlmstest.User{Login: "mei", FirstName: "Mei", LastName: "Tanaka", Email: thrEmail("Mei"), CreatedOn: created}
					if tc.fieldType != "" {
						key := e.lms.AddCustomField(talentlms.CustomField{Name: "hireDate", Type: tc.fieldType})
						u.Custom = map[string]string{key: tc.value}
					}
					e.lms.AddUser(u)
				}
			})
			if rep := e.sync(t); rep.Counts[syncengine.ResultCreated] != 1 {
				t.Fatalf("%s\n%s", rep.Summary(), rowsText(rep))
			}
			if mei := e.employee(t, "Mei"); mei.HireDate != tc.want {
				t.Errorf("hired on %s, want %s", mei.HireDate, tc.want)
			}
		})
	}
}

// No SSN or date of birth, from either side, is printed in a plan, its
// preview, a report (text, CSV, JSON) or a log record, in any direction,
// unless asked; two-way links keep only their hash. ShowSensitive shows
// them in the plan.
func TestTHRSensitiveNeverShown(t *testing.T) {
	for _, dir := range jobs.Directions() {
		t.Run(string(dir), func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			e := newTHREnv(t, dir, func(s *thrSetup) { s.Logger, s.training = logger, true })
			var out bytes.Buffer
			p := e.plan(t)
			out.WriteString(p.String())
			_ = e.eng.Preview(p).WriteText(&out)
			rep, err := e.eng.Apply(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			_ = rep.WriteText(&out)
			_ = rep.WriteCSV(&out)
			_ = rep.WriteJSON(&out)
			out.WriteString(e.plan(t).String())
			for _, c := range []syncengine.Collection{syncengine.Users} {
				links, _ := e.store.Links(context.Background(), e.eng.Pair(), c)
				for _, l := range links {
					for k, v := range l.Synced {
						out.WriteString(k + "=" + v + "\n")
					}
				}
			}
			all := out.String() + logs.String()
			for _, s := range thrSecretForms(e.co.secrets) {
				if strings.Contains(all, s) {
					t.Errorf("%q appears in plans, reports, links or logs", s)
				}
			}
			if !strings.Contains(out.String(), "(hidden: sensitive)") {
				t.Error("nothing was hidden: the test checks nothing")
			}
		})
	}
	e := newTHREnv(t, jobs.LMSToHR, func(s *thrSetup) { s.ShowSensitive = true })
	if p := e.plan(t).String(); !strings.Contains(p, "321-54-9876") {
		t.Errorf("ShowSensitive: Lena's SSN is not in the plan:\n%s", p)
	}
}

// thrSecretForms are the seeded secrets as any system may print them:
// ISO dates also day first (TalentLMS), and day-first dates also ISO.
func thrSecretForms(secrets []string) []string {
	var out []string
	for _, s := range secrets {
		out = append(out, s)
		if d, err := time.Parse("2006-01-02", s); err == nil {
			out = append(out, d.Format("02/01/2006"))
		}
		if d, err := time.Parse("02/01/2006", s); err == nil {
			out = append(out, d.Format("2006-01-02"))
		}
	}
	return out
}

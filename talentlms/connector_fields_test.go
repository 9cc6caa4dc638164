package talentlms_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// Schema: the standard user fields and each custom field of the portal
// under its record path, typed in the engine's words.
func TestConnectorSchema(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	got, err := k.Schema(ctx, syncengine.Users)
	if err != nil {
		t.Fatal(err)
	}
	want := []syncengine.FieldInfo{
		{Name: "id", Type: "text"}, {Name: "login", Type: "text"}, {Name: "first_name", Type: "text"},
		{Name: "last_name", Type: "text"}, {Name: "email", Type: "text"}, {Name: "user_type", Type: "text"},
		{Name: "timezone", Type: "text"}, {Name: "language", Type: "text"}, {Name: "status", Type: "text"},
		{Name: "bio", Type: "text"}, {Name: "restrict_email", Type: "bool"}, {Name: "created_on", Type: "date"},
		{Name: "last_updated", Type: "date"}, {Name: "deactivation_date", Type: "date"},
		{Name: "custom_fields.jobTitle", Type: "text"}, {Name: "custom_fields.department", Type: "list"},
		{Name: "custom_fields.hireDate", Type: "date"}, {Name: "custom_fields.remote", Type: "bool"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("users schema (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"GET siteinfo", "GET getcustomregistrationfields"}, paths(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	srv.Log().Reset()
	if _, err := k.Schema(ctx, syncengine.Users); err != nil || len(paths(srv)) != 0 {
		t.Errorf("schema again: %v, calls %v (the definitions are held)", err, paths(srv))
	}
	es, err := k.Schema(ctx, syncengine.Enrollments)
	if err != nil || len(es) != len(talentlms.EnrollmentFields()) || es[2] != (syncengine.FieldInfo{Name: "completion_percentage", Type: "number"}) {
		t.Errorf("enrollments schema %v, %v", es, err)
	}
	if _, err := k.Schema(ctx, syncengine.Teams); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("teams schema without Teams: %v", err)
	}
}

// ReadFields: records carry just the fields asked for; a field a
// collection does not have is an error naming it, from ReadFields and
// from every later read; a custom field name the portal does not define
// is absent and logged once.
func TestConnectorReadFields(t *testing.T) {
	var logs bytes.Buffer
	k, srv := newConnector(t, talentlms.ConnectorOptions{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	co := srv.SeedCompany()
	if err := k.ReadFields(syncengine.Users, []string{"email", "custom_fields.hireDate", "custom_fields.ssn"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		got := byID(listAll(t, k, syncengine.Users))[co.Users["ana.lima"]]
		want := map[string]any{"email": "ana.lima@northwind.example", "custom_fields": map[string]any{"hireDate": day(2021, 3, 1)}}
		if d := cmp.Diff(want, got.Fields); d != "" {
			t.Errorf("fields (-want +got):\n%s", d)
		}
	}
	if n := strings.Count(logs.String(), "custom_fields.ssn"); n != 1 {
		t.Errorf("the missing custom field is logged %d times, want once:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), talentlmstest.APIKey) {
		t.Error("the log holds the API key")
	}

	err := k.ReadFields(syncengine.Users, []string{"email", "nickname", "custom"})
	if !errors.Is(err, syncengine.ErrUnknownField) || !strings.Contains(err.Error(), `"nickname", "custom"`) {
		t.Errorf("ReadFields with unknown fields: %v", err)
	}
	for _, err := range k.List(ctx, syncengine.Users) {
		if !errors.Is(err, syncengine.ErrUnknownField) {
			t.Errorf("List after: %v", err)
		}
	}
	if _, err := k.Get(ctx, syncengine.Users, co.Users["ana.lima"]); !errors.Is(err, syncengine.ErrUnknownField) {
		t.Errorf("Get after: %v", err)
	}
	if err := k.ReadFields(syncengine.Enrollments, []string{"completion_status", "grade"}); !errors.Is(err, syncengine.ErrUnknownField) ||
		!strings.Contains(err.Error(), "grade") {
		t.Errorf("enrollment fields: %v", err)
	}
	if err := k.ReadFields(syncengine.Teams, []string{"name"}); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("teams without Teams: %v", err)
	}
	if err := k.ReadFields(syncengine.Courses, []string{"code"}); err != nil {
		t.Fatal(err)
	}
	if r := listAll(t, k, syncengine.Courses)[0]; !cmp.Equal(map[string]any{"code": "SEC-101"}, r.Fields) {
		t.Errorf("course fields %v", r.Fields)
	}
}

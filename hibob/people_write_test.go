package hibob_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

func newHire() hibob.CreateEmployeeParams {
	return hibob.CreateEmployeeParams{
		FirstName: "Hedy", Surname: "Lamarr", Email: "hedy.lamarr@example.com", Site: "London",
		StartDate: date(2027, 2, 1), Title: "Software Engineer", Department: "Platform",
		Fields: map[string]any{"home.mobilePhone": "+44 7700 900123", hibobtest.SubDepartmentField: "Platform"},
	}
}

func TestCreateEmployee(t *testing.T) {
	srv, ids := seeded(t)
	srv.DeleteEmployee(ids["future_starter"]) // the seeded Hedy, so her email is free
	c := srv.NewClient(t)
	e, err := c.CreateEmployee(ctx, newHire())
	if err != nil {
		t.Fatal(err)
	}
	sent := srv.Log().Entries()[0]
	var got, want any
	_ = json.Unmarshal(sent.Body, &got)
	_ = json.Unmarshal(readGolden(t, "create_request.golden.json"), &want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("create body (-golden +sent):\n%s", diff)
	}
	state, ok := srv.Employee(e.ID())
	if !ok {
		t.Fatalf("created employee %q not stored", e.ID())
	}
	wantState := hibobtest.Employee{ID: e.ID(), FirstName: "Hedy", Surname: "Lamarr", Email: "hedy.lamarr@example.com",
		DisplayName: "Hedy Lamarr", Title: "Software Engineer", Department: "Platform", Site: "London", StartDate: "2027-02-01",
		Fields: map[string]any{"home.mobilePhone": "+44 7700 900123", hibobtest.SubDepartmentField: "Platform"},
		Status: "Inactive", LifecycleStatus: "hired"}
	if diff := cmp.Diff(wantState, state); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}

	_, err = c.CreateEmployee(ctx, newHire())
	if !errors.Is(err, hibob.ErrInvalid) || !strings.Contains(err.Error(), `hibob: create employee "hedy.lamarr@example.com": POST /v1/people: 400 badRequest: Email hedy.lamarr@example.com already exists`) {
		t.Errorf("duplicate: %v", err)
	}
	p := newHire()
	p.Email, p.Site = "other@example.com", "Mars"
	if _, err := c.CreateEmployee(ctx, p); !errors.Is(err, hibob.ErrInvalid) || !strings.Contains(err.Error(), "Site Mars does not exist") {
		t.Errorf("unknown site: %v", err)
	}
}

func TestCreateEmployeeRefusedBeforeSending(t *testing.T) {
	srv := hibobtest.NewServer(t)
	c := srv.NewClient(t)
	tests := []struct {
		name string
		edit func(*hibob.CreateEmployeeParams)
		want string
	}{
		{"required", func(p *hibob.CreateEmployeeParams) { p.FirstName, p.Site, p.StartDate = "", " ", time.Time{} }, "FirstName, Site, StartDate required"},
		{"email", func(p *hibob.CreateEmployeeParams) { p.Email = "not-an-email" }, "not an email address"},
		{"clash", func(p *hibob.CreateEmployeeParams) { p.Fields = map[string]any{"work.title": "x"} }, "also set by a typed parameter"},
		{"nested clash", func(p *hibob.CreateEmployeeParams) { p.Fields = map[string]any{"root.work": "x"} }, "clashes"},
	}
	for _, tt := range tests {
		p := newHire()
		tt.edit(&p)
		if _, err := c.CreateEmployee(ctx, p); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A create whose answer is lost may have happened: the error says so, and
// the fake shows it did.
func TestCreateEmployeeOutcomeUnknown(t *testing.T) {
	srv := hibobtest.NewServer(t)
	srv.AddSite("London")
	srv.AddFault(hibobtest.Fault{Method: "POST", Path: "/v1/people", ApplyThenDrop: true})
	p := newHire()
	p.Title, p.Department, p.Fields = "", "", nil
	_, err := srv.NewClient(t).CreateEmployee(ctx, p)
	if !errors.Is(err, hibob.ErrOutcomeUnknown) {
		t.Fatalf("lost reply: %v, want ErrOutcomeUnknown", err)
	}
	if n := len(srv.EmployeeIDs()); n != 1 {
		t.Errorf("%d employees, want the one created once", n)
	}
}

// An answer without the new ID is followed by one read by email.
func TestCreateEmployeeAnswerWithoutID(t *testing.T) {
	srv := hibobtest.NewServer(t)
	srv.AddSite("London")
	srv.AddFault(hibobtest.Fault{Method: "POST", Path: "/v1/people", Status: 200, Body: `{}`})
	p := newHire()
	p.Title, p.Department, p.Fields = "", "", nil
	_, err := srv.NewClient(t).CreateEmployee(ctx, p)
	// Only ErrOutcomeUnknown: the employee may well exist, read lags writes.
	if !errors.Is(err, hibob.ErrOutcomeUnknown) || errors.Is(err, hibob.ErrNotFound) || !strings.Contains(err.Error(), "404") {
		t.Errorf("no id, look-up 404: %v", err)
	}
	if got := srv.Log().Entries()[1].Path; got != "/v1/people/hedy.lamarr@example.com" {
		t.Errorf("look-up path %q", got)
	}
}

func TestUpdateEmployee(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t)
	id := ids["engineer"]
	changed, err := c.UpdateEmployee(ctx, id, map[string]any{"root.firstName": "Alan M.", "home.mobilePhone": "+44 7700 900999"})
	if err != nil || !changed {
		t.Fatalf("update = %v, %v", changed, err)
	}
	var body any
	_ = json.Unmarshal(srv.Log().Entries()[0].Body, &body)
	if diff := cmp.Diff(map[string]any{"firstName": "Alan M.", "home": map[string]any{"mobilePhone": "+44 7700 900999"}}, body); diff != "" {
		t.Errorf("PUT body (-want +got):\n%s", diff)
	}
	if st, _ := srv.Employee(id); st.FirstName != "Alan M." || st.Fields["home.mobilePhone"] != "+44 7700 900999" {
		t.Errorf("stored %+v", st)
	}
	// HiBob answers an identical write 304: unchanged, not an error.
	changed, err = c.UpdateEmployee(ctx, id, map[string]any{"root.firstName": "Alan M."})
	if err != nil || changed {
		t.Errorf("identical update = %v, %v; want false, nil", changed, err)
	}
	if got := srv.Log().Entries()[1].Status; got != 304 {
		t.Errorf("fake answered %d, want 304", got)
	}
	for _, f := range []string{"work.title", "work.department", "work.site", "work.siteId", "work.manager", "work.reportsTo", "internal.status"} {
		_, err := c.UpdateEmployee(ctx, id, map[string]any{f: "x"})
		if err == nil || !strings.Contains(err.Error(), "is historical: add a work entry (AddWorkEntry)") {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := c.UpdateEmployee(ctx, id, nil); err == nil {
		t.Error("empty update accepted")
	}
	if n := srv.Log().Count(nil); n != 2 {
		t.Errorf("%d requests, want 2 (refused updates are not sent)", n)
	}
	if _, err := c.UpdateEmployee(ctx, "3332883884017799999", map[string]any{"root.firstName": "X"}); !errors.Is(err, hibob.ErrNotFound) {
		t.Errorf("unknown employee: %v", err)
	}
}

func TestAddWorkEntry(t *testing.T) {
	srv, ids := seeded(t)
	now := fixedClock()
	srv.SetClock(func() time.Time { return now })
	c := srv.NewClient(t)
	depts, err := c.NamedList(ctx, hibob.ListDepartment, hibob.NamedListParams{})
	if err != nil {
		t.Fatal(err)
	}
	sales, ok := depts.IDOf("Sales")
	if !ok {
		t.Fatal("no Sales department")
	}
	id := ids["engineer"]
	changed, err := c.AddWorkEntry(ctx, id, hibob.WorkEntry{
		EffectiveDate: date(2026, 7, 1), Department: sales, ManagerID: ids["sales_manager"], Reason: "Moved to sales",
	})
	if err != nil || !changed {
		t.Fatalf("AddWorkEntry = %v, %v", changed, err)
	}
	var body any
	_ = json.Unmarshal(srv.Log().Entries()[1].Body, &body)
	wantBody := map[string]any{"effectiveDate": "2026-07-01", "department": sales, "reportsTo": map[string]any{"id": ids["sales_manager"]}, "reason": "Moved to sales"}
	if diff := cmp.Diff(wantBody, body); diff != "" {
		t.Errorf("work body (-want +got):\n%s", diff)
	}
	current := func() string {
		e, err := c.GetEmployee(ctx, id, hibob.GetEmployeeParams{})
		if err != nil {
			t.Fatal(err)
		}
		return e.Department() + " / " + e.Title() + " / " + e.Site() + " / " + e.ManagerID()
	}
	if got, want := current(), "Platform / Software Engineer / London / "+ids["eng_manager"]; got != want {
		t.Errorf("before the date: %q, want %q", got, want)
	}
	now = date(2026, 7, 1)
	if got, want := current(), "Sales / Software Engineer / London / "+ids["sales_manager"]; got != want {
		t.Errorf("on the date: %q, want %q (title and site copied from the row before)", got, want)
	}

	_, err = c.AddWorkEntry(ctx, id, hibob.WorkEntry{EffectiveDate: date(2026, 7, 1), Title: "Software Engineer"})
	if !errors.Is(err, hibob.ErrInvalid) {
		t.Errorf("a title name, same date: %v, want 400", err)
	}
	for _, tt := range []struct {
		w    hibob.WorkEntry
		want string
	}{
		{hibob.WorkEntry{}, "EffectiveDate is required"},
		{hibob.WorkEntry{EffectiveDate: now, SiteID: "London"}, "not a list item ID"},
		{hibob.WorkEntry{EffectiveDate: now, ManagerID: "boss"}, "ManagerID"},
	} {
		if _, err := c.AddWorkEntry(ctx, id, tt.w); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.w, err, tt.want)
		}
	}
	if _, err := c.AddWorkEntry(ctx, "ada@example.com", hibob.WorkEntry{EffectiveDate: now}); err == nil {
		t.Error("an email accepted where the work table needs an ID")
	}
}

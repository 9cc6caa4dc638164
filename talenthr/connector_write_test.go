package talenthr_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// adaRecord is a hire with every kind of field: the hire's own, lookups,
// a manager, and fields only the PUT after the hire takes.
func adaRecord(ceo string) syncengine.Record {
	return syncengine.Record{Active: true, Refs: managerRefs(ceo), Fields: map[string]any{
		"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test", "hire_date": "2026-04-01",
		"employment_status": "Part-Time", "job_title": "Sales Manager", "department": "Sales", "division": "Europe",
		"location": "Athens", "city": "London", "birth_date": day(1990, 12, 10), "hr_languages": []any{"English", "el"},
		"work_phone": nil,
	}}
}

// TestConnectorHirePayloads: the hire and the PUT after it send exactly
// TalentHR's documented bodies (golden files), nobody is emailed, and
// the employee reads back as hired.
func TestConnectorHirePayloads(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	srv.Log().Reset()
	id, err := k.Create(ctx, syncengine.Users, adaRecord(ids["ceo"]))
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, e := range srv.Log().Entries() {
		if talenthrtest.IsWrite(e) {
			bodies = append(bodies, e.Method+" "+e.Path+" "+compact(t, e.Body))
		}
	}
	want := []string{
		"POST /v1/employees/hire " + compact(t, readGolden(t, "connector_hire_request.golden.json")),
		"PUT /v1/employees/" + id + " " + compact(t, readGolden(t, "connector_hire_followup.golden.json")),
	}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if inv := srv.Invitations(); len(inv) != 0 {
		t.Errorf("invitations sent: %v", inv)
	}
	if err := k.ReadFields(syncengine.Users, []string{"email", "hire_date", "job_title", "department", "city", "birth_date", "hr_languages", "employment_status"}); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(ctx, syncengine.Users, id)
	if err != nil {
		t.Fatal(err)
	}
	wantRec := syncengine.Record{ID: id, Active: true, Refs: managerRefs(ids["ceo"]), Fields: map[string]any{
		"id": id, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test", "hire_date": day(2026, 4, 1),
		"employment_status": "Part-Time", "job_title": "Sales Manager", "department": "Sales", "city": "London",
		"birth_date": day(1990, 12, 10), "hr_languages": []any{"English", "Greek"},
	}}
	if diff := cmp.Diff(wantRec, got); diff != "" {
		t.Errorf("hired employee (-want +got):\n%s", diff)
	}
}

// TestConnectorHireSendsEmailOnlyWhenAsked: SendEmail and IsExisting
// reach the hire.
func TestConnectorHireSendsEmailOnlyWhenAsked(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{SendEmail: true, IsExisting: true})
	id, err := k.Create(ctx, syncengine.Users, adaRecord(ids["ceo"]))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]talenthrtest.Invitation{{EmployeeID: id, Email: "ada@acme.test"}}, srv.Invitations()); diff != "" {
		t.Errorf("invitations (-want +got):\n%s", diff)
	}
	if e, _ := srv.Employee(id); !e.IsExisting || e.PreventEmail {
		t.Errorf("stored hire: is_existing %v prevent_email %v", e.IsExisting, e.PreventEmail)
	}
}

// TestConnectorCreateRefusals: a record the hire cannot take is refused
// with an error naming the field, and nothing is written.
func TestConnectorCreateRefusals(t *testing.T) {
	base := func(change func(map[string]any)) syncengine.Record {
		f := map[string]any{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test", "hire_date": day(2026, 4, 1)}
		change(f)
		return syncengine.Record{Active: true, Fields: f}
	}
	tests := []struct {
		name   string
		opts   talenthr.ConnectorOptions
		rec    syncengine.Record
		is     error
		saying []string
	}{
		{"no hire date", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { delete(f, "hire_date") }), syncengine.ErrInvalid, []string{"hire_date is required"}},
		{"empty hire date", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["hire_date"] = "" }), syncengine.ErrInvalid, []string{"hire_date is required"}},
		{"bad hire date", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["hire_date"] = "31/02/2026" }), syncengine.ErrInvalid, []string{"hire_date", "31/02/2026"}},
		{"no email", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["email"] = " " }), syncengine.ErrInvalid, []string{"email is required"}},
		{"no employment status", talenthr.ConnectorOptions{},
			base(func(map[string]any) {}), syncengine.ErrInvalid, []string{"employment_status is required", "ConnectorOptions.EmploymentStatus"}},
		{"unknown field", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["favourite_colour"] = "teal" }), syncengine.ErrInvalid, []string{"favourite_colour"}},
		{"termination date", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["termination_date"] = day(2027, 1, 1) }), syncengine.ErrUnsupported, []string{"termination_date", "no termination call"}},
		{"custom fields", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["custom_fields"] = map[string]any{"T-shirt size": "L"} }), syncengine.ErrUnsupported, []string{"custom_fields"}},
		{"a date that is no date", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			base(func(f map[string]any) { f["birth_date"] = true }), syncengine.ErrInvalid, []string{"birth_date"}},
		{"teams", talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"},
			func() syncengine.Record {
				r := base(func(map[string]any) {})
				r.Refs = map[string][]syncengine.Ref{"teams": {{Collection: syncengine.Teams, ID: "1"}}}
				return r
			}(), syncengine.ErrUnsupported, []string{`"teams"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, tt.opts)
			_, err := k.Create(ctx, syncengine.Users, tt.rec)
			if !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
			for _, s := range tt.saying {
				if !strings.Contains(fmtErr(err), s) {
					t.Errorf("err = %v, want it to say %q", err, s)
				}
			}
			if n := srv.Log().Count(nil); n != 0 {
				t.Errorf("%d requests for a refused create", n)
			}
		})
	}
}

// TestConnectorLookups: a name TalentHR lacks is refused (after one fresh
// look) unless CreateMissingLookups, which creates it once; one added in
// TalentHR since the list was read is found.
func TestConnectorLookups(t *testing.T) {
	rec := func(i string, title string) syncengine.Record {
		return syncengine.Record{Active: true, Fields: map[string]any{"first_name": "A", "last_name": i, "email": i + "@acme.test",
			"hire_date": day(2026, 4, 1), "job_title": title}}
	}
	t.Run("refused", func(t *testing.T) {
		k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"})
		_, err := k.Create(ctx, syncengine.Users, rec("a", "Astronaut"))
		var le *talenthr.LookupError
		if !errors.As(err, &le) || le.Name != "Astronaut" || !errors.Is(err, syncengine.ErrInvalid) ||
			!strings.Contains(err.Error(), "job_title") || !strings.Contains(err.Error(), "CreateMissingLookups") {
			t.Errorf("err = %v, want a LookupError for job_title Astronaut naming the option", err)
		}
		if diff := cmp.Diff([]string{"GET /employment-statuses", "GET /job-titles", "GET /job-titles"}, requests(srv)); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		srv.AddJobTitle("Astronaut") // added in TalentHR's web app
		if _, err := k.Create(ctx, syncengine.Users, rec("b", "astronaut")); err != nil {
			t.Errorf("after it was added: %v", err)
		}
	})
	t.Run("created", func(t *testing.T) {
		k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time", CreateMissingLookups: true})
		for _, i := range []string{"a", "b"} {
			if _, err := k.Create(ctx, syncengine.Users, rec(i, "Astronaut")); err != nil {
				t.Fatal(err)
			}
		}
		if n := srv.Log().Count(func(e talenthrtest.Entry) bool { return e.Method == http.MethodPost && e.Path == "/v1/job-titles" }); n != 1 {
			t.Errorf("%d job titles created, want 1", n)
		}
		if srv.LookupID(talenthr.JobTitles, "Astronaut") == "" {
			t.Error("job title not created")
		}
	})
	t.Run("employment statuses cannot be created", func(t *testing.T) {
		k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Seasonal", CreateMissingLookups: true})
		_, err := k.Create(ctx, syncengine.Users, rec("a", ""))
		if !strings.Contains(fmtErr(err), `employment status "Seasonal" does not exist`) {
			t.Errorf("err = %v", err)
		}
		if n := srv.Log().Count(talenthrtest.IsWrite); n != 0 {
			t.Errorf("%d writes", n)
		}
	})
}

// TestConnectorHireOutcomes: a hire whose reply is lost, and a hire whose
// PUT after it fails, both match ErrOutcomeUnknown (the engine then finds
// the employee by email); the employee exists once.
func TestConnectorHireOutcomes(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault talenthrtest.Fault
		say   string
	}{
		{"reply lost", talenthrtest.Fault{Method: http.MethodPost, Path: "/v1/employees/hire", ApplyThenDrop: true}, "hire"},
		{"put after the hire fails", talenthrtest.Fault{Method: http.MethodPut, Path: "/v1/employees/*", Status: 500}, "setting city"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"})
			srv.AddFault(tt.fault)
			_, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{
				"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test", "hire_date": day(2026, 4, 1), "city": "London"}})
			if !errors.Is(err, syncengine.ErrOutcomeUnknown) || !strings.Contains(fmtErr(err), tt.say) {
				t.Errorf("err = %v, want ErrOutcomeUnknown saying %q", err, tt.say)
			}
			srv.ClearFaults()
			found, ferr := k.Find(ctx, syncengine.Users, "email", "ADA@acme.test")
			if ferr != nil || len(found) != 1 {
				t.Errorf("Find after the unknown outcome = %v, %v; want the one hired employee", found, ferr)
			}
		})
	}
}

// TestConnectorUpdate: only the changed keys are sent, nil and "" clear,
// and what TalentHR's update cannot take is refused before any request.
func TestConnectorUpdate(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	id := ids["engineer"]
	srv.Log().Reset()
	err := k.Update(ctx, syncengine.Users, id, map[string]any{"city": "Oslo", "work_phone": nil, "country": "",
		"birth_date": "1991-05-17", "postal_code": 10564, "hr_languages": []string{"German"}})
	if err != nil {
		t.Fatal(err)
	}
	entries := srv.Log().Entries()
	if len(entries) != 2 || entries[0].Path != "/v1/languages" {
		t.Fatalf("requests %v, want the language list and one PUT", requests(srv))
	}
	de := srv.LookupID(talenthr.Languages, "German")
	want := `{"birth_date":"1991-05-17","work_phone":null,"city":"Oslo","postal_code":"10564","country":null,"hr_languages":[` + de + `]}`
	if got := compact(t, entries[1].Body); got != want {
		t.Errorf("PUT body\n got %s\nwant %s", got, want)
	}
	e, _ := srv.Employee(id)
	if e.Profile["city"] != "Oslo" || e.Profile["work_phone"] != nil || e.Profile["country"] != nil || e.FirstName != "Maria" {
		t.Errorf("stored %+v", e)
	}

	refused := []struct {
		change map[string]any
		is     error
		say    string
	}{
		{map[string]any{"first_name": nil}, syncengine.ErrInvalid, "first_name: cannot be cleared"},
		{map[string]any{"email": ""}, syncengine.ErrInvalid, "email"},
		{map[string]any{"job_title": "CTO", "city": "Oslo"}, syncengine.ErrUnsupported, "job_title: can be set only when hiring"},
		{map[string]any{"hire_date": day(2020, 1, 1)}, syncengine.ErrUnsupported, "hire_date"},
		{map[string]any{"employment_status": "Part-Time"}, syncengine.ErrUnsupported, "employment_status"},
		{map[string]any{"custom_fields": map[string]any{"T-shirt size": "L"}}, syncengine.ErrUnsupported, "custom_fields"},
		{map[string]any{"reports_to_employee_id": "1"}, syncengine.ErrUnsupported, `Refs["manager"]`},
		{map[string]any{"emergency_contact": "x"}, syncengine.ErrUnsupported, "emergency_contact"},
		{map[string]any{"shoe_size": "44"}, syncengine.ErrInvalid, "shoe_size"},
		{map[string]any{"city": []string{"a"}}, syncengine.ErrInvalid, "city: want text"},
		{map[string]any{"hr_languages": []any{"Klingon"}}, syncengine.ErrInvalid, `language "Klingon" does not exist`},
	}
	srv.Log().Reset()
	for _, r := range refused {
		err := k.Update(ctx, syncengine.Users, id, r.change)
		if !errors.Is(err, r.is) || !strings.Contains(fmtErr(err), r.say) {
			t.Errorf("Update(%v) = %v, want %v saying %q", r.change, err, r.is, r.say)
		}
	}
	if n := srv.Log().Count(talenthrtest.IsWrite); n != 0 {
		t.Errorf("%d writes for refused updates", n)
	}
	for _, bad := range []string{"abc", "0", "", "syncenginetest-no-such-id"} {
		if err := k.Update(ctx, syncengine.Users, bad, map[string]any{"city": "x"}); !errors.Is(err, syncengine.ErrNotFound) {
			t.Errorf("Update(%q) = %v, want ErrNotFound", bad, err)
		}
	}
	if err := k.Update(ctx, syncengine.Users, "999", map[string]any{"city": "x"}); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Update(999) = %v, want ErrNotFound", err)
	}
}

// TestConnectorWriteRefs: the manager is set with one PUT, cleared with an
// empty list (head of the company), and other roles are refused.
func TestConnectorWriteRefs(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	id := ids["sales_rep"]
	srv.Log().Reset()
	if err := k.WriteRefs(ctx, syncengine.Users, id, managerRefs(ids["ceo"])); err != nil {
		t.Fatal(err)
	}
	if err := k.WriteRefs(ctx, syncengine.Users, id, map[string][]syncengine.Ref{"manager": {}}); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, e := range srv.Log().Entries() {
		bodies = append(bodies, compact(t, e.Body))
	}
	if diff := cmp.Diff([]string{`{"reports_to_employee_id":` + ids["ceo"] + `}`, `{"reports_to_employee_id":null}`}, bodies); diff != "" {
		t.Errorf("PUT bodies (-want +got):\n%s", diff)
	}
	if e, _ := srv.Employee(id); e.ReportsToEmployeeID != "" {
		t.Errorf("manager %q after clearing", e.ReportsToEmployeeID)
	}
	for _, refs := range []map[string][]syncengine.Ref{
		{"teams": {{Collection: syncengine.Teams, ID: "1"}}},
		{"manager": {{Collection: syncengine.Users, ID: ids["ceo"]}, {Collection: syncengine.Users, ID: ids["eng_manager"]}}},
		{"manager": {{Collection: syncengine.Users, ID: "ceo"}}},
	} {
		if err := k.WriteRefs(ctx, syncengine.Users, id, refs); err == nil {
			t.Errorf("WriteRefs(%v) accepted", refs)
		}
	}
}

// TestConnectorCannotDeactivate: SetActive is unsupported either way and
// sends nothing, even where the guessed termination call would answer.
func TestConnectorCannotDeactivate(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	srv.EnableUnverifiedTerminate()
	srv.Log().Reset()
	for _, active := range []bool{false, true} {
		err := k.SetActive(ctx, syncengine.Users, ids["engineer"], active)
		if !errors.Is(err, syncengine.ErrUnsupported) || !strings.Contains(fmtErr(err), "no termination") {
			t.Errorf("SetActive(%v) = %v, want ErrUnsupported", active, err)
		}
	}
	if k.Capabilities(syncengine.Users).Has(syncengine.CanSetActive) {
		t.Error("CanSetActive declared")
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// TestConnectorNoSecretInErrors: a refused key and failing calls give
// errors and logs without the API key.
func TestConnectorNoSecretInErrors(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	srv.RemoveAPIKey(talenthrtest.APIKey)
	var logs strings.Builder
	logger := newTextLogger(&logs)
	k := talenthr.NewConnector(srv.NewClient(t, talenthr.WithLogger(logger)), talenthr.ConnectorOptions{EmploymentStatus: "Full-Time", Logger: logger})
	var errs []error
	for _, err := range k.List(ctx, syncengine.Users) {
		errs = append(errs, err)
	}
	_, err := k.Get(ctx, syncengine.Users, "1")
	errs = append(errs, err)
	_, err = k.Create(ctx, syncengine.Users, adaRecord("1"))
	errs = append(errs, err)
	errs = append(errs, k.Update(ctx, syncengine.Users, "1", map[string]any{"city": "x"}))
	_, _, err = k.Changes(ctx, syncengine.Users, "")
	errs = append(errs, err)
	for _, err := range errs {
		if !errors.Is(err, syncengine.ErrUnauthorized) {
			t.Errorf("err = %v, want ErrUnauthorized", err)
		}
		if strings.Contains(fmtErr(err), talenthrtest.APIKey) {
			t.Errorf("error shows the key: %v", err)
		}
	}
	if strings.Contains(logs.String(), talenthrtest.APIKey) {
		t.Error("log shows the key")
	}
}

func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

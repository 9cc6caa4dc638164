package hibob_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

// byRole lists a search result as role → "status title department".
func byRole(t *testing.T, ids map[string]string, people []hibob.Employee) map[string]string {
	t.Helper()
	role := map[string]string{}
	for r, id := range ids {
		role[id] = r
	}
	out := map[string]string{}
	for _, e := range people {
		out[role[e.ID()]] = strings.Join([]string{e.Status(), e.Title(), e.Department(), e.Site()}, " | ")
	}
	return out
}

func TestSearchPeopleIncludesLeaversAndStarters(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t)
	people, err := c.SearchPeople(ctx, hibob.SearchParams{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ceo":            "Active | CEO | Executive | London",
		"eng_manager":    "Active | VP Engineering | Engineering | London",
		"sales_manager":  "Active | VP Sales | Sales | New York",
		"engineer":       "Active | Software Engineer | Platform | London",
		"sales_rep":      "Active | Account Executive | Sales | New York",
		"leaver":         "Inactive | Account Executive | Sales | New York",
		"future_starter": "Inactive | Software Engineer | Platform | London",
	}
	if diff := cmp.Diff(want, byRole(t, ids, people)); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	var sent map[string]any
	if err := json.Unmarshal(srv.Log().Entries()[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	wantBody := map[string]any{"fields": toAny(hibob.DefaultFields()), "showInactive": true, "humanReadable": "APPEND"}
	if diff := cmp.Diff(wantBody, sent); diff != "" {
		t.Errorf("request body (-want +got):\n%s", diff)
	}

	active, err := c.SearchPeople(ctx, hibob.SearchParams{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got := byRole(t, ids, active)
	if _, ok := got["leaver"]; ok || len(got) != 5 {
		t.Errorf("ActiveOnly returned %v", got)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func TestSearchPeopleLeaverFields(t *testing.T) {
	srv, ids := seeded(t)
	people, err := srv.NewClient(t).SearchPeople(ctx, hibob.SearchParams{Filter: hibob.FilterIDs(ids["leaver"], ids["future_starter"])})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Lifecycle, Term, Start, Manager string }
	var got []row
	for _, e := range people {
		term, _ := e.TerminationDate()
		start, _ := e.StartDate()
		r := row{e.LifecycleStatus(), "", start.Format("2006-01-02"), e.ManagerID()}
		if !term.IsZero() {
			r.Term = term.Format("2006-01-02")
		}
		got = append(got, r)
	}
	want := []row{
		{"terminated", "2026-01-15", "2021-01-04", ids["sales_manager"]},
		{"hired", "", "2026-07-31", ids["eng_manager"]},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSearchHumanReadableModes(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t)
	platform := func(mode hibob.HumanReadable) (machine, human string, sentMode any) {
		srv.Log().Reset()
		people, err := c.SearchPeople(ctx, hibob.SearchParams{Fields: []string{hibob.FieldDepartment}, Filter: hibob.FilterEmails("ALAN.TURING@example.com"), HumanReadable: mode})
		if err != nil || len(people) != 1 {
			t.Fatalf("%s: %v, %d people", mode, err, len(people))
		}
		var body map[string]any
		_ = json.Unmarshal(srv.Log().Entries()[0].Body, &body)
		return people[0].DepartmentID(), people[0].Human(hibob.FieldDepartment), body["humanReadable"]
	}
	state, _ := srv.Employee(ids["engineer"])
	if state.Department != "Platform" {
		t.Fatalf("seeded engineer in %q", state.Department)
	}
	m, h, sent := platform(hibob.HumanReadableAppend)
	if h != "Platform" || m == "Platform" || m == "" || sent != "APPEND" {
		t.Errorf("APPEND: machine %q human %q sent %v", m, h, sent)
	}
	m, h, sent = platform(hibob.HumanReadableReplace)
	if m != "Platform" || h != "" || sent != "REPLACE" {
		t.Errorf("REPLACE: machine %q human %q sent %v", m, h, sent)
	}
	m, h, sent = platform(hibob.MachineOnly)
	if m == "Platform" || h != "" || sent != nil {
		t.Errorf("machine only: machine %q human %q sent %v", m, h, sent)
	}
}

func TestSearchParamsRefusedBeforeSending(t *testing.T) {
	srv, _ := seeded(t)
	c := srv.NewClient(t)
	tooMany := make([]string, hibob.MaxFields+1)
	for i := range tooMany {
		tooMany[i] = "work.custom.field_" + strings.Repeat("1", 3)
	}
	tests := []struct {
		name string
		p    hibob.SearchParams
		want string
	}{
		{"too many fields", hibob.SearchParams{Fields: tooMany}, "401 fields requested, HiBob allows at most 400"},
		{"slash field", hibob.SearchParams{Fields: []string{"/work/title"}}, "not in dot notation"},
		{"filter path", hibob.SearchParams{Filter: &hibob.Filter{FieldPath: "work.department", Values: []string{"1"}}}, "only on root.id or root.email"},
		{"filter operator", hibob.SearchParams{Filter: &hibob.Filter{FieldPath: "root.id", Operator: "contains", Values: []string{"1"}}}, `only "equals"`},
		{"no values", hibob.SearchParams{Filter: hibob.FilterIDs()}, "no values"},
		{"humanReadable", hibob.SearchParams{HumanReadable: "SOMETIMES"}, "not APPEND, REPLACE or MACHINE"},
	}
	for _, tt := range tests {
		_, err := c.SearchPeople(ctx, tt.p)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "hibob: search people: ") {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests sent for refused params", n)
	}
}

func TestGetEmployee(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t)
	for _, ident := range []string{ids["leaver"], "mary.jackson@example.com"} {
		e, err := c.GetEmployee(ctx, ident, hibob.GetEmployeeParams{})
		if err != nil {
			t.Fatalf("%s: %v", ident, err)
		}
		if e.ID() != ids["leaver"] || e.Email() != "mary.jackson@example.com" || e.Active() {
			t.Errorf("%s: got %s %s active=%v", ident, e.ID(), e.Email(), e.Active())
		}
	}
	if got := srv.Log().Entries()[1].Path; got != "/v1/people/mary.jackson@example.com" {
		t.Errorf("email path = %q (the @ must stay)", got)
	}
	e, err := c.GetEmployee(ctx, ids["engineer"], hibob.GetEmployeeParams{Fields: []string{hibob.FieldID, hibobtest.SubDepartmentField}})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Custom("work")["field_1698036945383"].String(); got != "Platform" {
		t.Errorf("custom field = %q", got)
	}
	_, err = c.GetEmployee(ctx, "3332883884017799999", hibob.GetEmployeeParams{})
	var apiErr *hibob.APIError
	if !errors.Is(err, hibob.ErrNotFound) || !errors.As(err, &apiErr) {
		t.Errorf("unknown ID: %v, want ErrNotFound", err)
	}
	for _, bad := range []string{"", "12a", "x/y@z", "@example.com", "a b@c"} {
		if _, err := c.GetEmployee(ctx, bad, hibob.GetEmployeeParams{}); err == nil || !strings.Contains(err.Error(), "neither an employee ID") {
			t.Errorf("identifier %q: %v", bad, err)
		}
	}
}

func TestGetEmployeeWrappedAnswer(t *testing.T) {
	srv, ids := seeded(t)
	srv.AddFault(hibobtest.Fault{Path: "/v1/people/" + ids["leaver"], Status: 200, Body: string(readGolden(t, "people_read_wrapped.json"))})
	e, err := srv.NewClient(t).GetEmployee(ctx, ids["leaver"], hibob.GetEmployeeParams{})
	if err != nil {
		t.Fatal(err)
	}
	if e.ManagerID() != "3332883804594373380" || e.Status() != "Inactive" {
		t.Errorf("wrapped employee: manager %q status %q", e.ManagerID(), e.Status())
	}
	srv.ClearFaults()
	srv.AddFault(hibobtest.Fault{Path: "/v1/people/" + ids["leaver"], Status: 200, Body: `{"employees":[]}`})
	if _, err := srv.NewClient(t).GetEmployee(ctx, ids["leaver"], hibob.GetEmployeeParams{}); !errors.Is(err, hibob.ErrNotFound) {
		t.Errorf("empty wrapper: %v", err)
	}
}

// Fields of a category the service user may not view are silently left out
// of a 200, as HiBob does: the client cannot tell them from nulls.
func TestHiddenCategoriesSilentlyOmitted(t *testing.T) {
	srv, ids := seeded(t)
	srv.AddServiceUser("SERVICE-NOLIFE", "no-lifecycle-token-1", hibobtest.Permissions{HiddenCategories: []string{"internal"}})
	c, err := hibob.New("SERVICE-NOLIFE", "no-lifecycle-token-1", hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.GetEmployee(ctx, ids["leaver"], hibob.GetEmployeeParams{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Email() == "" || e.Status() != "" || !e.Field(hibob.FieldTerminationDate).IsNull() {
		t.Errorf("email %q status %q term %s", e.Email(), e.Status(), e.Field(hibob.FieldTerminationDate).Raw())
	}
	if _, ok := e.Raw()["internal"]; ok {
		t.Error("hidden category present in the answer")
	}
}

func TestDecodeSearchGolden(t *testing.T) {
	var body struct{ Employees []hibob.Employee }
	if err := json.Unmarshal(readGolden(t, "people_search_directory.json"), &body); err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, e := range body.Employees {
		got = append(got, [2]string{e.DisplayName(), e.Title()})
	}
	want := [][2]string{{"Grace Hopper", "CEO"}, {"Alan Turing", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

package bamboohr_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/syncengine"
)

func listAll(t *testing.T, k syncengine.Connector) map[string]syncengine.Record {
	t.Helper()
	out := map[string]syncengine.Record{}
	for rec, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			t.Fatal(err)
		}
		out[rec.ID] = rec
	}
	return out
}

// litmosAccess is the checkbox the fake seeds, the one Litmos's own
// BambooHR integration scopes on.
const litmosAccess = "Litmos Access"

func TestConnectorList(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
	got := listAll(t, k)
	for _, role := range []string{"ceo", "eng_manager", "sales_manager", "engineer", "no_email", "terminated"} {
		if _, ok := got[itoa(ids[role])]; !ok {
			t.Errorf("%s missing from List", role)
		}
	}
	if _, ok := got[itoa(ids["no_access"])]; ok || len(got) != 6 {
		t.Errorf("List holds %d records; the one without Litmos Access must be out of scope", len(got))
	}
	eng := got[itoa(ids["engineer"])]
	want := syncengine.Record{ID: itoa(ids["engineer"]), Active: true, Fields: map[string]any{
		"id": itoa(ids["engineer"]), "firstName": "Christopher", "lastName": "Garcia", "workEmail": "cgarcia@example.com",
		"workPhone": "+1 801 555 0100", "mobilePhone": "+1 801 555 0199", "address1": "335 S 560 W",
		"address2": nil, "city": "Lindon", "state": "Utah", "zipcode": "84042", "country": "United States",
		"jobTitle": "Software Engineer", "status": "Active", "employmentHistoryStatus": "Full-Time",
		"terminationDate": nil, "supervisorEId": itoa(ids["eng_manager"]), bamboohr.AccessField: true,
	}, Refs: map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: itoa(ids["eng_manager"])}}}}
	if diff := cmp.Diff(want, eng); diff != "" {
		t.Errorf("engineer (-want +got):\n%s", diff)
	}
	term := got[itoa(ids["terminated"])]
	if term.Active || term.Fields["terminationDate"] != "2026-01-15" || term.Fields["employmentHistoryStatus"] != "Terminated" {
		t.Errorf("terminated = %+v", term)
	}
	if ceo := got[itoa(ids["ceo"])]; ceo.Refs != nil || ceo.Fields["supervisorEId"] != nil {
		t.Errorf("ceo has a manager: %+v", ceo)
	}
	if got[itoa(ids["no_email"])].Fields["workEmail"] != nil {
		t.Error("missing email must be nil")
	}
}

func TestConnectorActive(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	inactive := srv.AddEmployee(map[string]string{"firstName": "I", "lastName": "N", "status": "Inactive", bamboohrtest.LitmosAccessAlias: "yes"})
	contractor := srv.AddEmployee(map[string]string{"firstName": "C", "lastName": "O", "employmentHistoryStatus": "Contractor", bamboohrtest.LitmosAccessAlias: "yes"})
	leaver := srv.AddEmployee(map[string]string{"firstName": "L", "lastName": "V", "employmentHistoryStatus": "Terminated", bamboohrtest.LitmosAccessAlias: "yes"})
	got := listAll(t, bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess}))
	for id, want := range map[int]bool{inactive: false, contractor: true, leaver: false} {
		if got[itoa(id)].Active != want {
			t.Errorf("employee %d Active = %v, want %v", id, got[itoa(id)].Active, want)
		}
	}
}

func TestConnectorCheckboxStyles(t *testing.T) {
	for _, style := range [][2]string{{"1", "0"}, {"true", "false"}, {"yes", "no"}, {"checkbox", ""}} {
		t.Run(style[0], func(t *testing.T) {
			srv := bamboohrtest.NewServer(t)
			srv.SetCheckboxReadback(style[0], style[1])
			in := srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "B", bamboohrtest.LitmosAccessAlias: "yes"})
			srv.AddEmployee(map[string]string{"firstName": "C", "lastName": "D", bamboohrtest.LitmosAccessAlias: "no"})
			got := listAll(t, bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess}))
			if _, ok := got[itoa(in)]; !ok || len(got) != 1 {
				t.Errorf("List = %v, want only %d", got, in)
			}
		})
	}
}

func TestConnectorScopeByIDAndAll(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	srv.AddField(bamboohr.Field{ID: bamboohr.String("5000"), Name: "LMS Learner", Type: "checkbox"})
	a := srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "B", "5000": "yes"})
	srv.AddEmployee(map[string]string{"firstName": "C", "lastName": "D"})
	for _, name := range []string{"LMS Learner", "5000"} {
		got := listAll(t, bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: name}))
		if _, ok := got[itoa(a)]; !ok || len(got) != 1 {
			t.Errorf("scope %q: List = %v", name, got)
		}
	}
	if got := listAll(t, bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{})); len(got) != 2 {
		t.Errorf("no AccessField: %d records, want everyone", len(got))
	}
}

func TestConnectorRefusesInvisibleScope(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	srv.SeedCompany()
	// meta/fields shows the field but the report drops it: the scope would be empty.
	srv.AddKey("k2", bamboohrtest.Key{HiddenFields: []string{"status"}})
	c, _ := bamboohr.New(srv.Subdomain, "k2", bamboohr.WithBaseURL(srv.BaseURL()))
	k := bamboohr.NewConnector(c, bamboohr.ConnectorOptions{})
	for _, err := range k.List(ctx, syncengine.Users) {
		if err == nil {
			t.Fatal("List succeeded without the status field")
		}
		return
	}
	t.Fatal("List yielded nothing")
}

func TestConnectorGet(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
	rec, err := k.Get(ctx, syncengine.Users, itoa(ids["no_access"]))
	if err != nil {
		t.Fatal(err)
	}
	if k.InScope(syncengine.Users, rec) || rec.Fields["workEmail"] != "dchou@example.com" || !rec.Active {
		t.Errorf("Get out-of-scope = %+v", rec)
	}
	rec, err = k.Get(ctx, syncengine.Users, itoa(ids["engineer"]))
	if err != nil || !k.InScope(syncengine.Users, rec) {
		t.Errorf("Get in-scope = %+v, %v", rec, err)
	}
	for _, id := range []string{"99999", "abc", ""} {
		if _, err := k.Get(ctx, syncengine.Users, id); !errors.Is(err, syncengine.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want syncengine.ErrNotFound", id, err)
		}
	}
	if _, err := k.Get(ctx, syncengine.Teams, "1"); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Get team = %v", err)
	}
}

func TestConnectorChanges(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := t0
	srv.SetClock(func() time.Time { return now })
	ids := srv.SeedCompany()
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{Now: func() time.Time { return now }})

	now = t0.Add(time.Hour)
	first, cursor, err := k.Changes(ctx, syncengine.Users, "")
	if err != nil || len(first) != 0 || cursor != "2026-06-01T09:59:00Z" {
		t.Fatalf("fresh Changes = %v, %q, %v", first, cursor, err)
	}
	got, next, err := k.Changes(ctx, syncengine.Users, cursor)
	if err != nil || len(got) != 0 || next == "" {
		t.Fatalf("quiet Changes = %v, %q, %v", got, next, err)
	}
	now = now.Add(time.Minute)
	srv.SetField(ids["no_access"], bamboohrtest.LitmosAccessAlias, "yes")
	srv.Terminate(ids["engineer"], "2026-06-01")
	got, next2, err := k.Changes(ctx, syncengine.Users, next)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{itoa(ids["engineer"]), itoa(ids["no_access"])}
	if ids["engineer"] > ids["no_access"] {
		want[0], want[1] = want[1], want[0]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changed ids (-want +got):\n%s", diff)
	}
	if next2 == next {
		t.Error("cursor did not move")
	}
	if _, _, err := k.Changes(ctx, syncengine.Users, "not-a-time"); err == nil {
		t.Error("bad cursor accepted")
	}
}

func TestConnectorWebhookIDs(t *testing.T) {
	k := bamboohr.NewConnector(nil, bamboohr.ConnectorOptions{})
	p := &bamboohr.WebhookPayload{Events: []bamboohr.WebhookEvent{{Action: "Updated", EmployeeID: "4"}, {Type: "company.updated"},
		{Action: "Updated", EmployeeID: "4"}, {Action: "Deleted", EmployeeID: "9"}}}
	if diff := cmp.Diff([]string{"4", "9"}, k.WebhookIDs(p)); diff != "" {
		t.Error(diff)
	}
	if k.WebhookIDs(nil) != nil {
		t.Error("nil payload")
	}
}

func TestConnectorReadOnly(t *testing.T) {
	k := bamboohr.NewConnector(nil, bamboohr.ConnectorOptions{})
	if k.Capabilities(syncengine.Users) != syncengine.CanList|syncengine.CanGet|syncengine.CanListChanges || k.Capabilities(syncengine.Teams) != 0 {
		t.Error("capabilities")
	}
	if _, err := k.Create(ctx, syncengine.Users, syncengine.Record{}); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Error(err)
	}
	if err := k.Update(ctx, syncengine.Users, "1", nil); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Error(err)
	}
	if err := k.SetActive(ctx, syncengine.Users, "1", false); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Error(err)
	}
}

// seedRecord stores a conformance record in the fake, in scope.
func seedRecord(srv *bamboohrtest.Server) func(t *testing.T, k syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string {
	return func(t *testing.T, k syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string {
		f := map[string]string{bamboohrtest.LitmosAccessAlias: "yes"}
		for name, v := range rec.Fields {
			if s, ok := v.(string); ok && name != bamboohr.AccessField {
				f[name] = s
			}
		}
		if !rec.Active {
			f["status"] = "Inactive"
		}
		return strconv.Itoa(srv.AddEmployee(f))
	}
}

func TestConnectorWarnsOnUnknownCheckboxText(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	srv.SetCheckboxReadback("Ticked", "Unticked")
	srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "B", bamboohrtest.LitmosAccessAlias: "yes"})
	var logs bytes.Buffer
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if got := listAll(t, k); len(got) != 0 {
		t.Errorf("unknown checkbox text put %d records in scope", len(got))
	}
	if !strings.Contains(logs.String(), "unrecognised checkbox value") || !strings.Contains(logs.String(), "Ticked") {
		t.Errorf("log = %q", logs.String())
	}
}

// A field get-employee leaves out is one the key's user cannot see
// (https://documentation.bamboohr.com/reference/get-employee): Get must
// fail as List does, not read the
// employee as inactive or out of scope.
func TestConnectorGetRefusesInvisibleFields(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	id := srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "B", bamboohrtest.LitmosAccessAlias: "yes"})
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
	if rec, err := k.Get(ctx, syncengine.Users, itoa(id)); err != nil || !k.InScope(syncengine.Users, rec) || !rec.Active {
		t.Fatalf("Get = %+v, %v", rec, err)
	}
	for _, missing := range []string{"status", bamboohrtest.LitmosAccessAlias} {
		t.Run(missing, func(t *testing.T) {
			fields := map[string]string{"id": itoa(id), "firstName": "A", "status": "Active", bamboohrtest.LitmosAccessAlias: "1"}
			delete(fields, missing)
			body, _ := json.Marshal(fields)
			remove := srv.AddFault(bamboohrtest.Fault{Method: "GET", Path: "/api/v1/employees/" + itoa(id), Status: 200, Body: string(body)})
			defer remove()
			rec, err := k.Get(ctx, syncengine.Users, itoa(id))
			if err == nil || !strings.Contains(err.Error(), missing) {
				t.Fatalf("Get without %q = %+v, %v; want an error naming it", missing, rec, err)
			}
		})
	}
}

// The report's fields[] ids and its row keys may be spelled differently
// (https://documentation.bamboohr.com/reference/request-custom-report does
// not promise fields[].id echoes an alias): List
// trusts the row keys, which are what it reads.
func TestConnectorListChecksRowKeys(t *testing.T) {
	acc := bamboohrtest.LitmosAccessAlias
	cols := func(access string) string {
		return `[{"id":"id","type":"int","name":"EEID"},{"id":"status","type":"status","name":"Status"},{"id":"` + access + `","type":"checkbox","name":"Litmos Access"}]`
	}
	tests := []struct {
		name, body string
		wantIDs    []string // nil: want an error
	}{
		{name: "columns by id, rows by alias",
			body:    `{"title":"t","fields":` + cols(bamboohrtest.LitmosAccessID) + `,"employees":[{"id":"4","status":"Active","` + acc + `":"1"}]}`,
			wantIDs: []string{"4"}},
		{name: "columns by alias, rows by id",
			body: `{"title":"t","fields":` + cols(acc) + `,"employees":[{"id":"4","status":"Active","` + bamboohrtest.LitmosAccessID + `":"1"}]}`},
		{name: "empty report", body: `{"title":"t","fields":` + cols(acc) + `,"employees":[]}`, wantIDs: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bamboohrtest.NewServer(t)
			srv.AddFault(bamboohrtest.Fault{Method: "POST", Path: "/api/v1/reports/custom", Status: 200, Body: tt.body})
			k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
			ids := []string{}
			var err error
			for rec, e := range k.List(ctx, syncengine.Users) {
				if e != nil {
					err = e
					break
				}
				ids = append(ids, rec.ID)
			}
			if tt.wantIDs == nil {
				if err == nil || !strings.Contains(err.Error(), acc) {
					t.Fatalf("List = %v, %v; want an error naming %s", ids, err, acc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

package hibobtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

func clock() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }

func newSeeded(t *testing.T) (*hibobtest.Server, map[string]string) {
	t.Helper()
	srv := hibobtest.NewServer(t)
	srv.SetClock(clock)
	return srv, srv.SeedCompany()
}

type answer struct {
	status      int
	contentType string
	body        string
}

// call sends a raw request as the default service user (auth "" for none).
func call(t *testing.T, srv *hibobtest.Server, method, path, contentType, body string, auth ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	switch {
	case len(auth) == 0:
		req.SetBasicAuth(hibobtest.ServiceUserID, hibobtest.ServiceUserToken)
	case auth[0] != "":
		req.Header.Set("Authorization", auth[0])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	return answer{resp.StatusCode, ct, strings.TrimSpace(string(b))}
}

const jsonCT = "application/json"

// The fake refuses what HiBob refuses, with HiBob's statuses and bodies.
func TestStrictness(t *testing.T) {
	srv, ids := newSeeded(t)
	tooMany := `{"fields":[` + strings.TrimSuffix(strings.Repeat(`"root.id",`, 401), ",") + `]}`
	tests := []struct {
		name, method, path, ct, body string
		auth                         []string
		status                       int
		contains                     string
	}{
		{"no auth", "POST", "/v1/people/search", jsonCT, `{}`, []string{""}, 401, `"key":"unauthorized"`},
		{"bearer", "POST", "/v1/people/search", jsonCT, `{}`, []string{"Bearer " + hibobtest.ServiceUserToken}, 401, "Unauthorized"},
		{"raw legacy token not added", "GET", "/v1/company/people/fields", "", "", []string{hibobtest.ServiceUserToken}, 401, "Unauthorized"},
		{"outside /v1", "GET", "/people", "", "", nil, 404, "notFound"},
		{"unknown path is the app shell", "GET", "/v1/people/" + ids["ceo"] + "/variables", "", "", nil, 200, "<!DOCTYPE html>"},
		{"GET with JSON content type", "GET", "/v1/company/people/fields", jsonCT, "", nil, 400, "<!DOCTYPE html>"},
		{"body without content type", "POST", "/v1/people/search", "", `{}`, nil, 415, "unsupportedMediaType"},
		{"empty filters", "POST", "/v1/people/search", jsonCT, `{"filters":[]}`, nil, 400, "exactly one filter"},
		{"two filters", "POST", "/v1/people/search", jsonCT, `{"filters":[{"fieldPath":"root.id","operator":"equals","values":["1"]},{"fieldPath":"root.id","operator":"equals","values":["2"]}]}`, nil, 400, "exactly one filter"},
		{"filter on department", "POST", "/v1/people/search", jsonCT, `{"filters":[{"fieldPath":"work.department","operator":"equals","values":["1"]}]}`, nil, 400, "root.id or root.email"},
		{"filter without values", "POST", "/v1/people/search", jsonCT, `{"filters":[{"fieldPath":"root.id","operator":"equals","values":[]}]}`, nil, 400, "root.id or root.email"},
		{"401 fields", "POST", "/v1/people/search", jsonCT, tooMany, nil, 400, "at most 400"},
		{"unknown search key", "POST", "/v1/people/search", jsonCT, `{"limit":10}`, nil, 400, "unknown field"},
		{"bad humanReadable", "POST", "/v1/people/search", jsonCT, `{"humanReadable":"YES"}`, nil, 400, "APPEND or REPLACE"},
		{"lower-case humanReadable", "POST", "/v1/people/search", jsonCT, `{"humanReadable":"replace"}`, nil, 200, `"employees"`},
		{"showInactive on read one", "POST", "/v1/people/" + ids["ceo"], jsonCT, `{"showInactive":true}`, nil, 400, "unknown field"},
		{"unknown employee", "POST", "/v1/people/3332883884017799999", jsonCT, `{}`, nil, 404, "Employee not found"},
		{"list name case", "GET", "/v1/company/named-lists/Department", "", "", nil, 404, "notFound"},
		{"includeArchived", "GET", "/v1/company/named-lists/site?includeArchived=yes", "", "", nil, 400, "true or false"},
		{"create missing fields", "POST", "/v1/people", jsonCT, `{"firstName":"A"}`, nil, 400, "MISSING_MANDATORY_FIELD"},
		{"create unknown field", "POST", "/v1/people", jsonCT, `{"firstName":"A","surname":"B","email":"a@b.c","work":{"site":"London","startDate":"2026-01-01"},"shoeSize":44}`, nil, 400, "Unknown fields: shoeSize"},
		{"create bad date", "POST", "/v1/people", jsonCT, `{"firstName":"A","surname":"B","email":"a@b.c","work":{"site":"London","startDate":"01/01/2026"}}`, nil, 400, "YYYY-MM-DD"},
		{"create unknown title", "POST", "/v1/people", jsonCT, `{"firstName":"A","surname":"B","email":"a@b.c","work":{"site":"London","startDate":"2026-01-01","title":"Wizard"}}`, nil, 400, "not in list title"},
		{"update historical", "PUT", "/v1/people/" + ids["ceo"], jsonCT, `{"firstName":"G","work":{"title":"1"}}`, nil, 304, ""},
		{"update site text", "PUT", "/v1/people/" + ids["ceo"], jsonCT, `{"work":{"site":"New York"}}`, nil, 304, ""},
		{"update identical", "PUT", "/v1/people/" + ids["ceo"], jsonCT, `{"firstName":"Grace"}`, nil, 304, ""},
		{"update read-only", "PUT", "/v1/people/" + ids["ceo"], jsonCT, `{"id":"1"}`, nil, 400, "read-only"},
		{"update email", "PUT", "/v1/people/" + ids["ceo"], jsonCT, `{"email":"g@example.com"}`, nil, 400, "/email"},
		{"work without date", "POST", "/v1/people/" + ids["ceo"] + "/work", jsonCT, `{"title":"1"}`, nil, 400, "effectiveDate is required"},
		{"work title by name", "POST", "/v1/people/" + ids["ceo"] + "/work", jsonCT, `{"effectiveDate":"2026-07-01","title":"CEO"}`, nil, 400, "must be the ID"},
		{"work siteId as text", "POST", "/v1/people/" + ids["ceo"] + "/work", jsonCT, `{"effectiveDate":"2026-07-01","siteId":"London"}`, nil, 400, "integer ID"},
		{"work duplicate date", "POST", "/v1/people/" + ids["ceo"] + "/work", jsonCT, `{"effectiveDate":"2019-03-01"}`, nil, 400, "Duplicate effective date"},
		{"work self manager", "POST", "/v1/people/" + ids["ceo"] + "/work", jsonCT, `{"effectiveDate":"2026-07-01","reportsTo":{"id":"` + ids["ceo"] + `"}}`, nil, 400, "another employee"},
		{"work unknown key", "POST", "/v1/people/" + ids["ceo"] + "/work", jsonCT, `{"effectiveDate":"2026-07-01","office":"x"}`, nil, 400, "unknown field"},
		{"work unknown employee", "POST", "/v1/people/3332883884017799999/work", jsonCT, `{"effectiveDate":"2026-07-01"}`, nil, 404, "Employee not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, srv, tt.method, tt.path, tt.ct, tt.body, tt.auth...)
			if got.status != tt.status || !strings.Contains(got.body, tt.contains) {
				t.Errorf("%d %q, want %d containing %q", got.status, got.body, tt.status, tt.contains)
			}
			if tt.status == 401 && strings.Contains(got.body, hibobtest.ServiceUserToken) {
				t.Error("the 401 echoes the token")
			}
		})
	}
	if st, _ := srv.Employee(ids["ceo"]); st.FirstName != "Grace" || st.Title != "CEO" {
		t.Errorf("a refused or 304 write changed the CEO: %+v", st)
	}
}

// Both shapes: nested values with nulls, slash keys only for non-null
// values, humanReadable only for non-null values.
func TestResponseShapes(t *testing.T) {
	srv, ids := newSeeded(t)
	fields := `["root.id","work.title","work.department","work.siteId","work.reportsTo","internal.terminationDate","home.mobilePhone"]`
	read := func(hr string) map[string]any {
		a := call(t, srv, "POST", "/v1/people/"+ids["leaver"], jsonCT, `{"fields":`+fields+hr+`}`)
		if a.status != 200 || a.contentType != jsonCT {
			t.Fatalf("read: %+v", a)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(a.body), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	titleID, deptID := srv.WorkHistory(ids["leaver"])[0].TitleID, srv.WorkHistory(ids["leaver"])[0].DepartmentID
	siteID := srv.WorkHistory(ids["leaver"])[0].SiteID
	manager := map[string]any{"id": ids["sales_manager"], "firstName": "Katherine", "surname": "Johnson",
		"email": "katherine.johnson@example.com", "displayName": "Katherine Johnson"}
	siteNum := json.Number(siteID)
	siteFloat, _ := siteNum.Float64()
	want := map[string]any{
		"id":       ids["leaver"],
		"work":     map[string]any{"title": titleID, "department": deptID, "siteId": siteFloat, "reportsTo": manager},
		"internal": map[string]any{"terminationDate": "2026-01-15"},
		"home":     map[string]any{"mobilePhone": nil},
		"/root/id": map[string]any{"value": ids["leaver"]}, "/work/title": map[string]any{"value": titleID},
		"/work/department": map[string]any{"value": deptID}, "/work/siteId": map[string]any{"value": siteFloat},
		"/work/reportsTo": map[string]any{"value": manager}, "/internal/terminationDate": map[string]any{"value": "2026-01-15"},
	}
	if diff := cmp.Diff(want, read("")); diff != "" {
		t.Errorf("machine read (-want +got):\n%s", diff)
	}
	wantHR := map[string]any{"id": ids["leaver"], "work": map[string]any{"title": "Account Executive", "department": "Sales",
		"siteId": "New York", "reportsTo": "Katherine Johnson"}, "internal": map[string]any{"terminationDate": "15/01/2026"}}
	if diff := cmp.Diff(wantHR, read(`,"humanReadable":"APPEND"`)["humanReadable"]); diff != "" {
		t.Errorf("humanReadable (-want +got):\n%s", diff)
	}
	replaced := read(`,"humanReadable":"REPLACE"`)
	if got := replaced["/work/department"]; !cmp.Equal(got, map[string]any{"value": "Sales"}) {
		t.Errorf("REPLACE slash key = %v", got)
	}
	if _, ok := replaced["humanReadable"]; ok {
		t.Error("REPLACE carries a humanReadable object")
	}
}

func TestAccessTokenAndServiceUsers(t *testing.T) {
	srv, _ := newSeeded(t)
	srv.AddAccessToken("legacy-personal-token-1")
	if a := call(t, srv, "GET", "/v1/company/people/fields", "", "", "legacy-personal-token-1"); a.status != 200 {
		t.Errorf("added legacy token: %d", a.status)
	}
	srv.AddServiceUser("SERVICE-2", "second-token-2", hibobtest.Permissions{})
	req, _ := http.NewRequest("GET", srv.URL+"/v1/company/people/fields", nil)
	req.SetBasicAuth("SERVICE-2", hibobtest.ServiceUserToken) // another user's token
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("mixed credentials: %d, want 401", resp.StatusCode)
	}
}

// The search limit counts searches only, per service user, and answers
// HiBob's 429 with Retry-After.
func TestSearchLimitPerServiceUser(t *testing.T) {
	srv, _ := newSeeded(t)
	srv.SetRateLimit(hibobtest.RateLimit{Requests: 2, Per: time.Minute, Match: hibobtest.IsSearch})
	srv.AddServiceUser("SERVICE-2", "second-token-2", hibobtest.Permissions{})
	var got []int
	for range 3 {
		got = append(got, call(t, srv, "POST", "/v1/people/search", jsonCT, `{}`).status)
		got = append(got, call(t, srv, "GET", "/v1/company/named-lists", "", "").status)
	}
	other := call(t, srv, "POST", "/v1/people/search", "", "", "Basic U0VSVklDRS0yOnNlY29uZC10b2tlbi0y") // SERVICE-2:second-token-2
	got = append(got, other.status)
	if diff := cmp.Diff([]int{200, 200, 200, 200, 429, 200, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/v1/people/search", nil)
	req.SetBasicAuth(hibobtest.ServiceUserID, hibobtest.ServiceUserToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "60" || !strings.Contains(string(b), "tooManyRequests") {
		t.Errorf("429: %d Retry-After %q body %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
}

func TestSeedCompany(t *testing.T) {
	srv, ids := newSeeded(t)
	type row struct{ Name, Title, Dept, Site, Manager, Status, Lifecycle string }
	got := map[string]row{}
	for role, id := range ids {
		e, ok := srv.Employee(id)
		if !ok {
			t.Fatalf("%s missing", role)
		}
		got[role] = row{e.DisplayName, e.Title, e.Department, e.Site, e.ManagerID, e.Status, e.LifecycleStatus}
	}
	want := map[string]row{
		"ceo":            {"Grace Hopper", "CEO", "Executive", "London", "", "Active", "employed"},
		"eng_manager":    {"Ada Lovelace", "VP Engineering", "Engineering", "London", ids["ceo"], "Active", "employed"},
		"sales_manager":  {"Katherine Johnson", "VP Sales", "Sales", "New York", ids["ceo"], "Active", "employed"},
		"engineer":       {"Alan Turing", "Software Engineer", "Platform", "London", ids["eng_manager"], "Active", "employed"},
		"sales_rep":      {"Dorothy Vaughan", "Account Executive", "Sales", "New York", ids["sales_manager"], "Active", "employed"},
		"leaver":         {"Mary Jackson", "Account Executive", "Sales", "New York", ids["sales_manager"], "Inactive", "terminated"},
		"future_starter": {"Hedy Lamarr", "Software Engineer", "Platform", "London", ids["eng_manager"], "Inactive", "hired"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if e, _ := srv.Employee(ids["engineer"]); e.Fields[hibobtest.SubDepartmentField] != "Platform" {
		t.Errorf("engineer custom fields %v", e.Fields)
	}
	depts := call(t, srv, "GET", "/v1/company/named-lists/department", "", "")
	if !strings.Contains(depts.body, `"name":"Engineering"`) || !strings.Contains(depts.body, `"children":[{"archived":false,"children":[],"id":`) {
		t.Errorf("departments: %s", depts.body)
	}
	if got := srv.EmployeeIDs(); len(got) != 7 || got[0] != ids["ceo"] || len(got[0]) != 19 {
		t.Errorf("EmployeeIDs %v: want 7 19-digit IDs in creation order", got)
	}
}

func TestTerminateDeleteSetField(t *testing.T) {
	srv, ids := newSeeded(t)
	srv.Terminate(ids["sales_rep"], "2026-06-01")
	srv.SetField(ids["engineer"], "home.mobilePhone", "+44 1")
	srv.DeleteEmployee(ids["ceo"])
	if e, _ := srv.Employee(ids["sales_rep"]); e.Status != "Inactive" || e.TerminationDate != "2026-06-01" {
		t.Errorf("terminated today: %+v", e)
	}
	if e, _ := srv.Employee(ids["engineer"]); e.Fields["home.mobilePhone"] != "+44 1" {
		t.Errorf("SetField: %v", e.Fields)
	}
	if _, ok := srv.Employee(ids["ceo"]); ok {
		t.Error("deleted employee still there")
	}
	if a := call(t, srv, "POST", "/v1/people/grace.hopper@example.com", jsonCT, `{}`); a.status != 404 {
		t.Errorf("deleted employee by email: %d", a.status)
	}
}

// SetEmail moves the employee to the new address: reads by the new one
// find them, by the old one answer 404.
func TestSetEmail(t *testing.T) {
	srv, ids := newSeeded(t)
	srv.SetEmail(ids["engineer"], "Alan.M.Turing@example.com")
	if e, _ := srv.Employee(ids["engineer"]); e.Email != "Alan.M.Turing@example.com" {
		t.Errorf("email = %q", e.Email)
	}
	if a := call(t, srv, "POST", "/v1/people/alan.m.turing@example.com", jsonCT, `{}`); a.status != 200 {
		t.Errorf("read by the new email: %d", a.status)
	}
	if a := call(t, srv, "POST", "/v1/people/alan.turing@example.com", jsonCT, `{}`); a.status != 404 {
		t.Errorf("read by the old email: %d, want 404", a.status)
	}
}

// A work row without a site inherits it; with no earlier row one is needed.
func TestWorkRowInheritsFromTheRowBefore(t *testing.T) {
	srv, ids := newSeeded(t)
	title := srv.AddTitle("Staff Engineer")
	if a := call(t, srv, "POST", "/v1/people/"+ids["engineer"]+"/work", jsonCT, `{"effectiveDate":"2026-05-01","title":"`+title+`"}`); a.status != 200 {
		t.Fatalf("add row: %+v", a)
	}
	if a := call(t, srv, "POST", "/v1/people/"+ids["engineer"]+"/work", jsonCT, `{"effectiveDate":"2020-01-01","title":"`+title+`"}`); a.status != 400 || !strings.Contains(a.body, "site or siteId is required") {
		t.Errorf("row before all rows without a site: %+v", a)
	}
	rows := srv.WorkHistory(ids["engineer"])
	got := []string{rows[0].EffectiveDate + " " + rows[0].Title + " " + rows[0].Site, rows[1].EffectiveDate + " " + rows[1].Title + " " + rows[1].Site + " " + rows[1].Department}
	want := []string{"2021-05-10 Software Engineer London", "2026-05-01 Staff Engineer London Platform"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if e, _ := srv.Employee(ids["engineer"]); e.Title != "Staff Engineer" {
		t.Errorf("current title %q", e.Title)
	}
}

// SendWebhook renders the v2 envelope and signs the exact bytes sent.
func TestSendWebhookEnvelope(t *testing.T) {
	srv, ids := newSeeded(t)
	var body []byte
	var sig string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		sig = r.Header.Get("Bob-Signature")
	}))
	defer receiver.Close()
	statuses, err := srv.SendWebhook(context.Background(), receiver.URL, "s3cret",
		hibob.WebhookPayload{Type: hibob.EventTableEntryCreated, EmployeeID: ids["engineer"], TableID: "work", EffectiveDate: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || !cmp.Equal(statuses, []int{200}) {
		t.Fatalf("SendWebhook: %v, %v", statuses, err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"companyId": float64(hibobtest.CompanyID), "type": "table.entry.created", "triggeredBy": "system",
		"triggeredAt": "2026-06-01T09:00:00.000000", "version": "v2",
		"data": map[string]any{"employeeId": ids["engineer"], "tableId": "work", "effectiveDate": "2026-07-01"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
	if sig != hibob.Sign("s3cret", body) {
		t.Errorf("signature %q does not sign the body", sig)
	}
	if _, err := srv.SendWebhook(context.Background(), "http://127.0.0.1:1/", "s", hibob.WebhookPayload{Type: "x"}); err == nil {
		t.Error("no error for an unreachable receiver")
	}
}

func TestSeedMistakesPanic(t *testing.T) {
	srv, ids := newSeeded(t)
	for name, f := range map[string]func(){
		"taken email": func() {
			srv.AddEmployee(hibobtest.Employee{FirstName: "A", Surname: "B", Email: "grace.hopper@example.com"})
		},
		"no surname": func() { srv.AddEmployee(hibobtest.Employee{FirstName: "A", Email: "a@example.com"}) },
		"unknown manager": func() {
			srv.AddEmployee(hibobtest.Employee{FirstName: "A", Surname: "B", Email: "a@example.com", ManagerID: "1"})
		},
		"bad date":       func() { srv.Terminate(ids["ceo"], "15/01/2026") },
		"unknown field":  func() { srv.SetField(ids["ceo"], "work.nope", 1) },
		"historical":     func() { srv.SetField(ids["ceo"], "work.title", "1") },
		"unknown parent": func() { srv.AddDepartment("X", "999999") },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

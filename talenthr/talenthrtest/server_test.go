package talenthrtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

type call struct {
	method, path string // path after /v1
	header       http.Header
	body         string
}

var jsonHeaders = http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}

// do sends c with Basic auth for APIKey unless c.header sets Authorization
// ("" to send none), and Accept/Content-Type JSON unless c.header has them.
func do(t *testing.T, srv *talenthrtest.Server, c call) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(c.method, srv.BaseURL()+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(talenthrtest.APIKey, "x")
	for k, v := range jsonHeaders {
		req.Header[k] = v
	}
	for k, v := range c.header {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	for k, v := range req.Header {
		if len(v) == 1 && v[0] == "" {
			delete(req.Header, k)
		}
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func hireBody(mutate func(m map[string]any)) string {
	m := map[string]any{
		"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test", "hire_date": "2026-03-01",
		"employment_status": map[string]any{"employment_status_id": 1},
	}
	if mutate != nil {
		mutate(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestStrictness(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	tests := []struct {
		name       string
		call       call
		wantStatus int
		wantBody   string
	}{
		{"no auth", call{method: "GET", path: "/directory", header: http.Header{"Authorization": {""}}}, 401, `"error":"Unauthenticated."`},
		{"wrong key", call{method: "GET", path: "/directory", header: http.Header{"Authorization": {"Basic d3Jvbmc6eA=="}}}, 401, "Unauthenticated."},
		{"key as password is not the key as user", call{method: "GET", path: "/directory", header: http.Header{"Authorization": {"Basic OnRocl81ZjJiOGMxZDllN2E0YjNjNmQwZTFmMmEzYjRjNWQ2ZQ=="}}}, 401, "Unauthenticated."},
		{"any password", call{method: "GET", path: "/employment-statuses", header: http.Header{"Authorization": {"Basic dGhyXzVmMmI4YzFkOWU3YTRiM2M2ZDBlMWYyYTNiNGM1ZDZlOg=="}}}, 200, "Full-Time"},
		{"no Accept", call{method: "GET", path: "/directory", header: http.Header{"Accept": {""}}}, 406, "<html>"},
		{"Accept html", call{method: "GET", path: "/directory", header: http.Header{"Accept": {"text/html"}}}, 406, "<html>"},
		{"hire without Content-Type", call{method: "POST", path: "/employees/hire", header: http.Header{"Content-Type": {""}}, body: hireBody(nil)}, 415, "Content-Type"},
		{"hire form-encoded", call{method: "POST", path: "/employees/hire", header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: "first_name=A"}, 415, "Content-Type"},
		{"malformed JSON", call{method: "POST", path: "/employees/hire", body: "{"}, 400, "JSON object"},
		{"unknown hire key", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { m["firstname"] = "A" })}, 422, "The firstname field is not allowed."},
		{"taken email", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { m["email"] = "EPAPADAKI@acme.test" })}, 422, "The email has already been taken."},
		{"bad hire date", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { m["hire_date"] = "01/03/2026" })}, 422, "does not match the format Y-m-d"},
		{"unknown status", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { m["employment_status"] = map[string]any{"employment_status_id": 99} })}, 422, "The selected employment status.employment status id is invalid."},
		{"unknown job title", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { m["job_record"] = map[string]any{"job_title_id": 999} })}, 422, "job_record.job_title_id"},
		{"pay rate with 3 decimals", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) {
			m["compensation_record"] = map[string]any{"pay_rate": json.Number("10.123"), "pay_rate_period": "month"}
		})}, 422, "at most 2 decimal places"},
		{"hire packet half set", call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { m["hire_packet"] = map[string]any{"address": "HQ"} })}, 422, "hire_packet.who_id"},
		{"limit over 100", call{method: "GET", path: "/directory?limit=101"}, 422, "between 1 and 100"},
		{"limit 0", call{method: "GET", path: "/directory?limit=0"}, 422, "between 1 and 100"},
		{"offset -2", call{method: "GET", path: "/directory?offset=-2"}, 422, "offset"},
		{"filter key unknown", call{method: "GET", path: "/directory?filter=team=1"}, 422, "filter key"},
		{"filter id unknown", call{method: "GET", path: "/directory?filter=location=999"}, 422, "location id"},
		{"unknown custom field column", call{method: "GET", path: "/directory?custom_fields=nope"}, 422, "custom fields"},
		{"bad sort", call{method: "GET", path: "/directory?sort=salary"}, 422, "sort"},
		{"unknown employee", call{method: "GET", path: "/employees/999"}, 404, `"error":"Employee not found."`},
		{"non-numeric id", call{method: "GET", path: "/employees/abc"}, 404, "Not found."},
		{"unknown route", call{method: "GET", path: "/people"}, 404, "Not found."},
		{"wrong method", call{method: "DELETE", path: "/employees/" + ids["engineer"]}, 405, "Method not allowed."},
		{"employment statuses cannot be created", call{method: "POST", path: "/employment-statuses", body: `{"name":"Seasonal"}`}, 405, "Method not allowed."},
		{"terminate is off", call{method: "POST", path: "/employees/" + ids["engineer"] + "/terminate", body: `{"termination_date":"2026-06-30"}`}, 404, "Not found."},
		{"update null first name", call{method: "PUT", path: "/employees/" + ids["engineer"], body: `{"first_name":null}`}, 422, "The first name field is required."},
		{"update bad gender", call{method: "PUT", path: "/employees/" + ids["engineer"], body: `{"gender":"M"}`}, 422, "The selected gender is invalid."},
		{"update birth date too old", call{method: "PUT", path: "/employees/" + ids["engineer"], body: `{"birth_date":"1920-01-01"}`}, 422, "between 1930-01-01 and today"},
		{"update self manager", call{method: "PUT", path: "/employees/" + ids["engineer"], body: `{"reports_to_employee_id":` + ids["engineer"] + `}`}, 422, "report to themselves"},
		{"update unknown language", call{method: "PUT", path: "/employees/" + ids["engineer"], body: `{"hr_languages":[99]}`}, 422, "hr languages"},
		{"update job title is not a key", call{method: "PUT", path: "/employees/" + ids["engineer"], body: `{"job_title_id":1}`}, 422, "not allowed"},
		{"duplicate department", call{method: "POST", path: "/departments", body: `{"name":"engineering"}`}, 422, "The name has already been taken."},
		{"location without field_data", call{method: "POST", path: "/locations", body: `{"name":"Berlin"}`}, 422, "The field data field is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, hdr := do(t, srv, tt.call)
			if status != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Fatalf("%s %s: %d %s; want %d containing %q", tt.call.method, tt.call.path, status, body, tt.wantStatus, tt.wantBody)
			}
			if status != 406 && !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q, want JSON", hdr.Get("Content-Type"))
			}
		})
	}
	if got := len(srv.Employees()); got != 8 {
		t.Errorf("%d employees after the refused writes, want the 8 seeded", got)
	}
}

// TestHireRequiredFields: each required field missing answers 422 naming it
// in the object form of the error key.
func TestHireRequiredFields(t *testing.T) {
	srv := talenthrtest.NewServer(t, talenthrtest.WithoutRateLimit())
	for _, tt := range []struct{ drop, field, msg string }{
		{"first_name", "first_name", "The first name field is required."},
		{"last_name", "last_name", "The last name field is required."},
		{"email", "email", "The email field is required."},
		{"hire_date", "hire_date", "The hire date field is required."},
		{"employment_status", "employment_status.employment_status_id", "The employment status.employment status id field is required."},
	} {
		t.Run(tt.drop, func(t *testing.T) {
			status, body, _ := do(t, srv, call{method: "POST", path: "/employees/hire", body: hireBody(func(m map[string]any) { delete(m, tt.drop) })})
			var got struct {
				Success bool
				Error   struct {
					Message string
					Errors  map[string][]string
				}
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			want := map[string][]string{tt.field: {tt.msg}}
			if status != 422 || got.Success || got.Error.Message != "The given data was invalid." {
				t.Errorf("status %d body %s", status, body)
			}
			if diff := cmp.Diff(want, got.Error.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
	if n := len(srv.Employees()); n != 0 {
		t.Errorf("%d employees stored by refused hires", n)
	}
}

// TestDefaultRateLimit: 2,000 requests a minute per key, then 429 with
// Retry-After and a JSON error, until the window moves on.
func TestDefaultRateLimit(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	for i := 0; i < 2000; i++ {
		if status, body, _ := do(t, srv, call{method: "GET", path: "/languages"}); status != 200 {
			t.Fatalf("request %d: %d %s", i+1, status, body)
		}
	}
	status, body, hdr := do(t, srv, call{method: "GET", path: "/languages"})
	if status != 429 || hdr.Get("Retry-After") != "60" || body != `{"success":false,"error":"Too Many Attempts."}` {
		t.Fatalf("request 2001: %d Retry-After %q %s", status, hdr.Get("Retry-After"), body)
	}
	srv.AddAPIKey("other-key")
	if status, _, _ := do(t, srv, call{method: "GET", path: "/languages", header: http.Header{"Authorization": {"Basic b3RoZXIta2V5Og=="}}}); status != 200 {
		t.Errorf("another key shares the bucket: %d", status)
	}
	now = now.Add(time.Minute)
	if status, _, _ := do(t, srv, call{method: "GET", path: "/languages"}); status != 200 {
		t.Errorf("after a minute: %d", status)
	}
}

// TestDirectoryHidesLeavers: by default only employees still employed
// (or yet to start) are listed; emp_state=2 lists the terminated.
func TestDirectoryHidesLeavers(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	list := func(query string) map[string]string {
		status, body, _ := do(t, srv, call{method: "GET", path: "/directory?limit=100" + query})
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		var env struct {
			Data struct {
				Total int
				Rows  []struct {
					ID              int     `json:"id"`
					TerminationDate *string `json:"termination_date"`
				}
			}
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range env.Data.Rows {
			d := ""
			if r.TerminationDate != nil {
				d = *r.TerminationDate
			}
			got[strings.TrimSpace(jsonInt(r.ID))] = d
		}
		if env.Data.Total != len(got) {
			t.Errorf("total %d, rows %d", env.Data.Total, len(got))
		}
		return got
	}
	def := list("")
	if _, listed := def[ids["terminated"]]; listed || len(def) != 7 {
		t.Errorf("default directory = %v, want the 7 not terminated", def)
	}
	if def[ids["leaving"]] == "" {
		t.Errorf("the employee leaving next month shows no termination date: %v", def)
	}
	if term := list("&filter=emp_state=" + talenthrtest.EmpStateTerminated); len(term) != 1 || term[ids["terminated"]] != "2025-01-15" {
		t.Errorf("terminated = %v", term)
	}
	if all := list("&filter=emp_state=1,2,3"); len(all) != 8 {
		t.Errorf("all states = %d rows, want 8", len(all))
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestSeedsAndInspection: seeds are visible through the API and the
// inspection helpers, copies cannot change the fake.
func TestSeedsAndInspection(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	e, found := srv.Employee(ids["engineer"])
	if !found || e.FirstName != "Maria" || e.ReportsToEmployeeID != ids["eng_manager"] || e.CustomFields["tshirt-size"] != "M" {
		t.Fatalf("engineer = %+v", e)
	}
	e.Profile["city"] = "Changed"
	if again, _ := srv.Employee(ids["engineer"]); again.Profile["city"] != "Athens" {
		t.Error("a copy returned by Employee changed the fake")
	}
	if byEmail, found := srv.EmployeeByEmail("MIOANNOU@acme.test"); !found || byEmail.ID != ids["engineer"] {
		t.Errorf("EmployeeByEmail = %+v %v", byEmail, found)
	}
	if id := srv.LookupID("department", "ENGINEERING"); id == "" || id != e.DepartmentID {
		t.Errorf("LookupID(Engineering) = %q, employee's %q", id, e.DepartmentID)
	}
	status, body, _ := do(t, srv, call{method: "GET", path: "/employees/" + ids["engineer"]})
	if status != 200 || !strings.Contains(body, `"user":{"email":"mioannou@acme.test"`) || strings.Contains(body, `"ssn"`) {
		t.Errorf("GET employee: %d %s", status, body)
	}
	srv.DeleteEmployee(ids["engineer"])
	if status, _, _ := do(t, srv, call{method: "GET", path: "/employees/" + ids["engineer"]}); status != 404 {
		t.Errorf("deleted employee: %d", status)
	}
}

// TestFaultKit: the embedded kit's faults reach the fake's routes.
func TestFaultKit(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	srv.AddFault(talenthrtest.Fault{Method: "GET", Path: "/v1/languages", Status: 503, Times: 1, Body: `{"error":"down"}`})
	if status, body, _ := do(t, srv, call{method: "GET", path: "/languages"}); status != 503 || body != `{"error":"down"}` {
		t.Errorf("fault: %d %s", status, body)
	}
	if status, _, _ := do(t, srv, call{method: "GET", path: "/languages"}); status != 200 {
		t.Errorf("after the fault: %d", status)
	}
	if n := srv.Log().Count(func(e talenthrtest.Entry) bool { return e.Path == "/v1/languages" }); n != 2 {
		t.Errorf("log holds %d requests, want 2", n)
	}
}

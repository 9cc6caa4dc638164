package talenthr_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/talenthr"
)

var ctx = context.Background()

func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// compact is b without insignificant whitespace, for exact comparisons.
func compact(t *testing.T, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return buf.String()
}

// goldenServer answers each "METHOD /v1/path" with a testdata file and
// records the request bodies it received.
type goldenServer struct {
	mu     sync.Mutex
	bodies map[string][]byte
}

func newGolden(t *testing.T, routes map[string]string) (*talenthr.Client, *goldenServer) {
	t.Helper()
	g := &goldenServer{bodies: map[string][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + r.URL.Path
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.bodies[key] = b
		g.mu.Unlock()
		name, ok := routes[key]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"success":false,"error":"Not found."}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readGolden(t, name))
	}))
	t.Cleanup(srv.Close)
	c, err := talenthr.New("golden-key", talenthr.WithBaseURL(srv.URL+"/v1"), talenthr.WithHTTPClient(srv.Client()),
		talenthr.WithRetry(talenthr.RetryPolicy{MaxRetries: -1}))
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

func (g *goldenServer) body(key string) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.bodies[key]
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func TestGoldenDirectoryPage(t *testing.T) {
	c, _ := newGolden(t, map[string]string{"GET /v1/directory": "directory_page.json"})
	page, err := c.ListDirectoryPage(ctx, talenthr.DirectoryParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := &talenthr.DirectoryPage{Total: 2, Rows: []talenthr.DirectoryRow{{
		ID: "19", UserID: "19", FirstName: "John", LastName: "Doe", Email: "jdoe@example.com", ReportsToEmployeeID: "1",
		DivisionID: "13", Division: "Europe", EmploymentStatusID: "1", EmploymentStatusName: "Full-Time",
		DepartmentID: "6", Department: "Administration & Operations", JobTitleID: "26", JobTitle: "Business Analyst",
		LocationID: "36", Location: "Athens", HireDate: talenthr.NewDate(2023, 11, 28),
		PhotoURL: "https://d2spisfw2i7npf.cloudfront.net/public-assets/people/default-avatar.png",
		UserRole: &talenthr.UserRole{ID: "3", Slug: "employee", Name: "Employee"},
		Extra:    talenthr.Extra{"u_id": raw("19"), "tshirt-size": raw(`"M"`)},
	}, {
		ID: "20", UserID: "20", FirstName: "Jane", LastName: "Roe", Email: "jroe@example.com",
		EmploymentStatusID: "2", EmploymentStatusName: "Part-Time",
		HireDate: talenthr.NewDate(2021, 3, 1), TerminationDate: talenthr.NewDate(2025, 1, 15),
		LinkedInURL: "https://www.linkedin.com/in/jroe", WorkPhone: "+30 210 000 0000",
		UserRole: &talenthr.UserRole{ID: "2", Slug: "admin", Name: "Admin"},
		Extra:    talenthr.Extra{"is_future_rehire": raw("false"), "time_off_requests": raw(`[{"id": 4}]`)},
	}}}
	if diff := cmp.Diff(want, page, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	today := talenthr.NewDate(2026, 1, 1)
	if page.Rows[0].Terminated(today) || !page.Rows[1].Terminated(today) {
		t.Error("Terminated misread termination_date")
	}
}

func TestGoldenEmployee(t *testing.T) {
	c, _ := newGolden(t, map[string]string{"GET /v1/employees/19": "employee_get.json"})
	e, err := c.GetEmployee(ctx, "19")
	if err != nil {
		t.Fatal(err)
	}
	got := []string{e.ID, e.FirstName(), e.LastName(), e.Email(), e.EmployeeNumber, e.BirthDate.String(), e.HireDate.String(),
		e.DepartmentName, e.JobTitleID, e.LocationName, e.City, e.Country, e.PersonalEmail, e.Gender, e.MaritalStatus, e.UserRole.Slug}
	want := []string{"19", "John", "Doe", "jdoe@example.com", "E-0019", "1990-12-10", "2023-11-28",
		"Administration & Operations", "26", "Athens", "Athens", "Greece", "john@home.example", "Male", "Married", "employee"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if e.IsTerminated || e.Terminated(talenthr.NewDate(2026, 1, 1)) || !e.TerminationDate.IsZero() {
		t.Errorf("is_terminated 0 read as terminated: %+v", e)
	}
	for _, k := range []string{"emergency_contact", "short_manager", "seniority", "hire_date_utc", "default_avatar"} {
		if _, kept := e.Extra[k]; !kept {
			t.Errorf("key %s dropped, Extra = %v", k, e.Extra)
		}
	}
}

func TestGoldenCustomFieldsAndJob(t *testing.T) {
	c, _ := newGolden(t, map[string]string{
		"GET /v1/employees/19/custom-fields": "custom_fields.json",
		"GET /v1/employees/19/job":           "job_info.json",
	})
	fields, err := c.ListCustomFields(ctx, "19")
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) != 1 || fields[0].Slug != "tshirt-size" || !fields[0].IsEditable || !fields[0].IsEnabled ||
		len(fields[0].Values) != 1 || compact(t, fields[0].Values[0]) != `{"id":31,"employee_id":19,"value":"M"}` {
		t.Errorf("custom fields = %+v", fields)
	}
	if _, kept := fields[0].Extra["created_at"]; !kept {
		t.Errorf("created_at dropped: %v", fields[0].Extra)
	}
	job, err := c.GetJobInfo(ctx, "19")
	if err != nil {
		t.Fatal(err)
	}
	if len(job.JobRecords) != 1 || len(job.ManagerRecords) != 1 || len(job.Benefits) != 0 {
		t.Errorf("job info = %+v", job)
	}
}

func TestGoldenLookups(t *testing.T) {
	c, g := newGolden(t, map[string]string{
		"GET /v1/languages":         "languages.json",
		"GET /v1/directory/filters": "directory_filters.json",
		"POST /v1/departments":      "department_created.json",
	})
	langs, err := c.ListLanguages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []talenthr.Lookup{
		{ID: "1", Code: "en", Name: "English", Extra: talenthr.Extra{"rtl": raw("0"), "is_disabled": raw("0")}},
		{ID: "9", Code: "ar", Name: "Arabic", Extra: talenthr.Extra{"rtl": raw("1"), "is_disabled": raw("1")}},
	}
	if diff := cmp.Diff(want, langs); diff != "" {
		t.Errorf("languages (-want +got):\n%s", diff)
	}
	f, err := c.DirectoryFilters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.AllEmploymentStates().String(); got != "emp_state=1,2,3" {
		t.Errorf("AllEmploymentStates = %q", got)
	}
	if len(f.TimeOffTypes) != 1 || f.Locations[0].Name != "Athens" {
		t.Errorf("filters = %+v", f)
	}
	d, err := c.CreateLookup(ctx, talenthr.Departments, talenthr.CreateLookupParams{Name: " Research "})
	if err != nil || d.ID != "41" || d.Name != "Research" {
		t.Errorf("CreateLookup = %+v, %v", d, err)
	}
	if got := compact(t, g.body("POST /v1/departments")); got != `{"name":"Research"}` {
		t.Errorf("create body %s", got)
	}
}

// TestGoldenHireRequest: the exact body sent for a full hire and for the
// minimal one (nested objects left out, prevent_email always sent).
func TestGoldenHireRequest(t *testing.T) {
	c, g := newGolden(t, map[string]string{"POST /v1/employees/hire": "hire_created.json"})
	id, err := c.Hire(ctx, talenthr.HireParams{
		FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test", HireDate: talenthr.NewDate(2026, 3, 1),
		EmploymentStatusID: "1", ReportsToEmployeeID: "12",
		JobRecord:          &talenthr.JobRecord{JobTitleID: "26", LocationID: "36", DivisionID: "13", DepartmentID: "6"},
		CompensationRecord: &talenthr.CompensationRecord{PayRate: "1255.38", PayRatePeriod: "month", PayRateSchedule: "once-per-month", OvertimeStatus: "exempt"},
		HirePacket: &talenthr.HirePacket{WhoID: "3", Address: "Leoforos Kifisias 44",
			When: time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("EET", 2*3600)), Instructions: "Bring your ID"},
	})
	if err != nil || id != "77" {
		t.Fatalf("Hire = %q, %v", id, err)
	}
	if got, want := compact(t, g.body("POST /v1/employees/hire")), compact(t, readGolden(t, "hire_request.golden.json")); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	_, err = c.Hire(ctx, talenthr.HireParams{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test",
		HireDate: talenthr.NewDate(2026, 3, 1), EmploymentStatusID: "1", SendInvitationEmail: true, IsExisting: true,
		JobRecord: &talenthr.JobRecord{}, CompensationRecord: &talenthr.CompensationRecord{}, HirePacket: &talenthr.HirePacket{}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := compact(t, g.body("POST /v1/employees/hire")), compact(t, readGolden(t, "hire_request_minimal.golden.json")); got != want {
		t.Errorf("minimal body\n got %s\nwant %s", got, want)
	}
}

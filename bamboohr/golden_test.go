package bamboohr

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// goldenServer answers each "METHOD /path" with a testdata file, as JSON.
func goldenServer(t *testing.T, routes map[string]string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readGolden(t, name))
	}))
	t.Cleanup(srv.Close)
	c, err := New("acme", "k", WithBaseURL(srv.URL+"/api/gateway.php/acme/"), WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var cmpValue = cmp.AllowUnexported(Value{})

func TestGoldenGetEmployee(t *testing.T) {
	c := goldenServer(t, map[string]string{"GET /api/gateway.php/acme/v1/employees/8": "employee_get.json"})
	e, err := c.GetEmployee(context.Background(), 8, GetEmployeeParams{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Employee{ID: 8, Fields: map[string]Value{
		"id": String("8"), "firstName": String("Victor"), "lastName": String("Nango"),
		"workEmail": String("api@nango.dev"), "4618": String("Caldwell"), "customLitmosAccess": String("1"),
		"terminationDate": String("0000-00-00"), "supervisorEId": String("9"), "mobilePhone": Value{}, "workPhone": String(""),
	}}
	if diff := cmp.Diff(want, e, cmpValue); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if !e.Get("terminationDate").IsEmpty() || !e.Get("workPhone").IsEmpty() || !e.Get("mobilePhone").IsNull() {
		t.Error("empty values not read as empty")
	}
	if !e.Get("customLitmosAccess").Checked() {
		t.Error("checkbox \"1\" not checked")
	}
}

func TestGoldenCustomReport(t *testing.T) {
	c := goldenServer(t, map[string]string{"POST /api/gateway.php/acme/v1/reports/custom": "report_custom.json"})
	r, err := c.CustomReport(context.Background(), CustomReportParams{Fields: []string{"firstName"}})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID                  int
		Access, Terminated  bool
		Supervisor, PayRate string
	}
	var got []row
	for _, e := range r.Employees {
		d, err := e.Get("terminationDate").Date()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row{e.ID, e.Get("customLitmosAccess").Checked(), !d.IsZero(),
			e.Get("supervisorEId").String(), e.Get("payRate").String()})
	}
	want := []row{
		{4, true, false, "9", "65000.00 USD"},
		{9, false, true, "", ""},
		{10, true, false, "4", "1.00 EUR"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(r.Fields) != 6 || r.Fields[3].Type != "checkbox" || r.Fields[0].ID.String() != "id" {
		t.Errorf("fields = %+v", r.Fields)
	}
}

func TestGoldenChanged(t *testing.T) {
	for _, tt := range []struct {
		file string
		want *Changes
	}{
		{"changed.json", &Changes{Latest: "2026-05-29T14:29:44+00:00", Employees: []Change{
			{ID: 7, Action: "Inserted", LastChanged: time.Date(2026, 5, 29, 14, 22, 45, 0, time.UTC)},
			{ID: 40, Action: "Deleted", LastChanged: time.Date(2026, 5, 28, 10, 0, 0, 0, time.UTC)},
			{ID: 123, Action: "Updated", LastChanged: time.Date(2026, 5, 29, 14, 29, 44, 0, time.UTC)},
		}}},
		{"changed_empty.json", &Changes{Latest: "2026-05-29T14:29:44+00:00"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			c := goldenServer(t, map[string]string{"GET /api/gateway.php/acme/v1/employees/changed": tt.file})
			got, err := c.ChangedEmployees(context.Background(), time.Now(), "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoldenMeta(t *testing.T) {
	c := goldenServer(t, map[string]string{
		"GET /api/gateway.php/acme/v1/meta/fields": "meta_fields.json",
		"GET /api/gateway.php/acme/v1/meta/lists":  "meta_lists.json",
	})
	ctx := context.Background()
	fs, err := c.Fields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID.String()+"="+f.Key())
	}
	if diff := cmp.Diff([]string{"1=firstName", "4340.4=4340.4", "4618=4618", "4623=customLitmosAccess", "-38=terminationDate", "99=oldField"}, ids); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if !fs[5].Deprecated {
		t.Error("deprecated flag lost")
	}
	for name, want := range map[string]string{
		"Litmos Access": "customLitmosAccess", " litmos access ": "customLitmosAccess",
		"Supervisor": "4618", "customLitmosAccess": "customLitmosAccess", "4618": "4618",
	} {
		got, err := c.ResolveField(ctx, name)
		if err != nil || got != want {
			t.Errorf("ResolveField(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := c.ResolveField(ctx, "Shoe Size"); !errors.Is(err, ErrFieldNotFound) {
		t.Errorf("ResolveField(unknown) = %v", err)
	}
	lists, err := c.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []List{
		{ID: 3440, FieldID: "16", Name: "Employment Status", Manageable: true, Options: []ListOption{
			{ID: 18158, Name: "Full-Time"}, {ID: 18159, Name: "Intern", Archived: true}}},
		{ID: 3441, FieldID: "4", Alias: "department", Name: "Department", Multiple: true},
	}
	if diff := cmp.Diff(want, lists); diff != "" {
		t.Errorf("lists (-want +got):\n%s", diff)
	}
}

func TestFindFieldAmbiguous(t *testing.T) {
	fs := []Field{
		{ID: String("1"), Name: "Litmos Access", Type: "text"},
		{ID: String("2"), Name: "Litmos Access", Type: "checkbox"},
		{ID: String("3"), Name: "Badge", Type: "checkbox"},
		{ID: String("4"), Name: "Badge", Type: "checkbox"},
	}
	if f, err := FindField(fs, "Litmos Access"); err != nil || f.Key() != "2" {
		t.Errorf("FindField prefers the checkbox: %v, %v", f, err)
	}
	if _, err := FindField(fs, "badge"); err == nil || errors.Is(err, ErrFieldNotFound) {
		t.Errorf("two checkboxes must be ambiguous, got %v", err)
	}
}

func TestGoldenDataset(t *testing.T) {
	c := goldenServer(t, map[string]string{"POST /api/gateway.php/acme/v2/datasets/employee/data": "dataset_page.json"})
	var emails []string
	for row, err := range c.Dataset(context.Background(), EmployeeDataset, DatasetQuery{Fields: []string{"eeid", "email"}}) {
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, row["eeid"].String()+":"+row["email"].String()+":"+row["customField4623"].String())
	}
	if diff := cmp.Diff([]string{"4:cabbott@example.com:1", "9::0"}, emails); diff != "" {
		t.Error(diff)
	}
}

func TestGoldenLogin(t *testing.T) {
	for _, tt := range []struct {
		file string
		want LoginResult
	}{
		{"login_ok.json", LoginResult{Key: "0123456789abcdef0123456789abcdef01234567", UserID: 1, EmployeeID: ptr(25), APIURL: "https://api.bamboohr.com/api/gateway.php/acme/"}},
		{"login_null_employee.json", LoginResult{Key: "89abcdef0123456789abcdef0123456789abcdef", UserID: 2}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(readGolden(t, tt.file))
			}))
			defer srv.Close()
			got, err := Login(context.Background(), "acme", Credentials{User: "a", Password: "p", ApplicationKey: "ak"},
				WithBaseURL(srv.URL+"/api/"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name      string
		header    http.Header
		body      string
		code, msg string
	}{
		{"usual header", http.Header{"X-Bamboohr-Error-Message": {"Invalid field"}}, "", "", "Invalid field"},
		{"three s typo", http.Header{"X-Bamboohr-Error-Messsage": {"Bad date"}}, "", "", "Bad date"},
		{"spec spelling", http.Header{"X-Bamboohr-Message": {"No access"}}, "", "", "No access"},
		{"problem json", nil, `{"type":"about:blank","title":"Unprocessable","status":422,"detail":"bad filter"}`, "Unprocessable", "bad filter"},
		{"error object", nil, `{"error":{"code":"BadRequest","message":"bad page"}}`, "BadRequest", "bad page"},
		{"errors array", nil, `{"errors":[{"error":"Invalid request body","issues":[]}]}`, "", "Invalid request body"},
		{"errors object", nil, `{"errors":{"error":"You do not have access to webhook ID: 6"}}`, "", "You do not have access to webhook ID: 6"},
		{"plain text", nil, "Web hook search timed out", "", "Web hook search timed out"},
		{"xml", nil, "<error>x</error>", "", ""},
		{"empty", nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := decodeError(&http.Response{Header: tt.header}, []byte(tt.body))
			if code != tt.code || msg != tt.msg {
				t.Errorf("decodeError = %q, %q; want %q, %q", code, msg, tt.code, tt.msg)
			}
		})
	}
}

func TestIDFromLocation(t *testing.T) {
	for loc, want := range map[string]int{
		"https://acme.bamboohr.com/api/v1/employees/121":                  121,
		"https://api.bamboohr.com/api/gateway.php/acme/v1/employees/121":  121,
		"https://api.bamboohr.com/api/gateway.php/acme/v1/employees/121/": 121,
		"https://acme.bamboohr.com/employees/employee.php?id=77":          77,
		"/v1/employees/5": 5,
		"":                0, "https://x/employees/abc": 0, "https://x/employees/-1": 0,
	} {
		got, err := idFromLocation(loc)
		if got != want || (want == 0) != (err != nil) {
			t.Errorf("idFromLocation(%q) = %d, %v; want %d", loc, got, err, want)
		}
	}
}

// One unreadable entry of employees/changed must not stop the others (or
// stall an incremental sync on the same cursor forever).
func TestChangedSkipsBadEntries(t *testing.T) {
	raw := changesJSON{Latest: "2026-05-29T14:29:44+00:00",
		Raw: []byte(`{"5":{"id":"5","action":"Updated"},"x":{"action":"Updated"},"7":"oops","9":{"action":"Deleted"}}`)}
	got, err := raw.decode()
	if err != nil {
		t.Fatal(err)
	}
	want := &Changes{Latest: raw.Latest, Employees: []Change{{ID: 5, Action: "Updated"}, {ID: 9, Action: "Deleted"}}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Changes{}, "Skipped")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(got.Skipped) != 2 || !strings.HasPrefix(got.Skipped[0], `entry "7": `) || got.Skipped[1] != `entry "x" has no employee id` {
		t.Errorf("Skipped = %q", got.Skipped)
	}
}

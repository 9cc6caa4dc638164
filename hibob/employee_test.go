package hibob_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
)

func readGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func goldenEmployee(t *testing.T, name string) *hibob.Employee {
	t.Helper()
	var e hibob.Employee
	if err := json.Unmarshal(readGolden(t, name), &e); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &e
}

// Field reads both response shapes: slash keys with {"value"} and nested
// category objects, root fields at the top level.
func TestEmployeeFieldBothShapes(t *testing.T) {
	tests := []struct {
		file, field, want string
	}{
		// docs APPEND example: slash keys and nested, humanReadable apart
		{"people_read_append.json", "root.id", "2128438031986721630"},
		{"people_read_append.json", "root.fullName", "Alan Tullins"},
		{"people_read_append.json", "work.department", "209192163"},
		{"people_read_append.json", "root.creationDate", "2019-09-08"},
		// live shape: slash keys only for non-null values
		{"people_read_live.json", "root.email", "ada.lovelace@example.com"},
		{"people_read_live.json", "work.siteId", "2118671"},
		{"people_read_live.json", "work.title", ""},
		{"people_read_live.json", "work.reportsTo.id", "3332883804594373380"},
		{"people_read_live.json", "work.reportsTo.email", "grace.hopper@example.com"},
		{"people_read_live.json", "work.custom.field_1698036945383", "Platform"},
		{"people_read_live.json", "home.mobilePhone", ""},
		{"people_read_live.json", "work.nope", ""},
		// slash keys only: a nested path inside a slash key, and custom fields
		{"people_read_slash_only.json", "root.id", "3332883854254932743"},
		{"people_read_slash_only.json", "work.reportsTo.id", "3332883804594373380"},
		{"people_read_slash_only.json", "payroll.custom.field_1694738605040", "42"},
		{"people_read_slash_only.json", "/work/department", "216874211"},
		{"people_read_slash_only.json", "", ""},
		{"people_read_slash_only.json", "work..title", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.field, func(t *testing.T) {
			if got := goldenEmployee(t, tt.file).Field(tt.field).String(); got != tt.want {
				t.Errorf("Field(%q) = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

// Has tells a field sent as null (empty) from one left out (hidden from
// the service user, or unknown).
func TestEmployeeHas(t *testing.T) {
	e := goldenEmployee(t, "people_read_live.json")
	for field, want := range map[string]bool{
		"root.email":                      true,  // slash and nested
		"work.title":                      true,  // nested null: empty, not hidden
		"internal.terminationDate":        true,  // nested null
		"home.mobilePhone":                true,  // nested null
		"work.reportsTo.id":               true,  // inside an object
		"work.custom.field_1698036945383": true,  // custom, slash key
		"root.surname":                    false, // not in the answer
		"internal.lifecycleStatus":        false, // category present, field left out
		"payroll.salary":                  false, // category left out
		"work.title.id":                   false, // below a null
		"":                                false,
	} {
		if got := e.Has(field); got != want {
			t.Errorf("Has(%q) = %v, want %v", field, got, want)
		}
	}
}

func TestEmployeeHumanAndDisplay(t *testing.T) {
	e := goldenEmployee(t, "people_read_append.json")
	if got := e.Human("work.department"); got != "Account Receivables" {
		t.Errorf("Human(work.department) = %q", got)
	}
	if got := e.Human("root.creationDate"); got != "08/09/2019" {
		t.Errorf("Human(root.creationDate) = %q", got)
	}
	if got, want := e.Department(), "Account Receivables"; got != want {
		t.Errorf("Department() = %q, want %q", got, want)
	}
	if got := e.DepartmentID(); got != "209192163" {
		t.Errorf("DepartmentID() = %q", got)
	}
	live := goldenEmployee(t, "people_read_live.json")
	if got := live.Display("work.siteId"); got != "2118671" {
		t.Errorf("Display without humanReadable = %q, want the machine value", got)
	}
}

func TestEmployeeAccessors(t *testing.T) {
	type got struct {
		ID, Email, First, Display, Site, SiteID, Manager, Status string
		Active                                                   bool
		Start, Term                                              time.Time
	}
	read := func(e *hibob.Employee) got {
		start, err := e.StartDate()
		if err != nil {
			t.Fatal(err)
		}
		term, err := e.TerminationDate()
		if err != nil {
			t.Fatal(err)
		}
		return got{e.ID(), e.Email(), e.FirstName(), e.DisplayName(), e.Site(), e.SiteID(), e.ManagerID(), e.Status(), e.Active(), start, term}
	}
	tests := []struct {
		file string
		want got
	}{
		{"people_read_live.json", got{ID: "3980342332732998349", Email: "ada.lovelace@example.com", First: "Ada",
			Display: "Ada Lovelace", Site: "London (Demo)", SiteID: "2118671", Manager: "3332883804594373380",
			Status: "Active", Active: true, Start: date(2026, 9, 6)}},
		{"people_read_slash_only.json", got{ID: "3332883854254932743", Email: "mary.jackson@example.com",
			Manager: "3332883804594373380", Status: "Inactive", Term: date(2026, 1, 15)}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, read(goldenEmployee(t, tt.file))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmployeeCustomAndRoundTrip(t *testing.T) {
	e := goldenEmployee(t, "people_read_live.json")
	custom := map[string][]string{}
	for k, v := range e.Custom("work") {
		custom[k] = v.Strings()
	}
	want := map[string][]string{"field_1698036945383": {"Platform"}, "field_1700000000001": {"a", "b"}}
	if diff := cmp.Diff(want, custom); diff != "" {
		t.Errorf("Custom(work) (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back hibob.Employee
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e.Raw(), back.Raw(), rawEqual); diff != "" {
		t.Errorf("round trip lost keys (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`["not", "an", "employee"]`), &back); err == nil {
		t.Error("an array decoded as an employee")
	}
}

func TestEmployeeBadDate(t *testing.T) {
	var e hibob.Employee
	if err := json.Unmarshal([]byte(`{"id":"1","work":{"startDate":"01/09/2025"}}`), &e); err != nil {
		t.Fatal(err)
	}
	if _, err := e.StartDate(); err == nil {
		t.Error("a display-form date parsed as a machine date")
	}
}

// rawEqual compares JSON by value, not formatting.
var rawEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && cmp.Equal(x, y)
})

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseDateAndTime(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "2025-09-01", want: date(2025, 9, 1)},
		{in: " 2025-09-01 ", want: date(2025, 9, 1)},
		{in: "2025-01-08T13:06:26.915906", want: date(2025, 1, 8)},
		{in: "2025-01-08T23:06:26+02:00", want: date(2025, 1, 8)},
		{in: "01/09/2025", wantErr: true},
		{in: "", wantErr: true},
		{in: "2025-02-30", wantErr: true},
	}
	for _, tt := range tests {
		got, err := hibob.ParseDate(tt.in)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	ts, err := hibob.ParseTime("2025-01-08T13:06:26.915906")
	if want := time.Date(2025, 1, 8, 13, 6, 26, 915906000, time.UTC); err != nil || !ts.Equal(want) {
		t.Errorf("ParseTime = %v, %v; want %v", ts, err, want)
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		raw     string
		str     string
		strs    []string
		null    bool
		boolean bool
		isBool  bool
	}{
		{raw: `"x"`, str: "x", strs: []string{"x"}},
		{raw: `3332883854254932743`, str: "3332883854254932743", strs: []string{"3332883854254932743"}},
		{raw: `null`, null: true},
		{raw: ``, null: true},
		{raw: `true`, str: "true", strs: []string{"true"}, boolean: true, isBool: true},
		{raw: `[1, "b"]`, str: `[1,"b"]`, strs: []string{"1", "b"}},
		{raw: `{"id": "7"}`, str: `{"id":"7"}`, strs: []string{`{"id":"7"}`}},
	}
	for _, tt := range tests {
		v := hibob.RawValue(json.RawMessage(tt.raw))
		b, ok := v.Bool()
		if v.String() != tt.str || v.IsNull() != tt.null || !cmp.Equal(v.Strings(), tt.strs) || b != tt.boolean || ok != tt.isBool {
			t.Errorf("Value(%s) = %q null=%v strs=%q bool=%v,%v", tt.raw, v.String(), v.IsNull(), v.Strings(), b, ok)
		}
	}
}

package bamboohr_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
)

var ctx = context.Background()

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name, sub, key string
		opts           []bamboohr.Option
		want           string
	}{
		{name: "empty subdomain", sub: "", key: "k", want: "subdomain"},
		{name: "host in subdomain", sub: "evil.com/x", key: "k", want: "subdomain"},
		{name: "empty key", sub: "acme", key: "", want: "API key is empty"},
		{name: "colon in key", sub: "acme", key: "a:b", want: "colon"},
		{name: "relative base", sub: "acme", key: "k", opts: []bamboohr.Option{bamboohr.WithBaseURL("/api/")}, want: "absolute"},
		{name: "nil client", sub: "acme", key: "k", opts: []bamboohr.Option{bamboohr.WithHTTPClient(nil)}, want: "nil"},
		{name: "bad limit", sub: "acme", key: "k", opts: []bamboohr.Option{bamboohr.WithRateLimit(bamboohr.Limit{Requests: 1})}, want: "rate limit"},
		{name: "newline UA", sub: "acme", key: "k", opts: []bamboohr.Option{bamboohr.WithUserAgent("a\nb")}, want: "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bamboohr.New(tt.sub, tt.key, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := bamboohr.New("acme", "k"); err != nil {
		t.Fatalf("valid New: %v", err)
	}
}

func TestBaseURLs(t *testing.T) {
	if got := bamboohr.DefaultBaseURL("acme"); got != "https://acme.bamboohr.com/api/" {
		t.Errorf("DefaultBaseURL = %q", got)
	}
	if got := bamboohr.GatewayBaseURL("acme"); got != "https://api.bamboohr.com/api/gateway.php/acme/" {
		t.Errorf("GatewayBaseURL = %q", got)
	}
}

func TestRequestHeaders(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	id := srv.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima"})
	c := srv.NewClient(t, bamboohr.WithUserAgent("acme-sync/1.0"))
	if _, err := c.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CustomReport(ctx, bamboohr.CustomReportParams{Fields: []string{"firstName"}}); err != nil {
		t.Fatal(err)
	}
	entries := srv.Log().Entries()
	if len(entries) != 2 {
		t.Fatalf("%d requests, want 2", len(entries))
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(bamboohrtest.DefaultAPIKey+":x"))
	for _, e := range entries {
		if got := e.Header.Get("Authorization"); got != wantAuth {
			t.Errorf("%s %s: Authorization = %q", e.Method, e.Path, got)
		}
		if got := e.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept = %q", e.Method, e.Path, got)
		}
		if got := e.Header.Get("User-Agent"); got != "acme-sync/1.0" {
			t.Errorf("User-Agent = %q", got)
		}
	}
	if ct := entries[0].Header.Get("Content-Type"); ct != "" {
		t.Errorf("GET sent Content-Type %q", ct)
	}
	if ct := entries[1].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("report Content-Type = %q, want exactly application/json", ct)
	}
	if got := entries[1].Query.Get("format"); got != "JSON" {
		t.Errorf("report format = %q", got)
	}
}

func TestGetEmployee(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	e, err := c.GetEmployee(ctx, ids["engineer"], bamboohr.GetEmployeeParams{
		Fields: []string{"firstName", "workEmail", "terminationDate", "supervisorEId", "supervisorId", bamboohrtest.LitmosAccessAlias, bamboohrtest.SupervisorTextID},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, v := range e.Fields {
		got[k] = v.String()
	}
	want := map[string]string{
		"id": itoa(ids["engineer"]), "firstName": "Christopher", "workEmail": "cgarcia@example.com",
		"terminationDate": "0000-00-00", "supervisorEId": itoa(ids["eng_manager"]), "supervisorId": "",
		bamboohrtest.LitmosAccessAlias: "1", bamboohrtest.SupervisorTextID: "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if e.ID != ids["engineer"] || !e.Get("terminationDate").IsEmpty() || !e.Get(bamboohrtest.LitmosAccessAlias).Checked() {
		t.Errorf("employee %+v", e)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestGetEmployeeErrors(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	id := srv.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@example.com"})
	hidden := srv.AddEmployee(map[string]string{"firstName": "Bo", "lastName": "Ng"})
	srv.AddKey("limitedkey", bamboohrtest.Key{HiddenFields: []string{"workEmail"}, HiddenEmployees: []int{hidden}})
	limited, err := bamboohr.New(srv.Subdomain, "limitedkey", bamboohr.WithBaseURL(srv.BaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := bamboohr.New(srv.Subdomain, "wrongkey", bamboohr.WithBaseURL(srv.BaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	c := srv.NewClient(t)
	tests := []struct {
		name   string
		client *bamboohr.Client
		id     int
		fields []string
		want   error
		status int
	}{
		{name: "no such employee", client: c, id: 999, want: bamboohr.ErrNotFound, status: 404},
		{name: "hidden employee", client: limited, id: hidden, want: bamboohr.ErrForbidden, status: 403},
		{name: "wrong key", client: wrong, id: id, want: bamboohr.ErrUnauthorized, status: 401},
		{name: "unknown field", client: c, id: id, fields: []string{"shoeSize"}, status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.client.GetEmployee(ctx, tt.id, bamboohr.GetEmployeeParams{Fields: tt.fields})
			var apiErr *bamboohr.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
				t.Fatalf("err = %v, want APIError %d", err, tt.status)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.want)
			}
		})
	}
	t.Run("message from header", func(t *testing.T) {
		_, err := c.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{Fields: []string{"shoeSize"}})
		if err == nil || !strings.Contains(err.Error(), `Unknown field "shoeSize"`) {
			t.Errorf("err = %v, want the X-BambooHR-Error-Message text", err)
		}
	})
	t.Run("hidden field omitted", func(t *testing.T) {
		e, err := limited.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{Fields: []string{"firstName", "workEmail"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := e.Fields["workEmail"]; ok || e.Get("firstName").String() != "Ana" {
			t.Errorf("fields = %v, want workEmail left out", e.Fields)
		}
	})
	t.Run("too many fields", func(t *testing.T) {
		many := make([]string, bamboohr.MaxFields+1)
		for i := range many {
			many[i] = "firstName"
		}
		before := len(srv.Log().Entries())
		if _, err := c.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{Fields: many}); err == nil {
			t.Error("no error for 401 fields")
		}
		if len(srv.Log().Entries()) != before {
			t.Error("request sent despite too many fields")
		}
	})
}

func TestGatewayShape(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t, bamboohr.WithBaseURL(srv.GatewayURL()))
	id, err := c.AddEmployee(ctx, map[string]string{"firstName": "Gia", "lastName": "Way"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Employee(id); !ok {
		t.Fatalf("employee %d not stored", id)
	}
	e := srv.Log().Entries()[0]
	if e.Path != "/api/gateway.php/acme/v1/employees" {
		t.Errorf("path = %q", e.Path)
	}
	got, err := c.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{})
	if err != nil || got.Get("firstName").String() != "Gia" {
		t.Errorf("GetEmployee through gateway = %v, %v", got, err)
	}
}

func TestAddAndUpdateEmployee(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	id, err := c.AddEmployee(ctx, map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@example.com", bamboohrtest.LitmosAccessAlias: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Employee(id)
	if stored["workEmail"] != "ana@example.com" || stored[bamboohrtest.LitmosAccessAlias] != "yes" {
		t.Errorf("stored = %v", stored)
	}
	if _, err := c.AddEmployee(ctx, map[string]string{"firstName": "Dup", "lastName": "X", "workEmail": "ANA@example.com"}); !errors.Is(err, bamboohr.ErrConflict) {
		t.Errorf("duplicate email: %v, want ErrConflict", err)
	}
	if _, err := c.AddEmployee(ctx, map[string]string{"firstName": "No"}); err == nil {
		t.Error("missing lastName accepted")
	}
	if err := c.UpdateEmployee(ctx, id, map[string]string{"jobTitle": "Engineer", bamboohrtest.LitmosAccessAlias: "no"}); err != nil {
		t.Fatal(err)
	}
	stored, _ = srv.Employee(id)
	if stored["jobTitle"] != "Engineer" || stored[bamboohrtest.LitmosAccessAlias] != "no" {
		t.Errorf("after update = %v", stored)
	}
	var apiErr *bamboohr.APIError
	if err := c.UpdateEmployee(ctx, id, map[string]string{"terminationDate": "2026-01-01"}); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("read-only update: %v, want 400", err)
	}
	if err := c.UpdateEmployee(ctx, 9999, map[string]string{"jobTitle": "x"}); !errors.Is(err, bamboohr.ErrNotFound) {
		t.Errorf("update missing: %v", err)
	}
}

func TestAddEmployeeOutcomeUnknown(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(bamboohrtest.Fault{Method: "POST", Path: "/api/v1/employees", Times: 1, ApplyThenDrop: true})
	_, err := c.AddEmployee(ctx, map[string]string{"firstName": "Ana", "lastName": "Lima"})
	if !errors.Is(err, bamboohr.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n := len(srv.EmployeeIDs()); n != 1 {
		t.Fatalf("%d employees, want exactly 1 (applied once, never retried)", n)
	}
}

func TestRetriesAndRateLimits(t *testing.T) {
	tests := []struct {
		name     string
		fault    bamboohrtest.Fault
		wantErr  error
		attempts int
	}{
		{name: "429 then ok", fault: bamboohrtest.Fault{Status: 429, RetryAfter: "0", Times: 1}, attempts: 2},
		{name: "503 with Retry-After then ok", fault: bamboohrtest.Fault{Status: 503, RetryAfter: "0", Times: 1}, attempts: 2},
		{name: "429 always", fault: bamboohrtest.Fault{Status: 429, RetryAfter: "0"}, wantErr: bamboohr.ErrRateLimited, attempts: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bamboohrtest.NewServer(t)
			c := srv.NewClient(t)
			srv.AddFault(tt.fault)
			_, err := c.Fields(ctx)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if n := len(srv.Log().Entries()); n != tt.attempts {
				t.Errorf("%d attempts, want %d", n, tt.attempts)
			}
		})
	}
}

func TestServerRateLimit(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	srv.SetRateLimit(bamboohrtest.RateLimit{Requests: 1, Per: time.Minute, RetryAfter: time.Second})
	c := srv.NewClient(t, bamboohr.WithRetry(bamboohr.RetryPolicy{MaxRetries: -1}))
	if _, err := c.Fields(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := c.Fields(ctx)
	var apiErr *bamboohr.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.RetryAfter != time.Second {
		t.Fatalf("err = %#v, want 429 with Retry-After 1s", err)
	}
}

func TestNotJSON(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(bamboohrtest.Fault{Status: 200, Body: `<?xml version="1.0"?><fields/>`})
	_, err := c.Fields(ctx)
	if err == nil || !strings.Contains(err.Error(), "XML") {
		t.Fatalf("err = %v, want one naming XML", err)
	}
}

// An empty 200 where JSON was asked for is an error, not an empty answer.
func TestEmptyJSONReply(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(bamboohrtest.Fault{Status: 200})
	fs, err := c.Fields(ctx)
	if err == nil || !strings.Contains(err.Error(), "empty response body") {
		t.Fatalf("Fields() = %v, %v; want an error naming the empty body", fs, err)
	}
}

func TestChangedEmployees(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := t0
	srv.SetClock(func() time.Time { return now })
	a := srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "A"})
	b := srv.AddEmployee(map[string]string{"firstName": "B", "lastName": "B"})
	gone := srv.AddEmployee(map[string]string{"firstName": "C", "lastName": "C"})
	c := srv.NewClient(t)

	now = t0.Add(time.Hour)
	empty, err := c.ChangedEmployees(ctx, t0.Add(time.Minute), bamboohr.ChangedAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.Employees) != 0 || empty.Latest == "" {
		t.Fatalf("no changes: %+v", empty)
	}
	since := now
	now = now.Add(time.Minute)
	srv.SetField(a, "jobTitle", "Engineer")
	srv.Terminate(b, "2026-06-01")
	srv.DeleteEmployee(gone)
	added := srv.AddEmployee(map[string]string{"firstName": "D", "lastName": "D"})
	got, err := c.ChangedEmployees(ctx, since, bamboohr.ChangedAll)
	if err != nil {
		t.Fatal(err)
	}
	want := []bamboohr.Change{
		{ID: a, Action: "Updated", LastChanged: now}, {ID: b, Action: "Updated", LastChanged: now},
		{ID: gone, Action: "Deleted", LastChanged: now}, {ID: added, Action: "Inserted", LastChanged: now},
	}
	if diff := cmp.Diff(want, got.Employees); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if q := srv.Log().Entries()[1].Query.Get("since"); q != "2026-06-01T10:00:00Z" {
		t.Errorf("since sent as %q", q)
	}
	ins, err := c.ChangedEmployees(ctx, since, bamboohr.ChangedInserted)
	if err != nil || len(ins.Employees) != 1 || ins.Employees[0].ID != added {
		t.Errorf("inserted only = %+v, %v", ins, err)
	}
	if _, err := c.ChangedEmployees(ctx, time.Time{}, ""); err == nil {
		t.Error("zero since accepted")
	}
}

func TestCustomReport(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := t0
	srv.SetClock(func() time.Time { return now })
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	r, err := c.CustomReport(ctx, bamboohr.CustomReportParams{Fields: []string{"firstName", "status", "noSuchField", "supervisor"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Employees) != len(ids) {
		t.Errorf("%d employees, want all %d (Active and Inactive)", len(r.Employees), len(ids))
	}
	var cols []string
	for _, f := range r.Fields {
		cols = append(cols, f.ID.String())
	}
	if diff := cmp.Diff([]string{"id", "firstName", "status", "supervisor"}, cols); diff != "" {
		t.Errorf("columns: unknown field must vanish (-want +got):\n%s", diff)
	}
	for _, e := range r.Employees {
		if e.ID == ids["engineer"] && e.Get("supervisor").String() != "Abbott, Charlotte" {
			t.Errorf("supervisor = %q", e.Get("supervisor"))
		}
	}
	now = t0.Add(time.Hour)
	srv.SetField(ids["engineer"], "city", "Provo")
	r, err = c.CustomReport(ctx, bamboohr.CustomReportParams{Fields: []string{"city"}, ChangedSince: t0.Add(time.Minute)})
	if err != nil || len(r.Employees) != 1 || r.Employees[0].ID != ids["engineer"] {
		t.Errorf("changed since = %+v, %v", r, err)
	}
	r, err = c.CustomReport(ctx, bamboohr.CustomReportParams{Fields: []string{"city"}, EmployeeIDs: []int{ids["ceo"], ids["no_access"]}})
	if err != nil || len(r.Employees) != 2 {
		t.Errorf("by ids = %+v, %v", r, err)
	}
}

func TestDatasets(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	q := bamboohr.DatasetQuery{Fields: []string{"eeid", "email", "customField" + bamboohrtest.LitmosAccessID}, PageSize: 3}
	var got []string
	for row, err := range c.Dataset(ctx, bamboohr.EmployeeDataset, q) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row["eeid"].String())
	}
	if len(got) != len(ids) {
		t.Errorf("rows %v, want %d", got, len(ids))
	}
	if n := srv.Log().Count(func(e bamboohrtest.Entry) bool { return strings.HasSuffix(e.Path, "/data") }); n != 3 {
		t.Errorf("%d pages read, want 3", n)
	}
	q.Filter = "status eq 'Inactive'"
	p, err := c.DatasetPage(ctx, bamboohr.EmployeeDataset, q, 1)
	if err != nil || len(p.Rows) != 1 || p.Rows[0]["eeid"].String() != itoa(ids["terminated"]) || p.HasNext {
		t.Errorf("filtered page = %+v, %v", p, err)
	}
	q.Fields = []string{"workEmail"} // a classic alias, not a dataset name
	if _, err := c.DatasetPage(ctx, bamboohr.EmployeeDataset, q, 1); err == nil || !strings.Contains(err.Error(), "Unknown field") {
		t.Errorf("classic alias in datasets: %v, want problem+json detail", err)
	}
	fs, err := c.DatasetFields(ctx, bamboohr.EmployeeDataset)
	if err != nil || len(fs) < 20 {
		t.Errorf("dataset fields = %d, %v", len(fs), err)
	}
}

func TestMeta(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	key, err := c.ResolveField(ctx, "Litmos Access")
	if err != nil || key != bamboohrtest.LitmosAccessAlias {
		t.Errorf("ResolveField = %q, %v", key, err)
	}
	key, err = c.ResolveField(ctx, "Supervisor")
	if err != nil || key != bamboohrtest.SupervisorTextID {
		t.Errorf("ResolveField(no alias) = %q, %v", key, err)
	}
	srv.AddKey("nolitmos", bamboohrtest.Key{HiddenFields: []string{bamboohrtest.LitmosAccessAlias}})
	limited, _ := bamboohr.New(srv.Subdomain, "nolitmos", bamboohr.WithBaseURL(srv.BaseURL()))
	if _, err := limited.ResolveField(ctx, "Litmos Access"); !errors.Is(err, bamboohr.ErrFieldNotFound) {
		t.Errorf("hidden field resolved: %v", err)
	}
	lists, err := c.Lists(ctx)
	if err != nil || len(lists) == 0 || lists[0].FieldID != "16" || !lists[0].Manageable {
		t.Errorf("Lists = %+v, %v", lists, err)
	}
}

func TestFakeAnswersXMLWithoutAccept(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	req, _ := http.NewRequest(http.MethodGet, srv.BaseURL()+"v1/meta/fields", nil)
	req.SetBasicAuth(bamboohrtest.DefaultAPIKey, "x")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("Content-Type = %q, want XML without Accept", ct)
	}
	req, _ = http.NewRequest(http.MethodPost, srv.BaseURL()+"v1/reports/custom", strings.NewReader(`{"fields":["id"]}`))
	req.SetBasicAuth(bamboohrtest.DefaultAPIKey, "x")
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Content-Type", "application/json")
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("report with Accept */* and no format = %d, want 404", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodPost, srv.BaseURL()+"v1/reports/custom?format=JSON", strings.NewReader(`{"fields":["id"]}`))
	req.SetBasicAuth(bamboohrtest.DefaultAPIKey, "x")
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("X-BambooHR-Error-Message") != "Malformed XML" {
		t.Errorf("charset Content-Type = %d %q, want 400 Malformed XML", resp.StatusCode, resp.Header.Get("X-BambooHR-Error-Message"))
	}
}

// Reports and updates are POSTs that are safe to repeat: a lost reply is retried.
func TestRetrySafePosts(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	id := srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "B"})
	c := srv.NewClient(t)
	srv.AddFault(bamboohrtest.Fault{Method: "POST", Path: "/api/v1/reports/custom", Times: 1, Drop: true})
	if _, err := c.CustomReport(ctx, bamboohr.CustomReportParams{Fields: []string{"firstName"}}); err != nil {
		t.Errorf("report after a dropped connection: %v", err)
	}
	srv.AddFault(bamboohrtest.Fault{Method: "POST", Path: "/api/v1/employees/*", Times: 1, ApplyThenDrop: true})
	if err := c.UpdateEmployee(ctx, id, map[string]string{"city": "Provo"}); err != nil {
		t.Errorf("update after a lost reply: %v", err)
	}
	if n := srv.Log().Count(bamboohrtest.IsWrite); n != 4 {
		t.Errorf("%d POSTs, want 4 (two attempts each)", n)
	}
}

// On add, a 429 without Retry-After is the legacy "employee limit reached"
// (https://documentation.bamboohr.com/docs/api-details), not rate limiting;
// with Retry-After it is rate limiting.
func TestAddEmployeeLimit(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		want, not  error
	}{
		{name: "no Retry-After", want: bamboohr.ErrEmployeeLimit, not: bamboohr.ErrRateLimited},
		{name: "Retry-After", retryAfter: "1", want: bamboohr.ErrRateLimited, not: bamboohr.ErrEmployeeLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bamboohrtest.NewServer(t)
			c := srv.NewClient(t)
			srv.AddFault(bamboohrtest.Fault{Method: "POST", Path: "/api/v1/employees", Status: 429, RetryAfter: tt.retryAfter})
			_, err := c.AddEmployee(ctx, map[string]string{"firstName": "Ana", "lastName": "Lima"})
			if !errors.Is(err, tt.want) || errors.Is(err, tt.not) {
				t.Fatalf("err = %v, want errors.Is %v and not %v", err, tt.want, tt.not)
			}
			var apiErr *bamboohr.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
				t.Errorf("errors.As APIError = %v", apiErr)
			}
			if errors.Is(err, bamboohr.ErrOutcomeUnknown) {
				t.Error("a 429 was not applied: outcome is known")
			}
		})
	}
}

// Every call sends Basic key:x, Accept: application/json, and
// Content-Type: application/json exactly when it has a body
// (https://documentation.bamboohr.com/reference/request-custom-report).
func TestEveryCallHeaders(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	id := srv.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima"})
	c := srv.NewClient(t)
	calls := map[string]func() error{
		"GetEmployee": func() error { _, err := c.GetEmployee(ctx, id, bamboohr.GetEmployeeParams{}); return err },
		"AddEmployee": func() error {
			_, err := c.AddEmployee(ctx, map[string]string{"firstName": "B", "lastName": "C"})
			return err
		},
		"UpdateEmployee": func() error { return c.UpdateEmployee(ctx, id, map[string]string{"city": "Provo"}) },
		"Changed":        func() error { _, err := c.ChangedEmployees(ctx, time.Now().Add(-time.Hour), ""); return err },
		"CustomReport":   func() error { _, err := c.CustomReport(ctx, bamboohr.CustomReportParams{}); return err },
		"DatasetPage": func() error {
			_, err := c.DatasetPage(ctx, bamboohr.EmployeeDataset, bamboohr.DatasetQuery{Fields: []string{"eeid"}}, 1)
			return err
		},
		"DatasetFields": func() error { _, err := c.DatasetFields(ctx, bamboohr.EmployeeDataset); return err },
		"Fields":        func() error { _, err := c.Fields(ctx); return err },
		"Lists":         func() error { _, err := c.Lists(ctx); return err },
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(bamboohrtest.DefaultAPIKey+":x"))
	for name, call := range calls {
		srv.Log().Reset()
		if err := call(); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		entries := srv.Log().Entries()
		if len(entries) != 1 {
			t.Errorf("%s: %d requests, want 1", name, len(entries))
			continue
		}
		e := entries[0]
		wantCT := ""
		if len(e.Body) > 0 {
			wantCT = "application/json"
		}
		if e.Header.Get("Authorization") != wantAuth || e.Header.Get("Accept") != "application/json" ||
			e.Header.Get("Content-Type") != wantCT || len(e.Header.Values("Content-Type")) > 1 {
			t.Errorf("%s %s %s: Authorization %q, Accept %q, Content-Type %q (want %q)", name, e.Method, e.Path,
				e.Header.Get("Authorization"), e.Header.Get("Accept"), e.Header.Get("Content-Type"), wantCT)
		}
	}
}

// The custom report request exactly as
// https://documentation.bamboohr.com/reference/request-custom-report documents it.
func TestCustomReportRequestShape(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	since := time.Date(2026, 1, 1, 2, 0, 0, 0, time.FixedZone("", 2*3600))
	if _, err := c.CustomReport(ctx, bamboohr.CustomReportParams{
		Fields: []string{"firstName", bamboohrtest.SupervisorTextID}, ChangedSince: since, EmployeeIDs: []int{4, 5},
	}); err != nil {
		t.Fatal(err)
	}
	e := srv.Log().Entries()[0]
	if e.Method != "POST" || e.Path != "/api/v1/reports/custom" {
		t.Errorf("request %s %s", e.Method, e.Path)
	}
	if diff := cmp.Diff(map[string][]string{"format": {"JSON"}, "onlyCurrent": {"true"}}, map[string][]string(e.Query)); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	want := `{"title":"rostersync","fields":["id","firstName","4618"],` +
		`"filters":{"lastChanged":{"value":"2026-01-01T00:00:00Z","includeNull":"no"},"employeeIds":[4,5]}}`
	if got := string(e.Body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	srv.Log().Reset()
	if _, err := c.CustomReport(ctx, bamboohr.CustomReportParams{Fields: []string{"id"}, IncludeFuture: true}); err != nil {
		t.Fatal(err)
	}
	e = srv.Log().Entries()[0]
	if e.Query.Get("onlyCurrent") != "false" || string(e.Body) != `{"title":"rostersync","fields":["id"]}` {
		t.Errorf("IncludeFuture: query %v body %s", e.Query, e.Body)
	}
}

// Since 2026-09-16 503 means unavailable, not rate limited
// (https://documentation.bamboohr.com/docs/planned-changes-to-the-api).
// A read retries it; an add without Retry-After may have been applied, so
// it is not resent.
func Test503Semantics(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(bamboohrtest.Fault{Path: "/api/v1/meta/fields", Status: 503})
	_, err := c.Fields(ctx)
	var apiErr *bamboohr.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || errors.Is(err, bamboohr.ErrRateLimited) {
		t.Errorf("read 503 = %v, want APIError 503 that is not ErrRateLimited", err)
	}
	if n := len(srv.Log().Entries()); n != 3 {
		t.Errorf("read 503: %d attempts, want 3 (retried)", n)
	}
	srv.Log().Reset()
	srv.AddFault(bamboohrtest.Fault{Method: "POST", Path: "/api/v1/employees", Status: 503})
	_, err = c.AddEmployee(ctx, map[string]string{"firstName": "A", "lastName": "B"})
	if !errors.Is(err, bamboohr.ErrOutcomeUnknown) || errors.Is(err, bamboohr.ErrRateLimited) {
		t.Errorf("add 503 = %v, want ErrOutcomeUnknown", err)
	}
	if n := srv.Log().Count(bamboohrtest.IsWrite); n != 1 {
		t.Errorf("add 503: %d attempts, want 1 (never resent)", n)
	}
}

package talenthr_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func TestNewRefusesBadArguments(t *testing.T) {
	const secretish = "thr_live_0123456789abcdef"
	tests := []struct {
		name string
		key  string
		opts []talenthr.Option
		want string
	}{
		{"empty key", "", nil, "API key is empty"},
		{"colon in key", secretish + ":x", nil, "colon or whitespace"},
		{"newline in key", secretish + "\n", nil, "colon or whitespace"},
		{"relative base URL", secretish, []talenthr.Option{talenthr.WithBaseURL("pubapi.talenthr.io/v1")}, "not an absolute http(s) URL"},
		{"nil HTTP client", secretish, []talenthr.Option{talenthr.WithHTTPClient(nil)}, "nil *http.Client"},
		{"negative limit", secretish, []talenthr.Option{talenthr.WithRateLimit(talenthr.Limit{Requests: -1})}, "rate limit"},
		{"user agent with a line break", secretish, []talenthr.Option{talenthr.WithUserAgent("a\nb")}, "line break"},
		{"MinWait over MaxWait", secretish, []talenthr.Option{talenthr.WithRetry(talenthr.RetryPolicy{MinWait: 2, MaxWait: 1})}, "MinWait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := talenthr.New(tt.key, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "0123456789abcdef") {
				t.Errorf("the key leaked: %v", err)
			}
		})
	}
}

// TestEveryRequestCarriesAuthAndAccept: Basic auth with the key as user
// name, Accept JSON on every call, JSON Content-Type on every write, all
// under the /v1 base path.
func TestEveryRequestCarriesAuthAndAccept(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	lk := c.NewLookups()
	placement, err := lk.ResolvePlacement(ctx, talenthr.Placement{EmploymentStatus: "Full-Time", Department: "Research"}, talenthr.ResolveOptions{CreateMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	p := talenthr.HireParams{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test", HireDate: talenthr.NewDate(2026, 3, 1)}
	p.SetPlacement(placement)
	id, err := c.Hire(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		c.UpdateEmployee(ctx, id, talenthr.UpdateEmployeeParams{City: talenthr.Set("London")}),
		errOf(c.GetEmployee(ctx, ids["engineer"])),
		errOf(c.GetJobInfo(ctx, ids["engineer"])),
		errOf(c.ListCustomFields(ctx, ids["engineer"])),
		errOf(c.DirectoryFilters(ctx)),
		errOf(c.ListDirectoryPage(ctx, talenthr.DirectoryParams{})),
		errOf(c.CreateLookup(ctx, talenthr.Locations, talenthr.CreateLookupParams{Name: "Berlin", Address: "Unter den Linden 1", IsRemote: false})),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(talenthrtest.APIKey+":x"))
	entries := srv.Log().Entries()
	if len(entries) < 10 {
		t.Fatalf("only %d requests logged", len(entries))
	}
	for _, e := range entries {
		if got := e.Header.Get("Authorization"); got != auth {
			t.Errorf("%s %s: Authorization %q, want %q", e.Method, e.Path, got, auth)
		}
		if e.Header.Get("Accept") != "application/json" {
			t.Errorf("%s %s: Accept %q", e.Method, e.Path, e.Header.Get("Accept"))
		}
		if talenthrtest.IsWrite(e) && e.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q", e.Method, e.Path, e.Header.Get("Content-Type"))
		}
		if !strings.HasPrefix(e.Path, "/v1/") || e.Status/100 != 2 {
			t.Errorf("%s %s: status %d", e.Method, e.Path, e.Status)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }

// TestBaseURLForms: the override takes the documented ".../v1" form, with
// or without a trailing slash.
func TestBaseURLForms(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	for _, base := range []string{srv.URL + "/v1", srv.URL + "/v1/"} {
		c := srv.NewClient(t, talenthr.WithBaseURL(base))
		if _, err := c.ListLanguages(ctx); err != nil {
			t.Errorf("base %q: %v", base, err)
		}
	}
	for _, e := range srv.Log().Entries() {
		if e.Path != "/v1/languages" {
			t.Errorf("path %q", e.Path)
		}
	}
}

// TestErrorsBothForms: the text form of "error" (401, 404) and the object
// form (422) both reach APIError.Message; the errors match the engine's
// sentinels, and errors.As tells TalentHR's from another vendor's.
func TestErrorsBothForms(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	wrong, err := talenthr.New("wrong-key", talenthr.WithBaseURL(srv.BaseURL()), talenthr.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = wrong.ListLanguages(ctx)
	var apiErr *talenthr.APIError
	if !errors.Is(err, syncengine.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.Message != "Unauthenticated." {
		t.Errorf("401: %v", err)
	}
	_, err = c.GetEmployee(ctx, "404")
	if !errors.Is(err, talenthr.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Message != "Employee not found." || syncengine.Retryable(err) {
		t.Errorf("404: %v", err)
	}
	if want := `talenthr: get employee 404: GET /v1/employees/404: 404 Employee not found.`; err.Error() != want {
		t.Errorf("text %q, want %q", err, want)
	}
	var other *bamboohr.APIError
	if errors.As(err, &other) {
		t.Error("a TalentHR answer reads as a BambooHR *APIError")
	}
	_, err = c.CreateLookup(ctx, talenthr.Locations, talenthr.CreateLookupParams{Name: ""})
	if err == nil || !strings.Contains(err.Error(), "name is empty") {
		t.Errorf("empty name: %v", err)
	}
	srv.AddFault(talenthrtest.Fault{Method: "POST", Path: "/v1/departments", Status: 422, Times: 1,
		Body: `{"success":false,"error":{"message":"The given data was invalid.","errors":{"name":["The name may not be greater than 100 characters."]}}}`})
	_, err = c.CreateLookup(ctx, talenthr.Departments, talenthr.CreateLookupParams{Name: "R&D"})
	if !errors.Is(err, syncengine.ErrInvalid) || !errors.As(err, &apiErr) ||
		apiErr.Message != "The given data was invalid. (name: The name may not be greater than 100 characters.)" {
		t.Errorf("422: %v", err)
	}
}

// TestRetriesRateLimit: a 429 is waited out (Retry-After) and retried.
func TestRetriesRateLimit(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(talenthrtest.Fault{Path: "/v1/languages", Status: http.StatusTooManyRequests, RetryAfter: "0", Times: 2,
		Body: `{"success":false,"error":"Too Many Attempts."}`})
	if _, err := c.ListLanguages(ctx); err != nil {
		t.Fatal(err)
	}
	if n := srv.Log().Count(nil); n != 3 {
		t.Errorf("%d requests, want 2 refused and 1 served", n)
	}
	srv.AddFault(talenthrtest.Fault{Path: "/v1/languages", Status: http.StatusTooManyRequests, RetryAfter: "0"})
	_, err := c.ListLanguages(ctx)
	if !errors.Is(err, talenthr.ErrRateLimited) || !syncengine.Retryable(err) {
		t.Errorf("after retries: %v", err)
	}
}

// TestHireOutcomeUnknown: a hire whose reply is lost is not retried; its
// error says to look before hiring again.
func TestHireOutcomeUnknown(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	srv.AddFault(talenthrtest.Fault{Method: "POST", Path: "/v1/employees/hire", ApplyThenDrop: true, Times: 1})
	_, err := c.Hire(ctx, talenthr.HireParams{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test",
		HireDate: talenthr.NewDate(2026, 3, 1), EmploymentStatusID: srv.LookupID(talenthr.EmploymentStatuses, "Full-Time")})
	if !errors.Is(err, talenthr.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n := srv.Log().Count(talenthrtest.IsWrite); n != 1 || len(srv.Employees()) != 1 {
		t.Errorf("%d hires sent, %d employees: want exactly one of each", n, len(srv.Employees()))
	}
}

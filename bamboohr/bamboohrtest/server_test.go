package bamboohrtest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
)

var ctx = context.Background()

func do(t *testing.T, srv *bamboohrtest.Server, method, url, body string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestAuthAndShapes(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	resp := do(t, srv, "GET", srv.BaseURL()+"v1/meta/fields", "", map[string]string{"Accept": "application/json"})
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no auth = %d %v", resp.StatusCode, resp.Header)
	}
	resp = do(t, srv, "GET", srv.URL+"/api/gateway.php/other/v1/meta/fields", "", nil)
	if resp.StatusCode != 404 {
		t.Errorf("other company's gateway = %d", resp.StatusCode)
	}
	resp = do(t, srv, "GET", srv.URL+"/v1/meta/fields", "", nil)
	if resp.StatusCode != 404 {
		t.Errorf("path without /api = %d", resp.StatusCode)
	}
}

func TestReadOnlyKeyAndUnknownWrites(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	id := srv.AddEmployee(map[string]string{"firstName": "A", "lastName": "B"})
	srv.AddKey("ro", bamboohrtest.Key{ReadOnly: true})
	ro, _ := bamboohr.New(srv.Subdomain, "ro", bamboohr.WithBaseURL(srv.BaseURL()))
	if err := ro.UpdateEmployee(ctx, id, map[string]string{"city": "X"}); !errors.Is(err, bamboohr.ErrForbidden) {
		t.Errorf("read-only key update = %v", err)
	}
	c := srv.NewClient(t)
	var apiErr *bamboohr.APIError
	if err := c.UpdateEmployee(ctx, id, map[string]string{"shoeSize": "9"}); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("unknown field update = %v", err)
	}
	srv.RemoveKey(bamboohrtest.DefaultAPIKey)
	if _, err := c.Fields(ctx); !errors.Is(err, bamboohr.ErrUnauthorized) {
		t.Errorf("revoked key = %v", err)
	}
}

func TestSeedAndInspect(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	if len(srv.EmployeeIDs()) != 7 || len(ids) != 7 {
		t.Fatalf("seeded %d", len(srv.EmployeeIDs()))
	}
	term, _ := srv.Employee(ids["terminated"])
	want := map[string]string{"status": "Inactive", "employmentHistoryStatus": "Terminated", "terminationDate": "2026-01-15"}
	for k, v := range want {
		if term[k] != v {
			t.Errorf("terminated %s = %q, want %q", k, term[k], v)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("seeding an unknown field did not panic")
		}
	}()
	srv.AddEmployee(map[string]string{"shoeSize": "9"})
}

func TestSendWebhookFamilies(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	const key = "aabbccddeeff00112233445566778899"
	got := make(chan *bamboohr.WebhookPayload, 1)
	v := &bamboohr.WebhookVerifier{PrivateKey: key, Now: func() time.Time { return now }}
	recv := httptest.NewServer(v.Handler(func(_ context.Context, p *bamboohr.WebhookPayload) error {
		got <- p
		return nil
	}))
	defer recv.Close()
	ev := bamboohr.WebhookEvent{EmployeeID: "12", Action: "Updated", ChangedFields: []string{"firstName"},
		Fields: map[string]bamboohr.Value{"First Name": bamboohr.String("Bryony")}}
	tests := []struct {
		family bamboohr.WebhookFamily
		want   bamboohr.WebhookEvent
	}{
		{bamboohr.EventBased, bamboohr.WebhookEvent{Type: "employee.updated", Action: "Updated", CompanyID: "acme",
			EmployeeID: "12", Timestamp: now, ChangedFields: []string{"firstName"}}},
		{bamboohr.FieldBased, bamboohr.WebhookEvent{Type: "employee_with_fields.updated", Action: "Updated",
			EmployeeID: "12", Timestamp: now, ChangedFields: []string{"firstName"},
			Fields: map[string]bamboohr.Value{"First Name": bamboohr.String("Bryony")}}},
	}
	for _, tt := range tests {
		t.Run(tt.family.String(), func(t *testing.T) {
			status, err := srv.SendWebhook(ctx, recv.URL, key, tt.family, ev)
			if err != nil || status != http.StatusAccepted {
				t.Fatalf("SendWebhook = %d, %v", status, err)
			}
			p := <-got
			if diff := cmp.Diff([]bamboohr.WebhookEvent{tt.want}, p.Events, cmp.AllowUnexported(bamboohr.Value{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	status, err := srv.SendWebhook(ctx, recv.URL, "wrong-key", bamboohr.EventBased, ev)
	if err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrong key = %d, %v; want 401", status, err)
	}
}

func TestWithRateLimit(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		want   int
	}{
		{name: "default status is 429", status: 0, want: http.StatusTooManyRequests},
		{name: "legacy 503", status: http.StatusServiceUnavailable, want: http.StatusServiceUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := bamboohrtest.NewServer(t, bamboohrtest.WithRateLimit(bamboohrtest.RateLimit{Requests: 1, Per: time.Hour, Status: tt.status}))
			hdr := map[string]string{"Accept": "application/json", "Authorization": basicAuth(bamboohrtest.DefaultAPIKey)}
			var got []int
			var retryAfter string
			for range 2 {
				resp := do(t, srv, "GET", srv.BaseURL()+"v1/meta/fields", "", hdr)
				got = append(got, resp.StatusCode)
				retryAfter = resp.Header.Get("Retry-After")
			}
			if diff := cmp.Diff([]int{http.StatusOK, tt.want}, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if retryAfter == "" {
				t.Error("rejection has no Retry-After")
			}
		})
	}
}

// basicAuth is the Authorization header BambooHR wants for key: Basic key:x.
func basicAuth(key string) string {
	r, _ := http.NewRequest("GET", "http://x", nil)
	r.SetBasicAuth(key, "x")
	return r.Header.Get("Authorization")
}

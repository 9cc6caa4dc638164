package httpx

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOneRecordPerAttempt: each attempt logs exactly one Debug record with
// method, redacted URL, attempt number, status or error, and the wait.
func TestOneRecordPerAttempt(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(503, "", ""), reply(429, "0", ""), reply(200, "", "{}")}}
	srv := newServer(t, s)
	var logs logRecords
	c := newClient(t, srv.URL+"/api", func(cfg *Config) { cfg.Logger = logs.logger() })
	if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "users", Query: map[string][]string{"apikey": {"k-secret-1"}}}); err != nil {
		t.Fatal(err)
	}
	type rec struct {
		Level, Msg, Vendor, Method, URL string
		Attempt, Status                 float64
		Retry, Waited                   bool
	}
	var got []rec
	for _, m := range logs.records(t) {
		r := rec{Retry: m["retry"] == true, Waited: m["wait"].(float64) > 0}
		r.Level, r.Msg, r.Vendor, r.Method, r.URL = m["level"].(string), m["msg"].(string), m["vendor"].(string), m["method"].(string), m["url"].(string)
		r.Attempt, r.Status = m["attempt"].(float64), m["status"].(float64)
		got = append(got, r)
	}
	u := srv.URL + "/api/users?apikey=REDACTED"
	want := []rec{
		{"DEBUG", "http attempt", "acme", "GET", u, 1, 503, true, true},
		{"DEBUG", "http attempt", "acme", "GET", u, 2, 429, true, false}, // Retry-After: 0
		{"DEBUG", "http attempt", "acme", "GET", u, 3, 200, false, false},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
}

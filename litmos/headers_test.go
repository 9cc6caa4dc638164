package litmos

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSharedHeadersUnchanged: the headers every request shares come back
// from requests (a create with its apikey, a retried one, an XML write)
// exactly as they were.
func TestSharedHeadersUnchanged(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // rate limited: the create is retried
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Id":"u1","UserName":"ana"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New("key-123456", "app", WithBaseURL(srv.URL), WithRateLimit(Limit{}),
		WithRetry(RetryPolicy{MaxRetries: 2, MinWait: 1, MaxWait: 2}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, User{UserName: "ana", LastName: "Lima"}, CreateUserParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.send(ctx, http.MethodPost, "x", c.plainQuery, []byte("<a/>"), "application/xml", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.get(ctx, "users/u1", c.query()); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (the create retried once)", n)
	}
	want := map[string]http.Header{
		"application/json": {"Accept": {"application/json"}, "Content-Type": {"application/json"}},
		"application/xml":  {"Accept": {"application/json"}, "Content-Type": {"application/xml"}},
	}
	if d := cmp.Diff(want, writeHeaders); d != "" {
		t.Errorf("write headers changed (-want +got):\n%s", d)
	}
	if d := cmp.Diff(http.Header{"Accept": {"application/json"}}, acceptJSON); d != "" {
		t.Errorf("read header changed (-want +got):\n%s", d)
	}
}

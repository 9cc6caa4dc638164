package fakeserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkMiddleware measures the kit's overhead per request, in process:
// log, a rate limit that admits everything, three fault rules that do not match.
func BenchmarkMiddleware(b *testing.B) {
	srv := New(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.SetRateLimit(RateLimit{Requests: 1 << 30, Per: time.Nanosecond})
	srv.AddFault(Fault{Path: "/v1/teams*", Status: 503})
	srv.AddFault(Fault{Method: "DELETE", Drop: true})
	srv.AddFault(Fault{Path: "/v1/users/2", ApplyThenDrop: true})
	body := `{"firstName":"Ana","lastName":"Müller"}`
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%1024 == 0 {
			srv.Log().Reset() // keep the log from growing without bound
		}
		r := httptest.NewRequest("POST", "/v1/users/1?fields=a,b", strings.NewReader(body))
		srv.serveHTTP(httptest.NewRecorder(), r)
	}
}

// BenchmarkAdmit measures the sliding-window check with a full window.
func BenchmarkAdmit(b *testing.B) {
	l := &limiter{RateLimit: RateLimit{Requests: 100, Per: time.Minute}, seen: map[string][]time.Time{}}
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		now = now.Add(600 * time.Millisecond) // one request leaves per request: always full
		l.admit("key", now)
	}
}

// BenchmarkRoundTrip measures a real request through the kit over loopback.
func BenchmarkRoundTrip(b *testing.B) {
	srv := New(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]int{"id": 1})
	}))
	client := srv.Client()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%1024 == 0 {
			srv.Log().Reset()
		}
		resp, err := client.Get(srv.URL + "/v1/users/1")
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}

package httpx

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func BenchmarkRedact(b *testing.B) {
	msg := `acme: GET /api/users?apikey=k-1&page=2: 400 bad credentials config-secret-abcdef Authorization: Basic dXNlcjpwYXNz {"password":"x"}`
	secrets := []string{"config-secret-abcdef", "another-secret-123456"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Redact(msg, secrets...)
	}
}

func BenchmarkDoJSON(b *testing.B) {
	body := `{"id":"u1","name":"Ana","email":"ana@example.com"}`
	srv := newBenchServer(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	c, err := New(Config{Vendor: "acme", BaseURL: srv, Secrets: []string{"s3cret-value"},
		Authorize: func(r *http.Request) { r.SetBasicAuth("api-key-123456", "x") }})
	if err != nil {
		b.Fatal(err)
	}
	var out struct{ ID, Name, Email string }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.DoJSON(context.Background(), "GET", "users/u1", nil, nil, &out); err != nil {
			b.Fatal(err)
		}
	}
	if !strings.Contains(out.Email, "@") {
		b.Fatal("not decoded")
	}
}

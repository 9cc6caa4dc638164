package httpx

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seen is what a test server received.
type seen struct {
	Method, ContentType, Accept, Body string
}

func recordAndReply(got *seen, status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		*got = seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Accept"), string(b)}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestDoJSON(t *testing.T) {
	type user struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var got seen
	srv := newServer(t, recordAndReply(&got, 201, "application/json", `{"id":"u1","name":"Ana"}`))
	c := newClient(t, srv.URL, nil)
	var out user
	resp, err := c.DoJSON(context.Background(), "POST", "users", nil, user{Name: "Ana"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	want := seen{"POST", "application/json", "application/json", `{"id":"","name":"Ana"}`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
	if d := cmp.Diff(user{"u1", "Ana"}, out); d != "" {
		t.Errorf("decoded (-want +got):\n%s", d)
	}
	if resp.StatusCode != 201 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestDoJSONNoBodies(t *testing.T) {
	var got seen
	srv := newServer(t, recordAndReply(&got, 204, "", ""))
	c := newClient(t, srv.URL, nil)
	var out map[string]any
	if _, err := c.DoJSON(context.Background(), "DELETE", "users/1", nil, nil, &out); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(seen{"DELETE", "", "application/json", ""}, got); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
	if out != nil {
		t.Errorf("out = %v, want untouched", out)
	}
}

func TestDoForm(t *testing.T) {
	var got seen
	srv := newServer(t, recordAndReply(&got, 200, "application/json", `{"ok":true}`))
	c := newClient(t, srv.URL, nil)
	var out struct{ OK bool }
	form := url.Values{"email": {"ana@example.com"}, "login": {"ana b"}}
	if _, err := c.DoForm(context.Background(), "POST", "usersignup", nil, form, &out); err != nil {
		t.Fatal(err)
	}
	want := seen{"POST", "application/x-www-form-urlencoded", "application/json", "email=ana%40example.com&login=ana+b"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
	if !out.OK {
		t.Error("reply not decoded")
	}
}

func TestDoJSONWrongFormat(t *testing.T) {
	tests := []struct {
		name, method, contentType, body string
		wantText                        string
		unknown                         bool
	}{
		{"XML by content type", "GET", "application/xml", `<?xml version="1.0"?><error>nope</error>`, `expected JSON, got XML: "<?xml version=\"1.0\"?><error>nope</error>"`, false},
		{"XML mislabelled as JSON", "GET", "application/json", `<Users><User/></Users>`, "expected JSON, got XML", false},
		{"HTML login page", "GET", "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Sign in</body></html>", "expected JSON, got HTML", false},
		{"HTML without content type", "GET", "", "\n <html><head></head></html>", "expected JSON, got HTML", false},
		{"HTML after a POST: created but unreadable", "POST", "text/html", "<html></html>", "expected JSON, got HTML", true},
		{"broken JSON", "GET", "application/json", `{"id":`, "decoding JSON reply", false},
		{"long body cut at 80 chars", "GET", "application/xml", "<a>" + strings.Repeat("x", 200) + "</a>", `"<a>` + strings.Repeat("x", 77) + `…"`, false},
		{"secret in body redacted", "GET", "application/xml", "<a apikey=\"k\">sekrit-value-1</a>", "REDACTED", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got seen
			srv := newServer(t, recordAndReply(&got, 200, tt.contentType, tt.body))
			c := newClient(t, srv.URL, func(cfg *Config) { cfg.Secrets = []string{"sekrit-value-1"} })
			var out map[string]any
			_, err := c.DoJSON(context.Background(), tt.method, "x", nil, nil, &out)
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("error %v, want it to contain %q", err, tt.wantText)
			}
			if strings.Contains(err.Error(), "sekrit-value-1") {
				t.Errorf("error shows the secret: %v", err)
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("ErrOutcomeUnknown = %v, want %v", got, tt.unknown)
			}
		})
	}
}

func TestResponseBodyCap(t *testing.T) {
	const limit = 16
	tests := []struct {
		name, method string
		status       int
		size         int
		wantErr      error
		unknown      bool
	}{
		{"at the cap", "GET", 200, limit, nil, false},
		{"over the cap", "GET", 200, limit + 1, ErrResponseTooLarge, false},
		{"over the cap after a POST", "POST", 201, limit * 100, ErrResponseTooLarge, true},
		{"error body over the cap keeps the status", "GET", 404, limit * 100, ErrNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Repeat("a", tt.size)
			srv := newServer(t, reply(tt.status, "", body))
			c := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = limit })
			resp, err := c.Do(context.Background(), &Request{Method: tt.method, Path: "x"})
			if tt.wantErr == nil {
				if err != nil || string(resp.Body) != body {
					t.Fatalf("Do = %v, %v; want the whole body", resp, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("ErrOutcomeUnknown = %v, want %v", got, tt.unknown)
			}
		})
	}
}

// The largest cap there is reads every body whole, of known length or
// not: the cap plus the byte that detects an overflow must not wrap.
func TestResponseBodyCapMaxInt64(t *testing.T) {
	body := strings.Repeat("b", 3000)
	for _, chunked := range []bool{false, true} {
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !chunked {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
			_, _ = w.Write([]byte(body[:100]))
			w.(http.Flusher).Flush() // no length: the rest goes chunked
			_, _ = w.Write([]byte(body[100:]))
		}))
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = math.MaxInt64 })
		resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"})
		if err != nil || string(resp.Body) != body {
			t.Errorf("chunked %v: Do = %d bytes, %v; want all %d", chunked, len(resp.Body), err, len(body))
		}
	}
}

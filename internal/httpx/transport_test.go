package httpx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTransportSendsThroughClient: a request made with an *http.Client on
// Transport is joined under the base path, authorized, retried like a
// Client.Do call and answered with the 2xx body.
func TestTransportSendsThroughClient(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string
	)
	s := &script{steps: []http.HandlerFunc{reply(503, "", ""), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}}}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("X-Auth")+" "+string(body))
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	c := newClient(t, srv.URL+"/api", func(cfg *Config) {
		cfg.Authorize = func(r *http.Request) { r.Header.Set("X-Auth", "on") }
	})
	hc := &http.Client{Transport: &Transport{Client: c, Idempotent: true}}
	resp, err := hc.PostForm(srv.URL+"/api/oauth/token?x=1", url.Values{"grant_type": {"client_credentials"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != `{"ok":true}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("response %d %q %v", resp.StatusCode, body, resp.Header)
	}
	line := "POST /api/oauth/token?x=1 application/x-www-form-urlencoded on grant_type=client_credentials"
	if d := cmp.Diff([]string{line, line}, seen); d != "" {
		t.Errorf("requests (-want +got), the POST retried after the 503 as Idempotent says:\n%s", d)
	}
}

// TestTransportNotIdempotent: without Idempotent a POST is not retried
// after a 502, since it may have been applied.
func TestTransportNotIdempotent(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(502, "", "")}}
	srv := newServer(t, s)
	c := newClient(t, srv.URL, nil)
	hc := &http.Client{Transport: &Transport{Client: c}}
	_, err := hc.Post(srv.URL+"/x", "text/plain", strings.NewReader("b"))
	if !errors.Is(err, ErrOutcomeUnknown) || s.count() != 1 {
		t.Errorf("err %v after %d requests, want ErrOutcomeUnknown after 1", err, s.count())
	}
}

// TestTransportErrorIsTheClientError: a non-2xx answer is the RoundTrip
// error, the Client's own (wrapped) APIError, with the body kept.
func TestTransportErrorIsTheClientError(t *testing.T) {
	srv := newServer(t, reply(401, "", `{"error":"invalid_client","error_description":"bad client"}`))
	type vendorErr struct{ *APIError }
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.WrapAPIError = func(e *APIError) error { return vendorErr{e} }
	})
	hc := &http.Client{Transport: &Transport{Client: c}}
	_, err := hc.Get(srv.URL + "/oauth/token")
	var ve vendorErr
	if !errors.As(err, &ve) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err %v (%T), want the wrapped APIError matching ErrUnauthorized", err, err)
	}
	if ve.Message != "bad client" || !strings.Contains(string(ve.Body()), "bad client") {
		t.Errorf("APIError %+v body %q", ve.APIError, ve.Body())
	}
}

// TestTransportRefusesOtherURLs: a URL outside the base URL is never sent.
func TestTransportRefusesOtherURLs(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(200, "", "")}}
	srv := newServer(t, s)
	c := newClient(t, srv.URL+"/api", nil)
	hc := &http.Client{Transport: &Transport{Client: c}}
	for _, u := range []string{
		srv.URL + "/other",
		srv.URL + "/apiary/x",
		strings.Replace(srv.URL, "http://", "https://", 1) + "/api/x",
		"http://example.invalid/api/x",
	} {
		_, err := hc.Get(u)
		if err == nil || !strings.Contains(err.Error(), "is not under the base URL") {
			t.Errorf("GET %s: %v, want refused", u, err)
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests reached the server", s.count())
	}
}

// TestTransportNoClient: a Transport without Client fails cleanly.
func TestTransportNoClient(t *testing.T) {
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://127.0.0.1/x", nil)
	if _, err := (&Transport{}).RoundTrip(req); err == nil {
		t.Error("RoundTrip without Client succeeded")
	}
}

// TestAPIErrorBody: Body keeps the error reply, redacted and capped; an
// empty reply has none.
func TestAPIErrorBody(t *testing.T) {
	tests := []struct {
		name, body string
		want       string
	}{
		{"empty", "", ""},
		{"secret echoed", `{"error":"key s3cr3t-value is wrong","fullErrors":{"email":["is missing"]}}`,
			`{"error":"key REDACTED is wrong","fullErrors":{"email":["is missing"]}}`},
		{"capped", strings.Repeat("x", maxErrorBody+10), strings.Repeat("x", maxErrorBody)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, reply(400, "", tt.body))
			c := newClient(t, srv.URL, func(cfg *Config) { cfg.Secrets = []string{"s3cr3t-value"} })
			_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"})
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err %v", err)
			}
			if got := string(ae.Body()); got != tt.want {
				t.Errorf("Body %q, want %q", got, tt.want)
			}
			if tt.want == "" && ae.Body() != nil {
				t.Error("Body of an empty reply is not nil")
			}
		})
	}
}

package httpx

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		secrets []string
		want    string
	}{
		{"literal secret", "key s3cr3tv4lue rejected", []string{"s3cr3tv4lue"}, "key REDACTED rejected"},
		{"escaped secret", "GET /x?k=a%2Bb%2Fc%3D", []string{"a+b/c="}, "GET /x?k=REDACTED"},
		{"longest secret first", "abcdef-long", []string{"abc", "abcdef-long"}, "REDACTED"},
		{"empty secret ignored", "nothing here", []string{""}, "nothing here"},
		{"apikey query", "https://h/x?apikey=AK123&page=2", nil, "https://h/x?apikey=REDACTED&page=2"},
		{"api_key query", "/x?api_key=AK123", nil, "/x?api_key=REDACTED"},
		{"key query", "/x?key=AK123&x=1", nil, "/x?key=REDACTED&x=1"},
		{"token and access_token", "token=t1&access_token=t2", nil, "token=REDACTED&access_token=REDACTED"},
		{"password and client_secret", "password=p&client_secret=cs", nil, "password=REDACTED&client_secret=REDACTED"},
		{"mixed case name", "?ApiKey=zz", nil, "?ApiKey=REDACTED"},
		{"unrelated query kept", "?page=2&limit=100&author=ana", nil, "?page=2&limit=100&author=ana"},
		{"authorization header", "Authorization: Basic dXNlcjpwYXNz", nil, "Authorization: REDACTED"},
		{"authorization in JSON header dump", `{"Authorization":["Bearer abc.def"]}`, nil, `{"Authorization":["REDACTED"]}`},
		{"x-api-key header", "X-Api-Key: k-123", nil, "X-Api-Key: REDACTED"},
		{"litmos apikey header", "apikey: k-123", nil, "apikey: REDACTED"},
		{"printed http.Header", "map[Accept:[application/json] Apikey:[k-123]]", nil, "map[Accept:[application/json] Apikey:[REDACTED]]"},
		{"bearer token in prose", "sent Bearer eyJhbGciOi.x.y today", nil, "sent Bearer REDACTED today"},
		{"userinfo", "Get \"https://ana:pw@h.example/x\": EOF", nil, "Get \"https://REDACTED@h.example/x\": EOF"},
		{"email in path kept", "https://h/users/ana@example.com", nil, "https://h/users/ana@example.com"},
		{"json password field", `{"user":"ana","password":"hunter2"}`, nil, `{"user":"ana","password":"REDACTED"}`},
		{"json escaped quote", `{"client_secret":"a\"b","x":1}`, nil, `{"client_secret":"REDACTED","x":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in, tt.secrets...); got != tt.want {
				t.Errorf("Redact(%q) =\n %q\nwant\n %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSecretPrintsRedacted(t *testing.T) {
	s := Secret("hunter2-api-key")
	type holder struct {
		Key Secret `json:"key"`
	}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("m", "secret", s, "holder", holder{s})
	js, err := json.Marshal(holder{s})
	if err != nil {
		t.Fatal(err)
	}
	outputs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", holder{s}, holder{s}, &holder{s}),
		string(js), logBuf.String(),
	}
	for _, out := range outputs {
		if strings.Contains(out, s.Reveal()) || !strings.Contains(out, "REDACTED") {
			t.Errorf("output %q shows the secret or lacks REDACTED", out)
		}
	}
	if s.Reveal() != "hunter2-api-key" {
		t.Errorf("Reveal() = %q", s.Reveal())
	}
}

// TestRedactionEndToEnd drives failing requests carrying every kind of
// secret and looks for them in every place an error or a log can show.
func TestRedactionEndToEnd(t *testing.T) {
	const (
		apiKey     = "bhr-api-key-0123456789" // sent as the Basic-auth user
		configSec  = "config-secret-abcdef"   // Config.Secrets, echoed back
		queryKey   = "query-apikey-ZYXWVU"    // apikey= added by Authorize
		tokenVal   = "tok-7f3a9c1e55"         // token= in the caller's query
		passwordV  = "hunter2-password"       // password= in the caller's query
		urlPass    = "url-pass-31415926"      // user:password@ in BaseURL
		bearerTok  = "bearer-token-abc123xyz" // a header the caller sets
		customSecK = "customkey-XYZ-999"      // X-Partner-Key header value
	)
	basic := base64.StdEncoding.EncodeToString([]byte(apiKey + ":x"))
	secrets := []string{apiKey, configSec, queryKey, tokenVal, passwordV, urlPass, bearerTok, customSecK, basic}
	echo := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg := fmt.Sprintf("bad credentials %s %s %s %s %s %s auth=%q url=%s",
			configSec, apiKey, queryKey, tokenVal, passwordV, bearerTok, r.Header.Get("Authorization"), r.URL.String())
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "BadRequest", "message": msg}})
	}
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
	}
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()

	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: connection refused
		method  string
	}{
		{"vendor echoes secrets in a 400", echo, "GET"},
		{"500 on a POST: outcome unknown", status(500), "POST"},
		{"connection reset after write", resetAfterRead(t), "POST"},
		{"connection refused", nil, "PUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := refused
			if tt.handler != nil {
				host = strings.TrimPrefix(newServer(t, tt.handler).URL, "http://")
			}
			var logs logRecords
			c := newClient(t, "http://admin:"+urlPass+"@"+host+"/api", func(cfg *Config) {
				cfg.Secrets = []string{configSec}
				cfg.Logger = logs.logger()
				cfg.Authorize = func(r *http.Request) {
					r.SetBasicAuth(apiKey, "x")
					q := r.URL.Query()
					q.Set("apikey", queryKey)
					r.URL.RawQuery = q.Encode()
					r.Header.Set("X-Partner-Key", customSecK)
				}
			})
			req := &Request{
				Method: tt.method, Path: "employees/12",
				Query:  url.Values{"token": {tokenVal}, "password": {passwordV}},
				Header: http.Header{"X-Extra": {"Bearer " + bearerTok}},
				Body:   []byte(`{}`), ContentType: "application/json",
			}
			_, err := c.Do(context.Background(), req)
			if err == nil {
				t.Fatal("Do succeeded; want an error")
			}
			// What a user might do with the error and the client.
			logs.logger().Error("sync failed", "err", err, "client", c, "config", Config{Secrets: []string{configSec}})
			panicked := func() (s string) {
				defer func() { s = fmt.Sprint(recover()) }()
				panic(err)
			}()
			places := map[string]string{
				"panic":        panicked,
				"Error()":      err.Error(),
				"%v":           fmt.Sprintf("%v", err),
				"%+v":          fmt.Sprintf("%+v", err),
				"%#v":          fmt.Sprintf("%#v", err),
				"%q":           fmt.Sprintf("%q", err),
				"client %+v":   fmt.Sprintf("%+v", c),
				"client %#v":   fmt.Sprintf("%#v", c),
				"request %+v":  fmt.Sprintf("%+v", *req),
				"slog records": logs.String(),
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				places["APIError %+v"] = fmt.Sprintf("%+v", *apiErr)
				places["APIError %#v"] = fmt.Sprintf("%#v", apiErr)
			}
			var urlErr *url.Error
			if errors.As(err, &urlErr) {
				places["url.Error"] = urlErr.Error()
			}
			for where, text := range places {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s shows secret %q:\n%s", where, s, text)
					}
				}
			}
			if len(logs.records(t)) < 2 {
				t.Errorf("too few log records captured:\n%s", logs.String())
			}
		})
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("error: key abcd1234 rejected", "abcd1234")
	f.Add("https://h/x?apikey=k%2B1&page=2", "k+1")
	f.Add(`{"password":"pa ss"}`, "pa ss")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(secret) < 4 || strings.ContainsRune(secret, 0) {
			return
		}
		s := text + secret + text + url.QueryEscape(secret)
		out := Redact(s, secret)
		// Mask the token so a secret cannot "appear" across it: what is
		// left must not contain the secret.
		masked := strings.ReplaceAll(out, redacted, "\x00")
		if strings.Contains(masked, secret) {
			t.Errorf("Redact(%q, %q) = %q still shows the secret", s, secret, out)
		}
	})
}

// TestCauseChainRedacted: every error in the chain Do returns is redacted,
// not only the top one, including when a context error is joined to a
// transport error that carries the authorized URL.
func TestCauseChainRedacted(t *testing.T) {
	const key = "chain-apikey-998877"
	c := newClient(t, "http://127.0.0.1:1", nil)
	cl, err := c.newCall(context.Background(), &Request{Method: "POST", Path: "x"})
	if err != nil {
		t.Fatal(err)
	}
	cl.n = 1
	cl.slot.cur.Store(&attempt{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	raw := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/x?apikey=" + key, Err: io.ErrUnexpectedEOF}
	d := cl.decide(ctx, nil, raw)
	if d.err == nil || !errors.Is(d.err, context.Canceled) {
		t.Fatalf("decide error %v, want one wrapping context.Canceled", d.err)
	}
	var texts []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		texts = append(texts, e.Error(), fmt.Sprintf("%+v", e))
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(d.err)
	for _, s := range texts {
		if strings.Contains(s, key) {
			t.Errorf("error chain shows the key: %q", s)
		}
	}
}

// TestRedirectOffHostDropsCredentials: a redirect to another host gets no
// credential header, whatever its name; one on the same host keeps them.
func TestRedirectOffHostDropsCredentials(t *testing.T) {
	var (
		mu       sync.Mutex
		seen     http.Header
		location string
	)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/moved" {
			seen = r.Header.Clone()
			return
		}
		http.Redirect(w, r, location, http.StatusFound)
	}))
	for _, tt := range []struct {
		name, location string
		keep           bool
	}{
		// Same address under another host name: another origin.
		{"other host", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/moved", false},
		{"same host", srv.URL + "/moved", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			location, seen = tt.location, nil
			mu.Unlock()
			c := newClient(t, srv.URL, func(cfg *Config) {
				cfg.Authorize = func(r *http.Request) {
					r.Header.Set("apikey", "litmos-key-123456")
					r.Header.Set("X-Api-Key", "other-key-123456")
					r.SetBasicAuth("bhr-key-123456", "x")
				}
			})
			if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "users"}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if seen == nil {
				t.Fatal("redirect not followed")
			}
			for _, h := range []string{"Apikey", "X-Api-Key", "Authorization"} {
				if got := seen.Get(h) != ""; got != tt.keep {
					t.Errorf("redirect target got %s: %v, want %v", h, got, tt.keep)
				}
			}
		})
	}
}

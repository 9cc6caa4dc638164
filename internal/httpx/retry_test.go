package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// outcome is what a test expects Do to return.
type outcome struct {
	ok      bool  // (*Response, nil)
	status  int   // *APIError with this status (reachable by errors.As)
	is      error // errors.Is target, if any
	unknown bool  // wraps ErrOutcomeUnknown
}

func checkOutcome(t *testing.T, resp *Response, err error, want outcome) {
	t.Helper()
	if want.ok {
		if err != nil || resp == nil {
			t.Fatalf("Do = %v, %v; want success", resp, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Do succeeded with %d; want an error", resp.StatusCode)
	}
	var apiErr *APIError
	switch {
	case want.status != 0 && !errors.As(err, &apiErr):
		t.Errorf("error %q is not an *APIError", err)
	case want.status != 0 && apiErr.StatusCode != want.status:
		t.Errorf("APIError status %d, want %d", apiErr.StatusCode, want.status)
	}
	if got := errors.Is(err, ErrOutcomeUnknown); got != want.unknown {
		t.Errorf("errors.Is(%q, ErrOutcomeUnknown) = %v, want %v", err, got, want.unknown)
	}
	if want.is != nil && !errors.Is(err, want.is) {
		t.Errorf("errors.Is(%q, %v) = false", err, want.is)
	}
}

func TestRetryPolicyByStatus(t *testing.T) {
	const maxRetries = 2 // fastRetry: 3 attempts at most
	type tc struct {
		name     string
		method   string
		idem     *bool
		rlStatus []int // Config.RateLimitStatuses
		steps    []http.HandlerFunc
		hits     int
		want     outcome
	}
	ok := outcome{ok: true}
	api := func(status int, is error) outcome { return outcome{status: status, is: is} }
	unknown := func(status int) outcome { return outcome{status: status, unknown: true} }
	one := func(s int, ra string) []http.HandlerFunc { return []http.HandlerFunc{reply(s, ra, "")} }
	tests := []tc{
		{"200 GET", "GET", nil, nil, one(200, ""), 1, ok},
		{"201 POST", "POST", nil, nil, one(201, ""), 1, ok},
		{"204 DELETE", "DELETE", nil, nil, one(204, ""), 1, ok},
		{"400 POST", "POST", nil, nil, one(400, ""), 1, api(400, nil)},
		{"400 PUT", "PUT", nil, nil, one(400, ""), 1, api(400, nil)},
		{"401 GET", "GET", nil, nil, one(401, ""), 1, api(401, ErrUnauthorized)},
		{"403 POST", "POST", nil, nil, one(403, ""), 1, api(403, ErrForbidden)},
		{"404 GET", "GET", nil, nil, one(404, ""), 1, api(404, ErrNotFound)},
		{"404 POST", "POST", nil, nil, one(404, ""), 1, api(404, ErrNotFound)},
		{"409 POST", "POST", nil, nil, one(409, ""), 1, api(409, ErrConflict)},
		{"409 PUT", "PUT", nil, nil, one(409, ""), 1, api(409, ErrConflict)},
		{"422 POST", "POST", nil, nil, one(422, ""), 1, api(422, nil)},
		{"429 GET exhausts", "GET", nil, nil, one(429, "0"), maxRetries + 1, api(429, ErrRateLimited)},
		{"429 POST exhausts", "POST", nil, nil, one(429, ""), maxRetries + 1, api(429, ErrRateLimited)},
		{"429 then 201 POST", "POST", nil, nil, []http.HandlerFunc{reply(429, "0", ""), reply(201, "", "")}, 2, ok},
		// A 500 is as passing as a 502 for a request that may be repeated:
		// one transient 500 among a listing's thousands of reads must not
		// end a run (the chaos suite, internal/chaos, found it).
		{"500 GET", "GET", nil, nil, one(500, ""), maxRetries + 1, api(500, nil)},
		{"500 PUT then 200", "PUT", nil, nil, []http.HandlerFunc{reply(500, "", ""), reply(200, "", "")}, 2, ok},
		{"500 GET marked non-idempotent", "GET", ptr(false), nil, one(500, ""), 1, unknown(500)},
		{"500 POST", "POST", nil, nil, one(500, ""), 1, unknown(500)},
		{"501 POST", "POST", nil, nil, one(501, ""), 1, api(501, nil)},
		{"502 GET", "GET", nil, nil, one(502, ""), maxRetries + 1, api(502, nil)},
		{"502 PUT then 200", "PUT", nil, nil, []http.HandlerFunc{reply(502, "", ""), reply(200, "", "")}, 2, ok},
		{"502 POST", "POST", nil, nil, one(502, ""), 1, unknown(502)},
		{"502 POST marked idempotent", "POST", ptr(true), nil, one(502, ""), maxRetries + 1, api(502, nil)},
		{"502 GET marked non-idempotent", "GET", ptr(false), nil, one(502, ""), 1, unknown(502)},
		{"503 GET", "GET", nil, nil, one(503, ""), maxRetries + 1, api(503, nil)},
		{"503 DELETE", "DELETE", nil, nil, one(503, ""), maxRetries + 1, api(503, nil)},
		{"503 POST", "POST", nil, nil, one(503, ""), 1, unknown(503)},
		{"503+Retry-After POST", "POST", nil, nil, one(503, "0"), maxRetries + 1, api(503, nil)},
		{"503+Retry-After PUT", "PUT", nil, nil, one(503, "0"), maxRetries + 1, api(503, nil)},
		{"503+garbage Retry-After POST", "POST", nil, nil, one(503, "soon"), 1, unknown(503)},
		{"503 rate-limit vendor POST", "POST", nil, []int{429, 503}, one(503, ""), maxRetries + 1, api(503, ErrRateLimited)},
		{"503 rate-limit vendor then 201", "POST", nil, []int{429, 503}, []http.HandlerFunc{reply(503, "", ""), reply(201, "", "")}, 2, ok},
		{"429 not rate-limit for vendor", "POST", nil, []int{503}, one(429, ""), 1, api(429, ErrRateLimited)},
		{"504 GET", "GET", nil, nil, one(504, ""), maxRetries + 1, api(504, nil)},
		{"504 POST", "POST", nil, nil, one(504, ""), 1, unknown(504)},
		{"504 PATCH", "PATCH", nil, nil, one(504, ""), 1, unknown(504)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: tt.steps}
			srv := newServer(t, s)
			c := newClient(t, srv.URL, func(cfg *Config) { cfg.RateLimitStatuses = tt.rlStatus })
			resp, err := c.Do(context.Background(), &Request{Method: tt.method, Path: "things", Body: []byte("{}"), ContentType: "application/json", Idempotent: tt.idem})
			checkOutcome(t, resp, err, tt.want)
			if got := s.count(); got != tt.hits {
				t.Errorf("server saw %d requests, want %d", got, tt.hits)
			}
		})
	}
}

func TestRetryPolicyConnection(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + closed.Addr().String()
	closed.Close()

	tests := []struct {
		name   string
		method string
		reset  bool // server reads the request, then cuts the connection once
		hits   int  // requests the server saw (reset cases)
		tries  int  // attempts logged
		want   outcome
		is     error
	}{
		{name: "refused POST retried", method: "POST", tries: 3, want: outcome{is: syscall.ECONNREFUSED}},
		{name: "refused PUT retried", method: "PUT", tries: 3, want: outcome{is: syscall.ECONNREFUSED}},
		{name: "reset after write POST", method: "POST", reset: true, hits: 1, tries: 1, want: outcome{unknown: true}},
		{name: "reset after write PATCH", method: "PATCH", reset: true, hits: 1, tries: 1, want: outcome{unknown: true}},
		{name: "reset after write PUT retried", method: "PUT", reset: true, hits: 2, tries: 2, want: outcome{ok: true}},
		{name: "reset after write GET retried", method: "GET", reset: true, hits: 2, tries: 2, want: outcome{ok: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := refusedURL
			s := &script{steps: []http.HandlerFunc{resetAfterRead(t), reply(200, "", "{}")}}
			if tt.reset {
				base = newServer(t, s).URL
			}
			var logs logRecords
			c := newClient(t, base, func(cfg *Config) { cfg.Logger = logs.logger() })
			resp, err := c.Do(context.Background(), &Request{Method: tt.method, Path: "x", Body: []byte("{}"), ContentType: "application/json"})
			checkOutcome(t, resp, err, tt.want)
			if got := len(logs.records(t)); got != tt.tries {
				t.Errorf("%d attempts logged, want %d:\n%s", got, tt.tries, logs.String())
			}
			if tt.reset && s.count() != tt.hits {
				t.Errorf("server saw %d requests, want %d", s.count(), tt.hits)
			}
			if tt.want.unknown && !strings.Contains(err.Error(), "outcome unknown") {
				t.Errorf("error %q does not say the outcome is unknown", err)
			}
		})
	}
}

// TestDecideTransportErrors checks the sent/unsent judgement on errors that
// a live server cannot produce on demand.
func TestDecideTransportErrors(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1", nil)
	dial := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	eof := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/x", Err: io.ErrUnexpectedEOF}
	cert := &url.Error{Op: "Post", URL: "https://127.0.0.1:1/x", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}
	tests := []struct {
		name         string
		method       string
		gotConn      bool // the transport reported to httptrace
		wroteHeaders bool
		err          error
		retry        bool
		unknown      bool
	}{
		{"dial error POST even if traced as written", "POST", true, true, dial, true, false},
		{"dial error POST, untraced transport", "POST", false, false, dial, true, false},
		{"EOF before headers written POST", "POST", true, false, eof, true, false},
		{"EOF after headers written POST", "POST", true, true, eof, false, true},
		{"EOF, untraced transport POST", "POST", false, false, eof, false, true},
		{"EOF after headers written PUT", "PUT", true, true, eof, true, false},
		{"EOF, untraced transport PUT", "PUT", false, false, eof, true, false},
		{"bad certificate GET", "GET", true, false, cert, false, false},
		{"bad certificate POST", "POST", true, false, cert, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := c.newCall(context.Background(), &Request{Method: tt.method, Path: "x"})
			if err != nil {
				t.Fatal(err)
			}
			cl.n = 1
			a := &attempt{}
			a.gotConn.Store(tt.gotConn)
			a.wroteHeaders.Store(tt.wroteHeaders)
			cl.slot.cur.Store(a)
			d := cl.decide(context.Background(), nil, tt.err)
			if d.retry != tt.retry {
				t.Errorf("retry = %v, want %v", d.retry, tt.retry)
			}
			if got := errors.Is(d.err, ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("unknown = %v (%v), want %v", got, d.err, tt.unknown)
			}
			if !tt.retry && d.err == nil {
				t.Error("stopped without an error")
			}
		})
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	long := RetryPolicy{MaxRetries: 3, MinWait: time.Hour, MaxWait: 2 * time.Hour}

	t.Run("GET, cancelled on the server's signal", func(t *testing.T) {
		hit := make(chan struct{}, 4)
		s := &script{steps: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
			reply(429, "3600", "")(w, r)
			hit <- struct{}{}
		}}}
		srv := newServer(t, s)
		c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry = long })
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-hit; cancel() }()
		err := within(t, func() error { _, err := c.Do(ctx, &Request{Method: "GET", Path: "x"}); return err })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if s.count() != 1 {
			t.Errorf("server saw %d requests, want 1", s.count())
		}
	})

	t.Run("POST, cancelled once the retry is decided", func(t *testing.T) {
		records := make(chan slog.Record, 4)
		s := &script{steps: []http.HandlerFunc{reply(429, "", "")}}
		srv := newServer(t, s)
		c := newClient(t, srv.URL, func(cfg *Config) {
			cfg.Retry = long
			cfg.Logger = slog.New(signalHandler{records})
		})
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-records; cancel() }()
		err := within(t, func() error {
			_, err := c.Do(ctx, &Request{Method: "POST", Path: "x", Body: []byte("{}")})
			return err
		})
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("error %v, want context.Canceled and not ErrOutcomeUnknown (a 429 was not applied)", err)
		}
	})
}

// TestCancelInFlight: a create cancelled after it was written may have been
// applied; a read cancelled in flight is just cancelled.
func TestCancelInFlight(t *testing.T) {
	for _, tt := range []struct {
		method  string
		unknown bool
	}{{"POST", true}, {"GET", false}} {
		t.Run(tt.method, func(t *testing.T) {
			arrived := make(chan struct{})
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				close(arrived)
				<-r.Context().Done() // hold the reply until the client gives up
			}))
			c := newClient(t, srv.URL, nil)
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-arrived; cancel() }()
			err := within(t, func() error {
				_, err := c.Do(ctx, &Request{Method: tt.method, Path: "x", Body: []byte("{}")})
				return err
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("ErrOutcomeUnknown = %v (%v), want %v", got, err, tt.unknown)
			}
		})
	}
}

// TestLimiterBeforeRetries: a retry waits on the limiter too, and a wait that
// cannot end before the deadline fails at once.
func TestLimiterBeforeRetries(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(503, "", "")}}
	srv := newServer(t, s)
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Limit = Limit{Requests: 1, Per: time.Hour, Burst: 1} })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := within(t, func() error { _, err := c.Do(ctx, &Request{Method: "GET", Path: "x"}); return err })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want context.DeadlineExceeded from the limiter", err)
	}
	if s.count() != 1 {
		t.Errorf("server saw %d requests, want 1 (the retry must wait for a token)", s.count())
	}
}

// failingTransport fails every round trip with err, as a custom transport
// that reports nothing to httptrace (an HTTP/3 client, a test stub) would.
type failingTransport struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body) // "sends" the request
		r.Body.Close()
	}
	return nil, f.err
}

// TestUntracedTransport: with a transport that gives no evidence of what it
// sent, a failed create is not retried and its outcome is unknown; a read is
// retried; a dial error is still known to be unsent.
func TestUntracedTransport(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name   string
		method string
		err    error
		calls  int
		want   outcome
	}{
		{"EOF POST", "POST", io.ErrUnexpectedEOF, 1, outcome{unknown: true}},
		{"EOF PATCH", "PATCH", io.ErrUnexpectedEOF, 1, outcome{unknown: true}},
		{"EOF GET retried", "GET", io.ErrUnexpectedEOF, 3, outcome{}},
		{"refused POST retried", "POST", dial, 3, outcome{is: syscall.ECONNREFUSED}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &failingTransport{err: tt.err}
			c := newClient(t, "http://vendor.invalid/api", func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: ft} })
			resp, err := c.Do(context.Background(), &Request{Method: tt.method, Path: "users", Body: []byte("{}"), ContentType: "application/json"})
			checkOutcome(t, resp, err, tt.want)
			if ft.calls != tt.calls {
				t.Errorf("transport called %d times, want %d", ft.calls, tt.calls)
			}
		})
	}
}

// TestRetryPastDeadline: when the vendor asks for a wait that ends after the
// context's deadline, Do returns the vendor's answer at once (rate limited,
// with RetryAfter) instead of sleeping into context.DeadlineExceeded.
func TestRetryPastDeadline(t *testing.T) {
	long := RetryPolicy{MaxRetries: 3, MinWait: time.Hour, MaxWait: 2 * time.Hour}
	for _, tt := range []struct {
		name   string
		method string
		step   http.HandlerFunc
		want   outcome
	}{
		{"429 GET", "GET", reply(429, "3600", ""), outcome{status: 429, is: ErrRateLimited}},
		{"429 POST", "POST", reply(429, "3600", ""), outcome{status: 429, is: ErrRateLimited}},
		{"503 GET, backoff past deadline", "GET", reply(503, "", ""), outcome{status: 503}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: []http.HandlerFunc{tt.step}}
			srv := newServer(t, s)
			c := newClient(t, srv.URL, func(cfg *Config) { cfg.Retry = long })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var resp *Response
			err := within(t, func() error {
				var err error
				resp, err = c.Do(ctx, &Request{Method: tt.method, Path: "x", Body: []byte("{}")})
				return err
			})
			checkOutcome(t, resp, err, tt.want)
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v: slept into the deadline", err)
			}
			if s.count() != 1 {
				t.Errorf("server saw %d requests, want 1", s.count())
			}
		})
	}
}

// scriptedTransport answers the nth round trip with steps[n], each step
// seeing the request's httptrace hooks.
type scriptedTransport struct {
	calls int
	steps []func(*httptrace.ClientTrace) (*http.Response, error)
}

func (s *scriptedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	step := s.steps[min(s.calls, len(s.steps)-1)]
	s.calls++
	resp, err := step(httptrace.ContextClientTrace(req.Context()))
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// TestRetryTracesItsOwnAttempt: a retry's outcome is judged on what its own
// attempt traced. A create rejected with 429 is retried; the retry's
// transport got a connection and failed before writing the request, so the
// create was not sent and is retried again, not reported as unknown.
func TestRetryTracesItsOwnAttempt(t *testing.T) {
	answer := func(status int) func(*httptrace.ClientTrace) (*http.Response, error) {
		return func(tr *httptrace.ClientTrace) (*http.Response, error) {
			tr.GetConn("vendor.invalid:80")
			tr.WroteHeaders()
			return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), ContentLength: 2}, nil
		}
	}
	st := &scriptedTransport{steps: []func(*httptrace.ClientTrace) (*http.Response, error){
		answer(429),
		func(tr *httptrace.ClientTrace) (*http.Response, error) {
			tr.GetConn("vendor.invalid:80")
			return nil, io.ErrUnexpectedEOF
		},
		answer(200),
	}}
	c := newClient(t, "http://vendor.invalid/api", func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: st}
		cfg.Retry.MaxRetries = 3
	})
	if _, err := c.Do(context.Background(), &Request{Method: "POST", Path: "users", Body: []byte("{}"), ContentType: "application/json"}); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if st.calls != 3 {
		t.Errorf("transport called %d times, want 3", st.calls)
	}
}

package fakeserver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Server is a running fake: an [httptest.Server] on 127.0.0.1 that serves a vendor
// handler behind the kit's middleware. The zero value is not usable; call [New].
type Server struct {
	// URL is the base URL of the form http://127.0.0.1:port, with no trailing slash.
	URL string

	ts      *httptest.Server
	tb      testing.TB
	handler http.Handler
	log     RequestLog

	mu     sync.Mutex // guards the fields below
	now    func() time.Time
	faults []*faultRule
	limit  *limiter

	// sleep waits d or until ctx is done; tests replace it to observe latency faults.
	sleep func(ctx context.Context, d time.Duration) error
}

// New starts a server that serves h behind, in this order: the request log,
// rate-limit emulation, fault rules, then h. The server listens on 127.0.0.1.
//
// tb may be nil (for example in an example program); when it is set,
// tb.Cleanup closes the server at the end of the test.
func New(tb testing.TB, h http.Handler) *Server {
	if h == nil {
		h = http.NotFoundHandler()
	}
	s := &Server{tb: tb, handler: h, now: time.Now, sleep: sleepCtx}
	s.log.now = s.Now
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down and blocks until all outstanding requests have
// completed. Calling it more than once is safe.
func (s *Server) Close() { s.ts.Close() }

// Client returns an HTTP client configured for the server; it is closed with it.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Log returns the server's request log.
func (s *Server) Log() *RequestLog { return &s.log }

// SetClock replaces the clock used by rate-limit emulation and the request log's
// timestamps, so tests can move time without sleeping. A nil now restores time.Now.
func (s *Server) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Now reads the server's clock (see SetClock), for vendor fakes that stamp
// records or replies with the same time the log and rate limiter see.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	now := s.now
	s.mu.Unlock()
	return now()
}

// serveHTTP is the middleware chain: request log → rate limit → faults → handler.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	rec := &recorder{ResponseWriter: w, log: &s.log, body: body}
	rec.rewind(r)
	rec.entry = s.log.add(r, body)
	defer rec.finish()
	if err != nil {
		WriteText(rec, http.StatusBadRequest, fmt.Sprintf("fakeserver: reading request body: %v\n", err))
		return
	}
	if s.rateLimited(rec, r) {
		return
	}
	s.serveFaults(rec, r)
}

// fatalf reports a misuse of the kit: through tb when there is one, else by panicking,
// as a wrong test set-up is a programming error, not input.
func (s *Server) fatalf(format string, args ...any) {
	msg := fmt.Sprintf("fakeserver: "+format, args...)
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatal(msg)
	}
	panic(msg)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

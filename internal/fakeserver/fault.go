package fakeserver

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is a rule that makes the server misbehave on matching requests.
//
// Rules are checked in the order they were added. A rule matches a request when
// Method, Path and Match all accept it; each match advances the rule's counter.
// The first Skip matches pass through untouched, the next Times matches (every
// later one when Times is 0) fire. A firing rule first waits Latency, then does
// at most one of: reply Status, Drop, ApplyThenDrop. A rule that replies or drops
// ends the chain: later rules never see that request. A latency-only rule lets the
// request go on to the next rules and the handler.
//
// Go's http.Transport silently resends a GET, HEAD or OPTIONS request (or one
// with an Idempotency-Key header) once when a reused keep-alive connection
// closes before any reply, so a Drop with Times: 1 on such a request can be
// invisible to a client. Use Times: 2, or a write, to make the failure surface.
type Fault struct {
	Method string                   // "" matches any method
	Path   string                   // exact URL path, or a prefix ending in "*"; "" matches any
	Match  func(*http.Request) bool // optional extra predicate; it must not read the body destructively

	Skip  int // let the first Skip matching requests through
	Times int // then fire on this many matching requests; 0 means every one

	Status     int           // reply this status without running the handler
	RetryAfter string        // Retry-After header sent with Status, verbatim ("30", or an HTTP-date)
	Body       string        // reply body sent with Status; its Content-Type is sniffed (JSON, HTML, XML, text)
	Latency    time.Duration // wait this long before going on; ends early when the client goes away

	// Drop closes the connection before the handler runs: the client sees a
	// connection error and no response, and no state changes.
	Drop bool
	// ApplyThenDrop runs the handler to completion into a buffer, so it commits
	// its state change, then closes the connection without sending the reply:
	// the write was applied but the client never learns it.
	ApplyThenDrop bool
}

type faultRule struct {
	Fault

	mu   sync.Mutex
	seen int
}

// fires counts a matching request and reports whether the rule applies to it.
func (f *faultRule) fires() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen++
	n := f.seen - f.Skip
	return n > 0 && (f.Times == 0 || n <= f.Times)
}

func (f *faultRule) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if !pathMatches(f.Path, r.URL.Path) {
		return false
	}
	return f.Match == nil || f.Match(r)
}

func pathMatches(pattern, path string) bool {
	if pattern == "" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return path == pattern
}

// AddFault appends a rule and returns a function that removes it. A rule that
// asks for two terminal actions (Status, Drop, ApplyThenDrop) or has negative
// counters or latency fails the test (or panics when the server has no tb).
func (s *Server) AddFault(f Fault) (remove func()) {
	if s.tb != nil {
		s.tb.Helper()
	}
	if msg := validateFault(f); msg != "" {
		s.fatalf("AddFault: %s", msg)
	}
	rule := &faultRule{Fault: f}
	s.mu.Lock()
	s.faults = append(s.faults, rule)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, r := range s.faults {
			if r == rule {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
				return
			}
		}
	}
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

func validateFault(f Fault) string {
	terminal := 0
	for _, on := range []bool{f.Status != 0, f.Drop, f.ApplyThenDrop} {
		if on {
			terminal++
		}
	}
	switch {
	case terminal > 1:
		return "a fault may set only one of Status, Drop and ApplyThenDrop"
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return "Status must be a valid HTTP status"
	case f.Status == 0 && (f.RetryAfter != "" || f.Body != ""):
		return "RetryAfter and Body need a Status"
	case f.Skip < 0 || f.Times < 0 || f.Latency < 0:
		return "Skip, Times and Latency must not be negative"
	}
	return ""
}

// serveFaults runs the fault rules in order, then the handler if none ended the request.
func (s *Server) serveFaults(rec *recorder, r *http.Request) {
	s.mu.Lock()
	rules := append([]*faultRule(nil), s.faults...)
	sleep := s.sleep
	s.mu.Unlock()
	for _, f := range rules {
		rec.rewind(r) // a Match predicate may have read the body
		if !f.matches(r) || !f.fires() {
			continue
		}
		if f.Latency > 0 {
			if err := sleep(r.Context(), f.Latency); err != nil {
				rec.cut() // the client is gone; nothing to answer
				return
			}
		}
		if s.applyFault(rec, r, f) {
			return
		}
	}
	rec.rewind(r)
	s.handler.ServeHTTP(rec, r)
}

// applyFault performs f's terminal action, if any, and reports whether it did.
func (s *Server) applyFault(rec *recorder, r *http.Request, f *faultRule) bool {
	switch {
	case f.Status != 0:
		if f.RetryAfter != "" {
			rec.Header().Set("Retry-After", f.RetryAfter)
		}
		writeFaultBody(rec, f.Status, f.Body)
	case f.Drop:
		rec.cut()
	case f.ApplyThenDrop:
		rec.rewind(r)
		s.handler.ServeHTTP(newBufferedWriter(), r)
		rec.cut()
	default:
		return false
	}
	return true
}

func writeFaultBody(w http.ResponseWriter, status int, body string) {
	if body != "" {
		w.Header().Set("Content-Type", sniffContentType(body))
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// sniffContentType labels a fault body the way a vendor would have: JSON, an
// HTML error page (Litmos's WCF error pages, recorded in
// https://github.com/charliequinn/python-litmos-api; HiBob,
// https://apidocs.hibob.com/reference/error-handling), XML, or plain text.
func sniffContentType(body string) string {
	t := strings.ToLower(strings.TrimSpace(body))
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		return contentTypeJSON
	case strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html"):
		return contentTypeHTML
	case strings.HasPrefix(t, "<"):
		return contentTypeXML
	}
	return contentTypeText
}

// bufferedWriter is the ResponseWriter ApplyThenDrop gives the handler: it keeps
// the reply in memory, to be thrown away.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{header: http.Header{}} }

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

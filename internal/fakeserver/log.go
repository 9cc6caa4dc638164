package fakeserver

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Entry is one request as the server received it, and the status it answered.
//
// Header keeps the headers exactly as sent, credentials included, so tests can
// check them: it is test-only data and must not be printed to shared logs.
type Entry struct {
	Method string
	Path   string // URL path, unescaped
	Query  url.Values
	Header http.Header
	Body   []byte // the full request body; the handler received an identical copy

	// Status is the status written to the client: the handler's, a fault's or the
	// rate limiter's. It is 0 while the request is in flight and when the
	// connection was cut without a reply (Drop, ApplyThenDrop, a cancelled Latency).
	Status int
	At     time.Time // arrival time, from the server's clock (see Server.SetClock)
}

// IsWrite reports whether e is a write: POST, PUT, PATCH or DELETE.
// It is meant as a predicate for [RequestLog.Count].
func IsWrite(e Entry) bool {
	switch e.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// RequestLog records every request the server receives, in arrival order.
// It is safe for concurrent use.
type RequestLog struct {
	now func() time.Time

	mu      sync.Mutex
	entries []*Entry
}

// Entries returns a copy of the log in arrival order.
func (l *RequestLog) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Entry, len(l.entries))
	for i, e := range l.entries {
		out[i] = copyEntry(e)
	}
	return out
}

// Count returns how many entries satisfy match; a nil match counts them all.
// match runs on copies, outside the log's lock, so it may use the log itself.
func (l *RequestLog) Count(match func(Entry) bool) int {
	if match == nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.entries)
	}
	n := 0
	for _, e := range l.Entries() {
		if match(e) {
			n++
		}
	}
	return n
}

// Reset empties the log. Requests in flight when it is called are not logged again.
func (l *RequestLog) Reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

func (l *RequestLog) add(r *http.Request, body []byte) *Entry {
	e := &Entry{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		At:     l.now(),
	}
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
	return e
}

func (l *RequestLog) setStatus(e *Entry, status int) {
	l.mu.Lock()
	e.Status = status
	l.mu.Unlock()
}

// copyEntry deep-copies e so callers can neither race with nor mutate the log.
// The caller holds l.mu.
func copyEntry(e *Entry) Entry {
	c := *e
	c.Query = cloneValues(e.Query)
	c.Header = e.Header.Clone()
	if e.Body != nil {
		c.Body = append([]byte(nil), e.Body...)
	}
	return c
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	return url.Values(http.Header(v).Clone())
}

// recorder passes writes through and records the status in the log entry at the
// moment it is written, before any byte reaches the client, so a test that has
// its response always finds the status in the log.
type recorder struct {
	http.ResponseWriter
	log      *RequestLog
	entry    *Entry
	body     []byte // the request body, read once, replayed by rewind
	wrote    bool
	hijacked bool
}

func (rw *recorder) WriteHeader(status int) {
	if !rw.wrote && !rw.hijacked && status >= 200 {
		rw.wrote = true
		rw.log.setStatus(rw.entry, status)
	}
	rw.ResponseWriter.WriteHeader(status)
}

func (rw *recorder) Write(p []byte) (int, error) {
	if !rw.wrote {
		rw.WriteHeader(http.StatusOK)
	}
	return rw.ResponseWriter.Write(p)
}

// Flush implements http.Flusher when the underlying writer does.
func (rw *recorder) Flush() {
	if !rw.wrote {
		rw.WriteHeader(http.StatusOK)
	}
	if f, ok := rw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack implements http.Hijacker; the entry keeps status 0.
func (rw *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := rw.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("fakeserver: response writer %T cannot hijack", rw.ResponseWriter)
	}
	conn, buf, err := h.Hijack()
	if err == nil {
		rw.hijacked = true
	}
	return conn, buf, err
}

// cut closes the connection without writing a reply, so the client sees a
// connection error and no response.
func (rw *recorder) cut() {
	conn, _, err := rw.Hijack()
	if err != nil {
		// Not hijackable (never the case on httptest's HTTP/1 server): abort the
		// handler, which makes net/http close the connection without a reply.
		rw.hijacked = true
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// rewind gives r a fresh reader over the request body.
func (rw *recorder) rewind(r *http.Request) {
	r.Body = io.NopCloser(bytes.NewReader(rw.body))
}

// finish records the implicit 200 net/http sends for a handler that wrote nothing.
func (rw *recorder) finish() {
	if !rw.wrote && !rw.hijacked {
		rw.wrote = true
		rw.log.setStatus(rw.entry, http.StatusOK)
	}
}

package fakeserver

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// manualClock is a clock tests move by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func newManualClock() *manualClock {
	return &manualClock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// store is a tiny stateful API: POST appends the body, anything else lists.
// It answers 201 to a POST and 200 otherwise.
type store struct {
	mu    sync.Mutex
	calls int
	items []string
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		WriteText(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if r.Method == http.MethodPost {
		s.items = append(s.items, string(body))
		WriteJSON(w, http.StatusCreated, map[string]int{"id": len(s.items)})
		return
	}
	WriteJSON(w, http.StatusOK, s.items)
}

func (s *store) snapshot() (calls int, items []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, append([]string(nil), s.items...)
}

// reply is what a client observed.
type reply struct {
	status     int
	retryAfter string
	body       string
	err        error
}

func send(t *testing.T, srv *Server, method, path, body string) reply {
	t.Helper()
	return sendCtx(t, context.Background(), srv, method, path, body)
}

func sendCtx(t *testing.T, ctx context.Context, srv *Server, method, path, body string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		return reply{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return reply{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: string(b)}
}

// statuses returns the logged statuses in arrival order.
func statuses(srv *Server) []int {
	var out []int
	for _, e := range srv.Log().Entries() {
		out = append(out, e.Status)
	}
	return out
}

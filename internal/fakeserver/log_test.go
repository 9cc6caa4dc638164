package fakeserver

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// loggedRequest is the part of an Entry these tests compare.
type loggedRequest struct {
	Method, Path, Query, Body, Auth string
	Status                          int
	At                              time.Time
}

func project(entries []Entry) []loggedRequest {
	out := make([]loggedRequest, len(entries))
	for i, e := range entries {
		out[i] = loggedRequest{e.Method, e.Path, e.Query.Encode(), string(e.Body), e.Header.Get("Authorization"), e.Status, e.At}
	}
	return out
}

func TestRequestLogRecordsWhatTheClientGot(t *testing.T) {
	var seen []string // bodies the handler read; requests below are sequential
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = append(seen, string(b))
		switch r.URL.Path {
		case "/silent": // writes nothing: net/http answers 200
		case "/created":
			WriteJSON(w, http.StatusCreated, map[string]string{"id": "1"})
		default:
			w.Write([]byte("implicit 200"))
		}
	})
	srv := New(t, h)
	clock := newManualClock()
	t0 := clock.Now()
	srv.SetClock(clock.Now)
	srv.SetRateLimit(RateLimit{Requests: 5, Per: time.Minute, Status: 503})
	srv.AddFault(Fault{Path: "/fault", Status: 502})
	srv.AddFault(Fault{Path: "/drop", Drop: true})
	srv.AddFault(Fault{Path: "/lost", ApplyThenDrop: true})

	do := func(method, target, body string) {
		req, _ := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
		req.SetBasicAuth("key", "x")
		if resp, err := srv.Client().Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		clock.Advance(time.Second)
	}
	do("POST", "/created?x=1&x=2", `{"name":"Ana Müller"}`)
	do("GET", "/silent", "")
	do("PUT", "/fault", "put body")
	do("POST", "/drop", "dropped body")
	do("POST", "/lost", "lost body")
	do("DELETE", "/text", "")

	auth := "Basic a2V5Ong="
	want := []loggedRequest{
		{"POST", "/created", "x=1&x=2", `{"name":"Ana Müller"}`, auth, 201, t0},
		{"GET", "/silent", "", "", auth, 200, t0.Add(1 * time.Second)},
		{"PUT", "/fault", "", "put body", auth, 502, t0.Add(2 * time.Second)},
		{"POST", "/drop", "", "dropped body", auth, 0, t0.Add(3 * time.Second)},
		{"POST", "/lost", "", "lost body", auth, 0, t0.Add(4 * time.Second)},
		{"DELETE", "/text", "", "", auth, 503, t0.Add(5 * time.Second)},
	}
	if diff := cmp.Diff(want, project(srv.Log().Entries())); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`{"name":"Ana Müller"}`, "", "lost body"}, seen); diff != "" {
		t.Errorf("bodies the handler read (-want +got):\n%s", diff)
	}
	if got := srv.Log().Count(IsWrite); got != 5 {
		t.Errorf("Count(IsWrite) = %d, want 5", got)
	}
	if got := srv.Log().Count(func(e Entry) bool { return e.Status == 0 }); got != 2 {
		t.Errorf("Count(cut connections) = %d, want 2", got)
	}
	srv.Log().Reset()
	if got := srv.Log().Count(nil); got != 0 {
		t.Errorf("after Reset: Count = %d, want 0", got)
	}
}

func TestRequestLogLargeBodyIntact(t *testing.T) {
	body := strings.Repeat("0123456789", 100_000) // 1 MB: more than any buffer on the way
	var got string
	srv := New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
	}))
	if r := send(t, srv, "POST", "/upload", body); r.status != 200 {
		t.Fatalf("POST: %d %v", r.status, r.err)
	}
	if got != body {
		t.Errorf("handler read %d bytes, want %d identical ones", len(got), len(body))
	}
	if e := srv.Log().Entries()[0]; string(e.Body) != body {
		t.Errorf("log kept %d bytes, want %d identical ones", len(e.Body), len(body))
	}
}

func TestRequestLogEntriesAreCopies(t *testing.T) {
	srv := New(t, &store{})
	req, _ := http.NewRequest("POST", srv.URL+"/v1/users?q=a", strings.NewReader("abc"))
	req.Header.Set("X-Test", "1")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	e := srv.Log().Entries()[0]
	e.Body[0] = 'X'
	e.Header.Set("X-Test", "2")
	e.Query.Set("q", "b")
	again := srv.Log().Entries()[0]
	got := []string{string(again.Body), again.Header.Get("X-Test"), again.Query.Get("q")}
	if diff := cmp.Diff([]string{"abc", "1", "a"}, got); diff != "" {
		t.Errorf("log changed through a returned entry (-want +got):\n%s", diff)
	}
}

func TestRequestLogConcurrent(t *testing.T) {
	const n = 50
	srv := New(t, &store{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			method := "GET"
			if i%2 == 0 {
				method = "POST"
			}
			send(t, srv, method, "/v1/users?i="+url.QueryEscape(string(rune('a'+i%26))), "x")
			srv.Log().Count(IsWrite) // reads race with writes
			srv.Log().Entries()
		}()
	}
	wg.Wait()
	if got := srv.Log().Count(nil); got != n {
		t.Errorf("logged %d requests, want %d", got, n)
	}
	if got := srv.Log().Count(IsWrite); got != n/2 {
		t.Errorf("logged %d writes, want %d", got, n/2)
	}
	if got := srv.Log().Count(func(e Entry) bool { return e.Status == 0 }); got != 0 {
		t.Errorf("%d entries without a status after every reply arrived", got)
	}
}

func TestIsWrite(t *testing.T) {
	tests := map[string]bool{
		"GET": false, "HEAD": false, "OPTIONS": false,
		"POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	}
	for method, want := range tests {
		if got := IsWrite(Entry{Method: method}); got != want {
			t.Errorf("IsWrite(%s) = %v, want %v", method, got, want)
		}
	}
}

// Now is the clock SetClock installs, and time.Now again after SetClock(nil).
func TestNowFollowsSetClock(t *testing.T) {
	srv := New(t, nil)
	clock := newManualClock()
	srv.SetClock(clock.Now)
	clock.Advance(time.Hour)
	if got, want := srv.Now(), clock.Now(); !got.Equal(want) {
		t.Errorf("Now() = %v, want the injected %v", got, want)
	}
	srv.SetClock(nil)
	if got := srv.Now(); got.Equal(clock.Now()) {
		t.Errorf("Now() after SetClock(nil) = %v, still the injected clock", got)
	}
}

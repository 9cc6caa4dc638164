package fakeserver

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDropCutsConnectionBeforeHandler(t *testing.T) {
	api := &store{}
	srv := New(t, api)
	srv.AddFault(Fault{Method: "POST", Path: "/v1/users", Drop: true})

	got := send(t, srv, "POST", "/v1/users", "ana")
	if got.err == nil {
		t.Fatalf("POST with Drop: got status %d, want a connection error", got.status)
	}
	if calls, items := api.snapshot(); calls != 0 || len(items) != 0 {
		t.Errorf("handler ran %d times, state %q; want it never run", calls, items)
	}
	if diff := cmp.Diff([]int{0}, statuses(srv)); diff != "" {
		t.Errorf("logged statuses (-want +got):\n%s", diff)
	}
}

func TestApplyThenDropCommitsAndLosesReply(t *testing.T) {
	api := &store{}
	srv := New(t, api)
	srv.AddFault(Fault{Method: "POST", Path: "/v1/*", Times: 1, ApplyThenDrop: true})

	got := send(t, srv, "POST", "/v1/users", "ana")
	if got.err == nil {
		t.Fatalf("POST with ApplyThenDrop: got status %d, want a connection error", got.status)
	}
	calls, items := api.snapshot()
	if calls != 1 {
		t.Errorf("handler ran %d times, want exactly 1", calls)
	}
	if diff := cmp.Diff([]string{"ana"}, items); diff != "" {
		t.Errorf("committed state (-want +got):\n%s", diff)
	}

	// The rule is spent: the next POST is answered normally and sees the first.
	if got := send(t, srv, "POST", "/v1/users", "bo"); got.status != http.StatusCreated || got.body != `{"id":2}`+"\n" {
		t.Errorf("second POST: got %d %q (err %v), want 201 {\"id\":2}", got.status, got.body, got.err)
	}
	if diff := cmp.Diff([]int{0, http.StatusCreated}, statuses(srv)); diff != "" {
		t.Errorf("logged statuses (-want +got):\n%s", diff)
	}
}

func TestStatusFault(t *testing.T) {
	tests := []struct {
		name        string
		fault       Fault
		wantType    string
		wantRetry   string
		wantBody    string
		wantHandler int
	}{
		{
			name:      "503 with Retry-After seconds",
			fault:     Fault{Status: 503, RetryAfter: "30"},
			wantRetry: "30",
		},
		{
			name:      "429 with Retry-After date and JSON body",
			fault:     Fault{Status: 429, RetryAfter: "Mon, 30 Nov 2026 09:00:00 GMT", Body: `{"error":{"code":429}}`},
			wantType:  contentTypeJSON,
			wantRetry: "Mon, 30 Nov 2026 09:00:00 GMT",
			wantBody:  `{"error":{"code":429}}`,
		},
		{
			name:     "500 HTML error page",
			fault:    Fault{Status: 500, Body: "<!DOCTYPE html><html>Request Error</html>"},
			wantType: contentTypeHTML,
			wantBody: "<!DOCTYPE html><html>Request Error</html>",
		},
		{
			name:     "400 XML",
			fault:    Fault{Status: 400, Body: "<error>Malformed XML</error>"},
			wantType: contentTypeXML,
			wantBody: "<error>Malformed XML</error>",
		},
		{
			name:     "502 text",
			fault:    Fault{Status: 502, Body: "bad gateway"},
			wantType: contentTypeText,
			wantBody: "bad gateway",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &store{}
			srv := New(t, api)
			srv.AddFault(tt.fault)
			req, _ := http.NewRequest("GET", srv.URL+"/v1/users", nil)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			resp.Body.Close()
			got := reply{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
			want := reply{status: tt.fault.Status, retryAfter: tt.wantRetry}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(reply{})); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
			if ct := resp.Header.Get("Content-Type"); tt.wantType != "" && ct != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
			}
			full := send(t, srv, "GET", "/v1/users", "")
			if full.body != tt.wantBody {
				t.Errorf("body = %q, want %q", full.body, tt.wantBody)
			}
			if calls, _ := api.snapshot(); calls != 0 {
				t.Errorf("handler ran %d times, want 0", calls)
			}
		})
	}
}

func TestLatencyWaitsThenServes(t *testing.T) {
	api := &store{}
	srv := New(t, api)
	var waited []time.Duration
	srv.mu.Lock()
	srv.sleep = func(ctx context.Context, d time.Duration) error {
		waited = append(waited, d) // requests below are sequential
		return nil
	}
	srv.mu.Unlock()
	srv.AddFault(Fault{Path: "/v1/users", Latency: 3 * time.Second})

	if got := send(t, srv, "GET", "/v1/users", ""); got.status != http.StatusOK {
		t.Fatalf("GET: got %d (err %v), want 200", got.status, got.err)
	}
	if got := send(t, srv, "GET", "/v1/teams", ""); got.status != http.StatusOK {
		t.Fatalf("GET other path: got %d (err %v), want 200", got.status, got.err)
	}
	if diff := cmp.Diff([]time.Duration{3 * time.Second}, waited); diff != "" {
		t.Errorf("latencies applied (-want +got):\n%s", diff)
	}
	if calls, _ := api.snapshot(); calls != 2 {
		t.Errorf("handler ran %d times, want 2", calls)
	}
}

func TestLatencyEndsWhenClientCancels(t *testing.T) {
	api := &store{}
	srv := New(t, api)
	started := make(chan struct{})
	ended := make(chan error, 1)
	srv.mu.Lock()
	srv.sleep = func(ctx context.Context, d time.Duration) error {
		close(started)
		err := sleepCtx(ctx, d) // the real wait
		ended <- err
		return err
	}
	srv.mu.Unlock()
	srv.AddFault(Fault{Latency: time.Hour})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan reply, 1)
	go func() { got <- sendCtx(t, ctx, srv, "POST", "/v1/users", "ana") }()
	<-started
	cancel()

	if r := <-got; !errors.Is(r.err, context.Canceled) {
		t.Errorf("client: got %d, err %v; want context.Canceled", r.status, r.err)
	}
	// Without the context the server would wait an hour and the test time out.
	if err := <-ended; !errors.Is(err, context.Canceled) {
		t.Errorf("server wait ended with %v, want context.Canceled", err)
	}
	srv.Close() // waits for the request to finish on the server
	if calls, _ := api.snapshot(); calls != 0 {
		t.Errorf("handler ran %d times after the client left, want 0", calls)
	}
	if diff := cmp.Diff([]int{0}, statuses(srv)); diff != "" {
		t.Errorf("logged statuses (-want +got):\n%s", diff)
	}
}

func TestSkipTimesSequence(t *testing.T) {
	tests := []struct {
		skip, times int
		want        []int
	}{
		{0, 0, []int{503, 503, 503, 503, 503}},
		{0, 1, []int{503, 201, 201, 201, 201}},
		{2, 0, []int{201, 201, 503, 503, 503}},
		{1, 2, []int{201, 503, 503, 201, 201}},
		{5, 1, []int{201, 201, 201, 201, 201}},
	}
	for _, tt := range tests {
		srv := New(t, &store{})
		srv.AddFault(Fault{Method: "POST", Skip: tt.skip, Times: tt.times, Status: 503})
		var got []int
		for range tt.want {
			got = append(got, send(t, srv, "POST", "/v1/users", "x").status)
			// Non-matching requests do not advance the counter.
			send(t, srv, "GET", "/v1/users", "")
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Skip %d Times %d: statuses (-want +got):\n%s", tt.skip, tt.times, diff)
		}
	}
}

func TestSkipTimesUnderConcurrency(t *testing.T) {
	const n, skip, times = 60, 7, 20
	api := &store{}
	srv := New(t, api)
	srv.AddFault(Fault{Skip: skip, Times: times, Status: 503})

	var wg sync.WaitGroup
	results := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- send(t, srv, "POST", "/v1/users", "x").status
		}()
	}
	wg.Wait()
	close(results)
	got := map[int]int{}
	for s := range results {
		got[s]++
	}
	want := map[int]int{503: times, 201: n - times}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
	if calls, _ := api.snapshot(); calls != n-times {
		t.Errorf("handler ran %d times, want %d", calls, n-times)
	}
}

func TestFaultChainOrder(t *testing.T) {
	srv := New(t, &store{})
	var mu sync.Mutex
	waits := 0
	srv.mu.Lock()
	srv.sleep = func(context.Context, time.Duration) error {
		mu.Lock()
		waits++
		mu.Unlock()
		return nil
	}
	srv.mu.Unlock()
	srv.AddFault(Fault{Latency: time.Second})        // fires on every request, goes on
	srv.AddFault(Fault{Times: 1, Status: 500})       // answers the first request
	srv.AddFault(Fault{Times: 1, Status: 502})       // never saw the first: answers the second
	srv.AddFault(Fault{Path: "/other", Status: 418}) // never matches
	srv.AddFault(Fault{Method: "PUT", Drop: true})   // never matches

	var got []int
	for range 3 {
		got = append(got, send(t, srv, "POST", "/v1/users", "x").status)
	}
	if diff := cmp.Diff([]int{500, 502, 201}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if waits != 3 {
		t.Errorf("latency applied %d times, want 3", waits)
	}
}

func TestFaultMatchAndRemove(t *testing.T) {
	srv := New(t, &store{})
	remove := srv.AddFault(Fault{
		Method: "post", // case-insensitive
		Match: func(r *http.Request) bool {
			var b [8]byte
			n, _ := r.Body.Read(b[:]) // reading the body must not starve the handler
			return string(b[:n]) == "boom"
		},
		Status: 409,
	})
	if got := send(t, srv, "POST", "/v1/users", "boom"); got.status != 409 {
		t.Errorf("matching body: got %d (err %v), want 409", got.status, got.err)
	}
	if got := send(t, srv, "POST", "/v1/users", "calm"); got.status != 201 {
		t.Errorf("other body: got %d (err %v), want 201", got.status, got.err)
	}
	if got := send(t, srv, "GET", "/v1/users", ""); got.body != `["calm"]`+"\n" {
		t.Errorf("handler saw bodies %q, want [\"calm\"]", got.body)
	}
	remove()
	remove() // idempotent
	if got := send(t, srv, "POST", "/v1/users", "boom"); got.status != 201 {
		t.Errorf("after remove: got %d (err %v), want 201", got.status, got.err)
	}
	srv.AddFault(Fault{Status: 500})
	srv.AddFault(Fault{Drop: true})
	srv.ClearFaults()
	if got := send(t, srv, "GET", "/v1/users", ""); got.status != 200 {
		t.Errorf("after ClearFaults: got %d (err %v), want 200", got.status, got.err)
	}
}

func TestPathMatches(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"", "/anything", true},
		{"/v1/users", "/v1/users", true},
		{"/v1/users", "/v1/users/1", false},
		{"/v1/users", "/v1/user", false},
		{"/v1/users*", "/v1/users/1", true},
		{"/v1/users/*", "/v1/users", false},
		{"/v1/*", "/v1/", true},
		{"*", "/", true},
		{"/v1/users/*/teams", "/v1/users/1/teams", false}, // "*" is only a trailing wildcard
	}
	for _, tt := range tests {
		if got := pathMatches(tt.pattern, tt.path); got != tt.want {
			t.Errorf("pathMatches(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

// Go's Transport resends a GET once when a reused connection closes before any
// reply; the Fault doc warns about it, and this pins the behaviour down.
func TestDropGetRetriedByTransport(t *testing.T) {
	tests := []struct {
		times      int
		wantErr    bool
		wantLogged int
	}{
		{times: 1, wantErr: false, wantLogged: 3}, // dropped, resent, served
		{times: 0, wantErr: true, wantLogged: 3},  // dropped, resent, dropped
	}
	for _, tt := range tests {
		srv := New(t, &store{})
		// Warm a keep-alive connection so the faulty request reuses it.
		if got := send(t, srv, "GET", "/v1/users", ""); got.status != 200 {
			t.Fatalf("warm-up GET: %d %v", got.status, got.err)
		}
		srv.AddFault(Fault{Method: "GET", Times: tt.times, Drop: true})
		got := send(t, srv, "GET", "/v1/users", "")
		if (got.err != nil) != tt.wantErr {
			t.Errorf("Times %d: got status %d err %v, want error %v", tt.times, got.status, got.err, tt.wantErr)
		}
		if n := srv.Log().Count(nil); n != tt.wantLogged {
			t.Errorf("Times %d: logged %d requests, want %d", tt.times, n, tt.wantLogged)
		}
	}
}

func TestValidateFault(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		ok    bool
	}{
		{"empty", Fault{}, true},
		{"status", Fault{Status: 503, RetryAfter: "1", Body: "x"}, true},
		{"latency and drop", Fault{Latency: time.Second, Drop: true}, true},
		{"status and drop", Fault{Status: 503, Drop: true}, false},
		{"drop and apply", Fault{Drop: true, ApplyThenDrop: true}, false},
		{"bad status", Fault{Status: 1000}, false},
		{"retry-after without status", Fault{RetryAfter: "1"}, false},
		{"negative skip", Fault{Skip: -1}, false},
		{"negative times", Fault{Times: -1}, false},
		{"negative latency", Fault{Latency: -time.Second}, false},
	}
	for _, tt := range tests {
		if msg := validateFault(tt.fault); (msg == "") != tt.ok {
			t.Errorf("%s: validateFault = %q, want ok %v", tt.name, msg, tt.ok)
		}
	}
}

func TestAddFaultPanicsWithoutTB(t *testing.T) {
	srv := New(nil, &store{})
	defer srv.Close()
	defer func() {
		got, _ := recover().(string)
		want := "fakeserver: AddFault: a fault may set only one of Status, Drop and ApplyThenDrop"
		if got != want {
			t.Errorf("panic = %q, want %q", got, want)
		}
	}()
	srv.AddFault(Fault{Status: 500, Drop: true})
}

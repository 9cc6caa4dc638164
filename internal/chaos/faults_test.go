package chaos_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/chaos"
	"github.com/rostersync/rostersync/internal/fakeserver"
)

// faultServer serves 204 to everything behind f's rules, and records the
// methods of the requests the handler ran.
func faultServer(t *testing.T, f *chaos.Faults) (*fakeserver.Server, *[]string) {
	t.Helper()
	handled := new([]string)
	s := fakeserver.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*handled = append(*handled, r.Method) // the tests send one request at a time
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, r := range f.Rules() {
		s.AddFault(r)
	}
	return s, handled
}

// enabledServer is a faultServer behind a new, enabled fault set.
func enabledServer(t *testing.T, seed uint64, rate float64) (*chaos.Faults, *fakeserver.Server, *[]string) {
	t.Helper()
	f := chaos.New(seed, rate, time.Hour)
	f.Enable(true)
	s, handled := faultServer(t, f)
	return f, s, handled
}

// shortClient gives up after 200ms and never reuses a connection, so Go's
// transport never resends a request on its own.
func shortClient() *http.Client {
	return &http.Client{Timeout: 200 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
}

func send(t *testing.T, c *http.Client, method, url string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestFaultsOffByDefault(t *testing.T) {
	f := chaos.New(1, 1, time.Hour)
	s, handled := faultServer(t, f)
	for range 20 {
		if got := send(t, s.Client(), http.MethodPost, s.URL+"/x"); got != http.StatusNoContent {
			t.Fatalf("status %d with injection off", got)
		}
	}
	if f.Total() != 0 || len(*handled) != 20 {
		t.Errorf("fired %d, handled %d; want 0 and 20", f.Total(), len(*handled))
	}
}

// TestFaultsEveryKind: at rate 1 every request fails, each kind shows as
// it should in the log, and a read is never "applied".
func TestFaultsEveryKind(t *testing.T) {
	f, s, handled := enabledServer(t, 7, 1)
	client := shortClient()
	const n = 100
	for i := range n {
		method := http.MethodGet
		if i%2 == 0 {
			method = http.MethodPost
		}
		if got := send(t, client, method, s.URL+"/x"); got == http.StatusNoContent {
			t.Fatalf("request %d went through at rate 1", i)
		}
	}
	// A request the client gave up on before the server read it (on a
	// busy machine) is neither logged nor drawn.
	if got, drawn, seen := f.Total(), f.Drawn(), s.Log().Count(nil); got != seen || drawn != seen || seen < n*9/10 {
		t.Errorf("fired %d faults, drew %d, for %d requests received of %d sent", got, drawn, seen, n)
	}
	for _, k := range chaos.Kinds() {
		if f.Fired(k) == 0 {
			t.Errorf("no %s fault in %d draws (%s)", k, n, f.Summary())
		}
	}
	if len(*handled) != f.Fired(chaos.AppliedLost) {
		t.Errorf("the handler ran %d times, want once per applied-lost fault (%d)", len(*handled), f.Fired(chaos.AppliedLost))
	}
	for _, m := range *handled {
		if m != http.MethodPost {
			t.Errorf("a %s was applied", m)
		}
	}
	limited := s.Log().Count(func(e fakeserver.Entry) bool { return e.Status == http.StatusTooManyRequests })
	if limited != f.Fired(chaos.RateLimited) {
		t.Errorf("log has %d 429s, fired %d", limited, f.Fired(chaos.RateLimited))
	}
}

func TestFaultsRate(t *testing.T) {
	f, s, _ := enabledServer(t, 3, 0.2)
	client := shortClient()
	const n = 300
	for range n {
		send(t, client, http.MethodPut, s.URL+"/x")
	}
	// 60 expected; a binomial(300, 0.2) stays within ±30 but once in millions.
	if got, drawn := f.Total(), f.Drawn(); got < 30 || got > 90 || drawn != s.Log().Count(nil) {
		t.Errorf("fired %d in %d draws for %d requests at rate 0.2", got, drawn, s.Log().Count(nil))
	}
}

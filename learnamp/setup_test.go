package learnamp_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

var update = flag.Bool("update", false, "rewrite the golden request files in testdata/")

// newFake starts a fake Learn Amp under a path prefix (so a path that
// ignores the base URL fails) and returns it with a client for it.
func newFake(t *testing.T, opts ...learnamptest.Option) (*learnamptest.Server, *learnamp.Client) {
	t.Helper()
	srv := learnamptest.NewServer(t, append([]learnamptest.Option{learnamptest.WithPathPrefix("/proxy/learnamp")}, opts...)...)
	return srv, srv.NewClient(t)
}

// clock is a manual clock shared by the fake and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// calls lists the requests the fake received as "METHOD /path status",
// without the proxy prefix.
func calls(srv *learnamptest.Server) []string {
	var out []string
	for _, e := range srv.Log().Entries() {
		p := e.Path
		if len(p) >= len("/proxy/learnamp") && p[:len("/proxy/learnamp")] == "/proxy/learnamp" {
			p = p[len("/proxy/learnamp"):]
		}
		out = append(out, e.Method+" "+p+" "+strconv.Itoa(e.Status))
	}
	return out
}

// lastBody is the body of the last request the fake received.
func lastBody(t *testing.T, srv *learnamptest.Server) []byte {
	t.Helper()
	es := srv.Log().Entries()
	if len(es) == 0 {
		t.Fatal("no request logged")
	}
	return es[len(es)-1].Body
}

// checkGolden compares a JSON request body with testdata/name, both
// indented alike, so that key order and every value are compared.
func checkGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	var got bytes.Buffer
	if err := json.Indent(&got, body, "", "  "); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	got.WriteByte('\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), got.String()); d != "" {
		t.Errorf("request body differs from %s (-want +got):\n%s", path, d)
	}
}

// readTestdata returns a vendor payload from testdata/.
func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func isToken(e learnamptest.Entry) bool { return learnamptest.IsTokenRequest(e) }

// apiEntries are the logged requests other than token requests.
func apiEntries(srv *learnamptest.Server) []learnamptest.Entry {
	var out []learnamptest.Entry
	for _, e := range srv.Log().Entries() {
		if !learnamptest.IsTokenRequest(e) {
			out = append(out, e)
		}
	}
	return out
}

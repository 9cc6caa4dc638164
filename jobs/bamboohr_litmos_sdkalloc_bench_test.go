package jobs_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// The SDK-only benchmarks run the 10k BambooHR → Litmos syncs on canned
// answers: a first run against the fakes records every exchange, and each
// measured run gets the recorded bytes back from a transport that does no
// more than a map lookup, so the allocations measured are the SDK's
// (request building and encoding, the HTTP core, decoding, mapping, the
// engine and its memory store) and not the fakes'.

// exchangeKey identifies a request: its method, path, query and body, hashed
// without allocating (FNV-1a).
func exchangeKey(req *http.Request, body []byte) uint64 {
	return hashBody(requestHash(req), body)
}

// requestHash is the part of exchangeKey before the body.
func requestHash(req *http.Request) uint64 {
	h := uint64(14695981039346656037)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211
	}
	add(req.Method)
	add(req.URL.Host)
	add(req.URL.EscapedPath())
	add(req.URL.RawQuery)
	return h
}

// hashBody goes on hashing h with b, which may come in pieces.
func hashBody(h uint64, b []byte) uint64 {
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// recorded is one answer as it came from a fake.
type recorded struct {
	status int
	header http.Header
	body   []byte
}

// tape is what one run exchanged, in order per request key (a repeated
// request, such as a listing before and after a bulk import, gets its
// answers back in the order they came).
type tape map[uint64][]recorded

// recorder is a RoundTripper that records every exchange of next.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	tape tape
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	r.mu.Lock()
	k := exchangeKey(req, body)
	r.tape[k] = append(r.tape[k], recorded{status: resp.StatusCode, header: resp.Header.Clone(), body: b})
	r.mu.Unlock()
	return resp, nil
}

// cannedBody is a recorded body to read once.
type cannedBody struct{ bytes.Reader }

func (*cannedBody) Close() error { return nil }

// canned is a recorded answer made ready to serve before the measured run.
type canned struct {
	resp http.Response
	body cannedBody
}

// replayer serves a tape: each answer is built before the run, so serving
// allocates nothing but what net/http's client does around RoundTrip.
type replayer struct {
	mu      sync.Mutex
	answers map[uint64][]*canned
	buf     [32 << 10]byte // request bodies are hashed through it, so a large one costs nothing
	misses  int
}

func newReplayer(t tape) *replayer {
	r := &replayer{answers: make(map[uint64][]*canned, len(t))}
	for k, rs := range t {
		cs := make([]*canned, len(rs))
		for i, rec := range rs {
			c := &canned{}
			c.body.Reset(rec.body)
			c.resp = http.Response{
				Status: fmt.Sprintf("%d %s", rec.status, http.StatusText(rec.status)), StatusCode: rec.status,
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				Header: rec.header.Clone(), Body: &c.body, ContentLength: int64(len(rec.body)),
			}
			cs[i] = c
		}
		r.answers[k] = cs
	}
	return r
}

func (r *replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := requestHash(req)
	if req.Body != nil {
		for {
			n, err := req.Body.Read(r.buf[:])
			k = hashBody(k, r.buf[:n])
			if err == io.EOF {
				break
			}
			if err != nil {
				req.Body.Close()
				return nil, err
			}
		}
		req.Body.Close()
	}
	cs := r.answers[k]
	if len(cs) == 0 {
		r.misses++
		return nil, fmt.Errorf("replay: no recorded answer for %s %s", req.Method, req.URL.Path)
	}
	r.answers[k] = cs[1:]
	c := cs[0]
	c.resp.Request = req
	return &c.resp, nil
}

// sdkEngine is the preset on clients whose transport is rt, with no pacing
// (the replay answers at once) and the given store.
func sdkEngine(b *testing.B, j *benchJob, rt http.RoundTripper, store syncengine.Store, bulkMin int) *syncengine.Engine {
	hc := &http.Client{Transport: rt}
	hr := j.hr.NewClient(b, bamboohr.WithHTTPClient(hc))
	lms := j.lms.NewClient(b, litmos.WithHTTPClient(hc), litmos.WithRateLimit(litmos.Limit{}))
	cfg, err := jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Store, cfg.BulkMin = store, bulkMin
	eng, err := syncengine.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return eng
}

// record runs one sync on the fakes, recording what it exchanged.
func record(b *testing.B, j *benchJob, store syncengine.Store, bulkMin int) (tape, *syncengine.Report) {
	rec := &recorder{next: j.hr.Client().Transport, tape: tape{}}
	eng := sdkEngine(b, j, rec, store, bulkMin)
	defer eng.Close()
	rep, err := eng.Sync(context.Background())
	if err != nil {
		b.Fatalf("recording: %v", err)
	}
	return rec.tape, rep
}

// sdkAllocProfile names a file prefix: each measured run then writes the
// allocation profile before and after it (PREFIX-Benchmark...-before.pprof),
// so that go tool pprof -diff_base shows what the run alone allocated.
var sdkAllocProfile = flag.String("sdkalloc.profile", "", "write allocation profiles around each SDK-only run to this `prefix`")

func writeAllocs(b *testing.B, when string) {
	if *sdkAllocProfile == "" {
		return
	}
	f, err := os.Create(fmt.Sprintf("%s-%s-%s.pprof", *sdkAllocProfile, strings.ReplaceAll(b.Name(), "/", "_"), when))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}

// sdkMetrics accumulates the allocations of the measured runs.
type sdkMetrics struct {
	n              int
	bytes, mallocs uint64
}

// replay runs one sync on t with store, measuring what it allocates, and
// checks that it did what the recorded run did.
func (m *sdkMetrics) replay(b *testing.B, j *benchJob, t tape, store syncengine.Store, bulkMin int, want *syncengine.Report) {
	rp := newReplayer(t)
	eng := sdkEngine(b, j, rp, store, bulkMin)
	defer eng.Close()
	var before, after runtime.MemStats
	runtime.GC()
	writeAllocs(b, "before")
	runtime.ReadMemStats(&before)
	b.StartTimer()
	rep, err := eng.Sync(context.Background())
	b.StopTimer()
	runtime.ReadMemStats(&after)
	runtime.GC()
	writeAllocs(b, "after")
	if err != nil || rp.misses != 0 {
		b.Fatalf("replay: %v (%d requests not on the tape)", err, rp.misses)
	}
	if got, w := rep.Summary(), want.Summary(); got != w {
		b.Fatalf("replay: %s; recorded run: %s", got, w)
	}
	m.n++
	m.bytes += after.TotalAlloc - before.TotalAlloc
	m.mallocs += after.Mallocs - before.Mallocs
}

func (m *sdkMetrics) report(b *testing.B) {
	b.ReportMetric(float64(m.bytes)/float64(m.n)/benchEmployees, "sdk-B/employee")
	b.ReportMetric(float64(m.mallocs)/float64(m.n)/benchEmployees, "sdk-allocs/employee")
}

// BenchmarkSDKAllocFirstSync: the 10k first sync into an empty Litmos, one
// create per learner, on recorded answers.
func BenchmarkSDKAllocFirstSync(b *testing.B) {
	b.StopTimer()
	j := newBenchJob(b, false)
	j.lms.SetRateLimit(litmostest.RateLimit{})
	t, want := record(b, j, syncengine.NewMemoryStore(), 1<<30)
	if want.Counts[syncengine.ResultCreated] != benchEmployees {
		b.Fatalf("recorded first sync: %s", want.Summary())
	}
	var m sdkMetrics
	for n := 0; n < b.N; n++ {
		m.replay(b, j, t, syncengine.NewMemoryStore(), 1<<30, want)
	}
	m.report(b)
}

// BenchmarkSDKAllocResync1Percent: the 10k synced learners, 1% of them
// with a new job title, on recorded answers. Each measured run starts from
// the store the linking sync leaves (replayed, unmeasured).
func BenchmarkSDKAllocResync1Percent(b *testing.B) {
	b.StopTimer()
	j := newBenchJob(b, false)
	seedLearners(j.lms, j.ids)
	j.lms.SetRateLimit(litmostest.RateLimit{})
	store := syncengine.NewMemoryStore()
	link, linked := record(b, j, store, 0)
	if linked.Counts[syncengine.ResultUnchanged] != benchEmployees {
		b.Fatalf("linking sync: %s", linked.Summary())
	}
	for i := 0; i < benchChanged; i++ {
		j.hr.SetField(j.ids[i*97%benchEmployees], "jobTitle", "Senior Associate")
	}
	t, want := record(b, j, store, 0)
	if want.Counts[syncengine.ResultUpdated] != benchChanged {
		b.Fatalf("recorded re-sync: %s", want.Summary())
	}
	var m, discard sdkMetrics
	for n := 0; n < b.N; n++ {
		store := syncengine.NewMemoryStore()
		discard.replay(b, j, link, store, 0, linked)
		m.replay(b, j, t, store, 0, want)
	}
	m.report(b)
}

// BenchmarkSDKAllocFirstSyncBulk: the 10k first sync into an empty Litmos
// through /bulkimports (the engine's default for a run of 50 creates or
// more), on recorded answers.
func BenchmarkSDKAllocFirstSyncBulk(b *testing.B) {
	b.StopTimer()
	j := newBenchJob(b, false)
	j.lms.SetRateLimit(litmostest.RateLimit{})
	t, want := record(b, j, syncengine.NewMemoryStore(), 0)
	if want.Counts[syncengine.ResultCreated] != benchEmployees {
		b.Fatalf("recorded first sync: %s", want.Summary())
	}
	var m sdkMetrics
	for n := 0; n < b.N; n++ {
		m.replay(b, j, t, syncengine.NewMemoryStore(), 0, want)
	}
	m.report(b)
}

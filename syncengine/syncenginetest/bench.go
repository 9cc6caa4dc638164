package syncenginetest

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// BenchStore names a store for RunStoreBenchmarks.
type BenchStore struct {
	Name string
	// Open returns a new, empty store; release what it opens with b.Cleanup.
	Open func(b *testing.B) syncengine.Store
}

// RunStoreBenchmarks measures stores at n links of one pair, the work a
// store does in a run: "PutLink" commits one link (replacing one of the
// n, as a resync does), "Links" loads all n as a plan does, and "Plan" is
// a whole plan of n linked records with a 10-field map and 1% drift on the
// store (syncengine's BenchmarkPlan100k with a store parameter). Each
// store is opened once and its n links written through PutLink (by 8
// goroutines) before its benchmarks. With more than one store,
// "<name>-vs-<first>/Plan" plans on the first store and on each other in
// turn (each first every other time, each from a collected heap), and
// reports each one's time per plan and their ratio ("x"): on a busy
// machine the ratio is steadier than two benchmarks run minutes apart.
//
//	func BenchmarkStores(b *testing.B) {
//		syncenginetest.RunStoreBenchmarks(b, 100_000,
//			syncenginetest.BenchStore{Name: "file", Open: openFileStore},
//			syncenginetest.BenchStore{Name: "mine", Open: openMyStore})
//	}
func RunStoreBenchmarks(b *testing.B, n int, stores ...BenchStore) {
	b.Helper()
	engines := make([]*syncengine.Engine, len(stores))
	for i, bs := range stores {
		s := bs.Open(b)
		seedLinks(b, s, n)
		engines[i] = benchEngine(b, s, n)
		b.Run(bs.Name, func(b *testing.B) { storeBenchmarks(b, s, engines[i], n) })
	}
	for i := 1; i < len(stores); i++ {
		b.Run(stores[i].Name+"-vs-"+stores[0].Name+"/Plan", func(b *testing.B) {
			var took [2]time.Duration
			pair := []*syncengine.Engine{engines[0], engines[i]}
			for k := range b.N {
				for _, j := range [][2]int{{0, 1}, {1, 0}}[k%2] { // each goes first in turn
					b.StopTimer()
					runtime.GC() // neither pays for the other's garbage
					b.StartTimer()
					start := time.Now()
					planOnce(b, pair[j], n)
					took[j] += time.Since(start)
				}
			}
			b.ReportMetric(float64(took[0].Nanoseconds())/float64(b.N), stores[0].Name+"-ns/plan")
			b.ReportMetric(float64(took[1].Nanoseconds())/float64(b.N), stores[i].Name+"-ns/plan")
			b.ReportMetric(float64(took[1])/float64(took[0]), "x")
		})
	}
}

func storeBenchmarks(b *testing.B, s syncengine.Store, e *syncengine.Engine, n int) {
	b.Run("PutLink", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := s.PutLink(benchCtx, benchPair, benchLink(i%n)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Links", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			links, err := s.Links(benchCtx, benchPair, syncengine.Users)
			if err != nil || len(links) != n {
				b.Fatalf("Links: %d, %v; want %d", len(links), err, n)
			}
		}
	})
	b.Run("Plan", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			planOnce(b, e, n)
		}
	})
}

func planOnce(b *testing.B, e *syncengine.Engine, n int) {
	p, err := e.Plan(benchCtx)
	if err != nil {
		b.Fatal(err)
	}
	if got := p.Summary().Update; got != n/100 {
		b.Fatalf("planned %d updates, want %d", got, n/100)
	}
}

const benchPair = "bench"

var benchCtx = context.Background()

// benchLink is the i-th link: employee i and learner i, with one synced value.
func benchLink(i int) syncengine.Link {
	id := strconv.Itoa(i)
	return syncengine.Link{Collection: syncengine.Users, AID: "e" + id, BID: "l" + id,
		Synced:    map[string]string{"b.email": "person" + id + "@example.com"},
		UpdatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func seedLinks(b *testing.B, s syncengine.Store, n int) {
	b.Helper()
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := s.PutLink(benchCtx, benchPair, benchLink(i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// PeopleFields are the fields of DriftedPeople's records.
var PeopleFields = []string{"email", "firstName", "lastName", "title", "department", "location", "phone", "city", "country", "hireDate"}

// DriftedPeople returns n HR records ("e0", "e1", …) and their n
// counterparts ("l0", "l1", …) with the same PeopleFields, the "email"
// person<i>@example.com, except that every hundredth counterpart's "title"
// has drifted: the data of the engine's and the stores' benchmarks.
func DriftedPeople(n int) (hr, lms *StaticConnector) {
	hr = &StaticConnector{Vendor: "hr", Records: make([]syncengine.Record, n)}
	lms = &StaticConnector{Vendor: "lms", Records: make([]syncengine.Record, n)}
	for i := range n {
		id := strconv.Itoa(i)
		a := make(map[string]any, len(PeopleFields))
		for _, f := range PeopleFields {
			a[f] = f + "-" + id
		}
		a["email"] = "person" + id + "@example.com"
		bf := make(map[string]any, len(a))
		for f, v := range a {
			bf[f] = v
		}
		if i%100 == 0 {
			bf["title"] = "drifted"
		}
		hr.Records[i] = syncengine.Record{ID: "e" + id, Active: true, Fields: a}
		lms.Records[i] = syncengine.Record{ID: "l" + id, Active: true, Fields: bf}
	}
	return hr, lms
}

// benchEngine plans n HR records against n learners linked in s, 1% of
// them drifted.
func benchEngine(b *testing.B, s syncengine.Store, n int) *syncengine.Engine {
	b.Helper()
	hr, lms := DriftedPeople(n)
	e, err := syncengine.New(syncengine.Config{A: hr, B: lms, Store: s, Pair: benchPair, Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Map: renameMap{}, Match: []syncengine.MatchKey{{Field: "email", Fold: true}},
			Create: true, Update: true, Deactivate: true, Reactivate: true}}}})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// renameMap carries PeopleFields as they are.
type renameMap struct{}

func (renameMap) Apply(src map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(PeopleFields))
	for _, f := range PeopleFields {
		if v, ok := src[f]; ok && v != nil && v != "" {
			out[f] = v
		}
	}
	if _, ok := out["email"]; !ok {
		return out, fmt.Errorf("email: required")
	}
	return out, nil
}

// StaticConnector serves Records as its listing of every collection,
// without copying them, and writes nothing (Get finds nothing; writes are
// ErrUnsupported): a benchmark of the engine or of a store measures them,
// not the connector. Vendor is its Name.
type StaticConnector struct {
	Vendor  string
	Records []syncengine.Record
}

func (s *StaticConnector) Name() string { return s.Vendor }
func (s *StaticConnector) Capabilities(syncengine.Collection) syncengine.Capability {
	return syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate | syncengine.CanSetActive
}
func (s *StaticConnector) List(context.Context, syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		for _, r := range s.Records {
			if !yield(r, nil) {
				return
			}
		}
	}
}
func (s *StaticConnector) Get(context.Context, syncengine.Collection, string) (syncengine.Record, error) {
	return syncengine.Record{}, syncengine.ErrNotFound
}
func (s *StaticConnector) Create(context.Context, syncengine.Collection, syncengine.Record) (string, error) {
	return "", syncengine.ErrUnsupported
}
func (s *StaticConnector) Update(context.Context, syncengine.Collection, string, map[string]any) error {
	return syncengine.ErrUnsupported
}
func (s *StaticConnector) SetActive(context.Context, syncengine.Collection, string, bool) error {
	return syncengine.ErrUnsupported
}

package syncengine_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/rostersync/rostersync/internal/cputime"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// benchEngine builds n pairs, linked or not, 1% of them drifted.
func benchEngine(b *testing.B, n int, m syncengine.FieldMap, linked bool) *syncengine.Engine {
	b.Helper()
	hr, lms := syncenginetest.DriftedPeople(n)
	store := syncengine.NewMemoryStore()
	ctx := context.Background()
	for i := range n {
		if !linked {
			break
		}
		if err := store.PutLink(ctx, "bench", syncengine.Link{Collection: syncengine.Users,
			AID: hr.Records[i].ID, BID: lms.Records[i].ID}); err != nil {
			b.Fatal(err)
		}
	}
	e, err := syncengine.New(syncengine.Config{A: hr, B: lms, Store: store, Pair: "bench", Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
			AToB: rules(m, allowAll, byEmail...)}}})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// benchPlan times plans of n records, linked or (a first run) to be
// matched, with 1% drift.
func benchPlan(b *testing.B, n int, m syncengine.FieldMap, linked bool) {
	runPlans(b, benchEngine(b, n, m, linked), n)
}

// runPlans times e.Plan, checking it plans n/100 updates.
func runPlans(b *testing.B, e *syncengine.Engine, n int) {
	runtime.GC() // start from a collected heap, not from the setup's garbage
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		p, err := e.Plan(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if got := p.Summary().Update; got != n/100 {
			b.Fatalf("planned %d updates, want %d", got, n/100)
		}
	}
	// CPU time (all threads, GC included) is steadier than wall time on a
	// shared machine.
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
	// Per record, for the scaling goal: 1M within 1.15x of 100k.
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/float64(n), "cpu-ns/record")
}

var renameAll = func() fieldMap {
	m := fieldMap{rename: map[string]string{}, required: []string{"email"}}
	for _, f := range syncenginetest.PeopleFields {
		m.rename[f] = f
	}
	return m
}()

// BenchmarkPlan100k plans 100,000 × 100,000 linked records with 1% drift:
// with no map, a 10-field rename map, and the 15-rule bamboohr-litmos
// preset (the size of a real pair's map).
func BenchmarkPlan100k(b *testing.B) {
	b.Run("identity", func(b *testing.B) { benchPlan(b, 100_000, nil, true) })
	b.Run("fieldmap", func(b *testing.B) { benchPlan(b, 100_000, renameAll, true) })
	b.Run("preset", func(b *testing.B) { benchPreset(b, 100_000) })
}

// benchPreset plans n BambooHR-shaped employees against n Litmos-shaped
// learners through the bamboohr-litmos preset, 1% drifted.
func benchPreset(b *testing.B, n int) {
	m, err := mapping.Preset(mapping.PresetBambooHRLitmos)
	if err != nil {
		b.Fatal(err)
	}
	hr := &syncenginetest.StaticConnector{Vendor: "hr", Records: make([]syncengine.Record, n)}
	lms := &syncenginetest.StaticConnector{Vendor: "lms", Records: make([]syncengine.Record, n)}
	store := syncengine.NewMemoryStore()
	for i := range n {
		id := strconv.Itoa(i)
		email := "person" + id + "@example.com"
		src := map[string]any{"id": id, "firstName": "First" + id, "lastName": "Last" + id, "workEmail": email,
			"workPhone": "+1 555 0100", "mobilePhone": "+1 555 0199", "address1": id + " Main St", "address2": nil,
			"city": "Chicago", "state": "IL", "zipcode": "60606", "country": "United States", "jobTitle": "Engineer"}
		out, err := m.Apply(src)
		if err != nil {
			b.Fatal(err)
		}
		delete(out, "AccessLevel") // create-only: not compared
		if i%100 == 0 {
			out["JobTitle"] = "drifted"
		}
		hr.Records[i] = syncengine.Record{ID: "e" + id, Active: true, Fields: src}
		lms.Records[i] = syncengine.Record{ID: "l" + id, Active: true, Fields: out}
		if err := store.PutLink(context.Background(), "bench", syncengine.Link{Collection: syncengine.Users,
			AID: hr.Records[i].ID, BID: lms.Records[i].ID}); err != nil {
			b.Fatal(err)
		}
	}
	e, err := syncengine.New(syncengine.Config{A: hr, B: lms, Store: store, Pair: "bench", Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
			AToB: rules(m, allowAll, syncengine.MatchKey{Field: "UserName", Fold: true})}}})
	if err != nil {
		b.Fatal(err)
	}
	runPlans(b, e, n)
}

// BenchmarkPlanScaling shows plan time against size (run with -benchtime=1x
// for the 1M case).
func BenchmarkPlanScaling(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 300_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchPlan(b, n, renameAll, true) })
	}
}

// BenchmarkPlanMatch100k plans 100,000 × 100,000 records with no links
// yet (a first run): every pair is found by email.
func BenchmarkPlanMatch100k(b *testing.B) { benchPlan(b, 100_000, renameAll, false) }

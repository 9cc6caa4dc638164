package syncenginetest_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// BenchmarkStores runs the store benchmarks on two memory stores (the
// file and PostgreSQL stores: syncengine/pgstore's BenchmarkStores100k).
func BenchmarkStores(b *testing.B) {
	memory := func(*testing.B) syncengine.Store { return syncengine.NewMemoryStore() }
	syncenginetest.RunStoreBenchmarks(b, 10_000,
		syncenginetest.BenchStore{Name: "memory", Open: memory},
		syncenginetest.BenchStore{Name: "memory2", Open: memory})
}

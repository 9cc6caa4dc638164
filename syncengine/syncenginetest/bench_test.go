package syncenginetest_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// BenchmarkMemoryStore runs the store benchmarks on the memory store (the
// file and PostgreSQL stores: syncengine/pgstore's BenchmarkStores100k).
func BenchmarkMemoryStore(b *testing.B) {
	syncenginetest.RunStoreBenchmarks(b, func(*testing.B) syncengine.Store { return syncengine.NewMemoryStore() }, 10_000)
}

package pgstore

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// BenchmarkStores100k compares the PostgreSQL store with the file store
// at 100,000 links of one pair: a link commit, the plan-time link load,
// a whole plan (10-field map, 1% drift), and plans on both in turn with
// their ratio (postgres-vs-file/Plan, metric x). Setting up writes the
// 100k links through PutLink, which takes a minute or more per store:
//
//	go test -run '^$' -bench Stores100k -benchtime 10x -count 5 ./syncengine/pgstore
func BenchmarkStores100k(b *testing.B) {
	file := func(b *testing.B) syncengine.Store {
		s, err := syncengine.OpenFileStore(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	postgres := func(b *testing.B) syncengine.Store { return newTestStore(b) }
	syncenginetest.RunStoreBenchmarks(b, 100_000,
		syncenginetest.BenchStore{Name: "file", Open: file},
		syncenginetest.BenchStore{Name: "postgres", Open: postgres})
}

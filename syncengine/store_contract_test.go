package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// TestStoreContract runs the one store contract against every store here.
func TestStoreContract(t *testing.T) {
	const keep = 5
	t.Run("memory", func(t *testing.T) {
		syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
			New: func(*testing.T) syncengine.Store {
				return syncengine.NewMemoryStore(syncengine.MemoryStoreKeepRuns(keep))
			},
			KeepRuns: keep,
		})
	})
	for _, tc := range []struct {
		name string
		opts []syncengine.FileStoreOption
	}{
		{"file", nil},
		{"file-compact-often", []syncengine.FileStoreOption{syncengine.FileStoreCompactAfter(2)}},
		{"file-excl-lock", []syncengine.FileStoreOption{syncengine.FileStoreExclLocker()}},
	} {
		opts := append([]syncengine.FileStoreOption{syncengine.FileStoreKeepRuns(keep)}, tc.opts...)
		open := func(t *testing.T, dir string) syncengine.Store {
			s, err := syncengine.OpenFileStore(dir, opts...)
			if err != nil {
				t.Fatalf("OpenFileStore: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		t.Run(tc.name, func(t *testing.T) {
			syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
				New: func(t *testing.T) syncengine.Store { return open(t, t.TempDir()) },
				Reopen: func(t *testing.T, s syncengine.Store) syncengine.Store {
					return open(t, s.(*syncengine.FileStore).Dir())
				},
				KeepRuns: keep,
			})
		})
	}
}

func TestMemoryStoreDefaultRetention(t *testing.T) {
	syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
		New:      func(*testing.T) syncengine.Store { return syncengine.NewMemoryStore() },
		KeepRuns: syncengine.DefaultKeepRuns,
	})
}

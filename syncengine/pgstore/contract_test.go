package pgstore

import (
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// TestStoreContract runs the store contract that every syncengine store
// keeps, with the checks of stores many processes share and of leases, at
// a small run retention and at the default one.
func TestStoreContract(t *testing.T) {
	testURL(t)
	for _, keep := range []int{5, syncengine.DefaultKeepRuns} {
		t.Run(fmt.Sprint("keep-", keep), func(t *testing.T) {
			syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
				New: func(t *testing.T) syncengine.Store { return newTestStore(t, WithKeepRuns(keep)) },
				Reopen: func(t *testing.T, s syncengine.Store) syncengine.Store {
					// Another process: a pool of its own on the same schema.
					return openStore(t, newPool(t), s.(*Store).Schema(), WithKeepRuns(keep))
				},
				Expire:   func(t *testing.T, s syncengine.Store, pair string) { expire(t, s.(*Store), pair) },
				Shared:   true,
				KeepRuns: keep,
			})
		})
	}
}

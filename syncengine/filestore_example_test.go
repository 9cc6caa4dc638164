package syncengine_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/rostersync/rostersync/syncengine"
)

// A file store keeps links across processes; reopening it finds them.
func ExampleOpenFileStore() {
	tmp, err := os.MkdirTemp("", "rostersync-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "state")
	ctx := context.Background()

	store, err := syncengine.OpenFileStore(dir)
	if err != nil {
		log.Fatal(err)
	}
	unlock, err := store.Lock(ctx, "bamboohr->litmos")
	if err != nil {
		log.Fatal(err) // errors.Is(err, syncengine.ErrLocked): another sync of this pair runs
	}
	err = store.PutLink(ctx, "bamboohr->litmos", syncengine.Link{
		Collection: syncengine.Users, AID: "40", BID: "a1b2c3",
		Synced: map[string]string{"email": "ana@example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	unlock()
	store.Close()

	again, err := syncengine.OpenFileStore(dir)
	if err != nil {
		log.Fatal(err) // errors.Is(err, syncengine.ErrStateCorrupt): the error names file and line
	}
	defer again.Close()
	links, _ := again.Links(ctx, "bamboohr->litmos", syncengine.Users)
	for _, l := range links {
		fmt.Println(l.AID, "->", l.BID, l.Synced["email"])
	}
	// Output: 40 -> a1b2c3 ana@example.com
}

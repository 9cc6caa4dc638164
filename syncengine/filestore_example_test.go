package syncengine_test

import (
	"context"
	"errors"
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

// When a pair's files are damaged, the store refuses them; RepairFileStore
// first reports (a dry run), then moves them aside and the pair starts
// afresh: the next run links records again by their match keys.
func ExampleRepairFileStore() {
	tmp, err := os.MkdirTemp("", "rostersync-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()
	const pair = "bamboohr->litmos"
	store, err := syncengine.OpenFileStore(tmp)
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range []string{"40", "41", "42"} {
		if err := store.PutLink(ctx, pair, syncengine.Link{Collection: syncengine.Users, AID: id, BID: "l" + id}); err != nil {
			log.Fatal(err)
		}
	}
	store.Close()
	// Something outside the store cuts its journal short.
	journal := filepath.Join(tmp, "bamboohr-%3Elitmos.journal")
	if fi, err := os.Stat(journal); err == nil {
		os.Truncate(journal, fi.Size()-150)
	}

	_, err = syncengine.OpenFileStore(tmp)
	fmt.Println("open refused:", errors.Is(err, syncengine.ErrStateCorrupt))

	report, err := syncengine.RepairFileStore(tmp, pair, syncengine.RepairOptions{}) // dry run: show it to the user
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("readable:", report.Readable.Links[syncengine.Users], "links; files:", len(report.Files))

	report, err = syncengine.RepairFileStore(tmp, pair, syncengine.RepairOptions{Apply: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("moved aside:", report.Moved)
	again, err := syncengine.OpenFileStore(tmp)
	if err != nil {
		log.Fatal(err)
	}
	defer again.Close()
	links, _ := again.Links(ctx, pair, syncengine.Users)
	fmt.Println("links now:", len(links))
	// Output:
	// open refused: true
	// readable: 2 links; files: 2
	// moved aside: true
	// links now: 0
}

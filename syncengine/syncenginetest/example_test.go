package syncenginetest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// A create whose answer is lost: the record exists although Create failed,
// and a lookup by email (folded, as services compare emails) finds it.
func ExampleNewConnector() {
	lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Kind: syncenginetest.AppliedUnknown, Times: 1})
	ctx := context.Background()

	_, err := lms.Create(ctx, syncengine.Users, syncengine.Record{
		Active: true, Fields: map[string]any{"email": "ana@example.com"},
	})
	fmt.Println("outcome unknown:", errors.Is(err, syncengine.ErrOutcomeUnknown))

	found, _ := lms.Find(ctx, syncengine.Users, "email", " ANA@example.com")
	fmt.Println("found:", len(found), found[0].ID)
	fmt.Println("writes:", lms.Writes(), "applied:", lms.AppliedWrites())
	// Output:
	// outcome unknown: true
	// found: 1 lms-1
	// writes: 1 applied: 1
}

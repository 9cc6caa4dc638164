package pgstore_test

import (
	"context"
	"errors"
	"log"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/pgstore"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// Every replica of a service opens the store on its own pool; whichever
// takes a pair's lease syncs it, the others get ErrLocked and try later.
// (The example needs a database, so go test only compiles it; the
// package's tests run the same calls against a real PostgreSQL.)
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL")) // yours: pgstore never closes it
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store, err := pgstore.New(ctx, pool,
		pgstore.WithSchema("rostersync"),          // created and migrated on first use
		pgstore.WithLeaseDuration(30*time.Second), // a dead replica's pairs are free again after this
		pgstore.WithRenewInterval(10*time.Second)) // renewed while a run lives
	if err != nil {
		log.Fatal(err)
	}

	hr := syncenginetest.NewConnector("hr")   // bamboohr.NewConnector(...) in a real service
	lms := syncenginetest.NewConnector("lms") // litmos.NewConnector(...)
	engine, err := syncengine.New(syncengine.Config{A: hr, B: lms, Store: store, Pair: "bamboohr->litmos",
		Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
			AToB: syncengine.Rules{Create: true, Update: true, Deactivate: true,
				Match: []syncengine.MatchKey{{Field: "email", Fold: true}}}}}})
	if err != nil {
		log.Fatal(err)
	}
	report, err := engine.Sync(ctx)
	switch {
	case errors.Is(err, syncengine.ErrLocked):
		// Another replica holds the pair (or took it over from this one,
		// which then stopped before its next write): nothing to do here.
	case err != nil:
		log.Fatal(err)
	default:
		log.Println(report.Summary())
	}
}

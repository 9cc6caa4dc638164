package fleet_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/fleet"
	"github.com/rostersync/rostersync/syncengine/pgstore"
)

// Every replica of a service runs this: the same pairs, the same schemas.
// (The example needs a database and real accounts, so go test only
// compiles it; the package's tests run the same calls against a real
// PostgreSQL and the fakes.)
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL")) // yours: neither package closes it
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store, err := pgstore.New(ctx, pool, pgstore.WithLeaseDuration(30*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	// Litmos allows 100 calls a minute per API key: one budget for the key,
	// shared by every replica, and no pacing of the client's own.
	budget, err := fleet.NewBudget(ctx, pool, fleet.DefaultSchema, "litmos-acme",
		fleet.Limit{Requests: litmos.DefaultRateLimit, Per: time.Minute})
	if err != nil {
		log.Fatal(err)
	}
	hr, err := bamboohr.New("acme", os.Getenv("BAMBOOHR_API_KEY"))
	if err != nil {
		log.Fatal(err)
	}
	lms, err := litmos.New(os.Getenv("LITMOS_API_KEY"), "acme-sync", litmos.WithRateLimit(litmos.Limit{}),
		litmos.WithHTTPClient(&http.Client{Transport: budget.Transport(nil), Timeout: time.Minute}))
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cfg.Store, cfg.Pair = store, "acme"
	engine, err := syncengine.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	fl, err := fleet.New(ctx, pool, []fleet.Pair{{Engine: engine, Key: "litmos-acme"}},
		fleet.WithSyncEvery(time.Hour),                  // a full sync per pair and hour, on one replica
		fleet.WithConcurrency("litmos-acme", 1),         // jobs of the key at once, per replica
		fleet.WithLockWait(45*time.Second, time.Second)) // longer than the lease: a dead replica's pairs are taken over
	if err != nil {
		log.Fatal(err)
	}
	if err := fl.Start(ctx); err != nil {
		log.Fatal(err)
	}
	defer fl.Stop(context.Background())

	verifier := &bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret(os.Getenv("BAMBOOHR_WEBHOOK_KEY"))}
	h, err := fl.Webhook("acme", func(q syncengine.EventQueue) http.Handler { return verifier.Handler(bamboohr.Enqueue(q)) })
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/webhooks/bamboohr/acme", h) // 202 once the delivery's job is in PostgreSQL
	log.Fatal(http.ListenAndServe(":8080", nil))
}

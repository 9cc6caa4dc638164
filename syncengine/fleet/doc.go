// Package fleet runs pairs (tenants) on a durable job queue in PostgreSQL
// (river, github.com/riverqueue/river), so that any number of instances
// of a service share them: periodic full syncs, webhook events and due
// work (leave dates, start dates, invitations) are river jobs, worked by
// whichever instance fetches them, with one run per pair at a time.
//
// Every instance builds the same pairs on a shared pgstore.Store and the
// caller's pool, then starts the fleet:
//
//	store, err := pgstore.New(ctx, pool, pgstore.WithLeaseDuration(30*time.Second))
//	engine, err := syncengine.New(cfg) // cfg.Store = store, cfg.Pair = "acme"
//	fl, err := fleet.New(ctx, pool, []fleet.Pair{{Engine: engine, Key: "litmos-acme"}})
//	err = fl.Start(ctx)
//	h, err := fl.Webhook("acme", func(q syncengine.EventQueue) http.Handler {
//		return verifier.Handler(bamboohr.Enqueue(q))
//	})
//
// # Who holds what
//
//   - The pair's lease (pgstore) is the mutual exclusion: a job runs the
//     pair only while it holds the lease, every write of the run checks
//     the lease's fencing token, and a killed instance's pairs are free
//     again one lease duration later. A job that finds its pair held waits
//     for it (WithLockWait) and then gives way: a sync job ends (the holder
//     is syncing), an event or due job is snoozed and tried again.
//   - Sync jobs are unique per pair and period (river's UniqueOpts by args
//     and period, WithSyncEvery): every instance inserts them at the start
//     of each period (Start: the current one's), and river keeps one, so
//     the schedule waits for no leader and survives any instance.
//   - A webhook delivery (Events.Add, through the vendor's Enqueue) records
//     its records in the Store's pending table and inserts an event job
//     before the receiver answers 2xx; when the insert fails the receiver
//     answers 5xx. Any instance works the job: it syncs what is pending,
//     and river retries it with backoff while the vendor is down. A record
//     stays pending until a sync of it succeeded, and every job of the
//     pair syncs what is pending, so a job lost with its instance loses
//     nothing.
//   - Due work: after each run, the pair's earliest due time becomes a due
//     job scheduled for that time (ScheduledAt), one per pair and time.
//   - Concurrency per vendor key: each key (Pair.Key) is a river queue with
//     WithConcurrency workers in each instance, so N instances run up to N
//     times that; a Budget (NewBudget) is the key's rate limit shared by
//     all instances: a token bucket in one row, taken by one UPDATE per
//     call.
//
// River's tables and the budget table live in one schema (WithSchema),
// migrated by New (river's own migrations, rivermigrate) or by Migrate.
//
// # Tests
//
// The package's tests need a PostgreSQL: set ROSTERSYNC_TEST_POSTGRES_URL
// (see the repository's README); without it they skip. They include the
// multi-instance test: three processes, ten pairs, one instance killed
// with SIGKILL.
package fleet

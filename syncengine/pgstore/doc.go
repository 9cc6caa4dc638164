// Package pgstore is a syncengine.Store in PostgreSQL, for many processes
// (replicas of a service, workers of a multi-tenant product) that share
// the pairs they sync: links, synced values, cursors, due times, pending
// event work, cached lookups and run history live in one schema, and the
// per-pair lock is a lease that only one process holds at a time.
//
// The one call a newcomer needs takes the caller's pool; the SDK never
// opens, configures or closes the database:
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	store, err := pgstore.New(ctx, pool) // schema "rostersync", migrated if needed
//	engine, err := syncengine.New(syncengine.Config{Store: store, ...})
//
// # Schema and migrations
//
// The tables live in one schema (WithSchema; default "rostersync"), which
// New creates and brings to the version this build needs: the numbered
// SQL files of migrations/ are embedded in the package and applied in
// order, in one transaction, under an advisory lock of that schema, and
// recorded with their checksums in its schema_migrations table. Processes
// starting at once migrate once; a schema already up to date is only read
// (a role without DDL rights can then open it); a schema newer than the
// build, or a migration changed after it was applied, makes New fail.
// Stores on different schemas share nothing.
//
// # Leases and fencing
//
// Lock takes the pair's lease (WithLeaseDuration, default 30 s) with the
// pair's next fencing token, and renews it in the background
// (WithRenewInterval, default a third of the lease) until unlock. Every
// write of that pair through the holding store checks the token in the
// same transaction: when the lease expired (the process was paused or cut
// off from the database for longer than the lease) or another process
// took it over, the write fails, changes nothing, and its error wraps
// syncengine.ErrLocked; the engine then stops the run before its next
// write. AddPending alone is not fenced: events are recorded whoever holds
// the lease. Lease times are the database's clock, so the processes' clocks
// do not need to agree. A killed holder's lease lapses after the lease
// duration; the next Lock takes it over. Renewals take a connection of the
// pool like any query: size the pool for the engine's concurrency plus one
// per pair the process syncs at once, or a starved renewal may lose the
// lease.
//
// # What is kept
//
// Times are kept to the microsecond (PostgreSQL's timestamptz) and
// returned in UTC. PostgreSQL text holds no NUL byte: ids, keys and synced
// values holding one are refused with an error saying so, and a run's
// texts keep U+FFFD in its place. Lookup values are bytes (bytea), kept
// as they are.
//
// # Tests
//
// The store passes syncenginetest.RunStoreTests. Its tests need a
// PostgreSQL: set ROSTERSYNC_TEST_POSTGRES_URL (see the repository's
// README); without it they skip.
package pgstore

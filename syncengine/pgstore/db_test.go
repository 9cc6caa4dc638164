package pgstore

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/internal/pgtest"
)

// The PostgreSQL the tests use: see internal/pgtest.
func testURL(t testing.TB) string { t.Helper(); return pgtest.URL(t) }

// newPool opens a pool on the test database, closed at the end of t.
func newPool(t testing.TB) *pgxpool.Pool { t.Helper(); return pgtest.Pool(t) }

// newSchema returns a schema name of t's own, dropped at the end of t.
func newSchema(t testing.TB, pool *pgxpool.Pool) string { t.Helper(); return pgtest.Schema(t, pool) }

// openStore opens a store on pool and schema, failing t on error.
func openStore(t testing.TB, pool *pgxpool.Pool, schema string, opts ...Option) *Store {
	t.Helper()
	s, err := New(context.Background(), pool, append([]Option{WithSchema(schema)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// newTestStore is a store on a schema of its own.
func newTestStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	pool := newPool(t)
	return openStore(t, pool, newSchema(t, pool), opts...)
}

// expire makes pair's lease lapse now, as if its holder had not renewed
// it for longer than the lease.
func expire(t testing.TB, s *Store, pair string) {
	t.Helper()
	_, err := s.pool.Exec(context.Background(), "UPDATE "+pgx.Identifier{s.Schema(), "leases"}.Sanitize()+
		" SET expires_at = now() - interval '1 second' WHERE pair = $1", pair)
	if err != nil {
		t.Fatalf("expire the lease of %q: %v", pair, err)
	}
}

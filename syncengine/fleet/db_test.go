package fleet_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The PostgreSQL the tests use: ROSTERSYNC_TEST_POSTGRES_URL. Without it
// they skip, unless ROSTERSYNC_REQUIRE_POSTGRES is set (CI sets both):
// then they fail, so that a CI run cannot pass by skipping them.
const (
	envURL     = "ROSTERSYNC_TEST_POSTGRES_URL"
	envRequire = "ROSTERSYNC_REQUIRE_POSTGRES"
)

func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(envURL)
	switch {
	case url != "":
		return url
	case os.Getenv(envRequire) != "":
		t.Fatalf("%s is set but %s is not: the PostgreSQL tests cannot run", envRequire, envURL)
	default:
		t.Skipf("%s is not set: no PostgreSQL to test against (see README.md, \"PostgreSQL tests\")", envURL)
	}
	return ""
}

// newPool opens a pool on the test database, closed at the end of t.
func newPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, testURL(t))
	if err != nil {
		t.Fatalf("pgxpool.New: %v", err)
	}
	t.Cleanup(pool.Close)
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("ping the test PostgreSQL: %v", err)
	}
	return pool
}

// newSchema returns a schema name of t's own, dropped at the end of t
// (after the pool's users are gone: cleanups run last first).
func newSchema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rstest_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", name, err)
		}
	})
	return name
}

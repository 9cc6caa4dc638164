// Package pgtest gives the tests of the PostgreSQL packages (pgstore,
// fleet) their database: the URL in ROSTERSYNC_TEST_POSTGRES_URL, a pool
// closed at the end of the test, and schemas of the test's own, dropped
// at its end. Without the URL the tests skip, unless
// ROSTERSYNC_REQUIRE_POSTGRES is set (CI sets both): then they fail, so
// that a CI run cannot pass by skipping them.
package pgtest

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

// The environment the tests read.
const (
	EnvURL     = "ROSTERSYNC_TEST_POSTGRES_URL"
	EnvRequire = "ROSTERSYNC_REQUIRE_POSTGRES"
)

// URL returns the test database's URL, or skips (fails, when required) t.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(EnvURL)
	switch {
	case url != "":
		return url
	case os.Getenv(EnvRequire) != "":
		t.Fatalf("%s is set but %s is not: the PostgreSQL tests cannot run", EnvRequire, EnvURL)
	default:
		t.Skipf("%s is not set: no PostgreSQL to test against (see README.md, \"PostgreSQL tests\")", EnvURL)
	}
	return ""
}

// Pool opens a pool on the test database, closed at the end of t.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, URL(t))
	if err != nil {
		t.Fatalf("pgxpool.New: %v", err)
	}
	t.Cleanup(pool.Close)
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("ping the test PostgreSQL: %v", err)
	}
	return pool
}

// Schema returns a schema name of t's own, dropped at the end of t.
func Schema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	return DropAtEnd(t, pool, "rstest_"+RandomHex(6))
}

// DropAtEnd drops schema name at the end of t.
func DropAtEnd(t testing.TB, pool *pgxpool.Pool, name string) string {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", name, err)
		}
	})
	return name
}

// RandomHex returns n random bytes in hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package pgstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationsWith is the embedded migrations plus extra files.
func migrationsWith(t testing.TB, extra map[string]string) fstest.MapFS {
	t.Helper()
	init, err := embeddedMigrations.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"migrations/0001_init.sql": {Data: init}}
	for name, sql := range extra {
		fsys["migrations/"+name] = &fstest.MapFile{Data: []byte(sql)}
	}
	return fsys
}

const migration2 = "CREATE TABLE extra (id integer PRIMARY KEY); INSERT INTO extra VALUES (1);"

// appliedVersions lists schema_migrations' versions and names.
func appliedVersions(t testing.TB, pool *pgxpool.Pool, schema string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT version, name FROM "+
		pgx.Identifier{schema, "schema_migrations"}.Sanitize()+" ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var v int
		var name string
		err := r.Scan(&v, &name)
		return fmt.Sprint(v, " ", name), err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateIdempotent(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	s := openStore(t, pool, schema)
	if err := s.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Fatal(err)
	}
	again := openStore(t, pool, schema)
	if links, err := again.Links(ctx, pair, "users"); err != nil || len(links) != 1 {
		t.Errorf("links after a second New: %v, %v; want the one link kept", links, err)
	}
	if diff := cmp.Diff([]string{"1 0001_init.sql"}, appliedVersions(t, pool, schema)); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}
}

// Instances starting at once on a new schema: one migrates, the others
// wait for it and find nothing to do.
func TestMigrateConcurrent(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	fsys := migrationsWith(t, map[string]string{"0002_extra.sql": migration2})
	const n = 6
	pools := make([]*pgxpool.Pool, n)
	for i := range pools {
		pools[i] = newPool(t) // one per instance, as separate processes have
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = New(ctx, pools[i], WithSchema(schema), withMigrations(fsys))
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: New: %v", i, err)
		}
	}
	if diff := cmp.Diff([]string{"1 0001_init.sql", "2 0002_extra.sql"}, appliedVersions(t, pool, schema)); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}
	var rows int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{schema, "extra"}.Sanitize()).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("migration 2 ran %d times (%v), want once", rows, err)
	}
}

// A schema at an older version is brought forward; one at a newer version
// than the build, or with a migration changed since, is refused.
func TestMigrateVersions(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	openStore(t, pool, schema)
	two := withMigrations(migrationsWith(t, map[string]string{"0002_extra.sql": migration2}))
	openStore(t, pool, schema, two)
	if diff := cmp.Diff([]string{"1 0001_init.sql", "2 0002_extra.sql"}, appliedVersions(t, pool, schema)); diff != "" {
		t.Errorf("schema_migrations after an upgrade (-want +got):\n%s", diff)
	}
	if _, err := New(ctx, pool, WithSchema(schema)); err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Errorf("New of an older build on the upgraded schema: %v, want it refused", err)
	}
	changed := withMigrations(migrationsWith(t, map[string]string{"0002_extra.sql": migration2 + " -- edited"}))
	if _, err := New(ctx, pool, WithSchema(schema), changed); err == nil || !strings.Contains(err.Error(), "0002_extra.sql differs") {
		t.Errorf("New with a migration edited after it was applied: %v, want it refused", err)
	}
}

// A migration that fails leaves nothing behind: the schema is as before.
func TestMigrateFailureRollsBack(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	bad := withMigrations(migrationsWith(t, map[string]string{"0002_bad.sql": "CREATE TABLE half (id integer); SELECT no_such_function();"}))
	if _, err := New(ctx, pool, WithSchema(schema), bad); err == nil || !strings.Contains(err.Error(), "migration 0002_bad.sql") {
		t.Fatalf("New with a failing migration: %v, want an error naming it", err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil || n != 0 {
		t.Errorf("after a failed first migration the schema exists (%d, %v): want nothing left", n, err)
	}
}

func TestLoadMigrations(t *testing.T) {
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil || len(ms) == 0 || ms[0].version != 1 {
		t.Fatalf("embedded migrations: %v, %v", ms, err)
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"gap", map[string]string{"0003_x.sql": "SELECT 1"}, "want version 2 next"},
		{"bad name", map[string]string{"2_x.sql": "SELECT 1"}, "want a name like"},
		{"duplicate version", map[string]string{"0001_again.sql": "SELECT 1"}, "want version 2 next"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := loadMigrations(migrationsWith(t, tc.files)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loadMigrations: %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := loadMigrations(fstest.MapFS{}); err == nil {
		t.Error("no migrations: no error")
	}
}

// A schema already migrated opens with a role that may only read and
// write its tables (no DDL, no CREATE on the database): New only reads.
func TestMigrateUpToDateNeedsNoDDL(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	openStore(t, pool, schema)
	role := "rstest_role_" + randomHex(4)
	q := pgx.Identifier{schema}.Sanitize()
	r := pgx.Identifier{role}.Sanitize()
	for _, sql := range []string{
		"CREATE ROLE " + r + " LOGIN",
		"GRANT USAGE ON SCHEMA " + q + " TO " + r,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + q + " TO " + r,
		"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA " + q + " TO " + r,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	t.Cleanup(func() {
		for _, sql := range []string{"DROP OWNED BY " + r, "DROP ROLE " + r} {
			if _, err := pool.Exec(context.Background(), sql); err != nil {
				t.Errorf("%s: %v", sql, err)
			}
		}
	})
	cfg := pool.Config().ConnConfig.Copy()
	cfg.User = role
	pcfg := pool.Config().Copy()
	pcfg.ConnConfig = cfg
	limited, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer limited.Close()
	if _, err := limited.Exec(ctx, "CREATE TABLE "+q+".probe (id int)"); err == nil {
		t.Fatal("the limited role may create tables: the test proves nothing")
	}
	s := openStore(t, limited, schema)
	unlock := mustLock(t, s)
	if err := s.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Errorf("PutLink as the limited role: %v", err)
	}
	if err := unlock(); err != nil {
		t.Error(err)
	}
}

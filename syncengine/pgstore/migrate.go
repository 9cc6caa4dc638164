package pgstore

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// The schema's migrations: migrations/NNNN_what.sql, applied in order,
// each once, in one transaction under an advisory lock.
//
//go:embed migrations/*.sql
var embeddedMigrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
	sum     string // sha256 of sql, hex
}

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

// loadMigrations reads fsys's migrations/*.sql: numbered 1, 2, 3… with
// no gap.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []migration
	for i, name := range names {
		m := migrationName.FindStringSubmatch(path.Base(name))
		if m == nil {
			return nil, fmt.Errorf("migration file %s: want a name like 0001_what.sql", name)
		}
		v, _ := strconv.Atoi(m[1])
		if v != i+1 {
			return nil, fmt.Errorf("migration file %s: want version %d next", name, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		out = append(out, migration{version: v, name: path.Base(name), sql: string(b), sum: hex.EncodeToString(sum[:])})
	}
	if len(out) == 0 {
		return nil, errors.New("no migrations")
	}
	return out, nil
}

// applied is a migration recorded in schema_migrations.
type applied struct {
	version int
	sum     string
}

// migrate brings the schema to the newest migration. When it is there
// already it only reads (a role without DDL rights can open the store);
// else it takes the schema's advisory lock, so that of several processes
// starting at once one migrates and the others then find nothing to do.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations(s.cfg.migrations)
	if err != nil {
		return err
	}
	if done, err := s.appliedMigrations(ctx, s.pool); err == nil && len(done) >= len(ms) {
		return checkApplied(done, ms)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLockKey(s.cfg.schema)); err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		schema := pgx.Identifier{s.cfg.schema}.Sanitize()
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil {
			return fmt.Errorf("create the schema: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+schema+`.schema_migrations (
	version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		done, err := s.appliedMigrations(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkApplied(done, ms); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('search_path', $1, true)`, schema); err != nil {
			return err
		}
		for _, m := range ms[len(done):] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO `+schema+`.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
				m.version, m.name, m.sum); err != nil {
				return fmt.Errorf("record migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// appliedMigrations lists schema_migrations by version; an error when
// the table is not there.
func (s *Store) appliedMigrations(ctx context.Context, q querier) ([]applied, error) {
	rows, err := q.Query(ctx, `SELECT version, checksum FROM `+pgx.Identifier{s.cfg.schema, "schema_migrations"}.Sanitize()+
		` ORDER BY version`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (applied, error) {
		var a applied
		err := r.Scan(&a.version, &a.sum)
		return a, err
	})
}

// checkApplied checks that what was applied is a prefix of ms, unchanged.
func checkApplied(done []applied, ms []migration) error {
	for i, a := range done {
		switch {
		case i >= len(ms):
			return fmt.Errorf("the schema is at version %d, newer than this build of pgstore knows (%d): upgrade rostersync",
				done[len(done)-1].version, len(ms))
		case a.version != ms[i].version:
			return fmt.Errorf("schema_migrations lacks version %d", ms[i].version)
		case a.sum != ms[i].sum:
			return fmt.Errorf("migration %s differs from the one applied to this schema (checksum)", ms[i].name)
		}
	}
	return nil
}

// migrateLockKey is the advisory lock key of a schema's migrations.
func migrateLockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("rostersync/pgstore migrate " + schema))
	return int64(h.Sum64())
}

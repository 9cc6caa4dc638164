package fleet

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrate creates schema when it is missing and brings river's tables in
// it (river's own migrations, rivermigrate, each in its own transaction
// as river requires) and the fleet's budget table to the version this
// build needs, under a session advisory lock of the schema, so instances
// starting together migrate one after the other and all but the first
// find nothing to do. New calls it; call it yourself from a deploy step
// when the service's role may not change the schema (then pass
// WithoutMigrate to New).
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	if err := checkSchema(schema); err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("fleet: migrate %s: %w", schema, err)
	}
	defer conn.Release()
	lock := "rostersync/fleet/" + schema
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", lock); err != nil {
		return fmt.Errorf("fleet: migrate %s: lock: %w", schema, err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext($1))", lock) }()
	id := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+id); err != nil {
		return fmt.Errorf("fleet: migrate %s: create schema: %w", schema, err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: schema})
	if err != nil {
		return fmt.Errorf("fleet: migrate %s: %w", schema, err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("fleet: migrate %s: river: %w", schema, err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+id+`.rostersync_budgets (
	key        text PRIMARY KEY,
	tokens     double precision NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
)`); err != nil {
		return fmt.Errorf("fleet: migrate %s: budgets: %w", schema, err)
	}
	return nil
}

package portal

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Schema is the portal's tables. Emails are unique and compare
// case-insensitively; a group's auto_sync is 1 unless an admin turned it
// off (NULL reads as on); group_members follows renamed groups and
// changed emails (the connection needs foreign keys on: see Open); a
// group of the portal's own that a Litmos team takes over loses its old
// members, as the team's replace them.
const Schema = `
CREATE TABLE IF NOT EXISTS groups (
	name           TEXT PRIMARY KEY NOT NULL,
	litmos_team_id TEXT UNIQUE,
	auto_sync      INTEGER DEFAULT 1
);
CREATE TABLE IF NOT EXISTS users (
	integration_id TEXT PRIMARY KEY NOT NULL,
	email TEXT UNIQUE COLLATE NOCASE, first_name TEXT, last_name TEXT, name TEXT,
	phone_business TEXT, phone_mobile TEXT, address_one TEXT, address_two TEXT,
	city TEXT, state TEXT, zip TEXT, country TEXT, company TEXT, title TEXT,
	timezone TEXT, language TEXT, manager TEXT, optional_1 TEXT, optional_2 TEXT, optional_3 TEXT,
	active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS group_members (
	group_name TEXT NOT NULL REFERENCES groups (name) ON UPDATE CASCADE ON DELETE CASCADE,
	email      TEXT NOT NULL COLLATE NOCASE REFERENCES users (email) ON UPDATE CASCADE ON DELETE CASCADE,
	PRIMARY KEY (group_name, email)
);
CREATE TABLE IF NOT EXISTS courses (
	integration_id TEXT PRIMARY KEY NOT NULL,
	name TEXT,
	code TEXT
);
CREATE TRIGGER IF NOT EXISTS group_taken_over AFTER UPDATE OF litmos_team_id ON groups
	WHEN OLD.litmos_team_id IS NULL AND NEW.litmos_team_id IS NOT NULL
	BEGIN DELETE FROM group_members WHERE group_name = NEW.name; END;
CREATE TABLE IF NOT EXISTS assignments (
	email       TEXT NOT NULL COLLATE NOCASE,
	course_id   TEXT NOT NULL,
	assigned_at TEXT NOT NULL
);`

// UserColumns are the users table's columns the connector reads and
// writes, as the litmos-platform preset names them.
var UserColumns = []string{"integration_id", "email", "first_name", "last_name", "name", "phone_business",
	"phone_mobile", "address_one", "address_two", "city", "state", "zip", "country", "company", "title",
	"timezone", "language", "manager", "optional_1", "optional_2", "optional_3"}

// Open opens the portal's SQLite file (pure Go: modernc.org/sqlite), with
// foreign keys on and writers waiting for each other up to 5 s; readOnly
// opens it so that nothing can change it.
func Open(path string, readOnly bool) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer at a time, and no "database is locked" between our own calls
	return db, nil
}

// CreateTables creates the tables that are missing.
func CreateTables(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, Schema); err != nil {
		return fmt.Errorf("portal: create tables: %w", err)
	}
	return nil
}

// HasTables reports whether the portal's tables are there.
func HasTables(ctx context.Context, db *sql.DB) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('groups', 'users', 'group_members', 'courses', 'assignments')`).Scan(&n)
	return n == 5, err
}

// RecordAssignment records that a course was assigned to the user with
// this email, now.
func RecordAssignment(ctx context.Context, db *sql.DB, email, courseID string) error {
	_, err := db.ExecContext(ctx, "INSERT INTO assignments (email, course_id, assigned_at) VALUES (?, ?, ?)",
		email, courseID, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("portal: record the assignment of %s to %s: %w", courseID, email, err)
	}
	return nil
}

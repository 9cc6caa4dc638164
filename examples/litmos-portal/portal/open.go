package portal

import (
	"context"
	"database/sql"
	"fmt"
	"os"
)

// OpenRun opens the portal's database for a sync run and says where it
// is. With write (an -apply run) path is opened read-write, created when
// missing, and its tables too. Without, nothing is ever written: an
// existing path with the tables is opened read-only, and otherwise (no
// path, no file, no tables) an empty portal in memory is opened instead.
// New reports whether the tables were just made (so that a new portal can
// be seeded). A file that is not SQLite fails with an error naming it.
func OpenRun(ctx context.Context, path string, write bool) (db *sql.DB, where string, isNew bool, err error) {
	_, statErr := os.Stat(path)
	switch {
	case path == "":
		where = "none yet (a plan run writes no file; -apply creates one, or -db FILE)"
	case statErr != nil && !write:
		where = path + " (does not exist: a plan run creates no file)"
	default:
		db, err = Open(path, !write)
		has := false
		if err == nil {
			has, err = HasTables(ctx, db)
		}
		if err != nil {
			if db != nil {
				db.Close()
			}
			return nil, "", false, fmt.Errorf("portal: %s is not a SQLite database: %w", path, err)
		}
		where = path + map[bool]string{true: " (new)", false: map[bool]string{true: "", false: " (new tables)"}[has]}[statErr != nil]
		if has {
			return db, where, false, nil
		}
		if !write {
			db.Close()
			db, where = nil, path+" (no portal tables yet: a plan run creates none)"
		}
	}
	if db == nil {
		if db, err = Open(":memory:", false); err != nil {
			return nil, "", false, err
		}
	}
	if err := CreateTables(ctx, db); err != nil {
		db.Close()
		return nil, "", false, err
	}
	return db, where, true, nil
}

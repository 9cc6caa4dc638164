package portal_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// open returns a portal on a new SQLite file in t.TempDir, with its tables.
func open(t *testing.T) (*sql.DB, *portal.Connector) {
	t.Helper()
	db, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := portal.CreateTables(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db, portal.New(db)
}

func newRecord(c syncengine.Collection, i int) syncengine.Record {
	f := map[string]any{}
	switch c {
	case syncengine.Teams:
		f = map[string]any{"litmos_team_id": fmt.Sprintf("T%03d", i), "name": fmt.Sprintf("Team %d", i), "auto_sync": true}
	case syncengine.Users:
		f = map[string]any{"integration_id": fmt.Sprintf("U%03d", i), "email": fmt.Sprintf("user%d@example.com", i),
			"first_name": fmt.Sprintf("First%d", i), "last_name": fmt.Sprintf("Last%d", i)}
	case syncengine.Courses:
		f = map[string]any{"integration_id": fmt.Sprintf("C%03d", i), "name": fmt.Sprintf("Course %d", i), "code": fmt.Sprintf("C-%d", i)}
	}
	return syncengine.Record{Fields: f, Active: true}
}

// The portal connector keeps the contract the engine relies on, for
// groups, users and courses, on a real SQLite file.
func TestConnectorContract(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		_, c := open(t)
		return c
	}, syncenginetest.ConformanceOptions{
		NewRecord: newRecord,
		Change: func(c syncengine.Collection, i int) map[string]any {
			if c == syncengine.Teams {
				return map[string]any{"name": fmt.Sprintf("Team %d changed", i), "auto_sync": false}
			}
			return map[string]any{"name": fmt.Sprintf("Renamed %d", i)}
		},
		FindField: map[syncengine.Collection]string{},
		Refs:      func(syncengine.Collection, string) map[string][]syncengine.Ref { return nil },
	})
}

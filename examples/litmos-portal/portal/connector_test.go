package portal_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

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
			"first_name": fmt.Sprintf("First%d", i), "last_name": fmt.Sprintf("Last%d", i), "name": fmt.Sprintf("First%d Last%d", i, i)}
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

// The portal's own rules: a group takes over a same-named group of the
// portal's own unless its auto_sync is off or it is another team's; an
// email is one user's; "teams" covers the groups that have a team, and a
// deactivation's clean-up those with auto_sync on.
func TestConnectorGroups(t *testing.T) {
	ctx := context.Background()
	db, c := open(t)
	for _, q := range []string{
		`INSERT INTO groups (name, auto_sync) VALUES ('Sales', 1), ('Quiet', 0)`,
		`INSERT INTO users (integration_id, email) VALUES ('own', 'own@example.com')`,
		`INSERT INTO group_members VALUES ('Sales', 'own@example.com')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	group := func(id, name string) error {
		_, err := c.Create(ctx, syncengine.Teams, syncengine.Record{Fields: map[string]any{"litmos_team_id": id, "name": name}})
		return err
	}
	if err := group("T1", "Sales"); err != nil {
		t.Fatalf("take over Sales: %v", err)
	}
	for _, tc := range []struct{ id, name string }{{"T2", "Quiet"}, {"T3", "Sales"}, {"T1", "Other"}} {
		if err := group(tc.id, tc.name); !errors.Is(err, syncengine.ErrConflict) {
			t.Errorf("create %s %q: err = %v, want a conflict", tc.id, tc.name, err)
		}
	}
	if err := group("T4", "Paused"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE groups SET auto_sync = 0 WHERE name = 'Paused'`); err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(t, db, `SELECT group_name || ' ' || email FROM group_members`); len(got) != 0 {
		t.Errorf("Sales kept its old members after the takeover: %v", got)
	}
	u := newRecord(syncengine.Users, 1)
	if _, err := c.Create(ctx, syncengine.Users, u); err != nil {
		t.Fatal(err)
	}
	dup := newRecord(syncengine.Users, 2)
	dup.Fields["email"] = "USER1@example.com"
	if _, err := c.Create(ctx, syncengine.Users, dup); !errors.Is(err, syncengine.ErrConflict) {
		t.Errorf("a second user with the same email (another case): %v", err)
	}
	if _, err := db.Exec(`INSERT INTO group_members VALUES ('Paused', 'user1@example.com')`); err != nil {
		t.Fatal(err)
	}
	teams := func(ids ...string) map[string][]syncengine.Ref {
		refs := []syncengine.Ref{}
		for _, id := range ids {
			refs = append(refs, syncengine.Ref{Collection: syncengine.Teams, ID: id})
		}
		return map[string][]syncengine.Ref{syncengine.RoleTeams: refs}
	}
	got, _ := c.Get(ctx, syncengine.Users, "U001")
	if diff := cmp.Diff(teams("T4"), got.Refs); diff != "" { // every group with a team, paused ones too
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	for _, want := range [][]string{{"T1"}, {"T1", "T4"}} { // exactly the groups named: the job keeps the paused one
		if err := c.WriteRefs(ctx, syncengine.Users, "U001", teams(want...)); err != nil {
			t.Fatal(err)
		}
		got, _ = c.Get(ctx, syncengine.Users, "U001")
		if diff := cmp.Diff(teams(want...), got.Refs); diff != "" {
			t.Errorf("refs after writing %v (-want +got):\n%s", want, diff)
		}
	}
	if err := c.SetActive(ctx, syncengine.Users, "U001", false); err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(t, db, `SELECT group_name || ' ' || email FROM group_members`); !slices.Equal(got, []string{"Paused user1@example.com"}) {
		t.Errorf("after deactivation, members = %v (want the paused group's only)", got)
	}
}

func rowsOf(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

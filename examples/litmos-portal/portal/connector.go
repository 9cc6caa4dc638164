package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// Connector is the portal as a rostersync sink: groups (syncengine.Teams, id
// litmos_team_id; the portal's own groups are not listed), users (id integration_id,
// ref "teams": their groups of teams) and courses (id integration_id).
type Connector struct{ db *sql.DB }

// New returns the connector on db, which holds the portal's tables.
func New(db *sql.DB) *Connector { return &Connector{db: db} }

// Name returns "portal".
func (c *Connector) Name() string { return "portal" }

// tables: each collection's table, upsert (a group takes over its namesake) and columns, the id first.
var tables = map[syncengine.Collection]struct {
	name, upsert string
	cols         []string
}{
	syncengine.Teams: {"groups", " ON CONFLICT (name) DO UPDATE SET litmos_team_id = excluded.litmos_team_id " +
		"WHERE litmos_team_id IS NULL AND coalesce(auto_sync, 1) <> 0", []string{"litmos_team_id", "name", "auto_sync"}},
	syncengine.Users:   {"users", "", append(slices.Clone(UserColumns), "active")},
	syncengine.Courses: {"courses", "", []string{"integration_id", "name", "code"}},
}

// Capabilities says all are listed, read, created and updated; users also (de)activated and put in groups.
func (c *Connector) Capabilities(col syncengine.Collection) syncengine.Capability {
	all := syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate
	return map[syncengine.Collection]syncengine.Capability{syncengine.Teams: all, syncengine.Courses: all,
		syncengine.Users: all | syncengine.CanSetActive | syncengine.CanWriteRefs}[col]
}

// Describe names records by their name (a user's is Litmos' FullName).
func (c *Connector) Describe(_ syncengine.Collection, r syncengine.Record) syncengine.Label {
	name, _ := r.Fields["name"].(string)
	return syncengine.Label{Name: name}
}

// List yields every record of col.
func (c *Connector) List(ctx context.Context, col syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return syncengine.Records(c.read(ctx, col, ""))
}

// Get reads one record.
func (c *Connector) Get(ctx context.Context, col syncengine.Collection, id string) (syncengine.Record, error) {
	recs, err := c.read(ctx, col, id)
	if err == nil && len(recs) == 0 {
		err = fmt.Errorf("portal: %s %q: %w", col, id, syncengine.ErrNotFound)
	}
	if err != nil {
		return syncengine.Record{}, err
	}
	return recs[0], nil
}

// read returns col's records (only id's when id is set).
func (c *Connector) read(ctx context.Context, col syncengine.Collection, id string) ([]syncengine.Record, error) {
	t, ok := tables[col]
	if !ok {
		return nil, fmt.Errorf("portal: %s: %w", col, syncengine.ErrUnsupported)
	}
	teams := "NULL" // users: their groups' team ids
	if col == syncengine.Users {
		teams = "(SELECT group_concat(g.litmos_team_id, ',' ORDER BY 1) FROM group_members m JOIN groups g ON g.name = m.group_name WHERE m.email = users.email)"
	}
	rows, err := c.db.QueryContext(ctx, "SELECT "+strings.Join(t.cols, ", ")+", "+teams+" FROM "+t.name+" WHERE "+t.cols[0]+
		" IS NOT NULL AND ? IN ('', "+t.cols[0]+") ORDER BY 1", id)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	defer rows.Close()
	var recs []syncengine.Record
	for rows.Next() {
		v, ptrs := make([]any, len(t.cols)+1), make([]any, len(t.cols)+1)
		for i := range v {
			ptrs[i] = &v[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := syncengine.Record{ID: v[0].(string), Fields: map[string]any{}}
		for i, name := range t.cols {
			r.Fields[name] = v[i]
		}
		r.Active = r.Fields["active"] != int64(0) // groups and courses have no active column
		if col == syncengine.Teams {
			r.Fields["auto_sync"] = map[any]any{int64(0): false, int64(1): true}[v[2]] // NULL: unset (on)
		}
		if teams, _ := v[len(t.cols)].(string); col == syncengine.Users {
			r.Refs = map[string][]syncengine.Ref{syncengine.RoleTeams: syncengine.RefsTo(syncengine.Teams, strings.Split(teams, ",")...)}
		}
		recs = append(recs, r)
	}
	return recs, rows.Err()
}

// Create inserts rec and returns its id. A new group takes over the
// portal's own group of its name, unless that one's auto_sync is off.
func (c *Connector) Create(ctx context.Context, col syncengine.Collection, rec syncengine.Record) (string, error) {
	fields, t := maps.Clone(rec.Fields), tables[col]
	if col == syncengine.Users {
		fields["active"] = rec.Active
	}
	id, _ := fields[t.cols[0]].(string)
	return id, c.write(ctx, col, fields, func(tx *sql.Tx, names []string, vals []any) error {
		err := changed(tx.ExecContext(ctx, "INSERT INTO "+t.name+" ("+strings.Join(names, ", ")+") VALUES (?"+
			strings.Repeat(", ?", len(names)-1)+")"+t.upsert, vals...))
		if errors.Is(err, syncengine.ErrNotFound) || id == "" {
			err = fmt.Errorf("%q missing, or group %q exists and is not taken over: %w", t.cols[0], fields["name"], syncengine.ErrConflict)
		}
		return err
	})
}

// Update writes fields of record id (group_members follows: ON UPDATE CASCADE).
func (c *Connector) Update(ctx context.Context, col syncengine.Collection, id string, fields map[string]any) error {
	return c.write(ctx, col, fields, func(tx *sql.Tx, names []string, vals []any) error {
		t := tables[col]
		return changed(tx.ExecContext(ctx, "UPDATE "+t.name+" SET "+strings.Join(names, " = ?, ")+" = ? WHERE "+t.cols[0]+" = ?", append(vals, id)...))
	})
}

// SetActive switches user id on or off; off, they leave the auto-synced groups of teams.
func (c *Connector) SetActive(ctx context.Context, col syncengine.Collection, id string, active bool) error {
	return c.write(ctx, col, map[string]any{"active": active}, func(tx *sql.Tx, _ []string, _ []any) error {
		err := changed(tx.ExecContext(ctx, "UPDATE users SET active = ? WHERE integration_id = ? AND ?", active, id, col == syncengine.Users))
		if err == nil && !active {
			_, err = tx.ExecContext(ctx, "DELETE FROM group_members WHERE email = (SELECT email FROM users WHERE integration_id = ?) "+
				"AND group_name IN (SELECT name FROM groups WHERE litmos_team_id IS NOT NULL AND coalesce(auto_sync, 1) <> 0)", id)
		}
		return err
	})
}

// WriteRefs puts user id in the groups of refs["teams"] (Litmos team ids) and out of
// the other groups of teams; the job passes on those it does not sync this run
// (syncengine.Rules.KeepUnmanagedRefs). A missing user or group is ErrNotFound.
func (c *Connector) WriteRefs(ctx context.Context, col syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	if _, ok := refs[syncengine.RoleTeams]; col != syncengine.Users || len(refs) != 1 || !ok {
		return fmt.Errorf("portal: %s refs %v: only users' teams: %w", col, slices.Collect(maps.Keys(refs)), syncengine.ErrUnsupported)
	}
	return c.write(ctx, col, nil, func(tx *sql.Tx, _ []string, _ []any) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM group_members WHERE email = (SELECT email FROM users WHERE integration_id = ?) "+
			"AND group_name IN (SELECT name FROM groups WHERE litmos_team_id IS NOT NULL)", id)
		for _, t := range refs[syncengine.RoleTeams] {
			if err == nil {
				err = changed(tx.ExecContext(ctx, "INSERT INTO group_members (group_name, email) SELECT g.name, u.email "+
					"FROM groups g, users u WHERE g.litmos_team_id = ? AND u.integration_id = ?", t.ID, id))
			}
		}
		return err
	})
}

// write runs fn in a transaction with fields as columns and values (checked).
func (c *Connector) write(ctx context.Context, col syncengine.Collection, fields map[string]any, fn func(*sql.Tx, []string, []any) error) error {
	t, ok := tables[col]
	names, vals, err := slices.Sorted(maps.Keys(fields)), []any{}, error(nil)
	for _, f := range names {
		if vals = append(vals, fields[f]); !ok || !slices.Contains(t.cols, f) {
			err = fmt.Errorf("no column %q: %w", f, syncengine.ErrUnsupported)
		}
	}
	var tx *sql.Tx
	if err == nil {
		if tx, err = c.db.BeginTx(ctx, nil); err == nil {
			if err = fn(tx, names, vals); err == nil {
				return tx.Commit()
			}
			_ = tx.Rollback()
		}
	}
	if strings.Contains(err.Error(), "constraint failed") {
		err = fmt.Errorf("%w: %v", syncengine.ErrConflict, err)
	}
	return fmt.Errorf("portal: %s: %w", col, err)
}

// changed is an Exec's error, or ErrNotFound when it changed no row.
func changed(res sql.Result, err error) error {
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			err = syncengine.ErrNotFound
		}
	}
	return err
}

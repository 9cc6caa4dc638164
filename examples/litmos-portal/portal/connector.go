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

// Connector is the portal as a rostersync sink: groups (syncengine.Teams,
// id litmos_team_id; the portal's own groups are not listed), users (id
// integration_id, ref "teams": their groups) and courses (id integration_id).
type Connector struct {
	db     *sql.DB
	chosen []any // ChooseTeams
}

// New returns the connector on db, which holds the portal's tables.
func New(db *sql.DB) *Connector { return &Connector{db: db} }

// Name returns "portal".
func (c *Connector) Name() string { return "portal" }

// ChooseTeams limits the memberships users' "teams" refs read and write to
// the groups of these Litmos teams (nil: groups with auto_sync on). The
// job calls it before the first sync.
func (c *Connector) ChooseTeams(ids []string) {
	c.chosen = nil
	for _, id := range ids {
		c.chosen = append(c.chosen, id)
	}
}

func (c *Connector) managed() (string, []any) {
	if c.chosen == nil {
		return "g.litmos_team_id IS NOT NULL AND coalesce(g.auto_sync, 1) <> 0", nil
	}
	return "g.litmos_team_id IN (NULL" + strings.Repeat(", ?", len(c.chosen)) + ")", c.chosen
}

// tables: table, columns (the id first), and an upsert: a new group takes
// over the portal's own group of its name unless its auto_sync is off.
var tables = map[syncengine.Collection]struct {
	name, upsert string
	cols         []string
}{
	syncengine.Teams: {"groups", " ON CONFLICT (name) DO UPDATE SET litmos_team_id = excluded.litmos_team_id " +
		"WHERE litmos_team_id IS NULL AND coalesce(auto_sync, 1) <> 0", []string{"litmos_team_id", "name", "auto_sync"}},
	syncengine.Users:   {"users", "", append(slices.Clone(UserColumns), "active")},
	syncengine.Courses: {"courses", "", []string{"integration_id", "name", "code"}},
}

// Capabilities says what the portal does: all are listed, read, created and updated; users also
// (de)activated and put in groups.
func (c *Connector) Capabilities(col syncengine.Collection) syncengine.Capability {
	all := syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate
	return map[syncengine.Collection]syncengine.Capability{syncengine.Teams: all, syncengine.Courses: all,
		syncengine.Users: all | syncengine.CanSetActive | syncengine.CanWriteRefs}[col]
}

// Describe names users by first and last name, groups and courses by name.
func (c *Connector) Describe(col syncengine.Collection, r syncengine.Record) syncengine.Label {
	s := func(f string) string { v, _ := r.Fields[f].(string); return v }
	return syncengine.Label{Name: strings.TrimSpace(map[bool]string{true: s("first_name") + " " + s("last_name"), false: s("name")}[col == syncengine.Users])}
}

// List yields every record of col.
func (c *Connector) List(ctx context.Context, col syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		recs, err := c.read(ctx, col, "")
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(syncengine.Record{}, err)
		}
	}
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
	teams, args := "NULL", []any{}
	if col == syncengine.Users {
		cond, a := c.managed()
		teams, args = "(SELECT group_concat(g.litmos_team_id) FROM group_members m JOIN groups g ON g.name = m.group_name "+
			"WHERE m.email = users.email AND "+cond+")", a
	}
	rows, err := c.db.QueryContext(ctx, "SELECT "+strings.Join(t.cols, ", ")+", "+teams+" FROM "+t.name+" WHERE "+t.cols[0]+
		" IS NOT NULL AND ? IN ('', "+t.cols[0]+") ORDER BY 1", append(args, id)...)
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
		r := syncengine.Record{ID: v[0].(string), Fields: map[string]any{}, Active: v[len(t.cols)-1] != int64(0)}
		for i, name := range t.cols {
			r.Fields[name] = v[i]
		}
		if col == syncengine.Teams {
			r.Active, r.Fields["auto_sync"] = true, map[any]any{int64(0): false, int64(1): true}[v[2]] // NULL: unset (on)
		}
		if col == syncengine.Users {
			teams, _ := v[len(t.cols)].(string)
			r.Refs = map[string][]syncengine.Ref{syncengine.RoleTeams: {}}
			for _, team := range slices.Sorted(slices.Values(strings.FieldsFunc(teams, func(r rune) bool { return r == ',' }))) {
				r.Refs[syncengine.RoleTeams] = append(r.Refs[syncengine.RoleTeams], syncengine.Ref{Collection: syncengine.Teams, ID: team})
			}
			delete(r.Fields, "active")
		}
		recs = append(recs, r)
	}
	return recs, rows.Err()
}

// Create inserts rec and returns its id.
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

// Update writes the changed fields of record id; group_members follows a
// renamed group and a changed email (ON UPDATE CASCADE).
func (c *Connector) Update(ctx context.Context, col syncengine.Collection, id string, fields map[string]any) error {
	return c.write(ctx, col, fields, func(tx *sql.Tx, names []string, vals []any) error {
		if key := tables[col].cols[0]; len(names) > 0 && !slices.Contains(names, key) && !slices.Contains(names, "active") {
			return changed(tx.ExecContext(ctx, "UPDATE "+tables[col].name+" SET "+strings.Join(names, " = ?, ")+" = ? WHERE "+key+
				" = ?", append(vals, id)...))
		}
		return fmt.Errorf("fields %v: the id and active are not updated here", names)
	})
}

// SetActive switches user id on or off; off, they leave the managed groups.
func (c *Connector) SetActive(ctx context.Context, col syncengine.Collection, id string, active bool) error {
	return c.write(ctx, col, map[string]any{"active": active}, func(tx *sql.Tx, _ []string, _ []any) error {
		err := changed(tx.ExecContext(ctx, "UPDATE users SET active = ? WHERE integration_id = ? AND ?", active, id, col == syncengine.Users))
		if err == nil && !active {
			err = c.setGroups(ctx, tx, id, nil)
		}
		return err
	})
}

// WriteRefs puts user id in the groups of refs["teams"] (Litmos team ids),
// and out of the other managed groups.
func (c *Connector) WriteRefs(ctx context.Context, col syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	if _, ok := refs[syncengine.RoleTeams]; col != syncengine.Users || len(refs) != 1 || !ok {
		return fmt.Errorf("portal: only users' %q are written, not %s %v: %w", syncengine.RoleTeams, col,
			slices.Collect(maps.Keys(refs)), syncengine.ErrUnsupported)
	}
	return c.write(ctx, col, nil, func(tx *sql.Tx, _ []string, _ []any) error {
		return c.setGroups(ctx, tx, id, refs[syncengine.RoleTeams])
	})
}

func (c *Connector) setGroups(ctx context.Context, tx *sql.Tx, id string, teams []syncengine.Ref) error {
	cond, args := c.managed()
	err := changed(tx.ExecContext(ctx, "UPDATE users SET active = active WHERE integration_id = ?", id)) // is there such a user?
	if err == nil {
		_, err = tx.ExecContext(ctx, "DELETE FROM group_members WHERE email = (SELECT email FROM users WHERE integration_id = ?) "+
			"AND group_name IN (SELECT g.name FROM groups g WHERE "+cond+")", append([]any{id}, args...)...)
	}
	for _, t := range teams {
		if err == nil {
			err = changed(tx.ExecContext(ctx, "INSERT INTO group_members (group_name, email) SELECT g.name, u.email "+
				"FROM groups g, users u WHERE g.litmos_team_id = ? AND u.integration_id = ?", t.ID, id))
		}
	}
	return err
}

// write runs fn in a transaction with fields as columns and values.
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

package hibob

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// Team record fields.
const (
	teamID   = "id"
	teamName = "name"
)

// deptsKey is the cache key of the department list.
const deptsKey = "named-lists/" + ListDepartment

// checkTeamFields refuses fields a team record does not have.
func checkTeamFields(fields []string) error {
	var unknown []string
	for _, f := range fields {
		if f != teamID && f != teamName {
			unknown = append(unknown, strconv.Quote(truncate(f, 60)))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("hibob: the sync reads %s of teams, which have only %q and %q: %w",
			strings.Join(unknown, ", "), teamID, teamName, syncengine.ErrUnknownField)
	}
	return nil
}

// listTeams reads the department list afresh: a List is the snapshot, and
// one a day old would hide new, renamed and archived departments.
func (k *Connector) listTeams(ctx context.Context) ([]syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hibob: list teams: %w", err)
	}
	l, err := k.readDepartments(ctx)
	if err != nil {
		return nil, err
	}
	var out []syncengine.Record
	seen := map[string]bool{}
	var walk func(items []ListItem, parent string)
	walk = func(items []ListItem, parent string) {
		for _, it := range items {
			if it.ID == "" || seen[it.ID] {
				k.warn("hibob: department without an ID, or repeated, skipped", "name", truncate(it.Name, 60))
				continue
			}
			seen[it.ID] = true
			out = append(out, teamRecord(it, parent))
			walk(it.Children, it.ID)
		}
	}
	walk(l.Items, "")
	return out, nil
}

// getTeam reads one department from the list in hand, reading the list
// again when that one lacks it (a department added since).
func (k *Connector) getTeam(ctx context.Context, id string) (syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return syncengine.Record{}, fmt.Errorf("hibob: get team %q: %w", truncate(id, 40), err)
	}
	l, fresh, err := k.departments(ctx)
	if err != nil {
		return syncengine.Record{}, err
	}
	if _, ok := l.Item(id); !ok && !fresh {
		if l, err = k.readDepartments(ctx); err != nil {
			return syncengine.Record{}, err
		}
	}
	it, ok := l.Item(id)
	if !ok {
		return syncengine.Record{}, fmt.Errorf("hibob: no department %q in the department list: %w", truncate(id, 40), syncengine.ErrNotFound)
	}
	parent, _ := l.ParentOf(id)
	return teamRecord(it, parent), nil
}

func teamRecord(it ListItem, parent string) syncengine.Record {
	rec := syncengine.Record{ID: it.ID, Active: !it.Archived,
		Fields: map[string]any{teamID: it.ID, teamName: it.Name}}
	rec.Refs = map[string][]syncengine.Ref{syncengine.RoleParent: oneRef(syncengine.Teams, parent)}
	return rec
}

// departments returns the department list in hand, else the cached one,
// else reads it; fresh says it was just read.
func (k *Connector) departments(ctx context.Context) (l *NamedList, fresh bool, err error) {
	k.mu.Lock()
	if k.depts != nil {
		l = k.depts
	} else {
		var cached NamedList
		if k.cacheLoad(ctx, deptsKey, &cached) {
			k.depts, l = &cached, &cached
		}
	}
	k.mu.Unlock()
	if l != nil {
		return l, false, nil
	}
	l, err = k.readDepartments(ctx)
	return l, true, err
}

// readDepartments reads the department list, archived items included (as
// inactive teams), and keeps it in hand and in the cache.
func (k *Connector) readDepartments(ctx context.Context) (*NamedList, error) {
	l, err := k.client.NamedList(ctx, ListDepartment, NamedListParams{IncludeArchived: true})
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.depts = l
	k.cacheStore(ctx, deptsKey, l)
	return l, nil
}

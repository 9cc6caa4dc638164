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

// listTeams reads the teams afresh: the team list (one call; a List is
// the snapshot, and one a day old would hide new, renamed and archived
// departments), or the values the employees hold.
func (k *Connector) listTeams(ctx context.Context) ([]syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hibob: list teams: %w", err)
	}
	src, err := k.teamSource(ctx)
	if err != nil {
		return nil, err
	}
	if src.list == "" {
		return k.listValueTeams(ctx, src)
	}
	l, err := k.readTeamList(ctx, src.list)
	if err != nil {
		return nil, err
	}
	var out []syncengine.Record
	seen := map[string]bool{}
	var walk func(items []ListItem, parent string)
	walk = func(items []ListItem, parent string) {
		for _, it := range items {
			if it.ID == "" || seen[it.ID] {
				k.warn("hibob: team list item without an ID, or repeated, skipped", "list", src.list, "name", truncate(it.Name, 60))
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

// getTeam reads one team from the team list in hand, reading the list
// again when that one lacks it (an item added since); a value team is
// its value.
func (k *Connector) getTeam(ctx context.Context, id string) (syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return syncengine.Record{}, fmt.Errorf("hibob: get team %q: %w", truncate(id, 40), err)
	}
	src, err := k.teamSource(ctx)
	if err != nil {
		return syncengine.Record{}, err
	}
	if src.list == "" {
		return valueTeam(id)
	}
	l, fresh, err := k.teamList(ctx, src.list)
	if err != nil {
		return syncengine.Record{}, err
	}
	if _, ok := l.Item(id); !ok && !fresh {
		if l, err = k.readTeamList(ctx, src.list); err != nil {
			return syncengine.Record{}, err
		}
	}
	it, ok := l.Item(id)
	if !ok {
		return syncengine.Record{}, fmt.Errorf("hibob: no item %q in the %s list: %w", truncate(id, 40), src.list, syncengine.ErrNotFound)
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

// teamListKey is the cache key of a team list.
func teamListKey(list string) string { return "named-lists/" + list }

// teamList returns the team list in hand, else the cached one, else reads
// it; fresh says it was just read.
func (k *Connector) teamList(ctx context.Context, list string) (l *NamedList, fresh bool, err error) {
	k.mu.Lock()
	if k.teams != nil && k.teamsOf == list {
		l = k.teams
	} else {
		var cached NamedList
		if k.cacheLoad(ctx, teamListKey(list), &cached) {
			k.teams, k.teamsOf, l = &cached, list, &cached
		}
	}
	k.mu.Unlock()
	if l != nil {
		return l, false, nil
	}
	l, err = k.readTeamList(ctx, list)
	return l, true, err
}

// readTeamList reads a team list, archived items included (as inactive
// teams), and keeps it in hand and in the cache.
func (k *Connector) readTeamList(ctx context.Context, list string) (*NamedList, error) {
	l, err := k.client.NamedList(ctx, list, NamedListParams{IncludeArchived: true})
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.teams, k.teamsOf = l, list
	k.cacheStore(ctx, teamListKey(list), l)
	return l, nil
}

package hibob

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// defaultTeamKey is the "teams" ref's key by default: the department's item ID.
const defaultTeamKey = FieldDepartment + ".id"

// heldFor is how long the users a List of value teams read stay good for
// the List of users after it.
const heldFor = time.Minute

// teamSource says where teams come from.
type teamSource struct {
	key  string // the user record key holding a person's team
	list string // the named list whose items are the teams; "" for value teams
}

// heldUsers are the in-scope users a List of value teams read.
type heldUsers struct {
	at   time.Time
	recs []syncengine.Record
}

// teamKey is ConnectorOptions.TeamField, or the department's item ID.
func (k *Connector) teamKey() string {
	if k.opts.TeamField == "" {
		return defaultTeamKey
	}
	return k.opts.TeamField
}

// teamSource resolves TeamField against the fields metadata: a list
// field's ".id" has that field's list as its teams; any other key has
// value teams.
func (k *Connector) teamSource(ctx context.Context) (teamSource, error) {
	key := k.teamKey()
	field, isID := strings.CutSuffix(dotted(key), ".id")
	if !isID {
		return teamSource{key: key}, nil
	}
	k.mu.Lock()
	meta, err := k.fieldsMeta(ctx)
	k.mu.Unlock()
	if err != nil {
		return teamSource{}, err
	}
	for _, m := range meta {
		if m.ID == field && kindOf(m.Type) == kindListName && m.TypeData.ListID != "" {
			return teamSource{key: key, list: m.TypeData.ListID}, nil
		}
	}
	if field == FieldDepartment {
		return teamSource{key: key, list: ListDepartment}, nil // a metadata without the department's list ID
	}
	return teamSource{key: key}, nil
}

// listValueTeams lists the users (one search), keeps them for the List
// of users that follows, and makes one team of each value of the team
// key that active users hold.
func (k *Connector) listValueTeams(ctx context.Context, src teamSource) ([]syncengine.Record, error) {
	users, err := k.searchUsers(ctx)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.held = &heldUsers{at: k.opts.Now(), recs: users}
	k.mu.Unlock()
	var out []syncengine.Record
	seen := map[string]bool{}
	for _, u := range users {
		if !u.Active {
			continue
		}
		for _, v := range teamValues(u.Fields[src.key]) {
			if !seen[v] {
				seen[v] = true
				rec, _ := valueTeam(v)
				out = append(out, rec)
			}
		}
	}
	slices.SortFunc(out, func(a, b syncengine.Record) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// takeHeld returns the users a List of value teams read within heldFor,
// once.
func (k *Connector) takeHeld() ([]syncengine.Record, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	h := k.held
	k.held = nil
	if h == nil || k.opts.Now().Sub(h.at) >= heldFor {
		return nil, false
	}
	return h.recs, true
}

// valueTeam is the team a value names.
func valueTeam(v string) (syncengine.Record, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return syncengine.Record{}, fmt.Errorf("hibob: an empty team value: %w", syncengine.ErrNotFound)
	}
	return syncengine.Record{ID: v, Active: true, Fields: map[string]any{teamID: v, teamName: v},
		Refs: map[string][]syncengine.Ref{syncengine.RoleParent: {}}}, nil
}

// teamValues reads a team key's value as team IDs: text (trimmed), a
// number's decimal, or a list of them; empty ones are left out.
func teamValues(v any) []string {
	var out []string
	add := func(x any) {
		var s string
		switch x := x.(type) {
		case string:
			s = strings.TrimSpace(x)
		case float64:
			s = strconv.FormatFloat(x, 'f', -1, 64)
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if l, ok := v.([]any); ok {
		for _, x := range l {
			add(x)
		}
	} else {
		add(v)
	}
	return out
}

// teamRefs is the "teams" ref of a record's fields: absent when the team
// key is (hidden from the service user), empty when its value is.
func (k *Connector) teamRefs(fields map[string]any) ([]syncengine.Ref, bool) {
	v, ok := fields[k.teamKey()]
	if !ok {
		return nil, false
	}
	refs := []syncengine.Ref{}
	for _, id := range teamValues(v) {
		refs = append(refs, syncengine.Ref{Collection: syncengine.Teams, ID: id})
	}
	return refs, true
}

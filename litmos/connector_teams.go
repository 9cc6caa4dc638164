package litmos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// teamRecord turns a team into a record; "Id" is a field when ReadFields
// named it, and a parent outside TeamIDs is left out.
func (k *Connector) teamRecord(t *Team, withDescription bool) syncengine.Record {
	f := map[string]any{"Name": t.Name, "TeamCodeForBulkImport": t.TeamCodeForBulkImport}
	if withDescription {
		f["Description"] = t.Description
	}
	k.mu.Lock()
	withID := k.teamID
	k.mu.Unlock()
	if withID {
		f["Id"] = t.ID
	}
	rec := syncengine.Record{ID: t.ID, Fields: f, Active: true}
	if t.ParentTeamID != "" && k.teamInScope(t.ParentTeamID) {
		rec.Refs = map[string][]syncengine.Ref{syncengine.RoleParent: {{Collection: syncengine.Teams, ID: t.ParentTeamID}}}
	}
	return rec
}

// teamInScope reports whether team id flows out (ConnectorOptions.TeamIDs,
// less the latest ExcludeTeams answer).
func (k *Connector) teamInScope(id string) bool {
	if k.teamIn != nil && !k.teamIn[id] {
		return false
	}
	ex := k.excluded.Load()
	return ex == nil || !(*ex)[id]
}

// refreshExcluded asks ConnectorOptions.ExcludeTeams again.
func (k *Connector) refreshExcluded(ctx context.Context) error {
	if k.opts.ExcludeTeams == nil {
		return nil
	}
	ids, err := k.opts.ExcludeTeams(ctx)
	if err != nil {
		return fmt.Errorf("litmos: teams to leave out: %w", err)
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	k.excluded.Store(&set)
	return nil
}

// InScope implements syncengine.Scoper: with ConnectorOptions.TeamIDs,
// only those teams flow out, however they were read; every other record does.
func (k *Connector) InScope(c syncengine.Collection, r syncengine.Record) bool {
	return c != syncengine.Teams || k.teamInScope(r.ID)
}

func (k *Connector) listTeams(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	if err := k.refreshExcluded(ctx); err != nil {
		return err
	}
	var all []string
	for t, err := range k.c.ListTeams(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		all = append(all, t.ID)
		if !k.teamInScope(t.ID) {
			continue
		}
		if !yield(k.teamRecord(&t, false), nil) {
			return errStop
		}
	}
	k.mu.Lock()
	k.teamsRead = all
	k.mu.Unlock()
	return nil
}

// allTeamIDs lists the id of every team: a call per 1000 teams, or none
// right after a whole List(Teams), whose ids it takes (once).
func (k *Connector) allTeamIDs(ctx context.Context) ([]string, error) {
	k.mu.Lock()
	ids := k.teamsRead
	k.teamsRead = nil
	k.mu.Unlock()
	if ids != nil {
		return ids, nil
	}
	for t, err := range k.c.ListTeams(ctx, ListParams{}) {
		if err != nil {
			return nil, err
		}
		ids = append(ids, t.ID)
	}
	return ids, nil
}

// getTeam reads the team and its active members.
func (k *Connector) getTeam(ctx context.Context, id string) (syncengine.Record, error) {
	t, err := k.c.GetTeam(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	rec := k.teamRecord(t, true)
	var members []syncengine.Ref
	for m, err := range k.c.ListTeamMembers(ctx, id, ListParams{}) {
		if err != nil {
			return syncengine.Record{}, err
		}
		members = append(members, syncengine.Ref{Collection: syncengine.Users, ID: m.ID})
	}
	if len(members) > 0 {
		if rec.Refs == nil {
			rec.Refs = map[string][]syncengine.Ref{}
		}
		rec.Refs["members"] = members
	}
	return rec, nil
}

func (k *Connector) createTeam(ctx context.Context, rec syncengine.Record) (string, error) {
	var t Team
	for name, v := range rec.Fields {
		s, err := stringValue(v)
		if err != nil {
			return "", wrapf(err, "create team: field %q", name)
		}
		switch name {
		case "Name":
			t.Name = s
		case "Description":
			t.Description = s
		case "TeamCodeForBulkImport":
			t.TeamCodeForBulkImport = s
		default:
			return "", fmt.Errorf("litmos: create team: field %q is not a Litmos team field", name)
		}
	}
	if p := rec.Refs["parent"]; len(p) > 0 {
		t.ParentTeamID = p[0].ID
	}
	out, err := k.c.CreateTeam(ctx, t)
	if err != nil {
		return "", err
	}
	return out.ID, nil
}

func (k *Connector) findTeams(ctx context.Context, name string) ([]syncengine.Record, error) {
	var out []syncengine.Record
	for t, err := range k.c.SearchTeams(ctx, searchPrefix(name)) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(strings.TrimSpace(t.Name), name) {
			out = append(out, k.teamRecord(&t, false))
		}
	}
	return out, nil
}

// writeTeamRefs makes "members" exactly the given users: missing ones are
// added (without email unless SendEmail), others removed. Litmos lists
// active members only, so inactive members are left alone.
func (k *Connector) writeTeamRefs(ctx context.Context, id string, refs map[string][]syncengine.Ref) error {
	for role := range refs {
		if role != "members" {
			return fmt.Errorf("litmos: write refs of team %s: role %q is not supported (only \"members\")", id, role)
		}
	}
	want, ok := refs["members"]
	if !ok {
		return nil
	}
	if _, err := k.c.GetTeam(ctx, id); err != nil {
		return err
	}
	var have []string
	for m, err := range k.c.ListTeamMembers(ctx, id, ListParams{}) {
		if err != nil {
			return err
		}
		have = append(have, m.ID)
	}
	var add []string
	wantIDs := make([]string, 0, len(want))
	for _, r := range want {
		if r.ID == "" {
			return errors.New("litmos: write refs of team " + id + ": a member ref has no id")
		}
		wantIDs = append(wantIDs, r.ID)
		if !slices.Contains(have, r.ID) && !slices.Contains(add, r.ID) {
			add = append(add, r.ID)
		}
	}
	if len(add) > 0 {
		if err := k.c.AddTeamMembers(ctx, id, add, MessageParams{SendMessage: k.opts.SendEmail}); err != nil {
			return err
		}
	}
	for _, h := range have {
		if !slices.Contains(wantIDs, h) {
			// 404: already gone (for one, a retried DELETE that was applied).
			if err := k.c.RemoveTeamMember(ctx, id, h); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	return nil
}

// TeamPickerMax is the most teams SearchTeams lists whole; an account with
// more is searched by name instead.
const TeamPickerMax = 250

// SearchTeams returns the teams a setup screen offers for text: those
// whose name contains text (ignoring case; every team for ""), in
// Litmos's order. An account with at most TeamPickerMax teams costs one
// call (GET /teams?limit=251, filtered here). A larger one is searched by
// Litmos (GET /teams?search=…, a call per 1000 matches, filtered here for
// an exact substring, as Litmos's search is fuzzy); the connector then
// remembers that the account is large, so later calls make the search
// alone. For "" a large account answers its first TeamPickerMax teams.
func (k *Connector) SearchTeams(ctx context.Context, text string) ([]Team, error) {
	k.mu.Lock()
	many := k.manyTeams
	k.mu.Unlock()
	if !many {
		page, err := k.c.ListTeamsPage(ctx, ListParams{Limit: TeamPickerMax + 1})
		if err != nil {
			return nil, err
		}
		if len(page) <= TeamPickerMax {
			return teamsNamed(page, text), nil
		}
		k.mu.Lock()
		k.manyTeams = true
		k.mu.Unlock()
		if strings.TrimSpace(text) == "" {
			return page[:TeamPickerMax], nil
		}
	} else if strings.TrimSpace(text) == "" {
		return k.c.ListTeamsPage(ctx, ListParams{Limit: TeamPickerMax})
	}
	var found []Team
	for t, err := range k.c.SearchTeams(ctx, searchPrefix(strings.TrimSpace(text))) {
		if err != nil {
			return nil, err
		}
		found = append(found, t)
	}
	return teamsNamed(found, text), nil
}

// teamsNamed keeps the teams whose name contains text, ignoring case.
func teamsNamed(teams []Team, text string) []Team {
	want := strings.ToLower(strings.TrimSpace(text))
	out := make([]Team, 0, len(teams))
	for _, t := range teams {
		if strings.Contains(strings.ToLower(t.Name), want) {
			out = append(out, t)
		}
	}
	return out
}

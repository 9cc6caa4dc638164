package litmos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

func teamRecord(t *Team, withDescription bool) syncengine.Record {
	f := map[string]any{"Name": t.Name, "TeamCodeForBulkImport": t.TeamCodeForBulkImport}
	if withDescription {
		f["Description"] = t.Description
	}
	rec := syncengine.Record{ID: t.ID, Fields: f, Active: true}
	if t.ParentTeamID != "" {
		rec.Refs = map[string][]syncengine.Ref{"parent": {{Collection: syncengine.Teams, ID: t.ParentTeamID}}}
	}
	return rec
}

func (k *Connector) listTeams(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	for t, err := range k.c.ListTeams(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		if !yield(teamRecord(&t, false), nil) {
			return errStop
		}
	}
	return nil
}

// getTeam reads the team and its active members.
func (k *Connector) getTeam(ctx context.Context, id string) (syncengine.Record, error) {
	t, err := k.c.GetTeam(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	rec := teamRecord(t, true)
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
			out = append(out, teamRecord(&t, false))
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

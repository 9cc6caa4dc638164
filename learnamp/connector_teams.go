package learnamp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// teamRecord turns a team into a record: always active, its parent as the
// "parent" reference, never its members.
func (k *Connector) teamRecord(t *Team) syncengine.Record {
	f := map[string]any{"name": t.Name, "integrationExternalId": t.IntegrationExternalID}
	rec := syncengine.Record{ID: t.ID, Fields: k.keep(syncengine.Teams, f), Active: true}
	if t.ParentTeamID != "" {
		rec.Refs = map[string][]syncengine.Ref{syncengine.RoleParent: {{Collection: syncengine.Teams, ID: t.ParentTeamID}}}
	}
	return rec
}

func (k *Connector) listTeams(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	for t, err := range k.c.ListTeams(ctx, ListTeamsParams{PageParams: PageParams{PerPage: DefaultPerPage}}) {
		if err != nil {
			return err
		}
		rec := k.teamRecord(&t)
		if !k.InScope(syncengine.Teams, rec) {
			continue
		}
		if !yield(rec, nil) {
			return errStop
		}
	}
	return nil
}

// findTeamsByName lists the teams Learn Amp's name filter matches (it does
// not say whether in part) and keeps those whose whole name matches,
// ignoring case.
func (k *Connector) findTeamsByName(ctx context.Context, name string) ([]syncengine.Record, error) {
	var out []syncengine.Record
	p := ListTeamsParams{PageParams: PageParams{PerPage: DefaultPerPage}, Name: name}
	for t, err := range k.c.ListTeams(ctx, p) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(strings.TrimSpace(t.Name), name) {
			out = append(out, k.teamRecord(&t))
		}
	}
	return out, nil
}

// teamText reads the team fields of a write into name and ext; a nil
// integrationExternalId clears it, a nil name is refused.
func teamText(fields map[string]any) (name, ext *string, err error) {
	for _, f := range sortedKeys(fields) {
		s, err := textValue(fields[f])
		if err != nil {
			return nil, nil, fmt.Errorf("field %q: %w", f, err)
		}
		s = strings.TrimSpace(s)
		switch f {
		case "name":
			if s == "" {
				return nil, nil, errors.New(`field "name" cannot be cleared: Learn Amp requires it`)
			}
			name = &s
		case "integrationExternalId":
			ext = &s
		default:
			return nil, nil, fmt.Errorf("field %q is not a Learn Amp team field (TeamFields lists them)", f)
		}
	}
	return name, ext, nil
}

// teamParent reads the "parent" reference; "" for none.
func teamParent(refs map[string][]syncengine.Ref) (string, bool, error) {
	if err := checkRoles(syncengine.Teams, refs); err != nil {
		return "", false, err
	}
	parent, ok := refs[syncengine.RoleParent]
	if !ok {
		return "", false, nil
	}
	id, err := oneRef(parent, "parent")
	return id, true, err
}

// createTeam creates a team, under its parent when the record has one, in one call.
func (k *Connector) createTeam(ctx context.Context, rec syncengine.Record) (string, error) {
	name, ext, err := teamText(rec.Fields)
	if err == nil && name == nil {
		err = errors.New(`field "name" is required`)
	}
	var parent string
	if err == nil {
		parent, _, err = teamParent(rec.Refs)
	}
	if err != nil {
		return "", fmt.Errorf("learnamp: create team: %w", err)
	}
	p := CreateTeamParams{Name: *name, ParentTeamID: parent}
	if ext != nil {
		p.IntegrationExternalID = *ext
	}
	t, err := k.c.CreateTeam(ctx, p)
	if err != nil {
		return "", err
	}
	return t.ID, nil
}

// updateTeam writes a team's changed fields and parent in one PUT. Learn
// Amp's team update needs the name (its validation example answers "name
// is missing"), so the team is read first unless fields rename it.
func (k *Connector) updateTeam(ctx context.Context, id string, fields map[string]any, refs map[string][]syncengine.Ref) error {
	if err := k.checkID(ctx, syncengine.Teams, "update", id); err != nil {
		return err
	}
	name, ext, err := teamText(fields)
	if err != nil {
		return fmt.Errorf("learnamp: update team %s: %w", id, err)
	}
	parent, setParent, err := teamParent(refs)
	if err != nil {
		return fmt.Errorf("learnamp: update team %s: %w", id, err)
	}
	if setParent && parent == "" {
		// The reference documents no way to move a team back to the top level.
		return fmt.Errorf("learnamp: update team %s: the parent cannot be removed through Learn Amp's API: %w", id, syncengine.ErrUnsupported)
	}
	if name == nil && ext == nil && !setParent {
		return nil
	}
	p := UpdateTeamParams{IntegrationExternalID: ext}
	if setParent {
		p.ParentTeamID = &parent
	}
	if name != nil {
		p.Name = *name
	} else {
		t, err := k.c.GetTeam(ctx, id)
		if err != nil {
			return err
		}
		p.Name = t.Name
	}
	_, err = k.c.UpdateTeam(ctx, id, p)
	return err
}

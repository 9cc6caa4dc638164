package learnamp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// A user write costs, in calls: one PUT for any mix of field, manager and
// primary team changes (with reactivate: true when the user comes back);
// one PUT .../deactivate or .../reactivate for an active-flag change alone;
// a deactivation after a PUT is a second call. Only without Write.Base is
// the user read first (Update, WriteRefs, or a plan loaded from JSON).
// Removing the primary team is a DELETE of that membership, and each
// secondary team added or removed (ConnectorOptions.SecondaryTeams) one
// call more.

// person are the fields every Learn Amp user update carries
// (https://developers.learnamp.com/#update-a-user marks them required).
var person = []string{"email", "firstName", "lastName"}

// userChange is what a write asks of one user, parsed before any call.
type userChange struct {
	params  UpdateUserParams  // the PUT body, person fields not yet filled in
	fields  bool              // fields change: a PUT is needed
	person  map[string]string // person fields the write sets
	manager *string           // nil: unchanged; "": remove
	teams   bool              // the write sets the "teams" reference
	primary string
	second  []string
}

func (k *Connector) writeUser(ctx context.Context, w syncengine.Write) error {
	if err := k.checkID(ctx, syncengine.Users, "write", w.ID); err != nil {
		return err
	}
	ch, err := k.parseUserChange(w)
	if err != nil {
		return fmt.Errorf("learnamp: write user %s: %w", w.ID, err)
	}
	if !ch.fields && ch.manager == nil && !ch.teams {
		if w.Active == nil {
			return nil
		}
		return k.setActive(ctx, w.ID, *w.Active)
	}
	cur, err := k.current(ctx, w)
	if err != nil {
		return err
	}
	return k.applyUserChange(ctx, w, ch, cur)
}

// parseUserChange reads the fields and references of w.
func (k *Connector) parseUserChange(w syncengine.Write) (*userChange, error) {
	ch := &userChange{person: map[string]string{}}
	if err := ch.setFields(w.Fields); err != nil {
		return nil, err
	}
	if err := checkRoles(syncengine.Users, w.Refs); err != nil {
		return nil, err
	}
	if refs, ok := w.Refs[syncengine.RoleManager]; ok {
		id, err := oneRef(refs, "manager")
		if err != nil {
			return nil, err
		}
		ch.manager = &id
	}
	if refs, ok := w.Refs[syncengine.RoleTeams]; ok {
		var err error
		if ch.primary, ch.second, err = k.wantTeams(refs); err != nil {
			return nil, err
		}
		ch.teams = true
	}
	return ch, nil
}

// setFields puts the changed fields into the PUT body, naming the first
// one Learn Amp cannot take. A nil value clears the field where Learn Amp
// documents a way to (text fields, integrationExternalId, custom fields).
func (ch *userChange) setFields(fields map[string]any) error {
	p := &ch.params
	optional := map[string]**string{
		"integrationExternalId": &p.IntegrationExternalID, "jobTitle": &p.JobTitle, "location": &p.Location,
		"department": &p.Department, "language": &p.Language, "role": &p.Role, "occupationRole": &p.OccupationRole,
	}
	clearable := []string{"integrationExternalId", "jobTitle", "location", "department"}
	for _, f := range sortedKeys(fields) {
		v := fields[f]
		top, _, _ := strings.Cut(f, ".")
		ch.fields = true
		switch dst, ok := optional[f]; {
		case slices.Contains(person, f) || ok:
			s, err := textValue(v)
			if err != nil {
				return fmt.Errorf("field %q: %w", f, err)
			}
			s = strings.TrimSpace(s)
			if s == "" && !slices.Contains(clearable, f) {
				return fmt.Errorf("field %q cannot be cleared: Learn Amp requires it or documents no way to empty it", f)
			}
			if ok {
				*dst = &s
			} else {
				ch.person[f] = s
			}
		case f == "hireDate":
			d, err := dateValue(v)
			if err != nil {
				return fmt.Errorf("field %q: %w", f, err)
			}
			if d.IsZero() {
				return errors.New(`field "hireDate" cannot be cleared: Learn Amp documents no way to empty it`)
			}
			p.HireDate = &d
		case top == CustomFieldsField:
		default:
			return fieldError(f)
		}
	}
	cf, err := customFieldValues(fields)
	p.CustomFields = cf
	return err
}

// current is the user as the write starts from it: w.Base when it has the
// person fields (the record the plan read), else the user read now.
func (k *Connector) current(ctx context.Context, w syncengine.Write) (*syncengine.Record, error) {
	if b := w.Base; b != nil && b.ID == w.ID {
		ok := true
		for _, f := range person {
			s, isText := b.Fields[f].(string)
			ok = ok && isText && strings.TrimSpace(s) != ""
		}
		if ok {
			return b, nil
		}
	}
	u, err := k.c.GetUser(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	rec := k.userRecord(u)
	return &rec, nil
}

// applyUserChange sends the calls ch needs, starting from cur: a
// reactivation alone, the PUT, membership calls, then a deactivation.
func (k *Connector) applyUserChange(ctx context.Context, w syncengine.Write, ch *userChange, cur *syncengine.Record) error {
	active := cur.Active
	if w.Active != nil {
		active = *w.Active
	}
	p := &ch.params
	managerErr := ch.planManager(w.ID, cur)
	curTeams := refIDs(cur.Refs[syncengine.RoleTeams])
	remove := k.planTeams(ctx, w.ID, ch, curTeams, active)
	reactivate := active && !cur.Active
	put := ch.fields || p.ManagerID != nil || p.PrimaryTeamID != nil
	if reactivate && !put {
		if err := k.setActive(ctx, w.ID, true); err != nil {
			return err
		}
	}
	if put {
		p.Reactivate = reactivate
		u, err := k.put(ctx, w.ID, ch, cur)
		if err != nil {
			return err
		}
		if ch.teams && p.PrimaryTeamID != nil {
			remove = k.afterPrimaryMove(u, ch, first(curTeams))
		}
	}
	if err := k.memberships(ctx, w.ID, ch, remove); err != nil {
		return err
	}
	if !active && cur.Active {
		if err := k.setActive(ctx, w.ID, false); err != nil {
			return err
		}
	}
	return managerErr
}

// planManager puts a new manager into the PUT; a removal, which Learn Amp
// documents no way to do, is the error the write returns once the rest
// is written.
func (ch *userChange) planManager(id string, cur *syncengine.Record) error {
	if ch.manager == nil {
		return nil
	}
	have := refID(cur.Refs[syncengine.RoleManager])
	switch {
	case *ch.manager != "" && *ch.manager != have:
		ch.params.ManagerID = ch.manager
	case *ch.manager == "" && have != "":
		return fmt.Errorf("learnamp: write user %s: manager %s not removed: Learn Amp documents no way to "+
			"remove a user's override manager, and a primary team's manager is the team's (change either on the People page): %w",
			id, have, syncengine.ErrUnsupported)
	}
	return nil
}

// planTeams puts the primary team into the PUT, or returns the
// memberships to remove when the user is to be in no team. A user who is
// or becomes deactivated keeps no team in Learn Amp
// (https://support.learnamp.com/knowledge/what-happens-when-a-user-is-deactivated):
// its team changes are left out.
func (k *Connector) planTeams(ctx context.Context, id string, ch *userChange, curTeams []string, active bool) []string {
	switch {
	case !ch.teams:
	case !active:
		k.opts.Logger.DebugContext(ctx, "learnamp: teams of a deactivated user not written", "user", id)
		ch.teams = false
	case ch.primary == "":
		return curTeams // the primary team (and, with SecondaryTeams, the others) go
	case k.opts.SecondaryTeams || first(curTeams) != ch.primary:
		ch.params.PrimaryTeamID = &ch.primary
	}
	return nil
}

// put sends the update with the person fields of ch, else of cur.
func (k *Connector) put(ctx context.Context, id string, ch *userChange, cur *syncengine.Record) (*User, error) {
	get := func(f string) string {
		if s, ok := ch.person[f]; ok {
			return s
		}
		s, _ := cur.Fields[f].(string)
		return s
	}
	ch.params.Email, ch.params.FirstName, ch.params.LastName = get("email"), get("firstName"), get("lastName")
	return k.c.UpdateUser(ctx, id, ch.params)
}

// afterPrimaryMove returns the memberships to remove once the PUT reply u
// shows the user's teams: with SecondaryTeams the secondary teams not
// wanted; else only the former primary team, should Learn Amp have kept
// it as a secondary one (the reference does not say what a new
// primaryTeamId does to the old). It also plans the additions (ch.second).
func (k *Connector) afterPrimaryMove(u *User, ch *userChange, oldPrimary string) []string {
	var have []string
	for _, t := range u.SecondaryTeams {
		if u.PrimaryTeam == nil || t.ID != u.PrimaryTeam.ID {
			have = append(have, t.ID)
		}
	}
	var remove []string
	if !k.opts.SecondaryTeams {
		if oldPrimary != "" && oldPrimary != ch.primary && slices.Contains(have, oldPrimary) {
			remove = append(remove, oldPrimary)
		}
		return remove
	}
	for _, t := range have {
		if !slices.Contains(ch.second, t) {
			remove = append(remove, t)
		}
	}
	ch.second = slices.DeleteFunc(ch.second, func(t string) bool { return slices.Contains(have, t) })
	return remove
}

// memberships adds the user to ch.second (after a PUT, those it lacks) and
// takes it out of remove; a membership already so is no error, so a
// retried call is harmless.
func (k *Connector) memberships(ctx context.Context, id string, ch *userChange, remove []string) error {
	if ch.teams && k.opts.SecondaryTeams && ch.primary != "" {
		for _, t := range ch.second {
			_, err := k.c.AddTeamUser(ctx, AddTeamUserParams{TeamID: t, UserID: id})
			if err != nil && !errors.Is(err, ErrConflict) {
				return err
			}
		}
	}
	for _, t := range remove {
		if err := k.c.RemoveTeamUser(ctx, t, id); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// setActive deactivates or reactivates a user. Should Learn Amp refuse
// the call because the user already is so (a retry after a lost reply),
// the user is read to make sure, and that is success.
func (k *Connector) setActive(ctx context.Context, id string, active bool) error {
	call := k.c.DeactivateUser
	if active {
		call = k.c.ReactivateUser
	}
	err := call(ctx, id)
	if err == nil || !errors.Is(err, ErrInvalid) {
		return err
	}
	u, gerr := k.c.GetUser(ctx, id)
	if gerr == nil && isActive(u) == active {
		return nil
	}
	return err
}

func refID(refs []syncengine.Ref) string { return first(refIDs(refs)) }

func refIDs(refs []syncengine.Ref) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

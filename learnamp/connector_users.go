package learnamp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// allStatuses are sent on every user listing: Learn Amp does not say
// whether deactivated users are listed without a status filter, and the
// engine must see them to link a returning person to their old account.
var allStatuses = []Status{StatusNotInvited, StatusInviteScheduled, StatusInvitePending, StatusConfirmed, StatusDeactivated}

// userRecord turns a full (expanded) user into a record.
func (k *Connector) userRecord(u *User) syncengine.Record {
	status := string(u.Status.State())
	if status == "" {
		status = u.Status.Status
	}
	f := map[string]any{
		"email": u.Email, "firstName": u.FirstName, "lastName": u.LastName,
		"integrationExternalId": u.IntegrationExternalID, "jobTitle": u.JobTitle,
		"location": u.Location, "department": u.Department, "hireDate": dateField(u.HireDate),
		"language": u.Language, "role": u.Role, "occupationRole": u.OccupationRole,
		"timeZone": u.TimeZone, "status": status,
	}
	if cf := readCustomFields(u.Extra); cf != nil {
		f[CustomFieldsField] = cf
	}
	rec := syncengine.Record{ID: u.ID, Fields: k.keep(syncengine.Users, f), Active: isActive(u)}
	if u.Manager != nil {
		rec.Refs = map[string][]syncengine.Ref{syncengine.RoleManager: {{Collection: syncengine.Users, ID: u.Manager.ID}}}
	}
	if teams := k.teamRefs(u); len(teams) > 0 {
		if rec.Refs == nil {
			rec.Refs = map[string][]syncengine.Ref{}
		}
		rec.Refs[syncengine.RoleTeams] = teams
	}
	return rec
}

// isActive: every status but deactivated is active, texts Learn Amp
// documents no status for ("External Contributor") included.
func isActive(u *User) bool { return u.Status.State() != StatusDeactivated }

// teamRefs is the "teams" reference of u: its primary team, and with
// ConnectorOptions.SecondaryTeams its other teams after it.
func (k *Connector) teamRefs(u *User) []syncengine.Ref {
	var out []syncengine.Ref
	if u.PrimaryTeam != nil {
		out = append(out, syncengine.Ref{Collection: syncengine.Teams, ID: u.PrimaryTeam.ID})
	}
	if k.opts.SecondaryTeams {
		for _, t := range u.SecondaryTeams {
			if t.ID != "" && (u.PrimaryTeam == nil || t.ID != u.PrimaryTeam.ID) {
				out = append(out, syncengine.Ref{Collection: syncengine.Teams, ID: t.ID})
			}
		}
	}
	return out
}

// listParams lists every user, expanded (location, department, manager
// and teams come only so), at the largest page the client asks for.
func listParams() ListUsersParams {
	return ListUsersParams{PageParams: PageParams{PerPage: DefaultPerPage}, Expanded: true, Statuses: allStatuses}
}

func (k *Connector) listUsers(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	for u, err := range k.c.ListUsers(ctx, listParams()) {
		if err != nil {
			return err
		}
		rec := k.userRecord(&u)
		if !k.InScope(syncengine.Users, rec) {
			continue
		}
		if !yield(rec, nil) {
			return errStop
		}
	}
	return nil
}

// findUsersByEmail asks the email filter for the address in lower case
// (Learn Amp keeps emails as its users' unique, case-insensitive login),
// and once more as given when that finds nobody and the case differs.
func (k *Connector) findUsersByEmail(ctx context.Context, email string) ([]syncengine.Record, error) {
	tries := []string{strings.ToLower(email)}
	if tries[0] != email {
		tries = append(tries, email)
	}
	for _, q := range tries {
		p := listParams()
		p.Email = q
		var out []syncengine.Record
		for u, err := range k.c.ListUsers(ctx, p) {
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(strings.TrimSpace(u.Email), email) {
				out = append(out, k.userRecord(&u))
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}

// createUser creates a user with its fields, manager and teams in one
// call. An inactive record is created, without an invitation, and then
// deactivated (a second call); the engine creates active records only.
func (k *Connector) createUser(ctx context.Context, rec syncengine.Record) (string, error) {
	p, err := k.createParams(rec)
	if err != nil {
		return "", fmt.Errorf("learnamp: create user: %w", err)
	}
	u, err := k.c.CreateUser(ctx, p)
	if err != nil {
		return "", err
	}
	if !rec.Active {
		if err := k.setActive(ctx, u.ID, false); err != nil {
			return u.ID, fmt.Errorf("learnamp: create user %s: created, but not deactivated: %w", u.ID, err)
		}
	}
	return u.ID, nil
}

// createParams builds the create body from a record, naming the first
// field it cannot carry.
func (k *Connector) createParams(rec syncengine.Record) (CreateUserParams, error) {
	p := CreateUserParams{SendInvitation: k.opts.SendEmail && rec.Active}
	text := map[string]*string{
		"email": &p.Email, "firstName": &p.FirstName, "lastName": &p.LastName,
		"integrationExternalId": &p.IntegrationExternalID, "jobTitle": &p.JobTitle, "location": &p.Location,
		"department": &p.Department, "language": &p.Language, "role": &p.Role,
	}
	for _, f := range sortedKeys(rec.Fields) {
		v := rec.Fields[f]
		top, _, _ := strings.Cut(f, ".")
		switch dst, ok := text[f]; {
		case ok:
			s, err := textValue(v)
			if err != nil {
				return p, fmt.Errorf("field %q: %w", f, err)
			}
			*dst = strings.TrimSpace(s)
		case f == "hireDate":
			d, err := dateValue(v)
			if err != nil {
				return p, fmt.Errorf("field %q: %w", f, err)
			}
			if !d.IsZero() {
				p.HireDate = &d
			}
		case top == CustomFieldsField:
		case f == "occupationRole":
			return p, errors.New(`field "occupationRole" cannot be set on create: Learn Amp's create takes none (map it as an update-only field)`)
		default:
			return p, fieldError(f)
		}
	}
	cf, err := customFieldValues(rec.Fields)
	if err != nil {
		return p, err
	}
	for _, f := range cf {
		if f.Value != "" {
			p.CustomFields = append(p.CustomFields, f)
		}
	}
	if err := checkRoles(syncengine.Users, rec.Refs); err != nil {
		return p, err
	}
	if mgr, err := oneRef(rec.Refs[syncengine.RoleManager], "manager"); err != nil {
		return p, err
	} else if mgr != "" {
		p.ManagerID = mgr
	}
	primary, secondary, err := k.wantTeams(rec.Refs[syncengine.RoleTeams])
	if err != nil {
		return p, err
	}
	p.PrimaryTeamID, p.SecondaryTeamIDs = primary, secondary
	return p, nil
}

// fieldError names a field user records cannot carry.
func fieldError(f string) error {
	if slices.Contains(userReadOnly, f) {
		return fmt.Errorf("field %q is set by Learn Amp and cannot be written", f)
	}
	if role := refHints[f]; role != "" {
		return fmt.Errorf("field %q is not a Learn Amp user field: write the %q reference", f, role)
	}
	return fmt.Errorf("field %q is not a Learn Amp user field (UserFields lists them)", f)
}

// checkRoles refuses reference roles the collection does not have.
func checkRoles(c syncengine.Collection, refs map[string][]syncengine.Ref) error {
	for _, role := range sortedKeys(refs) {
		if !slices.Contains(refRoles[c], role) {
			return fmt.Errorf("reference role %q is not one of Learn Amp %s's (%s)", role, c, strings.Join(refRoles[c], ", "))
		}
	}
	return nil
}

// oneRef reads a reference that holds at most one record: its id, or "".
func oneRef(refs []syncengine.Ref, role string) (string, error) {
	switch {
	case len(refs) > 1:
		return "", fmt.Errorf("%d %s references: Learn Amp holds one", len(refs), role)
	case len(refs) == 1 && !validID(refs[0].ID):
		return "", fmt.Errorf("%s reference %q is not a Learn Amp id", role, clip(refs[0].ID))
	case len(refs) == 1:
		return refs[0].ID, nil
	}
	return "", nil
}

// wantTeams splits a "teams" reference into the primary team and, with
// ConnectorOptions.SecondaryTeams, the secondary ones (nil otherwise).
func (k *Connector) wantTeams(refs []syncengine.Ref) (primary string, secondary []string, err error) {
	for i, r := range refs {
		if !validID(r.ID) {
			return "", nil, fmt.Errorf("teams reference %q is not a Learn Amp id", clip(r.ID))
		}
		if i > 0 && r.ID != refs[0].ID && !slices.Contains(secondary, r.ID) {
			secondary = append(secondary, r.ID)
		}
	}
	if len(refs) == 0 {
		return "", nil, nil
	}
	if len(secondary) > 0 && !k.opts.SecondaryTeams {
		return "", nil, fmt.Errorf("%d teams references: the \"teams\" reference is the primary team alone "+
			"(ConnectorOptions.SecondaryTeams writes the others as secondary teams)", len(refs))
	}
	return refs[0].ID, secondary, nil
}

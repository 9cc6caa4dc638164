package talentlms

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// userRecord is u as a record, with the fields in rs (nil: all). defs
// decodes the custom fields (nil when none are read); teams, when not nil,
// is the user's branches.
func userRecord(u *User, defs *CustomFields, rs *readSet, teams []syncengine.Ref) syncengine.Record {
	all := map[string]func() any{
		"id": func() any { return u.ID }, "login": func() any { return u.Login },
		"first_name": func() any { return u.FirstName }, "last_name": func() any { return u.LastName },
		"email": func() any { return u.Email }, "user_type": func() any { return u.UserType },
		"timezone": func() any { return u.Timezone }, "language": func() any { return u.Language },
		"status": func() any { return string(u.Status) }, "bio": func() any { return u.Bio },
		"restrict_email":    func() any { return u.RestrictEmail },
		"created_on":        func() any { return timeValue(u.CreatedOn) },
		"last_updated":      func() any { return timeValue(u.LastUpdated) },
		"deactivation_date": func() any { return timeValue(u.DeactivationDate) },
	}
	f := make(map[string]any, len(all)+1)
	for name, v := range all {
		if rs.has(name) {
			f[name] = v()
		}
	}
	if defs != nil && rs.wantsCustom() {
		f[CustomFieldsKey] = customValues(u, defs, rs)
	}
	rec := syncengine.Record{ID: u.ID, Fields: f, Active: u.Status == Active}
	if teams != nil {
		rec.Refs = map[string][]syncengine.Ref{syncengine.RoleTeams: teams}
	}
	return rec
}

// timeValue is a TalentLMS date as a record value: the time, the text as
// sent when it cannot be read in the portal's format, nil when unset.
func timeValue(t Time) any {
	switch {
	case !t.IsZero():
		return t.Time
	case strings.TrimSpace(t.Raw) != "":
		return t.Raw
	}
	return nil
}

// customValues reads the user's custom fields by name: nil for a field
// the user has no value in (a blank " ", as signups fill mandatory fields,
// included), the value as sent when it cannot be decoded.
func customValues(u *User, defs *CustomFields, rs *readSet) map[string]any {
	out := map[string]any{}
	for _, f := range defs.fields {
		if len(defs.byName[f.Name]) != 1 || !rs.customName(f.Name) {
			continue
		}
		raw, ok := u.CustomValue(f.Key)
		if !ok || strings.TrimSpace(raw) == "" {
			out[f.Name] = nil
			continue
		}
		v, err := f.Decode(raw, defs.DateFormat)
		if err != nil {
			v = raw
		}
		out[f.Name] = v
	}
	return out
}

// branchRefs is a user's branches as "teams" refs, in id order.
func branchRefs(branches []Ref) []syncengine.Ref {
	out := make([]syncengine.Ref, 0, len(branches))
	for _, b := range branches {
		out = append(out, syncengine.Ref{Collection: syncengine.Teams, ID: b.ID})
	}
	sortRefs(out)
	return out
}

func sortRefs(refs []syncengine.Ref) {
	slices.SortFunc(refs, func(a, b syncengine.Ref) int {
		x, errA := strconv.ParseUint(a.ID, 10, 64)
		y, errB := strconv.ParseUint(b.ID, 10, 64)
		if errA == nil && errB == nil {
			return cmp.Compare(x, y)
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// listUsers yields the users (of the branch, with Branch). Calls: GET
// getcustomregistrationfields when custom fields are read, the branch
// view (branchView), then the pages of GET users (none for an empty
// branch).
func (k *Connector) listUsers(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	rs := k.readOf(syncengine.Users)
	var defs *CustomFields
	if rs.wantsCustom() {
		var err error
		if defs, err = k.customFields(ctx, true); err != nil {
			return err
		}
		k.warnMissingCustom(defs, rs)
	}
	view, err := k.branchView(ctx)
	if err != nil {
		return err
	}
	if view.members != nil && len(view.members) == 0 {
		return nil
	}
	for u, err := range k.c.ListUsers(ctx, ListUsersParams{}) {
		if err != nil {
			return err
		}
		if view.members != nil && !view.members[u.ID] {
			continue
		}
		var teams []syncengine.Ref
		if view.teams != nil {
			teams = orEmpty(view.teams[u.ID])
		}
		rec := userRecord(&u, defs, rs, teams)
		k.rememberUser(&u)
		if !yield(rec, nil) {
			return errStop
		}
	}
	return nil
}

func orEmpty(refs []syncengine.Ref) []syncengine.Ref {
	if refs == nil {
		return []syncengine.Ref{}
	}
	return refs
}

// warnMissingCustom logs, once each, the custom field names the engine
// reads that the portal does not define.
func (k *Connector) warnMissingCustom(defs *CustomFields, rs *readSet) {
	if rs == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(rs.custom)) {
		if len(defs.byName[name]) != 1 {
			k.warnOnce("custom:"+name, "talentlms: the portal has no single custom user field of this name; it is not carried",
				"field", CustomFieldsKey+"."+name, "defined", len(defs.byName[name]))
		}
	}
}

func (k *Connector) rememberUser(u *User) {
	k.remember(syncengine.Users, u.ID, strings.TrimSpace(u.FirstName+" "+u.LastName))
}

// detailRecord is a user read in full (GET users/…), which names the
// user's branches: it tells the branch scope and the "teams" refs.
func (k *Connector) detailRecord(ctx context.Context, u *User) (syncengine.Record, error) {
	rs := k.readOf(syncengine.Users)
	var defs *CustomFields
	if rs.wantsCustom() {
		var err error
		if defs, err = k.customFields(ctx, false); err != nil {
			return syncengine.Record{}, err
		}
	}
	if k.opts.Branch != "" {
		id, _, err := k.resolveBranch(ctx)
		if err != nil {
			return syncengine.Record{}, err
		}
		k.noteMember(u.ID, slices.ContainsFunc(u.Branches, func(b Ref) bool { return b.ID == id }))
	}
	var teams []syncengine.Ref
	if k.opts.Teams {
		teams = branchRefs(u.Branches)
	}
	k.rememberUser(u)
	return userRecord(u, defs, rs, teams), nil
}

// getUser reads a user in full: GET users/id:{id}, plus the custom field
// definitions when the connector holds none fresh.
func (k *Connector) getUser(ctx context.Context, id string) (syncengine.Record, error) {
	if !digitsRe.MatchString(id) {
		return syncengine.Record{}, notFoundID("user", id)
	}
	u, err := k.c.GetUser(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	return k.detailRecord(ctx, u)
}

// findUser looks a user up by email or login: one call.
func (k *Connector) findUser(ctx context.Context, field string, value any) ([]syncengine.Record, error) {
	s := strings.TrimSpace(fmt.Sprint(value))
	if value == nil || s == "" {
		return nil, nil
	}
	if err := k.checkRead(syncengine.Users); err != nil {
		return nil, err
	}
	var u *User
	var err error
	if field == "email" {
		u, err = k.c.GetUserByEmail(ctx, s)
	} else {
		u, err = k.c.GetUserByUsername(ctx, s)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec, err := k.detailRecord(ctx, u)
	if err != nil {
		return nil, err
	}
	return []syncengine.Record{rec}, nil
}

// setUserActive is usersetstatus: one call.
func (k *Connector) setUserActive(ctx context.Context, id string, active bool) error {
	if !digitsRe.MatchString(id) {
		return notFoundID("user", id)
	}
	st := Inactive
	if active {
		st = Active
	}
	_, err := k.c.SetUserStatus(ctx, id, st)
	return err
}

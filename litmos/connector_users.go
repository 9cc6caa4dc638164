package litmos

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/rostersync/rostersync/syncengine"
)

// userReadOnly are fields Litmos computes: yielded, never written.
var userReadOnly = []string{"FullName", "OriginalId", "CreatedDate", "LastLogin", "Points", "ManagerName"}

// userHidden are never put in a record: ids and refs have their own place,
// and LoginKey (a single-use login URL) and Password are credentials.
var userHidden = []string{"Id", "ManagerId", "LoginKey", "Password", "Active"}

// UserFields lists the field names of user records, in Litmos's order;
// the read-only ones (FullName, OriginalId, CreatedDate, LastLogin,
// Points, ManagerName) are listed but cannot be written.
func UserFields() []string {
	ti := infoOf(reflect.TypeFor[User]())
	var out []string
	for _, i := range userFieldsOf(nil).idx {
		out = append(out, ti.fields[i].name)
	}
	return out
}

// userRecord turns a user into a record: strings, bools, int64, float64,
// and time.Time for dates (absent when unset). With only, just those
// fields (the engine needs no more: a 10k listing stays small), and "Id"
// when only names it.
func userRecord(u *User, only map[string]bool) syncengine.Record {
	return userFieldsOf(only).record(u)
}

// userFields is what userRecord reads for one only, worked out once for a
// listing rather than for each of its users' fields: the indexes of the
// fields kept, and whether "Id" is.
type userFields struct {
	idx []int
	id  bool
}

func userFieldsOf(only map[string]bool) userFields {
	uf := userFields{idx: []int{}, id: only["Id"]}
	for i, f := range infoOf(reflect.TypeFor[User]()).fields {
		if !slices.Contains(userHidden, f.name) && (only == nil || only[f.name]) {
			uf.idx = append(uf.idx, i)
		}
	}
	return uf
}

func (uf userFields) record(u *User) syncengine.Record {
	fields := recordFields(reflect.ValueOf(u).Elem(), uf.idx, 1)
	if uf.id {
		fields["Id"] = u.ID
	}
	rec := syncengine.Record{ID: u.ID, Fields: fields, Active: u.Active}
	if u.ManagerID != "" && u.ManagerID != "0" {
		rec.Refs = map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: u.ManagerID}}}
	}
	return rec
}

// setUserFields writes record fields into u, naming the first bad one.
func setUserFields(u *User, fields map[string]any) error {
	v := reflect.ValueOf(u).Elem()
	ti := infoOf(v.Type())
	// In struct order, without sorting the names: when every name is a
	// writable field and every value fits, that is all. Otherwise the
	// loop below, by name, sets them again and reports the first problem.
	n := 0
	for i := range ti.fields {
		f := &ti.fields[i]
		val, ok := fields[f.name]
		if !ok {
			continue
		}
		if slices.Contains(userHidden, f.name) || slices.Contains(userReadOnly, f.name) || setValue(v.Field(f.index), val) != nil {
			n = -1
			break
		}
		n++
	}
	if n == len(fields) {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		i := slices.IndexFunc(ti.fields, func(f fieldInfo) bool { return f.name == name })
		switch {
		case i < 0 || slices.Contains(userHidden, name):
			return fmt.Errorf("field %q is not a Litmos user field", name)
		case slices.Contains(userReadOnly, name):
			return fmt.Errorf("field %q is computed by Litmos and cannot be written", name)
		}
		if err := setValue(v.Field(ti.fields[i].index), fields[name]); err != nil {
			return fmt.Errorf("field %q: %w", name, err)
		}
	}
	return nil
}

// listUsers yields the users in scope. Without Memberships it streams
// the pages; with them it reads every page first, as which way of reading
// memberships costs fewer calls depends on how many users are active.
func (k *Connector) listUsers(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	read := userFieldsOf(k.fieldsRead())
	k.mu.Lock()
	users := make(map[string]Snapshot, len(k.users)) // the last listing's size
	names := make(map[string]string, len(k.taken))
	start, at := k.gen, k.clock()
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.keepListing(users, start, true)
		k.mu.Unlock()
	}()
	var listed []*User
	for u, err := range k.c.listUserDetailsRefs(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		names[usernameKey(u.UserName)] = u.ID // in scope or not: a username taken
		if k.opts.UserScope != nil && !k.opts.UserScope(*u) {
			continue
		}
		users[u.ID] = u.Snapshot
		if k.opts.Memberships {
			kept := *u // u holds only until the next page
			listed = append(listed, &kept)
			continue
		}
		if !yield(read.record(u), nil) {
			return errStop
		}
	}
	k.keepTaken(names, start, at) // every page read: every username
	if !k.opts.Memberships {
		return nil
	}
	if err := k.refreshExcluded(ctx); err != nil {
		return err
	}
	teams, err := k.memberships(ctx, listed)
	if err != nil {
		return err
	}
	for _, u := range listed {
		rec := read.record(u)
		if u.Active {
			setTeams(&rec, teams[u.ID])
		}
		if !yield(rec, nil) {
			return errStop
		}
	}
	return nil
}

// getUser reads a user and, with Memberships, the teams an active one is in.
func (k *Connector) getUser(ctx context.Context, id string) (syncengine.Record, error) {
	start := k.readGen()
	u, err := k.c.GetUser(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	k.keepRead(u.ID, u.Snapshot, start)
	rec := userRecord(u, k.fieldsRead())
	if !k.opts.Memberships || !u.Active {
		return rec, nil
	}
	var teams []string
	for t, err := range k.c.ListUserTeams(ctx, u.ID, ListParams{}) {
		if err != nil {
			return syncengine.Record{}, err
		}
		if k.teamInScope(t.ID) {
			teams = append(teams, t.ID)
		}
	}
	setTeams(&rec, teams)
	return rec, nil
}

// createUsers holds the Users the connector's creates fill: each is only
// encoded into the request body, and one per create would be 900 bytes
// more per create. A User goes back zeroed, holding nothing of the record.
var createUsers = sync.Pool{New: func() any { return new(User) }}

func (k *Connector) createUser(ctx context.Context, rec syncengine.Record) (string, error) {
	u := createUsers.Get().(*User)
	defer func() {
		*u = User{}
		createUsers.Put(u)
	}()
	if err := setUserFields(u, rec.Fields); err != nil {
		return "", wrapf(err, "create user")
	}
	u.UserName = strings.TrimSpace(u.UserName)
	if u.UserName == "" {
		return "", errors.New("litmos: create user: field \"UserName\" is required")
	}
	if _, set := rec.Fields["IsCustomUsername"]; !set {
		u.IsCustomUsername = !strings.Contains(u.UserName, "@")
	}
	if u.Email == "" && strings.Contains(u.UserName, "@") {
		u.Email = u.UserName
	}
	u.Active = rec.Active
	if mgr := rec.Refs[syncengine.RoleManager]; len(mgr) == 1 && mgr[0].ID != "" {
		u.ManagerID = mgr[0].ID // the create carries its manager: no second write (CanCreateRefs)
	}
	var out createdID
	err := k.c.createUser(ctx, u, CreateUserParams{SendMessage: k.opts.SendEmail, SkipFirstLogin: k.opts.SkipFirstLogin}, &out, &out.ID)
	// Made, maybe made (the reply lost), or taken already (409): a bulk
	// import must not carry the username.
	k.nameTaken(u.UserName)
	if err != nil {
		return "", err
	}
	return out.ID, nil
}

func (k *Connector) findUsersByEmail(ctx context.Context, email string) ([]syncengine.Record, error) {
	var out []syncengine.Record
	for s, err := range k.c.SearchUsers(ctx, searchPrefix(email)) {
		if err != nil {
			return nil, err
		}
		if !strings.EqualFold(strings.TrimSpace(s.Email), email) {
			continue
		}
		start := k.readGen()
		u, err := k.c.GetUser(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		k.keepRead(u.ID, u.Snapshot, start) // the engine may write on this read (an event's match)
		out = append(out, userRecord(u, k.fieldsRead()))
	}
	return out, nil
}

func (k *Connector) writeUserRefs(ctx context.Context, id string, refs map[string][]syncengine.Ref) error {
	for role := range refs {
		if role != "manager" {
			return fmt.Errorf("litmos: write refs of user %s: role %q is not supported (only \"manager\")", id, role)
		}
	}
	mgr, ok := refs["manager"]
	if !ok {
		return nil
	}
	defer k.keepBase(id, Snapshot{}) // written: the next write reads it
	_, err := k.c.UpdateUser(ctx, id, func(u *User) error { return setManager(u, mgr) })
	return err
}

// memberships returns the in-scope teams of each active user in users, by
// user id, read the way that costs fewer calls: one roster per team (GET
// /teams/{id}/users, which lists active members only) or one team list
// per active user (GET /users/{id}/teams). Without TeamIDs the teams are
// listed first (a call per 1000). A team or user deleted meanwhile (404)
// has no memberships.
func (k *Connector) memberships(ctx context.Context, users []*User) (map[string][]string, error) {
	active := make(map[string]bool, len(users))
	for _, u := range users {
		if u.Active {
			active[u.ID] = true
		}
	}
	if len(active) == 0 {
		return nil, nil
	}
	teams := k.opts.TeamIDs
	if teams == nil {
		var err error
		if teams, err = k.allTeamIDs(ctx); err != nil {
			return nil, err
		}
	}
	teams = slices.DeleteFunc(slices.Clone(teams), func(id string) bool { return !k.teamInScope(id) })
	out := map[string][]string{}
	if len(active) < len(teams) {
		for _, u := range users {
			if !u.Active {
				continue
			}
			for t, err := range k.c.ListUserTeams(ctx, u.ID, ListParams{}) {
				if isNotFound(err) {
					break
				}
				if err != nil {
					return nil, err
				}
				if k.teamInScope(t.ID) {
					out[u.ID] = append(out[u.ID], t.ID)
				}
			}
		}
		return out, nil
	}
	for _, t := range teams {
		for m, err := range k.c.ListTeamMembers(ctx, t, ListParams{}) {
			if isNotFound(err) {
				break
			}
			if err != nil {
				return nil, err
			}
			if active[m.ID] {
				out[m.ID] = append(out[m.ID], t)
			}
		}
	}
	return out, nil
}

// setTeams puts the "teams" ref on rec: the team ids sorted, an empty
// list when the user is in none (so that a target drops old memberships).
func setTeams(rec *syncengine.Record, teamIDs []string) {
	ids := slices.Clone(teamIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	refs := make([]syncengine.Ref, len(ids))
	for i, id := range ids {
		refs[i] = syncengine.Ref{Collection: syncengine.Teams, ID: id}
	}
	if rec.Refs == nil {
		rec.Refs = map[string][]syncengine.Ref{}
	}
	rec.Refs[syncengine.RoleTeams] = refs
}

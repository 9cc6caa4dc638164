package litmos

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

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
	ti := infoOf(reflect.TypeOf(User{}))
	var out []string
	for _, f := range ti.fields {
		if !slices.Contains(userHidden, f.name) {
			out = append(out, f.name)
		}
	}
	return out
}

// userRecord turns a user into a record: strings, bools, int64, float64,
// and time.Time for dates (absent when unset). With only, just those
// fields (the engine needs no more: a 10k listing stays small).
func userRecord(u *User, only map[string]bool) syncengine.Record {
	v := reflect.ValueOf(u).Elem()
	ti := infoOf(v.Type())
	n := len(ti.fields)
	if only != nil {
		n = len(only)
	}
	fields := make(map[string]any, n)
	for _, f := range ti.fields {
		if slices.Contains(userHidden, f.name) || (only != nil && !only[f.name]) {
			continue
		}
		fv := v.Field(f.index)
		if fv.Type() == timeType {
			if t := fv.Interface().(Time); !t.IsZero() {
				fields[f.name] = t.Time
			}
			continue
		}
		fields[f.name] = fv.Interface()
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

func (k *Connector) listUsers(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	only := k.fieldsRead()
	users := map[string]*User{}
	defer func() {
		k.mu.Lock()
		k.users = users
		k.mu.Unlock()
	}()
	for u, err := range k.c.ListUserDetails(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		if k.opts.UserScope != nil && !k.opts.UserScope(u) {
			continue
		}
		users[u.ID] = &u
		if !yield(userRecord(&u, only), nil) {
			return errStop
		}
	}
	return nil
}

func (k *Connector) createUser(ctx context.Context, rec syncengine.Record) (string, error) {
	var u User
	if err := setUserFields(&u, rec.Fields); err != nil {
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
	out, err := k.c.CreateUser(ctx, u, CreateUserParams{SendMessage: k.opts.SendEmail, SkipFirstLogin: k.opts.SkipFirstLogin})
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
		u, err := k.c.GetUser(ctx, s.ID)
		if err != nil {
			return nil, err
		}
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
	_, err := k.c.UpdateUser(ctx, id, func(u *User) error { return setManager(u, mgr) })
	return err
}

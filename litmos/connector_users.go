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
// and time.Time for dates (absent when unset).
func userRecord(u *User) syncengine.Record {
	v := reflect.ValueOf(u).Elem()
	ti := infoOf(v.Type())
	fields := make(map[string]any, len(ti.fields))
	for _, f := range ti.fields {
		if slices.Contains(userHidden, f.name) {
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
	for u, err := range k.c.ListUserDetails(ctx, ListParams{}) {
		if err != nil {
			return err
		}
		if k.opts.UserScope != nil && !k.opts.UserScope(u) {
			continue
		}
		if !yield(userRecord(&u), nil) {
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
			return nil, engineErr(err)
		}
		if !strings.EqualFold(strings.TrimSpace(s.Email), email) {
			continue
		}
		u, err := k.c.GetUser(ctx, s.ID)
		if err != nil {
			return nil, engineErr(err)
		}
		out = append(out, userRecord(u))
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
	if len(mgr) > 1 {
		return fmt.Errorf("litmos: write refs of user %s: %d managers, Litmos holds one", id, len(mgr))
	}
	_, err := k.c.UpdateUser(ctx, id, func(u *User) error {
		if len(mgr) == 0 {
			// litmos.md §2: Litmos shows "no manager" as "0". Send that
			// rather than leave ManagerId out of the PUT, which may keep
			// the old manager if Litmos merges omitted fields.
			if u.ManagerID != "" {
				u.ManagerID = "0"
			}
		} else {
			u.ManagerID = mgr[0].ID
		}
		return nil
	})
	return err
}

package talentlms

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// userChanges is a record's fields as the user writes take them.
type userChanges struct {
	edit        EditUserParams // the standard fields edituser takes
	n           int            // how many of them are set
	language    string         // usersignup only: edituser has no language
	custom      map[string]any // custom field name → value (nil clears)
	clearCustom bool           // custom_fields: nil clears every custom field
}

// Fields only TalentLMS sets.
var readOnlyUserFields = map[string]string{
	"id": "the user id", "status": "set by SetActive", "created_on": "set by TalentLMS",
	"last_updated": "set by TalentLMS",
}

// parseUserFields reads fields for a create or an update, refusing what
// TalentLMS cannot take with an error matching syncengine.ErrInvalid.
func parseUserFields(fields map[string]any, create bool) (*userChanges, error) {
	ch := &userChanges{custom: map[string]any{}}
	e := &ch.edit
	text := func(dst *string) func(string, any) error {
		return func(name string, v any) (err error) { *dst, err = requiredText(name, v); return err }
	}
	std := map[string]func(string, any) error{
		"first_name": text(&e.FirstName), "last_name": text(&e.LastName), "email": text(&e.Email),
		"login": text(&e.Login), "timezone": text(&e.Timezone), "user_type": text(&e.UserType),
		"bio":               func(n string, v any) (err error) { e.Bio, err = optionalText(n, v); return err },
		"restrict_email":    func(n string, v any) (err error) { e.RestrictEmail, err = flagValue(n, v); return err },
		"deactivation_date": func(n string, v any) (err error) { e.DeactivationDate, err = dateValue(n, v); return err },
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		v := fields[name]
		if set, ok := std[name]; ok {
			if err := set(name, v); err != nil {
				return nil, err
			}
			ch.n++
			continue
		}
		if err := ch.other(name, v, create); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// other reads a field edituser does not take as it is.
func (ch *userChanges) other(name string, v any, create bool) error {
	if n, ok := strings.CutPrefix(name, CustomFieldsKey+"."); ok && n != "" {
		ch.custom[n] = v
		return nil
	}
	switch name {
	case CustomFieldsKey:
		return ch.addCustom(v)
	case "language":
		if !create {
			return invalidf("field language cannot be changed: edituser takes no language (only usersignup does)")
		}
		var err error
		ch.language, err = requiredText(name, v)
		return err
	}
	if why, ro := readOnlyUserFields[name]; ro {
		return invalidf("field %s cannot be written (%s)", name, why)
	}
	return invalidf("users have no field %q (writable: %s)", name, strings.Join(writableUserFields, ", "))
}

var writableUserFields = []string{"first_name", "last_name", "email", "login", "timezone", "user_type", "bio",
	"restrict_email", "deactivation_date", "language (on create)", CustomFieldsKey + ".<name>"}

func (ch *userChanges) addCustom(v any) error {
	switch m := v.(type) {
	case nil:
		ch.clearCustom = true
	case map[string]any:
		for n, x := range m {
			ch.custom[n] = x
		}
	default:
		return invalidf("field %s takes the custom fields by name (a map), not %T", CustomFieldsKey, v)
	}
	return nil
}

func requiredText(name string, v any) (string, error) {
	s, ok := v.(string)
	switch {
	case v == nil || (ok && strings.TrimSpace(s) == ""):
		return "", invalidf("field %s cannot be empty in TalentLMS", name)
	case !ok:
		return "", invalidf("field %s takes text, not %T", name, v)
	}
	return s, nil
}

func optionalText(name string, v any) (*string, error) {
	if v == nil {
		return new(string), nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, invalidf("field %s takes text, not %T", name, v)
	}
	return &s, nil
}

func flagValue(name string, v any) (*bool, error) {
	switch b := v.(type) {
	case nil:
		return new(bool), nil
	case bool:
		return &b, nil
	}
	return nil, invalidf("field %s takes a bool, not %T", name, v)
}

func dateValue(name string, v any) (*time.Time, error) {
	switch t := v.(type) {
	case nil:
		return new(time.Time), nil
	case time.Time:
		return &t, nil
	}
	return nil, invalidf("field %s takes a time.Time, not %T", name, v)
}

// encodeCustom resolves custom field names to custom_field_N and writes
// the values in the portal's forms. A name the portal does not define, or
// whose field is of another type than the value, is not carried (logged
// once): the TalentHR ⇔ TalentLMS job carries a custom field only where
// both sides have it with the same name and type. A value the field cannot
// take (a dropdown value it does not offer) is an error naming the field.
func (k *Connector) encodeCustom(defs *CustomFields, ch *userChanges) (map[string]string, error) {
	out := map[string]string{}
	if ch.clearCustom {
		for _, f := range defs.fields {
			out[f.Key] = ""
		}
	}
	for _, name := range slices.Sorted(maps.Keys(ch.custom)) {
		v := ch.custom[name]
		f, ok, err := uniqueField(defs, name)
		if err != nil {
			return nil, err
		}
		if !ok {
			k.warnOnce("custom:"+name, "talentlms: the portal has no custom user field of this name; it is not written",
				"field", CustomFieldsKey+"."+name)
			continue
		}
		if !sameType(f.Type, v) {
			k.warnOnce("type:"+name, "talentlms: the custom user field is of another type than the value; it is not written",
				"field", CustomFieldsKey+"."+name, "type", string(f.Type), "value", fmt.Sprintf("%T", v))
			continue
		}
		s, err := f.Encode(v, defs.DateFormat)
		if err != nil {
			return nil, invalidf("custom field %q (%s): %v", name, f.Key, err)
		}
		out[f.Key] = s
	}
	return out, nil
}

// sameType reports whether v is of a kind field type typ holds: text and
// dropdown take strings, checkbox a bool ("on"/"off"), date a time.Time
// (or a string, which must then read as a date). nil clears any field.
func sameType(typ CustomFieldType, v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return typ == FieldText || typ == FieldDropdown || typ == FieldDate || (typ == FieldCheckbox && (x == "on" || x == "off"))
	case bool:
		return typ == FieldCheckbox
	case time.Time:
		return typ == FieldDate
	}
	return false
}

// fillMandatory gives each mandatory custom field the record leaves
// empty what the official integration sends (tlms_buildSignUpArgumentsByUser
// in https://github.com/epignosis/talentlms-wordpress/blob/master/src/Utils.php):
// a blank " " for text and date, which reads back as no value. A dropdown
// gets the portal's default option, which its own signup form preselects;
// one without a default, and a checkbox, are not made up: the signup is
// refused with an error naming the field.
func fillMandatory(defs *CustomFields, custom map[string]string) error {
	for _, f := range defs.fields {
		if !f.Mandatory || strings.TrimSpace(custom[f.Key]) != "" {
			continue
		}
		switch {
		case f.Type == FieldText || f.Type == FieldDate:
			custom[f.Key] = " "
		case f.Type == FieldDropdown && f.DefaultOption != "":
			custom[f.Key] = f.DefaultOption
		default:
			return invalidf("custom field %q (%s, %s) is mandatory on the portal and the record has no value for it",
				f.Name, f.Key, f.Type)
		}
	}
	return nil
}

// createUser signs the user up: one usersignup (into the Branch, with
// restrict_email on unless SendEmail), plus GET getcustomregistrationfields
// when the connector holds no fresh definitions, one edituser when the
// record sets fields usersignup does not take (timezone, bio,
// deactivation_date), and one usersetstatus when the new user's status is
// not the record's (some portals sign users up inactive).
func (k *Connector) createUser(ctx context.Context, rec syncengine.Record) (string, error) {
	ch, err := parseUserFields(rec.Fields, true)
	if err != nil {
		return "", err
	}
	e := ch.edit
	p := CreateUserParams{FirstName: e.FirstName, LastName: e.LastName, Email: e.Email, Login: e.Login,
		UserType: e.UserType, Language: ch.language, RestrictEmail: e.RestrictEmail}
	if p.Login == "" {
		p.Login = p.Email
	}
	for _, f := range [][2]string{{"first_name", p.FirstName}, {"last_name", p.LastName}, {"email", p.Email}} {
		if f[1] == "" {
			return "", invalidf("create user: field %s is required", f[0])
		}
	}
	if rec.Fields["restrict_email"] == nil { // absent or emptied: the connector's default
		p.RestrictEmail = nil
	}
	if p.RestrictEmail == nil && !k.opts.SendEmail {
		p.RestrictEmail = new(bool)
		*p.RestrictEmail = true
	}
	if err := k.prepareSignup(ctx, ch, &p); err != nil {
		return "", err
	}
	u, err := k.c.CreateUser(ctx, p)
	if err != nil {
		if k.opts.Branch != "" && errors.Is(err, ErrConflict) {
			k.joinBranch(ctx, p.Email, p.BranchID)
		}
		return "", err
	}
	if k.opts.Branch != "" {
		k.noteMember(u.ID, true)
	}
	if err := k.afterSignup(ctx, u, e, rec.Active); err != nil {
		return "", fmt.Errorf("talentlms: create user %q: signed up as user %s, but %w; look it up before creating again: %w",
			p.Email, u.ID, err, ErrOutcomeUnknown)
	}
	return u.ID, nil
}

// joinBranch puts the user who holds email, refused as a duplicate at
// signup, into the branch: one GET users/email:{email}, and one
// addusertobranch when they are not in it. The engine then adopts the
// user by email (its conflict look-up), and they are in the branch's
// listing from then on: a user the job links is always in its branch.
// A failure only costs that (it is logged): the engine still adopts.
func (k *Connector) joinBranch(ctx context.Context, email, branchID string) {
	u, err := k.c.GetUserByEmail(ctx, email)
	if err == nil && !slices.ContainsFunc(u.Branches, func(b Ref) bool { return b.ID == branchID }) {
		_, err = k.c.AddUserToBranch(ctx, u.ID, branchID)
	}
	if err != nil {
		if k.opts.Logger != nil {
			k.opts.Logger.Warn("talentlms: a user of another branch, adopted by email, could not join the branch",
				"branch", branchID, "error", err)
		}
		return
	}
	k.noteMember(u.ID, true)
}

// prepareSignup adds the custom fields, the branch and a password.
func (k *Connector) prepareSignup(ctx context.Context, ch *userChanges, p *CreateUserParams) error {
	defs, err := k.customFields(ctx, false)
	if err != nil {
		return err
	}
	if p.Custom, err = k.encodeCustom(defs, ch); err != nil {
		return err
	}
	if err := fillMandatory(defs, p.Custom); err != nil {
		return err
	}
	if k.opts.Branch != "" {
		if p.BranchID, _, err = k.resolveBranch(ctx); err != nil {
			return err
		}
	}
	p.Password, err = NewPassword()
	return err
}

// afterSignup writes what usersignup cannot take.
func (k *Connector) afterSignup(ctx context.Context, u *User, e EditUserParams, active bool) error {
	if e.Timezone != "" || (e.Bio != nil && *e.Bio != "") || (e.DeactivationDate != nil && !e.DeactivationDate.IsZero()) {
		edit := EditUserParams{UserID: u.ID, Timezone: e.Timezone, Bio: e.Bio, DeactivationDate: e.DeactivationDate}
		if _, err := k.c.EditUser(ctx, edit); err != nil {
			return err
		}
	}
	if active != (u.Status == Active) {
		return k.setUserActive(ctx, u.ID, active)
	}
	return nil
}

// updateUser sends the changed fields in one edituser (plus GET
// getcustomregistrationfields when custom fields change and the connector
// holds no fresh definitions); nothing to send makes no call.
func (k *Connector) updateUser(ctx context.Context, id string, changed map[string]any) error {
	if !digitsRe.MatchString(id) {
		return notFoundID("user", id)
	}
	ch, err := parseUserFields(changed, false)
	if err != nil {
		return err
	}
	p := ch.edit
	p.UserID = id
	if len(ch.custom) > 0 || ch.clearCustom {
		defs, err := k.customFields(ctx, false)
		if err != nil {
			return err
		}
		if p.Custom, err = k.encodeCustom(defs, ch); err != nil {
			return err
		}
	}
	if ch.n == 0 && len(p.Custom) == 0 {
		return nil
	}
	_, err = k.c.EditUser(ctx, p)
	return err
}

package talentlms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Custom user fields are custom_field_N per portal: N is assigned when an
// admin creates the field and says nothing about its name, so a field is
// found by its name and type, as TalentLMS's own TalentHR integration
// matches them (names case-sensitive), then written by its key.

// CustomFieldType is a custom field's type.
type CustomFieldType string

// The custom field types.
const (
	FieldText     CustomFieldType = "text"
	FieldDropdown CustomFieldType = "dropdown"
	FieldCheckbox CustomFieldType = "checkbox"
	FieldDate     CustomFieldType = "date"
)

// ErrNoCustomField means the portal has no custom field of that name and type.
// A sync skips the field and says so.
var ErrNoCustomField = errors.New("talentlms: no such custom field")

// ErrAmbiguousCustomField means the portal has two custom fields of that name
// and type, so which one a value belongs in is unknown.
var ErrAmbiguousCustomField = errors.New("talentlms: custom field name used twice")

// CustomField is a custom user field, as getcustomregistrationfields
// defines it.
type CustomField struct {
	Key       string // custom_field_N: the form and JSON key on users
	Name      string // the label the admin gave it
	Type      CustomFieldType
	Mandatory bool // usersignup refuses a user without it
	// VisibleOnReports, SelectiveAvailability (limited to some branches):
	// as the portal sets them.
	VisibleOnReports      bool
	SelectiveAvailability bool
	// Options are a dropdown's values in order, with the brackets that
	// mark the default removed; DefaultOption is that default.
	Options         []string
	DefaultOption   string
	CheckboxDefault bool // a checkbox's default state
	Order           int64
	Extra           Extra // branch, main_domain_availability, previous_key, …
}

func decodeCustomField(o *object) CustomField {
	f := CustomField{
		Key:                   o.str("key"),
		Name:                  o.str("name"),
		Type:                  CustomFieldType(strings.ToLower(o.str("type"))),
		Mandatory:             o.flag("mandatory"),
		VisibleOnReports:      o.flag("visible_on_reports"),
		SelectiveAvailability: o.flag("selective_availability"),
		CheckboxDefault:       o.flag("checkbox_status"),
		Order:                 o.int("order"),
	}
	f.Options, f.DefaultOption = splitOptions(o.str("dropdown_values"))
	f.Extra = o.rest()
	return f
}

// splitOptions reads "A;[B];C": options split on ";", the default in [ ].
func splitOptions(s string) (opts []string, def string) {
	if strings.TrimSpace(s) == "" {
		return nil, ""
	}
	for _, p := range strings.Split(s, ";") {
		p = strings.TrimSpace(p)
		if inner, ok := strings.CutPrefix(p, "["); ok && strings.HasSuffix(inner, "]") {
			p = strings.TrimSuffix(inner, "]")
			def = p
		}
		opts = append(opts, p)
	}
	return opts, def
}

// CustomFields is a portal's custom user fields, indexed by key and by
// name, with the portal's date format their date values are written in.
type CustomFields struct {
	DateFormat DateFormat
	fields     []CustomField
	byKey      map[string]int
	byName     map[string][]int
}

// NewCustomFields indexes fields; a key that is not custom_field_N or is
// used twice is an error.
func NewCustomFields(df DateFormat, fields []CustomField) (*CustomFields, error) {
	if !df.valid() {
		return nil, fmt.Errorf("talentlms: custom fields: date format %q is not one of %s", string(df), knownFormats)
	}
	s := &CustomFields{DateFormat: df, fields: slices.Clone(fields), byKey: map[string]int{}, byName: map[string][]int{}}
	for i, f := range s.fields {
		if !customKeyRe.MatchString(f.Key) {
			return nil, fmt.Errorf("talentlms: custom field %q: key %q is not custom_field_N", f.Name, clip(f.Key, 40))
		}
		if _, dup := s.byKey[f.Key]; dup {
			return nil, fmt.Errorf("talentlms: custom field key %s is used twice", f.Key)
		}
		s.byKey[f.Key] = i
		s.byName[f.Name] = append(s.byName[f.Name], i)
	}
	return s, nil
}

// ListCustomFields returns the portal's custom user fields (GET
// getcustomregistrationfields) with its date format (see DateFormat).
func (c *Client) ListCustomFields(ctx context.Context) (*CustomFields, error) {
	const op = "list custom fields"
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, op)
	}
	body, err := c.get(ctx, op, "getcustomregistrationfields")
	if err != nil {
		return nil, err
	}
	fields, err := decodeArray(body, df, decodeCustomField)
	if err != nil {
		return nil, wrapf(err, op)
	}
	s, err := NewCustomFields(df, fields)
	if err != nil {
		return nil, wrapf(err, op)
	}
	return s, nil
}

// All returns the fields in the order TalentLMS listed them.
func (s *CustomFields) All() []CustomField { return slices.Clone(s.fields) }

// ByKey returns the field with key ("custom_field_3").
func (s *CustomFields) ByKey(key string) (CustomField, bool) {
	i, ok := s.byKey[key]
	if !ok {
		return CustomField{}, false
	}
	return s.fields[i], true
}

// Lookup returns the field named name (exactly: names are case-sensitive)
// of type typ. No such field, or one of another type, is an error matching
// ErrNoCustomField that says which; two of that name and type is
// ErrAmbiguousCustomField.
func (s *CustomFields) Lookup(name string, typ CustomFieldType) (CustomField, error) {
	var found []int
	var types []string
	for _, i := range s.byName[name] {
		if s.fields[i].Type == typ {
			found = append(found, i)
		}
		types = append(types, string(s.fields[i].Type))
	}
	switch {
	case len(found) == 1:
		return s.fields[found[0]], nil
	case len(found) > 1:
		return CustomField{}, fmt.Errorf("talentlms: custom fields %s and %s are both named %q (%s): %w",
			s.fields[found[0]].Key, s.fields[found[1]].Key, name, typ, ErrAmbiguousCustomField)
	case len(types) > 0:
		return CustomField{}, fmt.Errorf("talentlms: custom field %q is %s, not %s: %w", name, strings.Join(types, ", "), typ, ErrNoCustomField)
	}
	return CustomField{}, fmt.Errorf("talentlms: no custom field named %q%s: %w", name, s.nearMiss(name), ErrNoCustomField)
}

// nearMiss names a field whose name differs from name only in case.
func (s *CustomFields) nearMiss(name string) string {
	for _, f := range s.fields {
		if strings.EqualFold(f.Name, name) {
			return fmt.Sprintf(" (there is %q: names are case-sensitive)", f.Name)
		}
	}
	return ""
}

// Encode resolves name and typ (see Lookup) and writes v for that field:
// it returns the custom_field_N key and the form value, ready for
// CreateUserParams.Custom or EditUserParams.Custom.
func (s *CustomFields) Encode(name string, typ CustomFieldType, v any) (key, value string, err error) {
	f, err := s.Lookup(name, typ)
	if err != nil {
		return "", "", err
	}
	value, err = f.Encode(v, s.DateFormat)
	if err != nil {
		return "", "", fmt.Errorf("talentlms: custom field %q (%s): %w", name, f.Key, err)
	}
	return f.Key, value, nil
}

// Value resolves name and typ and reads the user's value: a string (text,
// dropdown), a bool (checkbox) or a time.Time (date, at UTC midnight).
// ok is false when the user has no value.
func (s *CustomFields) Value(u *User, name string, typ CustomFieldType) (v any, ok bool, err error) {
	f, err := s.Lookup(name, typ)
	if err != nil {
		return nil, false, err
	}
	raw, has := u.CustomValue(f.Key)
	if !has || strings.TrimSpace(raw) == "" {
		return nil, false, nil
	}
	v, err = f.Decode(raw, s.DateFormat)
	if err != nil {
		return nil, false, fmt.Errorf("talentlms: user %s: custom field %q (%s): %w", u.ID, name, f.Key, err)
	}
	return v, true, nil
}

// Encode writes v as f's form value: for text a string; for dropdown one
// of f.Options exactly; for checkbox a bool (or "on"/"off"); for date a
// time.Time, or a string in ISO or the portal's format, written as a date
// in df. A nil v clears the field ("").
func (f CustomField) Encode(v any, df DateFormat) (string, error) {
	if v == nil {
		return "", nil
	}
	switch f.Type {
	case FieldText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case FieldDropdown:
		if s, ok := v.(string); ok {
			if s == "" || slices.Contains(f.Options, s) {
				return s, nil
			}
			return "", fmt.Errorf("%q is not one of its options %q", clip(s, 40), f.Options)
		}
	case FieldCheckbox:
		return encodeCheckbox(v)
	case FieldDate:
		return encodeDate(v, df)
	default:
		return "", fmt.Errorf("type %q is not one this client writes", f.Type)
	}
	return "", fmt.Errorf("a %s field takes a string, not %T", f.Type, v)
}

func encodeCheckbox(v any) (string, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return "on", nil
		}
		return "off", nil
	case string:
		if x == "on" || x == "off" {
			return x, nil
		}
		return "", fmt.Errorf("checkbox value %q is neither on nor off", clip(x, 20))
	}
	return "", fmt.Errorf("a checkbox field takes a bool, not %T", v)
}

func encodeDate(v any, df DateFormat) (string, error) {
	switch x := v.(type) {
	case time.Time:
		if x.IsZero() {
			return "", nil
		}
		return df.FormatDate(x), nil
	case string:
		if strings.TrimSpace(x) == "" {
			return "", nil
		}
		t, err := df.Parse(x)
		if err != nil {
			return "", err
		}
		return df.FormatDate(t), nil
	}
	return "", fmt.Errorf("a date field takes a time.Time, not %T", v)
}

// Decode reads a raw value of f (see CustomFields.Value).
func (f CustomField) Decode(raw string, df DateFormat) (any, error) {
	switch f.Type {
	case FieldCheckbox:
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "on", "1", "yes", "true":
			return true, nil
		case "off", "0", "no", "false", "":
			return false, nil
		}
		return nil, fmt.Errorf("checkbox value %q is neither on nor off", clip(raw, 20))
	case FieldDate:
		t, err := df.Parse(raw)
		if err != nil {
			return nil, err
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	return raw, nil
}

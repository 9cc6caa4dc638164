package talentlms

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// v1 writes are application/x-www-form-urlencoded bodies whose keys are
// the documented parameter names; the …Params types carry them in form
// tags. A tag's option says how a value is written:
//
//	string      sent when not empty
//	*string     sent when not nil, "" included (clears the field)
//	Secret      sent when not empty
//	*bool       ",onoff": sent as on/off when not nil
//	bool        ",yesno": always sent, as yes/no
//	map         ",custom": custom_field_N → value, each sent, "" included
//
// Booleans are spelt per parameter, as TalentLMS reads them:
// restrict_email=on|off but permanent=yes|no
// (https://github.com/Trifoia/talentlms-sdk, config.js yesNoBooleans).

var customKeyRe = regexp.MustCompile(`^custom_field_[1-9][0-9]{0,8}$`)

var secretType = reflect.TypeOf(Secret(""))

// encodeForm writes the form-tagged fields of the struct p.
func encodeForm(p any) (url.Values, error) {
	v := reflect.ValueOf(p)
	t := v.Type()
	form := url.Values{}
	for i := 0; i < t.NumField(); i++ {
		tag, ok := t.Field(i).Tag.Lookup("form")
		if !ok {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		if err := encodeField(form, name, opt, v.Field(i)); err != nil {
			return nil, err
		}
	}
	return form, nil
}

func encodeField(form url.Values, name, opt string, f reflect.Value) error {
	switch {
	case opt == "custom":
		for _, k := range sortedMapKeys(f) {
			if !customKeyRe.MatchString(k) {
				return fmt.Errorf("custom field key %q is not custom_field_N (resolve names with CustomFields.Lookup)", clip(k, 40))
			}
			form.Set(k, f.MapIndex(reflect.ValueOf(k)).String())
		}
	case opt == "yesno":
		form.Set(name, map[bool]string{true: "yes", false: "no"}[f.Bool()])
	case opt == "onoff":
		if !f.IsNil() {
			form.Set(name, map[bool]string{true: "on", false: "off"}[f.Elem().Bool()])
		}
	case f.Kind() == reflect.Pointer:
		if !f.IsNil() {
			form.Set(name, f.Elem().String())
		}
	case f.Type() == secretType:
		if s := f.Interface().(Secret).Reveal(); s != "" {
			form.Set(name, s)
		}
	case f.Kind() == reflect.String:
		if s := f.String(); s != "" {
			form.Set(name, s)
		}
	default:
		return fmt.Errorf("form field %s: unsupported kind %s", name, f.Kind())
	}
	return nil
}

func sortedMapKeys(m reflect.Value) []string {
	keys := make([]string, 0, m.Len())
	for _, k := range m.MapKeys() {
		keys = append(keys, k.String())
	}
	slices.Sort(keys)
	return keys
}

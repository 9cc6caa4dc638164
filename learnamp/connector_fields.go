package learnamp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// CustomFieldsField is the user record field that holds custom field
// values: a map from the custom field's display name to its text
// ("customFields.Division" in a field map).
const CustomFieldsField = "customFields"

// userFields: see UserFields.
var userFields = []string{
	"email", "firstName", "lastName", "integrationExternalId", "jobTitle", "location", "department",
	"hireDate", "language", "role", "occupationRole", "timeZone", "status", CustomFieldsField,
}

// userReadOnly are user fields Learn Amp sets: read, never written.
var userReadOnly = []string{"timeZone", "status"}

// userAlwaysRead are read whatever ReadFields says: a write takes the
// first three from the record the plan read, Describe and Find the rest.
var userAlwaysRead = []string{"email", "firstName", "lastName", "integrationExternalId"}

// teamFields are the fields of team records.
var teamFields = []string{"name", "integrationExternalId"}

// UserFields returns the keys of user records' Fields, Learn Amp's own
// names: email, firstName, lastName, integrationExternalId, jobTitle,
// location, department (text; "" when empty), hireDate (a time.Time at
// midnight UTC, nil when unset), language, role, occupationRole, timeZone
// and status (read only: the Status, such as "invite_pending", or Learn
// Amp's text when it is none of them), and customFields (a map of custom
// field values by display name, present when Learn Amp's reply carries
// them). Learn Amp has no display name or leave date.
func UserFields() []string { return slices.Clone(userFields) }

// TeamFields returns the keys of team records' Fields: name and integrationExternalId.
func TeamFields() []string { return slices.Clone(teamFields) }

// refRoles are the reference roles of each collection: a field map may
// name them as targets, and they are no fields.
var refRoles = map[syncengine.Collection][]string{
	syncengine.Users: {syncengine.RoleManager, syncengine.RoleTeams},
	syncengine.Teams: {syncengine.RoleParent},
}

// refHints say which role stands for a Learn Amp body field a map might name.
var refHints = map[string]string{
	"managerId": syncengine.RoleManager, "managerEmail": syncengine.RoleManager,
	"primaryTeamId": syncengine.RoleTeams, "primaryTeamIntegrationExternalId": syncengine.RoleTeams,
	"secondaryTeamIds": syncengine.RoleTeams, "parentTeamId": syncengine.RoleParent,
}

// ReadFields implements syncengine.FieldReader: records carry only these
// fields (and those a write or Find needs), and a field Learn Amp does not
// have is refused with an error matching syncengine.ErrUnknownField,
// naming it. Reference roles ("manager", "teams", "parent") are accepted
// and ignored: they are always read.
func (k *Connector) ReadFields(c syncengine.Collection, fields []string) error {
	known, always := userFields, userAlwaysRead
	switch c {
	case syncengine.Users:
	case syncengine.Teams:
		known, always = teamFields, teamFields
	default:
		return nil
	}
	only := map[string]bool{}
	for _, f := range append(slices.Clone(always), fields...) {
		top, _, _ := strings.Cut(f, ".")
		switch {
		case slices.Contains(refRoles[c], f):
			continue
		case refHints[f] != "":
			return fmt.Errorf("%w: %q is not a field of Learn Amp %s records: it is the %q reference", syncengine.ErrUnknownField, f, c, refHints[f])
		case !slices.Contains(known, top) || (top != CustomFieldsField && top != f):
			return fmt.Errorf("%w: %q is not a field of Learn Amp %s records (they have %s)", syncengine.ErrUnknownField, f, c, strings.Join(known, ", "))
		}
		only[top] = true
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.read == nil {
		k.read = map[syncengine.Collection]map[string]bool{}
	}
	k.read[c] = only
	return nil
}

// keep drops the fields ReadFields did not ask for.
func (k *Connector) keep(c syncengine.Collection, fields map[string]any) map[string]any {
	k.mu.Lock()
	only := k.read[c]
	k.mu.Unlock()
	if only == nil {
		return fields
	}
	for f := range fields {
		if !only[f] {
			delete(fields, f)
		}
	}
	return fields
}

// textValue reads a record value as text: a string, or a whole number
// (an HR system's numeric id). nil is "".
func textValue(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int32:
		return strconv.FormatInt(int64(v), 10), nil
	case float64:
		if v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10), nil
		}
	}
	return "", fmt.Errorf("a %T is not text", v)
}

// dateValue reads a record value as a date: a time.Time (its date where
// it is, so midnight UTC is that day) or text ParseDate reads.
func dateValue(v any) (Date, error) {
	switch v := v.(type) {
	case time.Time:
		return DateOf(v), nil
	case *time.Time:
		if v != nil {
			return DateOf(*v), nil
		}
		return Date{}, nil
	case Date:
		return v, nil
	case string:
		return ParseDate(v)
	case nil:
		return Date{}, nil
	}
	return Date{}, fmt.Errorf("a %T is not a date", v)
}

// dateField is a date as records carry it: midnight UTC, or nil.
func dateField(d Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time(time.UTC)
}

// customFieldValues reads the custom field values of a record: the
// customFields map, and customFields.<name> keys (creates carry the
// leaves of nested maps under dotted names). A nil value clears.
func customFieldValues(fields map[string]any) ([]CustomField, error) {
	var out []CustomField
	add := func(name string, v any) error {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("field %q: a custom field has no name", CustomFieldsField)
		}
		s, err := textValue(v)
		if err != nil {
			return fmt.Errorf("field %q: %w", CustomFieldsField+"."+name, err)
		}
		out = append(out, CustomField{Name: name, Value: s})
		return nil
	}
	for _, f := range sortedKeys(fields) {
		v := fields[f]
		switch name, dotted := strings.CutPrefix(f, CustomFieldsField+"."); {
		case dotted:
			if err := add(name, v); err != nil {
				return nil, err
			}
		case f == CustomFieldsField:
			m, ok := v.(map[string]any)
			if !ok && v != nil {
				return nil, fmt.Errorf("field %q: a %T is not a map of custom field values", f, v)
			}
			for _, name := range sortedKeys(m) {
				if err := add(name, m[name]); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// readCustomFields reads the custom field values of an expanded user, in
// either shape Learn Amp may send ([{"name","value"}] as it takes them, or
// an object by name); nil when the reply has none it can read. The
// reference says expanded users carry them but shows no example
// (https://developers.learnamp.com/#view-all-users, "expanded").
func readCustomFields(x Extra) map[string]any {
	raw, ok := x[CustomFieldsField]
	if !ok {
		return nil
	}
	out := map[string]any{}
	var list []struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	}
	var obj map[string]json.RawMessage
	switch {
	case json.Unmarshal(raw, &list) == nil:
		for _, f := range list {
			if f.Name != "" {
				out[f.Name] = customValue(f.Value)
			}
		}
	case json.Unmarshal(raw, &obj) == nil:
		for name, v := range obj {
			out[name] = customValue(v)
		}
	default:
		return nil
	}
	return out
}

// customValue is a custom field's value as text; nil for null or absent.
func customValue(raw json.RawMessage) any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return rawText(raw)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// RefRoles implements syncengine.RefRoler: users take "manager" and
// "teams", teams take "parent".
func (k *Connector) RefRoles(c syncengine.Collection) []string { return slices.Clone(refRoles[c]) }

package hibob

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
)

// Well-known field IDs (dot notation, as the fields metadata lists them).
const (
	FieldID              = "root.id"
	FieldEmail           = "root.email"
	FieldFirstName       = "root.firstName"
	FieldSurname         = "root.surname"
	FieldDisplayName     = "root.displayName"
	FieldTitle           = "work.title"      // list "title": item ID, historical
	FieldDepartment      = "work.department" // list "department": item ID, historical
	FieldSite            = "work.site"       // the site's name, as text
	FieldSiteID          = "work.siteId"     // list "site": item ID, historical
	FieldStartDate       = "work.startDate"
	FieldReportsTo       = "work.reportsTo" // the manager, as a person object
	FieldManager         = "work.manager"   // the manager's employee ID
	FieldStatus          = "internal.status"
	FieldLifecycleStatus = "internal.lifecycleStatus"
	FieldTerminationDate = "internal.terminationDate"
)

// Employee is one employee as HiBob returned it, every key kept: root
// fields at the top level ("email"), other fields nested by category
// ("work": {"title": ...}), the same values again under slash keys
// ("/work/title": {"value": ...}, only for non-null values), and with
// humanReadable "APPEND" a "humanReadable" object of display values
// (https://apidocs.hibob.com/docs/people-read-api-contract). Custom fields
// ("work.custom.field_1698036945383") are kept like the others.
//
// Read fields by their field ID with Field, Display and Human; Field
// accepts either shape, so the same code reads a search result and a read
// of one employee.
type Employee struct {
	raw map[string]json.RawMessage
}

// UnmarshalJSON reads an employee object.
func (e *Employee) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("employee is not a JSON object: %w", err)
	}
	if m == nil {
		return fmt.Errorf("employee is null, want a JSON object")
	}
	e.raw = m
	return nil
}

// MarshalJSON writes the employee back as HiBob sent it.
func (e Employee) MarshalJSON() ([]byte, error) {
	if e.raw == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(e.raw)
}

// Raw returns a copy of the top-level keys and their JSON.
func (e *Employee) Raw() map[string]json.RawMessage { return maps.Clone(e.raw) }

// Field returns the machine value of fieldID ("root.email",
// "work.department", "work.reportsTo.id", "work.custom.field_1"): the slash
// key ("/work/department") first, else the nested path ("work" →
// "department"; root fields at the top level), else the value of a slash key
// for a leading part of the path ("/work/reportsTo" → "id"). With
// humanReadable "REPLACE" the value is the display value. A field that is
// null, unknown or not permitted is the null Value: HiBob cannot tell them
// apart.
func (e *Employee) Field(fieldID string) Value {
	v, _ := e.lookup(fieldID)
	return v
}

// Has reports whether the answer carries fieldID at all, null included.
// HiBob leaves out the fields the service user may not see (and unknown
// ones) but sends an empty field as null in the nested shape
// (https://apidocs.hibob.com/docs/people-read-api-contract), so Has tells
// "hidden" from "empty" where Field cannot.
func (e *Employee) Has(fieldID string) bool {
	_, ok := e.lookup(fieldID)
	return ok
}

// lookup finds fieldID as Field documents; ok is false when the answer
// does not carry it.
func (e *Employee) lookup(fieldID string) (Value, bool) {
	segs := splitFieldID(fieldID)
	if len(segs) == 0 || e.raw == nil {
		return Value{}, false
	}
	if raw, ok := e.raw[slashKey(segs)]; ok {
		return unwrapSlash(raw), true
	}
	if v, ok := walk(e.raw, nestedPath(segs)); ok {
		return v, true
	}
	for n := len(segs) - 1; n >= 1; n-- {
		raw, ok := e.raw[slashKey(segs[:n])]
		if !ok {
			continue
		}
		if obj, ok := unwrapSlash(raw).object(); ok {
			if v, ok := walk(obj, segs[n:]); ok {
				return v, true
			}
		}
	}
	return Value{}, false
}

// Human returns fieldID's display value from the "humanReadable" object a
// search or read with humanReadable "APPEND" carries (a list item's name, a
// date in the service user's format); "" when there is none, which HiBob
// also sends for null values.
func (e *Employee) Human(fieldID string) string {
	segs := splitFieldID(fieldID)
	hr, ok := Value{raw: e.raw["humanReadable"]}.object()
	if len(segs) == 0 || !ok {
		return ""
	}
	v, _ := walk(hr, nestedPath(segs))
	return v.String()
}

// Display returns Human(fieldID) when there is one, else Field(fieldID) as
// a string: the name of a list item when names were asked for, its ID
// otherwise.
func (e *Employee) Display(fieldID string) string {
	if h := e.Human(fieldID); h != "" {
		return h
	}
	return e.Field(fieldID).String()
}

// Custom returns the custom fields of category ("work", "payroll",
// "category_1720508362305") by their names ("field_1698036945383"), from
// either response shape.
func (e *Employee) Custom(category string) map[string]Value {
	out := map[string]Value{}
	prefix := "/" + category + "/custom/"
	for k, raw := range e.raw {
		if name, ok := strings.CutPrefix(k, prefix); ok && name != "" && !strings.Contains(name, "/") {
			out[name] = unwrapSlash(raw)
		}
	}
	if nested, ok := walk(e.raw, []string{category, "custom"}); ok {
		if obj, ok := nested.object(); ok {
			for name, raw := range obj {
				if _, seen := out[name]; !seen {
					out[name] = Value{raw: raw}
				}
			}
		}
	}
	return out
}

// ID is the employee's backend ID, a string of up to 19 digits.
func (e *Employee) ID() string { return e.Field(FieldID).String() }

// Email is the work email.
func (e *Employee) Email() string { return e.Field(FieldEmail).String() }

// FirstName is the first name.
func (e *Employee) FirstName() string { return e.Field(FieldFirstName).String() }

// Surname is the last name.
func (e *Employee) Surname() string { return e.Field(FieldSurname).String() }

// DisplayName is the name HiBob shows.
func (e *Employee) DisplayName() string { return e.Field(FieldDisplayName).String() }

// TitleID is the job title's list item ID (or its name with "REPLACE").
func (e *Employee) TitleID() string { return e.Field(FieldTitle).String() }

// Title is the job title's name when the read asked for names, else its ID.
func (e *Employee) Title() string { return e.Display(FieldTitle) }

// DepartmentID is the department's list item ID (or its name with "REPLACE").
func (e *Employee) DepartmentID() string { return e.Field(FieldDepartment).String() }

// Department is the department's name when the read asked for names, else its ID.
func (e *Employee) Department() string { return e.Display(FieldDepartment) }

// Site is the site's name (work.site is text).
func (e *Employee) Site() string { return e.Field(FieldSite).String() }

// SiteID is the site's list item ID.
func (e *Employee) SiteID() string { return e.Field(FieldSiteID).String() }

// ManagerID is the manager's employee ID: work.reportsTo's id, else work.manager.
func (e *Employee) ManagerID() string {
	if id := e.Field(FieldReportsTo + ".id").String(); id != "" {
		return id
	}
	if v := e.Field(FieldReportsTo); !v.IsNull() && v.raw[0] != '{' {
		return v.String()
	}
	return e.Field(FieldManager).String()
}

// Status is internal.status: "Active", or "Inactive" for leavers and for
// hires who have not started yet.
func (e *Employee) Status() string { return e.Field(FieldStatus).String() }

// LifecycleStatus is internal.lifecycleStatus (employed, terminated, leave, ...).
func (e *Employee) LifecycleStatus() string { return e.Field(FieldLifecycleStatus).String() }

// Active reports whether internal.status is "Active".
func (e *Employee) Active() bool { return strings.EqualFold(e.Status(), "Active") }

// StartDate is work.startDate; zero when absent.
func (e *Employee) StartDate() (time.Time, error) { return e.Date(FieldStartDate) }

// TerminationDate is internal.terminationDate; zero when absent.
func (e *Employee) TerminationDate() (time.Time, error) { return e.Date(FieldTerminationDate) }

// Date reads fieldID's machine value as a date (see ParseDate): zero and no
// error when it is null or absent, an error naming the field when it is not
// a date.
func (e *Employee) Date(fieldID string) (time.Time, error) {
	v := e.Field(fieldID)
	if v.IsNull() || v.String() == "" {
		return time.Time{}, nil
	}
	t, err := ParseDate(v.String())
	if err != nil {
		return time.Time{}, fmt.Errorf("hibob: employee %s field %s: %w", e.ID(), fieldID, err)
	}
	return t, nil
}

// splitFieldID splits "work.title" into its parts; nil for a malformed ID.
func splitFieldID(id string) []string {
	id = strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(id), "/", "."), ".")
	if id == "" {
		return nil
	}
	segs := strings.Split(id, ".")
	for _, s := range segs {
		if s == "" {
			return nil
		}
	}
	return segs
}

// slashKey is the response key "/work/title" of ["work", "title"].
func slashKey(segs []string) string { return "/" + strings.Join(segs, "/") }

// nestedPath drops "root": root fields sit at the top level.
func nestedPath(segs []string) []string {
	if len(segs) > 1 && segs[0] == "root" {
		return segs[1:]
	}
	return segs
}

// unwrapSlash reads a slash key's {"value": v}; any other JSON is the value itself.
func unwrapSlash(raw json.RawMessage) Value {
	v := Value{raw: raw}
	if obj, ok := v.object(); ok {
		if inner, ok := obj["value"]; ok && len(obj) <= 2 {
			return Value{raw: inner}
		}
	}
	return v
}

// walk follows path through nested objects.
func walk(m map[string]json.RawMessage, path []string) (Value, bool) {
	for i, seg := range path {
		raw, ok := m[seg]
		if !ok {
			return Value{}, false
		}
		v := Value{raw: raw}
		if i == len(path)-1 {
			return v, true
		}
		if m, ok = v.object(); !ok {
			return Value{}, false
		}
	}
	return Value{}, false
}

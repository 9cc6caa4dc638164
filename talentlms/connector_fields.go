package talentlms

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// CustomFieldsKey is the user field that holds the custom fields, by name:
// Record.Fields["custom_fields"]["hireDate"]. Maps address one as
// "custom_fields.hireDate" (so a custom field whose name holds a "." is
// read and written under its name but cannot be named by such a path).
const CustomFieldsKey = "custom_fields"

// The fields of the records, with their types in the engine's words
// (syncengine.FieldInfo): "text", "date", "number", "bool", "list".
var (
	userSchema = []syncengine.FieldInfo{
		{Name: "id", Type: "text"}, {Name: "login", Type: "text"},
		{Name: "first_name", Type: "text"}, {Name: "last_name", Type: "text"}, {Name: "email", Type: "text"},
		{Name: "user_type", Type: "text"}, {Name: "timezone", Type: "text"}, {Name: "language", Type: "text"},
		{Name: "status", Type: "text"}, {Name: "bio", Type: "text"}, {Name: "restrict_email", Type: "bool"},
		{Name: "created_on", Type: "date"}, {Name: "last_updated", Type: "date"}, {Name: "deactivation_date", Type: "date"},
	}
	courseSchema     = []syncengine.FieldInfo{{Name: "name", Type: "text"}, {Name: "code", Type: "text"}}
	teamSchema       = []syncengine.FieldInfo{{Name: "name", Type: "text"}, {Name: "description", Type: "text"}}
	enrollmentSchema = []syncengine.FieldInfo{
		{Name: "role", Type: "text"}, {Name: "completion_status", Type: "text"},
		{Name: "completion_percentage", Type: "number"}, {Name: "enrolled_on", Type: "date"},
		{Name: "completed_on", Type: "date"}, {Name: "expired_on", Type: "date"},
		{Name: "total_time_seconds", Type: "number"},
	}
)

// customTypes maps TalentLMS's custom field types to the engine's words.
var customTypes = map[CustomFieldType]string{FieldText: "text", FieldDropdown: "list", FieldCheckbox: "bool", FieldDate: "date"}

func names(s []syncengine.FieldInfo) []string {
	out := make([]string, len(s))
	for i, f := range s {
		out[i] = f.Name
	}
	return out
}

// UserFields returns the user fields records carry, custom_fields last.
func UserFields() []string { return append(names(userSchema), CustomFieldsKey) }

// EnrollmentFields returns the enrollment fields records carry:
// "role" (learner or instructor), "completion_status" ("completed",
// "incomplete" or "not_attempted"), "completion_percentage" (float64),
// "enrolled_on", "completed_on", "expired_on" (time.Time, nil when unset)
// and "total_time_seconds" (float64).
func EnrollmentFields() []string { return names(enrollmentSchema) }

func schemaOf(c syncengine.Collection) []syncengine.FieldInfo {
	switch c {
	case syncengine.Users:
		return userSchema
	case syncengine.Courses:
		return courseSchema
	case syncengine.Enrollments:
		return enrollmentSchema
	case syncengine.Teams:
		return teamSchema
	}
	return nil
}

// readSet is the fields the engine reads from a collection (ReadFields).
type readSet struct {
	top       map[string]bool // top-level fields
	allCustom bool            // "custom_fields" itself
	custom    map[string]bool // custom field names ("custom_fields.hireDate")
}

func (s *readSet) has(f string) bool { return s == nil || s.top[f] }

func (s *readSet) wantsCustom() bool { return s == nil || s.allCustom || len(s.custom) > 0 }

func (s *readSet) customName(name string) bool { return s == nil || s.allCustom || s.custom[name] }

// ReadFields implements syncengine.FieldReader: records carry just fields
// (a map path "custom_fields.hireDate" reads that custom field), and a
// listing that reads no custom field spares GET getcustomregistrationfields.
// A field the collection does not have is an error matching
// syncengine.ErrUnknownField that names it, here and from later List and
// Get calls. A custom field name the portal does not define is not an
// error: the named custom fields of the TalentHR ⇔ TalentLMS job exist on
// some portals and not others; it reads as absent, and List logs it.
func (k *Connector) ReadFields(c syncengine.Collection, fields []string) error {
	schema := schemaOf(c)
	if schema == nil || k.Capabilities(c) == 0 {
		return unsupported("read fields of", c)
	}
	s := &readSet{top: map[string]bool{}, custom: map[string]bool{}}
	var unknown []string
	for _, f := range fields {
		top, rest, nested := strings.Cut(f, ".")
		switch {
		case c == syncengine.Users && top == CustomFieldsKey && nested && rest != "":
			s.custom[rest] = true
		case c == syncengine.Users && top == CustomFieldsKey:
			s.allCustom = true
		case slices.Contains(names(schema), top):
			s.top[top] = true
		default:
			unknown = append(unknown, f)
		}
	}
	var err error
	if len(unknown) > 0 {
		known := names(schema)
		if c == syncengine.Users {
			known = append(known, CustomFieldsKey+".<name>")
		}
		err = fmt.Errorf("talentlms: %s have no field %s (they have %s): %w",
			c, quoteList(unknown), strings.Join(known, ", "), syncengine.ErrUnknownField)
	}
	k.mu.Lock()
	k.read[c], k.readErr[c] = s, err
	k.mu.Unlock()
	return err
}

func quoteList(fs []string) string {
	q := make([]string, len(fs))
	for i, f := range fs {
		q[i] = fmt.Sprintf("%q", f)
	}
	return strings.Join(q, ", ")
}

// readOf returns the fields read from c; nil means every field.
func (k *Connector) readOf(c syncengine.Collection) *readSet {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.read[c]
}

// checkRead fails a read of c that ReadFields was told to do and cannot.
func (k *Connector) checkRead(c syncengine.Collection) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.readErr[c]
}

// Schema implements syncengine.Schemer: the fields of c with their types.
// For users that is UserFields' standard fields and one field per custom
// user field of the portal, named by its record path
// ("custom_fields.hireDate": the name a map targets and Rules.SameSchema
// names) and typed "text", "list" (dropdown), "bool" (checkbox) or "date".
// A name two custom fields share is left out (no value can be carried
// under it). Users cost GET getcustomregistrationfields, unless the
// connector read it in the last minutes.
func (k *Connector) Schema(ctx context.Context, c syncengine.Collection) ([]syncengine.FieldInfo, error) {
	schema := schemaOf(c)
	if schema == nil || k.Capabilities(c) == 0 {
		return nil, unsupported("read the schema of", c)
	}
	out := slices.Clone(schema)
	if c != syncengine.Users {
		return out, nil
	}
	defs, err := k.customFields(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, f := range defs.All() {
		if typ, ok := customTypes[f.Type]; ok && len(defs.byName[f.Name]) == 1 {
			out = append(out, syncengine.FieldInfo{Name: CustomFieldsKey + "." + f.Name, Type: typ})
		}
	}
	return out, nil
}

// customFieldsFor is how long the custom field definitions read are used
// before they are read again (a users listing always reads them afresh).
const customFieldsFor = 15 * time.Minute

// customFields returns the portal's custom user fields: read afresh when
// fresh is set or what the connector holds is older than customFieldsFor.
func (k *Connector) customFields(ctx context.Context, fresh bool) (*CustomFields, error) {
	k.mu.Lock()
	defs, at := k.defs, k.defsAt
	k.mu.Unlock()
	if defs != nil && !fresh && k.now().Sub(at) < customFieldsFor {
		return defs, nil
	}
	defs, err := k.c.ListCustomFields(ctx)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.defs, k.defsAt = defs, k.now()
	k.mu.Unlock()
	return defs, nil
}

// uniqueField returns the one custom field named name; ok is false when
// none is, and err says when two are.
func uniqueField(defs *CustomFields, name string) (f CustomField, ok bool, err error) {
	idx := defs.byName[name]
	switch len(idx) {
	case 0:
		return CustomField{}, false, nil
	case 1:
		return defs.fields[idx[0]], true, nil
	}
	return CustomField{}, false, invalidf("custom fields %s and %s are both named %q; rename one in TalentLMS",
		defs.fields[idx[0]].Key, defs.fields[idx[1]].Key, name)
}

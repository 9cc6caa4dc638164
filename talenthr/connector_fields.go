package talenthr

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// CustomFieldsField is the Record.Fields key holding the custom fields, a
// map keyed by each custom field's name ("custom_fields.T-shirt size" in
// a map path; slashed, "/custom_fields/v1.2", when the name has a dot).
const CustomFieldsField = "custom_fields"

// fieldSource says which call a field is read with.
type fieldSource uint8

const (
	fromDirectory fieldSource = iota // GET /directory (or GET /employees/{id} for one)
	fromDetail                       // GET /employees/{id} per employee
)

// fieldDef is one standard field of a user record.
type fieldDef struct {
	name string
	src  fieldSource
	typ  string // the syncengine.FieldInfo type word
}

// directoryDefs are the directory's fields, in record order. The types of
// job title, department, division and location are "text", as TalentHR's
// own TalentLMS integration types them
// (https://help.talenthr.io/hc/en-us/articles/9447528196637).
var directoryDefs = []fieldDef{
	{"id", fromDirectory, "text"}, {"first_name", fromDirectory, "text"}, {"last_name", fromDirectory, "text"},
	{"email", fromDirectory, "text"}, {"hire_date", fromDirectory, "date"}, {"termination_date", fromDirectory, "date"},
	{"employment_status", fromDirectory, "list"}, {"job_title", fromDirectory, "text"}, {"department", fromDirectory, "text"},
	{"division", fromDirectory, "text"}, {"location", fromDirectory, "text"},
	{"reports_to_employee_id", fromDirectory, "text"}, {"work_phone", fromDirectory, "text"},
	{"linked_in_url", fromDirectory, "text"},
}

// listTyped are the detail fields that take one of a fixed set of values.
var listTyped = []string{"gender", "marital_status", "hr_languages"}

// notDetail are update keys that are not read as detail fields: the
// directory has them, or the connector does not carry them.
var notDetail = []string{"first_name", "last_name", "email", "work_phone", "linked_in_url",
	"reports_to_employee_id", "emergency_contact", "hr_family"}

// detailDefs are the fields read with GET /employees/{id}: the keys of
// TalentHR's update call (UpdateEmployeeParams) the directory lacks, and
// the termination reason.
var detailDefs = buildDetailDefs()

func buildDetailDefs() []fieldDef {
	var out []fieldDef
	for _, u := range updateKeys() {
		if slices.Contains(notDetail, u.name) {
			continue
		}
		typ := "text"
		switch {
		case u.kind == updateDate:
			typ = "date"
		case slices.Contains(listTyped, u.name):
			typ = "list"
		}
		out = append(out, fieldDef{u.name, fromDetail, typ})
	}
	return append(out, fieldDef{"termination_reason", fromDetail, "text"})
}

// fieldByName finds a standard field.
func fieldByName(name string) (fieldDef, bool) {
	for _, list := range [][]fieldDef{directoryDefs, detailDefs} {
		if i := slices.IndexFunc(list, func(f fieldDef) bool { return f.name == name }); i >= 0 {
			return list[i], true
		}
	}
	return fieldDef{}, false
}

// UserFields returns the standard Record.Fields keys of users with their
// types ("text", "date", "list"), directory fields first; the custom
// fields come under CustomFieldsField (Schema lists them per company).
func UserFields() []syncengine.FieldInfo {
	out := make([]syncengine.FieldInfo, 0, len(directoryDefs)+len(detailDefs))
	for _, list := range [][]fieldDef{directoryDefs, detailDefs} {
		for _, f := range list {
			out = append(out, syncengine.FieldInfo{Name: f.name, Type: f.typ})
		}
	}
	return out
}

// readPlan says which fields records carry.
type readPlan struct {
	fields    map[string]bool // standard fields
	allCustom bool            // every custom field
	custom    []string        // custom fields by name (when not allCustom)
	details   bool            // a detail field is read
	unknown   []string        // fields TalentHR does not have
}

// baseFields are in every record: Describe and Find need them.
var baseFields = []string{"id", "first_name", "last_name", "email"}

// defaultPlan reads the directory fields and every custom field.
func defaultPlan() readPlan {
	p := readPlan{fields: map[string]bool{}, allCustom: true}
	for _, f := range directoryDefs {
		p.fields[f.name] = true
	}
	return p
}

func (p readPlan) readsCustom() bool { return p.allCustom || len(p.custom) > 0 }

// ReadFields implements syncengine.FieldReader: records carry the fields
// named (map paths: "address", "custom_fields.T-shirt size",
// "/custom_fields/v1.2") besides id, names and email, and detail fields
// are read only when one is named. A field TalentHR does not have fails
// the next List, Get or Find with an error matching
// syncengine.ErrUnknownField.
func (k *Connector) ReadFields(c syncengine.Collection, fields []string) error {
	if isTraining(c) && k.train != nil {
		return nil // training records always carry every field
	}
	if c != syncengine.Users {
		return unsupported(c, "read fields of")
	}
	p := readPlan{fields: map[string]bool{}}
	for _, f := range baseFields {
		p.fields[f] = true
	}
	for _, path := range fields {
		top, sub := splitPath(path)
		switch def, known := fieldByName(top); {
		case top == "":
		case top == CustomFieldsField && sub == "":
			p.allCustom = true
		case top == CustomFieldsField:
			if !slices.Contains(p.custom, sub) {
				p.custom = append(p.custom, sub)
			}
		case known:
			p.fields[top] = true
			p.details = p.details || def.src == fromDetail
		case !slices.Contains(p.unknown, top):
			p.unknown = append(p.unknown, top)
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.plan = p
	return nil
}

// splitPath returns a map path's first two segments: dotted
// ("custom_fields.size") or slashed ("/custom_fields/v1.2").
func splitPath(path string) (top, sub string) {
	sep := "."
	if strings.HasPrefix(path, "/") {
		path, sep = path[1:], "/"
	}
	top, rest, _ := strings.Cut(path, sep)
	sub, _, _ = strings.Cut(rest, sep)
	return top, sub
}

func (k *Connector) readPlan() readPlan {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.plan
}

// unknownFieldError names the fields the pair reads that TalentHR lacks.
func unknownFieldError(names []string, what string) error {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return fmt.Errorf("talenthr: the pair reads %s, which TalentHR does not have (%s): %w",
		strings.Join(q, ", "), what, syncengine.ErrUnknownField)
}

// Schema implements syncengine.Schemer: the standard fields (UserFields)
// and the company's custom fields as "custom_fields.<name>", typed
// "text", "date", "list" (single choice) and so on; a custom-field type
// with no counterpart elsewhere (multiple choice, employee) is
// "talenthr:<type>", which matches no other system's type. Custom-field
// definitions come from the Cache when it holds them; otherwise they cost
// up to three calls (see Connector).
func (k *Connector) Schema(ctx context.Context, c syncengine.Collection) ([]syncengine.FieldInfo, error) {
	if c != syncengine.Users {
		return nil, unsupported(c, "tell the schema of")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("talenthr: schema: %w", err)
	}
	out := UserFields()
	states, err := k.empStates(ctx)
	if err != nil {
		return nil, err
	}
	defs, _, err := k.customDefs(ctx, false, states)
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		out = append(out, syncengine.FieldInfo{Name: CustomFieldsField + "." + d.Name, Type: d.Type})
	}
	return out, nil
}

// updateKind is how an update key's value is written.
type updateKind uint8

const (
	updateText updateKind = iota
	updateDate
	updateIDs // hr_languages: language names in the record, ids on the wire
	updateOther
)

// updateKey is one key of UpdateEmployeeParams.
type updateKey struct {
	name  string
	index int
	kind  updateKind
}

var (
	textFieldType = reflect.TypeOf(Field[string]{})
	dateFieldType = reflect.TypeOf(Field[Date]{})
	idsFieldType  = reflect.TypeOf(Field[[]string]{})
)

// updateKeys lists UpdateEmployeeParams's keys in field order, so the
// connector writes exactly the keys the client sends.
func updateKeys() []updateKey {
	t := reflect.TypeOf(UpdateEmployeeParams{})
	out := make([]updateKey, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		kind := updateOther
		switch f.Type {
		case textFieldType:
			kind = updateText
		case dateFieldType:
			kind = updateDate
		case idsFieldType:
			kind = updateIDs
		}
		out = append(out, updateKey{name, i, kind})
	}
	return out
}

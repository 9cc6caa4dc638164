package talenthr

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// person is what a record's directory fields come from: a directory row,
// or one employee as GET /employees/{id} returns them (whose keys differ:
// department_name for department, names under "user", the manager in
// short_manager).
type person struct {
	id, first, last, email       string
	hire, term                   Date
	status                       string
	jobTitle, department         string
	division, location           string
	manager, workPhone, linkedIn string
}

func personOfRow(r *DirectoryRow) person {
	return person{
		id: r.ID, first: r.FirstName, last: r.LastName, email: r.Email, hire: r.HireDate, term: r.TerminationDate,
		status: r.EmploymentStatusName, jobTitle: r.JobTitle, department: r.Department, division: r.Division,
		location: r.Location, manager: r.ReportsToEmployeeID, workPhone: r.WorkPhone, linkedIn: r.LinkedInURL,
	}
}

func personOfEmployee(e *Employee) person {
	x := e.Extra
	return person{
		id: e.ID, first: e.FirstName(), last: e.LastName(), email: e.Email(), hire: e.HireDate, term: e.TerminationDate,
		status:     extraText(x, "employment_status_name", "employment_status"),
		jobTitle:   orElse(e.JobTitleName, extraText(x, "job_title")),
		department: orElse(e.DepartmentName, extraText(x, "department")),
		division:   orElse(e.DivisionName, extraText(x, "division")),
		location:   orElse(e.LocationName, extraText(x, "location")),
		manager:    managerOf(e), workPhone: e.WorkPhone, linkedIn: e.LinkedInURL,
	}
}

// managerOf is the manager's id: reports_to_employee_id when the reply
// has it, else short_manager's id.
func managerOf(e *Employee) string {
	if id := extraText(e.Extra, "reports_to_employee_id"); id != "" {
		return id
	}
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(e.Extra["short_manager"], &m) == nil {
		if id, ok := scalarText(m.ID); ok && checkID(id) == nil {
			return id
		}
	}
	return ""
}

// extraText is the first of keys that holds text (a scalar, or an
// object's name).
func extraText(x Extra, keys ...string) string {
	for _, key := range keys {
		if v, ok := plainValue(x[key]).(string); ok && v != "" {
			return v
		}
	}
	return ""
}

// value is the record value of directory field name.
func (p *person) value(name string) any {
	switch name {
	case "hire_date":
		return dateValue(p.hire)
	case "termination_date":
		return dateValue(p.term)
	}
	return textValue(map[string]string{
		"id": p.id, "first_name": p.first, "last_name": p.last, "email": p.email, "employment_status": p.status,
		"job_title": p.jobTitle, "department": p.department, "division": p.division, "location": p.location,
		"reports_to_employee_id": p.manager, "work_phone": p.workPhone, "linked_in_url": p.linkedIn,
	}[name])
}

// record builds the record of p with the plan's directory fields.
// Active: the termination date has not come (termination_date not after
// today), the same rule in List, Get and Find.
func (p *person) record(plan readPlan, today Date) syncengine.Record {
	rec := syncengine.Record{ID: p.id, Fields: make(map[string]any, len(plan.fields)+1),
		Active: p.term.IsZero() || p.term.After(today)}
	for _, f := range directoryDefs {
		if plan.fields[f.name] {
			rec.Fields[f.name] = p.value(f.name)
		}
	}
	if p.manager != "" {
		rec.Refs = map[string][]syncengine.Ref{syncengine.RoleManager: {{Collection: syncengine.Users, ID: p.manager}}}
	}
	return rec
}

func textValue(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dateValue(d Date) any {
	if d.IsZero() {
		return nil
	}
	return d.In(time.UTC)
}

// detailValues adds the plan's detail fields from e. A key the reply does
// not carry is left out. names turns hr_languages ids into names.
func detailValues(fields map[string]any, e *Employee, plan readPlan, names func(ids []string) []any) {
	b, err := e.MarshalJSON()
	if err != nil {
		return
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return
	}
	for _, f := range detailDefs {
		v, sent := raw[f.name]
		if !plan.fields[f.name] || !sent {
			continue
		}
		switch {
		case f.name == "hr_languages":
			fields[f.name] = languageValue(v, names)
		case f.typ == "date":
			fields[f.name] = typedValue(v, "date")
		default:
			fields[f.name] = plainValue(v)
		}
	}
}

// languageValue reads hr_languages: ids (numbers), or objects with an id
// or a name; ids become names.
func languageValue(raw json.RawMessage, names func(ids []string) []any) any {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil
	}
	var ids []string
	var out []any
	for _, item := range list {
		if s, ok := scalarText(item); ok {
			ids = append(ids, s)
			continue
		}
		var o struct {
			ID   json.RawMessage `json:"id"`
			Name string          `json:"name"`
		}
		if json.Unmarshal(item, &o) == nil && o.Name != "" {
			out = append(out, o.Name)
		} else if id, ok := scalarText(o.ID); ok {
			ids = append(ids, id)
		}
	}
	return append(out, names(ids)...)
}

// plainValue reads a value TalentHR sends as a scalar (text), an object
// (its "name" or "value") or a list (of those); null and "" are nil.
func plainValue(raw json.RawMessage) any {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if s, ok := scalarText(raw); ok {
		return textValue(s)
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		out := make([]any, 0, len(list))
		for _, item := range list {
			if v := plainValue(item); v != nil {
				out = append(out, v)
			}
		}
		return out
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, key := range []string{"value", "name"} {
			if v, ok := obj[key]; ok {
				return plainValue(v)
			}
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return nil
	}
	return buf.String()
}

// typedValue reads a value as the type says: a date as time.Time at
// midnight UTC, a number as float64, a bool; text that does not parse as
// its type stays text, so nothing TalentHR holds is lost.
func typedValue(raw json.RawMessage, typ string) any {
	v := plainValue(raw)
	if list, ok := v.([]any); ok {
		for i, item := range list {
			if s, ok := item.(string); ok {
				list[i] = parseAs(s, typ)
			}
		}
		return list
	}
	if s, ok := v.(string); ok {
		return parseAs(s, typ)
	}
	return v
}

func parseAs(s, typ string) any {
	t := strings.TrimSpace(s)
	switch typ {
	case "date":
		if d, err := ParseDate(t); err == nil {
			return dateValue(d)
		}
	case "number":
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return f
		}
	case "bool":
		switch strings.ToLower(t) {
		case "1", "true", "yes", "on":
			return true
		case "0", "false", "no", "off":
			return false
		}
	}
	return s
}

// customFromRow reads the custom-field columns of a directory row (keyed
// by slug) into a map keyed by name.
func customFromRow(x Extra, defs []customDef) map[string]any {
	out := make(map[string]any, len(defs))
	for _, d := range defs {
		if raw, ok := x[d.Slug]; ok {
			out[d.Name] = typedValue(raw, d.Type)
		}
	}
	return out
}

// customFromEmployee reads the custom fields of GET /employees/{id} (or
// GET /employees/{id}/custom-fields): one value is the value, several (a
// field with multiple records) a list, none nil.
func customFromEmployee(fields []CustomField, want func(name string) bool) (map[string]any, []string) {
	out := map[string]any{}
	var names []string
	for _, f := range fields {
		d, ok := definition(f)
		if !ok {
			continue
		}
		names = append(names, d.Name)
		if !want(d.Name) {
			continue
		}
		var vals []any
		for _, raw := range f.Values {
			if v := typedValue(raw, d.Type); v != nil {
				vals = append(vals, v)
			}
		}
		switch len(vals) {
		case 0:
			out[d.Name] = nil
		case 1:
			out[d.Name] = vals[0]
		default:
			out[d.Name] = vals
		}
	}
	return out, names
}

package hibobtest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// employee is one stored employee; historical work fields live in rows.
type employee struct {
	id                  string
	firstName, surname  string
	email, displayName  string
	startDate, termDate string // YYYY-MM-DD; termDate "" while employed
	work                []*workRow
	values              map[string]any // other fields by field ID
}

// workRow is one row of the work table.
type workRow struct {
	id                                   int64
	effectiveDate                        string
	title, department, siteID, managerID string
	reason                               string
	custom                               map[string]any
}

const dateLayout = "2006-01-02"

// today is the fake clock's calendar date. Must not hold s.mu (Now locks the kit).
func (s *Server) today() string { return s.Now().UTC().Format(dateLayout) }

// current is the row in effect on today: the latest dated on or before it,
// else the earliest (a hire who has not started).
func (e *employee) current(today string) *workRow {
	var cur *workRow
	for _, r := range e.work {
		if r.effectiveDate <= today {
			cur = r
		}
	}
	if cur == nil && len(e.work) > 0 {
		cur = e.work[0]
	}
	if cur == nil {
		return &workRow{}
	}
	return cur
}

// status is internal.status and lifecycleStatus on today: leavers and hires
// who have not started are Inactive
// (https://apidocs.hibob.com/reference/post_people-search).
func (e *employee) status(today string) (status, lifecycle string) {
	switch {
	case e.termDate != "" && e.termDate <= today:
		return "Inactive", "terminated"
	case e.startDate > today:
		return "Inactive", "hired"
	}
	return "Active", "employed"
}

func (e *employee) fullName() string { return strings.TrimSpace(e.firstName + " " + e.surname) }

// machine is fieldID's machine value for e on today; nil when empty. Must hold s.mu.
func (s *Server) machine(e *employee, def *fieldDef, today string) any {
	row := e.current(today)
	status, lifecycle := e.status(today)
	switch def.ID {
	case "root.id":
		return e.id
	case "root.companyId":
		return CompanyID
	case "root.email":
		return nilIfEmpty(e.email)
	case "root.firstName":
		return nilIfEmpty(e.firstName)
	case "root.surname":
		return nilIfEmpty(e.surname)
	case "root.fullName":
		return nilIfEmpty(e.fullName())
	case "root.displayName":
		return nilIfEmpty(e.displayName)
	case "work.title":
		return nilIfEmpty(row.title)
	case "work.department":
		return nilIfEmpty(row.department)
	case "work.siteId":
		if n, err := strconv.Atoi(row.siteID); err == nil {
			return n
		}
		return nil
	case "work.site":
		return nilIfEmpty(s.itemName("site", row.siteID))
	case "work.startDate":
		return nilIfEmpty(e.startDate)
	case "work.reportsTo":
		return s.personRef(row.managerID)
	case "work.manager":
		return nilIfEmpty(row.managerID)
	case "internal.status":
		return status
	case "internal.lifecycleStatus":
		return lifecycle
	case "internal.terminationDate":
		return nilIfEmpty(e.termDate)
	}
	if v, ok := row.custom[def.ID]; ok {
		return v
	}
	return e.values[def.ID]
}

// personRef renders a manager as work.reportsTo does. Must hold s.mu.
func (s *Server) personRef(id string) any {
	m := s.employees[id]
	if m == nil {
		return nil
	}
	return map[string]any{"id": m.id, "firstName": m.firstName, "surname": m.surname,
		"email": m.email, "displayName": m.displayName}
}

// human is v's display value (https://apidocs.hibob.com/docs/fields-metadata):
// list names, dates as dd/mm/yyyy, Yes/No, numbers as text, people by name.
// Must hold s.mu.
func (s *Server) human(def *fieldDef, v any) string {
	switch def.Type {
	case "list", "list_id", "hierarchy-list", "multi-list":
		var names []string
		for _, id := range idsOf(v) {
			names = append(names, s.itemName(def.TypeData.ListID, id))
		}
		return strings.Join(names, ", ")
	case "date":
		if t, err := time.Parse(dateLayout, fmt.Sprint(v)); err == nil {
			return t.Format("02/01/2006")
		}
	case "boolean":
		if b, ok := v.(bool); ok {
			return map[bool]string{true: "Yes", false: "No"}[b]
		}
	case "employee":
		if m, ok := v.(map[string]any); ok {
			return fmt.Sprint(m["displayName"])
		}
	case "employee-reference":
		if def.ID != "root.id" {
			if m := s.employees[fmt.Sprint(v)]; m != nil {
				return m.displayName
			}
		}
	}
	if def.ID == "internal.lifecycleStatus" {
		str := fmt.Sprint(v)
		return strings.ToUpper(str[:1]) + str[1:]
	}
	return fmt.Sprint(v)
}

func idsOf(v any) []string {
	switch t := v.(type) {
	case []any:
		out := make([]string, 0, len(t))
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case []string:
		return t
	}
	return []string{fmt.Sprint(v)}
}

// render writes e with the given fields as HiBob answers: nested values
// (null included), slash keys for non-null values, and with APPEND a
// humanReadable object (https://apidocs.hibob.com/docs/people-read-api-contract).
// Unknown and unpermitted fields are left out. Must hold s.mu.
func (s *Server) render(e *employee, fieldIDs []string, mode string, user *serviceUser, today string) map[string]any {
	out := map[string]any{}
	hr := map[string]any{}
	for _, id := range fieldIDs {
		def := s.fields[id]
		if def == nil || user.hidden[def.CategoryID] {
			continue // silently omitted, as HiBob does
		}
		v := s.machine(e, def, today)
		shown := v
		if v != nil && mode == "REPLACE" {
			shown = s.human(def, v)
		}
		setPath(out, def.path, shown)
		if shown != nil {
			out["/"+strings.ReplaceAll(id, ".", "/")] = map[string]any{"value": shown}
		}
		if v != nil && mode == "APPEND" {
			setPath(hr, def.path, s.human(def, v))
		}
	}
	if mode == "APPEND" {
		out["humanReadable"] = hr
	}
	return out
}

// setPath puts v at path in m, making the objects on the way; a clash with
// a non-object leaves m as it is.
func setPath(m map[string]any, path []string, v any) {
	for _, seg := range path[:len(path)-1] {
		next, ok := m[seg].(map[string]any)
		if !ok {
			if _, taken := m[seg]; taken {
				return
			}
			next = map[string]any{}
			m[seg] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// flatten turns a nested write body into values by field ID, stopping at
// each known field's JSON path; unknown paths are returned apart. Must hold s.mu.
func (s *Server) flatten(prefix string, m map[string]any, known map[string]any, unknown *[]string) {
	for k, v := range m {
		path := prefix + k
		if def := s.byJSONPath[path]; def != nil {
			known[def.ID] = v
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			s.flatten(path+".", sub, known, unknown)
			continue
		}
		*unknown = append(*unknown, path)
	}
	sort.Strings(*unknown)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sameJSON compares two values by their JSON encoding.
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

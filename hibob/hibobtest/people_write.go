package hibobtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// decodeMap reads the JSON body as an object, numbers kept as json.Number.
func (rq *request) decodeMap() (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(rq.body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		rq.fail(http.StatusBadRequest, "badRequest", "Invalid request body: want a JSON object")
		return nil, false
	}
	return m, true
}

// writeValues flattens a write body to values by field ID, refusing unknown
// paths. Must hold s.mu.
func (s *Server) writeValues(rq *request) (map[string]any, bool) {
	body, ok := rq.decodeMap()
	if !ok {
		return nil, false
	}
	known := map[string]any{}
	var unknown []string
	s.flatten("", body, known, &unknown)
	if len(unknown) > 0 {
		rq.fail(http.StatusBadRequest, "badRequest", "Unknown fields: "+strings.Join(unknown, ", "))
		return nil, false
	}
	for id := range known {
		if readOnlyFields[id] {
			rq.fail(http.StatusBadRequest, "badRequest", "Field "+id+" is read-only")
			return nil, false
		}
	}
	return known, true
}

// mandatory is a missing-field error in the shape HiBob uses for it.
func (rq *request) mandatory(fieldIDs []string) {
	errs := map[string]any{}
	for _, id := range fieldIDs {
		errs[id] = map[string]string{"error": "MISSING_MANDATORY_FIELD", "message": "Field " + id + " is mandatory"}
	}
	rq.json(http.StatusBadRequest, map[string]any{"errors": errs})
}

// handleCreate serves POST /people: firstName, surname, email, work.site and
// work.startDate are required; list values must match an item's ID or name
// (https://apidocs.hibob.com/docs/create-employee).
func (s *Server) handleCreate(rq *request) {
	if !rq.writable() {
		return
	}
	today := s.today()
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.writeValues(rq)
	if !ok {
		return
	}
	var missing []string
	for _, id := range []string{"root.email", "root.firstName", "root.surname", "work.site", "work.startDate"} {
		if str, _ := v[id].(string); strings.TrimSpace(str) == "" {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		rq.mandatory(missing)
		return
	}
	e, row, msg := s.newEmployeeFrom(v)
	if msg != "" {
		rq.fail(http.StatusBadRequest, "badRequest", msg)
		return
	}
	s.store(e, row)
	rq.json(http.StatusOK, s.render(e, defaultSearchFields, "", rq.user, today))
}

// newEmployeeFrom checks a create's values; msg says what is wrong. Must hold s.mu.
func (s *Server) newEmployeeFrom(v map[string]any) (*employee, *workRow, string) {
	str := func(id string) string { x, _ := v[id].(string); return strings.TrimSpace(x) }
	email := str("root.email")
	if !strings.Contains(email, "@") {
		return nil, nil, "Invalid email " + email
	}
	if s.byEmail[strings.ToLower(email)] != "" {
		return nil, nil, "Email " + email + " already exists"
	}
	start := str("work.startDate")
	if _, err := time.Parse(dateLayout, start); err != nil {
		return nil, nil, "work.startDate must be a date YYYY-MM-DD"
	}
	row := &workRow{effectiveDate: start}
	var ok bool
	if row.siteID, ok = s.resolveItem("site", str("work.site")); !ok {
		return nil, nil, "Site " + str("work.site") + " does not exist"
	}
	for id, dst := range map[string]*string{"work.title": &row.title, "work.department": &row.department} {
		if x := str(id); x != "" {
			list := s.fields[id].TypeData.ListID
			if *dst, ok = s.resolveItem(list, x); !ok {
				return nil, nil, "The value " + x + " of " + id + " is not in list " + list
			}
		}
	}
	if row.managerID, ok = s.managerFrom(v); !ok {
		return nil, nil, "The manager (work.manager or work.reportsTo.id) is not an employee"
	}
	if _, given := v["work.siteId"]; given {
		return nil, nil, "Give the site by name in work.site"
	}
	e := &employee{firstName: str("root.firstName"), surname: str("root.surname"), email: email,
		displayName: str("root.displayName"), startDate: start, values: map[string]any{}}
	if e.displayName == "" {
		e.displayName = e.fullName()
	}
	for id, x := range v {
		if !createTyped[id] {
			e.values[id] = x
		}
	}
	return e, row, ""
}

// createTyped are the create fields kept outside values.
var createTyped = map[string]bool{
	"root.email": true, "root.firstName": true, "root.surname": true, "root.displayName": true,
	"work.site": true, "work.startDate": true, "work.title": true, "work.department": true,
	"work.manager": true, "work.reportsTo": true,
}

// managerFrom reads work.manager ("id") or work.reportsTo ({"id"}); ok is
// false for someone who is not an employee. Must hold s.mu.
func (s *Server) managerFrom(v map[string]any) (string, bool) {
	id, _ := v["work.manager"].(string)
	if ref, isObj := v["work.reportsTo"].(map[string]any); isObj {
		id, _ = ref["id"].(string)
	}
	if id == "" {
		_, m1 := v["work.manager"]
		_, m2 := v["work.reportsTo"]
		return "", !m1 && !m2
	}
	return id, s.employees[id] != nil
}

// store files a new employee with its first work row. Must hold s.mu.
func (s *Server) store(e *employee, row *workRow) {
	s.nextEmp++
	e.id = fmt.Sprint(s.nextEmp)
	s.nextEntry++
	row.id = s.nextEntry
	e.work = []*workRow{row}
	s.employees[e.id] = e
	s.byEmail[strings.ToLower(e.email)] = e.id
}

// handleUpdate serves PUT /people/{identifier}, a patch. A historical field
// (title, department, site, manager, lifecycle) or identical data answers
// 304 and stores nothing (https://apidocs.hibob.com/docs/update-employee-data).
func (s *Server) handleUpdate(rq *request, ident string) {
	if !rq.writable() {
		return
	}
	today := s.today()
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.find(ident)
	if e == nil {
		rq.fail(http.StatusNotFound, "notFound", "Employee not found")
		return
	}
	v, ok := s.writeValues(rq)
	if !ok {
		return
	}
	if _, ok := v["root.email"]; ok {
		rq.fail(http.StatusBadRequest, "badRequest", "The email changes through PUT /people/{id}/email")
		return
	}
	changed := false
	for id, x := range v {
		if def := s.fields[id]; def.Historical || id == "work.site" {
			rq.w.WriteHeader(http.StatusNotModified)
			return
		}
		changed = changed || !sameJSON(s.machine(e, s.fields[id], today), x)
	}
	if !changed {
		rq.w.WriteHeader(http.StatusNotModified)
		return
	}
	if msg := s.apply(e, v); msg != "" {
		rq.fail(http.StatusBadRequest, "badRequest", msg)
		return
	}
	rq.w.WriteHeader(http.StatusOK)
}

// apply writes checked update values. Must hold s.mu.
func (s *Server) apply(e *employee, v map[string]any) string {
	for id, x := range v {
		switch id {
		case "root.firstName", "root.surname", "root.displayName", "work.startDate":
			str, ok := x.(string)
			if !ok || strings.TrimSpace(str) == "" {
				return "Field " + id + " must be a non-empty string"
			}
			if _, err := time.Parse(dateLayout, str); id == "work.startDate" && err != nil {
				return "work.startDate must be a date YYYY-MM-DD"
			}
		}
	}
	for id, x := range v {
		switch id {
		case "root.firstName":
			e.firstName = x.(string)
		case "root.surname":
			e.surname = x.(string)
		case "root.displayName":
			e.displayName = x.(string)
		case "work.startDate":
			e.startDate = x.(string)
		default:
			e.values[id] = x
		}
	}
	return ""
}

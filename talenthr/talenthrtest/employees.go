package talenthrtest

import (
	"net/http"
	"sort"

	"github.com/rostersync/rostersync/talenthr"
)

// hiddenProfileKeys are profile keys GET /employees/{id} never returns.
var hiddenProfileKeys = []string{"ssn"}

// employee returns the stored employee id, answering 404 when there is
// none. The caller holds s.mu.
func (s *Server) employee(w http.ResponseWriter, id string) (*Employee, bool) {
	e, found := s.st.employees[id]
	if !found {
		fail(w, http.StatusNotFound, "Employee not found.")
	}
	return e, found
}

func (s *Server) getEmployee(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.employee(w, id)
	if !found {
		return
	}
	ok(w, s.employeeJSON(e))
}

// employeeJSON is e as GET /employees/{id} returns it: names and email
// under "user", the profile keys at the top level (ssn left out), names of
// the placement beside their ids. The caller holds s.mu.
func (s *Server) employeeJSON(e *Employee) map[string]any {
	out := map[string]any{}
	for k, v := range e.Profile {
		if !contains(hiddenProfileKeys, k) {
			out[k] = cloneValue(v)
		}
	}
	today := s.today()
	for k, v := range map[string]any{
		"id": num(e.ID), "hire_date": e.HireDate, "termination_date": strOrNil(e.TerminationDate),
		"termination_reason": strOrNil(e.TerminationReason),
		"is_terminated":      empState(e, today) == EmpStateTerminated,
		"is_future_rehire":   false,
		"photo_url":          s.photoURL(),
		"user":               map[string]any{"id": num(e.ID), "first_name": e.FirstName, "last_name": e.LastName, "email": e.Email},
		"user_role":          userRole(e.Role),
		"short_manager":      s.shortManager(e.ReportsToEmployeeID),
		"custom_fields":      s.customFieldsJSON(e),
	} {
		out[k] = v
	}
	for key, kind := range map[string]talenthr.LookupKind{"department": talenthr.Departments, "division": talenthr.Divisions,
		"job_title": talenthr.JobTitles, "location": talenthr.Locations} {
		id := e.lookupID(kind)
		out[key+"_id"] = numOrNil(id)
		out[key+"_name"] = strOrNil(s.nameOr(kind, id))
	}
	return out
}

// shortManager is the manager summary, or nil. The caller holds s.mu.
func (s *Server) shortManager(id string) any {
	m, found := s.st.employees[id]
	if !found {
		return nil
	}
	return map[string]any{"id": num(m.ID), "first_name": m.FirstName, "last_name": m.LastName}
}

func (s *Server) jobInfo(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.employee(w, id)
	if !found {
		return
	}
	job := map[string]any{"effective_date": e.HireDate}
	for key, kind := range map[string]talenthr.LookupKind{"department": talenthr.Departments, "division": talenthr.Divisions,
		"job_title": talenthr.JobTitles, "location": talenthr.Locations} {
		job[key+"_id"] = numOrNil(e.lookupID(kind))
		job[key+"_name"] = strOrNil(s.nameOr(kind, e.lookupID(kind)))
	}
	comp := []any{}
	if e.Compensation != nil {
		c := cloneAny(e.Compensation)
		c["effective_date"] = e.HireDate
		comp = append(comp, c)
	}
	ok(w, map[string]any{
		"job_records": []any{job},
		"employment_statuses": []any{map[string]any{
			"effective_date": e.HireDate, "employment_status_id": num(e.EmploymentStatusID),
			"employment_status_name": s.nameOr(talenthr.EmploymentStatuses, e.EmploymentStatusID),
		}},
		"compensation_records": comp,
		"manager_records": []any{map[string]any{
			"effective_date": e.HireDate, "end_date": nil, "reports_to_employee_id": numOrNil(e.ReportsToEmployeeID),
			"manager": s.shortManager(e.ReportsToEmployeeID),
		}},
		"benefits": []any{},
	})
}

func (s *Server) customFields(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.employee(w, id)
	if !found {
		return
	}
	ok(w, s.customFieldsJSON(e))
}

// customTypes are the custom-field types of TalentHR's help centre, in
// the order the fake numbers them (its own guess: ids are not published).
var customTypes = []string{"Text", "Long text", "Single choice", "Multiple choice", "Date", "Link", "Employee"}

// customTypeID is the fake's id of a custom-field type; 0 for one it
// does not know.
func customTypeID(typ string) int {
	for i, t := range customTypes {
		if t == typ {
			return i + 1
		}
	}
	return 0
}

// customFieldsJSON lists every definition with e's value, if any. The
// caller holds s.mu.
func (s *Server) customFieldsJSON(e *Employee) []any {
	out := []any{}
	defs := append([]CustomField(nil), s.st.customFields...)
	sort.Slice(defs, func(i, j int) bool { return atoi(defs[i].ID) < atoi(defs[j].ID) })
	for _, d := range defs {
		values := []any{}
		if v, set := e.CustomFields[d.Slug]; set {
			values = append(values, map[string]any{"id": num(d.ID), "employee_id": num(e.ID), "value": v})
		}
		out = append(out, map[string]any{
			"id": num(d.ID), "name": d.Name, "field_name": d.Name, "slug": d.Slug, "form": "personal",
			"custom_field_type_id": customTypeID(d.Type), "custom_field_type": map[string]any{"id": customTypeID(d.Type), "name": d.Type},
			"custom_field_values": values, "is_group": false, "parent_group_id": nil, "subfields": 0,
			"has_multiple_records": false, "is_enabled": true, "is_editable": 1, "is_predefined": false,
			"always_active": 0, "visible_to": "all",
		})
	}
	return out
}

package bamboohrtest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
)

// employee is one stored employee. fields are keyed by alias, or by numeric
// id for fields without one; checkboxes are stored "yes" or "no".
type employee struct {
	id          int
	fields      map[string]string
	created     time.Time
	lastChanged time.Time
}

// AddEmployee seeds an employee and returns its id. fields are keyed by
// alias (or numeric id for alias-less fields) and may include read-only
// ones: terminationDate, employmentHistoryStatus and supervisorEId (the
// manager's employee id). status defaults to "Active" and
// employmentHistoryStatus to "Full-Time". Checkbox values are read with
// bamboohr.ParseCheckbox. An unknown field name is a test bug: it panics.
func (s *Server) AddEmployee(fields map[string]string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.newEmployee()
	for k, v := range fields {
		s.seedField(e, k, v)
	}
	s.employees[e.id] = e
	return e.id
}

// newEmployee returns an employee with the next id and BambooHR's defaults
// for status and employment status, stamped now; the caller stores it.
// Must hold s.mu.
func (s *Server) newEmployee() *employee {
	s.nextID++
	now := s.Now()
	return &employee{id: s.nextID, fields: map[string]string{
		"status": "Active", "employmentHistoryStatus": "Full-Time",
	}, created: now, lastChanged: now}
}

// seedField stores one seeded value. Must hold s.mu.
func (s *Server) seedField(e *employee, name, value string) {
	key, f, ok := s.storageKey(name)
	if !ok || (calculated[key] && key != "supervisorEId") {
		panic(fmt.Sprintf("bamboohrtest: seed field %q is not a field of the fake", name))
	}
	if f.Type == "checkbox" {
		checked, _ := bamboohr.ParseCheckbox(value)
		value = yesNo(checked)
	}
	e.fields[key] = value
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// SetField changes one field of employee id as an edit in BambooHR would,
// read-only fields included, and stamps lastChanged so employees/changed
// reports it. It panics on an unknown employee or field.
func (s *Server) SetField(id int, field, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEmployee(id)
	s.seedField(e, field, value)
	e.lastChanged = s.Now()
}

// Terminate records a termination on date ("YYYY-MM-DD"), as an
// employmentStatus table row would: status Inactive, employment status
// Terminated, terminationDate set, lastChanged stamped.
func (s *Server) Terminate(id int, date string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEmployee(id)
	e.fields["status"] = "Inactive"
	e.fields["employmentHistoryStatus"] = "Terminated"
	e.fields["terminationDate"] = date
	e.lastChanged = s.Now()
}

// DeleteEmployee removes employee id; employees/changed reports it Deleted.
func (s *Server) DeleteEmployee(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustEmployee(id)
	delete(s.employees, id)
	s.deleted[id] = s.Now()
}

func (s *Server) mustEmployee(id int) *employee {
	e, ok := s.employees[id]
	if !ok {
		panic(fmt.Sprintf("bamboohrtest: no employee %d", id))
	}
	return e
}

// Employee returns a copy of employee id's stored fields (checkboxes as
// "yes"/"no") and whether it exists.
func (s *Server) Employee(id int) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.employees[id]
	if !ok {
		return nil, false
	}
	return maps.Clone(e.fields), true
}

// EmployeeIDs returns the ids of all employees, sorted.
func (s *Server) EmployeeIDs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.employees))
}

// AddField adds a field to meta/fields (a custom field, say); employees
// can then be seeded and read with it.
func (s *Server) AddField(f bamboohr.Field) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fields = append(s.fields, f)
}

// SeedCompany adds a small realistic company and returns the ids by role:
// a CEO, two managers reporting to her, staff under them (one without
// Litmos Access, one with no work email, one terminated), all with
// addresses and job data. Role names: ceo, eng_manager, sales_manager,
// engineer, no_access, no_email, terminated.
func (s *Server) SeedCompany() map[string]int {
	ids := map[string]int{}
	add := func(role string, f map[string]string) { ids[role] = s.AddEmployee(f) }
	base := func(first, last, email, title, dept string, access bool) map[string]string {
		return map[string]string{
			"firstName": first, "lastName": last, "workEmail": email, "jobTitle": title,
			"department": dept, "workPhone": "+1 801 555 0100", "mobilePhone": "+1 801 555 0199",
			"address1": "335 S 560 W", "city": "Lindon", "state": "Utah", "zipcode": "84042",
			"country": "United States", "hireDate": "2021-03-01", LitmosAccessAlias: yesNo(access),
		}
	}
	add("ceo", base("Jennifer", "Caldwell", "jcaldwell@example.com", "CEO", "Executive", true))
	mgr := func(f map[string]string, role string) map[string]string {
		f["supervisorEId"] = strconv.Itoa(ids[role])
		return f
	}
	add("eng_manager", mgr(base("Charlotte", "Abbott", "cabbott@example.com", "VP Engineering", "Engineering", true), "ceo"))
	add("sales_manager", mgr(base("Ashley", "Adams", "aadams@example.com", "VP Sales", "Sales", true), "ceo"))
	add("engineer", mgr(base("Christopher", "Garcia", "cgarcia@example.com", "Software Engineer", "Engineering", true), "eng_manager"))
	add("no_access", mgr(base("Dorothy", "Chou", "dchou@example.com", "Account Executive", "Sales", false), "sales_manager"))
	noEmail := mgr(base("Eric", "Asture", "", "Support Engineer", "Engineering", true), "eng_manager")
	delete(noEmail, "workEmail")
	add("no_email", noEmail)
	add("terminated", mgr(base("Trent", "Walsh", "twalsh@example.com", "Sales Rep", "Sales", true), "sales_manager"))
	s.Terminate(ids["terminated"], "2026-01-15")
	return ids
}

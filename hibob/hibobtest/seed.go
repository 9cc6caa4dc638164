package hibobtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/hibob"
)

// Employee is an employee to seed, or one's state as the fake holds it.
type Employee struct {
	// ID is set by the fake; it is ignored by AddEmployee.
	ID                                     string
	FirstName, Surname, Email, DisplayName string
	// Title, Department and Site are list item names. AddEmployee adds an
	// item that does not exist yet (at the top level); a name that several
	// items carry is a test bug. Site defaults to "London".
	Title, Department, Site string
	// StartDate is YYYY-MM-DD (default 2022-01-10); a date after the fake's
	// clock makes a future starter (internal.status Inactive, "hired").
	StartDate string
	// TerminationDate is YYYY-MM-DD; on or before the fake's clock the
	// employee is a leaver (Inactive, "terminated").
	TerminationDate string
	// ManagerID is the manager's employee ID.
	ManagerID string
	// Fields holds other values by field ID ("home.mobilePhone",
	// "work.custom.field_1698036945383"); the field must exist (AddField).
	Fields map[string]any
	// Status and LifecycleStatus are read back only.
	Status, LifecycleStatus string
}

// WorkRow is one row of an employee's work table, list values by name.
type WorkRow struct {
	ID                            int64
	EffectiveDate                 string
	Title, Department, Site       string
	TitleID, DepartmentID, SiteID string
	ManagerID, Reason             string
	CustomColumns                 map[string]any
}

// AddEmployee seeds an employee with one work row dated StartDate and
// returns its ID. Missing names, a taken email, a malformed date, an
// unknown manager or field are test bugs: they panic.
func (s *Server) AddEmployee(e Employee) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.FirstName == "" || e.Surname == "" || !strings.Contains(e.Email, "@") {
		panic(fmt.Sprintf("hibobtest: AddEmployee %+v: FirstName, Surname and Email are required", e))
	}
	if s.byEmail[strings.ToLower(e.Email)] != "" {
		panic("hibobtest: AddEmployee: email " + e.Email + " is taken")
	}
	start := orDefault(e.StartDate, "2022-01-10")
	mustDate(start)
	if e.TerminationDate != "" {
		mustDate(e.TerminationDate)
	}
	if e.ManagerID != "" && s.employees[e.ManagerID] == nil {
		panic("hibobtest: AddEmployee: no manager " + e.ManagerID)
	}
	emp := &employee{firstName: e.FirstName, surname: e.Surname, email: e.Email,
		displayName: orDefault(e.DisplayName, e.FirstName+" "+e.Surname),
		startDate:   start, termDate: e.TerminationDate, values: map[string]any{}}
	for id, v := range e.Fields {
		if s.fields[id] == nil || createTyped[id] || readOnlyFields[id] {
			panic("hibobtest: AddEmployee: field " + id + " is unknown or set by a typed field")
		}
		emp.values[id] = v
	}
	row := &workRow{effectiveDate: start, managerID: e.ManagerID,
		title: s.seedItem("title", e.Title), department: s.seedItem("department", e.Department),
		siteID: s.seedItem("site", orDefault(e.Site, "London"))}
	s.store(emp, row)
	return emp.id
}

// seedItem finds or adds the item called name; "" stays "". Must hold s.mu.
func (s *Server) seedItem(list, name string) string {
	if name == "" {
		return ""
	}
	if it, ok := s.itemByName(list, name); ok {
		return it.id
	}
	if len(s.lists[list].named[name]) > 1 {
		panic(fmt.Sprintf("hibobtest: %d items of list %q are called %q", len(s.lists[list].named[name]), list, name))
	}
	return s.addItem(list, name, "")
}

// SetField changes a non-historical field of employee id as an edit in Bob
// would ("root.firstName", "home.mobilePhone", a custom field).
func (s *Server) SetField(id, fieldID string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEmployee(id)
	if s.fields[fieldID] == nil || readOnlyFields[fieldID] || s.fields[fieldID].Historical {
		panic("hibobtest: SetField: " + fieldID + " is unknown, read-only or historical")
	}
	if msg := s.apply(e, map[string]any{fieldID: v}); msg != "" {
		panic("hibobtest: SetField: " + msg)
	}
}

// SetEmail changes employee id's work email, as an admin does in Bob (the
// API has a call of its own for it; the fake's PUT refuses root.email). A
// taken or malformed email is a test bug: it panics.
func (s *Server) SetEmail(id, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEmployee(id)
	if !strings.Contains(email, "@") {
		panic("hibobtest: SetEmail: " + email + " is not an email")
	}
	if other := s.byEmail[strings.ToLower(email)]; other != "" && other != id {
		panic("hibobtest: SetEmail: email " + email + " is taken")
	}
	delete(s.byEmail, strings.ToLower(e.email))
	e.email = email
	s.byEmail[strings.ToLower(email)] = id
}

// Terminate records a termination on date (YYYY-MM-DD): from that date the
// employee is a leaver.
func (s *Server) Terminate(id, date string) {
	mustDate(date)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustEmployee(id).termDate = date
}

// DeleteEmployee removes employee id, as deleting a profile in Bob does:
// reads of it answer 404 from then on.
func (s *Server) DeleteEmployee(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEmployee(id)
	delete(s.byEmail, strings.ToLower(e.email))
	delete(s.employees, id)
}

// Employee returns employee id's state on the fake's clock: its current
// work row's values (by name), status and fields.
func (s *Server) Employee(id string) (Employee, bool) {
	today := s.today()
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.employees[id]
	if e == nil {
		return Employee{}, false
	}
	row := e.current(today)
	status, lifecycle := e.status(today)
	return Employee{ID: e.id, FirstName: e.firstName, Surname: e.surname, Email: e.email,
		DisplayName: e.displayName, Title: s.itemName("title", row.title),
		Department: s.itemName("department", row.department), Site: s.itemName("site", row.siteID),
		StartDate: e.startDate, TerminationDate: e.termDate, ManagerID: row.managerID,
		Fields: maps.Clone(e.values), Status: status, LifecycleStatus: lifecycle}, true
}

// EmployeeIDs returns every employee's ID, in creation order.
func (s *Server) EmployeeIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.employees))
}

// WorkHistory returns employee id's work rows, oldest first.
func (s *Server) WorkHistory(id string) []WorkRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []WorkRow
	for _, r := range s.mustEmployee(id).work {
		out = append(out, WorkRow{ID: r.id, EffectiveDate: r.effectiveDate,
			Title: s.itemName("title", r.title), Department: s.itemName("department", r.department),
			Site: s.itemName("site", r.siteID), TitleID: r.title, DepartmentID: r.department, SiteID: r.siteID,
			ManagerID: r.managerID, Reason: r.reason, CustomColumns: maps.Clone(r.custom)})
	}
	return out
}

// SubDepartmentField is the custom text field SeedCompany adds, which the
// HiBob → Learn Amp preset can map to the primary team.
const SubDepartmentField = "work.custom.field_1698036945383"

// SeedCompany adds a small realistic company and returns the IDs by role:
// ceo; eng_manager and sales_manager reporting to her; engineer in the
// child department Platform (under Engineering) with the custom
// sub-department field; sales_rep; leaver (terminated 2026-01-15); and
// future_starter, starting 60 days after the fake's clock. Departments
// Executive, Engineering, Platform and Sales; sites London and New York.
func (s *Server) SeedCompany() map[string]string {
	s.AddField(hibob.FieldMeta{ID: SubDepartmentField, Category: "work", Name: "Sub-department", Type: "text"})
	eng := s.AddDepartment("Engineering", "")
	s.AddDepartment("Platform", eng)
	ids := map[string]string{}
	add := func(role string, e Employee) { ids[role] = s.AddEmployee(e) }
	add("ceo", Employee{FirstName: "Grace", Surname: "Hopper", Email: "grace.hopper@example.com",
		Title: "CEO", Department: "Executive", Site: "London", StartDate: "2019-03-01"})
	add("eng_manager", Employee{FirstName: "Ada", Surname: "Lovelace", Email: "ada.lovelace@example.com",
		Title: "VP Engineering", Department: "Engineering", StartDate: "2020-01-06", ManagerID: ids["ceo"]})
	add("sales_manager", Employee{FirstName: "Katherine", Surname: "Johnson", Email: "katherine.johnson@example.com",
		Title: "VP Sales", Department: "Sales", Site: "New York", StartDate: "2020-02-03", ManagerID: ids["ceo"]})
	add("engineer", Employee{FirstName: "Alan", Surname: "Turing", Email: "alan.turing@example.com",
		Title: "Software Engineer", Department: "Platform", StartDate: "2021-05-10", ManagerID: ids["eng_manager"],
		Fields: map[string]any{SubDepartmentField: "Platform"}})
	add("sales_rep", Employee{FirstName: "Dorothy", Surname: "Vaughan", Email: "dorothy.vaughan@example.com",
		Title: "Account Executive", Department: "Sales", Site: "New York", StartDate: "2022-09-12", ManagerID: ids["sales_manager"]})
	add("leaver", Employee{FirstName: "Mary", Surname: "Jackson", Email: "mary.jackson@example.com",
		Title: "Account Executive", Department: "Sales", Site: "New York", StartDate: "2021-01-04",
		TerminationDate: "2026-01-15", ManagerID: ids["sales_manager"]})
	add("future_starter", Employee{FirstName: "Hedy", Surname: "Lamarr", Email: "hedy.lamarr@example.com",
		Title: "Software Engineer", Department: "Platform", ManagerID: ids["eng_manager"],
		StartDate: s.Now().UTC().AddDate(0, 0, 60).Format(dateLayout)})
	return ids
}

// mustEmployee must hold s.mu.
func (s *Server) mustEmployee(id string) *employee {
	e := s.employees[id]
	if e == nil {
		panic("hibobtest: no employee " + id)
	}
	return e
}

func mustDate(d string) {
	if _, err := time.Parse(dateLayout, d); err != nil {
		panic("hibobtest: " + d + " is not a date YYYY-MM-DD")
	}
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

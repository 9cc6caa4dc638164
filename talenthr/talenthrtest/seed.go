package talenthrtest

import "github.com/rostersync/rostersync/talenthr"

// The lists a new Server starts with.
var (
	defaultStatuses  = []string{"Full-Time", "Part-Time", "Contractor", "Intern"}
	defaultLanguages = [][2]string{{"en", "English"}, {"el", "Greek"}, {"de", "German"}, {"fr", "French"}, {"es", "Spanish"}}
)

func (s *Server) seedDefaults() {
	for _, n := range defaultStatuses {
		s.AddLookup(talenthr.EmploymentStatuses, Lookup{Name: n})
	}
	for _, l := range defaultLanguages {
		s.AddLookup(talenthr.Languages, Lookup{Code: l[0], Name: l[1]})
	}
}

// AddLookup adds an entry of kind and returns its id. A name the list
// already has fails the test.
func (s *Server) AddLookup(kind talenthr.LookupKind, l Lookup) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, known := s.st.lookups[kind]
	if !known {
		s.fatalf("AddLookup: unknown kind %q", kind)
	}
	if _, taken := t.byName[fold(l.Name)]; taken || l.Name == "" {
		s.fatalf("AddLookup: %s name %q is empty or taken", kind, l.Name)
	}
	return t.add(l)
}

// AddDepartment adds a department and returns its id.
func (s *Server) AddDepartment(name string) string {
	return s.AddLookup(talenthr.Departments, Lookup{Name: name})
}

// AddDivision adds a division and returns its id.
func (s *Server) AddDivision(name string) string {
	return s.AddLookup(talenthr.Divisions, Lookup{Name: name})
}

// AddJobTitle adds a job title and returns its id.
func (s *Server) AddJobTitle(name string) string {
	return s.AddLookup(talenthr.JobTitles, Lookup{Name: name})
}

// AddLocation adds a location and returns its id.
func (s *Server) AddLocation(name, address string) string {
	return s.AddLookup(talenthr.Locations, Lookup{Name: name, Address: address})
}

// AddEmploymentStatus adds an employment status and returns its id.
func (s *Server) AddEmploymentStatus(name string) string {
	return s.AddLookup(talenthr.EmploymentStatuses, Lookup{Name: name})
}

// AddLanguage adds a language and returns its id.
func (s *Server) AddLanguage(code, name string) string {
	return s.AddLookup(talenthr.Languages, Lookup{Code: code, Name: name})
}

// LookupID returns the id of kind's entry named name, "" when none.
func (s *Server) LookupID(kind talenthr.LookupKind, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.lookups[kind].byName[fold(name)]
}

// Lookups returns kind's entries in id order.
func (s *Server) Lookups(kind talenthr.LookupKind) []Lookup {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.lookups[kind].sorted()
}

// AddEmployee stores e as if hired and returns its id. HireDate defaults
// to 2021-03-01 and EmploymentStatusID to Full-Time's. A missing name or
// email, a taken email or an unknown lookup or manager id fails the test.
func (s *Server) AddEmployee(e Employee) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.FirstName == "" || e.LastName == "" || !isEmail(e.Email) {
		s.fatalf("AddEmployee: names and a valid email are required (got %q %q %q)", e.FirstName, e.LastName, e.Email)
	}
	if _, taken := s.st.byEmail[fold(e.Email)]; taken {
		s.fatalf("AddEmployee: email %q is taken", e.Email)
	}
	if e.HireDate == "" {
		e.HireDate = "2021-03-01"
	}
	if e.EmploymentStatusID == "" {
		e.EmploymentStatusID = s.st.lookups[talenthr.EmploymentStatuses].byName[fold("Full-Time")]
	}
	s.checkRefs(&e)
	stored := e.clone()
	if stored.Profile == nil {
		stored.Profile = map[string]any{}
	}
	return s.store(&stored)
}

// checkRefs fails the test on a dangling id. The caller holds s.mu.
func (s *Server) checkRefs(e *Employee) {
	for _, kind := range []talenthr.LookupKind{talenthr.EmploymentStatuses, talenthr.JobTitles, talenthr.Departments, talenthr.Divisions, talenthr.Locations} {
		if _, found := s.st.lookupName(kind, e.lookupID(kind)); !found {
			s.fatalf("AddEmployee: no %s with id %q", kind, e.lookupID(kind))
		}
	}
	if e.ReportsToEmployeeID != "" && !s.employeeExists(e.ReportsToEmployeeID) {
		s.fatalf("AddEmployee: no manager with id %q", e.ReportsToEmployeeID)
	}
	for _, d := range []string{e.HireDate, e.TerminationDate} {
		if d != "" && !isDate(d) {
			s.fatalf("AddEmployee: date %q is not YYYY-MM-DD", d)
		}
	}
}

// Edit changes employee id as an edit in TalentHR's web app would (no
// validation, no request logged). change works on a copy, without the
// fake's lock held, so it may call the Server. It fails the test for an
// unknown id.
func (s *Server) Edit(id string, change func(*Employee)) {
	s.mu.Lock()
	e, found := s.st.employees[id]
	var cp Employee
	if found {
		cp = e.clone()
	}
	s.mu.Unlock()
	if !found {
		s.fatalf("Edit: no employee %q", id)
	}
	change(&cp)
	cp.ID = id
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, still := s.st.employees[id]; still {
		delete(s.st.byEmail, fold(old.Email))
	}
	s.st.employees[id] = &cp
	s.st.byEmail[fold(cp.Email)] = id
}

// Terminate records a termination on date ("YYYY-MM-DD"), as TalentHR's
// web app does; there is no public API call for it.
func (s *Server) Terminate(id, date, reason string) {
	if !isDate(date) {
		s.fatalf("Terminate: date %q is not YYYY-MM-DD", date)
	}
	s.Edit(id, func(e *Employee) { e.TerminationDate, e.TerminationReason = date, reason })
}

// DeleteEmployee removes employee id (later reads answer 404).
func (s *Server) DeleteEmployee(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.st.employees[id]
	if !found {
		s.fatalf("DeleteEmployee: no employee %q", id)
	}
	delete(s.st.byEmail, fold(e.Email))
	if pe, _ := e.Profile["personal_email"].(string); pe != "" {
		delete(s.st.byPersonalEmail, fold(pe))
	}
	delete(s.st.employees, id)
}

// AddCustomField defines a text custom field and returns its id.
func (s *Server) AddCustomField(name, slug string) string {
	return s.AddTypedCustomField(CustomField{Name: name, Slug: slug})
}

// AddTypedCustomField defines the custom field f (its ID is ignored; an
// empty Type is "Text") and returns its id.
func (s *Server) AddTypedCustomField(f CustomField) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.st.customBySlug[f.Slug]; taken || f.Slug == "" {
		s.fatalf("AddCustomField: slug %q is empty or taken", f.Slug)
	}
	if f.Type == "" {
		f.Type = "Text"
	}
	f.ID = itoa(len(s.st.customFields) + 1)
	s.st.customBySlug[f.Slug] = len(s.st.customFields)
	s.st.customFields = append(s.st.customFields, f)
	return f.ID
}

// SetCustomField sets employee id's value of the custom field slug.
func (s *Server) SetCustomField(id, slug, value string) {
	s.mu.Lock()
	_, defined := s.st.customBySlug[slug]
	s.mu.Unlock()
	if !defined {
		s.fatalf("SetCustomField: no custom field %q", slug)
	}
	s.Edit(id, func(e *Employee) {
		if e.CustomFields == nil {
			e.CustomFields = map[string]string{}
		}
		e.CustomFields[slug] = value
	})
}

// Employees returns copies of every employee, in id order.
func (s *Server) Employees() []Employee {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Employee, 0, len(s.st.employees))
	for _, id := range s.st.employeeIDs() {
		out = append(out, s.st.employees[id].clone())
	}
	return out
}

// Employee returns a copy of employee id and whether it exists.
func (s *Server) Employee(id string) (Employee, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.st.employees[id]
	if !found {
		return Employee{}, false
	}
	return e.clone(), true
}

// EmployeeByEmail returns a copy of the employee with work email email
// (ignoring case) and whether there is one.
func (s *Server) EmployeeByEmail(email string) (Employee, bool) {
	s.mu.Lock()
	id, found := s.st.byEmail[fold(email)]
	s.mu.Unlock()
	if !found {
		return Employee{}, false
	}
	return s.Employee(id)
}

// Invitations returns the invitation emails TalentHR would have sent, in
// order: one per hire without prevent_email.
func (s *Server) Invitations() []Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Invitation(nil), s.st.invitations...)
}

// SeedCompany adds a small realistic company and returns the employee ids
// by role: ceo, eng_manager, engineer, sales_manager, sales_rep,
// future_hire (starts in two weeks), leaving (termination date in a
// month) and terminated (left in January 2025, hidden from the default
// directory). Lookups: departments Executive, Engineering, Sales; divisions
// Europe, North America; locations Athens, New York; the job titles of
// the roles; a custom field "T-shirt size" (slug tshirt-size).
func (s *Server) SeedCompany() map[string]string {
	dept := map[string]string{"exec": s.AddDepartment("Executive"), "eng": s.AddDepartment("Engineering"), "sales": s.AddDepartment("Sales")}
	eu, na := s.AddDivision("Europe"), s.AddDivision("North America")
	athens, ny := s.AddLocation("Athens", "Leoforos Kifisias 44, Athens"), s.AddLocation("New York", "350 5th Ave, New York")
	s.AddCustomField("T-shirt size", "tshirt-size")
	today := s.Now().UTC()
	ids := map[string]string{}
	add := func(role, first, last, title, d, div, loc, mgr string) {
		ids[role] = s.AddEmployee(Employee{
			FirstName: first, LastName: last, Email: fold(first[:1]+last) + "@acme.test",
			JobTitleID: s.titleID(title), DepartmentID: dept[d], DivisionID: div, LocationID: loc,
			ReportsToEmployeeID: ids[mgr], Profile: map[string]any{"work_phone": "+30 210 000 0000", "city": "Athens", "country": "Greece"},
		})
	}
	add("ceo", "Eleni", "Papadaki", "Chief Executive Officer", "exec", eu, athens, "")
	add("eng_manager", "Nikos", "Georgiou", "Engineering Manager", "eng", eu, athens, "ceo")
	add("engineer", "Maria", "Ioannou", "Software Engineer", "eng", eu, athens, "eng_manager")
	add("sales_manager", "James", "Carter", "Sales Manager", "sales", na, ny, "ceo")
	add("sales_rep", "Olivia", "Brooks", "Account Executive", "sales", na, ny, "sales_manager")
	add("future_hire", "Dimitris", "Nikolaou", "Software Engineer", "eng", eu, athens, "eng_manager")
	add("leaving", "Sophia", "Lee", "Account Executive", "sales", na, ny, "sales_manager")
	add("terminated", "Kostas", "Alexiou", "Software Engineer", "eng", eu, athens, "eng_manager")
	s.Edit(ids["future_hire"], func(e *Employee) { e.HireDate = today.AddDate(0, 0, 14).Format("2006-01-02") })
	s.Terminate(ids["leaving"], today.AddDate(0, 1, 0).Format("2006-01-02"), "Resignation")
	s.Terminate(ids["terminated"], "2025-01-15", "Resignation")
	s.SetCustomField(ids["engineer"], "tshirt-size", "M")
	return ids
}

// titleID returns the id of job title name, adding it when missing.
func (s *Server) titleID(name string) string {
	if id := s.LookupID(talenthr.JobTitles, name); id != "" {
		return id
	}
	return s.AddJobTitle(name)
}

package talentlmstest

import (
	"time"

	"github.com/rostersync/rostersync/talentlms"
)

// Company is what SeedCompany stored, by name.
type Company struct {
	Users    map[string]string // login → user id
	Branches map[string]string // name → branch id
	Courses  map[string]string // name → course id
	Fields   map[string]string // custom field name → custom_field_N
}

// SeedCompany fills the portal with a small realistic company: custom
// fields whose keys are not in name order (jobTitle custom_field_1,
// department custom_field_2 a dropdown, hireDate custom_field_4 a date,
// remote custom_field_5 a checkbox: custom_field_3 was deleted), two
// branches, three courses and eight users (one inactive) with enrolments
// at every stage of progress. Dates are written in the portal's current
// date format.
func (s *Server) SeedCompany() Company {
	co := Company{Users: map[string]string{}, Branches: map[string]string{}, Courses: map[string]string{}, Fields: map[string]string{}}
	for _, f := range []talentlms.CustomField{
		{Key: "custom_field_1", Name: "jobTitle", Type: talentlms.FieldText, VisibleOnReports: true},
		{Key: "custom_field_2", Name: "department", Type: talentlms.FieldDropdown,
			Options: []string{"Engineering", "Sales", "People", "Finance"}, DefaultOption: "Sales"},
		{Key: "custom_field_4", Name: "hireDate", Type: talentlms.FieldDate},
		{Key: "custom_field_5", Name: "remote", Type: talentlms.FieldCheckbox},
	} {
		co.Fields[f.Name] = s.AddCustomField(f)
	}
	for _, b := range []string{"Sales", "Engineering"} {
		co.Branches[b] = s.AddBranch(talentlms.Branch{Name: b, Description: b + " team"})
	}
	for _, c := range []talentlms.Course{
		{Name: "Security Awareness", Code: "SEC-101", Price: "$0.00", Units: []talentlms.Unit{{Type: "SCORM | xAPI | cmi5", Name: "Phishing"}}},
		{Name: "Onboarding & Culture", Code: "ONB-100", Price: "$0.00", Units: []talentlms.Unit{{Type: "Content", Name: "Welcome"}}},
		{Name: "Sales Playbook", Code: "SAL-200", Price: "$49.00"},
	} {
		co.Courses[c.Name] = s.AddCourse(c)
	}
	s.mu.Lock()
	df := s.st.df
	s.mu.Unlock()
	hired := func(y int, m time.Month, d int) string {
		return df.FormatDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	people := []struct {
		User
		dept, title, hire string
		branch            string
	}{
		{User{Login: "ana.lima", FirstName: "Ana", LastName: "Lima", Email: "ana.lima@northwind.example"}, "Sales", "Account Executive", hired(2021, 3, 1), "Sales"},
		{User{Login: "bo.chen", FirstName: "Bo", LastName: "Chen", Email: "bo.chen@northwind.example"}, "Engineering", "Software Engineer", hired(2020, 11, 16), "Engineering"},
		{User{Login: "zoe.nunez", FirstName: "Zoë", LastName: "Ñúñez-O'Brien", Email: "zoe.nunez@northwind.example"}, "Engineering", "Engineering Manager", hired(2019, 1, 7), "Engineering"},
		{User{Login: "kwame.mensah", FirstName: "Kwame", LastName: "Mensah", Email: "kwame.mensah@northwind.example"}, "Sales", "Sales Manager", hired(2018, 6, 4), "Sales"},
		{User{Login: "laura.rossi", FirstName: "Laura", LastName: "Rossi", Email: "laura.rossi@northwind.example"}, "People", "HR Partner", hired(2022, 9, 12), ""},
		{User{Login: "noor.haddad", FirstName: "Noor", LastName: "Haddad", Email: "noor.haddad@northwind.example"}, "Finance", "Controller", "", ""},
		{User{Login: "ed.silva", FirstName: "Ed", LastName: "Silva", Email: "ed.silva@northwind.example", Status: talentlms.Inactive}, "Sales", "Account Executive", hired(2017, 2, 20), "Sales"},
		{User{Login: "margaret.okonkwo", FirstName: "Margaret", LastName: "Okonkwo", Email: "margaret.okonkwo+lms@northwind.example"}, "Engineering", "Staff Engineer", hired(2016, 8, 29), "Engineering"},
	}
	for _, p := range people {
		u := p.User
		u.Custom = map[string]string{co.Fields["jobTitle"]: p.title, co.Fields["department"]: p.dept, co.Fields["remote"]: "off"}
		if p.hire != "" {
			u.Custom[co.Fields["hireDate"]] = p.hire
		}
		if p.branch != "" {
			u.Branches = []string{co.Branches[p.branch]}
		}
		co.Users[u.Login] = s.AddUser(u)
	}
	s.AddBranchCourse(co.Branches["Sales"], co.Courses["Sales Playbook"])
	now := s.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	sec, onb, sal := co.Courses["Security Awareness"], co.Courses["Onboarding & Culture"], co.Courses["Sales Playbook"]
	for _, login := range []string{"ana.lima", "bo.chen", "zoe.nunez", "kwame.mensah", "laura.rossi", "margaret.okonkwo"} {
		s.Enroll(co.Users[login], sec, Progress{EnrolledOn: now.Add(-30 * day)})
	}
	s.Enroll(co.Users["ana.lima"], sec, Progress{EnrolledOn: now.Add(-30 * day), Percent: 100, CompletedOn: now.Add(-20 * day), TotalTimeSeconds: 1260})
	s.Enroll(co.Users["bo.chen"], sec, Progress{EnrolledOn: now.Add(-30 * day), Percent: 40, TotalTimeSeconds: 197})
	s.Enroll(co.Users["ana.lima"], sal, Progress{EnrolledOn: now.Add(-10 * day), Percent: 10, TotalTimeSeconds: 300})
	s.Enroll(co.Users["kwame.mensah"], sal, Progress{EnrolledOn: now.Add(-10 * day), Role: "instructor"})
	s.Enroll(co.Users["laura.rossi"], onb, Progress{EnrolledOn: now.Add(-5 * day), Percent: 100, CompletedOn: now.Add(-4 * day), TotalTimeSeconds: 900})
	return co
}

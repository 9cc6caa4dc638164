package main

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// company is what the seed stored, for the -watch tour.
type company struct {
	emp    map[string]string // TalentHR employee ids by first name
	user   map[string]string // TalentLMS user ids by first name
	titles map[string]string // TalentHR job title ids
}

// email is a person's work email, the same in both systems.
func email(first string) string {
	return strings.ToLower(strings.NewReplacer("ë", "e").Replace(first)) + "@northwind.example"
}

// employee is one person of the fake TalentHR.
type employee struct {
	first, last, title, dept, div, loc, hire, birth, ssn, city, country, left string
	langs                                                                     []string
}

// staff is Northwind Robotics in TalentHR: five employed (Ana and Bo have
// TalentLMS users, the others not yet), Ed terminated with a user still
// active, Kostas terminated without one. SSNs and birth dates are fake;
// TalentHR keeps the SSN and never returns it.
var staff = []employee{
	{"Ana", "Lima", "Account Executive", "Sales", "North America", "New York", "2021-03-01", "1990-05-17", "123-45-6789", "New York", "United States", "", []string{"English"}},
	{"Bo", "Chen", "Software Engineer", "Engineering", "Europe", "Athens", "2020-11-16", "1988-02-29", "987-65-4321", "Athens", "Greece", "", []string{"English", "Greek"}},
	{"Zoë", "Ñúñez-O'Brien", "Engineering Manager", "Engineering", "Europe", "Athens", "2019-01-07", "1985-12-01", "555-12-3456", "Athens", "Greece", "", nil},
	{"Kwame", "Mensah", "Sales Manager", "Sales", "North America", "New York", "2018-06-04", "1983-08-19", "", "New York", "United States", "", []string{"English"}},
	{"Nia", "Okafor", "Designer", "People", "Europe", "Athens", "2024-05-06", "", "", "Athens", "Greece", "", []string{"English"}},
	{"Ed", "Silva", "Account Executive", "Sales", "North America", "New York", "2017-02-20", "1979-07-04", "", "New York", "United States", "2025-01-15", nil},
	{"Kostas", "Alexiou", "Software Engineer", "Engineering", "Europe", "Athens", "2016-08-29", "", "", "Athens", "Greece", "2025-06-30", nil},
}

// seedHR stores the staff and TalentHR's lookups.
func seedHR(hr *talenthrtest.Server, co *company) {
	lang := map[string]string{}
	for _, l := range hr.Lookups(talenthr.Languages) {
		lang[l.Name] = l.ID
	}
	ids := map[string]string{}
	for _, d := range []string{"Engineering", "Sales", "People"} {
		ids[d] = hr.AddDepartment(d)
	}
	for _, d := range []string{"Europe", "North America"} {
		ids[d] = hr.AddDivision(d)
	}
	ids["Athens"], ids["New York"] = hr.AddLocation("Athens", "Leoforos Kifisias 44"), hr.AddLocation("New York", "350 5th Ave")
	for _, p := range staff {
		if co.titles[p.title] == "" {
			co.titles[p.title] = hr.AddJobTitle(p.title)
		}
		profile := map[string]any{"city": p.city, "country": p.country}
		if p.birth != "" {
			profile["birth_date"] = p.birth
		}
		if p.ssn != "" {
			profile["ssn"] = p.ssn
		}
		var langs []any
		for _, l := range p.langs {
			langs = append(langs, json.Number(lang[l]))
		}
		if langs != nil {
			profile["hr_languages"] = langs
		}
		co.emp[p.first] = hr.AddEmployee(talenthrtest.Employee{FirstName: p.first, LastName: p.last, Email: email(p.first),
			HireDate: p.hire, TerminationDate: p.left, JobTitleID: co.titles[p.title], DepartmentID: ids[p.dept],
			DivisionID: ids[p.div], LocationID: ids[p.loc], Profile: profile})
	}
}

// learner is one user of the fake TalentLMS.
type learner struct {
	first, last, email, branch string
	inactive                   bool
	custom                     map[string]string // by field name
	created                    time.Time
}

// seedLMS stores the portal: custom fields of the same name and type as
// TalentHR's (hireDate, dateOfBirth, ssn, jobTitle, city, country,
// division), one of another type (department, a dropdown) and none named
// location; two branches; three courses; six users (Bo's email in capitals,
// Lena and Omar not in TalentHR, Omar without a hire date, Ivy inactive)
// and their progress.
func seedLMS(lms *talentlmstest.Server, co *company, now time.Time) {
	fields := map[string]string{}
	for _, f := range []talentlms.CustomField{
		{Name: "hireDate", Type: talentlms.FieldDate}, {Name: "dateOfBirth", Type: talentlms.FieldDate},
		{Name: "ssn", Type: talentlms.FieldText}, {Name: "jobTitle", Type: talentlms.FieldText},
		{Name: "department", Type: talentlms.FieldDropdown, Options: []string{"Engineering", "Sales", "People"}},
		{Name: "city", Type: talentlms.FieldText}, {Name: "country", Type: talentlms.FieldText},
		{Name: "division", Type: talentlms.FieldText},
	} {
		fields[f.Name] = lms.AddCustomField(f)
	}
	branch := map[string]string{"Sales": lms.AddBranch(talentlms.Branch{Name: "Sales"}),
		"Engineering": lms.AddBranch(talentlms.Branch{Name: "Engineering"})}
	for _, u := range []learner{
		{"Ana", "Lima", email("Ana"), "Sales", false, map[string]string{"jobTitle": "Sales Rep", "department": "Sales"}, now.AddDate(-4, 0, 0)},
		{"Bo", "Chen", strings.ToUpper(email("Bo")), "Engineering", false, nil, now.AddDate(-5, 0, 0)},
		{"Ed", "Silva", email("Ed"), "Sales", false, nil, now.AddDate(-8, 0, 0)},
		{"Lena", "Park", email("Lena"), "Engineering", false, map[string]string{"hireDate": "04/09/2023", "dateOfBirth": "23/04/1995",
			"ssn": "321-54-9876", "jobTitle": "Designer", "city": "Berlin", "country": "Germany", "department": "People"}, now.AddDate(-2, 0, 0)},
		{"Omar", "Haddad", email("Omar"), "Sales", false, nil, time.Date(2025, 11, 3, 8, 0, 0, 0, time.UTC)},
		{"Ivy", "Quinn", email("Ivy"), "", true, nil, now.AddDate(-1, 0, 0)},
	} {
		seed := talentlmstest.User{Login: strings.ToLower(u.first), FirstName: u.first, LastName: u.last, Email: u.email,
			Custom: map[string]string{}, CreatedOn: u.created}
		for name, v := range u.custom {
			seed.Custom[fields[name]] = v
		}
		if u.inactive {
			seed.Status = talentlms.Inactive
		}
		if u.branch != "" {
			seed.Branches = []string{branch[u.branch]}
		}
		co.user[u.first] = lms.AddUser(seed)
	}
	course := map[string]string{}
	for _, c := range []talentlms.Course{{Name: "Security Awareness", Code: "SEC-101"}, {Name: "Onboarding", Code: "ONB-100"},
		{Name: "Sales Playbook", Code: "SAL-200"}} {
		course[c.Code] = lms.AddCourse(c)
	}
	day := 24 * time.Hour
	lms.Enroll(co.user["Ana"], course["SEC-101"], talentlmstest.Progress{Percent: 100, EnrolledOn: now.Add(-60 * day),
		CompletedOn: now.Add(-30 * day), TotalTimeSeconds: 1260})
	lms.Enroll(co.user["Bo"], course["SEC-101"], talentlmstest.Progress{Percent: 40, EnrolledOn: now.Add(-60 * day), TotalTimeSeconds: 300})
	lms.Enroll(co.user["Lena"], course["ONB-100"], talentlmstest.Progress{Percent: 10, EnrolledOn: now.Add(-7 * day), TotalTimeSeconds: 60})
	lms.Enroll(co.user["Omar"], course["SAL-200"], talentlmstest.Progress{EnrolledOn: now.Add(-2 * day)})
}

// seedTraining is the TalentHR side's training, which TalentHR's API
// cannot hold: Bo finished Security Awareness elsewhere (TalentLMS says
// 40%: the completion wins), and Zoë is to take Onboarding.
func seedTraining(tr *talenthr.MemoryTraining, co *company, now time.Time) {
	ctx := context.Background()
	sec, _ := tr.PutCourse(ctx, talenthr.Course{Name: "Security Awareness", Code: "SEC-101"})
	onb, _ := tr.PutCourse(ctx, talenthr.Course{Name: "Onboarding", Code: "ONB-100"})
	_ = tr.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: co.emp["Bo"], CourseID: sec.ID, Role: "learner",
		Status: talenthr.Completed, Percent: 100, CompletedOn: now.AddDate(0, 0, -3).Truncate(24 * time.Hour)})
	_ = tr.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: co.emp["Zoë"], CourseID: onb.ID, Role: "learner",
		Status: talenthr.NotAttempted})
}

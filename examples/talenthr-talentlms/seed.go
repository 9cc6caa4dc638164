package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"text/template"
	"time"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// company.json is Northwind Robotics in both systems (its "about" says
// what the job must handle), in the fakes' own seed types, with names for
// ids; its times are template actions relative to now.
//
//go:embed company.json
var companyJSON string

// data is company.json read.
type data struct {
	Lookups []struct {
		Kind talenthr.LookupKind
		talenthrtest.Lookup
	}
	Staff []struct {
		talenthrtest.Employee
		Title, Department, Division, Location string
		Languages                             []string
	}
	Fields   []talentlms.CustomField
	Branches []string
	Users    []struct {
		talentlmstest.User
		Branch string
		Fields map[string]string // by name
	}
	Courses  []talentlms.Course
	Progress []struct {
		User, Course string // first name, code
		talentlmstest.Progress
	}
	TrainingCourses []talenthr.Course
	Training        []struct {
		Employee, Course string // first name, code
		talenthr.Enrollment
	}
}

// readCompany reads company.json with its times from now (in the binary:
// an error is a bug in it).
func readCompany(now time.Time) data {
	var b bytes.Buffer
	var d data
	t := template.Must(template.New("company.json").Funcs(template.FuncMap{
		"ago":      func(y, d int) string { return now.AddDate(-y, 0, -d).Format(time.RFC3339) },
		"midnight": func(d int) string { return now.AddDate(0, 0, -d).Truncate(24 * time.Hour).Format(time.RFC3339) },
	}).Parse(companyJSON))
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	if err := t.Execute(&b, nil); err != nil || dec.Decode(&d) != nil {
		panic("company.json is not valid")
	}
	return d
}

// company is what the seed stored: TalentHR employee and TalentLMS user
// ids by first name.
type company struct{ emp, user map[string]string }

// seed stores Northwind in the fakes, and its training in tr (nil: none).
func seed(hr *talenthrtest.Server, lms *talentlmstest.Server, tr *talenthr.MemoryTraining, now time.Time) *company {
	d, co := readCompany(now), &company{emp: map[string]string{}, user: map[string]string{}}
	for _, l := range d.Lookups {
		hr.AddLookup(l.Kind, l.Lookup)
	}
	for _, p := range d.Staff {
		e := p.Employee
		e.JobTitleID, e.DepartmentID = hr.LookupID(talenthr.JobTitles, p.Title), hr.LookupID(talenthr.Departments, p.Department)
		e.DivisionID, e.LocationID = hr.LookupID(talenthr.Divisions, p.Division), hr.LookupID(talenthr.Locations, p.Location)
		for _, l := range p.Languages {
			langs, _ := e.Profile["hr_languages"].([]any)
			e.Profile["hr_languages"] = append(langs, json.Number(hr.LookupID(talenthr.Languages, l)))
		}
		co.emp[e.FirstName] = hr.AddEmployee(e)
	}
	fields, ids := map[string]string{}, map[string]string{}
	for _, f := range d.Fields {
		fields[f.Name] = lms.AddCustomField(f)
	}
	for _, b := range d.Branches {
		ids[b] = lms.AddBranch(talentlms.Branch{Name: b})
	}
	for _, u := range d.Users {
		u.Custom = map[string]string{}
		for name, v := range u.Fields {
			u.Custom[fields[name]] = v
		}
		if u.Branch != "" {
			u.Branches = []string{ids[u.Branch]}
		}
		co.user[u.FirstName] = lms.AddUser(u.User)
	}
	for _, c := range d.Courses {
		ids[c.Code] = lms.AddCourse(c)
	}
	for _, p := range d.Progress {
		lms.Enroll(co.user[p.User], ids[p.Course], p.Progress)
	}
	for _, c := range d.TrainingCourses {
		if tr != nil {
			kept, _ := tr.PutCourse(context.Background(), c)
			ids["training:"+c.Code] = kept.ID
		}
	}
	for _, e := range d.Training {
		if tr != nil {
			e.EmployeeID, e.CourseID = co.emp[e.Employee], ids["training:"+e.Course]
			_ = tr.PutEnrollment(context.Background(), e.Enrollment)
		}
	}
	return co
}

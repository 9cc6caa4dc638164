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
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// company.json is Northwind Robotics in both systems, as the fakes' seed
// fixtures, and the TalentHR side's training; its "about" says what the
// job must handle. Its times are template actions, from now.
//
//go:embed company.json
var companyJSON string

type data struct {
	TalentHR  talenthrtest.Fixture
	TalentLMS talentlmstest.Portal
	Training  struct {
		Courses     []talenthr.Course
		Enrollments []struct {
			Employee string // email
			talenthr.Enrollment
		}
	}
}

// readCompany reads company.json, with its times from now (in the
// binary: an error is a bug in it).
func readCompany(now time.Time) data {
	var b bytes.Buffer
	var d data
	t := template.Must(template.New("company.json").Funcs(template.FuncMap{
		"ago":      func(y, d int) string { return now.AddDate(-y, 0, -d).Format(time.RFC3339) },
		"midnight": func(d int) string { return now.AddDate(0, 0, -d).Truncate(24 * time.Hour).Format(time.RFC3339) },
	}).Parse(companyJSON))
	if err := t.Execute(&b, nil); err != nil || json.Unmarshal(b.Bytes(), &d) != nil {
		panic("company.json is not valid")
	}
	return d
}

// seed stores Northwind in the fakes, and returns the TalentHR employee
// ids by email, the TalentLMS user ids by login and the TalentHR side's
// training.
func seed(hr *talenthrtest.Server, lms *talentlmstest.Server, now time.Time) (emp, user map[string]string, tr *talenthr.MemoryTraining) {
	d := readCompany(now)
	emp, user, tr = hr.Seed(d.TalentHR), lms.Seed(d.TalentLMS).Users, talenthr.NewMemoryTraining()
	for _, c := range d.Training.Courses {
		_, _ = tr.PutCourse(context.Background(), c)
	}
	for _, e := range d.Training.Enrollments {
		e.EmployeeID = emp[e.Employee]
		_ = tr.PutEnrollment(context.Background(), e.Enrollment)
	}
	return emp, user, tr
}

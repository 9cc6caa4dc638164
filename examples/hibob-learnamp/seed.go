package main

import (
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// company.csv is the demo company (key names a row for the tour; manager
// is another row's key; start and termination are dates, or days from
// today such as +14 and -45), with what the job must handle: a child
// department (Platform and Data, under Engineering), three sites, a
// leaver, a future leaver and a future starter.
//
//go:embed company.csv
var companyCSV string

// departments.csv is the department list, a parent before its children.
//
//go:embed departments.csv
var departmentsCSV string

// seedHiBob adds the departments, the cast and staff up to n employees
// (in Customer Success), and returns the keyed IDs and who may leave
// (-fake-leavers): people with a Learn Amp user after the first sync who
// take no part in the tour.
func seedHiBob(hr *hibobtest.Server, n int, today time.Time) (ids map[string]string, stayers []string) {
	ids = map[string]string{}
	parents := map[string]string{}
	for _, d := range runner.CSVRows("departments.csv", departmentsCSV) {
		parents[d["name"]] = hr.AddDepartment(d["name"], parents[d["parent"]])
	}
	cast := runner.CSVRows("company.csv", companyCSV)
	for i := range n {
		p := map[string]string{"key": "", "manager": "cs", "firstName": "Staff", "surname": fmt.Sprintf("Member %04d", i),
			"email": fmt.Sprintf("staff%04d@fjord.example", i), "title": "Support Specialist", "department": "Customer Success",
			"site": []string{"London", "New York", "Berlin"}[i%3], "start": "2024-01-08"}
		if i < len(cast) {
			p = cast[i]
		}
		id := hr.AddEmployee(hibobtest.Employee{FirstName: p["firstName"], Surname: p["surname"], Email: p["email"],
			Title: p["title"], Department: p["department"], Site: p["site"], StartDate: runner.FixtureDate(p["start"], today),
			TerminationDate: runner.FixtureDate(p["termination"], today), ManagerID: ids[p["manager"]]})
		ids[p["key"]] = id // "" for the staff: unused (only the CEO has no manager)
		if p["termination"] == "" && !strings.HasPrefix(p["start"], "+") && !strings.Contains(" lukas daniel ", " "+p["key"]+" ") {
			stayers = append(stayers, id)
		}
	}
	return ids, stayers
}

// seedLearnAmp adds what the company's Learn Amp holds before the first
// sync: Chloé's account, made by hand with her email in another case
// (the sync adopts it), and a contractor in a team of their own (the sync
// never touches either: no HiBob counterpart).
func seedLearnAmp(lms *learnamptest.Server) {
	lms.AddUser(learnamptest.User{Email: "Chloe.Martin@Fjord.example", FirstName: "Chloe", LastName: "Martin"})
	team := lms.AddTeam(learnamptest.Team{Name: "Contractors"})
	lms.AddUser(learnamptest.User{Email: "sam.taylor@agency.example", FirstName: "Sam", LastName: "Taylor",
		JobTitle: "Contract Designer", PrimaryTeamID: team})
}

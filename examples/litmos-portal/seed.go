package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// seedTeams are the fake Litmos's teams: Sales shares its name with a
// group the portal has of its own; Platform is a sub-team of Engineering.
var seedTeams = []struct{ name, parent string }{
	{"Sales", ""}, {"Engineering", ""}, {"Platform", "Engineering"}, {"Support", ""}, {"Finance", ""},
}

// seedCourses are the fake Litmos's courses; the last one is inactive.
var seedCourses = []litmos.Course{
	{Code: "PHISH-101", Name: "Spotting Phishing", Active: true},
	{Code: "PASS-101", Name: "Password Hygiene", Active: true},
	{Code: "SOC-201", Name: "Social Engineering", Active: true},
	{Code: "AWR-2019", Name: "Security Awareness 2019", Active: false},
}

// seedUsers are the fake Litmos's users, with the cases the job handles:
// one without an email, one with an address that is not valid, one in no
// team, one deactivated, one in a team and its sub-team.
var seedUsers = []struct {
	first, last, email, title string
	active                    bool
	teams                     []string
}{
	{"Ana", "Lima", "ana.lima@northwind.example", "Account Executive", true, []string{"Sales"}},
	{"Bo", "Chen", "bo.chen@northwind.example", "Staff Engineer", true, []string{"Engineering", "Platform"}},
	{"Chloé", "Lefèvre", "chloe.lefevre@northwind.example", "Site Reliability Engineer", true, []string{"Platform"}},
	{"Diego", "Hernández", "diego.hernandez@northwind.example", "Support Lead", true, []string{"Support"}},
	{"Ed", "Silva", "ed.silva@northwind.example", "Support Agent", false, []string{"Support"}},
	{"Fatima", "Zahra", "fatima.zahra@northwind.example", "Controller", true, []string{"Finance"}},
	{"Kim", "Lee", "kim.lee@northwind.example", "Contractor", true, nil},
	{"Noor", "Haddad", "", "Sales Intern", true, []string{"Sales"}},
	{"Sam", "Ortiz", "sam@localhost", "Support Agent", true, []string{"Support"}},
}

// seedLitmos fills srv with Northwind Robotics, padded to teams teams
// ("Region 0001", … after the cast), and returns how many users it has.
func seedLitmos(srv *litmostest.Server, teams int) int {
	ids := map[string]string{}
	for _, t := range seedTeams {
		ids[t.name] = srv.AddTeam(litmos.Team{Name: t.name, ParentTeamID: ids[t.parent]}).ID
	}
	for i := len(seedTeams); i < teams; i++ {
		srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Region %04d", i-len(seedTeams)+1)})
	}
	courses := make([]string, len(seedCourses))
	for i, c := range seedCourses {
		courses[i] = srv.AddCourse(c).ID
	}
	for i, p := range seedUsers {
		u := srv.AddUser(litmos.User{UserName: fmt.Sprintf("nw%03d", i+1), IsCustomUsername: true, FirstName: p.first, LastName: p.last,
			Email: p.email, JobTitle: p.title, Active: p.active, CompanyName: "Northwind Robotics", Culture: "en-US",
			TimeZone: "Pacific Standard Time", PhoneWork: fmt.Sprintf("+1 555 010 %04d", i+1)})
		for _, t := range p.teams {
			srv.AddTeamMember(ids[t], u.ID)
		}
		if i == 0 { // Ana is halfway through phishing training
			srv.SetProgress(u.ID, litmos.UserCourse{ID: courses[0], PercentageComplete: 50})
		}
	}
	return len(seedUsers)
}

// seedPortal gives a new portal what it had before Litmos: a Sales group
// (a Litmos team of that name takes it over), a Facilities group (no team
// has its name: never touched) and its admin, who never came from Litmos.
func seedPortal(ctx context.Context, db *sql.DB) error {
	for _, q := range []string{
		`INSERT INTO users (integration_id, email, first_name, last_name, active) VALUES ('portal-admin', 'ida.admin@northwind.example', 'Ida', 'Admin', 1)`,
		`INSERT INTO groups (name, auto_sync) VALUES ('Sales', 1), ('Facilities', 1)`,
		`INSERT INTO group_members (group_name, email) VALUES ('Sales', 'ida.admin@northwind.example'), ('Facilities', 'ida.admin@northwind.example')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seed the portal: %w", err)
		}
	}
	return nil
}

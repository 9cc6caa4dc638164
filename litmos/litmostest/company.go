package litmostest

import (
	"encoding/json"
	"fmt"

	"github.com/rostersync/rostersync/litmos"
)

// Company is an account to seed a fake with, as data (a JSON file a test
// or an example embeds): teams, their parents named by name; courses; and
// users, each with the names of their teams and their progress by course
// code. Seed adds it in that order, so the fake's ids are the same on
// every run.
type Company struct {
	Teams   []CompanyTeam   `json:"teams"`
	Courses []litmos.Course `json:"courses"`
	Users   []CompanyUser   `json:"users"`
}

// CompanyTeam is a team of a Company; Parent names its parent team.
type CompanyTeam struct {
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
}

// CompanyUser is a user of a Company, in the teams named, with progress
// (percent complete) in the courses of these codes.
type CompanyUser struct {
	User     litmos.User        `json:"user"`
	Teams    []string           `json:"teams,omitempty"`
	Progress map[string]float64 `json:"progress,omitempty"`
}

// LoadCompany reads a Company from its JSON.
func LoadCompany(b []byte) (*Company, error) {
	var c Company
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("litmostest: company: %w", err)
	}
	return &c, nil
}

// Seed adds c to the fake: the teams, the courses, then the users with
// their memberships and progress (AddTeam, AddCourse, AddUser,
// AddTeamMember, SetProgress). A team, parent or course code that c does
// not define fails the test.
func (s *Server) Seed(c *Company) {
	teams, courses := map[string]string{}, map[string]string{}
	lookup := func(m map[string]string, what, name string) string {
		if m[name] == "" {
			s.fail("Seed: no %s %q", what, name)
		}
		return m[name]
	}
	for _, t := range c.Teams {
		parent := ""
		if t.Parent != "" {
			parent = lookup(teams, "team", t.Parent)
		}
		teams[t.Name] = s.AddTeam(litmos.Team{Name: t.Name, ParentTeamID: parent}).ID
	}
	for _, cr := range c.Courses {
		courses[cr.Code] = s.AddCourse(cr).ID
	}
	for _, cu := range c.Users {
		u := s.AddUser(cu.User)
		for _, t := range cu.Teams {
			s.AddTeamMember(lookup(teams, "team", t), u.ID)
		}
		for code, pct := range cu.Progress {
			s.SetProgress(u.ID, litmos.UserCourse{ID: lookup(courses, "course", code), PercentageComplete: pct})
		}
	}
}

package litmostest_test

import (
	"testing"

	"github.com/rostersync/rostersync/litmos/litmostest"
)

// A company loaded from JSON seeds the fake: teams with their parents,
// courses, users in their teams with their progress.
func TestSeedCompany(t *testing.T) {
	c, err := litmostest.LoadCompany([]byte(`{
		"teams": [{"name": "Kitchen"}, {"name": "Pastry", "parent": "Kitchen"}],
		"courses": [{"Code": "HACCP", "Name": "Food Safety", "Active": true}],
		"users": [{"user": {"UserName": "ana", "FirstName": "Ana", "Email": "ana@example.com", "Active": true},
			"teams": ["Pastry"], "progress": {"HACCP": 40}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv := litmostest.NewServer(t)
	srv.Seed(c)
	teams, courses, users := srv.Teams(), srv.Courses(), srv.Users()
	if len(teams) != 2 || teams[1].Name != "Pastry" || teams[1].ParentTeamID != teams[0].ID {
		t.Errorf("teams = %+v", teams)
	}
	if len(courses) != 1 || courses[0].Code != "HACCP" || !courses[0].Active {
		t.Errorf("courses = %+v", courses)
	}
	if len(users) != 1 || users[0].FirstName != "Ana" || users[0].Email != "ana@example.com" {
		t.Fatalf("users = %+v", users)
	}
	if got := srv.UserTeams(users[0].ID); len(got) != 1 || got[0] != teams[1].ID {
		t.Errorf("Ana's teams = %v", got)
	}
	if got := srv.Assignments(users[0].ID); len(got) != 1 || got[0].ID != courses[0].ID || got[0].PercentageComplete != 40 {
		t.Errorf("Ana's courses = %+v", got)
	}
	if _, err := litmostest.LoadCompany([]byte(`{"teams": 1}`)); err == nil {
		t.Error("LoadCompany took a bad file")
	}
}

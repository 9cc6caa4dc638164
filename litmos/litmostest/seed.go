package litmostest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rostersync/rostersync/litmos"
)

// fail reports a misuse of a seed helper.
func (s *Server) fail(format string, args ...any) {
	msg := fmt.Sprintf("litmostest: "+format, args...)
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatal(msg)
	}
	panic(msg)
}

// nullableUserFields are the user fields Litmos sends as null, not "",
// when they were never set (Skype, Street1, SalesforceId… in recorded
// traffic, https://github.com/charliequinn/python-litmos-api).
var nullableUserFields = []string{"Skype", "PhoneWork", "PhoneMobile", "SalesforceId", "Street1", "Street2",
	"City", "State", "PostalCode", "Country", "CompanyName", "JobTitle",
	"CustomField1", "CustomField2", "CustomField3", "CustomField4", "CustomField5",
	"CustomField6", "CustomField7", "CustomField8", "CustomField9", "CustomField10",
	"SalesforceContactId", "SalesforceAccountId"}

// withNulls returns u as Litmos would store a user created with it: the
// empty nullable fields are null, and a client reading u sees null there.
func withNulls(u litmos.User) litmos.User {
	b, err := json.Marshal(u)
	if err != nil {
		return u
	}
	for _, f := range nullableUserFields {
		b = bytes.Replace(b, []byte(`"`+f+`":""`), []byte(`"`+f+`":null`), 1)
	}
	var out litmos.User
	if json.Unmarshal(b, &out) != nil {
		return u
	}
	return out
}

// AddUser stores u as if created through the API (Id, OriginalId,
// CreatedDate, FullName, LoginKey and defaults filled in, empty nullable
// fields null, as Litmos sends them) and returns it. A taken username
// fails the test.
func (s *Server) AddUser(u litmos.User) litmos.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.userByName[nameKey(u.UserName)] != nil {
		s.fail("AddUser: username %q is taken", u.UserName)
	}
	s.st.fillNewUser(&u, s.Now())
	u = withNulls(u)
	stored := u
	s.st.addUser(&stored)
	return userCopy(&stored)
}

// Users returns every user, in creation order.
func (s *Server) Users() []litmos.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return userCopies(s.st.users)
}

// User returns the user id.
func (s *Server) User(id string) (litmos.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByID[id]; u != nil {
		return userCopy(u), true
	}
	return litmos.User{}, false
}

// UserByUsername returns the user whose username equals name, ignoring case.
func (s *Server) UserByUsername(name string) (litmos.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByName[nameKey(name)]; u != nil {
		return userCopy(u), true
	}
	return litmos.User{}, false
}

// AddTeam stores t (a sub-team when ParentTeamID is set) and returns it
// with its Id. Give it a TeamCodeForBulkImport to import users into it
// with /bulkimports (Team1…Team5).
func (s *Server) AddTeam(t litmos.Team) litmos.Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.ParentTeamID != "" && s.st.teamByID[t.ParentTeamID] == nil {
		s.fail("AddTeam: parent team %q does not exist", t.ParentTeamID)
	}
	t.ID, _ = s.st.newID()
	stored := t
	s.st.addTeam(&stored)
	return t
}

// RenameTeam renames team id, as an administrator does in Litmos (the API
// has no team update). An unknown team or a taken name fails the test.
func (s *Server) RenameTeam(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.teamByID[id]
	switch {
	case t == nil:
		s.fail("RenameTeam: team %q does not exist", id)
		return
	case s.st.teamByName[nameKey(name)] != nil && s.st.teamByName[nameKey(name)] != t:
		s.fail("RenameTeam: team name %q is taken", name)
		return
	}
	delete(s.st.teamByName, nameKey(t.Name))
	t.Name = name
	s.st.teamByName[nameKey(name)] = t
}

// Teams returns every team, in creation order.
func (s *Server) Teams() []litmos.Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copies(s.st.teams)
}

// TeamMembers returns the ids of team id's members (inactive ones included), in add order.
func (s *Server) TeamMembers(teamID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.members[teamID])
}

// UserTeams returns the ids of the teams a user is in, in the order joined.
func (s *Server) UserTeams(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.userTeams[userID])
}

// AddTeamMember puts a user in a team, as seed data.
func (s *Server) AddTeamMember(teamID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.teamByID[teamID] == nil || s.st.userByID[userID] == nil {
		s.fail("AddTeamMember: team %q or user %q does not exist", teamID, userID)
	}
	s.st.addMember(teamID, userID)
}

// AddCourse stores c and returns it with its Id and OriginalId. Give it a
// CourseCodeForBulkImport to assign it with /bulkimports (Course1…Course3).
func (s *Server) AddCourse(c litmos.Course) litmos.Course {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID, c.OriginalID = s.st.newID()
	stored := c
	s.st.addCourse(&stored)
	return c
}

// Courses returns every course, in creation order.
func (s *Server) Courses() []litmos.Course {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copies(s.st.courses)
}

// SetProgress stores progress for a course assigned to (or now assigned to)
// a user: uc.ID names the course; the course's Code, Name and OriginalId are
// filled in.
func (s *Server) SetProgress(userID string, uc litmos.UserCourse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.courseByID[uc.ID]
	if c == nil || s.st.userByID[userID] == nil {
		s.fail("SetProgress: user %q or course %q does not exist", userID, uc.ID)
		return
	}
	uc.Code, uc.Name, uc.OriginalID = c.Code, c.Name, c.OriginalID
	if uc.AssignedDate.IsZero() {
		uc.AssignedDate = litmos.NewTime(s.Now().UTC().Truncate(1e6))
	}
	s.st.assign(userID, &uc)
}

// SetDueDate sets the due date of a course assigned to a user, which only
// the course roster (GET /courses/{id}/users) shows, as in Litmos; an
// unassigned course fails the test.
func (s *Server) SetDueDate(userID, courseID string, due time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.assignment[userID][courseID] == nil {
		s.fail("SetDueDate: course %q is not assigned to user %q", courseID, userID)
		return
	}
	if s.st.dueDate[courseID] == nil {
		s.st.dueDate[courseID] = map[string]litmos.Time{}
	}
	s.st.dueDate[courseID][userID] = litmos.NewTime(due)
}

// Assignments returns the courses assigned to a user, with progress.
func (s *Server) Assignments(userID string) []litmos.UserCourse {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copies(s.st.assigned[userID])
}

// Messages returns the emails Litmos would have sent, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.messages)
}

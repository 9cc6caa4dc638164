package learnamptest

import (
	"slices"
	"strings"

	"github.com/rostersync/rostersync/learnamp"
)

// AddUser stores u as seed data (no invitation is sent) and returns its
// new id. Empty TimeZone, Language, Role and Status take "London", "en",
// "viewer" and StatusConfirmed; CreatedAt and UpdatedAt default to now.
// Its teams, manager and custom fields must exist; a taken email or
// integrationExternalId fails the test.
func (s *Server) AddUser(u User) string {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case u.Email == "" || u.FirstName == "" || u.LastName == "":
		s.fail("AddUser: email, first and last name are required")
	case s.st.userByEmail(u.Email) != nil:
		s.fail("AddUser: email %q is taken", u.Email)
	case u.IntegrationExternalID != "" && s.st.userByExt(u.IntegrationExternalID) != nil:
		s.fail("AddUser: integrationExternalId %q is taken", u.IntegrationExternalID)
	case u.ManagerID != "" && s.st.users[u.ManagerID] == nil:
		s.fail("AddUser: manager %q does not exist", u.ManagerID)
	}
	for _, t := range append([]string{u.PrimaryTeamID}, u.SecondaryTeamIDs...) {
		if t != "" && s.st.teams[t] == nil {
			s.fail("AddUser: team %q does not exist", t)
		}
	}
	for name := range u.CustomFields {
		if _, ok := s.st.customField[name]; !ok {
			s.fail("AddUser: custom field %q does not exist (AddCustomField)", name)
		}
	}
	rec := &userRec{User: u, since: now}
	defaults(&rec.TimeZone, "London")
	defaults(&rec.Language, "en")
	defaults(&rec.Role, "viewer")
	if rec.Status == "" {
		rec.Status = learnamp.StatusConfirmed
	}
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = now
	}
	if rec.UpdatedAt.IsZero() {
		rec.UpdatedAt = rec.CreatedAt
	}
	if rec.Status == learnamp.StatusDeactivated && rec.DeactivatedAt.IsZero() {
		rec.DeactivatedAt = now
	}
	rec.CustomFields = map[string]string{}
	for k, v := range u.CustomFields {
		rec.CustomFields[k] = v
	}
	rec.ID = s.st.newUserID()
	s.st.insertUser(rec)
	if u.PrimaryTeamID != "" {
		s.st.setPrimary(rec, u.PrimaryTeamID, false)
	}
	for _, t := range u.SecondaryTeamIDs {
		s.st.join(rec, t)
	}
	return rec.ID
}

func defaults(s *string, def string) {
	if *s == "" {
		*s = def
	}
}

// AddTeam stores t as seed data and returns its new id. Its parent and
// managers must exist; a taken integrationExternalId fails the test.
func (s *Server) AddTeam(t Team) string {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case strings.TrimSpace(t.Name) == "":
		s.fail("AddTeam: name is required")
	case t.IntegrationExternalID != "" && s.st.teamByExt(t.IntegrationExternalID) != nil:
		s.fail("AddTeam: integrationExternalId %q is taken", t.IntegrationExternalID)
	case t.ParentTeamID != "" && s.st.teams[t.ParentTeamID] == nil:
		s.fail("AddTeam: parent team %q does not exist", t.ParentTeamID)
	case t.ManagerID != "" && s.st.users[t.ManagerID] == nil:
		s.fail("AddTeam: manager %q does not exist", t.ManagerID)
	}
	rec := t.view()
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = now
	}
	if rec.UpdatedAt.IsZero() {
		rec.UpdatedAt = rec.CreatedAt
	}
	rec.ID = s.st.newTeamID()
	s.st.insertTeam(&rec)
	return rec.ID
}

// AddTeamUser puts a user in a team as seed data (primary makes it the
// user's primary team).
func (s *Server) AddTeamUser(teamID, userID string, primary bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[userID]
	if s.st.teams[teamID] == nil || u == nil {
		s.fail("AddTeamUser: team %q or user %q does not exist", teamID, userID)
	}
	s.st.join(u, teamID)
	if primary {
		s.st.setPrimary(u, teamID, true)
	}
}

// AddCustomField defines a custom field by its display name; with
// required, clearing it answers 400 (presence validation).
func (s *Server) AddCustomField(name string, required bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.customField[name] = required
}

// AddOccupationRole defines a skills-matrix role users may be given by name.
func (s *Server) AddOccupationRole(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.occupations[name] = true
}

// Users returns every user, in id order.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, len(s.st.userOrder))
	for i, id := range s.st.userOrder {
		out[i] = s.st.users[id].view()
	}
	return out
}

// User returns the user with Learn Amp id id.
func (s *Server) User(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return viewUser(s.st.users[id])
}

// UserByExternalID returns the user whose integrationExternalId is ext.
func (s *Server) UserByExternalID(ext string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return viewUser(s.st.userByExt(ext))
}

// UserByEmail returns the user with this email, ignoring case.
func (s *Server) UserByEmail(email string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return viewUser(s.st.userByEmail(email))
}

func viewUser(u *userRec) (User, bool) {
	if u == nil {
		return User{}, false
	}
	return u.view(), true
}

// Teams returns every team, in id order.
func (s *Server) Teams() []Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Team, len(s.st.teamOrder))
	for i, id := range s.st.teamOrder {
		out[i] = s.st.teams[id].view()
	}
	return out
}

// Team returns the team with Learn Amp id id.
func (s *Server) Team(id string) (Team, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.st.teams[id]; t != nil {
		return t.view(), true
	}
	return Team{}, false
}

// TeamByExternalID returns the team whose integrationExternalId is ext.
func (s *Server) TeamByExternalID(ext string) (Team, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.st.teamByExt(ext); t != nil {
		return t.view(), true
	}
	return Team{}, false
}

// TeamUsers returns the ids of a team's users, in id order.
func (s *Server) TeamUsers(teamID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, u := range s.st.teamMembers(teamID) {
		out = append(out, u.ID)
	}
	return out
}

// Invitations returns the invitation emails Learn Amp would have sent, in order.
func (s *Server) Invitations() []Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.invitations)
}

// Company is what SeedCompany created: ids by integrationExternalId.
type Company struct {
	Teams map[string]string // "dept-1" → team id
	Users map[string]string // "HR-1" → user id
}

// SeedCompany stores a small realistic company: three departments (one
// with a sub-team), six people with managers, one invitation pending and
// one leaver already deactivated.
func (s *Server) SeedCompany() Company {
	c := Company{Teams: map[string]string{}, Users: map[string]string{}}
	c.Teams["dept-1"] = s.AddTeam(Team{Name: "Engineering", IntegrationExternalID: "dept-1", Tags: []string{"tech"}})
	c.Teams["dept-2"] = s.AddTeam(Team{Name: "Sales", IntegrationExternalID: "dept-2"})
	c.Teams["dept-3"] = s.AddTeam(Team{Name: "Operations", IntegrationExternalID: "dept-3"})
	c.Teams["dept-4"] = s.AddTeam(Team{Name: "Platform", IntegrationExternalID: "dept-4", ParentTeamID: c.Teams["dept-1"], Tags: []string{"tech"}})
	people := []struct {
		ext, first, last, title, team, manager string
		status                                 learnamp.Status
	}{
		{"HR-1", "Grace", "Hopper", "CTO", "dept-1", "", learnamp.StatusConfirmed},
		{"HR-2", "Ada", "Lovelace", "Engineer", "dept-4", "HR-1", learnamp.StatusConfirmed},
		{"HR-3", "Alan", "Turing", "Engineer", "dept-4", "HR-1", learnamp.StatusInvitePending},
		{"HR-4", "Mary", "Jackson", "Head of Sales", "dept-2", "", learnamp.StatusConfirmed},
		{"HR-5", "Katherine", "Johnson", "Account Executive", "dept-2", "HR-4", learnamp.StatusConfirmed},
		{"HR-6", "Dorothy", "Vaughan", "Operations Lead", "dept-3", "", learnamp.StatusDeactivated},
	}
	for _, p := range people {
		u := User{
			Email: strings.ToLower(p.first+"."+p.last) + "@acme.test", FirstName: p.first, LastName: p.last,
			JobTitle: p.title, IntegrationExternalID: p.ext, Status: p.status, ManagerID: c.Users[p.manager],
		}
		if p.status != learnamp.StatusDeactivated {
			u.PrimaryTeamID = c.Teams[p.team]
		}
		c.Users[p.ext] = s.AddUser(u)
	}
	return c
}

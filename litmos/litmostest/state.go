package litmostest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/litmos"
)

// Message is an email Litmos would have sent: a welcome on user create,
// a course assignment or a team invitation.
type Message struct {
	Kind   string // "welcome", "course" or "team"
	UserID string
	// About is the course or team id ("" for a welcome).
	About string
}

// state is the fake's data. The Server's mutex guards it.
type state struct {
	users    []*litmos.User // creation order
	teams    []*litmos.Team
	members  map[string][]string // team id → user ids in add order
	courses  []*litmos.Course
	assigned map[string][]*litmos.UserCourse // user id → courses in assignment order
	messages []Message
	updated  map[string]time.Time // user id → last create or update
	serial   int
}

func newState() *state {
	return &state{members: map[string][]string{}, assigned: map[string][]*litmos.UserCourse{}, updated: map[string]time.Time{}}
}

const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID returns an opaque, deterministic id shaped like Litmos's ("rnjx2WaQOEY1").
func (st *state) newID() (string, int64) {
	st.serial++
	n := uint64(st.serial)*2654435761 + 0x9E3779B97F4A7C15
	b := make([]byte, 11)
	for i := range b {
		b[i] = idChars[n%uint64(len(idChars))]
		n = n/uint64(len(idChars)) + uint64(i+st.serial)*7919
	}
	return string(b) + "1", int64(4138000 + st.serial)
}

// find returns the first of ps that match accepts, or nil.
func find[T any](ps []*T, match func(*T) bool) *T {
	if i := slices.IndexFunc(ps, match); i >= 0 {
		return ps[i]
	}
	return nil
}

func (st *state) userByID(id string) *litmos.User {
	return find(st.users, func(u *litmos.User) bool { return u.ID == id })
}

// userByRef finds a user by id or, as GET /users/{id} allows, by username.
func (st *state) userByRef(ref string) *litmos.User {
	if u := st.userByID(ref); u != nil {
		return u
	}
	return st.userByName(ref)
}

func (st *state) userByName(name string) *litmos.User {
	return find(st.users, func(u *litmos.User) bool { return strings.EqualFold(u.UserName, name) })
}

func (st *state) teamByID(id string) *litmos.Team {
	return find(st.teams, func(t *litmos.Team) bool { return t.ID == id })
}

func (st *state) courseByID(id string) *litmos.Course {
	return find(st.courses, func(c *litmos.Course) bool { return c.ID == id })
}

// copies returns the records ps points to by value, so that neither the
// fake's callers nor its replies share its state.
func copies[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func (st *state) removeUser(id string) {
	st.users = slices.DeleteFunc(st.users, func(u *litmos.User) bool { return u.ID == id })
	for t, ms := range st.members {
		st.members[t] = slices.DeleteFunc(ms, func(m string) bool { return m == id })
	}
	delete(st.assigned, id)
	delete(st.updated, id)
}

// fail reports a misuse of a seed helper.
func (s *Server) fail(format string, args ...any) {
	msg := fmt.Sprintf("litmostest: "+format, args...)
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatal(msg)
	}
	panic(msg)
}

// AddUser stores u as if created through the API (Id, OriginalId,
// CreatedDate, FullName, LoginKey and defaults filled in) and returns it.
// A taken username fails the test.
func (s *Server) AddUser(u litmos.User) litmos.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.userByName(u.UserName) != nil {
		s.fail("AddUser: username %q is taken", u.UserName)
	}
	s.st.fillNewUser(&u, s.Now())
	s.st.users = append(s.st.users, &u)
	return u
}

// Users returns every user, in creation order.
func (s *Server) Users() []litmos.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copies(s.st.users)
}

// User returns the user id.
func (s *Server) User(id string) (litmos.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByID(id); u != nil {
		return *u, true
	}
	return litmos.User{}, false
}

// UserByUsername returns the user whose username equals name, ignoring case.
func (s *Server) UserByUsername(name string) (litmos.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByName(name); u != nil {
		return *u, true
	}
	return litmos.User{}, false
}

// AddTeam stores t (a sub-team when ParentTeamID is set) and returns it with its Id.
func (s *Server) AddTeam(t litmos.Team) litmos.Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.ParentTeamID != "" && s.st.teamByID(t.ParentTeamID) == nil {
		s.fail("AddTeam: parent team %q does not exist", t.ParentTeamID)
	}
	t.ID, _ = s.st.newID()
	s.st.teams = append(s.st.teams, &t)
	return t
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

// AddTeamMember puts a user in a team, as seed data.
func (s *Server) AddTeamMember(teamID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.teamByID(teamID) == nil || s.st.userByID(userID) == nil {
		s.fail("AddTeamMember: team %q or user %q does not exist", teamID, userID)
	}
	if !slices.Contains(s.st.members[teamID], userID) {
		s.st.members[teamID] = append(s.st.members[teamID], userID)
	}
}

// AddCourse stores c and returns it with its Id and OriginalId.
func (s *Server) AddCourse(c litmos.Course) litmos.Course {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID, c.OriginalID = s.st.newID()
	s.st.courses = append(s.st.courses, &c)
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
	c := s.st.courseByID(uc.ID)
	if c == nil || s.st.userByID(userID) == nil {
		s.fail("SetProgress: user %q or course %q does not exist", userID, uc.ID)
		return
	}
	uc.Code, uc.Name, uc.OriginalID = c.Code, c.Name, c.OriginalID
	if uc.AssignedDate.IsZero() {
		uc.AssignedDate = litmos.NewTime(s.Now().UTC().Truncate(1e6))
	}
	list := s.st.assigned[userID]
	if i := slices.IndexFunc(list, func(x *litmos.UserCourse) bool { return x.ID == uc.ID }); i >= 0 {
		list[i] = &uc
		return
	}
	s.st.assigned[userID] = append(list, &uc)
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

package litmostest

import (
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

// state is the fake's data. The Server's mutex guards it. Every lookup by
// id, username (any case, as Litmos matches it), team name or bulk-import
// code is a map; the slices keep creation order for lists.
type state struct {
	users      []*litmos.User // creation order
	userByID   map[string]*litmos.User
	userByName map[string]*litmos.User // lower-cased UserName

	teams      []*litmos.Team
	teamByID   map[string]*litmos.Team
	teamByName map[string]*litmos.Team // lower-cased Name
	teamByCode map[string]*litmos.Team // TeamCodeForBulkImport

	members   map[string][]string        // team id → user ids in add order
	isMember  map[string]map[string]bool // team id → user ids
	userTeams map[string][]string        // user id → team ids in add order

	courses      []*litmos.Course
	courseByID   map[string]*litmos.Course
	courseByCode map[string]*litmos.Course // CourseCodeForBulkImport

	assigned    map[string][]*litmos.UserCourse          // user id → courses in assignment order
	assignment  map[string]map[string]*litmos.UserCourse // user id → course id → progress
	courseUsers map[string][]string                      // course id → user ids in assignment order
	dueDate     map[string]map[string]litmos.Time        // course id → user id → due date (rosters only)

	imports        map[string]*bulkJob
	importOrder    []string
	pendingImports []string // jobs not finished, in the order posted

	userJSON map[string]*encodedUser // user id → its last listed JSON

	messages []Message
	updated  map[string]time.Time // user id → last create or update
	serial   int
}

func newState() *state {
	return &state{
		userByID: map[string]*litmos.User{}, userByName: map[string]*litmos.User{},
		teamByID: map[string]*litmos.Team{}, teamByName: map[string]*litmos.Team{}, teamByCode: map[string]*litmos.Team{},
		members: map[string][]string{}, isMember: map[string]map[string]bool{}, userTeams: map[string][]string{},
		courseByID: map[string]*litmos.Course{}, courseByCode: map[string]*litmos.Course{},
		assigned: map[string][]*litmos.UserCourse{}, assignment: map[string]map[string]*litmos.UserCourse{},
		courseUsers: map[string][]string{}, dueDate: map[string]map[string]litmos.Time{}, imports: map[string]*bulkJob{}, updated: map[string]time.Time{},
		userJSON: map[string]*encodedUser{},
	}
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

func nameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (st *state) userByRef(ref string) *litmos.User {
	if u := st.userByID[ref]; u != nil {
		return u
	}
	return st.userByName[nameKey(ref)] // GET /users/{id} also takes the username
}

// addUser stores u, whose username is free.
func (st *state) addUser(u *litmos.User) {
	st.users = append(st.users, u)
	st.userByID[u.ID] = u
	st.userByName[nameKey(u.UserName)] = u
}

// replaceUser overwrites old with u (same Id), keeping the name index right.
func (st *state) replaceUser(old *litmos.User, u litmos.User) {
	delete(st.userByName, nameKey(old.UserName))
	*old = u
	st.userByName[nameKey(old.UserName)] = old
}

func (st *state) removeUser(id string) {
	u := st.userByID[id]
	if u == nil {
		return
	}
	st.users = slices.DeleteFunc(st.users, func(x *litmos.User) bool { return x == u })
	delete(st.userByID, id)
	delete(st.userByName, nameKey(u.UserName))
	for _, t := range st.userTeams[id] {
		st.members[t] = slices.DeleteFunc(st.members[t], func(m string) bool { return m == id })
		delete(st.isMember[t], id)
	}
	delete(st.userTeams, id)
	for _, uc := range st.assigned[id] {
		st.courseUsers[uc.ID] = slices.DeleteFunc(st.courseUsers[uc.ID], func(m string) bool { return m == id })
		delete(st.dueDate[uc.ID], id)
	}
	delete(st.assigned, id)
	delete(st.assignment, id)
	delete(st.updated, id)
	delete(st.userJSON, id)
}

func (st *state) addTeam(t *litmos.Team) {
	st.teams = append(st.teams, t)
	st.teamByID[t.ID] = t
	st.teamByName[nameKey(t.Name)] = t
	if t.TeamCodeForBulkImport != "" {
		st.teamByCode[t.TeamCodeForBulkImport] = t
	}
}

// addMember puts a user in a team; it reports false if the user was in it.
func (st *state) addMember(teamID, userID string) bool {
	if st.isMember[teamID][userID] {
		return false
	}
	if st.isMember[teamID] == nil {
		st.isMember[teamID] = map[string]bool{}
	}
	st.isMember[teamID][userID] = true
	st.members[teamID] = append(st.members[teamID], userID)
	st.userTeams[userID] = append(st.userTeams[userID], teamID)
	return true
}

// removeMember takes a user out of a team; it reports false if the user was not in it.
func (st *state) removeMember(teamID, userID string) bool {
	if !st.isMember[teamID][userID] {
		return false
	}
	delete(st.isMember[teamID], userID)
	st.members[teamID] = slices.DeleteFunc(st.members[teamID], func(m string) bool { return m == userID })
	st.userTeams[userID] = slices.DeleteFunc(st.userTeams[userID], func(t string) bool { return t == teamID })
	return true
}

func (st *state) addCourse(c *litmos.Course) {
	st.courses = append(st.courses, c)
	st.courseByID[c.ID] = c
	if c.CourseCodeForBulkImport != "" {
		st.courseByCode[c.CourseCodeForBulkImport] = c
	}
}

// assign stores uc (uc.ID names the course) for a user, replacing
// progress already stored for that course; it reports whether it is new.
func (st *state) assign(userID string, uc *litmos.UserCourse) bool {
	if old := st.assignment[userID][uc.ID]; old != nil {
		*old = *uc
		return false
	}
	if st.assignment[userID] == nil {
		st.assignment[userID] = map[string]*litmos.UserCourse{}
	}
	st.assignment[userID][uc.ID] = uc
	st.assigned[userID] = append(st.assigned[userID], uc)
	st.courseUsers[uc.ID] = append(st.courseUsers[uc.ID], userID)
	return true
}

func (st *state) unassign(userID, courseID string) {
	delete(st.assignment[userID], courseID)
	st.assigned[userID] = slices.DeleteFunc(st.assigned[userID], func(x *litmos.UserCourse) bool { return x.ID == courseID })
	st.courseUsers[courseID] = slices.DeleteFunc(st.courseUsers[courseID], func(u string) bool { return u == userID })
	delete(st.dueDate[courseID], userID)
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

// userCopy returns *u with its own Extra, so callers cannot change the fake's state.
func userCopy(u *litmos.User) litmos.User {
	c := *u
	if u.Extra != nil {
		c.Extra = make(litmos.Extra, len(u.Extra))
		for k, v := range u.Extra {
			c.Extra[k] = v
		}
	}
	return c
}

func userCopies(us []*litmos.User) []litmos.User {
	out := make([]litmos.User, len(us))
	for i, u := range us {
		out[i] = userCopy(u)
	}
	return out
}

package learnamptest

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/learnamp"
)

// User is a user as the fake stores it: seed data for AddUser and what
// Users and User return. Ids are decimal strings, as in package learnamp.
type User struct {
	ID                    string
	Email                 string
	FirstName, LastName   string
	JobTitle              string
	TimeZone              string // default "London"
	Language              string // default "en"
	Role                  string // default "viewer"
	IntegrationExternalID string
	OccupationRole        string
	HireDate              learnamp.Date
	Location, Department  string
	// Status defaults to StatusConfirmed in AddUser; the API's create gives
	// StatusNotInvited (skipInvitation) or StatusInvitePending.
	Status learnamp.Status
	// ManagerID is the override manager ("" for the primary team's manager).
	ManagerID string
	// PrimaryTeamID and SecondaryTeamIDs are the user's teams; the fake
	// keeps them in step with the team memberships.
	PrimaryTeamID    string
	SecondaryTeamIDs []string
	// CustomFields are values by custom field name (see AddCustomField).
	CustomFields map[string]string

	CreatedAt, UpdatedAt, DeactivatedAt time.Time
}

// Team is a team as the fake stores it: seed data for AddTeam and what
// Teams and Team return.
type Team struct {
	ID                    string
	Name                  string
	IntegrationExternalID string
	ParentTeamID          string
	ManagerID             string
	SecondaryManagerIDs   []string
	Tags                  []string
	CreatedAt, UpdatedAt  time.Time
}

// Invitation is an invitation email Learn Amp would have sent.
type Invitation struct {
	UserID, Email string
	At            time.Time
}

type userRec struct {
	User
	before  learnamp.Status // the status before deactivation
	since   time.Time       // when Status was last set, for its display time
	members map[string]bool // team ids, primary included
}

// state is the fake's data; the Server's mutex guards it. Every lookup by
// id or unique key is a map.
type state struct {
	users     map[string]*userRec
	userOrder []string
	byEmail   map[string]string // lower-case email → id
	byUserExt map[string]string

	teams      map[string]*Team
	teamOrder  []string
	byTeamExt  map[string]string
	byTeamName map[string][]string        // lower-case name → ids
	children   map[string]map[string]bool // team id → sub-team ids

	members     map[string]map[string]string // team id → user id → membership id
	customField map[string]bool              // name → presence validated
	occupations map[string]bool
	invitations []Invitation

	nextUser, nextTeam, nextMember int
}

func newState() *state {
	return &state{
		users: map[string]*userRec{}, byEmail: map[string]string{}, byUserExt: map[string]string{},
		teams: map[string]*Team{}, byTeamExt: map[string]string{}, byTeamName: map[string][]string{}, children: map[string]map[string]bool{},
		members: map[string]map[string]string{}, customField: map[string]bool{}, occupations: map[string]bool{},
		nextUser: 1001, nextTeam: 301, nextMember: 1,
	}
}

func (st *state) newUserID() string { st.nextUser++; return strconv.Itoa(st.nextUser - 1) }
func (st *state) newTeamID() string { st.nextTeam++; return strconv.Itoa(st.nextTeam - 1) }

func (st *state) userByEmail(email string) *userRec {
	return st.users[st.byEmail[strings.ToLower(email)]]
}

func (st *state) userByExt(ext string) *userRec { return st.users[st.byUserExt[ext]] }

func (st *state) teamByExt(ext string) *Team { return st.teams[st.byTeamExt[ext]] }

// insertUser stores u under its id and indexes it.
func (st *state) insertUser(u *userRec) {
	u.members = map[string]bool{}
	st.users[u.ID] = u
	st.userOrder = append(st.userOrder, u.ID)
	st.byEmail[strings.ToLower(u.Email)] = u.ID
	if u.IntegrationExternalID != "" {
		st.byUserExt[u.IntegrationExternalID] = u.ID
	}
}

// setEmail and setUserExt change a unique key and its index.
func (st *state) setEmail(u *userRec, email string) {
	delete(st.byEmail, strings.ToLower(u.Email))
	u.Email = email
	st.byEmail[strings.ToLower(email)] = u.ID
}

func (st *state) setUserExt(u *userRec, ext string) {
	delete(st.byUserExt, u.IntegrationExternalID)
	u.IntegrationExternalID = ext
	if ext != "" {
		st.byUserExt[ext] = u.ID
	}
}

func (st *state) insertTeam(t *Team) {
	st.teams[t.ID] = t
	st.teamOrder = append(st.teamOrder, t.ID)
	st.members[t.ID] = map[string]string{}
	st.children[t.ID] = map[string]bool{}
	parent := t.ParentTeamID
	t.ParentTeamID = ""
	st.setParent(t, parent)
	st.indexTeam(t)
}

// setParent moves t under parent ("" for the top level), keeping the
// sub-team index in step.
func (st *state) setParent(t *Team, parent string) {
	delete(st.children[t.ParentTeamID], t.ID)
	t.ParentTeamID = parent
	if parent != "" {
		st.children[parent][t.ID] = true
	}
}

// subTeams lists a team's direct sub-teams in id order.
func (st *state) subTeams(id string) []*Team {
	ids := make([]string, 0, len(st.children[id]))
	for c := range st.children[id] {
		ids = append(ids, c)
	}
	slices.SortFunc(ids, compareIDs)
	out := make([]*Team, len(ids))
	for i, c := range ids {
		out[i] = st.teams[c]
	}
	return out
}

func (st *state) indexTeam(t *Team) {
	if t.IntegrationExternalID != "" {
		st.byTeamExt[t.IntegrationExternalID] = t.ID
	}
	n := strings.ToLower(t.Name)
	st.byTeamName[n] = append(st.byTeamName[n], t.ID)
}

func (st *state) unindexTeam(t *Team) {
	delete(st.byTeamExt, t.IntegrationExternalID)
	n := strings.ToLower(t.Name)
	st.byTeamName[n] = slices.DeleteFunc(st.byTeamName[n], func(id string) bool { return id == t.ID })
	if len(st.byTeamName[n]) == 0 {
		delete(st.byTeamName, n)
	}
}

// join puts a user in a team (once) and returns the membership id.
func (st *state) join(u *userRec, teamID string) string {
	if m, ok := st.members[teamID][u.ID]; ok {
		return m
	}
	m := strconv.Itoa(st.nextMember)
	st.nextMember++
	st.members[teamID][u.ID] = m
	u.members[teamID] = true
	return m
}

// leave takes a user out of a team, and out of its primary team slot.
func (st *state) leave(u *userRec, teamID string) {
	delete(st.members[teamID], u.ID)
	delete(u.members, teamID)
	if u.PrimaryTeamID == teamID {
		u.PrimaryTeamID = ""
	}
}

// setPrimary makes teamID the user's primary team; the former primary
// team stays a secondary one only if keep says so.
func (st *state) setPrimary(u *userRec, teamID string, keepOld bool) {
	if old := u.PrimaryTeamID; old != "" && old != teamID && !keepOld {
		st.leave(u, old)
	}
	st.join(u, teamID)
	u.PrimaryTeamID = teamID
}

// setSecondaries replaces the user's secondary teams with ids.
func (st *state) setSecondaries(u *userRec, ids []string) {
	for t := range maps.Clone(u.members) {
		if t != u.PrimaryTeamID {
			st.leave(u, t)
		}
	}
	for _, t := range ids {
		st.join(u, t)
	}
}

// view is the stored user as the exported type, with its teams filled in.
func (u *userRec) view() User {
	out := u.User
	out.SecondaryTeamIDs = nil
	for t := range u.members {
		if t != u.PrimaryTeamID {
			out.SecondaryTeamIDs = append(out.SecondaryTeamIDs, t)
		}
	}
	slices.SortFunc(out.SecondaryTeamIDs, compareIDs)
	out.CustomFields = maps.Clone(u.CustomFields)
	return out
}

func (t *Team) view() Team {
	out := *t
	out.SecondaryManagerIDs = slices.Clone(t.SecondaryManagerIDs)
	out.Tags = slices.Clone(t.Tags)
	return out
}

// compareIDs orders decimal ids numerically.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// removeUser deletes a user and every reference to it.
func (st *state) removeUser(u *userRec) {
	for t := range maps.Clone(u.members) {
		st.leave(u, t)
	}
	delete(st.users, u.ID)
	delete(st.byEmail, strings.ToLower(u.Email))
	delete(st.byUserExt, u.IntegrationExternalID)
	st.userOrder = slices.DeleteFunc(st.userOrder, func(id string) bool { return id == u.ID })
	for _, o := range st.users {
		if o.ManagerID == u.ID {
			o.ManagerID = ""
		}
	}
	for _, t := range st.teams {
		if t.ManagerID == u.ID {
			t.ManagerID = ""
		}
		t.SecondaryManagerIDs = slices.DeleteFunc(t.SecondaryManagerIDs, func(id string) bool { return id == u.ID })
	}
}

// removeTeam deletes a team; its users stay, its sub-teams become top-level.
func (st *state) removeTeam(t *Team) {
	for uid := range st.members[t.ID] {
		st.leave(st.users[uid], t.ID)
	}
	delete(st.members, t.ID)
	st.unindexTeam(t)
	delete(st.teams, t.ID)
	st.teamOrder = slices.DeleteFunc(st.teamOrder, func(id string) bool { return id == t.ID })
	for _, c := range st.subTeams(t.ID) {
		st.setParent(c, "")
	}
	st.setParent(t, "")
	delete(st.children, t.ID)
}

// deactivate makes a user deactivated and takes them out of every team,
// as Learn Amp does (https://support.learnamp.com/knowledge/what-happens-when-a-user-is-deactivated).
func (st *state) deactivate(u *userRec, now time.Time) {
	if u.Status == learnamp.StatusDeactivated {
		return
	}
	u.before, u.Status, u.since = u.Status, learnamp.StatusDeactivated, now
	u.DeactivatedAt, u.UpdatedAt = now, now
	for t := range maps.Clone(u.members) {
		st.leave(u, t)
	}
}

func (st *state) reactivate(u *userRec, now time.Time) {
	if u.Status != learnamp.StatusDeactivated {
		return
	}
	u.Status = u.before
	if u.Status == "" {
		u.Status = learnamp.StatusConfirmed
	}
	u.since, u.DeactivatedAt, u.UpdatedAt = now, time.Time{}, now
}

// effectiveManager is the override manager, else the primary team's.
func (st *state) effectiveManager(u *userRec) *userRec {
	if m := st.users[u.ManagerID]; m != nil {
		return m
	}
	if t := st.teams[u.PrimaryTeamID]; t != nil && t.ManagerID != u.ID {
		return st.users[t.ManagerID]
	}
	return nil
}

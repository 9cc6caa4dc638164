package talentlmstest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/talentlms"
)

// state is the portal's data; the Server's mutex guards it. Every lookup
// by id, email, login, field key and enrolment is a map.
type state struct {
	df talentlms.DateFormat

	users     map[string]*user
	userOrder []string          // ids of users not deleted, in creation order
	byEmail   map[string]string // lower-cased email → id (deleted users keep theirs)
	byLogin   map[string]string // lower-cased login → id

	fields     []*talentlms.CustomField
	fieldByKey map[string]*talentlms.CustomField
	nextField  int

	branches    map[string]*branch
	branchOrder []string

	courses     map[string]*course
	courseOrder []string

	enrolled map[enrolKey]*enrolment

	nextUser, nextBranch, nextCourse int
}

type enrolKey struct{ user, course string }

type user struct {
	id, login, first, last, email, password string
	restrictEmail                           bool
	userType, timezone, language            string
	status                                  talentlms.UserStatus
	deactivation                            time.Time // zero: none
	level, points, credits                  string
	created, updated                        time.Time
	bio                                     string
	custom                                  map[string]string // key → value
	branches                                []string          // ids, in join order
	courses                                 []string          // ids, in enrolment order
	deleted                                 bool
}

type branch struct {
	talentlms.Branch // Users and Courses unused: members and courses hold them
	members          []string
	memberSet        map[string]bool
	courses          []string
}

type course struct {
	talentlms.Course // Users unused: learners holds them
	created          time.Time
	learners         []string
}

// Progress is a user's place and progress in a course, for Enroll and
// Enrollment.
type Progress struct {
	Role             string // learner (the default) or instructor
	EnrolledOn       time.Time
	CompletedOn      time.Time // zero: not completed
	Percent          int
	Status           string // completion_status as getuserstatusincourse sends it; "" derives it
	TotalTimeSeconds int64
}

type enrolment struct {
	Progress
}

func newState(df talentlms.DateFormat) *state {
	return &state{
		df:    df,
		users: map[string]*user{}, byEmail: map[string]string{}, byLogin: map[string]string{},
		fieldByKey: map[string]*talentlms.CustomField{}, nextField: 1,
		branches: map[string]*branch{}, courses: map[string]*course{},
		enrolled: map[enrolKey]*enrolment{},
		nextUser: 1, nextBranch: 1, nextCourse: 1,
	}
}

// liveUser returns the user id unless it does not exist or was deleted.
func (st *state) liveUser(id string) (*user, string) {
	u := st.users[id]
	switch {
	case u == nil:
		return nil, msgNoUser
	case u.deleted:
		return nil, msgUserGone
	}
	return u, ""
}

func (st *state) userByEmail(email string) (*user, string) {
	id, ok := st.byEmail[strings.ToLower(email)]
	if !ok {
		return nil, msgNoUser
	}
	return st.liveUser(id)
}

func (st *state) userByLogin(login string) (*user, string) {
	id, ok := st.byLogin[strings.ToLower(login)]
	if !ok {
		return nil, msgNoUser
	}
	return st.liveUser(id)
}

// addUser stores u with a new id, indexed.
func (st *state) addUser(u *user) {
	u.id = strconv.Itoa(st.nextUser)
	st.nextUser++
	st.users[u.id] = u
	st.userOrder = append(st.userOrder, u.id)
	st.byEmail[strings.ToLower(u.email)] = u.id
	st.byLogin[strings.ToLower(u.login)] = u.id
}

// reindex moves u's email and login index entries after an edit.
func (st *state) reindex(u *user, oldEmail, oldLogin string) {
	if !strings.EqualFold(oldEmail, u.email) {
		delete(st.byEmail, strings.ToLower(oldEmail))
		st.byEmail[strings.ToLower(u.email)] = u.id
	}
	if !strings.EqualFold(oldLogin, u.login) {
		delete(st.byLogin, strings.ToLower(oldLogin))
		st.byLogin[strings.ToLower(u.login)] = u.id
	}
}

// deleteUser soft-deletes u, or forgets it when permanent.
func (st *state) deleteUser(u *user, permanent bool) {
	st.userOrder = slices.DeleteFunc(st.userOrder, func(id string) bool { return id == u.id })
	for _, b := range slices.Clone(u.branches) {
		st.branches[b].remove(u.id)
	}
	for _, c := range slices.Clone(u.courses) {
		st.unenrol(u, st.courses[c])
	}
	u.branches, u.courses = nil, nil
	u.deleted = true
	if permanent {
		delete(st.users, u.id)
		delete(st.byEmail, strings.ToLower(u.email))
		delete(st.byLogin, strings.ToLower(u.login))
	}
}

func (b *branch) add(userID string) {
	b.memberSet[userID] = true
	b.members = append(b.members, userID)
}

func (b *branch) remove(userID string) {
	delete(b.memberSet, userID)
	b.members = slices.DeleteFunc(b.members, func(id string) bool { return id == userID })
}

func (st *state) join(u *user, b *branch) {
	b.add(u.id)
	u.branches = append(u.branches, b.ID)
}

func (st *state) leave(u *user, b *branch) {
	b.remove(u.id)
	u.branches = slices.DeleteFunc(u.branches, func(id string) bool { return id == b.ID })
}

func (st *state) enrol(u *user, c *course, p Progress) {
	k := enrolKey{u.id, c.ID}
	if _, ok := st.enrolled[k]; !ok {
		c.learners = append(c.learners, u.id)
		u.courses = append(u.courses, c.ID)
	}
	st.enrolled[k] = &enrolment{Progress: p}
}

func (st *state) unenrol(u *user, c *course) {
	delete(st.enrolled, enrolKey{u.id, c.ID})
	c.learners = slices.DeleteFunc(c.learners, func(id string) bool { return id == u.id })
	u.courses = slices.DeleteFunc(u.courses, func(id string) bool { return id == c.ID })
}

// fmtDateTime writes t in the portal's format, "" for the zero time.
func (st *state) fmtDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return st.df.FormatDateTime(t.UTC())
}

func (st *state) fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return st.df.FormatDate(t.UTC())
}

// unix writes t as the string timestamp v1 sends, nil for the zero time.
func unix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return strconv.FormatInt(t.Unix(), 10)
}

func displayName(first, last string) string {
	if first == "" {
		return last
	}
	return fmt.Sprintf("%s. %s", string([]rune(first)[:1]), last)
}

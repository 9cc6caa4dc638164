package talentlmstest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/talentlms"
)

// fail reports a misuse of a seed helper: through tb, else by panicking.
func (s *Server) fail(format string, args ...any) {
	msg := fmt.Sprintf("talentlmstest: "+format, args...)
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatal(msg)
	}
	panic(msg)
}

// User is a user to seed with AddUser.
type User struct {
	Login, FirstName, LastName, Email string
	Password                          string // default "Passw0rd!"
	Status                            talentlms.UserStatus
	UserType, Language, Timezone      string
	RestrictEmail                     bool
	// Custom maps custom_field_N keys to values in the portal's form.
	Custom map[string]string
	// Branches are branch ids the user is in.
	Branches []string
	// CreatedOn defaults to the server's clock.
	CreatedOn time.Time
}

// AddUser stores u as if signed up and returns its id. A missing name,
// email or login, a taken email or login, an unknown custom field key or
// branch fails the test.
func (s *Server) AddUser(u User) string {
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.CreatedOn.IsZero() {
		u.CreatedOn = now
	}
	rec := &user{
		login: u.Login, first: u.FirstName, last: u.LastName, email: u.Email,
		password: orDefault(u.Password, "Passw0rd!"), restrictEmail: u.RestrictEmail,
		userType: orDefault(u.UserType, "Learner-Type"), language: orDefault(u.Language, "English"),
		timezone: orDefault(u.Timezone, "(GMT +00:00) UTC"), status: u.Status,
		level: "1", points: "0", credits: "0", created: u.CreatedOn.UTC(), updated: u.CreatedOn.UTC(),
		custom: map[string]string{},
	}
	if rec.status == "" {
		rec.status = talentlms.Active
	}
	if u.FirstName == "" || u.LastName == "" {
		s.fail("AddUser %q: first and last name are required", u.Login)
	}
	if msg := s.checkIdentity(rec, ""); msg != "" {
		s.fail("AddUser %q <%s>: %s", u.Login, u.Email, msg)
	}
	for k, v := range u.Custom {
		def := s.st.fieldByKey[k]
		if def == nil || !s.st.validCustom(def, v) {
			s.fail("AddUser %q: custom field %s=%q is not a field of the portal or not a valid value", u.Login, k, v)
		}
		rec.custom[k] = v
	}
	s.st.addUser(rec)
	for _, b := range u.Branches {
		br := s.st.branches[b]
		if br == nil {
			s.fail("AddUser %q: branch %q does not exist", u.Login, b)
		}
		s.st.join(rec, br)
	}
	return rec.id
}

// AddCustomField defines a custom user field and returns its key. An
// empty Key gets the next custom_field_N; a given one (to mimic a portal
// whose fields were re-created) must be free.
func (s *Server) AddCustomField(f talentlms.CustomField) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch f.Type {
	case talentlms.FieldText, talentlms.FieldDropdown, talentlms.FieldCheckbox, talentlms.FieldDate:
	default:
		s.fail("AddCustomField %q: type %q is not text, dropdown, checkbox or date", f.Name, f.Type)
	}
	if f.Type == talentlms.FieldDropdown && len(f.Options) == 0 {
		s.fail("AddCustomField %q: a dropdown needs Options", f.Name)
	}
	if f.Key == "" {
		f.Key = "custom_field_" + strconv.Itoa(s.st.nextField)
	}
	if n, ok := strings.CutPrefix(f.Key, "custom_field_"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= s.st.nextField {
			s.st.nextField = i + 1
		}
	}
	if s.st.fieldByKey[f.Key] != nil {
		s.fail("AddCustomField %q: key %s is taken", f.Name, f.Key)
	}
	if f.Order == 0 {
		f.Order = int64(len(s.st.fields) + 1)
	}
	f.Extra = nil
	s.st.fields = append(s.st.fields, &f)
	s.st.fieldByKey[f.Key] = &f
	return f.Key
}

// AddBranch stores b (its Name at least) and returns its id.
func (s *Server) AddBranch(b talentlms.Branch) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.Name == "" {
		s.fail("AddBranch: Name is required")
	}
	b.ID = strconv.Itoa(s.st.nextBranch)
	s.st.nextBranch++
	b.Users, b.Courses, b.Extra = nil, nil, nil
	s.st.branches[b.ID] = &branch{Branch: b, memberSet: map[string]bool{}}
	s.st.branchOrder = append(s.st.branchOrder, b.ID)
	return b.ID
}

// AddBranchMember puts a user in a branch, as seed data.
func (s *Server) AddBranchMember(branchID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, u := s.st.branches[branchID], s.st.users[userID]
	if b == nil || u == nil || u.deleted {
		s.fail("AddBranchMember: branch %q or user %q does not exist", branchID, userID)
	}
	if !b.memberSet[userID] {
		s.st.join(u, b)
	}
}

// AddCourse stores c (its Name at least; Code, Description, Price, Status,
// HideFromCatalog and Units are kept) and returns its id.
func (s *Server) AddCourse(c talentlms.Course) string {
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Name == "" {
		s.fail("AddCourse: Name is required")
	}
	c.ID = strconv.Itoa(100 + s.st.nextCourse)
	s.st.nextCourse++
	for i := range c.Units {
		if c.Units[i].ID == "" {
			c.Units[i].ID = c.ID + strconv.Itoa(i+1)
		}
	}
	c.Users, c.Extra, c.Custom = nil, nil, nil
	s.st.courses[c.ID] = &course{Course: c, created: now}
	s.st.courseOrder = append(s.st.courseOrder, c.ID)
	return c.ID
}

// AddBranchCourse makes a course part of a branch, as seed data.
func (s *Server) AddBranchCourse(branchID, courseID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, c := s.st.branches[branchID], s.st.courses[courseID]
	if b == nil || c == nil {
		s.fail("AddBranchCourse: branch %q or course %q does not exist", branchID, courseID)
	}
	b.courses = append(b.courses, courseID)
}

// Enroll enrols a user in a course with progress p, or replaces the
// progress of an enrolment. A zero EnrolledOn is the server's clock.
func (s *Server) Enroll(userID, courseID string, p Progress) {
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, c := s.st.users[userID], s.st.courses[courseID]
	if u == nil || u.deleted || c == nil {
		s.fail("Enroll: user %q or course %q does not exist", userID, courseID)
	}
	if p.Role == "" {
		p.Role = "learner"
	}
	if p.EnrolledOn.IsZero() {
		p.EnrolledOn = now
	}
	if p.Percent < 0 || p.Percent > 100 {
		s.fail("Enroll: percent %d is outside 0..100", p.Percent)
	}
	s.st.enrol(u, c, p)
}

// jsonString encodes s as a JSON string.
func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// SetLanguage changes user id's interface language, as the user does in
// TalentLMS's profile page (edituser takes no language; no request is
// logged). An unknown or deleted id fails the test.
func (s *Server) SetLanguage(id, language string) {
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, _ := s.st.liveUser(id)
	if u == nil || strings.TrimSpace(language) == "" {
		s.fail("SetLanguage: no user %q, or an empty language", id)
	}
	u.language, u.updated = language, now
}

package talentlmstest

import (
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
)

// renderUser is u as v1 sends it: every value a string, custom fields
// (all of the portal's, null when unset) beside the rest; detail adds the
// courses, branches, groups, certifications and badges.
func (st *state) renderUser(u *user, detail bool) map[string]any {
	m := map[string]any{
		"id": u.id, "login": u.login, "first_name": u.first, "last_name": u.last, "email": u.email,
		"restrict_email": map[bool]string{true: "1", false: "0"}[u.restrictEmail],
		"user_type":      u.userType, "timezone": u.timezone, "language": u.language, "status": string(u.status),
		"deactivation_date": st.fmtDate(u.deactivation),
		"level":             u.level, "points": u.points, "credits": u.credits,
		"created_on":             st.fmtDateTime(u.created),
		"last_updated":           st.fmtDateTime(u.updated),
		"last_updated_timestamp": unix(u.updated),
		"avatar":                 "https://" + Domain + "/pages/images/default_user.png",
		"bio":                    nullable(u.bio),
		"login_key":              "https://" + Domain + "/index/autologin/key:" + strconv.FormatInt(u.updated.UnixNano()%1e9, 36) + u.id,
	}
	for _, f := range st.fields {
		if v, ok := u.custom[f.Key]; ok {
			m[f.Key] = v
		} else {
			m[f.Key] = nil
		}
	}
	if !detail {
		return m
	}
	courses := make([]any, 0, len(u.courses))
	for _, cid := range u.courses {
		courses = append(courses, st.renderUserCourse(u, st.courses[cid]))
	}
	branches := make([]any, 0, len(u.branches))
	for _, bid := range u.branches {
		branches = append(branches, map[string]any{"id": bid, "name": st.branches[bid].Name})
	}
	m["courses"], m["branches"], m["groups"] = courses, branches, []any{}
	m["certifications"], m["badges"] = []any{}, []any{}
	return m
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) routeUsers(w http.ResponseWriter, raw string) {
	p, ok := pathParams(raw, "id", "email", "username", "page_size", "page_number")
	if !ok {
		invalid(w, msgInvalid)
		return
	}
	_, paged := p["page_size"]
	_, numbered := p["page_number"]
	switch {
	case len(p) == 0:
		s.listUsers(w, 0, 1)
	case paged && len(p) <= 2 && (numbered || len(p) == 1):
		size, err1 := strconv.Atoi(p["page_size"])
		num, err2 := 1, error(nil)
		if numbered {
			num, err2 = strconv.Atoi(p["page_number"])
		}
		if err1 != nil || err2 != nil || size < 1 || size > talentlms.MaxUsersPageSize || num < 1 {
			invalid(w, msgInvalid)
			return
		}
		if !s.paging {
			size = 0
		}
		s.listUsers(w, size, num)
	case len(p) == 1 && !numbered:
		s.getUser(w, p)
	default:
		invalid(w, msgInvalid)
	}
}

// listUsers answers page num of size users (size 0: every user).
func (s *Server) listUsers(w http.ResponseWriter, size, num int) {
	s.mu.Lock()
	ids := s.st.userOrder
	if size > 0 {
		ids = fakeserver.Page(ids, (num-1)*size, size)
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.st.renderUser(s.st.users[id], false))
	}
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) getUser(w http.ResponseWriter, p map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var u *user
	var msg string
	switch {
	case p["id"] != "":
		u, msg = s.st.liveUser(p["id"])
	case p["email"] != "":
		u, msg = s.st.userByEmail(p["email"])
	default:
		u, msg = s.st.userByLogin(p["username"])
	}
	if u == nil {
		notFound(w, msg)
		return
	}
	fakeserver.WriteJSON(w, http.StatusOK, s.st.renderUser(u, true))
}

var signupKeys = keys("first_name", "last_name", "email", "login", "password", "restrict_email", "branch_id", "group_id", "user_type", "language")

var editKeys = keys("user_id", "first_name", "last_name", "email", "login", "password", "bio", "timezone", "credits", "restrict_email", "user_type", "deactivation_date")

func withCustom(base func(string) bool) func(string) bool {
	return func(k string) bool { return base(k) || strings.HasPrefix(k, "custom_field_") }
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	f, ok := formParams(r, withCustom(signupKeys))
	if !ok {
		invalid(w, msgInvalid)
		return
	}
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &user{
		first: f.Get("first_name"), last: f.Get("last_name"), email: f.Get("email"), login: f.Get("login"),
		password: f.Get("password"), userType: orDefault(f.Get("user_type"), "Learner-Type"),
		language: orDefault(f.Get("language"), "English"), timezone: "(GMT +00:00) UTC",
		status: s.newStatus, level: "1", points: "0", credits: "0", created: now, updated: now,
	}
	if msg := s.checkSignup(f, u); msg != "" {
		replyError(w, statusFor(msg), msg)
		return
	}
	custom, msg := s.st.checkCustom(f, true)
	if msg != "" {
		invalid(w, msg)
		return
	}
	u.custom = custom
	s.st.addUser(u)
	if b := f.Get("branch_id"); b != "" {
		s.st.join(u, s.st.branches[b])
	}
	m := s.st.renderUser(u, false)
	id, _ := strconv.Atoi(u.id)
	m["id"], m["last_updated_timestamp"] = id, u.updated.Unix() // numbers in a signup reply
	fakeserver.WriteJSON(w, http.StatusOK, m)
}

// checkSignup validates the signup fields; it returns the message to
// refuse with, or "".
func (s *Server) checkSignup(f url.Values, u *user) string {
	for _, k := range []string{"first_name", "last_name", "email", "login", "password"} {
		if strings.TrimSpace(f.Get(k)) == "" {
			return msgInvalid
		}
	}
	if msg := s.checkIdentity(u, ""); msg != "" {
		return msg
	}
	if msg := s.checkPassword(u.password); msg != "" {
		return msg
	}
	var ok bool
	if u.restrictEmail, ok = onOff(f, "restrict_email", false); !ok {
		return msgInvalid
	}
	if b := f.Get("branch_id"); b != "" && s.st.branches[b] == nil {
		return msgNoBranch
	}
	if f.Has("group_id") {
		return "The requested group does not exist"
	}
	return ""
}

// checkIdentity checks u's email and login and that no other user has them.
func (s *Server) checkIdentity(u *user, self string) string {
	if a, err := mail.ParseAddress(u.email); err != nil || a.Address != u.email {
		return msgInvalid
	}
	if strings.TrimSpace(u.login) == "" {
		return msgInvalid
	}
	if id, ok := s.st.byEmail[strings.ToLower(u.email)]; ok && id != self {
		return msgEmailTaken
	}
	if id, ok := s.st.byLogin[strings.ToLower(u.login)]; ok && id != self {
		return msgLoginTaken
	}
	return ""
}

func (s *Server) checkPassword(p string) string {
	if !s.strong {
		return ""
	}
	var up, low, digit bool
	for _, r := range p {
		up = up || unicode.IsUpper(r)
		low = low || unicode.IsLower(r)
		digit = digit || unicode.IsDigit(r)
	}
	if len([]rune(p)) < 8 || !up || !low || !digit {
		return msgWeakPassword
	}
	return ""
}

// onOff reads an on/off flag; absent gives def.
func onOff(f url.Values, key string, def bool) (v, ok bool) {
	if !f.Has(key) {
		return def, true
	}
	switch f.Get(key) {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	return false, false
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// statusFor is 404 for the "does not exist" messages, else 400.
func statusFor(msg string) int {
	if strings.HasSuffix(msg, "does not exist") || strings.HasSuffix(msg, "no longer available") {
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

// export is u as the client would decode it from a detail reply.
func (st *state) export(u *user) talentlms.User {
	t := func(v time.Time, raw string) talentlms.Time { return talentlms.Time{Time: v, Raw: raw} }
	out := talentlms.User{
		ID: u.id, Login: u.login, FirstName: u.first, LastName: u.last, Email: u.email,
		RestrictEmail: u.restrictEmail, UserType: u.userType, Timezone: u.timezone, Language: u.language,
		Status: u.status, DeactivationDate: t(u.deactivation, st.fmtDate(u.deactivation)),
		Level: u.level, Points: u.points, Credits: u.credits,
		CreatedOn: t(u.created, st.fmtDateTime(u.created)), LastUpdated: t(u.updated, st.fmtDateTime(u.updated)),
		Bio: u.bio,
	}
	if len(u.custom) > 0 {
		out.Custom = talentlms.Extra{}
		for k, v := range u.custom {
			out.Custom[k] = jsonString(v)
		}
	}
	for _, b := range u.branches {
		out.Branches = append(out.Branches, talentlms.Ref{ID: b, Name: st.branches[b].Name})
	}
	return out
}

// Users returns every user not deleted, in creation order.
func (s *Server) Users() []talentlms.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]talentlms.User, 0, len(s.st.userOrder))
	for _, id := range s.st.userOrder {
		out = append(out, s.st.export(s.st.users[id]))
	}
	return out
}

// User returns the user id; ok is false when there is none or it was deleted.
func (s *Server) User(id string) (u talentlms.User, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, _ := s.st.liveUser(id)
	if rec == nil {
		return talentlms.User{}, false
	}
	return s.st.export(rec), true
}

// UserByEmail returns the user with that email (in any case).
func (s *Server) UserByEmail(email string) (talentlms.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, _ := s.st.userByEmail(email)
	if rec == nil {
		return talentlms.User{}, false
	}
	return s.st.export(rec), true
}

// Password returns the password stored for user id (a fake keeps it plain).
func (s *Server) Password(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.users[id]; u != nil {
		return u.password
	}
	return ""
}

// Deleted reports whether user id was deleted (softly: a permanent delete forgets it).
func (s *Server) Deleted(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[id]
	return u != nil && u.deleted
}

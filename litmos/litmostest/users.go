package litmostest

import (
	"encoding/json"
	"net/http"
	"net/mail"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/litmos"
)

func (s *Server) routeUsers(w http.ResponseWriter, r *http.Request, seg []string) {
	switch {
	case len(seg) == 0 && r.Method == http.MethodGet:
		s.listUsers(w, r, false)
	case len(seg) == 0 && r.Method == http.MethodPost:
		s.createUser(w, r)
	case len(seg) == 1 && seg[0] == "details" && r.Method == http.MethodGet:
		s.listUsers(w, r, true)
	case len(seg) == 1 && r.Method == http.MethodGet:
		s.getUser(w, r, seg[0])
	case len(seg) == 1 && r.Method == http.MethodPut:
		s.putUser(w, r, seg[0])
	case len(seg) == 1 && r.Method == http.MethodDelete:
		s.deleteUser(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "teams" && r.Method == http.MethodGet:
		s.listUserTeams(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "teams" && r.Method == http.MethodPost:
		s.addUserToTeams(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "courses" && r.Method == http.MethodGet:
		s.listUserCourses(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "courses" && r.Method == http.MethodPost:
		s.assignCourses(w, r, seg[0])
	case len(seg) == 3 && seg[1] == "courses" && r.Method == http.MethodDelete:
		s.unassignCourse(w, r, seg[0], seg[2])
	case len(seg) <= 3:
		methodNotAllowed(w, r)
	default:
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
	}
}

// paging reads start and limit (0-based offset, default 100, at most 1000, else
// 406: https://api.sap.com/api/LitmosAPIdetails/overview) and search (at most
// 50 characters, as https://github.com/tldev/litmos-php enforces).
func paging(w http.ResponseWriter, r *http.Request) (start, limit int, search string, ok bool) {
	q := r.URL.Query()
	start, limit = 0, 100
	var err error
	if v := q.Get("start"); v != "" {
		if start, err = strconv.Atoi(v); err != nil || start < 0 {
			replyError(w, r, http.StatusBadRequest, "start must be a non-negative integer")
			return 0, 0, "", false
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			replyError(w, r, http.StatusBadRequest, "limit must be a non-negative integer")
			return 0, 0, "", false
		}
	}
	if limit > 1000 {
		replyError(w, r, http.StatusNotAcceptable, "A maximum of 1000 records can be requested")
		return 0, 0, "", false
	}
	search = q.Get("search")
	if len([]rune(search)) > 50 {
		replyError(w, r, http.StatusBadRequest, "search must be at most 50 characters")
		return 0, 0, "", false
	}
	return start, limit, search, true
}

// fuzzy is Litmos's user search: a case-insensitive partial match on the names,
// username, email and company (partial matches in recorded traffic,
// https://github.com/charliequinn/python-litmos-api; Trifoia and umbrace list
// the same fields).
func fuzzy(u *litmos.User, text string) bool {
	if text == "" {
		return true
	}
	t := strings.ToLower(text)
	for _, f := range []string{u.UserName, u.FirstName, u.LastName, u.FullName, u.Email, u.CompanyName} {
		if strings.Contains(strings.ToLower(f), t) {
			return true
		}
	}
	return false
}

func summary(u *litmos.User) litmos.UserSummary {
	return litmos.UserSummary{ID: u.ID, UserName: u.UserName, FirstName: u.FirstName, LastName: u.LastName,
		Active: u.Active, Email: u.Email, AccessLevel: u.AccessLevel, Brand: u.Brand}
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, details bool) {
	start, limit, search, ok := paging(w, r)
	if !ok {
		return
	}
	activeOnly := strings.EqualFold(r.URL.Query().Get("showInactive"), "false")
	s.mu.Lock()
	match := s.st.users
	if search != "" || activeOnly {
		match = nil
		for _, u := range s.st.users {
			if fuzzy(u, search) && (!activeOnly || u.Active) {
				match = append(match, u)
			}
		}
	}
	page := fakeserver.Page(match, start, limit)
	if details && wantsJSON(r) {
		s.replyUserPage(w, page) // unlocks s.mu
		return
	}
	full := userCopies(page)
	s.mu.Unlock()
	if details {
		reply(w, r, http.StatusOK, nonNil(full), "Users", "User")
		return
	}
	out := make([]litmos.UserSummary, len(full))
	for i := range full {
		out[i] = summary(&full[i])
	}
	reply(w, r, http.StatusOK, out, "Users", "User")
}

// encodedUser is a user as the fake last wrote it in a listing: the user
// then, and json.Marshal of it.
type encodedUser struct {
	u    litmos.User
	json []byte
}

// replyUserPage answers a JSON page of full users, called with s.mu held,
// which it releases. The page is json.Marshal of the users' slice, byte for
// byte, built from each user's own json.Marshal: kept from the last
// listing while the user is deeply equal to what was written then, so an
// unchanged user is not encoded again on every listing.
func (s *Server) replyUserPage(w http.ResponseWriter, page []*litmos.User) {
	out := make([][]byte, len(page))
	var stale []int
	var copies []litmos.User
	for i, u := range page {
		if e := s.st.userJSON[u.ID]; e != nil && reflect.DeepEqual(&e.u, u) {
			out[i] = e.json
			continue
		}
		stale = append(stale, i)
		copies = append(copies, userCopy(u))
	}
	s.mu.Unlock()
	fresh := make([]*encodedUser, len(stale))
	for k, i := range stale {
		b, err := json.Marshal(copies[k])
		if err != nil {
			fakeserver.WriteEncodeError(w, "JSON", err)
			return
		}
		fresh[k], out[i] = &encodedUser{u: copies[k], json: b}, b
	}
	if len(fresh) > 0 {
		s.mu.Lock()
		for _, e := range fresh {
			s.st.userJSON[e.u.ID] = e // checked against the user on each use
		}
		s.mu.Unlock()
	}
	n := 2
	for _, b := range out {
		n += len(b) + 1
	}
	buf := make([]byte, 0, n+1)
	buf = append(buf, '[')
	for i, b := range out {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
	}
	buf = append(buf, "]\n"...)
	fakeserver.WriteRawJSON(w, http.StatusOK, buf)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, ref string) {
	replyRecord(s, w, r, "User", func(st *state) *litmos.User { return st.userByRef(ref) })
}

// readUser decodes a JSON user body; the fake does not emulate XML bodies here.
func readUser(w http.ResponseWriter, r *http.Request) (litmos.User, bool) {
	var u litmos.User
	if bodyKind(r) != "json" {
		replyError(w, r, http.StatusBadRequest, "litmostest: send this body as JSON")
		return u, false
	}
	body := bodyOf(r)
	if len(strings.TrimSpace(string(body))) == 0 || body[0] != '{' {
		replyError(w, r, http.StatusBadRequest, "The request body is not a user object")
		return u, false
	}
	if err := json.Unmarshal(body, &u); err != nil {
		replyError(w, r, http.StatusBadRequest, "The request body is not a valid user: "+err.Error())
		return u, false
	}
	// A JSON request date must be "/Date(ms)/"; WCF fails on an ISO one with
	// a 500 (recorded for UpdatedAt: https://github.com/charliequinn/python-litmos-api).
	for _, d := range []litmos.Time{u.LastLogin, u.CreatedDate, u.ExpirationDate} {
		if !d.IsZero() && (d.Form == litmos.DateISO || d.Form == litmos.DateISOLocal) {
			replyError(w, r, http.StatusInternalServerError, "DateTime content '"+d.String()+`' does not start with '\/Date(' and end with ')\/' as required for JSON.`)
			return u, false
		}
	}
	return u, true
}

// validateUser applies Litmos's rules for a created or updated user
// (409 for a taken, short or non-email username and an invalid email; 400
// without a last name: https://api.sap.com/api/LitmosAPIdetails/overview).
func (st *state) validateUser(u *litmos.User, self string) (int, string) {
	name := strings.TrimSpace(u.UserName)
	switch {
	case len([]rune(name)) < 3:
		return http.StatusConflict, "UserName must be at least 3 characters"
	case !u.IsCustomUsername && !isEmail(name):
		return http.StatusConflict, "UserName must be an email address unless IsCustomUsername is true"
	case u.Email != "" && !isEmail(u.Email):
		return http.StatusConflict, "Email is invalid"
	case u.LastName == "":
		return http.StatusBadRequest, "LastName is required"
	}
	if other := st.userByName[nameKey(name)]; other != nil && other.ID != self {
		return http.StatusConflict, "UserName already exists"
	}
	if u.ManagerID != "" && u.ManagerID != "0" && st.userByID[u.ManagerID] == nil {
		return http.StatusNotFound, "Manager not found"
	}
	return 0, ""
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// fillNewUser sets what Litmos computes on create.
func (st *state) fillNewUser(u *litmos.User, now time.Time) {
	u.ID, u.OriginalID = st.newID()
	u.FullName = strings.TrimSpace(u.FirstName + " " + u.LastName)
	u.LoginKey = "https://fake.litmos.com/login.aspx?loginkey=" + u.ID
	u.LastLogin = litmos.Time{Form: litmos.DateEmpty}
	u.CreatedDate = litmos.Time{Time: now.UTC().Truncate(time.Second), Form: litmos.DateISO}
	u.Password = ""
	st.updated[u.ID] = now
	if u.AccessLevel == "" {
		u.AccessLevel = "Learner"
	}
	if u.Culture == "" {
		u.Culture = "en-US"
	}
	if u.Brand == "" {
		u.Brand = "Default"
	}
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	u, ok := readUser(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if status, msg := s.st.validateUser(&u, ""); status != 0 {
		replyError(w, r, status, msg)
		return
	}
	// The query flag does what the body flag does (skipfirstlogin,
	// https://api.sap.com/api/LitmosAPIdetails/overview).
	if strings.EqualFold(r.URL.Query().Get("skipfirstlogin"), "true") {
		u.SkipFirstLogin = true
	}
	s.st.fillNewUser(&u, s.Now())
	stored := u
	s.st.addUser(&stored)
	if strings.EqualFold(r.URL.Query().Get("sendmessage"), "true") {
		s.st.messages = append(s.st.messages, Message{Kind: "welcome", UserID: u.ID})
	}
	reply(w, r, http.StatusCreated, u, "User", "")
}

// putUser replaces the user whole (the strict reading of
// https://api.sap.com/api/LitmosAPIdetails/overview): fields the body omits are
// cleared; only what Litmos computes is kept. The body Id must equal the URL
// id, else 404.
func (s *Server) putUser(w http.ResponseWriter, r *http.Request, id string) {
	u, ok := readUser(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.st.userByID[id]
	if old == nil || u.ID != id {
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	}
	if status, msg := s.st.validateUser(&u, id); status != 0 {
		replyError(w, r, status, msg)
		return
	}
	u.OriginalID, u.CreatedDate, u.LastLogin, u.LoginKey, u.Points = old.OriginalID, old.CreatedDate, old.LastLogin, old.LoginKey, old.Points
	u.FullName = strings.TrimSpace(u.FirstName + " " + u.LastName)
	u.Password = ""
	s.st.replaceUser(old, u)
	s.st.updated[id] = s.Now()
	replyEmpty(w, http.StatusOK)
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.userByID[id] == nil {
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	}
	s.st.removeUser(id)
	replyEmpty(w, http.StatusOK)
}

// sinceLayouts are the forms since and to accept
// (https://api.sap.com/api/LitmosAPIdetails/overview).
var sinceLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

func parseSince(v string) (time.Time, bool) {
	for _, l := range sinceLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// listChangedUsers serves GET /org/users/details: users created or updated
// between since and to (both required, else 406), with UpdatedDate.
func (s *Server) listChangedUsers(w http.ResponseWriter, r *http.Request) {
	start, limit, _, ok := paging(w, r)
	if !ok {
		return
	}
	since, ok1 := parseSince(r.URL.Query().Get("since"))
	to, ok2 := parseSince(r.URL.Query().Get("to"))
	if !ok1 || !ok2 {
		replyError(w, r, http.StatusNotAcceptable, "since and to are required, as yyyy-MM-dd HH:mm:ss")
		return
	}
	s.mu.Lock()
	var out []litmos.User
	for _, u := range s.st.users {
		at := s.st.updated[u.ID]
		if at.Before(since) || at.After(to) {
			continue
		}
		c := userCopy(u)
		if c.Extra == nil {
			c.Extra = litmos.Extra{}
		}
		c.Extra["UpdatedDate"], _ = json.Marshal(at.UTC().Format(time.RFC3339))
		out = append(out, c)
	}
	s.mu.Unlock()
	reply(w, r, http.StatusOK, fakeserver.Page(out, start, limit), "Users", "User")
}

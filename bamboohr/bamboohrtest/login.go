package bamboohrtest

import (
	"crypto/rand"
	"encoding/hex"
	"mime"
	"net/http"
)

// Login configures the fake's Login API
// (https://documentation.bamboohr.com/reference/login).
type Login struct {
	User, Password, ApplicationKey string
	// EmployeeID is the user's employee; 0 sends null.
	EmployeeID int
	// SSOOnly makes every login answer 200 with a plain-text error, as for
	// companies that enforce single sign-on.
	SSOOnly bool
}

// SetLogin enables the Login API for one user. Each successful login mints
// a new API key with every permission and returns it.
func (s *Server) SetLogin(l Login) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login = &l
}

func (s *Server) handleLogin(rq *request) {
	if rq.r.Method != http.MethodPost {
		notFound(rq.w, rq.r)
		return
	}
	mt, _, _ := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" || rq.r.ParseForm() != nil {
		rq.fail(http.StatusBadRequest, "Login takes a form-encoded body")
		return
	}
	f := rq.r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.login
	switch {
	case l == nil || f.Get("applicationKey") != l.ApplicationKey || f.Get("user") != l.User:
		rq.reply(http.StatusForbidden, map[string]any{"success": false})
	case l.SSOOnly:
		rq.w.Header().Set("Content-Type", "text/plain")
		rq.w.WriteHeader(http.StatusOK)
		_, _ = rq.w.Write([]byte("Password login is disabled for this company. Please sign in with SSO."))
	case f.Get("password") != l.Password:
		rq.reply(http.StatusForbidden, map[string]any{"success": false})
	default:
		key := newKey()
		s.keys[key] = &Key{}
		s.userSeq++
		var emp any
		if l.EmployeeID != 0 {
			emp = l.EmployeeID
		}
		rq.reply(http.StatusOK, map[string]any{"success": true, "userId": 2000 + s.userSeq,
			"employeeId": emp, "key": key, "apiUrl": rq.apiURL("")})
	}
}

func newKey() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

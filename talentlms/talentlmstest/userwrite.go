package talentlmstest

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
)

func (s *Server) editUser(w http.ResponseWriter, r *http.Request) {
	f, ok := formParams(r, withCustom(editKeys))
	if !ok || f.Get("user_id") == "" {
		invalid(w, msgInvalid)
		return
	}
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, msg := s.st.liveUser(f.Get("user_id"))
	if u == nil {
		notFound(w, msg)
		return
	}
	next := *u
	if msg := s.applyEdit(f, &next, now); msg != "" {
		replyError(w, statusFor(msg), msg)
		return
	}
	custom, msg := s.st.checkCustom(f, false)
	if msg != "" {
		invalid(w, msg)
		return
	}
	next.custom = mergeCustom(u.custom, custom)
	next.updated = now
	oldEmail, oldLogin := u.email, u.login
	*u = next
	s.st.reindex(u, oldEmail, oldLogin)
	fakeserver.WriteJSON(w, http.StatusOK, s.st.renderUser(u, false))
}

// applyEdit copies the fields sent onto u, checking each as signup does.
func (s *Server) applyEdit(f url.Values, u *user, now time.Time) string {
	for key, dst := range map[string]*string{
		"first_name": &u.first, "last_name": &u.last, "email": &u.email, "login": &u.login,
		"bio": &u.bio, "timezone": &u.timezone, "credits": &u.credits, "user_type": &u.userType,
	} {
		if f.Has(key) {
			*dst = f.Get(key)
		}
	}
	if (f.Has("first_name") && u.first == "") || (f.Has("last_name") && u.last == "") {
		return msgInvalid
	}
	if msg := s.checkIdentity(u, u.id); msg != "" {
		return msg
	}
	if f.Has("password") {
		if msg := s.checkPassword(f.Get("password")); msg != "" {
			return msg
		}
		u.password = f.Get("password")
	}
	var ok bool
	if u.restrictEmail, ok = onOff(f, "restrict_email", u.restrictEmail); !ok {
		return msgInvalid
	}
	if f.Has("deactivation_date") {
		return s.st.setDeactivation(u, f.Get("deactivation_date"), now)
	}
	return ""
}

// setDeactivation reads deactivation_date: "" clears it; otherwise a
// future date in the portal's date format, for an active user only (as
// https://github.com/clintmasden/talentlms.client documents).
func (st *state) setDeactivation(u *user, v string, now time.Time) string {
	if v == "" {
		u.deactivation = time.Time{}
		return ""
	}
	d, err := time.Parse(st.df.DateLayout(), v)
	if err != nil || u.status != talentlms.Active || !d.After(now) {
		return msgInvalid
	}
	u.deactivation = d
	return ""
}

func mergeCustom(old, changes map[string]string) map[string]string {
	out := make(map[string]string, len(old)+len(changes))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func (s *Server) setUserStatus(w http.ResponseWriter, raw string) {
	p, ok := pathParams(raw, "user_id", "status")
	st := talentlms.UserStatus(p["status"])
	if !ok || len(p) != 2 || (st != talentlms.Active && st != talentlms.Inactive) {
		invalid(w, msgInvalid)
		return
	}
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, msg := s.st.liveUser(p["user_id"])
	if u == nil {
		notFound(w, msg)
		return
	}
	if st == talentlms.Active && u.status != st {
		if msg := s.checkPassword(u.password); msg != "" {
			invalid(w, msg)
			return
		}
	}
	u.status, u.updated = st, now
	fakeserver.WriteJSON(w, http.StatusOK, map[string]string{"user_id": u.id, "status": string(st)})
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	f, ok := formParams(r, keys("user_id", "deleted_by_user_id", "permanent"))
	perm := f.Get("permanent")
	if !ok || f.Get("user_id") == "" || (f.Has("permanent") && perm != "yes" && perm != "no") {
		invalid(w, msgInvalid)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, msg := s.st.liveUser(f.Get("user_id"))
	if u == nil {
		notFound(w, msg)
		return
	}
	if by := f.Get("deleted_by_user_id"); by != "" {
		d, msg := s.st.liveUser(by)
		switch {
		case d == nil:
			notFound(w, msg)
			return
		case d == u:
			invalid(w, msgInvalid)
			return
		}
	}
	s.st.deleteUser(u, perm == "yes")
	fakeserver.WriteJSON(w, http.StatusOK, map[string]string{"message": "Operation completed successfully"})
}

// trimmedBlank reports a value that is only spaces (" " is what the
// official plugin sends for a mandatory field it has nothing for).
func trimmedBlank(v string) bool { return strings.TrimSpace(v) == "" }

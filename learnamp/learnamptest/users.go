package learnamptest

import (
	"net/http"
	"net/mail"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/learnamp"
)

// languages are the codes user writes take
// (https://developers.learnamp.com/#supported-language-codes).
var languages = map[string]bool{
	"en": true, "en-US": true, "de": true, "es": true, "es-CO": true, "fr": true, "fr-CA": true, "it": true,
	"nl": true, "pt-BR": true, "pl": true, "ru": true, "no": true, "sv": true, "da": true, "zh-CN": true,
	"zh-TW": true, "ja": true, "ar": true, "sk": true, "ca": true, "cy": true, "el": true, "hu": true,
	"pt-PT": true, "ro": true, "tr": true,
}

// settableRoles are the roles the API may set; owner and super_admin cannot be.
var settableRoles = map[string]bool{
	"viewer": true, "curator": true, "reporter": true, "learning_designer": true, "hr": true, "admin": true,
}

// userFields are the documented body fields of a user create; updates
// add occupationRole and reactivate (and skipInvitation, which the Ruby
// example of the reference sends and the fake ignores).
var userFields = []string{
	"email", "firstName", "lastName", "integrationExternalId", "language", "jobTitle", "role",
	"primaryTeamId", "primaryTeamIntegrationExternalId", "secondaryTeamIds",
	"secondaryTeamIntegrationExternalIds", "managerId", "managerEmail", "skipInvitation",
	"hireDate", "location", "department", "customFields",
}

var userUpdateFields = append(append([]string(nil), userFields...), "occupationRole", "reactivate")

// userRef names a user in a path: by Learn Amp id or integrationExternalId.
type userRef struct{ id, ext string }

// withUser runs h under the lock with the user ref names, or answers 404.
func (s *Server) withUser(ref userRef, h func(http.ResponseWriter, *http.Request, *userRec)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		u := s.st.users[ref.id]
		if ref.ext != "" {
			u = s.st.userByExt(ref.ext)
		}
		if u == nil {
			notFound(w)
			return
		}
		h(w, r, u)
	}
}

func (s *Server) getUser(w http.ResponseWriter, _ *http.Request, u *userRec) {
	fakeserver.WriteJSON(w, http.StatusOK, s.st.fullUser(u))
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r, userFields...)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &userRec{User: User{TimeZone: "London", Language: "en", Role: "viewer"}}
	u.Email = b.required("email", true)
	u.FirstName = b.required("firstName", false)
	u.LastName = b.required("lastName", false)
	ch := s.applyUser(w, b, u, true)
	if ch == nil {
		return
	}
	now := s.Now()
	u.ID, u.CreatedAt, u.UpdatedAt, u.since = s.st.newUserID(), now, now, now
	u.Status = learnamp.StatusNotInvited
	if !b.boolean("skipInvitation") {
		u.Status = learnamp.StatusInvitePending
		s.st.invitations = append(s.st.invitations, Invitation{UserID: u.ID, Email: u.Email, At: now})
	}
	s.st.insertUser(u)
	ch.commit(s.st, u)
	fakeserver.WriteJSON(w, http.StatusCreated, s.st.fullUser(u))
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, u *userRec) {
	b, ok := readBody(w, r, userUpdateFields...)
	if !ok {
		return
	}
	next := &userRec{User: u.view(), before: u.before}
	next.Email = b.required("email", true)
	next.FirstName = b.required("firstName", false)
	next.LastName = b.required("lastName", false)
	if b.present("integrationExternalId") && !b.has("integrationExternalId") {
		next.IntegrationExternalID = "" // null clears it
	}
	ch := s.applyUser(w, b, next, false)
	if ch == nil {
		return
	}
	now := s.Now()
	if next.Email != u.Email {
		s.st.setEmail(u, next.Email)
	}
	if next.IntegrationExternalID != u.IntegrationExternalID {
		s.st.setUserExt(u, next.IntegrationExternalID)
	}
	u.FirstName, u.LastName, u.JobTitle, u.Language, u.Role = next.FirstName, next.LastName, next.JobTitle, next.Language, next.Role
	u.HireDate, u.Location, u.Department, u.OccupationRole = next.HireDate, next.Location, next.Department, next.OccupationRole
	u.ManagerID, u.CustomFields, u.UpdatedAt = next.ManagerID, next.CustomFields, now
	ch.commit(s.st, u)
	if b.boolean("reactivate") {
		s.st.reactivate(u, now)
	}
	fakeserver.WriteJSON(w, http.StatusOK, s.st.fullUser(u))
}

func (s *Server) userAction(action string) func(http.ResponseWriter, *http.Request, *userRec) {
	return func(w http.ResponseWriter, _ *http.Request, u *userRec) {
		if action == "deactivate" {
			s.st.deactivate(u, s.Now())
		} else {
			s.st.reactivate(u, s.Now())
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) deleteUser(w http.ResponseWriter, _ *http.Request, u *userRec) {
	s.st.removeUser(u)
	w.WriteHeader(http.StatusNoContent)
}

// teamChange is the team part of a user write, applied once it is valid.
type teamChange struct {
	primary        string
	setPrimary     bool
	secondaries    []string
	setSecondaries bool
}

func (c *teamChange) commit(st *state, u *userRec) {
	if c.setPrimary {
		st.setPrimary(u, c.primary, false)
	}
	if c.setSecondaries {
		st.setSecondaries(u, c.secondaries)
	}
}

// applyUser reads the optional fields of a user write into u and checks
// them all; on failure it answers and returns nil. The caller holds s.mu.
func (s *Server) applyUser(w http.ResponseWriter, b *body, u *userRec, create bool) *teamChange {
	p := b.p
	// The documented answer to both of a pair is that text alone.
	if exclusive(b, "primaryTeamId", "primaryTeamIntegrationExternalId") || exclusive(b, "secondaryTeamIds", "secondaryTeamIntegrationExternalIds") ||
		exclusive(b, "managerId", "managerEmail") {
		b.exclusiveReply(w)
		return nil
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"jobTitle", &u.JobTitle}, {"location", &u.Location}, {"department", &u.Department}, {"integrationExternalId", &u.IntegrationExternalID}} {
		if v, ok := b.str(f.name); ok {
			*f.dst = v
		}
	}
	if v, ok := b.str("language"); ok {
		if !languages[v] {
			p.add("language", "does not have a valid value")
		}
		u.Language = v
	}
	if v, ok := b.str("role"); ok {
		if !settableRoles[v] {
			p.add("role", "does not have a valid value")
		}
		u.Role = v
	}
	if d, ok := b.date("hireDate"); ok {
		u.HireDate = d
	}
	if u.Email != "" && !plainEmail(u.Email) {
		p.add("email", "is invalid")
	}
	b.boolean("skipInvitation")
	b.boolean("reactivate")
	occupation, hasOccupation := b.str("occupationRole")
	ch := s.userTeams(b)
	manager := s.userManager(b)
	fields := b.customFields()
	if p.failed() {
		p.reply(w)
		return nil
	}
	if !s.uniqueUser(w, u, create) || !s.customFields(w, u, fields) {
		return nil
	}
	if manager != nil {
		u.ManagerID = *manager
	}
	if hasOccupation {
		if !s.st.occupations[occupation] {
			writeError(w, http.StatusUnprocessableEntity, "occupationRole does not match an existing role in your company")
			return nil
		}
		u.OccupationRole = occupation
	}
	if u.Role == "hr" && !s.hr {
		writeError(w, http.StatusUnprocessableEntity, "role hr requires the HR package on your company")
		return nil
	}
	return ch
}

func plainEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// userTeams reads and resolves the team fields of a user write.
func (s *Server) userTeams(b *body) *teamChange {
	ch := &teamChange{}
	if id := b.id("primaryTeamId"); id != "" {
		if s.st.teams[id] == nil {
			b.p.add("primaryTeamId", "must match existing teams IDs")
		}
		ch.primary, ch.setPrimary = id, true
	}
	if ext, ok := b.str("primaryTeamIntegrationExternalId"); ok {
		t := s.st.teamByExt(ext)
		if t == nil {
			b.p.add("primaryTeamIntegrationExternalId", "must match existing teams integration external IDs")
		} else {
			ch.primary, ch.setPrimary = t.ID, true
		}
	}
	if ids := b.ids("secondaryTeamIds"); ids != nil {
		for _, id := range ids {
			if s.st.teams[id] == nil {
				b.p.add("secondaryTeamIds", "must match existing teams IDs")
				break
			}
		}
		ch.secondaries, ch.setSecondaries = ids, true
	}
	if exts := b.strs("secondaryTeamIntegrationExternalIds"); exts != nil {
		ch.secondaries, ch.setSecondaries = []string{}, true
		for _, ext := range exts {
			t := s.st.teamByExt(ext)
			if t == nil {
				b.p.add("secondaryTeamIntegrationExternalIds", "must match existing teams integration external IDs")
				break
			}
			ch.secondaries = append(ch.secondaries, t.ID)
		}
	}
	return ch
}

// userManager reads managerId or managerEmail (matched, ignoring case,
// against active users); nil when neither is sent.
func (s *Server) userManager(b *body) *string {
	if id := b.id("managerId"); id != "" {
		if s.st.users[id] == nil {
			b.p.only("managerId must match an existing user within your company")
		}
		return &id
	}
	if email, ok := b.str("managerEmail"); ok {
		m := s.st.userByEmail(email)
		if m == nil || m.Status == learnamp.StatusDeactivated {
			b.p.only("managerEmail must match an existing user email within your company")
			return nil
		}
		return &m.ID
	}
	return nil
}

// uniqueUser refuses a taken email or integrationExternalId.
func (s *Server) uniqueUser(w http.ResponseWriter, u *userRec, create bool) bool {
	if o := s.st.userByEmail(u.Email); o != nil && (create || o.ID != u.ID) {
		taken(w, "Validation failed: ", "email", "Email")
		return false
	}
	if o := s.st.userByExt(u.IntegrationExternalID); u.IntegrationExternalID != "" && o != nil && (create || o.ID != u.ID) {
		taken(w, "Validation failed: ", "integrationExternalId", "Integration external id")
		return false
	}
	return true
}

// customFields applies customFields by name: an unknown name answers 404,
// clearing a presence-validated field 400 (the value is kept).
func (s *Server) customFields(w http.ResponseWriter, u *userRec, fields []customField) bool {
	next := map[string]string{}
	for k, v := range u.CustomFields {
		next[k] = v
	}
	for _, f := range fields {
		required, known := s.st.customField[f.Name]
		if !known {
			notFound(w)
			return false
		}
		if f.Value == nil || strings.TrimSpace(*f.Value) == "" {
			if required {
				fakeserver.WriteJSON(w, http.StatusBadRequest, map[string]any{
					"error": "Validation failed: Value can't be blank", "fullErrors": map[string][]string{"value": {"can't be blank"}},
				})
				return false
			}
			delete(next, f.Name)
			continue
		}
		next[f.Name] = *f.Value
	}
	u.CustomFields = next
	return true
}

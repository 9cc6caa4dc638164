package learnamptest

import (
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// The team users endpoints (https://developers.learnamp.com/#team-users).

var teamUsersQueryKeys = map[string]bool{"page": true, "perPage": true}

// listTeamUsers answers the team object with one page of its users (full
// objects, as the reference's example shows) and the paging headers.
func (s *Server) listTeamUsers(w http.ResponseWriter, r *http.Request, t *Team) {
	if !checkQuery(w, r.URL.Query(), teamUsersQueryKeys) {
		return
	}
	page, per, ok := paging(w, r)
	if !ok {
		return
	}
	items := pageOf(w, s.st.teamMembers(t.ID), page, per)
	out := teamUsersJSON{teamJSON: s.st.team(t), Users: make([]userJSON, len(items))}
	for i, u := range items {
		out.Users[i] = s.st.fullUser(u)
	}
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

// addMember adds u to t (isPrimary makes it the primary team) and answers
// 201 with the membership, or the team for response=Teams::Simple/Extended.
// A user already in the team answers 400 (the reference does not say).
func (s *Server) addMember(w http.ResponseWriter, t *Team, u *userRec, primary bool, response string) {
	if _, in := s.st.members[t.ID][u.ID]; in {
		taken(w, "Validation failed: ", "user", "User")
		return
	}
	m := s.st.join(u, t.ID)
	if primary {
		s.st.setPrimary(u, t.ID, true)
	}
	switch response {
	case "Teams::Simple":
		fakeserver.WriteJSON(w, http.StatusCreated, s.st.team(t))
	case "Teams::Extended":
		fakeserver.WriteJSON(w, http.StatusCreated, s.st.teamDetail(t))
	default:
		fakeserver.WriteJSON(w, http.StatusCreated, membership(m, t.ID, u.ID))
	}
}

func responseParam(b *body) string {
	v, _ := b.str("response")
	if v != "" && v != "Teams::Simple" && v != "Teams::Extended" {
		b.p.add("response", "does not have a valid value")
	}
	return v
}

// addTeamUser is POST /v1/teams/{id}/users {"userId", "isPrimary"}.
func (s *Server) addTeamUser(w http.ResponseWriter, r *http.Request, t *Team) {
	b, ok := readBody(w, r, "userId", "isPrimary", "response")
	if !ok {
		return
	}
	if !b.has("userId") {
		b.p.add("userId", "is missing")
		b.p.add("userId", "is empty")
	}
	uid := b.id("userId")
	primary := b.boolean("isPrimary")
	resp := responseParam(b)
	u := s.st.users[uid]
	if uid != "" && u == nil {
		b.p.add("userId", "must match an existing user within your company")
	}
	if b.p.failed() {
		b.p.reply(w)
		return
	}
	s.addMember(w, t, u, primary, resp)
}

// addTeamUserAlt is POST /v1/teams/users: exactly one of teamId, teamName
// and teamIntegrationExternalId, exactly one of userId and userEmail.
func (s *Server) addTeamUserAlt(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r, "teamId", "teamName", "teamIntegrationExternalId", "userId", "userEmail", "response")
	if !ok {
		return
	}
	exactlyOne(b, "teamId", "teamName", "teamIntegrationExternalId")
	exactlyOne(b, "userId", "userEmail")
	resp := responseParam(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, u := s.altTeam(b), s.altUser(b)
	if b.p.failed() {
		b.p.reply(w)
		return
	}
	s.addMember(w, t, u, false, resp)
}

// exactlyOne records Grape's exactly_one_of failures.
func exactlyOne(b *body, names ...string) {
	var set []string
	for _, n := range names {
		if b.has(n) {
			set = append(set, n)
		}
	}
	switch {
	case len(set) == 0:
		b.p.only(strings.Join(names, ", ") + " are missing, exactly one parameter must be provided")
	case len(set) > 1:
		b.p.only(strings.Join(set, ", ") + " are mutually exclusive")
	}
}

func (s *Server) altTeam(b *body) *Team {
	if id := b.id("teamId"); id != "" {
		if t := s.st.teams[id]; t != nil {
			return t
		}
		b.p.only("teamId must match an existing team ID within your company")
	}
	if name, ok := b.str("teamName"); ok {
		if ids := s.st.byTeamName[strings.ToLower(name)]; len(ids) == 1 {
			return s.st.teams[ids[0]]
		}
		b.p.only("teamName must match an existing team name within your company")
	}
	if ext, ok := b.str("teamIntegrationExternalId"); ok {
		if t := s.st.teamByExt(ext); t != nil {
			return t
		}
		b.p.only("teamIntegrationExternalId must match an existing team integration external ID within your company")
	}
	return nil
}

func (s *Server) altUser(b *body) *userRec {
	if id := b.id("userId"); id != "" {
		if u := s.st.users[id]; u != nil {
			return u
		}
		b.p.only("userId must match an existing user ID within your company")
	}
	if email, ok := b.str("userEmail"); ok {
		if u := s.st.userByEmail(email); u != nil {
			return u
		}
		b.p.only("userEmail must match an existing user email within your company")
	}
	return nil
}

// bulkAddTeamUsers is POST /v1/teams/{id}/bulk/users {"userIds", "isPrimary"}.
// The reference does not document the reply: the fake answers 201 with
// the memberships of all the users named (members already are kept).
func (s *Server) bulkAddTeamUsers(w http.ResponseWriter, r *http.Request, t *Team) {
	b, ok := readBody(w, r, "userIds", "isPrimary")
	if !ok {
		return
	}
	ids := b.ids("userIds")
	primary := b.boolean("isPrimary")
	if !b.has("userIds") || (ids != nil && len(ids) == 0) {
		b.p.add("userIds", "is missing")
		b.p.add("userIds", "is empty")
	}
	for _, id := range ids {
		if s.st.users[id] == nil {
			b.p.add("userIds", "must match existing users IDs")
			break
		}
	}
	if b.p.failed() {
		b.p.reply(w)
		return
	}
	out := make([]membershipJSON, 0, len(ids))
	for _, id := range ids {
		u := s.st.users[id]
		m := s.st.join(u, t.ID)
		if primary {
			s.st.setPrimary(u, t.ID, true)
		}
		out = append(out, membership(m, t.ID, u.ID))
	}
	fakeserver.WriteJSON(w, http.StatusCreated, out)
}

// removeTeamUser is DELETE /v1/teams/{id}/users/{userId}: 404 when the
// user is not in the team.
func (s *Server) removeTeamUser(uid string) func(http.ResponseWriter, *http.Request, *Team) {
	return func(w http.ResponseWriter, _ *http.Request, t *Team) {
		u := s.st.users[uid]
		if _, in := s.st.members[t.ID][uid]; !in || u == nil {
			notFound(w)
			return
		}
		s.st.leave(u, t.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}

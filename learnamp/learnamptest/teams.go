package learnamptest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

var (
	teamCreateFields = []string{"name", "integrationExternalId", "managerId", "managerEmail", "secondaryManagerIds",
		"parentTeamId", "parentTeamName", "subTeamIds", "subTeamNames", "tags"}
	teamUpdateFields = []string{"name", "integrationExternalId", "managerId", "parentTeamId", "tags", "response"}
	teamQueryKeys    = map[string]bool{"page": true, "perPage": true, "filters[name]": true, "filters[tags]": true}
)

// withTeam runs h under the lock with the team ref names, or answers 404.
func (s *Server) withTeam(ref teamRef, h func(http.ResponseWriter, *http.Request, *Team)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		t := s.st.teams[ref.id]
		if ref.ext != "" {
			t = s.st.teamByExt(ref.ext)
		}
		if t == nil {
			notFound(w)
			return
		}
		h(w, r, t)
	}
}

// listTeams is GET /v1/teams. filters[name] matches part of the name,
// ignoring case (the reference does not say; see the package doc);
// filters[tags] any of the comma-separated tags.
func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkQuery(w, q, teamQueryKeys) {
		return
	}
	page, per, ok := paging(w, r)
	if !ok {
		return
	}
	name := strings.ToLower(q.Get("filters[name]"))
	tags := list(q, "filters[tags]")
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*Team
	for _, id := range s.st.teamOrder {
		t := s.st.teams[id]
		if strings.Contains(strings.ToLower(t.Name), name) && (len(tags) == 0 || anyTag(t, tags)) {
			match = append(match, t)
		}
	}
	items := pageOf(w, match, page, per)
	out := make([]teamJSON, len(items))
	for i, t := range items {
		out[i] = s.st.team(t)
	}
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{"teams": out})
}

func anyTag(t *Team, tags []string) bool {
	for _, tag := range tags {
		if slices.ContainsFunc(t.Tags, func(x string) bool { return strings.EqualFold(x, tag) }) {
			return true
		}
	}
	return false
}

func (s *Server) getTeam(w http.ResponseWriter, _ *http.Request, t *Team) {
	fakeserver.WriteJSON(w, http.StatusOK, s.st.teamDetail(t))
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// createTeam is POST /v1/teams (https://developers.learnamp.com/#create-a-team).
func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r, teamCreateFields...)
	if !ok {
		return
	}
	if exclusive(b, "managerId", "managerEmail") || exclusive(b, "parentTeamId", "parentTeamName") || exclusive(b, "subTeamIds", "subTeamNames") {
		b.exclusiveReply(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &Team{Name: b.required("name", true)}
	t.IntegrationExternalID, _ = b.str("integrationExternalId")
	if v, ok := b.str("tags"); ok {
		t.Tags = splitTags(v)
	}
	t.ManagerID = s.teamManager(b)
	t.SecondaryManagerIDs = b.ids("secondaryManagerIds")
	for _, id := range t.SecondaryManagerIDs {
		if s.st.users[id] == nil {
			b.p.add("secondaryManagerIds", "must match existing users IDs")
			break
		}
	}
	t.ParentTeamID = s.parentTeam(b, nil)
	subs := s.subTeams(b)
	for _, sub := range subs {
		if t.ParentTeamID != "" && s.isAncestor(sub.ID, t.ParentTeamID) {
			b.p.add("subTeamIds", "cannot include the parent team or one of its ancestors")
			break
		}
	}
	if b.p.failed() {
		b.p.reply(w)
		return
	}
	if t.IntegrationExternalID != "" && s.st.teamByExt(t.IntegrationExternalID) != nil {
		taken(w, "", "integrationExternalId", "Integration external id")
		return
	}
	now := s.Now()
	t.ID, t.CreatedAt, t.UpdatedAt = s.st.newTeamID(), now, now
	s.st.insertTeam(t)
	for _, sub := range subs {
		s.st.setParent(sub, t.ID)
	}
	fakeserver.WriteJSON(w, http.StatusCreated, s.st.teamDetail(t))
}

// teamManager reads managerId or managerEmail of a team write.
func (s *Server) teamManager(b *body) string {
	if id := b.id("managerId"); id != "" {
		if s.st.users[id] == nil {
			b.p.add("managerId", "must match an existing user ID")
		}
		return id
	}
	if email, ok := b.str("managerEmail"); ok {
		m := s.st.userByEmail(email)
		if m == nil {
			b.p.add("managerEmail", "must match an existing user email")
			return ""
		}
		return m.ID
	}
	return ""
}

// parentTeam reads parentTeamId or parentTeamName; self is the team being
// updated (nil on create), which may not become its own ancestor.
func (s *Server) parentTeam(b *body, self *Team) string {
	id := b.id("parentTeamId")
	if id != "" && s.st.teams[id] == nil {
		b.p.add("parentTeamId", "must match existing teams IDs")
		return ""
	}
	if name, ok := b.str("parentTeamName"); ok {
		ids := s.st.byTeamName[strings.ToLower(name)]
		switch len(ids) {
		case 0:
			b.p.add("parentTeamName", "must match existing teams names")
		case 1:
			id = ids[0]
		default:
			b.p.add("parentTeamName", "matches more than one team")
		}
	}
	if self != nil && id != "" && s.isAncestor(self.ID, id) {
		b.p.add("parentTeamId", "cannot be the team itself or one of its sub-teams")
	}
	return id
}

// isAncestor reports whether anc is id or above it in the tree.
func (s *Server) isAncestor(anc, id string) bool {
	for seen := 0; id != "" && seen <= len(s.st.teams); seen++ {
		if id == anc {
			return true
		}
		id = s.st.teams[id].ParentTeamID
	}
	return false
}

// subTeams reads subTeamIds or subTeamNames into the teams to re-parent.
func (s *Server) subTeams(b *body) []*Team {
	var out []*Team
	for _, id := range b.ids("subTeamIds") {
		t := s.st.teams[id]
		if t == nil {
			b.p.add("subTeamIds", "must match existing teams IDs")
			return nil
		}
		out = append(out, t)
	}
	for _, name := range b.strs("subTeamNames") {
		ids := s.st.byTeamName[strings.ToLower(name)]
		if len(ids) != 1 {
			b.p.add("subTeamNames", "must match existing teams names")
			return nil
		}
		out = append(out, s.st.teams[ids[0]])
	}
	return out
}

// updateTeam is PUT /v1/teams/{id} (https://developers.learnamp.com/#update-a-team).
func (s *Server) updateTeam(w http.ResponseWriter, r *http.Request, t *Team) {
	b, ok := readBody(w, r, teamUpdateFields...)
	if !ok {
		return
	}
	next := t.view()
	next.Name = b.required("name", true)
	if v, ok := b.str("integrationExternalId"); ok {
		next.IntegrationExternalID = v
	} else if b.present("integrationExternalId") {
		next.IntegrationExternalID = ""
	}
	if b.has("managerId") {
		next.ManagerID = s.teamManager(b)
	}
	if b.has("parentTeamId") {
		next.ParentTeamID = s.parentTeam(b, t)
	} else if b.present("parentTeamId") {
		next.ParentTeamID = ""
	}
	if v, ok := b.str("tags"); ok {
		next.Tags = splitTags(v)
	}
	resp, _ := b.str("response")
	if resp != "" && resp != "Simple" && resp != "Extended" {
		b.p.add("response", "does not have a valid value")
	}
	if b.p.failed() {
		b.p.reply(w)
		return
	}
	if o := s.st.teamByExt(next.IntegrationExternalID); next.IntegrationExternalID != "" && o != nil && o.ID != t.ID {
		taken(w, "", "integrationExternalId", "Integration external id")
		return
	}
	s.st.unindexTeam(t)
	next.UpdatedAt = s.Now()
	parent := next.ParentTeamID
	next.ParentTeamID = t.ParentTeamID
	*t = next
	s.st.setParent(t, parent)
	s.st.indexTeam(t)
	if resp == "Extended" {
		fakeserver.WriteJSON(w, http.StatusOK, s.st.teamDetail(t))
		return
	}
	fakeserver.WriteJSON(w, http.StatusOK, s.st.team(t))
}

func (s *Server) deleteTeam(w http.ResponseWriter, _ *http.Request, t *Team) {
	s.st.removeTeam(t)
	w.WriteHeader(http.StatusNoContent)
}

package litmostest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/litmos"
)

func (s *Server) routeTeams(w http.ResponseWriter, r *http.Request, seg []string) {
	switch {
	case len(seg) == 0 && r.Method == http.MethodGet:
		s.listTeams(w, r, "", false)
	case len(seg) == 0 && r.Method == http.MethodPost:
		s.createTeam(w, r, "")
	case len(seg) == 1 && r.Method == http.MethodGet:
		s.getTeam(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "teams" && r.Method == http.MethodGet:
		s.listTeams(w, r, seg[0], true)
	case len(seg) == 2 && seg[1] == "teams" && r.Method == http.MethodPost:
		s.createTeam(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "users" && r.Method == http.MethodGet:
		s.listMembers(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "users" && r.Method == http.MethodPost:
		s.addMembers(w, r, seg[0])
	case len(seg) == 3 && seg[1] == "users" && r.Method == http.MethodDelete:
		s.removeMember(w, r, seg[0], seg[2])
	case len(seg) <= 3:
		methodNotAllowed(w, r)
	default:
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
	}
}

// listTeams lists every team (sub-teams included), or the direct children of
// parent. Lists carry no Description
// (https://support.litmos.com/hc/en-us/articles/227734747-Teams-API-Get-a-list-of-teams-or-Create-Edit-and-Delete-teams).
func (s *Server) listTeams(w http.ResponseWriter, r *http.Request, parent string, children bool) {
	start, limit, search, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	if children && s.st.teamByID[parent] == nil {
		s.mu.Unlock()
		replyError(w, r, http.StatusNotFound, "Team not found")
		return
	}
	var out []litmos.Team
	for _, t := range s.st.teams {
		if children && t.ParentTeamID != parent {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(t.Name), strings.ToLower(search)) {
			continue
		}
		out = append(out, litmos.Team{ID: t.ID, Name: t.Name, ParentTeamID: t.ParentTeamID, TeamCodeForBulkImport: t.TeamCodeForBulkImport})
	}
	s.mu.Unlock()
	reply(w, r, http.StatusOK, fakeserver.Page(out, start, limit), "Teams", "Team")
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request, id string) {
	replyRecord(s, w, r, "Team", func(st *state) *litmos.Team { return st.teamByID[id] })
}

// createTeam answers 201 with the team, 409 for a taken name
// (https://support.litmos.com/hc/en-us/articles/227734747-Teams-API-Get-a-list-of-teams-or-Create-Edit-and-Delete-teams).
func (s *Server) createTeam(w http.ResponseWriter, r *http.Request, parent string) {
	var t litmos.Team
	if bodyKind(r) != "json" || json.Unmarshal(bodyOf(r), &t) != nil {
		replyError(w, r, http.StatusBadRequest, "The request body is not a JSON team")
		return
	}
	name := strings.TrimSpace(t.Name)
	if name == "" || len([]rune(name)) > 100 || len([]rune(t.Description)) > 1000 {
		replyError(w, r, http.StatusBadRequest, "Name (at most 100 characters) is required; Description is at most 1000")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if parent != "" && s.st.teamByID[parent] == nil {
		replyError(w, r, http.StatusNotFound, "Team not found")
		return
	}
	if s.st.teamByName[nameKey(name)] != nil {
		replyError(w, r, http.StatusConflict, "Team name already exists")
		return
	}
	t.ID, _ = s.st.newID()
	t.Name = name
	if parent != "" {
		t.ParentTeamID = parent
	}
	stored := t
	s.st.addTeam(&stored)
	reply(w, r, http.StatusCreated, t, "Team", "")
}

// listMembers lists active members only
// (https://support.litmos.com/hc/en-us/articles/227734727-Teams-API-Add-Remove-users-from-a-team).
func (s *Server) listMembers(w http.ResponseWriter, r *http.Request, teamID string) {
	start, limit, search, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	if s.st.teamByID[teamID] == nil {
		s.mu.Unlock()
		replyError(w, r, http.StatusNotFound, "Team not found")
		return
	}
	var out []litmos.UserSummary
	for _, id := range s.st.members[teamID] {
		if u := s.st.userByID[id]; u != nil && u.Active && fuzzy(u, search) {
			out = append(out, summary(u))
		}
	}
	s.mu.Unlock()
	reply(w, r, http.StatusOK, fakeserver.Page(out, start, limit), "Users", "User")
}

// addMembers ignores users already in the team and unknown ids; 404 when the
// team is missing or the list is empty
// (https://support.litmos.com/hc/en-us/articles/227734727-Teams-API-Add-Remove-users-from-a-team).
func (s *Server) addMembers(w http.ResponseWriter, r *http.Request, teamID string) {
	ids, ok := readIDs(r, "Users", "User")
	if !ok {
		replyError(w, r, http.StatusBadRequest, "The request body is not a list of users")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.teamByID[teamID] == nil || len(ids) == 0 {
		replyError(w, r, http.StatusNotFound, "Team not found or no users given")
		return
	}
	email := strings.EqualFold(r.URL.Query().Get("sendmessage"), "true")
	for _, id := range ids {
		if s.st.userByID[id] == nil || !s.st.addMember(teamID, id) {
			continue
		}
		if email {
			s.st.messages = append(s.st.messages, Message{Kind: "team", UserID: id, About: teamID})
		}
	}
	replyEmpty(w, http.StatusCreated)
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request, teamID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.teamByID[teamID] == nil || !s.st.removeMember(teamID, userID) {
		replyError(w, r, http.StatusNotFound, "Team or member not found")
		return
	}
	replyEmpty(w, http.StatusOK)
}

// listUserTeams serves GET /users/{id}/teams: the user's teams, in the
// order joined, as list items (no Description).
func (s *Server) listUserTeams(w http.ResponseWriter, r *http.Request, ref string) {
	start, limit, search, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	u := s.st.userByRef(ref)
	var out []litmos.Team
	if u != nil {
		for _, id := range s.st.userTeams[u.ID] {
			t := s.st.teamByID[id]
			if search == "" || strings.Contains(strings.ToLower(t.Name), strings.ToLower(search)) {
				out = append(out, litmos.Team{ID: t.ID, Name: t.Name, ParentTeamID: t.ParentTeamID, TeamCodeForBulkImport: t.TeamCodeForBulkImport})
			}
		}
	}
	s.mu.Unlock()
	if u == nil {
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	}
	reply(w, r, http.StatusOK, nonNil(fakeserver.Page(out, start, limit)), "Teams", "Team")
}

// maxTeamsPerAdd is the most team ids POST /users/{id}/teams takes.
const maxTeamsPerAdd = 25

// addUserToTeams serves POST /users/{id}/teams: all or nothing, 404 for
// an unknown team or more than 25 ids, 409 when the user already belongs
// to any of them (https://api.sap.com/api/LitmosAPIdetails/overview).
func (s *Server) addUserToTeams(w http.ResponseWriter, r *http.Request, ref string) {
	ids, ok := readIDs(r, "Teams", "Team")
	if !ok {
		replyError(w, r, http.StatusBadRequest, "The request body is not a list of teams")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.userByRef(ref)
	switch {
	case u == nil:
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	case len(ids) == 0 || len(ids) > maxTeamsPerAdd:
		replyError(w, r, http.StatusNotFound, "Invalid Team Id found in the list or Maximum TeamIds is 25")
		return
	}
	for _, id := range ids {
		if s.st.teamByID[id] == nil {
			replyError(w, r, http.StatusNotFound, "Invalid Team Id found in the list or Maximum TeamIds is 25")
			return
		}
		if s.st.isMember[id][u.ID] {
			replyError(w, r, http.StatusConflict, "The user already belongs to one or more of the teams")
			return
		}
	}
	email := strings.EqualFold(r.URL.Query().Get("sendmessage"), "true")
	for _, id := range ids {
		if s.st.addMember(id, u.ID) && email {
			s.st.messages = append(s.st.messages, Message{Kind: "team", UserID: u.ID, About: id})
		}
	}
	replyEmpty(w, http.StatusOK)
}

package learnamptest

import "net/http"

// route is what serves one method on one path, and the scope it needs
// (https://developers.learnamp.com/, "Required Scope" of each endpoint).
type route struct {
	scope  string
	handle http.HandlerFunc
}

type methods map[string]route

// pick returns the route for method; a known path with another method
// gives a route without handler (405).
func (m methods) pick(method string) (route, bool) { return m[method], true }

// teamRef names a team in a path: by Learn Amp id or by_external_id.
type teamRef struct{ id, ext string }

// route finds what serves method on the path segments after /v1/;
// false when the path is unknown.
func (s *Server) route(method string, seg []string) (route, bool) {
	switch seg[0] {
	case "users":
		return s.userRoute(method, seg[1:])
	case "teams":
		return s.teamRoute(method, seg[1:])
	}
	return route{}, false
}

func (s *Server) userRoute(method string, seg []string) (route, bool) {
	switch {
	case len(seg) == 0:
		return methods{
			http.MethodGet:  {"users:read", s.listUsers},
			http.MethodPost: {"users:create", s.createUser},
		}.pick(method)
	case len(seg) == 2 && seg[0] == "by_integration_external_id":
		ref := userRef{ext: seg[1]}
		return methods{
			http.MethodGet: {"users:read", s.withUser(ref, s.getUser)},
			http.MethodPut: {"users:update", s.withUser(ref, s.updateUser)},
		}.pick(method)
	case len(seg) == 1:
		ref := userRef{id: seg[0]}
		return methods{
			http.MethodGet:    {"users:read", s.withUser(ref, s.getUser)},
			http.MethodPut:    {"users:update", s.withUser(ref, s.updateUser)},
			http.MethodDelete: {"users:delete", s.withUser(ref, s.deleteUser)},
		}.pick(method)
	case len(seg) == 2 && (seg[1] == "deactivate" || seg[1] == "reactivate"):
		ref, action := userRef{id: seg[0]}, seg[1]
		return methods{
			http.MethodPut: {"users:" + action, s.withUser(ref, s.userAction(action))},
		}.pick(method)
	}
	return route{}, false
}

func (s *Server) teamRoute(method string, seg []string) (route, bool) {
	switch {
	case len(seg) == 0:
		return methods{
			http.MethodGet:  {"teams:read", s.listTeams},
			http.MethodPost: {"teams:create", s.createTeam},
		}.pick(method)
	case len(seg) == 1 && seg[0] == "users":
		return methods{http.MethodPost: {"team_users:create", s.addTeamUserAlt}}.pick(method)
	}
	ref := teamRef{id: seg[0]}
	seg = seg[1:]
	if ref.id == "by_external_id" {
		if len(seg) == 0 {
			return route{}, false
		}
		ref = teamRef{ext: seg[0]}
		seg = seg[1:]
	}
	switch {
	case len(seg) == 0:
		return methods{
			http.MethodGet:    {"teams:read", s.withTeam(ref, s.getTeam)},
			http.MethodPut:    {"teams:update", s.withTeam(ref, s.updateTeam)},
			http.MethodDelete: {"teams:delete", s.withTeam(ref, s.deleteTeam)},
		}.pick(method)
	case len(seg) == 1 && seg[0] == "users":
		return methods{
			http.MethodGet:  {"team_users:read", s.withTeam(ref, s.listTeamUsers)},
			http.MethodPost: {"team_users:create", s.withTeam(ref, s.addTeamUser)},
		}.pick(method)
	case len(seg) == 2 && seg[0] == "users":
		uid := seg[1]
		return methods{
			http.MethodDelete: {"team_users:delete", s.withTeam(ref, s.removeTeamUser(uid))},
		}.pick(method)
	case len(seg) == 2 && seg[0] == "bulk" && seg[1] == "users":
		return methods{http.MethodPost: {"team_users:create", s.withTeam(ref, s.bulkAddTeamUsers)}}.pick(method)
	}
	return route{}, false
}

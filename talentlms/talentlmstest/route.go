package talentlmstest

import "net/http"

// route dispatches on the action; each action takes one method, as v1
// does (writes that v1 sends as GETs included).
func (s *Server) route(w http.ResponseWriter, r *http.Request, action, params string) {
	get := func(h func(http.ResponseWriter, string)) {
		if r.Method != http.MethodGet {
			invalid(w, msgInvalid)
			return
		}
		h(w, params)
	}
	post := func(h func(http.ResponseWriter, *http.Request)) {
		if r.Method != http.MethodPost || params != "" {
			invalid(w, msgInvalid)
			return
		}
		h(w, r)
	}
	switch action {
	case "users":
		get(s.routeUsers)
	case "usersignup":
		post(s.signup)
	case "edituser":
		post(s.editUser)
	case "usersetstatus":
		get(s.setUserStatus)
	case "deleteuser":
		post(s.deleteUser)
	case "getcustomregistrationfields":
		get(s.listCustomFields)
	case "siteinfo":
		get(s.siteInfo)
	case "ratelimit":
		get(s.rateLimit)
	case "branches":
		get(s.routeBranches)
	case "addusertobranch":
		get(func(w http.ResponseWriter, p string) { s.branchMember(w, p, true) })
	case "removeuserfrombranch":
		get(func(w http.ResponseWriter, p string) { s.branchMember(w, p, false) })
	case "courses":
		get(s.routeCourses)
	case "addusertocourse":
		post(s.addUserToCourse)
	case "removeuserfromcourse":
		get(s.removeUserFromCourse)
	case "getuserstatusincourse":
		get(s.userStatusInCourse)
	default:
		notFound(w, msgNoAction)
	}
}

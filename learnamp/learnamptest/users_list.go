package learnamptest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/learnamp"
)

// userFilter is the parsed filters[...] of GET /v1/users
// (https://developers.learnamp.com/#view-all-users).
type userFilter struct {
	email, ext, first, last, role string
	noTeam                        bool
	teams                         map[string]bool
	statuses                      map[learnamp.Status]bool
	ranges                        map[string][2]learnamp.Date // created_at, updated_at, deactivated_at
}

var filterRoles = map[string]bool{"viewer": true, "curator": true, "reporter": true, "learning_designer": true, "hr": true, "admin": true, "owner": true}

// userQueryKeys are the query parameters GET /v1/users takes.
var userQueryKeys = map[string]bool{
	"page": true, "perPage": true, "expanded": true,
	"filters[email]": true, "filters[integration_external_id]": true, "filters[first_name]": true,
	"filters[last_name]": true, "filters[role]": true, "filters[no_team]": true,
	"filters[team_ids]": true, "filters[team_ids][]": true, "filters[status]": true, "filters[status][]": true,
	"filters[created_at][from]": true, "filters[created_at][to]": true,
	"filters[updated_at][from]": true, "filters[updated_at][to]": true,
	"filters[deactivated_at][from]": true, "filters[deactivated_at][to]": true,
}

// checkQuery refuses parameters the endpoint does not document (the
// fake's strictness: a typo'd filter must not list everyone).
func checkQuery(w http.ResponseWriter, q url.Values, known map[string]bool) bool {
	for k := range q {
		if !known[k] {
			writeError(w, http.StatusBadRequest, k+" is not a documented parameter of this endpoint (learnamptest)")
			return false
		}
	}
	return true
}

// list reads a filter given as repeated name[] or as one comma-separated name.
func list(q url.Values, name string) []string {
	out := append([]string(nil), q[name+"[]"]...)
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func parseUserFilter(q url.Values, p *problems) userFilter {
	f := userFilter{
		email: q.Get("filters[email]"), ext: q.Get("filters[integration_external_id]"),
		first: q.Get("filters[first_name]"), last: q.Get("filters[last_name]"), role: q.Get("filters[role]"),
		ranges: map[string][2]learnamp.Date{},
	}
	if f.role != "" && !filterRoles[f.role] {
		p.add("filters[role]", "does not have a valid value")
	}
	switch v := q.Get("filters[no_team]"); v {
	case "", "false":
	case "true":
		f.noTeam = true
	default:
		p.add("filters[no_team]", "is invalid")
	}
	if ts := list(q, "filters[team_ids]"); len(ts) > 0 {
		f.teams = map[string]bool{}
		for _, t := range ts {
			if n, err := strconv.ParseInt(t, 10, 64); err != nil || n < 1 {
				p.add("filters[team_ids]", "is invalid")
				break
			}
			f.teams[t] = true
		}
	}
	if ss := list(q, "filters[status]"); len(ss) > 0 {
		f.statuses = map[learnamp.Status]bool{}
		for _, s := range ss {
			if _, ok := statusText[learnamp.Status(s)]; !ok {
				p.add("filters[status]", "does not have a valid value")
				break
			}
			f.statuses[learnamp.Status(s)] = true
		}
	}
	for _, name := range []string{"created_at", "updated_at", "deactivated_at"} {
		var r [2]learnamp.Date
		for i, end := range []string{"from", "to"} {
			key := "filters[" + name + "][" + end + "]"
			if v := q.Get(key); v != "" {
				d, err := learnamp.ParseDate(strings.Trim(v, `"`))
				if err != nil {
					p.add(key, "is invalid")
				}
				r[i] = d
			}
		}
		if r != [2]learnamp.Date{} {
			f.ranges[name] = r
		}
	}
	return f
}

// inRange: t's UTC calendar day lies in r, both ends included; a zero t
// (never deactivated) is in no range.
func inRange(t time.Time, r [2]learnamp.Date) bool {
	if t.IsZero() {
		return false
	}
	d := learnamp.DateOf(t.UTC())
	return !(!r[0].IsZero() && d.Before(r[0])) && !(!r[1].IsZero() && r[1].Before(d))
}

func (f userFilter) match(u *userRec) bool {
	switch {
	case f.email != "" && !strings.EqualFold(f.email, u.Email),
		f.ext != "" && f.ext != u.IntegrationExternalID,
		f.first != "" && !strings.Contains(strings.ToLower(u.FirstName), strings.ToLower(f.first)),
		f.last != "" && !strings.Contains(strings.ToLower(u.LastName), strings.ToLower(f.last)),
		f.role != "" && f.role != u.Role,
		f.noTeam && len(u.members) > 0,
		f.statuses != nil && !f.statuses[u.Status]:
		return false
	}
	if f.teams != nil && !anyTeam(u, f.teams) {
		return false
	}
	for name, at := range map[string]time.Time{"created_at": u.CreatedAt, "updated_at": u.UpdatedAt, "deactivated_at": u.DeactivatedAt} {
		if r, ok := f.ranges[name]; ok && !inRange(at, r) {
			return false
		}
	}
	return true
}

func anyTeam(u *userRec, teams map[string]bool) bool {
	for t := range u.members {
		if teams[t] {
			return true
		}
	}
	return false
}

// listUsers is GET /v1/users: the short form, or the full one with
// expanded=true, in id order, with the paging headers.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkQuery(w, q, userQueryKeys) {
		return
	}
	page, per, ok := paging(w, r)
	if !ok {
		return
	}
	var p problems
	f := parseUserFilter(q, &p)
	expanded := q.Get("expanded")
	if expanded != "" && expanded != "true" && expanded != "false" {
		p.add("expanded", "is invalid")
	}
	if p.failed() {
		p.reply(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*userRec
	for _, id := range s.st.userOrder {
		if u := s.st.users[id]; f.match(u) {
			match = append(match, u)
		}
	}
	items := pageOf(w, match, page, per)
	if expanded == "true" {
		out := make([]userJSON, len(items))
		for i, u := range items {
			out[i] = s.st.fullUser(u)
		}
		fakeserver.WriteJSON(w, http.StatusOK, map[string]any{"users": out})
		return
	}
	out := make([]shortUserJSON, len(items))
	for i, u := range items {
		out[i] = s.st.shortUser(u)
	}
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{"users": out})
}

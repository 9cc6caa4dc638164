package bamboohrtest

import (
	"net/http"
	"strconv"
)

// handleFields serves GET v1/meta/fields: ids are JSON numbers where they
// are whole, strings otherwise ("4340.4"), and alias only where set
// (https://documentation.bamboohr.com/reference/list-fields). Fields the key may
// not see are left out.
func (s *Server) handleFields(rq *request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.fields))
	for _, f := range s.fields {
		if rq.key.hidden(f.Key(), f) {
			continue
		}
		m := map[string]any{"name": f.Name, "type": f.Type}
		if n, err := strconv.Atoi(f.ID.String()); err == nil {
			m["id"] = n
		} else {
			m["id"] = f.ID.String()
		}
		if f.Alias != "" {
			m["alias"] = f.Alias
		}
		if f.Deprecated {
			m["deprecated"] = true
		}
		out = append(out, m)
	}
	rq.reply(http.StatusOK, out)
}

// handleLists serves GET v1/meta/lists with the "yes"/"no" flags BambooHR sends.
func (s *Server) handleLists(rq *request) {
	opt := func(id int, name string, archived bool) map[string]any {
		return map[string]any{"id": id, "name": name, "archived": yesNo(archived), "createdDate": "2021-03-01T00:00:00+00:00", "archivedDate": nil}
	}
	rq.reply(http.StatusOK, []map[string]any{
		{"id": 3440, "fieldId": 16, "name": "Employment Status", "manageable": "yes", "multiple": "no",
			"options": []map[string]any{opt(18157, "Contractor", false), opt(18158, "Full-Time", false),
				opt(18159, "Part-Time", false), opt(18160, "Terminated", false), opt(18161, "Intern", true)}},
		{"id": 3441, "fieldId": 4, "alias": "department", "name": "Department", "manageable": "yes", "multiple": "no",
			"options": []map[string]any{opt(18200, "Engineering", false), opt(18201, "Sales", false), opt(18202, "Executive", false)}},
	})
}

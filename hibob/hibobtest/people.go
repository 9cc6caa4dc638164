package hibobtest

import (
	"net/http"
	"sort"
	"strings"
)

// maxFields is the most field IDs a read may name
// (https://apidocs.hibob.com/docs/people-read-api-contract).
const maxFields = 400

type filterJSON struct {
	FieldPath string   `json:"fieldPath"`
	Operator  string   `json:"operator"`
	Values    []string `json:"values"`
}

type searchJSON struct {
	Fields        []string      `json:"fields"`
	Filters       *[]filterJSON `json:"filters"`
	ShowInactive  bool          `json:"showInactive"`
	HumanReadable string        `json:"humanReadable"`
}

type readJSON struct {
	Fields        []string `json:"fields"`
	HumanReadable string   `json:"humanReadable"`
}

// readMode checks fields and humanReadable and returns the fields to render
// and the mode ("", APPEND or REPLACE; clients send either case).
func (rq *request) readMode(fields []string, hr string) ([]string, string, bool) {
	if len(fields) > maxFields {
		rq.fail(http.StatusBadRequest, "badRequest", "Too many fields: at most 400")
		return nil, "", false
	}
	mode := strings.ToUpper(hr)
	if mode != "" && mode != "APPEND" && mode != "REPLACE" {
		rq.fail(http.StatusBadRequest, "badRequest", "humanReadable must be APPEND or REPLACE")
		return nil, "", false
	}
	if len(fields) == 0 {
		fields = defaultSearchFields
	}
	return fields, mode, true
}

// handleSearch serves POST /people/search: every match in one answer.
func (s *Server) handleSearch(rq *request) {
	var body searchJSON
	if !rq.decode(&body, true) {
		return
	}
	fields, mode, ok := rq.readMode(body.Fields, body.HumanReadable)
	if !ok {
		return
	}
	match, ok := rq.searchFilter(body.Filters)
	if !ok {
		return
	}
	today := s.today()
	s.mu.Lock()
	ids := make([]string, 0, len(s.employees))
	for id := range s.employees {
		ids = append(ids, id)
	}
	sort.Strings(ids) // IDs have the same length: creation order
	out := []map[string]any{}
	for _, id := range ids {
		e := s.employees[id]
		if status, _ := e.status(today); (status != "Active" && !body.ShowInactive) || !match(e) {
			continue
		}
		out = append(out, s.render(e, fields, mode, rq.user, today))
	}
	s.mu.Unlock()
	rq.json(http.StatusOK, map[string]any{"employees": out})
}

// searchFilter checks the filters: at most one, on root.id or root.email,
// "equals", with values; an empty list is a 400.
func (rq *request) searchFilter(filters *[]filterJSON) (func(*employee) bool, bool) {
	if filters == nil {
		return func(*employee) bool { return true }, true
	}
	if len(*filters) != 1 {
		rq.fail(http.StatusBadRequest, "badRequest", "filters must hold exactly one filter; omit it to read everyone")
		return nil, false
	}
	f := (*filters)[0]
	if (f.FieldPath != "root.id" && f.FieldPath != "root.email") || f.Operator != "equals" || len(f.Values) == 0 {
		rq.fail(http.StatusBadRequest, "badRequest", "Only root.id or root.email with operator equals and values are supported")
		return nil, false
	}
	want := map[string]bool{}
	for _, v := range f.Values {
		want[strings.ToLower(v)] = true
	}
	if f.FieldPath == "root.id" {
		return func(e *employee) bool { return want[e.id] }, true
	}
	return func(e *employee) bool { return want[strings.ToLower(e.email)] }, true
}

// find is the employee with backend ID or work email ident. Must hold s.mu.
func (s *Server) find(ident string) *employee {
	if e := s.employees[ident]; e != nil {
		return e
	}
	return s.employees[s.byEmail[strings.ToLower(ident)]]
}

// handleRead serves POST /people/{identifier}: one employee, a bare object,
// inactive ones included.
func (s *Server) handleRead(rq *request, ident string) {
	var body readJSON
	if !rq.decode(&body, true) {
		return
	}
	fields, mode, ok := rq.readMode(body.Fields, body.HumanReadable)
	if !ok {
		return
	}
	today := s.today()
	s.mu.Lock()
	var out map[string]any
	if e := s.find(ident); e != nil {
		out = s.render(e, fields, mode, rq.user, today)
	}
	s.mu.Unlock()
	if out == nil {
		rq.fail(http.StatusNotFound, "notFound", "Employee not found")
		return
	}
	rq.json(http.StatusOK, out)
}

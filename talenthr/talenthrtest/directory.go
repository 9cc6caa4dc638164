package talenthrtest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talenthr"
)

// today is the fake clock's date, "YYYY-MM-DD" (UTC).
func (s *Server) today() string { return s.Now().UTC().Format("2006-01-02") }

// empState is an employee's emp_state id on date today.
func empState(e *Employee, today string) string {
	switch {
	case e.TerminationDate != "" && e.TerminationDate <= today:
		return EmpStateTerminated
	case e.HireDate > today:
		return EmpStateFutureHire
	}
	return EmpStateActive
}

// directoryQuery is a parsed GET /directory query.
type directoryQuery struct {
	limit, offset int
	filter        map[string][]string // key → ids
	customFields  []string
	sort, order   string
}

// sortKeys are the fields the fake sorts the directory by.
var sortKeys = []string{"id", "first_name", "last_name", "email", "hire_date"}

// parseDirectory reads and checks the query; violations are answered.
func (s *Server) parseDirectory(w http.ResponseWriter, r *http.Request) (directoryQuery, bool) {
	q := r.URL.Query()
	dq := directoryQuery{limit: 10, filter: map[string][]string{}, sort: "id", order: "asc"}
	v := violations{}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > talenthr.MaxPageSize {
			v.add("limit", "The limit must be between 1 and 100.")
		}
		dq.limit = n
	}
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < -1 {
			v.add("offset", "The offset must be an integer of at least -1.")
		}
		dq.offset = n
	}
	s.parseFilter(v, q.Get("filter"), dq.filter)
	if cf := q.Get("custom_fields"); cf != "" {
		dq.customFields = strings.Split(cf, ",")
		for _, slug := range dq.customFields {
			if _, ok := s.st.customBySlug[slug]; !ok {
				v.add("custom_fields", "The selected custom fields is invalid.")
				break
			}
		}
	}
	if so := q.Get("sort"); so != "" {
		oneOf(v, "sort", so, sortKeys...)
		dq.sort = so
	}
	if or := q.Get("order"); or != "" {
		oneOf(v, "order", or, "asc", "desc")
		dq.order = or
	}
	return dq, !v.reply(w)
}

// filterKinds are the directory filter keys and the lookups their ids name.
var filterKinds = map[string]talenthr.LookupKind{
	"department": talenthr.Departments, "division": talenthr.Divisions, "location": talenthr.Locations,
}

// parseFilter reads "location=36;emp_state=1,2" into into. The caller
// holds s.mu.
func (s *Server) parseFilter(v violations, raw string, into map[string][]string) {
	if raw == "" {
		return
	}
	for _, part := range strings.Split(raw, ";") {
		key, ids, found := strings.Cut(part, "=")
		kind, isLookup := filterKinds[key]
		if !found || (!isLookup && key != "emp_state") {
			v.add("filter", fmt.Sprintf("The filter key %q is invalid.", key))
			continue
		}
		for _, id := range strings.Split(ids, ",") {
			exists := id == EmpStateActive || id == EmpStateTerminated || id == EmpStateFutureHire
			if isLookup {
				_, exists = s.st.lookups[kind].byID[id]
			}
			if !isID(id) || !exists {
				v.add("filter", fmt.Sprintf("The filter %s id %q is invalid.", key, id))
				continue
			}
			into[key] = append(into[key], id)
		}
	}
}

// matches reports whether e is in the filtered directory on today.
func (dq directoryQuery) matches(e *Employee, today string) bool {
	states, ok := dq.filter["emp_state"]
	if !ok {
		states = []string{EmpStateActive, EmpStateFutureHire} // the default hides leavers
	}
	if !contains(states, empState(e, today)) {
		return false
	}
	for key, id := range map[string]string{"department": e.DepartmentID, "division": e.DivisionID, "location": e.LocationID} {
		if ids, ok := dq.filter[key]; ok && !contains(ids, id) {
			return false
		}
	}
	return true
}

func (s *Server) listDirectory(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dq, valid := s.parseDirectory(w, r)
	if !valid {
		return
	}
	today := s.today()
	var match []*Employee
	for _, id := range s.st.employeeIDs() {
		if e := s.st.employees[id]; dq.matches(e, today) {
			match = append(match, e)
		}
	}
	sortEmployees(match, dq.sort, dq.order == "desc")
	page := match
	if dq.offset != talenthr.NoPaging {
		page = fakeserver.Page(match, dq.offset, dq.limit)
	}
	rows := make([]map[string]any, len(page))
	for i, e := range page {
		rows[i] = s.directoryRow(e, dq.customFields)
	}
	ok(w, map[string]any{"total": len(match), "rows": rows})
}

// sortEmployees sorts es by key, ties by id; stable across calls.
func sortEmployees(es []*Employee, key string, desc bool) {
	val := func(e *Employee) string {
		switch key {
		case "first_name":
			return fold(e.FirstName)
		case "last_name":
			return fold(e.LastName)
		case "email":
			return fold(e.Email)
		case "hire_date":
			return e.HireDate
		}
		return fmt.Sprintf("%020d", atoi(e.ID))
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := val(es[i]), val(es[j])
		if a == b {
			return atoi(es[i].ID) < atoi(es[j].ID)
		}
		return (a < b) != desc
	})
}

// directoryRow is e as /directory lists it (the shape of Pipedream's
// recorded row): ids as numbers, absent values as null. The caller holds s.mu.
func (s *Server) directoryRow(e *Employee, customFields []string) map[string]any {
	row := map[string]any{
		"id": num(e.ID), "user_id": num(e.ID), "u_id": num(e.ID),
		"reports_to_employee_id": numOrNil(e.ReportsToEmployeeID),
		"photo_url":              s.photoURL(),
		"first_name":             e.FirstName, "last_name": e.LastName, "email": e.Email,
		"employment_status_id":   num(e.EmploymentStatusID),
		"employment_status_name": s.nameOr(talenthr.EmploymentStatuses, e.EmploymentStatusID),
		"termination_date":       strOrNil(e.TerminationDate),
		"hire_date":              e.HireDate,
		"linked_in_url":          profileOrNil(e, "linked_in_url"),
		"work_phone":             profileOrNil(e, "work_phone"),
		"user_role":              userRole(e.Role),
	}
	for key, kind := range map[string]talenthr.LookupKind{"division": talenthr.Divisions, "department": talenthr.Departments,
		"job_title": talenthr.JobTitles, "location": talenthr.Locations} {
		id := e.lookupID(kind)
		row[key+"_id"] = numOrNil(id)
		row[key] = strOrNil(s.nameOr(kind, id))
	}
	for _, slug := range customFields {
		row[slug] = strOrNil(e.CustomFields[slug])
	}
	return row
}

// lookupID is e's id for a placement kind.
func (e *Employee) lookupID(kind talenthr.LookupKind) string {
	switch kind {
	case talenthr.Departments:
		return e.DepartmentID
	case talenthr.Divisions:
		return e.DivisionID
	case talenthr.JobTitles:
		return e.JobTitleID
	case talenthr.Locations:
		return e.LocationID
	case talenthr.EmploymentStatuses:
		return e.EmploymentStatusID
	}
	return ""
}

// photoURL is a fresh signed-looking CDN link: it differs on every reply.
// The caller holds s.mu.
func (s *Server) photoURL() string {
	s.st.photoSeq++
	return fmt.Sprintf("https://d2spisfw2i7npf.cloudfront.net/public-assets/people/default-avatar.png?Expires=%d&Signature=%08x",
		s.Now().Unix()+3600, s.st.photoSeq*2654435761%(1<<32))
}

// nameOr is the name of entry id of kind, "" when none. The caller holds s.mu.
func (s *Server) nameOr(kind talenthr.LookupKind, id string) string {
	n, _ := s.st.lookupName(kind, id)
	return n
}

func userRole(slug string) map[string]any {
	roles := map[string][2]any{"owner": {1, "Owner"}, "admin": {2, "Admin"}, "employee": {3, "Employee"}}
	r, ok := roles[slug]
	if !ok {
		slug, r = "employee", roles["employee"]
	}
	return map[string]any{"id": r[0], "slug": slug, "name": r[1]}
}

// num writes an id as a JSON number.
func num(id string) any { n, _ := strconv.ParseInt(id, 10, 64); return n }

func numOrNil(id string) any {
	if id == "" {
		return nil
	}
	return num(id)
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func profileOrNil(e *Employee, key string) any {
	if v, ok := e.Profile[key]; ok {
		return v
	}
	return nil
}

func (s *Server) directoryFilters(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	options := func(kind talenthr.LookupKind) []map[string]any {
		out := []map[string]any{}
		for _, l := range s.st.lookups[kind].sorted() {
			out = append(out, map[string]any{"id": num(l.ID), "name": l.Name})
		}
		return out
	}
	ok(w, map[string]any{
		"departments": options(talenthr.Departments),
		"divisions":   options(talenthr.Divisions),
		"locations":   options(talenthr.Locations),
		"emp_state": []map[string]any{
			{"id": 1, "name": "Active"}, {"id": 2, "name": "Terminated"}, {"id": 3, "name": "Future hire"},
		},
		"time_off_types": []map[string]any{},
	})
}

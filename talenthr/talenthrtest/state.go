package talenthrtest

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/talenthr"
)

// Employee is one employee as the fake stores it. Ids are decimal strings;
// dates are "YYYY-MM-DD", "" for none.
type Employee struct {
	ID                  string
	FirstName           string
	LastName            string
	Email               string
	HireDate            string
	TerminationDate     string // "" while employed; may lie in the future
	TerminationReason   string
	EmploymentStatusID  string
	JobTitleID          string
	DepartmentID        string
	DivisionID          string
	LocationID          string
	ReportsToEmployeeID string // "" for the head of the company
	Role                string // user role slug: "employee" (default), "admin", "owner"
	// Profile holds every other key set by a hire or an update, as
	// decoded JSON (strings, json.Number, []any, map[string]any):
	// "work_phone", "city", "birth_date", "ssn", "hr_languages", ...
	Profile map[string]any
	// Compensation is the hire's compensation_record, if one was sent.
	Compensation map[string]any
	// PreventEmail and IsExisting are the hire's flags.
	PreventEmail, IsExisting bool
	// CustomFields are values by custom-field slug (see AddCustomField).
	CustomFields map[string]string
}

// clone deep-copies e's maps, so neither callers nor replies share state.
func (e Employee) clone() Employee {
	e.Profile = cloneAny(e.Profile)
	e.Compensation = cloneAny(e.Compensation)
	e.CustomFields = maps.Clone(e.CustomFields)
	return e
}

func cloneAny(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return cloneAny(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}

// Lookup is one entry of a lookup list. Code is for languages; Address and
// IsRemote for locations.
type Lookup struct {
	ID       string
	Name     string
	Code     string
	Address  string
	IsRemote bool
}

// CustomField is a custom-field definition the fake serves.
type CustomField struct {
	ID   string
	Name string
	Slug string
	// Type is the field's type as TalentHR's help centre names them:
	// "Text" (the default), "Long text", "Single choice", "Multiple
	// choice", "Date", "Link" or "Employee". The API's spelling is not
	// published; the fake serves {"id": n, "name": Type}.
	Type string
}

// Invitation is an email TalentHR would have sent a new hire.
type Invitation struct {
	EmployeeID string
	Email      string
}

// lookupKinds maps the path segment of each lookup list to its kind.
var lookupKinds = map[string]talenthr.LookupKind{
	"departments": talenthr.Departments, "divisions": talenthr.Divisions,
	"job-titles": talenthr.JobTitles, "locations": talenthr.Locations,
	"employment-statuses": talenthr.EmploymentStatuses, "languages": talenthr.Languages,
}

// table is one lookup list, indexed by id and by folded name.
type table struct {
	byID   map[string]*Lookup
	byName map[string]string // folded name → id
	next   int
}

func (t *table) add(l Lookup) string {
	t.next++
	l.ID = strconv.Itoa(t.next)
	t.byID[l.ID] = &l
	t.byName[fold(l.Name)] = l.ID
	return l.ID
}

// sorted returns copies of the entries in id order.
func (t *table) sorted() []Lookup {
	out := make([]Lookup, 0, len(t.byID))
	for _, l := range t.byID {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i].ID) < atoi(out[j].ID) })
	return out
}

// state is the fake's data; the Server's mutex guards it.
type state struct {
	employees       map[string]*Employee
	byEmail         map[string]string // folded work email → id
	byPersonalEmail map[string]string
	nextEmployee    int
	lookups         map[talenthr.LookupKind]*table
	customFields    []CustomField
	customBySlug    map[string]int // slug → index in customFields
	invitations     []Invitation
	photoSeq        int
}

func newState() *state {
	st := &state{
		employees: map[string]*Employee{}, byEmail: map[string]string{}, byPersonalEmail: map[string]string{},
		lookups: map[talenthr.LookupKind]*table{}, customBySlug: map[string]int{},
	}
	for _, k := range lookupKinds {
		st.lookups[k] = &table{byID: map[string]*Lookup{}, byName: map[string]string{}}
	}
	return st
}

// employeeIDs returns the ids in numeric order.
func (st *state) employeeIDs() []string {
	ids := slices.Collect(maps.Keys(st.employees))
	sort.Slice(ids, func(i, j int) bool { return atoi(ids[i]) < atoi(ids[j]) })
	return ids
}

// lookupName is the name of entry id of kind, and whether it exists; ""
// and true for the empty id.
func (st *state) lookupName(kind talenthr.LookupKind, id string) (string, bool) {
	if id == "" {
		return "", true
	}
	l, ok := st.lookups[kind].byID[id]
	if !ok {
		return "", false
	}
	return l.Name, true
}

// fold is the form unique names and emails are compared in.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// isID reports whether s is a positive decimal id.
func isID(s string) bool {
	if s == "" || s[0] == '0' || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fatalf reports a misuse of a seed helper.
func (s *Server) fatalf(format string, args ...any) {
	msg := fmt.Sprintf("talenthrtest: "+format, args...)
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatal(msg)
	}
	panic(msg)
}

func itoa(n int) string { return strconv.Itoa(n) }

package bamboohrtest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
)

// render returns the requested fields of e as BambooHR shows them, keyed
// as requested, leaving out what k may not see. Must hold s.mu.
func (s *Server) render(e *employee, names []string, k *Key) map[string]any {
	out := map[string]any{"id": strconv.Itoa(e.id)}
	for _, name := range names {
		key, f, ok := s.storageKey(name)
		if !ok || k.hidden(key, f) {
			continue
		}
		out[name] = s.value(e, key, f)
	}
	return out
}

// value renders one stored field. Must hold s.mu.
func (s *Server) value(e *employee, key string, f bamboohr.Field) any {
	if calculated[key] {
		return s.calculatedValue(e, key)
	}
	v, ok := e.fields[key]
	switch {
	case f.Type == "checkbox":
		return s.checked[boolInt(v == "yes")]
	case key == "terminationDate" && v == "":
		return "0000-00-00" // empty dates come back so: https://github.com/faros-ai/airbyte-connectors/pull/592
	case !ok || v == "":
		return nil
	}
	return v
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Server) calculatedValue(e *employee, key string) any {
	sup := s.employees[atoi(e.fields["supervisorEId"])]
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	switch key {
	case "id":
		return strconv.Itoa(e.id)
	case "displayName":
		return strings.TrimSpace(e.fields["firstName"] + " " + e.fields["lastName"])
	case "lastChanged":
		return e.lastChanged.UTC().Format("2006-01-02T15:04:05-07:00")
	case "bestEmail":
		if e.fields["workEmail"] != "" {
			return e.fields["workEmail"]
		}
		return str(e.fields["homeEmail"])
	case "supervisorEId":
		return str(e.fields["supervisorEId"])
	}
	if sup == nil {
		return nil
	}
	switch key {
	case "supervisor": // "Last, First" in reports (recorded: https://github.com/NangoHQ/integration-templates)
		return sup.fields["lastName"] + ", " + sup.fields["firstName"]
	case "supervisorId": // the supervisor's employee number, not id (https://documentation.bamboohr.com/docs/list-of-field-names)
		return str(sup.fields["employeeNumber"])
	case "supervisorEmail":
		return str(sup.fields["workEmail"])
	}
	return nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// checkNames answers 400 naming the first unknown field. The fake is
// strict here; real BambooHR's behaviour varies by endpoint (406 in
// https://documentation.bamboohr.com/docs/api-details, silently dropped in
// https://documentation.bamboohr.com/reference/request-custom-report).
func (s *Server) checkNames(rq *request, names []string) bool {
	if len(names) > bamboohr.MaxFields {
		rq.fail(http.StatusBadRequest, fmt.Sprintf("Too many fields requested: %d, the limit is %d", len(names), bamboohr.MaxFields))
		return false
	}
	for _, n := range names {
		if _, _, ok := s.storageKey(n); !ok {
			rq.fail(http.StatusBadRequest, fmt.Sprintf("Unknown field %q", n))
			return false
		}
	}
	return true
}

func (s *Server) handleGet(rq *request, rawID string) {
	id, err := strconv.Atoi(rawID)
	if err != nil {
		rq.fail(http.StatusBadRequest, "Invalid employee id")
		return
	}
	names := []string{"firstName", "lastName"}
	if f := rq.r.URL.Query().Get("fields"); f != "" {
		names = strings.Split(f, ",")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkNames(rq, names) {
		return
	}
	e, ok := s.employees[id]
	switch {
	case !ok:
		rq.fail(http.StatusNotFound, "Employee not found")
	case rq.key.hiddenEmployee(id):
		rq.fail(http.StatusForbidden, "You do not have access to this employee")
	default:
		rq.reply(http.StatusOK, s.render(e, names, rq.key))
	}
}

// writeFields validates an add or update body. Must hold s.mu.
func (s *Server) writeFields(rq *request, body map[string]any) (map[string]string, bool) {
	out := map[string]string{}
	for name, raw := range body {
		key, f, ok := s.storageKey(name)
		if !ok {
			rq.fail(http.StatusBadRequest, fmt.Sprintf("Unknown field %q", name))
			return nil, false
		}
		if calculated[key] || readOnly[key] {
			rq.fail(http.StatusBadRequest, fmt.Sprintf("Field %q is read-only", name))
			return nil, false
		}
		if rq.key.hidden(key, f) {
			rq.fail(http.StatusForbidden, fmt.Sprintf("You do not have access to field %q", name))
			return nil, false
		}
		v, ok := raw.(string)
		if !ok {
			rq.fail(http.StatusBadRequest, fmt.Sprintf("Field %q must be a string", name))
			return nil, false
		}
		if f.Type == "checkbox" {
			// "yes" or "checkbox" checks; anything else unchecks
			// (https://documentation.bamboohr.com/docs/field-types).
			lv := strings.ToLower(v)
			v = yesNo(lv == "yes" || lv == "checkbox")
		}
		out[key] = v
	}
	return out, true
}

// duplicateEmail reports whether another employee has email. Must hold s.mu.
func (s *Server) duplicateEmail(email string, self int) bool {
	for id, e := range s.employees {
		if id != self && email != "" && strings.EqualFold(e.fields["workEmail"], email) {
			return true
		}
	}
	return false
}

func (s *Server) handleAdd(rq *request) {
	if rq.key.ReadOnly {
		rq.fail(http.StatusForbidden, "Permission denied")
		return
	}
	var body map[string]any
	if !rq.decodeBody(&body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fields, ok := s.writeFields(rq, body)
	if !ok {
		return
	}
	if fields["firstName"] == "" || fields["lastName"] == "" {
		rq.fail(http.StatusBadRequest, "firstName and lastName are required")
		return
	}
	if s.duplicateEmail(fields["workEmail"], 0) {
		rq.fail(http.StatusConflict, "Duplicate work email")
		return
	}
	e := s.newEmployee()
	for k, v := range fields {
		e.fields[k] = v
	}
	s.employees[e.id] = e
	rq.w.Header().Set("Location", rq.apiURL("v1/employees/"+strconv.Itoa(e.id)))
	// The docs say no body (https://documentation.bamboohr.com/reference/create-employee);
	// a recorded call returned one (https://github.com/NangoHQ/integration-templates).
	rq.json(http.StatusCreated, s.render(e, []string{"firstName", "lastName", "status"}, rq.key))
}

func (s *Server) handleUpdate(rq *request, rawID string) {
	id, err := strconv.Atoi(rawID)
	if err != nil {
		rq.fail(http.StatusBadRequest, "Invalid employee id")
		return
	}
	if rq.key.ReadOnly {
		rq.fail(http.StatusForbidden, "Permission denied")
		return
	}
	var body map[string]any
	if !rq.decodeBody(&body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.employees[id]
	if !ok {
		rq.fail(http.StatusNotFound, "Employee not found")
		return
	}
	if rq.key.hiddenEmployee(id) {
		rq.fail(http.StatusForbidden, "You do not have access to this employee")
		return
	}
	fields, ok := s.writeFields(rq, body)
	if !ok {
		return
	}
	if s.duplicateEmail(fields["workEmail"], id) {
		rq.fail(http.StatusConflict, "Duplicate work email")
		return
	}
	for k, v := range fields {
		e.fields[k] = v
	}
	e.lastChanged = s.Now()
	rq.w.WriteHeader(http.StatusOK)
}

type changeOut struct {
	ID          string `json:"id"`
	Action      string `json:"action"`
	LastChanged string `json:"lastChanged"`
}

func (s *Server) handleChanged(rq *request) {
	q := rq.r.URL.Query()
	since, err := time.Parse(time.RFC3339, q.Get("since"))
	if err != nil {
		rq.fail(http.StatusBadRequest, "Invalid or missing since")
		return
	}
	typ := q.Get("type")
	if typ == "" {
		typ = "all"
	}
	if typ != "all" && typ != "inserted" && typ != "updated" && typ != "deleted" {
		rq.fail(http.StatusBadRequest, "Invalid type")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changes := s.changesSince(since, typ, rq.key)
	out := map[string]any{"latest": s.Now().UTC().Format("2006-01-02T15:04:05-07:00")}
	if len(changes) == 0 {
		out["employees"] = []any{} // the PHP empty map (seen by https://github.com/scjalliance/bamboohr)
	} else {
		out["employees"] = changes
	}
	rq.reply(http.StatusOK, out)
}

// changesSince lists changes at or after since. Must hold s.mu.
func (s *Server) changesSince(since time.Time, typ string, k *Key) map[string]changeOut {
	out := map[string]changeOut{}
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	for id, e := range s.employees {
		if e.lastChanged.Before(since) || k.hiddenEmployee(id) {
			continue
		}
		action := "Updated"
		if !e.created.Before(since) {
			action = "Inserted"
		}
		if typ == "all" || strings.EqualFold(typ, action) {
			out[strconv.Itoa(id)] = changeOut{ID: strconv.Itoa(id), Action: action, LastChanged: stamp(e.lastChanged)}
		}
	}
	for id, at := range s.deleted {
		if !at.Before(since) && (typ == "all" || typ == "deleted") {
			out[strconv.Itoa(id)] = changeOut{ID: strconv.Itoa(id), Action: "Deleted", LastChanged: stamp(at)}
		}
	}
	return out
}

// sortedEmployees returns the employees k may see, by id. Must hold s.mu.
func (s *Server) sortedEmployees(k *Key) []*employee {
	var out []*employee
	for id, e := range s.employees {
		if !k.hiddenEmployee(id) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

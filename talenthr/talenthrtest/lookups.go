package talenthrtest

import (
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/talenthr"
)

func (s *Server) routeLookups(w http.ResponseWriter, r *http.Request, kind talenthr.LookupKind) {
	switch {
	case r.Method == http.MethodGet:
		s.listLookups(w, kind)
	case r.Method == http.MethodPost && kind.Creatable():
		s.createLookup(w, r, kind)
	default:
		fail(w, http.StatusMethodNotAllowed, "Method not allowed.")
	}
}

func (s *Server) listLookups(w http.ResponseWriter, kind talenthr.LookupKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, l := range s.st.lookups[kind].sorted() {
		out = append(out, lookupJSON(kind, l))
	}
	ok(w, out)
}

// lookupJSON is one entry as its list returns it.
func lookupJSON(kind talenthr.LookupKind, l Lookup) map[string]any {
	m := map[string]any{"id": num(l.ID), "name": l.Name}
	switch kind {
	case talenthr.Languages:
		m["code"], m["rtl"], m["is_disabled"] = l.Code, 0, 0
	case talenthr.Locations:
		m["object_type"] = "location"
		m["field_data"] = map[string]any{"address": strOrNil(l.Address), "is_remote": l.IsRemote}
	case talenthr.Departments, talenthr.Divisions:
		m["object_type"] = strings.ReplaceAll(string(kind), " ", "_")
	}
	return m
}

func (s *Server) createLookup(w http.ResponseWriter, r *http.Request, kind talenthr.LookupKind) {
	body, valid := decodeBody(w, r)
	if !valid {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := violations{}
	allowed := []string{"name"}
	if kind == talenthr.Locations {
		allowed = append(allowed, "field_data")
	}
	unknownKeys(v, body, "", allowed...)
	name, _ := getString(v, body, "", "name", true)
	if _, taken := s.st.lookups[kind].byName[fold(name)]; taken && name != "" {
		v.add("name", "The name has already been taken.")
	}
	l := Lookup{Name: strings.TrimSpace(name)}
	if kind == talenthr.Locations {
		checkFieldData(v, body, &l)
	}
	if v.reply(w) {
		return
	}
	l.ID = s.st.lookups[kind].add(l)
	ok(w, lookupJSON(kind, l))
}

// checkFieldData: a location needs field_data with is_remote (a boolean)
// and address (a string or null).
func checkFieldData(v violations, body map[string]any, l *Lookup) {
	const p = "field_data."
	fd, _ := getObject(v, body, "", "field_data")
	if fd == nil {
		if len(v["field_data"]) == 0 {
			v.add("field_data", required("field_data"))
		}
		return
	}
	unknownKeys(v, fd, p, "address", "is_remote")
	l.Address, _ = getString(v, fd, p, "address", false)
	if _, sent := fd["is_remote"]; !sent {
		v.add(p+"is_remote", required(p+"is_remote"))
		return
	}
	l.IsRemote, _ = getBool(v, fd, p, "is_remote")
}

package talenthrtest

import "net/http"

// unverifiedTerminate serves the guessed POST /employees/{id}/terminate
// (see EnableUnverifiedTerminate): it sets the termination date.
func (s *Server) unverifiedTerminate(w http.ResponseWriter, r *http.Request, id string) {
	body, valid := decodeBody(w, r)
	if !valid {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.employee(w, id)
	if !found {
		return
	}
	v := violations{}
	unknownKeys(v, body, "", "termination_date", "termination_reason_id", "termination_type_id", "rehire_eligible", "note")
	date, _ := getDate(v, body, "", "termination_date", true)
	getID(v, body, "", "termination_reason_id", false, func(string) bool { return true })
	getID(v, body, "", "termination_type_id", false, func(string) bool { return true })
	getBool(v, body, "", "rehire_eligible")
	note, _ := getString(v, body, "", "note", false)
	if v.reply(w) {
		return
	}
	e.TerminationDate, e.TerminationReason = date, note
	ok(w, map[string]any{"id": num(e.ID), "termination_date": date})
}

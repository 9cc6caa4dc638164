package talenthrtest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/talenthr"
)

// Keys PUT /employees/{id} takes (https://apidocs.talenthr.io/), by how they are checked.
var (
	updateTextKeys = []string{"ssn", "nationality", "citizenship", "work_phone", "mobile_phone", "phone",
		"address", "city", "postal_code", "country", "sec_address", "sec_city", "sec_postal_code", "sec_country",
		"employee_number", "passport_number", "passport_issuing_country", "visa_type", "visa_number",
		"driver_license_number", "driver_license_issuing_country", "linked_in_url", "twitter_url", "facebook_url",
		"instagram_url", "pinterest_url", "github_url", "behance_url", "skype_name", "shirt_size", "t_shirt_size",
		"allergies"}
	updateDateKeys = []string{"birth_date", "passport_issued_date", "passport_expiry_date", "visa_expiry_date",
		"driver_license_issued_date", "driver_license_expiry_date"}
	updateOtherKeys = []string{"first_name", "last_name", "email", "personal_email", "marital_status", "gender",
		"reports_to_employee_id", "emergency_contact", "hr_languages", "hr_family"}
	maritalStatuses = []string{"Single", "Separated", "Married", "Widowed"}
	genders         = []string{"Male", "Female", "Non-binary"}
)

func (s *Server) updateEmployee(w http.ResponseWriter, r *http.Request, id string) {
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
	allowed := append(append(append([]string(nil), updateTextKeys...), updateDateKeys...), updateOtherKeys...)
	unknownKeys(v, body, "", allowed...)
	s.checkUpdate(v, body, e)
	if v.reply(w) {
		return
	}
	s.applyUpdate(body, e)
	ok(w, map[string]any{"id": num(e.ID)})
}

// checkUpdate validates the keys body sends. The caller holds s.mu.
func (s *Server) checkUpdate(v violations, body map[string]any, e *Employee) {
	for _, k := range []string{"first_name", "last_name", "email"} {
		if _, sent := body[k]; sent {
			getString(v, body, "", k, true)
		}
	}
	if email, _ := body["email"].(string); email != "" {
		s.checkWorkEmail(v, email, e.ID)
	}
	for _, k := range updateTextKeys {
		getString(v, body, "", k, false)
	}
	for _, k := range updateDateKeys {
		getDate(v, body, "", k, false)
	}
	if bd, _ := body["birth_date"].(string); bd != "" && len(v["birth_date"]) == 0 && (bd < "1930-01-01" || bd > s.today()) {
		v.add("birth_date", "The birth date must be a date between 1930-01-01 and today.")
	}
	if pe, _ := getString(v, body, "", "personal_email", false); pe != "" {
		if !isEmail(pe) {
			v.add("personal_email", "The personal email must be a valid email address.")
		} else if other, taken := s.st.byPersonalEmail[fold(pe)]; taken && other != e.ID {
			v.add("personal_email", "The personal email has already been taken.")
		}
	}
	ms, _ := getString(v, body, "", "marital_status", false)
	oneOf(v, "marital_status", ms, maritalStatuses...)
	g, _ := getString(v, body, "", "gender", false)
	oneOf(v, "gender", g, genders...)
	if mgr, _ := getID(v, body, "", "reports_to_employee_id", false, s.employeeExists); mgr == e.ID {
		v.add("reports_to_employee_id", "An employee cannot report to themselves.")
	}
	s.checkEmergencyContact(v, body)
	s.checkLanguages(v, body)
	checkFamily(v, body)
}

func (s *Server) checkEmergencyContact(v violations, body map[string]any) {
	const p = "emergency_contact."
	ec, _ := getObject(v, body, "", "emergency_contact")
	if ec == nil {
		return
	}
	unknownKeys(v, ec, p, "full_name", "relationship_type_id", "phone", "address")
	for _, k := range []string{"full_name", "phone", "address"} {
		getString(v, ec, p, k, false)
	}
	getID(v, ec, p, "relationship_type_id", false, func(id string) bool { return atoi(id) <= len(relationshipTypes) })
}

// relationshipTypes are the fake's /relationship-types (ids 1..n).
var relationshipTypes = []string{"Spouse", "Parent", "Child", "Sibling", "Friend", "Other"}

// checkLanguages: hr_languages is null or an array of language ids. The
// caller holds s.mu.
func (s *Server) checkLanguages(v violations, body map[string]any) {
	x, sent := body["hr_languages"]
	if !sent || x == nil {
		return
	}
	list, isList := x.([]any)
	if !isList {
		v.add("hr_languages", "The hr languages must be an array.")
		return
	}
	for _, item := range list {
		id, isNum := item.(json.Number)
		if !isNum || !s.exists(talenthr.Languages)(id.String()) {
			v.add("hr_languages", "The selected hr languages is invalid.")
			return
		}
	}
}

func checkFamily(v violations, body map[string]any) {
	x, sent := body["hr_family"]
	if !sent || x == nil {
		return
	}
	list, isList := x.([]any)
	if !isList {
		v.add("hr_family", "The hr family must be an array.")
		return
	}
	for i, item := range list {
		p := "hr_family." + itoa(i) + "."
		m, isObj := item.(map[string]any)
		if !isObj {
			v.add(strings.TrimSuffix(p, "."), "The "+attr(strings.TrimSuffix(p, "."))+" must be an object.")
			continue
		}
		unknownKeys(v, m, p, "name", "gender", "birth_date", "family_member_relationship_id")
		getString(v, m, p, "name", true)
		g, _ := getString(v, m, p, "gender", false)
		oneOf(v, p+"gender", g, genders...)
		getDate(v, m, p, "birth_date", false)
		getID(v, m, p, "family_member_relationship_id", false, func(string) bool { return true })
	}
}

// applyUpdate stores a checked body: null clears a key. The caller holds s.mu.
func (s *Server) applyUpdate(body map[string]any, e *Employee) {
	for k, x := range body {
		switch k {
		case "first_name":
			e.FirstName = x.(string)
		case "last_name":
			e.LastName = x.(string)
		case "email":
			delete(s.st.byEmail, fold(e.Email))
			e.Email = x.(string)
			s.st.byEmail[fold(e.Email)] = e.ID
		case "reports_to_employee_id":
			e.ReportsToEmployeeID, _ = idOf(x)
		default:
			s.setProfile(e, k, x)
		}
	}
}

// setProfile stores one profile key, keeping the personal-email index.
// The caller holds s.mu.
func (s *Server) setProfile(e *Employee, k string, x any) {
	if k == "personal_email" {
		if old, _ := e.Profile[k].(string); old != "" {
			delete(s.st.byPersonalEmail, fold(old))
		}
		if pe, _ := x.(string); pe != "" {
			s.st.byPersonalEmail[fold(pe)] = e.ID
		}
	}
	if x == nil {
		delete(e.Profile, k)
		return
	}
	if e.Profile == nil {
		e.Profile = map[string]any{}
	}
	e.Profile[k] = cloneValue(x)
}

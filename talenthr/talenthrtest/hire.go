package talenthrtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/rostersync/rostersync/talenthr"
)

// hireKeys are the keys POST /employees/hire takes (https://apidocs.talenthr.io/).
var hireKeys = []string{"first_name", "last_name", "email", "hire_date", "employment_status", "reports_to_employee_id",
	"job_record", "compensation_record", "prevent_email", "is_existing", "hire_packet"}

var (
	payRatePeriods   = []string{"hour", "day", "week", "month", "quarter", "year"}
	payRateSchedules = []string{"once-per-month", "twice-per-month", "every-other-week"}
	overtimeStatuses = []string{"exempt", "non-exempt"}
	twoDecimals      = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)
)

func (s *Server) hire(w http.ResponseWriter, r *http.Request) {
	body, valid := decodeBody(w, r)
	if !valid {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, v := s.checkHire(body)
	if v.reply(w) {
		return
	}
	id := s.store(e)
	if !e.PreventEmail {
		s.st.invitations = append(s.st.invitations, Invitation{EmployeeID: id, Email: e.Email})
	}
	ok(w, map[string]any{"id": num(id), "first_name": e.FirstName, "last_name": e.LastName, "email": e.Email, "hire_date": e.HireDate})
}

// checkHire validates a hire body and builds the employee. The caller
// holds s.mu.
func (s *Server) checkHire(m map[string]any) (*Employee, violations) {
	v := violations{}
	unknownKeys(v, m, "", hireKeys...)
	e := &Employee{Role: "employee", Profile: map[string]any{}}
	e.FirstName, _ = getString(v, m, "", "first_name", true)
	e.LastName, _ = getString(v, m, "", "last_name", true)
	e.Email, _ = getString(v, m, "", "email", true)
	s.checkWorkEmail(v, e.Email, "")
	e.HireDate, _ = getDate(v, m, "", "hire_date", true)
	if es, _ := getObject(v, m, "", "employment_status"); es != nil {
		unknownKeys(v, es, "employment_status.", "employment_status_id")
		e.EmploymentStatusID, _ = getID(v, es, "employment_status.", "employment_status_id", true, s.exists(talenthr.EmploymentStatuses))
	} else if len(v["employment_status"]) == 0 {
		v.add("employment_status.employment_status_id", required("employment_status.employment_status_id"))
	}
	e.ReportsToEmployeeID, _ = getID(v, m, "", "reports_to_employee_id", false, s.employeeExists)
	if jr, _ := getObject(v, m, "", "job_record"); jr != nil {
		unknownKeys(v, jr, "job_record.", "job_title_id", "location_id", "division_id", "department_id")
		e.JobTitleID, _ = getID(v, jr, "job_record.", "job_title_id", false, s.exists(talenthr.JobTitles))
		e.LocationID, _ = getID(v, jr, "job_record.", "location_id", false, s.exists(talenthr.Locations))
		e.DivisionID, _ = getID(v, jr, "job_record.", "division_id", false, s.exists(talenthr.Divisions))
		e.DepartmentID, _ = getID(v, jr, "job_record.", "department_id", false, s.exists(talenthr.Departments))
	}
	if cr, _ := getObject(v, m, "", "compensation_record"); cr != nil {
		e.Compensation = checkCompensation(v, cr)
	}
	e.PreventEmail, _ = getBool(v, m, "", "prevent_email")
	e.IsExisting, _ = getBool(v, m, "", "is_existing")
	if hp, _ := getObject(v, m, "", "hire_packet"); hp != nil {
		s.checkHirePacket(v, hp)
		e.Profile["hire_packet"] = cloneAny(hp)
	}
	return e, v
}

// checkWorkEmail checks an email's form and that no other employee (but
// self) has it. The caller holds s.mu.
func (s *Server) checkWorkEmail(v violations, email, self string) {
	if email == "" || len(v["email"]) > 0 {
		return
	}
	if !isEmail(email) {
		v.add("email", "The email must be a valid email address.")
		return
	}
	if id, taken := s.st.byEmail[fold(email)]; taken && id != self {
		v.add("email", "The email has already been taken.")
	}
}

func checkCompensation(v violations, cr map[string]any) map[string]any {
	const p = "compensation_record."
	unknownKeys(v, cr, p, "pay_rate", "pay_rate_period", "pay_rate_schedule", "overtime_status")
	switch rate := cr["pay_rate"].(type) {
	case nil:
		v.add(p+"pay_rate", required(p+"pay_rate"))
	case json.Number:
		if !twoDecimals.MatchString(rate.String()) {
			v.add(p+"pay_rate", "The "+attr(p+"pay_rate")+" must have at most 2 decimal places.")
		}
	default:
		v.add(p+"pay_rate", "The "+attr(p+"pay_rate")+" must be a number.")
	}
	period, _ := getString(v, cr, p, "pay_rate_period", true)
	oneOf(v, p+"pay_rate_period", period, payRatePeriods...)
	schedule, _ := getString(v, cr, p, "pay_rate_schedule", false)
	oneOf(v, p+"pay_rate_schedule", schedule, payRateSchedules...)
	overtime, _ := getString(v, cr, p, "overtime_status", false)
	oneOf(v, p+"overtime_status", overtime, overtimeStatuses...)
	return cloneAny(cr)
}

// checkHirePacket: who_id, address and when_time go together. The caller
// holds s.mu.
func (s *Server) checkHirePacket(v violations, hp map[string]any) {
	const p = "hire_packet."
	unknownKeys(v, hp, p, "who_id", "address", "when_time", "instructions")
	who, hasWho := getID(v, hp, p, "who_id", false, s.employeeExists)
	addr, hasAddr := getString(v, hp, p, "address", false)
	when, hasWhen := getString(v, hp, p, "when_time", false)
	getString(v, hp, p, "instructions", false)
	some := (hasWho && who != "") || (hasAddr && addr != "") || (hasWhen && when != "")
	for key, val := range map[string]string{"who_id": who, "address": strings.TrimSpace(addr), "when_time": when} {
		if some && val == "" && len(v[p+key]) == 0 {
			v.add(p+key, "The "+attr(p+key)+" field is required when who id / address / when time is present.")
		}
	}
	if when != "" {
		if _, err := time.Parse("2006-01-02 15:04", when); err != nil {
			v.add(p+"when_time", "The "+attr(p+"when_time")+" does not match the format Y-m-d H:i.")
		}
	}
}

// exists says whether an id of kind exists. The caller holds s.mu.
func (s *Server) exists(kind talenthr.LookupKind) func(string) bool {
	return func(id string) bool { _, found := s.st.lookups[kind].byID[id]; return found }
}

// employeeExists says whether an employee id exists. The caller holds s.mu.
func (s *Server) employeeExists(id string) bool { _, found := s.st.employees[id]; return found }

// store gives e the next id and indexes it. The caller holds s.mu.
func (s *Server) store(e *Employee) string {
	s.st.nextEmployee++
	e.ID = itoa(s.st.nextEmployee)
	if e.Profile == nil {
		e.Profile = map[string]any{}
	}
	if e.Role == "" {
		e.Role = "employee"
	}
	s.st.employees[e.ID] = e
	s.st.byEmail[fold(e.Email)] = e.ID
	if pe, _ := e.Profile["personal_email"].(string); pe != "" {
		s.st.byPersonalEmail[fold(pe)] = e.ID
	}
	return e.ID
}

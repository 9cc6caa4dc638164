package talenthr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// HireParams is what hiring an employee takes (POST /employees/hire). The
// first five fields are required by TalentHR; the rest are optional and
// each nested object is sent only when one of its fields is set.
type HireParams struct {
	FirstName          string
	LastName           string
	Email              string // work email, unique in the company
	HireDate           Date
	EmploymentStatusID string // from ListEmploymentStatuses, or Lookups.ResolvePlacement

	ReportsToEmployeeID string // the manager; "" for none
	JobRecord           *JobRecord
	CompensationRecord  *CompensationRecord
	HirePacket          *HirePacket

	// SendInvitationEmail lets TalentHR email the new employee an
	// invitation. Off (the default), the client sends prevent_email: true
	// and nobody is emailed.
	SendInvitationEmail bool
	// IsExisting marks someone already working at the company: TalentHR
	// skips its automatic onboarding.
	IsExisting bool
}

// JobRecord places an employee in the org structure; ids come from the
// lookups. Empty ids are left out.
type JobRecord struct {
	JobTitleID   string
	LocationID   string
	DivisionID   string
	DepartmentID string
}

// CompensationRecord is a hire's pay.
type CompensationRecord struct {
	PayRate         string // a decimal with at most two decimals: "1255.38"
	PayRatePeriod   string // hour, day, week, month, quarter or year
	PayRateSchedule string // once-per-month, twice-per-month or every-other-week; optional
	OvertimeStatus  string // exempt or non-exempt; optional
}

// HirePacket is the first-day meeting TalentHR tells the new hire about.
// Who, Address and When go together.
type HirePacket struct {
	WhoID        string    // the employee who meets the new hire
	Address      string    // where
	When         time.Time // sent as "2006-01-02 15:04" in When's own location
	Instructions string
}

// The values TalentHR takes for compensation (https://apidocs.talenthr.io/,
// "Hire employee"; the lists are those of its Pipedream component).
var (
	payRatePeriods   = []string{"hour", "day", "week", "month", "quarter", "year"}
	payRateSchedules = []string{"once-per-month", "twice-per-month", "every-other-week"}
	overtimeStatuses = []string{"exempt", "non-exempt"}
	payRateRe        = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,2})?$`)
)

// Hire creates an employee and returns the new id. Every missing required
// field is refused before anything is sent, with an error naming it.
// When the hire may or may not have happened the error wraps
// ErrOutcomeUnknown: look the email up in the directory before hiring again.
func (c *Client) Hire(ctx context.Context, p HireParams) (string, error) {
	body, err := p.body()
	if err != nil {
		return "", wrapf(err, "hire %q", p.Email)
	}
	var raw json.RawMessage
	if err := c.call(ctx, "POST", "employees/hire", nil, body, &raw); err != nil {
		return "", wrapf(err, "hire %q", p.Email)
	}
	var created DirectoryRow // tolerant: the id may be a number or a string
	if json.Unmarshal(raw, &created) != nil || checkID(created.ID) != nil {
		return "", wrapf(fmt.Errorf("hired, but the reply has no employee id: %w", ErrOutcomeUnknown), "hire %q", p.Email)
	}
	return created.ID, nil
}

// hireBody is the JSON TalentHR takes, in its field names.
type hireBody struct {
	FirstName           string          `json:"first_name"`
	LastName            string          `json:"last_name"`
	Email               string          `json:"email"`
	HireDate            Date            `json:"hire_date"`
	EmploymentStatus    statusRef       `json:"employment_status"`
	ReportsToEmployeeID numID           `json:"reports_to_employee_id,omitempty"`
	JobRecord           *jobRecordBody  `json:"job_record,omitempty"`
	CompensationRecord  *compensation   `json:"compensation_record,omitempty"`
	PreventEmail        bool            `json:"prevent_email"`
	IsExisting          bool            `json:"is_existing"`
	HirePacket          *hirePacketBody `json:"hire_packet,omitempty"`
}

type statusRef struct {
	EmploymentStatusID numID `json:"employment_status_id"`
}

type jobRecordBody struct {
	JobTitleID   numID `json:"job_title_id,omitempty"`
	LocationID   numID `json:"location_id,omitempty"`
	DivisionID   numID `json:"division_id,omitempty"`
	DepartmentID numID `json:"department_id,omitempty"`
}

type compensation struct {
	PayRate         json.Number `json:"pay_rate"`
	PayRatePeriod   string      `json:"pay_rate_period"`
	PayRateSchedule string      `json:"pay_rate_schedule,omitempty"`
	OvertimeStatus  string      `json:"overtime_status,omitempty"`
}

type hirePacketBody struct {
	WhoID        numID  `json:"who_id,omitempty"`
	Address      string `json:"address,omitempty"`
	WhenTime     string `json:"when_time,omitempty"`
	Instructions string `json:"instructions,omitempty"`
}

// numID is an id written as a JSON number, as TalentHR's bodies carry them.
// It must have passed checkID.
type numID string

// MarshalJSON writes the digits as a number.
func (n numID) MarshalJSON() ([]byte, error) {
	if err := checkID(string(n)); err != nil {
		return nil, err
	}
	return []byte(n), nil
}

// body checks p and builds the request body.
func (p HireParams) body() (*hireBody, error) {
	if err := p.checkRequired(); err != nil {
		return nil, err
	}
	b := &hireBody{
		FirstName: strings.TrimSpace(p.FirstName), LastName: strings.TrimSpace(p.LastName),
		Email: strings.TrimSpace(p.Email), HireDate: p.HireDate,
		EmploymentStatus: statusRef{numID(p.EmploymentStatusID)},
		PreventEmail:     !p.SendInvitationEmail, IsExisting: p.IsExisting,
	}
	ids := map[string]string{"employment_status_id": p.EmploymentStatusID}
	if p.ReportsToEmployeeID != "" {
		ids["reports_to_employee_id"] = p.ReportsToEmployeeID
		b.ReportsToEmployeeID = numID(p.ReportsToEmployeeID)
	}
	if jr := p.JobRecord; jr != nil && *jr != (JobRecord{}) {
		b.JobRecord = &jobRecordBody{numID(jr.JobTitleID), numID(jr.LocationID), numID(jr.DivisionID), numID(jr.DepartmentID)}
		for k, v := range map[string]string{"job_title_id": jr.JobTitleID, "location_id": jr.LocationID, "division_id": jr.DivisionID, "department_id": jr.DepartmentID} {
			if v != "" {
				ids["job_record."+k] = v
			}
		}
	}
	for _, k := range sortedKeys(ids) {
		if err := checkID(ids[k]); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	var err error
	if b.CompensationRecord, err = p.CompensationRecord.body(); err != nil {
		return nil, err
	}
	if b.HirePacket, err = p.HirePacket.body(); err != nil {
		return nil, err
	}
	return b, nil
}

// checkRequired names the first missing or malformed required field.
func (p HireParams) checkRequired() error {
	for _, f := range []struct{ name, value string }{
		{"first_name", p.FirstName}, {"last_name", p.LastName}, {"email", p.Email},
	} {
		if strings.TrimSpace(f.value) == "" {
			return fmt.Errorf("%s is required", f.name)
		}
	}
	if a, err := mail.ParseAddress(strings.TrimSpace(p.Email)); err != nil || a.Address != strings.TrimSpace(p.Email) {
		return fmt.Errorf("email %q is not an email address", clipText(p.Email, 80))
	}
	switch {
	case p.HireDate.IsZero():
		return errors.New("hire_date is required")
	case !p.HireDate.valid():
		return fmt.Errorf("hire_date %04d-%02d-%02d is not a calendar date", p.HireDate.Year, int(p.HireDate.Month), p.HireDate.Day)
	case p.EmploymentStatusID == "":
		return errors.New("employment_status.employment_status_id is required")
	}
	return nil
}

func (cr *CompensationRecord) body() (*compensation, error) {
	if cr == nil || *cr == (CompensationRecord{}) {
		return nil, nil
	}
	if !payRateRe.MatchString(cr.PayRate) {
		return nil, fmt.Errorf("compensation_record.pay_rate %q is not a decimal with at most two decimals", clipText(cr.PayRate, 30))
	}
	for _, f := range []struct {
		name, value string
		allowed     []string
		optional    bool
	}{
		{"pay_rate_period", cr.PayRatePeriod, payRatePeriods, false},
		{"pay_rate_schedule", cr.PayRateSchedule, payRateSchedules, true},
		{"overtime_status", cr.OvertimeStatus, overtimeStatuses, true},
	} {
		if (f.value == "" && f.optional) || contains(f.allowed, f.value) {
			continue
		}
		return nil, fmt.Errorf("compensation_record.%s %q is not one of %s", f.name, clipText(f.value, 30), strings.Join(f.allowed, ", "))
	}
	return &compensation{json.Number(cr.PayRate), cr.PayRatePeriod, cr.PayRateSchedule, cr.OvertimeStatus}, nil
}

func (hp *HirePacket) body() (*hirePacketBody, error) {
	if hp == nil || (hp.WhoID == "" && hp.Address == "" && hp.When.IsZero() && hp.Instructions == "") {
		return nil, nil
	}
	meeting := hp.WhoID != "" || hp.Address != "" || !hp.When.IsZero()
	if meeting && (hp.WhoID == "" || strings.TrimSpace(hp.Address) == "" || hp.When.IsZero()) {
		return nil, errors.New("hire_packet: who_id, address and when_time go together")
	}
	b := &hirePacketBody{WhoID: numID(hp.WhoID), Address: hp.Address, Instructions: hp.Instructions}
	if meeting {
		if err := checkID(hp.WhoID); err != nil {
			return nil, fmt.Errorf("hire_packet.who_id: %w", err)
		}
		b.WhenTime = hp.When.Format("2006-01-02 15:04")
	}
	return b, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SetPlacement copies resolved ids into p.
func (p *HireParams) SetPlacement(ids PlacementIDs) {
	p.EmploymentStatusID = ids.EmploymentStatusID
	p.JobRecord = ids.JobRecord
}

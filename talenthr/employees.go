package talenthr

import (
	"context"
	"encoding/json"
	"net/url"
)

// Employee is one employee as GET /employees/{id} returns them. The shape
// is known from clients only, so Employee names the documented keys and
// keeps every other in Extra. Names and the work email may be absent here
// (they appear to live under "user"); FirstName, LastName and Email read
// them from wherever they are. The directory row has them for certain.
type Employee struct {
	ID                string        `json:"id"`
	EmployeeNumber    string        `json:"employee_number"`
	User              *EmployeeUser `json:"user"`
	BirthDate         Date          `json:"birth_date"`
	HireDate          Date          `json:"hire_date"`
	IsTerminated      bool          `json:"is_terminated"`
	TerminationDate   Date          `json:"termination_date"`
	TerminationReason string        `json:"termination_reason"`
	IsFutureRehire    bool          `json:"is_future_rehire"`
	DepartmentID      string        `json:"department_id"`
	DepartmentName    string        `json:"department_name"`
	DivisionID        string        `json:"division_id"`
	DivisionName      string        `json:"division_name"`
	JobTitleID        string        `json:"job_title_id"`
	JobTitleName      string        `json:"job_title_name"`
	LocationID        string        `json:"location_id"`
	LocationName      string        `json:"location_name"`
	Address           string        `json:"address"`
	City              string        `json:"city"`
	PostalCode        string        `json:"postal_code"`
	Country           string        `json:"country"`
	Nationality       string        `json:"nationality"`
	Citizenship       string        `json:"citizenship"`
	Gender            string        `json:"gender"`
	MaritalStatus     string        `json:"marital_status"`
	PersonalEmail     string        `json:"personal_email"`
	WorkPhone         string        `json:"work_phone"`
	LinkedInURL       string        `json:"linked_in_url"`
	PhotoURL          string        `json:"photo_url"`
	UserRole          *UserRole     `json:"user_role"`
	CustomFields      []CustomField `json:"custom_fields"`
	// Extra keeps the other keys: emergency_contact, short_manager,
	// seniority, hire_packet, hire_date_utc, first_name and the like.
	Extra Extra `json:"-"`
}

// EmployeeUser is the user account inside an Employee.
type EmployeeUser struct {
	ID        string `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Extra     Extra  `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (e *Employee) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// MarshalJSON writes the employee with its Extra keys.
func (e Employee) MarshalJSON() ([]byte, error) { return encodeObject(e) }

// UnmarshalJSON decodes tolerantly.
func (u *EmployeeUser) UnmarshalJSON(b []byte) error { return decodeObject(b, u) }

// MarshalJSON writes the user with its Extra keys.
func (u EmployeeUser) MarshalJSON() ([]byte, error) { return encodeObject(u) }

// FirstName is the first name, from the employee or its user.
func (e *Employee) FirstName() string {
	return e.identity("first_name", func(u *EmployeeUser) string { return u.FirstName })
}

// LastName is the last name, from the employee or its user.
func (e *Employee) LastName() string {
	return e.identity("last_name", func(u *EmployeeUser) string { return u.LastName })
}

// Email is the work email, from the employee or its user.
func (e *Employee) Email() string {
	return e.identity("email", func(u *EmployeeUser) string { return u.Email })
}

func (e *Employee) identity(key string, fromUser func(*EmployeeUser) string) string {
	if s, ok := scalarText(e.Extra[key]); ok && s != "null" && s != "" {
		return s
	}
	if e.User != nil {
		return fromUser(e.User)
	}
	return ""
}

// Terminated reports whether the employee has left by today: TalentHR
// says so, or a termination date is set and is not after today.
func (e *Employee) Terminated(today Date) bool {
	return e.IsTerminated || (!e.TerminationDate.IsZero() && !e.TerminationDate.After(today))
}

// GetEmployee reads one employee (GET /employees/{id}). A missing one is
// ErrNotFound.
func (c *Client) GetEmployee(ctx context.Context, id string) (*Employee, error) {
	if err := checkID(id); err != nil {
		return nil, wrapf(err, "get employee")
	}
	var e Employee
	if err := c.get(ctx, "employees/"+url.PathEscape(id), nil, &e); err != nil {
		return nil, wrapf(err, "get employee %s", id)
	}
	if e.ID == "" {
		e.ID = id
	}
	return &e, nil
}

// JobInfo is an employee's job history (GET /employees/{id}/job): each
// list holds effective-dated records whose shapes TalentHR does not
// publish, so they are kept as raw JSON objects.
type JobInfo struct {
	JobRecords          []json.RawMessage `json:"job_records"`
	EmploymentStatuses  []json.RawMessage `json:"employment_statuses"`
	CompensationRecords []json.RawMessage `json:"compensation_records"`
	ManagerRecords      []json.RawMessage `json:"manager_records"`
	Benefits            []json.RawMessage `json:"benefits"`
	Extra               Extra             `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (j *JobInfo) UnmarshalJSON(b []byte) error { return decodeObject(b, j) }

// MarshalJSON writes the job info with its Extra keys.
func (j JobInfo) MarshalJSON() ([]byte, error) { return encodeObject(j) }

// GetJobInfo reads employee id's job, employment-status, compensation and
// manager history.
func (c *Client) GetJobInfo(ctx context.Context, id string) (*JobInfo, error) {
	if err := checkID(id); err != nil {
		return nil, wrapf(err, "get job info")
	}
	var j JobInfo
	if err := c.get(ctx, "employees/"+url.PathEscape(id)+"/job", nil, &j); err != nil {
		return nil, wrapf(err, "get job info of employee %s", id)
	}
	return &j, nil
}

// CustomField is one custom field of an employee, its definition and its
// values (GET /employees/{id}/custom-fields).
type CustomField struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	FieldName          string            `json:"field_name"`
	Slug               string            `json:"slug"`
	Form               string            `json:"form"`
	CustomFieldTypeID  string            `json:"custom_field_type_id"`
	CustomFieldType    json.RawMessage   `json:"custom_field_type"`
	Values             []json.RawMessage `json:"custom_field_values"` // shapes not published
	IsGroup            bool              `json:"is_group"`
	ParentGroupID      string            `json:"parent_group_id"`
	HasMultipleRecords bool              `json:"has_multiple_records"`
	IsEnabled          bool              `json:"is_enabled"`
	IsEditable         bool              `json:"is_editable"`
	IsPredefined       bool              `json:"is_predefined"`
	VisibleTo          string            `json:"visible_to"`
	Extra              Extra             `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (f *CustomField) UnmarshalJSON(b []byte) error { return decodeObject(b, f) }

// MarshalJSON writes the custom field with its Extra keys.
func (f CustomField) MarshalJSON() ([]byte, error) { return encodeObject(f) }

// ListCustomFields reads employee id's custom fields with their values.
// TalentHR has no public call that writes them.
func (c *Client) ListCustomFields(ctx context.Context, id string) ([]CustomField, error) {
	if err := checkID(id); err != nil {
		return nil, wrapf(err, "list custom fields")
	}
	var raw json.RawMessage
	if err := c.get(ctx, "employees/"+url.PathEscape(id)+"/custom-fields", nil, &raw); err != nil {
		return nil, wrapf(err, "list custom fields of employee %s", id)
	}
	fields, err := decodeList[CustomField](raw)
	return fields, wrapf(err, "list custom fields of employee %s: decoding the reply", id)
}

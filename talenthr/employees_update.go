package talenthr

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// UpdateEmployeeParams is a partial update of an employee (PUT
// /employees/{id}): only the Fields that are set or null are sent; every
// unset Field is left out and TalentHR keeps its value. Keys are
// TalentHR's, in the order of https://apidocs.talenthr.io/ "Update employee".
//
// Job title, department, division and location are not update keys: they
// live on job records, which TalentHR has no public call to add.
type UpdateEmployeeParams struct {
	FirstName     Field[string] `json:"first_name" talenthr:"required"`
	LastName      Field[string] `json:"last_name" talenthr:"required"`
	Email         Field[string] `json:"email" talenthr:"required"`
	SSN           Field[string] `json:"ssn"`
	BirthDate     Field[Date]   `json:"birth_date"` // between 1930-01-01 and today
	PersonalEmail Field[string] `json:"personal_email"`
	MaritalStatus Field[string] `json:"marital_status"` // Single, Separated, Married, Widowed
	Gender        Field[string] `json:"gender"`         // Male, Female, Non-binary
	Nationality   Field[string] `json:"nationality"`    // a name from /nationalities
	Citizenship   Field[string] `json:"citizenship"`

	WorkPhone     Field[string] `json:"work_phone"`
	MobilePhone   Field[string] `json:"mobile_phone"`
	Phone         Field[string] `json:"phone"`
	Address       Field[string] `json:"address"`
	City          Field[string] `json:"city"`
	PostalCode    Field[string] `json:"postal_code"`
	Country       Field[string] `json:"country"` // a name from /countries
	SecAddress    Field[string] `json:"sec_address"`
	SecCity       Field[string] `json:"sec_city"`
	SecPostalCode Field[string] `json:"sec_postal_code"`
	SecCountry    Field[string] `json:"sec_country"`

	// ReportsToEmployeeID is the manager's id; Null makes the employee the
	// head of the company.
	ReportsToEmployeeID Field[string]           `json:"reports_to_employee_id" talenthr:"id"`
	EmployeeNumber      Field[string]           `json:"employee_number"`
	EmergencyContact    Field[EmergencyContact] `json:"emergency_contact"`

	PassportNumber              Field[string] `json:"passport_number"`
	PassportIssuedDate          Field[Date]   `json:"passport_issued_date"`
	PassportExpiryDate          Field[Date]   `json:"passport_expiry_date"`
	PassportIssuingCountry      Field[string] `json:"passport_issuing_country"`
	VisaType                    Field[string] `json:"visa_type"`
	VisaNumber                  Field[string] `json:"visa_number"`
	VisaExpiryDate              Field[Date]   `json:"visa_expiry_date"`
	DriverLicenseNumber         Field[string] `json:"driver_license_number"`
	DriverLicenseIssuedDate     Field[Date]   `json:"driver_license_issued_date"`
	DriverLicenseExpiryDate     Field[Date]   `json:"driver_license_expiry_date"`
	DriverLicenseIssuingCountry Field[string] `json:"driver_license_issuing_country"`

	LinkedInURL  Field[string] `json:"linked_in_url"`
	TwitterURL   Field[string] `json:"twitter_url"`
	FacebookURL  Field[string] `json:"facebook_url"`
	InstagramURL Field[string] `json:"instagram_url"`
	PinterestURL Field[string] `json:"pinterest_url"`
	GithubURL    Field[string] `json:"github_url"`
	BehanceURL   Field[string] `json:"behance_url"`
	SkypeName    Field[string] `json:"skype_name"`

	ShirtSize   Field[string]         `json:"shirt_size"`
	TShirtSize  Field[string]         `json:"t_shirt_size"`
	Allergies   Field[string]         `json:"allergies"`
	HRLanguages Field[[]string]       `json:"hr_languages" talenthr:"id"` // language ids (Lookups.LanguageIDs)
	HRFamily    Field[[]FamilyMember] `json:"hr_family"`
}

// EmergencyContact is an employee's emergency contact.
type EmergencyContact struct {
	FullName           string
	RelationshipTypeID string // from /relationship-types
	Phone              string
	Address            string
}

// MarshalJSON writes the contact in TalentHR's keys, the id as a number.
func (e EmergencyContact) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		FullName           string `json:"full_name,omitempty"`
		RelationshipTypeID numID  `json:"relationship_type_id,omitempty"`
		Phone              string `json:"phone,omitempty"`
		Address            string `json:"address,omitempty"`
	}{e.FullName, numID(e.RelationshipTypeID), e.Phone, e.Address})
}

// FamilyMember is one entry of hr_family.
type FamilyMember struct {
	Name                       string
	Gender                     string
	BirthDate                  Date
	FamilyMemberRelationshipID string
}

// MarshalJSON writes the member in TalentHR's keys, the id as a number.
func (f FamilyMember) MarshalJSON() ([]byte, error) {
	var birth *Date // omitempty leaves a nil pointer out on every Go release
	if !f.BirthDate.IsZero() {
		birth = &f.BirthDate
	}
	return json.Marshal(struct {
		Name           string `json:"name"`
		Gender         string `json:"gender,omitempty"`
		BirthDate      *Date  `json:"birth_date,omitempty"`
		RelationshipID numID  `json:"family_member_relationship_id,omitempty"`
	}{f.Name, f.Gender, birth, numID(f.FamilyMemberRelationshipID)})
}

// MarshalJSON writes the keys that are set or null, in field order.
func (p UpdateEmployeeParams) MarshalJSON() ([]byte, error) {
	b, _, err := encodePatch(p)
	return b, err
}

// UpdateEmployee changes the keys of employee id that p sets or nulls. A
// p that changes nothing is refused without a request.
func (c *Client) UpdateEmployee(ctx context.Context, id string, p UpdateEmployeeParams) error {
	if err := checkID(id); err != nil {
		return wrapf(err, "update employee")
	}
	body, n, err := encodePatch(p)
	if err != nil {
		return wrapf(err, "update employee %s", id)
	}
	if n == 0 {
		return wrapf(errors.New("nothing to update: every Field is unset"), "update employee %s", id)
	}
	err = c.call(ctx, "PUT", "employees/"+url.PathEscape(id), nil, json.RawMessage(body), nil)
	return wrapf(err, "update employee %s", id)
}

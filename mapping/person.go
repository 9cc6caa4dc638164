package mapping

import "slices"

// The canonical person: the fields every "<hr>-person" preset writes (or
// declares absent) and the "person-<lms>" presets read, so that Compose
// joins any HR system to any learning platform. Names are flat and dotted: a map writes
// "address.city" as {"address": {"city": ...}}, and reads it in either
// form. Each field has one meaning and one kind of value:
//
//	field               value
//	id                  text: the person's id in the system the record came from (a join key, never reused)
//	employee_number     text: the number the company gives the employee, when it differs from id
//	first_name          text, trimmed
//	last_name           text, trimmed (HiBob calls it surname)
//	display_name        text, trimmed: the name as the source shows it
//	email.work          text: trimmed, lower-case, a plausible address (the login on most platforms)
//	email.personal      same, for a home or private address
//	phone.work          text, trimmed, as the source writes it
//	phone.mobile        text, trimmed
//	address.line1       text, trimmed
//	address.line2       text, trimmed
//	address.city        text, trimmed
//	address.state       text, trimmed: the name or code the source gives
//	address.postal_code text, trimmed (a number reads as its digits)
//	address.country     text, trimmed: the name the source gives
//	job_title           text, trimmed: the title's name, not a list item id
//	department          text, trimmed: the department's name
//	division            text, trimmed: the division's name
//	location            text, trimmed: the site or office name
//	team                Reference (collection "teams"): the team record standing for the person's department
//	manager             Reference (collection "users"): the manager's record
//	hire_date           time.Time, midnight UTC
//	leave_date          time.Time, midnight UTC: the termination or deactivation date
//	language            text: the language as the source names it (a code like "en-GB", or a name)
//	active              bool: whether the source counts the person as current
//
// Every person preset has skip_missing set: a field the source left out
// of the record is absent from the person, and an out map leaves the
// platform's field alone, while an empty field clears it. A field a system
// does not have at all is listed in the in map's Absent, so composing it
// with any out map works, while an out map reading a field its in map
// neither writes nor declares absent fails to compose. Maps of your own
// may add fields of their own on both sides (see the Compose examples).
//
// The sync engine, not the maps, deactivates leavers (from the record's
// active flag the connector sets), so no out map writes active or
// leave_date.
const (
	PersonID             = "id"
	PersonEmployeeNumber = "employee_number"
	PersonFirstName      = "first_name"
	PersonLastName       = "last_name"
	PersonDisplayName    = "display_name"
	PersonWorkEmail      = "email.work"
	PersonPersonalEmail  = "email.personal"
	PersonWorkPhone      = "phone.work"
	PersonMobilePhone    = "phone.mobile"
	PersonAddressLine1   = "address.line1"
	PersonAddressLine2   = "address.line2"
	PersonCity           = "address.city"
	PersonState          = "address.state"
	PersonPostalCode     = "address.postal_code"
	PersonCountry        = "address.country"
	PersonJobTitle       = "job_title"
	PersonDepartment     = "department"
	PersonDivision       = "division"
	PersonLocation       = "location"
	PersonTeam           = "team"
	PersonManager        = "manager"
	PersonHireDate       = "hire_date"
	PersonLeaveDate      = "leave_date"
	PersonLanguage       = "language"
	PersonActive         = "active"
)

var personFields = []string{
	PersonID, PersonEmployeeNumber,
	PersonFirstName, PersonLastName, PersonDisplayName,
	PersonWorkEmail, PersonPersonalEmail,
	PersonWorkPhone, PersonMobilePhone,
	PersonAddressLine1, PersonAddressLine2, PersonCity, PersonState, PersonPostalCode, PersonCountry,
	PersonJobTitle, PersonDepartment, PersonDivision, PersonLocation,
	PersonTeam, PersonManager,
	PersonHireDate, PersonLeaveDate,
	PersonLanguage, PersonActive,
}

// PersonFields lists the canonical person's fields in the order above.
func PersonFields() []string { return slices.Clone(personFields) }

package bamboohrtest

import (
	"strings"

	"github.com/rostersync/rostersync/bamboohr"
)

// The custom checkbox BambooHR support adds for the Litmos integration
// (https://help.bamboohr.com/hc/en-us/articles/115007765928-Litmos). Its real
// alias and id vary by company; these are the fake's.
const (
	LitmosAccessLabel = "Litmos Access"
	LitmosAccessAlias = "customLitmosAccess"
	LitmosAccessID    = "4623"
	// SupervisorTextID is a custom text field with no alias, requested by
	// numeric id only, as in a recorded tenant
	// (https://github.com/NangoHQ/integration-templates fixtures).
	SupervisorTextID = "4618"
)

// standardFields is meta/fields of a fresh company: the classic fields with
// the ids two recorded tenants share (not documented; Nango fixtures,
// https://github.com/NangoHQ/integration-templates), plus the custom fields above.
func standardFields() []bamboohr.Field {
	f := func(id, name, typ, alias string) bamboohr.Field {
		return bamboohr.Field{ID: bamboohr.String(id), Name: name, Type: typ, Alias: alias}
	}
	return []bamboohr.Field{
		f("1", "First Name", "text", "firstName"),
		f("2", "Last Name", "text", "lastName"),
		f("1358", "Preferred Name", "text", "preferredName"),
		f("15", "Work Email", "email", "workEmail"),
		f("1357", "Home Email", "email", "homeEmail"),
		f("634", "Work Phone", "phone", "workPhone"),
		f("13", "Mobile Phone", "phone", "mobilePhone"),
		f("8", "Address Line 1", "text", "address1"),
		f("9", "Address Line 2", "text", "address2"),
		f("10", "City", "text", "city"),
		f("11", "State", "state", "state"),
		f("12", "Zip Code", "text", "zipcode"),
		f("3991", "Country", "country", "country"),
		f("17", "Job Title", "list", "jobTitle"),
		f("4", "Department", "list", "department"),
		f("1355", "Division", "list", "division"),
		f("18", "Location", "list", "location"),
		f("91", "Reporting to", "employee", "reportsTo"),
		f("3", "Hire Date", "date", "hireDate"),
		f("4333", "Original Hire Date", "date", "originalHireDate"),
		f("-38", "Termination Date", "date", "terminationDate"),
		f("387", "Status", "status", "status"),
		f("16", "Employment Status", "list", "employmentHistoryStatus"),
		f("636", "Employee #", "employee_number", "employeeNumber"),
		f(LitmosAccessID, LitmosAccessLabel, "checkbox", LitmosAccessAlias),
		f(SupervisorTextID, "Supervisor", "text", ""),
		f("4340.4", "Pay rate - currency", "text", ""),
	}
}

// calculated fields: requestable, not in meta/fields, never writable (observed
// in recorded fixtures, https://github.com/NangoHQ/integration-templates).
var calculated = map[string]bool{
	"id": true, "displayName": true, "supervisor": true, "supervisorEId": true,
	"supervisorId": true, "supervisorEmail": true, "lastChanged": true, "bestEmail": true,
}

// readOnly fields cannot be written through employees
// (https://documentation.bamboohr.com/docs/list-of-field-names).
var readOnly = map[string]bool{"terminationDate": true, "employmentHistoryStatus": true}

// datasetNames maps datasets-API names to classic storage keys (names seen in
// https://github.com/NangoHQ/integration-templates fixtures).
var datasetNames = map[string]string{
	"eeid": "id", "email": "workEmail", "firstName": "firstName", "lastName": "lastName",
	"preferredName": "preferredName", "homeEmail": "homeEmail", "mobilePhone": "mobilePhone",
	"workPhone": "workPhone", "addressLineOne": "address1", "addressLineTwo": "address2",
	"city": "city", "state": "state", "zipcode": "zipcode", "country": "country",
	"jobInformationJobTitle": "jobTitle", "jobInformationDepartment": "department",
	"jobInformationDivision": "division", "jobInformationLocation": "location",
	"supervisorEid": "supervisorEId", "supervisorEmail": "supervisorEmail", "hireDate": "hireDate",
	"terminationDate": "terminationDate", "status": "status", "employmentStatus": "employmentHistoryStatus",
	"employeeNumber": "employeeNumber", "lastChanged": "lastChanged",
}

// storageKey resolves a requested name (alias, numeric id or calculated
// name) to the key employees are stored under. Must hold s.mu.
func (s *Server) storageKey(name string) (key string, f bamboohr.Field, ok bool) {
	if calculated[name] {
		return name, bamboohr.Field{Alias: name, Type: "calculated"}, true
	}
	for _, f := range s.fields {
		if f.Alias == name || f.ID.String() == name {
			return f.Key(), f, true
		}
	}
	return "", bamboohr.Field{}, false
}

// datasetKey resolves a dataset field name, customField{id} included. Must hold s.mu.
func (s *Server) datasetKey(name string) (string, bool) {
	if k, ok := datasetNames[name]; ok {
		return k, true
	}
	if id, ok := strings.CutPrefix(name, "customField"); ok {
		for _, f := range s.fields {
			if f.ID.String() == id && id != "" {
				return f.Key(), true
			}
		}
	}
	return "", false
}

// hidden reports whether k may not see the field stored under key.
func (k *Key) hidden(key string, f bamboohr.Field) bool {
	for _, h := range k.HiddenFields {
		if h == key || h == f.Alias || (f.ID.String() != "" && h == f.ID.String()) {
			return true
		}
	}
	return false
}

func (k *Key) hiddenEmployee(id int) bool {
	for _, h := range k.HiddenEmployees {
		if h == id {
			return true
		}
	}
	return false
}

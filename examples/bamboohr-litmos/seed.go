package main

import (
	"fmt"
	"strconv"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
)

// office is an address employees share.
type office struct {
	address1, city, state, zip, country, phone string
}

var offices = map[string]office{
	"chi": {"233 S Wacker Dr", "Chicago", "IL", "60606", "United States", "+1 312 555 0100"},
	"aus": {"500 W 2nd St", "Austin", "TX", "78701", "United States", "+1 512 555 0100"},
	"lon": {"1 Canada Square", "London", "", "E14 5AB", "United Kingdom", "+44 20 7946 0000"},
	"ber": {"Friedrichstraße 68", "Berlin", "", "10117", "Germany", "+49 30 5555 0100"},
}

// seedPerson is one employee of the demo company. manager names another
// seedPerson by key; access is the Litmos Access checkbox.
type seedPerson struct {
	key, first, last, email, title, office, manager string
	access                                          bool
	status                                          string // "" Active, "Inactive", "Terminated"
}

// cast is the demo company: a CEO, managers, staff, and the cases the job
// must handle (no Litmos Access, no work email, terminated, inactive,
// names with accents and apostrophes, mixed-case emails).
var cast = []seedPerson{
	{"ceo", "Margaret", "Okonkwo", "margaret.okonkwo@northwind.example", "Chief Executive Officer", "chi", "", true, ""},
	{"vpeng", "Zoë", "Ñúñez-O'Brien", "Zoe.Nunez@Northwind.example", "VP Engineering", "chi", "ceo", true, ""},
	{"vpsales", "Rajesh", "Iyer", "rajesh.iyer@northwind.example", "VP Sales", "aus", "ceo", true, ""},
	{"people", "Claire", "Dubois", "claire.dubois@northwind.example", "Head of People", "lon", "ceo", true, ""},
	{"ops", "Tomasz", "Wójcik", "tomasz.wojcik@northwind.example", "Operations Manager", "ber", "ceo", true, ""},
	{"bo", "Bo", "Chen", "bo.chen@northwind.example", "Software Engineer", "chi", "vpeng", true, ""},
	{"", "Aisha", "Rahman", "aisha.rahman@northwind.example", "Senior Software Engineer", "chi", "vpeng", true, ""},
	{"", "Liam", "O'Connor", "Liam.OConnor@Northwind.example", "Software Engineer", "lon", "vpeng", true, ""},
	{"", "Sofia", "García", "sofia.garcia@northwind.example", "QA Engineer", "aus", "vpeng", true, ""},
	{"", "Kenji", "Watanabe", "kenji.watanabe@northwind.example", "Site Reliability Engineer", "chi", "vpeng", true, ""},
	{"", "Priya", "Natarajan", "priya.natarajan@northwind.example", "Data Engineer", "aus", "vpeng", true, ""},
	{"", "Jonas", "Müller", "jonas.mueller@northwind.example", "Firmware Engineer", "ber", "vpeng", true, ""},
	{"", "Emily", "Carter", "emily.carter@northwind.example", "Engineering Intern", "chi", "vpeng", false, ""},
	{"", "Lucas", "Almeida", "lucas.almeida@northwind.example", "Account Executive", "aus", "vpsales", true, ""},
	{"", "Hannah", "Schmidt", "hannah.schmidt@northwind.example", "Account Executive", "ber", "vpsales", true, ""},
	{"", "Marcus", "Johnson", "marcus.johnson@northwind.example", "Sales Engineer", "aus", "vpsales", true, ""},
	{"", "Chloé", "Lefèvre", "chloe.lefevre@northwind.example", "Customer Success Manager", "lon", "vpsales", true, ""},
	{"", "Diego", "Hernández", "diego.hernandez@northwind.example", "Sales Development Rep", "aus", "vpsales", true, ""},
	{"", "Grace", "Kim", "grace.kim@northwind.example", "Sales Development Rep", "aus", "vpsales", false, ""},
	{"", "Olivia", "Brown", "olivia.brown@northwind.example", "HR Generalist", "lon", "people", true, ""},
	{"", "Noor", "Haddad", "", "Recruiter", "lon", "people", true, ""}, // no work email
	{"", "Fatima", "Zahra", "fatima.zahra@northwind.example", "Payroll Specialist", "lon", "people", true, ""},
	{"", "Samuel", "Adeyemi", "samuel.adeyemi@northwind.example", "Learning Coordinator", "chi", "people", true, ""},
	{"", "Ingrid", "Johansson", "ingrid.johansson@northwind.example", "Warehouse Lead", "ber", "ops", true, ""},
	{"ed", "Ed", "Silva", "ed.silva@northwind.example", "Warehouse Associate", "ber", "ops", true, ""},
	{"", "Mei", "Lin", "mei.lin@northwind.example", "Logistics Coordinator", "chi", "ops", true, ""},
	{"", "Patrick", "Byrne", "patrick.byrne@northwind.example", "Facilities Manager", "lon", "ops", false, ""},
	{"", "Yusuf", "Demir", "yusuf.demir@northwind.example", "Warehouse Associate", "ber", "ops", true, ""},
	{"", "Ana", "Lima", "ana.lima@northwind.example", "Procurement Analyst", "aus", "ops", true, ""},
	{"", "Ravi", "Shankar", "ravi.shankar@northwind.example", "IT Support Specialist", "chi", "ops", true, ""},
	{"", "Elena", "Popescu", "elena.popescu@northwind.example", "Contractor, Design", "ber", "vpeng", false, ""},
	{"", "George", "Miller", "george.miller@northwind.example", "Sales Manager", "aus", "vpsales", true, "Terminated"},
	{"", "Laura", "Rossi", "laura.rossi@northwind.example", "Office Manager", "lon", "people", true, "Inactive"},
	{"kwame", "Kwame", "Mensah", "kwame.mensah@northwind.example", "Support Engineer", "lon", "vpeng", true, ""},
}

// seedCompany adds the cast, plus extra generic staff up to n employees,
// and returns the ids of the keyed people.
func seedCompany(hr *bamboohrtest.Server, n int) map[string]string {
	ids := map[string]string{}
	for _, p := range cast {
		id := hr.AddEmployee(p.fields(ids))
		if p.key != "" {
			ids[p.key] = strconv.Itoa(id)
		}
	}
	for i := len(cast); i < n; i++ {
		p := seedPerson{first: "Staff", last: fmt.Sprintf("Member %04d", i), email: fmt.Sprintf("staff%04d@northwind.example", i),
			title: "Associate", office: []string{"chi", "aus", "lon", "ber"}[i%4], manager: "ops", access: true}
		hr.AddEmployee(p.fields(ids))
	}
	return ids
}

func (p seedPerson) fields(ids map[string]string) map[string]string {
	o := offices[p.office]
	f := map[string]string{
		"firstName": p.first, "lastName": p.last, "workEmail": p.email, "jobTitle": p.title,
		"workPhone": o.phone, "address1": o.address1, "city": o.city, "state": o.state,
		"zipcode": o.zip, "country": o.country,
		bamboohrtest.LitmosAccessAlias: map[bool]string{true: "yes", false: "no"}[p.access],
	}
	if p.manager != "" {
		f["supervisorEId"] = ids[p.manager]
	}
	switch p.status {
	case "Terminated":
		f["status"], f["employmentHistoryStatus"], f["terminationDate"] = "Inactive", "Terminated", "2026-10-31"
	case "Inactive":
		f["status"] = "Inactive"
	}
	return f
}

package main

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/examples/runner"
)

// company.csv is the demo company in BambooHR's field aliases (key names a
// row for the tour; manager is another row's key), with the cases the job
// must handle: no Litmos Access, no work email, terminated, inactive.
//
//go:embed company.csv
var companyCSV string

// readCast parses company.csv.
func readCast() []map[string]string { return runner.CSVRows("company.csv", companyCSV) }

// seedCompany adds the cast and staff up to n employees, and returns the keyed
// ids, how many have Litmos Access, and who may leave (-fake-leavers).
func seedCompany(hr *bamboohrtest.Server, n int) (ids map[string]int, access int, stayers []int) {
	ids = map[string]int{}
	cast := readCast()
	for i := range n {
		p := map[string]string{"firstName": "Staff", "lastName": fmt.Sprintf("Member %04d", i), "manager": "ops",
			"workEmail": fmt.Sprintf("staff%04d@northwind.example", i), "jobTitle": "Associate", "department": "Operations",
			"city": []string{"Chicago", "Austin", "London", "Berlin"}[i%4], bamboohrtest.LitmosAccessAlias: "yes"}
		if i < len(cast) {
			p = cast[i]
		}
		f := map[string]string{}
		for k, v := range p {
			switch {
			case k == "manager" && v != "":
				f["supervisorEId"] = fmt.Sprint(ids[v])
			case v != "" && k != "key" && k != "manager":
				f[k] = v
			}
		}
		id := hr.AddEmployee(f)
		ids[p["key"]] = id // "" for the staff: unused
		if p[bamboohrtest.LitmosAccessAlias] == "yes" {
			access++ // and a learner, unless it has no email, is not active or takes part in the tour
			if f["workEmail"] != "" && f["status"] == "" && !strings.Contains(" bo ed kwame ", " "+p["key"]+" ") {
				stayers = append(stayers, id)
			}
		}
	}
	return ids, access, stayers
}

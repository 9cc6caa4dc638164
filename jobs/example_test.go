package jobs_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// The job on the fakes: plan, review the staged list, apply, report.
func Example() {
	ctx := context.Background()
	hr := bamboohrtest.NewServer(nil)
	defer hr.Close()
	lms := litmostest.NewServer(nil)
	defer lms.Close()
	hr.AddEmployee(map[string]string{"firstName": "Zoë", "lastName": "Ñúñez", "workEmail": "Zoe.Nunez@Acme.example",
		"jobTitle": "VP Engineering", bamboohrtest.LitmosAccessAlias: "yes"})
	hr.AddEmployee(map[string]string{"firstName": "Noor", "lastName": "Haddad", bamboohrtest.LitmosAccessAlias: "yes"})
	hr.AddEmployee(map[string]string{"firstName": "Nia", "lastName": "Okafor", "workEmail": "nia@acme.example",
		bamboohrtest.LitmosAccessAlias: "no"})

	cfg, err := jobs.BambooHRLitmos(hr.NewClient(nil), lms.NewClient(nil), jobs.BambooHRLitmosOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cfg.Store = syncengine.NewMemoryStore() // default: the file store in cfg.StateDir
	eng, err := syncengine.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	plan, err := eng.Plan(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range eng.Preview(plan).Outcomes {
		fmt.Println("staged:", row.AID, row.Name, row.Result)
	}
	report, err := eng.Apply(ctx, plan)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Summary())
	report.Outcomes[0].BID = "…" // ids are random; hide it in the output
	if err := report.WriteCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// staged: 101 Zoë Ñúñez create
	// staged: 102 Noor Haddad fail
	// 1 created, 0 updated, 0 deactivated, 0 reactivated, 0 skipped, 1 failed
	// employee_id,name,username,litmos_id,action,fields,reason
	// 101,Zoë Ñúñez,zoe.nunez@acme.example,…,created,AccessLevel Email ExternalEmployeeId FirstName JobTitle LastName UserName,
	// 102,Noor Haddad,,,failed,,"missing or invalid required field: workEmail (needed for UserName, Email)"
}

package talenthrtest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// Hire an employee on the fake and look at what TalentHR would hold.
func Example() {
	srv := talenthrtest.NewServer(nil)
	defer srv.Close()
	engineering := srv.AddDepartment("Engineering")
	c := srv.NewClient(nil)

	id, err := c.Hire(context.Background(), talenthr.HireParams{
		FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test",
		HireDate:           talenthr.NewDate(2026, 3, 1),
		EmploymentStatusID: srv.LookupID(talenthr.EmploymentStatuses, "Full-Time"),
		JobRecord:          &talenthr.JobRecord{DepartmentID: engineering},
	})
	if err != nil {
		log.Fatal(err)
	}
	e, _ := srv.Employee(id)
	fmt.Println(e.FirstName, e.LastName, e.HireDate, e.DepartmentID == engineering, "invitations:", len(srv.Invitations()))
	// Output: Ada Lovelace 2026-03-01 true invitations: 0
}

package talenthr_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// List the directory, here on the in-memory fake. Against a real company
// use talenthr.New(os.Getenv("TALENTHR_API_KEY")).
func Example() {
	srv := talenthrtest.NewServer(nil)
	defer srv.Close()
	srv.AddEmployee(talenthrtest.Employee{FirstName: "Eleni", LastName: "Papadaki", Email: "epapadaki@acme.test"})
	srv.AddEmployee(talenthrtest.Employee{FirstName: "Nikos", LastName: "Georgiou", Email: "ngeorgiou@acme.test", HireDate: "2024-09-02"})

	c, err := talenthr.New(talenthrtest.APIKey, talenthr.WithBaseURL(srv.BaseURL()), talenthr.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	for row, err := range c.ListDirectory(context.Background(), talenthr.DirectoryParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(row.ID, row.FirstName, row.LastName, row.Email, row.HireDate)
	}
	// Output:
	// 1 Eleni Papadaki epapadaki@acme.test 2021-03-01
	// 2 Nikos Georgiou ngeorgiou@acme.test 2024-09-02
}

// Poll the directory for changes: store the snapshot between polls.
func ExampleClient_PollDirectory() {
	srv := talenthrtest.NewServer(nil)
	defer srv.Close()
	ids := srv.SeedCompany()
	c := srv.NewClient(nil)
	ctx := context.Background()

	first, err := c.PollDirectory(ctx, talenthr.DirectorySnapshot{}, talenthr.DirectoryParams{})
	if err != nil {
		log.Fatal(err)
	}
	srv.Edit(ids["engineer"], func(e *talenthrtest.Employee) { e.LastName = "Ioannou-Smith" })
	srv.Terminate(ids["sales_rep"], "2025-06-30", "Resignation")

	next, err := c.PollDirectory(ctx, first.Snapshot, talenthr.DirectoryParams{})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range next.Changed {
		fmt.Println("changed:", row.FirstName, row.LastName)
	}
	for _, g := range next.Gone {
		fmt.Println("gone:", g.Employee.FirstName(), g.Reason)
	}
	fmt.Println("requests:", next.Requests)
	// Output:
	// changed: Maria Ioannou-Smith
	// gone: Olivia terminated
	// requests: 2
}

// Place a hire by names; a missing department is an error unless the
// caller allows creating it.
func ExampleLookups_ResolvePlacement() {
	srv := talenthrtest.NewServer(nil)
	defer srv.Close()
	c := srv.NewClient(nil)
	ctx := context.Background()
	lk := c.NewLookups()

	place := talenthr.Placement{EmploymentStatus: "Full-Time", Department: "Research"}
	if _, err := lk.ResolvePlacement(ctx, place, talenthr.ResolveOptions{}); err != nil {
		fmt.Println(err)
	}
	ids, err := lk.ResolvePlacement(ctx, place, talenthr.ResolveOptions{CreateMissing: true})
	if err != nil {
		log.Fatal(err)
	}
	p := talenthr.HireParams{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test", HireDate: talenthr.NewDate(2026, 3, 1)}
	p.SetPlacement(ids)
	id, err := c.Hire(ctx, p)
	if err != nil {
		log.Fatal(err)
	}
	e, _ := srv.Employee(id)
	fmt.Println("hired", id, "into department", e.DepartmentID)
	// Output:
	// talenthr: department "Research" does not exist (ResolveOptions.CreateMissing allows creating it)
	// hired 1 into department 1
}

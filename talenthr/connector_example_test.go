package talenthr_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// TalentHR as a syncengine connector, here on the in-memory fake: list the
// employees (terminated ones inactive), then hire one. Against a real
// company use talenthr.New(os.Getenv("TALENTHR_API_KEY")).
func ExampleNewConnector() {
	ctx := context.Background()
	srv := talenthrtest.NewServer(nil)
	defer srv.Close()
	srv.SetClock(func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) })
	srv.AddEmployee(talenthrtest.Employee{FirstName: "Eleni", LastName: "Papadaki", Email: "epapadaki@acme.test"})
	srv.AddEmployee(talenthrtest.Employee{FirstName: "Kostas", LastName: "Alexiou", Email: "kalexiou@acme.test", TerminationDate: "2025-01-15"})

	k := talenthr.NewConnector(srv.NewClient(nil), talenthr.ConnectorOptions{EmploymentStatus: "Full-Time", Now: srv.Now})
	for rec, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.ID, k.Describe(syncengine.Users, rec).Name, rec.Active, rec.Fields["hire_date"].(time.Time).Format(time.DateOnly))
	}
	id, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{
		"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.test", "hire_date": "2026-04-01"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("hired", id)
	// Output:
	// 1 Eleni Papadaki true 2021-03-01
	// 2 Kostas Alexiou false 2021-03-01
	// hired 3
}

// Training progress synced towards TalentHR lands in a Training store of
// yours: TalentHR's API has no training endpoint. MemoryTraining keeps it
// in memory.
func ExampleMemoryTraining() {
	ctx := context.Background()
	srv := talenthrtest.NewServer(nil)
	defer srv.Close()
	training := talenthr.NewMemoryTraining()
	k := talenthr.NewConnector(srv.NewClient(nil), talenthr.ConnectorOptions{Training: training})
	course, _ := k.Create(ctx, syncengine.Courses, syncengine.Record{Fields: map[string]any{"name": "Security Awareness"}})
	_, err := k.Create(ctx, syncengine.Enrollments, syncengine.Record{
		Fields: map[string]any{"completion_status": talenthr.Incomplete, "completion_percentage": 40.0},
		Refs: map[string][]syncengine.Ref{
			syncengine.RoleUser:   {{Collection: syncengine.Users, ID: "12"}},
			syncengine.RoleCourse: {{Collection: syncengine.Courses, ID: course}},
		}})
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := training.Enrollment("12", course)
	fmt.Println(e.ID(), e.Status, e.Percent)
	// Output:
	// 12:1 incomplete 40
}

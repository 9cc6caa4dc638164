package litmostest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// Test code that imports users against the fake, and count its calls.
func ExampleNewServer() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	srv.AddTeam(litmos.Team{Name: "Bakers", TeamCodeForBulkImport: "BAK"})
	c := srv.NewClient(nil)

	rows := []litmos.UserImport{{Username: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Teams: []string{"BAK"}}}
	if _, err := c.ImportUsers(context.Background(), rows, litmos.ImportUsersParams{WaitParams: litmos.WaitParams{Interval: time.Millisecond}}); err != nil {
		log.Fatal(err)
	}
	ana, _ := srv.UserByUsername("ana@example.com")
	fmt.Println(ana.FirstName, len(srv.UserTeams(ana.ID)), "team;", srv.Log().Count(nil), "calls")
	// Output: Ana 1 team; 4 calls
}

package hibobtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

// Seed a company, read a leaver, and script HiBob's search limit.
func Example() {
	srv := hibobtest.NewServer(nil)
	defer srv.Close()
	srv.SetClock(func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) })
	ids := srv.SeedCompany()
	client := srv.NewClient(nil, hibob.WithRetry(hibob.RetryPolicy{MaxRetries: -1}))
	ctx := context.Background()

	leaver, err := client.GetEmployee(ctx, ids["leaver"], hibob.GetEmployeeParams{})
	if err != nil {
		log.Fatal(err)
	}
	left, _ := leaver.TerminationDate()
	fmt.Println(leaver.DisplayName(), leaver.Status(), left.Format("2006-01-02"))

	srv.SetRateLimit(hibobtest.RateLimit{Requests: 1, Per: time.Minute, Match: hibobtest.IsSearch})
	_, first := client.SearchPeople(ctx, hibob.SearchParams{})
	_, second := client.SearchPeople(ctx, hibob.SearchParams{})
	fmt.Println(first, errors.Is(second, hibob.ErrRateLimited))
	fmt.Println(srv.Log().Count(hibobtest.IsWrite), "POSTs, reads included")
	// Output:
	// Mary Jackson Inactive 2026-01-15
	// <nil> true
	// 3 POSTs, reads included
}

package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// List every user, here on the in-memory fake. Against a real account use
// litmos.New(apiKey, "your-app", litmos.WithRegion(litmos.US)).
func Example() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true})
	srv.AddUser(litmos.User{UserName: "bo@example.com", Email: "bo@example.com", FirstName: "Bo", LastName: "Berg"})

	c, err := litmos.New(litmostest.APIKey, "example", litmos.WithBaseURL(srv.BaseURL()), litmos.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	for u, err := range c.ListUsers(context.Background(), litmos.ListUsersParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.UserName, u.FirstName, u.LastName, "active:", u.Active)
	}
	// Output:
	// ana@example.com Ana Lima active: true
	// bo@example.com Bo Berg active: false
}

// Change one field of a user: UpdateUser reads the whole user, applies the
// change and writes the whole user back.
func ExampleClient_UpdateUser() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	ana := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", LastName: "Lima", City: "Porto", Active: true})
	c := srv.NewClient(nil)

	u, err := c.UpdateUser(context.Background(), ana.ID, func(u *litmos.User) error {
		u.PhoneWork = "+351 22 000 0000"
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.City, u.PhoneWork)
	// Output: Porto +351 22 000 0000
}

// Look a user up by exact username; Litmos's own search is fuzzy.
func ExampleClient_FindUserByUsername() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	for _, n := range []string{"charlie.quinn", "charlie.quinn123"} {
		srv.AddUser(litmos.User{UserName: n, Email: n + "@example.com", LastName: "Quinn", IsCustomUsername: true})
	}
	c := srv.NewClient(nil)
	u, err := c.FindUserByUsername(context.Background(), "charlie.quinn")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UserName, u.Email)
	// Output: charlie.quinn charlie.quinn@example.com
}

// Change users read in bulk without reading each again: one PUT per
// changed user, none for the others.
func ExampleClient_UpdateUserFrom() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", LastName: "Lima", City: "Porto", Active: true})
	srv.AddUser(litmos.User{UserName: "bo@example.com", Email: "bo@example.com", LastName: "Berg", City: "Leeds", Active: true})
	c := srv.NewClient(nil)
	ctx := context.Background()

	for u, err := range c.ListUserDetails(ctx, litmos.ListParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		if _, err := c.UpdateUserFrom(ctx, &u, func(u *litmos.User) error {
			u.City = "Porto"
			return nil
		}); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("calls:", srv.Log().Count(nil))
	// Output: calls: 2
}

// Create or update users in one bulk import job, falling back to one call
// per user if Litmos refuses the import.
func ExampleClient_ImportUsers() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	c := srv.NewClient(nil)
	ctx := context.Background()
	rows := []litmos.UserImport{
		{Username: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", City: "Porto"},
		{Username: "bo@example.com", Email: "bo@example", FirstName: "Bo", LastName: "Berg"},
	}
	res, err := c.ImportUsers(ctx, rows, litmos.ImportUsersParams{WaitParams: litmos.WaitParams{Interval: time.Millisecond}})
	if errors.Is(err, litmos.ErrBulkRefused) {
		for _, r := range res.Unapplied {
			_ = r // CreateUser or UpdateUser, one by one
		}
	} else if err != nil {
		log.Fatal(err)
	}
	for _, e := range res.Errors {
		fmt.Println(e.Username, e.Message)
	}
	fmt.Println("created:", res.Jobs[0].TotalUsersCreated)
	// Output:
	// bo@example.com Failed - Invalid Email
	// created: 1
}

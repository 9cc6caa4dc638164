package litmos_test

import (
	"context"
	"fmt"
	"log"

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

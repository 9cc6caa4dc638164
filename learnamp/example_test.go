package learnamp_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// List the confirmed users, here on the in-memory fake. Against a real
// company use learnamp.New(clientID, clientSecret,
// learnamp.WithBaseURL("https://api.learnamp.com")).
func Example() {
	srv := learnamptest.NewServer(nil)
	defer srv.Close()
	srv.SeedCompany()

	c, err := learnamp.New(learnamptest.ClientID, learnamptest.ClientSecret,
		learnamp.WithBaseURL(srv.URL), learnamp.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for u, err := range c.ListUsers(ctx, learnamp.ListUsersParams{Statuses: []learnamp.Status{learnamp.StatusConfirmed}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.IntegrationExternalID, u.FirstName, u.LastName, "-", u.Status.State())
	}
	// Output:
	// HR-1 Grace Hopper - confirmed
	// HR-2 Ada Lovelace - confirmed
	// HR-4 Mary Jackson - confirmed
	// HR-5 Katherine Johnson - confirmed
}

// Create a user without emailing an invitation (the client's default),
// in the primary team named by your own id, with the manager by email.
func ExampleClient_CreateUser() {
	srv := learnamptest.NewServer(nil)
	defer srv.Close()
	srv.SeedCompany()
	c := srv.NewClient(nil)

	u, err := c.CreateUser(context.Background(), learnamp.CreateUserParams{
		Email: "edsger.dijkstra@acme.test", FirstName: "Edsger", LastName: "Dijkstra",
		IntegrationExternalID: "HR-7", PrimaryTeamIntegrationExternalID: "dept-4",
		ManagerEmail: "grace.hopper@acme.test",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Status.State(), u.PrimaryTeam.Name, u.Manager.FirstName, len(srv.Invitations()))
	// Output: not_invited Platform Grace 0
}

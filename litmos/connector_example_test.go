package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// Check the credentials a setup screen was given before saving them.
func ExampleClient_TestConnection() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	c := srv.NewClient(nil)

	err := c.TestConnection(context.Background())
	switch {
	case errors.Is(err, litmos.ErrKeyRefused):
		fmt.Println("ask for another API key")
	case errors.Is(err, litmos.ErrSourceRefused):
		fmt.Println("ask for another source")
	case errors.Is(err, litmos.ErrNoTeams):
		fmt.Println("no teams yet:", err)
	case err != nil:
		fmt.Println("Litmos cannot be reached now:", err)
	}
	srv.AddTeam(litmos.Team{Name: "Kitchen"})
	fmt.Println("after adding a team:", c.TestConnection(context.Background()))
	// Output:
	// no teams yet: litmos: test connection: the account has no teams (create one in Litmos first)
	// after adding a team: <nil>
}

// A team picker: an account with more than 250 teams is searched by name.
func ExampleConnector_SearchTeams() {
	srv := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
	defer srv.Close()
	for i := range 300 {
		srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Store %03d", i)})
	}
	k := litmos.NewConnector(srv.NewClient(nil), litmos.ConnectorOptions{})
	ctx := context.Background()
	for _, text := range []string{"store 29", "store 007"} {
		teams, err := k.SearchTeams(ctx, text)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(text, "→", len(teams), "teams; calls so far:", srv.Log().Count(nil))
	}
	// Output:
	// store 29 → 10 teams; calls so far: 2
	// store 007 → 1 teams; calls so far: 3
}

// Read users with their teams, for a target that keeps a group per team.
func ExampleConnectorOptions_memberships() {
	srv := litmostest.NewServer(nil)
	defer srv.Close()
	bar := srv.AddTeam(litmos.Team{Name: "Bar"})
	ana := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true})
	srv.AddUser(litmos.User{UserName: "bo@example.com", Email: "bo@example.com", FirstName: "Bo", LastName: "Berg", Active: true})
	srv.AddTeamMember(bar.ID, ana.ID)

	k := litmos.NewConnector(srv.NewClient(nil), litmos.ConnectorOptions{Memberships: true})
	for rec, err := range k.List(context.Background(), syncengine.Users) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k.Describe(syncengine.Users, rec).Name, "teams:", len(rec.Refs[syncengine.RoleTeams]))
	}
	fmt.Println("calls:", srv.Log().Count(nil))
	// Output:
	// Ana Lima teams: 1
	// Bo Berg teams: 0
	// calls: 3
}

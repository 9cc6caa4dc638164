package portal_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/syncengine"
)

// The connector on a portal in memory: a group takes over the portal's own
// group of its name, and a user joins it through the "teams" ref.
func Example() {
	ctx := context.Background()
	db, err := portal.Open(":memory:", false)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := portal.CreateTables(ctx, db); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO groups (name) VALUES ('Sales')`); err != nil {
		log.Fatal(err)
	}
	c := portal.New(db)
	team, _ := c.Create(ctx, syncengine.Teams, syncengine.Record{Fields: map[string]any{"litmos_team_id": "T1", "name": "Sales"}})
	user, _ := c.Create(ctx, syncengine.Users, syncengine.Record{Active: true,
		Fields: map[string]any{"integration_id": "U1", "email": "Ana@Acme.example", "first_name": "Ana"}})
	if err := c.WriteRefs(ctx, syncengine.Users, user, map[string][]syncengine.Ref{
		syncengine.RoleTeams: {{Collection: syncengine.Teams, ID: team}}}); err != nil {
		log.Fatal(err)
	}
	u, _ := c.Get(ctx, syncengine.Users, "U1")
	var name, email string
	_ = db.QueryRow(`SELECT group_name, email FROM group_members`).Scan(&name, &email)
	fmt.Println(team, u.Refs[syncengine.RoleTeams], name, email)
	// Output: T1 [{teams T1}] Sales Ana@Acme.example
}

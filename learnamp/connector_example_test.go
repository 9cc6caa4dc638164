package learnamp_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// Learn Amp as the target of an HR sync: hand the connector to
// syncengine.Config (B: k). Here it creates one person, with the primary
// team and manager in the same call and no invitation email, and reads
// the record back.
func ExampleNewConnector() {
	srv := learnamptest.NewServer(nil)
	defer srv.Close()
	co := srv.SeedCompany()
	k := learnamp.NewConnector(srv.NewClient(nil), learnamp.ConnectorOptions{})

	ctx := context.Background()
	id, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true,
		Fields: map[string]any{"email": "edsger@acme.test", "firstName": "Edsger", "lastName": "Dijkstra",
			"integrationExternalId": "HR-7", "jobTitle": "Engineer", "hireDate": "2026-04-01"},
		Refs: map[string][]syncengine.Ref{
			"manager": {{Collection: syncengine.Users, ID: co.Users["HR-1"]}},
			"teams":   {{Collection: syncengine.Teams, ID: co.Teams["dept-4"]}},
		}})
	if err != nil {
		log.Fatal(err)
	}
	rec, err := k.Get(ctx, syncengine.Users, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(k.Describe(syncengine.Users, rec).Name, rec.Fields["status"], rec.Active)
	fmt.Println(rec.Refs["manager"][0].ID == co.Users["HR-1"], rec.Refs["teams"][0].ID == co.Teams["dept-4"])
	fmt.Println(len(srv.Invitations()), "invitations")
	// Output:
	// Edsger Dijkstra not_invited true
	// true true
	// 0 invitations
}

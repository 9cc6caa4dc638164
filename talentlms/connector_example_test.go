package talentlms_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// The users of one branch as the engine reads them, with their custom
// fields by name, here on the in-memory fake. Against a real portal make
// the client with talentlms.New("acme.talentlms.com", apiKey).
func ExampleNewConnector() {
	srv := talentlmstest.NewServer(nil)
	defer srv.Close()
	srv.SeedCompany()
	c, err := talentlms.New(talentlmstest.Domain, talentlmstest.APIKey,
		talentlms.WithBaseURL(srv.BaseURL()), talentlms.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	k := talentlms.NewConnector(c, talentlms.ConnectorOptions{Branch: "Engineering"})
	ctx := context.Background()
	for rec, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			log.Fatal(err)
		}
		custom := rec.Fields[talentlms.CustomFieldsKey].(map[string]any)
		fmt.Println(rec.ID, rec.Fields["email"], custom["jobTitle"], custom["hireDate"].(time.Time).Format(time.DateOnly))
	}
	for rec, err := range k.List(ctx, syncengine.Enrollments) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k.Describe(syncengine.Enrollments, rec).Name, rec.Fields["completion_status"], rec.Fields["completion_percentage"])
	}
	// Output:
	// 2 bo.chen@northwind.example Software Engineer 2020-11-16
	// 3 zoe.nunez@northwind.example Engineering Manager 2019-01-07
	// 8 margaret.okonkwo+lms@northwind.example Staff Engineer 2016-08-29
	// Bo Chen in Security Awareness incomplete 40
	// Zoë Ñúñez-O'Brien in Security Awareness not_attempted 0
	// Margaret Okonkwo in Security Awareness not_attempted 0
}

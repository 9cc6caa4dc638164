package talentlms_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// List the portal's users, here on the in-memory fake. Against a real
// portal use talentlms.New("acme.talentlms.com", apiKey).
func Example() {
	srv := talentlmstest.NewServer(nil)
	defer srv.Close()
	srv.SeedCompany()

	c, err := talentlms.New(talentlmstest.Domain, talentlmstest.APIKey,
		talentlms.WithBaseURL(srv.BaseURL()), talentlms.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for u, err := range c.ListUsers(ctx, talentlms.ListUsersParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Login, u.Status)
	}
	// Output:
	// 1 ana.lima active
	// 2 bo.chen active
	// 3 zoe.nunez active
	// 4 kwame.mensah active
	// 5 laura.rossi active
	// 6 noor.haddad active
	// 7 ed.silva inactive
	// 8 margaret.okonkwo active
}

// Write a custom field by its name and type: the portal decides the
// custom_field_N key and the date format.
func ExampleCustomFields_Encode() {
	srv := talentlmstest.NewServer(nil, talentlmstest.WithDateFormat(talentlms.MMDDYYYY))
	defer srv.Close()
	co := srv.SeedCompany()
	c := srv.NewClient(nil)
	ctx := context.Background()

	fields, err := c.ListCustomFields(ctx)
	if err != nil {
		log.Fatal(err)
	}
	key, value, err := fields.Encode("hireDate", talentlms.FieldDate, time.Date(2024, time.March, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	u, err := c.EditUser(ctx, talentlms.EditUserParams{UserID: co.Users["bo.chen"], Custom: map[string]string{key: value}})
	if err != nil {
		log.Fatal(err)
	}
	hired, _, _ := fields.Value(u, "hireDate", talentlms.FieldDate)
	fmt.Println(key, value, hired.(time.Time).Format(time.DateOnly))
	_, _, err = fields.Encode("HireDate", talentlms.FieldDate, time.Now())
	fmt.Println(err)
	// Output:
	// custom_field_4 03/05/2024 2024-03-05
	// talentlms: no custom field named "HireDate" (there is "hireDate": names are case-sensitive): talentlms: no such custom field
}

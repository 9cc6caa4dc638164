package bamboohr_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/syncengine"
)

// Read employees from a company, here the in-memory fake.
func Example() {
	srv := bamboohrtest.NewServer(nil)
	defer srv.Close()
	srv.SeedCompany()

	// With a real company: bamboohr.New("acme", os.Getenv("BAMBOOHR_API_KEY")).
	client := srv.NewClient(nil)
	ctx := context.Background()

	access, err := client.ResolveField(ctx, "Litmos Access")
	if err != nil {
		log.Fatal(err)
	}
	report, err := client.CustomReport(ctx, bamboohr.CustomReportParams{
		Fields: []string{"firstName", "lastName", "workEmail", "status", access},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range report.Employees {
		if e.Get(access).Checked() {
			fmt.Printf("%s %s <%s> %s\n", e.Get("firstName"), e.Get("lastName"), e.Get("workEmail"), e.Get("status"))
		}
	}
	// Output:
	// Jennifer Caldwell <jcaldwell@example.com> Active
	// Charlotte Abbott <cabbott@example.com> Active
	// Ashley Adams <aadams@example.com> Active
	// Christopher Garcia <cgarcia@example.com> Active
	// Eric Asture <> Active
	// Trent Walsh <twalsh@example.com> Inactive
}

// Verify a delivery with the webhook's private key.
func ExampleWebhookVerifier_Verify() {
	body := []byte(`{"type":"employee.updated","timestamp":"2026-01-31T18:42:00+0000","data":{"companyId":"1","employeeId":"42","changedFields":["customLitmosAccess"]}}`)
	timestamp := "1769884920" // X-BambooHR-Timestamp
	signature := bamboohr.Sign("0123456789abcdef0123456789abcdef", body, timestamp)

	v := &bamboohr.WebhookVerifier{
		PrivateKey: "0123456789abcdef0123456789abcdef",
		Now:        func() time.Time { return time.Unix(1769884950, 0) },
	}
	if err := v.Verify(body, timestamp, signature); err != nil {
		fmt.Println("rejected:", err)
		return
	}
	p, err := bamboohr.ParseWebhook(body)
	if err != nil {
		fmt.Println("bad payload:", err)
		return
	}
	fmt.Println(p.Family, p.Events[0].Action, p.EmployeeIDs(), p.Events[0].ChangedFields)

	fmt.Println(v.Verify(body, timestamp, strings.Repeat("0", 64)))
	// Output:
	// event-based Updated [42] [customLitmosAccess]
	// bamboohr: webhook signature does not match
}

// Receive webhooks and hand the employee ids to a sync.
func ExampleWebhookVerifier_Handler() {
	srv := bamboohrtest.NewServer(nil)
	defer srv.Close()
	connector := bamboohr.NewConnector(srv.NewClient(nil), bamboohr.ConnectorOptions{AccessField: "Litmos Access"})

	const privateKey = "0123456789abcdef0123456789abcdef"
	queue := make(chan []string, 1)
	v := &bamboohr.WebhookVerifier{PrivateKey: privateKey}
	receiver := httptest.NewServer(v.Handler(func(ctx context.Context, p *bamboohr.WebhookPayload) error {
		queue <- connector.WebhookIDs(p) // enqueue; answer BambooHR at once
		return nil
	}))
	defer receiver.Close()

	status, err := srv.SendWebhook(context.Background(), receiver.URL, privateKey, bamboohr.FieldBased,
		bamboohr.WebhookEvent{EmployeeID: "7", Action: "Updated", ChangedFields: []string{"Litmos Access"},
			Fields: map[string]bamboohr.Value{"Litmos Access": bamboohr.String("1")}})
	fmt.Println(status == http.StatusAccepted, err, <-queue)
	// Output: true <nil> [7]
}

// Use BambooHR as the source of a sync.
func ExampleNewConnector() {
	srv := bamboohrtest.NewServer(nil)
	defer srv.Close()
	ids := srv.SeedCompany()

	var source syncengine.Connector = bamboohr.NewConnector(srv.NewClient(nil), bamboohr.ConnectorOptions{
		AccessField: "Litmos Access", // label, alias or numeric id
	})
	rec, err := source.Get(context.Background(), syncengine.Users, fmt.Sprint(ids["terminated"]))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Fields["workEmail"], rec.Active, rec.Fields["terminationDate"], rec.Refs["manager"][0].ID == fmt.Sprint(ids["sales_manager"]))
	// Output: twalsh@example.com false 2026-01-15 true
}

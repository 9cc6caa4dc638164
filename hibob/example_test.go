package hibob_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

// Read every employee, leavers and future starters included, with list
// values as names; here from the in-memory fake.
func Example() {
	srv := hibobtest.NewServer(nil)
	defer srv.Close()
	srv.SetClock(func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) })
	srv.SeedCompany()

	// With a real company:
	// hibob.New(os.Getenv("HIBOB_SERVICE_USER_ID"), os.Getenv("HIBOB_TOKEN"))
	client := srv.NewClient(nil)
	people, err := client.SearchPeople(context.Background(), hibob.SearchParams{})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range people {
		fmt.Printf("%-17s %-8s %-18s %s\n", e.DisplayName(), e.Status(), e.Title(), e.Department())
	}
	// Output:
	// Grace Hopper      Active   CEO                Executive
	// Ada Lovelace      Active   VP Engineering     Engineering
	// Katherine Johnson Active   VP Sales           Sales
	// Alan Turing       Active   Software Engineer  Platform
	// Dorothy Vaughan   Active   Account Executive  Sales
	// Mary Jackson      Inactive Account Executive  Sales
	// Hedy Lamarr       Inactive Software Engineer  Platform
}

// Turn a department ID into its name and back, child departments included.
func ExampleNamedList() {
	srv := hibobtest.NewServer(nil)
	defer srv.Close()
	eng := srv.AddDepartment("Engineering", "")
	platform := srv.AddDepartment("Platform", eng)

	depts, err := srv.NewClient(nil).NamedList(context.Background(), hibob.ListDepartment, hibob.NamedListParams{})
	if err != nil {
		log.Fatal(err)
	}
	name, _ := depts.NameOf(platform)
	parent, _ := depts.ParentOf(platform)
	parentName, _ := depts.NameOf(parent)
	id, _ := depts.IDOf("Platform")
	fmt.Println(name, "under", parentName, id == platform)
	// Output: Platform under Engineering true
}

// Receive webhooks: verify, parse, and queue the employee IDs for a fresh
// read; HiBob gets its answer at once.
func ExampleWebhookVerifier_Handler() {
	srv := hibobtest.NewServer(nil)
	defer srv.Close()
	const secret = "whsec-bob-0123456789abcdef" // from Bob's webhook settings

	queue := make(chan []string, 1)
	v := &hibob.WebhookVerifier{Secret: secret}
	receiver := httptest.NewServer(v.Handler(func(ctx context.Context, p *hibob.WebhookPayload) error {
		select {
		case queue <- p.EmployeeIDs():
			return nil
		default:
			return fmt.Errorf("queue full: %w", hibob.ErrRetryWebhook) // HiBob gets 503 and retries
		}
	}))
	defer receiver.Close()

	statuses, err := srv.SendWebhook(context.Background(), receiver.URL, secret,
		hibob.WebhookPayload{Type: hibob.EventEmployeeLeft, EmployeeID: "3332883854254932743"})
	fmt.Println(statuses[0] == http.StatusOK, err, <-queue)
	// Output: true <nil> [3332883854254932743]
}

// Verify and parse a delivery by hand.
func ExampleWebhookVerifier_Verify() {
	body := []byte(`{"companyId":636192,"type":"table.entry.created","triggeredBy":"system","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{"employeeId":"3332883854254932743","tableId":"work","effectiveDate":"2025-01-08"}}`)
	signature := hibob.Sign("whsec-bob-0123456789abcdef", body) // what Bob sends in Bob-Signature

	v := &hibob.WebhookVerifier{Secret: "whsec-bob-0123456789abcdef"}
	if err := v.Verify(body, signature); err != nil {
		fmt.Println("rejected:", err)
		return
	}
	p, err := hibob.ParseWebhook(body)
	if err != nil {
		fmt.Println("bad payload:", err)
		return
	}
	fmt.Println(p.Type, p.TableID, p.EffectiveDate.Format("2006-01-02"), p.EmployeeIDs())
	fmt.Println(v.Verify(body, signature[:20]))
	// Output:
	// table.entry.created work 2025-01-08 [3332883854254932743]
	// hibob: webhook signature does not match
}

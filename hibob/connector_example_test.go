package hibob_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// HiBob as a sync source: every employee, leavers and future starters
// included, with the fields a map reads; here from the in-memory fake.
func ExampleNewConnector() {
	june1 := func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
	srv := hibobtest.NewServer(nil)
	defer srv.Close()
	srv.SetClock(june1)
	srv.SeedCompany()

	// With a real company: hibob.New(os.Getenv("HIBOB_SERVICE_USER_ID"), os.Getenv("HIBOB_TOKEN")).
	k := hibob.NewConnector(srv.NewClient(nil), hibob.ConnectorOptions{Now: june1})
	// The engine tells the connector which fields its map reads.
	if err := k.ReadFields(syncengine.Users, []string{"root.email", "work.title"}); err != nil {
		log.Fatal(err)
	}
	for rec, err := range k.List(context.Background(), syncengine.Users) {
		if err != nil {
			log.Fatal(err)
		}
		start := rec.Fields["work.startDate"].(time.Time)
		fmt.Printf("%-17s %-5v %-18s %-11s %s\n", k.Describe(syncengine.Users, rec).Name, rec.Active,
			rec.Fields["work.title"], rec.Fields["work.department"], start.Format(time.DateOnly))
	}
	// Output:
	// Grace Hopper      true  CEO                Executive   2019-03-01
	// Ada Lovelace      true  VP Engineering     Engineering 2020-01-06
	// Katherine Johnson true  VP Sales           Sales       2020-02-03
	// Alan Turing       true  Software Engineer  Platform    2021-05-10
	// Dorothy Vaughan   true  Account Executive  Sales       2022-09-12
	// Mary Jackson      false Account Executive  Sales       2021-01-04
	// Hedy Lamarr       true  Software Engineer  Platform    2026-07-31
}

// A webhook receiver that hands the employees HiBob's events name to the
// engine's queue; the queue's run reads each one afresh and syncs it.
func ExampleEnqueue() {
	ctx := context.Background()
	srv := hibobtest.NewServer(nil)
	defer srv.Close()
	ids := srv.SeedCompany()
	lms := syncenginetest.NewConnector("lms")
	eng, err := syncengine.New(syncengine.Config{
		A: hibob.NewConnector(srv.NewClient(nil), hibob.ConnectorOptions{}), B: lms,
		Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
			AToB: syncengine.Rules{Create: true, Update: true, Match: []syncengine.MatchKey{{Field: "root.email", Fold: true}}}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	q := eng.NewQueue(syncengine.QueueOptions{})

	v := &hibob.WebhookVerifier{Secret: "the webhook's secret"}
	recv := httptest.NewServer(v.Handler(hibob.Enqueue(q))) // http.Handle("/webhooks/hibob", ...)
	defer recv.Close()

	statuses, err := srv.SendWebhook(ctx, recv.URL, "the webhook's secret",
		hibob.WebhookPayload{Type: hibob.EventEmployeeCreated, EmployeeID: ids["engineer"]})
	if err != nil {
		log.Fatal(err)
	}
	pending, _ := q.Pending(ctx)
	fmt.Println("answered", statuses[0], "queued", len(pending))

	if err := q.Drain(ctx); err != nil { // in a service: go q.Run(ctx)
		log.Fatal(err)
	}
	// The new employee's managers, not synced yet, come along so that the
	// manager reference can be written.
	var synced []string
	for _, u := range lms.Records(syncengine.Users) {
		synced = append(synced, fmt.Sprint(u.Fields["root.email"], " ", u.Fields["work.department"]))
	}
	slices.Sort(synced)
	fmt.Println(strings.Join(synced, "\n"))
	// Output:
	// answered 200 queued 1
	// ada.lovelace@example.com Engineering
	// alan.turing@example.com Platform
	// grace.hopper@example.com Executive
}

package syncengine_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// An HR system feeds a learning platform: review the plan, then apply it.
func Example() {
	ctx := context.Background()
	hr := syncenginetest.NewConnector("hr")
	lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	hr.Put(syncengine.Users, syncengine.Record{ID: "1042", Active: true,
		Fields: map[string]any{"email": "ana@example.com", "name": "Ana"}})
	hr.Put(syncengine.Users, syncengine.Record{ID: "1043", Active: true,
		Fields: map[string]any{"email": "bo@example.com", "name": "Bo"}})
	lms.Put(syncengine.Users, syncengine.Record{ID: "u7", Active: true,
		Fields: map[string]any{"email": "BO@example.com", "name": "Bob"}})

	eng, err := syncengine.New(syncengine.Config{
		A: hr, B: lms, Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{
			Collection: syncengine.Users,
			AToB: syncengine.Rules{Create: true, Update: true, Deactivate: true,
				Match: []syncengine.MatchKey{{Field: "email", Fold: true}}},
		}},
		Now: func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	plan, err := eng.Plan(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)

	report, err := eng.Apply(ctx, plan)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Counts)
	_ = report.WriteCSV(os.Stdout)
	// Output:
	// Plan for hr<->lms (hr -> lms)
	//
	//   + create users hr:1042 -> lms:(new) "ana@example.com" [Ana]
	//       + lms.email = "ana@example.com"
	//       + lms.name = "Ana"
	//
	//   ~ update users hr:1043 -> lms:u7 "bo@example.com" [Bo]
	//       ~ lms.email: "BO@example.com" -> "bo@example.com"
	//       ~ lms.name: "Bob" -> "Bo"
	//
	// Plan: 1 to create, 1 to update, 0 to deactivate, 0 to reactivate; 0 failing, 0 skipped, 0 unchanged.
	// map[created:1 updated:1]
	// hr_id,name,key,lms_id,action,fields,reason
	// 1042,Ana,ana@example.com,lms-1,created,email name,
	// 1043,Bo,bo@example.com,u7,updated,email name,
}

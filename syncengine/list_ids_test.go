package syncengine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// TestPlanRefusesBadListingIDs: a listing with a repeated or an empty
// record id is an error, whichever side yields it and wherever it comes.
func TestPlanRefusesBadListingIDs(t *testing.T) {
	rec := func(id string) syncengine.Record {
		return syncengine.Record{ID: id, Active: true, Fields: map[string]any{"email": id + "@example.com"}}
	}
	ok := []syncengine.Record{rec("x1"), rec("x2")}
	for _, tc := range []struct {
		name   string
		a, b   []syncengine.Record
		errHas string
	}{
		{"repeated in A", []syncengine.Record{rec("e1"), rec("e2"), rec("e1")}, ok, `list hr users: record id "e1"`},
		{"repeated first two in B", ok, []syncengine.Record{rec("l1"), rec("l1")}, `list lms users: record id "l1"`},
		{"empty in A", []syncengine.Record{rec("e1"), rec("")}, ok, `list hr users: record id ""`},
		{"empty first in B", ok, []syncengine.Record{rec("")}, `list lms users: record id ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := syncengine.New(syncengine.Config{A: &syncenginetest.StaticConnector{Vendor: "hr", Records: tc.a},
				B: &syncenginetest.StaticConnector{Vendor: "lms", Records: tc.b}, Store: syncengine.NewMemoryStore(), Pair: "ids",
				Direction: syncengine.AToB, Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
					AToB: rules(nil, allowAll, byEmail...)}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Plan(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("Plan error %v, want one containing %q", err, tc.errHas)
			}
		})
	}
	e, err := syncengine.New(syncengine.Config{A: &syncenginetest.StaticConnector{Vendor: "hr", Records: []syncengine.Record{rec("e1"), rec("e2")}},
		B: &syncenginetest.StaticConnector{Vendor: "lms", Records: ok}, Store: syncengine.NewMemoryStore(), Pair: "ids",
		Direction: syncengine.AToB, Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
			AToB: rules(nil, allowAll, byEmail...)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Plan(context.Background()); err != nil {
		t.Fatalf("distinct ids: %v", err)
	}
}

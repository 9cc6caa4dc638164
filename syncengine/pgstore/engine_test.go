package pgstore

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// copyMap is the engine's field map of these tests: the fields as they are.
type copyMap struct{}

func (copyMap) Apply(src map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range src {
		out[k] = v
	}
	return out, nil
}

func engineOn(t *testing.T, s *Store, hr, lms *syncenginetest.Connector) *syncengine.Engine {
	t.Helper()
	e, err := syncengine.New(syncengine.Config{A: hr, B: lms, Store: s, Pair: pair, Direction: syncengine.AToB,
		Concurrency: 1, Now: time.Now,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
			Map: copyMap{}, Match: []syncengine.MatchKey{{Field: "email", Fold: true}},
			Create: true, Update: true, Deactivate: true, Reactivate: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A run whose lease is taken over in the middle stops before its next
// write to the target; the new holder finishes the job with no duplicate.
func TestEngineStopsWhenItsLeaseIsLost(t *testing.T) {
	const people, before = 10, 3
	old := newTestStore(t, WithHolder("old"))
	next := openStore(t, newPool(t), old.Schema(), WithHolder("next"))
	hr := syncenginetest.NewConnector("hr")
	lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	for i := range people {
		hr.Put(syncengine.Users, syncengine.Record{ID: fmt.Sprintf("e%02d", i), Active: true,
			Fields: map[string]any{"email": fmt.Sprintf("p%02d@example.com", i)}})
	}
	var stealErr error
	lms.OnWrite(func(n int, _ syncenginetest.Call) error {
		if n == before { // the old holder pauses past its lease; next takes the pair over
			expire(t, old, pair)
			var unlock func() error
			if unlock, stealErr = next.Lock(ctx, pair); stealErr == nil {
				stealErr = unlock()
			}
		}
		return nil
	})
	_, err := engineOn(t, old, hr, lms).Sync(ctx)
	if stealErr != nil {
		t.Fatalf("the takeover: %v", stealErr)
	}
	if !errors.Is(err, syncengine.ErrLocked) {
		t.Fatalf("the old holder's Sync: %v, want ErrLocked", err)
	}
	if got := lms.Writes(); got != before {
		t.Errorf("the old holder made %d writes, want %d: it must stop at the first write the store refused", got, before)
	}
	links, _ := next.Links(ctx, pair, syncengine.Users)
	if len(links) != before-1 {
		t.Errorf("%d links stored, want %d (the last create's link was refused)", len(links), before-1)
	}

	lms.OnWrite(nil)
	rep, err := engineOn(t, next, hr, lms).Sync(ctx)
	if err != nil {
		t.Fatalf("the new holder's Sync: %v", err)
	}
	if rep.Counts[syncengine.ResultCreated] != people-before {
		t.Errorf("the new holder's run: %v; want %d created", rep.Counts, people-before)
	}
	seen := map[any]bool{}
	for _, r := range lms.Records(syncengine.Users) {
		if seen[r.Fields["email"]] {
			t.Errorf("duplicate learner %v", r.Fields["email"])
		}
		seen[r.Fields["email"]] = true
	}
	if links, _ := next.Links(ctx, pair, syncengine.Users); len(seen) != people || len(links) != people {
		t.Errorf("%d learners, %d links; want %d of each", len(seen), len(links), people)
	}
}

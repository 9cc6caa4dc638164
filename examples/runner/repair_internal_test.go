package runner

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// pairName names the pair as the engine does, so -state-repair repairs the
// files the engine refused.
func TestPairNameIsTheEngines(t *testing.T) {
	for _, tt := range []struct{ instance, pair string }{{"", ""}, {"acme", ""}, {"acme", "custom"}} {
		cfg := syncengine.Config{A: syncenginetest.NewConnector("hr"), B: syncenginetest.NewConnector("lms"),
			Direction: syncengine.AToB, Instance: tt.instance, Pair: tt.pair, Store: syncengine.NewMemoryStore(),
			Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
				AToB: syncengine.Rules{Create: true, Match: []syncengine.MatchKey{{Field: "email"}}}}}}
		eng, err := syncengine.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pairName(cfg), eng.Pair(); got != want {
			t.Errorf("instance %q, pair %q: pairName = %q, the engine's = %q", tt.instance, tt.pair, got, want)
		}
		eng.Close()
	}
}

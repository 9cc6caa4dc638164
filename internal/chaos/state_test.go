package chaos_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// state is both sides of a pair as the connectors list them, one line per
// record, keyed "side collection key": the compared fields, the active
// flag and the references by the keys of the records they point to. Ids
// are left out: they differ from one run to the next.
type state map[string]string

// snapshot lists every collection of the pair on both sides through the
// pair's own connectors and returns the state and how many records share
// a key with another of their side and collection (duplicates).
func snapshot(t *testing.T, p pair, e endpoints) (state, int) {
	t.Helper()
	cfg, closeFn, err := p.config(e)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	out, dups := state{}, 0
	for _, side := range []struct {
		name string
		conn syncengine.Connector
	}{{"A", cfg.A}, {"B", cfg.B}} {
		recs := map[syncengine.Collection][]syncengine.Record{}
		keyOf := map[syncengine.Ref]string{}
		for _, cr := range cfg.Collections {
			c := cr.Collection
			if _, ok := p.keys[c]; !ok {
				continue // enrollments and the like: not in the seeds
			}
			for r, err := range side.conn.List(bg, c) {
				if err != nil {
					t.Fatalf("%s: list %s: %v", side.conn.Name(), c, err)
				}
				recs[c] = append(recs[c], r)
				keyOf[syncengine.Ref{Collection: c, ID: r.ID}] = recordKey(p, c, r)
			}
		}
		for c, rs := range recs {
			for _, r := range rs {
				key := fmt.Sprintf("%s %s %s %s", side.name, side.conn.Name(), c, keyOf[syncengine.Ref{Collection: c, ID: r.ID}])
				if _, seen := out[key]; seen {
					dups++
					t.Logf("duplicate: %s", key)
				}
				out[key] = describe(p, c, r, keyOf)
			}
		}
	}
	return out, dups
}

// recordKey is the first non-empty key field of r, case-folded.
func recordKey(p pair, c syncengine.Collection, r syncengine.Record) string {
	for _, f := range p.keys[c] {
		if v, ok := r.Fields[f]; ok && v != nil && fmt.Sprint(v) != "" {
			return strings.ToLower(fmt.Sprint(v))
		}
	}
	return "(no key: id " + r.ID + ")"
}

func describe(p pair, c syncengine.Collection, r syncengine.Record, keyOf map[syncengine.Ref]string) string {
	var b strings.Builder
	for _, f := range p.fields[c] {
		if v, ok := r.Fields[f]; ok {
			fmt.Fprintf(&b, "%s=%v ", f, v)
		}
	}
	fmt.Fprintf(&b, "active=%v", r.Active)
	if !r.Active {
		// The engine leaves the references of an inactive record as they
		// are: whether a leaver's manager was written depends on where a
		// run stopped (as in syncengine's TestCrashAtEveryWrite).
		return b.String() + " (references not kept)"
	}
	roles := make([]string, 0, len(r.Refs))
	for role := range r.Refs {
		roles = append(roles, role)
	}
	slices.Sort(roles)
	for _, role := range roles {
		var to []string
		for _, ref := range r.Refs[role] {
			k, ok := keyOf[ref]
			if !ok {
				k = "(unlisted " + string(ref.Collection) + ")"
			}
			to = append(to, k)
		}
		slices.Sort(to)
		fmt.Fprintf(&b, " %s=%v", role, to)
	}
	return b.String()
}

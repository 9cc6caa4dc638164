package hibob_test

import (
	"strings"
	"testing"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/syncengine"
)

// FuzzValueTeams: whatever HiBob answers for a team field of values (text,
// numbers, lists, objects, nulls), the teams are unique, non-empty and
// trimmed, named by their value, and every active user's "teams" ref names
// one of them; nothing panics.
func FuzzValueTeams(f *testing.F) {
	meta := []byte(`[{"id":"work.custom.sub","type":"text"},{"id":"work.custom.multi","type":"multi-list","typeData":{"listId":"m"}}]`)
	f.Add([]byte(`{"employees":[{"id":"1","internal":{"status":"Active"},"work":{"custom":{"sub":" Platform "}}},`+
		`{"id":"2","internal":{"status":"Active"},"work":{"custom":{"sub":"Platform"}}},{"id":"3","internal":{"status":"Active"},"work":{"custom":{"sub":null}}}]}`),
		meta, "work.custom.sub")
	f.Add([]byte(`{"employees":[{"id":"1","internal":{"status":"Active"},"work":{"custom":{"sub":7}}},{"id":"2","internal":{"status":"Inactive"},"work":{"custom":{"sub":"x"}}}]}`),
		meta, "work.custom.sub")
	f.Add([]byte(`{"employees":[{"id":"1","internal":{"status":"Active"},"work":{"custom":{"multi":["a"," ","a",{"b":1}]}}}]}`), meta, "work.custom.multi")
	f.Fuzz(func(t *testing.T, search, meta []byte, field string) {
		if field == "" || strings.HasSuffix(field, ".id") {
			return // the default, or a list's items: not value teams
		}
		k := cannedWithMeta(t, search, meta, hibob.ConnectorOptions{TeamField: field})
		teams := map[string]bool{}
		for r, err := range k.List(ctx, syncengine.Teams) {
			if err != nil {
				return // an answer the connector refuses, or a field the metadata lacks
			}
			if r.ID == "" || r.ID != strings.TrimSpace(r.ID) || teams[r.ID] || r.Fields["name"] != r.ID || !r.Active {
				t.Fatalf("team %+v: empty, untrimmed, repeated, misnamed or inactive", r)
			}
			teams[r.ID] = true
		}
		for r, err := range k.List(ctx, syncengine.Users) {
			if err != nil {
				t.Fatalf("List of users after the teams' search: %v", err)
			}
			for _, ref := range r.Refs[syncengine.RoleTeams] {
				if r.Active && !teams[ref.ID] {
					t.Fatalf("active user %s is in team %q, which the teams lack (%v)", r.ID, ref.ID, teams)
				}
			}
		}
	})
}

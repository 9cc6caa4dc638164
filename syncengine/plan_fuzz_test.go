package syncengine_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/syncengine"
)

// planFuzzEnv is a one-way pair with a record of each kind of change: one
// to create, one to update, one to deactivate and one unchanged.
func planFuzzEnv(t testing.TB) *env {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("1", "ana@example.com", "Ana", "Silva", true))
	v.hr.Put(syncengine.Users, person("2", "bo@example.com", "Bo", "Berg", true))
	v.hr.Put(syncengine.Users, person("3", "cy@example.com", "Cy", "Dahl", false))
	v.hr.Put(syncengine.Users, person("4", "di@example.com", "Di", "Eko", true))
	v.lms.Put(syncengine.Users, learner("u2", "bo@example.com", "Bob", "Berg", true))
	v.lms.Put(syncengine.Users, learner("u3", "cy@example.com", "Cy", "Dahl", true))
	v.lms.Put(syncengine.Users, learner("u4", "di@example.com", "Di", "Eko", true))
	v.link(t, "3", "u3")
	v.link(t, "4", "u4")
	return v
}

// FuzzPlanJSON reads any bytes as a saved plan (what -plan FILE loads).
// A plan that decodes saves and reloads to the same plan, prints, and is
// applied by an engine of its pair without a panic; a plan of another
// pair or format is refused with ErrWrongPlan. However a plan is edited,
// applying it to a one-way pair never writes the source side.
func FuzzPlanJSON(f *testing.F) {
	v := planFuzzEnv(f)
	p := v.plan(f)
	saved, err := json.Marshal(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(saved)
	f.Add([]byte(strings.ReplaceAll(string(saved), `"side":"b"`, `"side":"a"`)))
	f.Add([]byte(strings.ReplaceAll(string(saved), `"action":"update"`, `"action":"create"`)))
	f.Add([]byte(strings.ReplaceAll(string(saved), `"a_id":"1"`, `"a_id":"2"`)))
	f.Add([]byte(strings.ReplaceAll(string(saved), `"collection":"users"`, `"collection":"teams"`)))
	f.Add([]byte(`{"version":1,"pair":"hr<->lms","changes":[{"collection":"users","action":"deactivate","a_id":"4","b_id":"u4","refs":[{"side":"b","role":"manager","want":[{"collection":"users","id":"1"}]}]}]}`))
	f.Add([]byte(`{"version":2,"pair":"hr<->lms","changes":null}`))
	f.Add([]byte(`{"version":1,"pair":"x","created_at":"2026-11-30T09:00:00+14:00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p syncengine.Plan
		if json.Unmarshal(data, &p) != nil {
			return
		}
		out, err := json.Marshal(&p)
		if err != nil {
			t.Fatalf("a plan that loads does not save: %v", err)
		}
		var again syncengine.Plan
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("a saved plan does not load: %v\n%s", err, out)
		}
		if diff := cmp.Diff(&p, &again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("save and reload changed the plan (-loaded +reloaded):\n%s", diff)
		}
		_ = p.String()
		_ = p.Summary()
		_ = p.HasChanges()
		_ = p.Unknown("1", "u2")
		_ = p.Only("1").AllowDeactivations()

		v := planFuzzEnv(t)
		hrBefore := v.hr.Records(syncengine.Users)
		rep, err := v.engine(t).Apply(context.Background(), &p)
		wrong := p.Pair != v.engine(t).Pair() || p.Version != syncengine.PlanVersion
		if wrong && !errors.Is(err, syncengine.ErrWrongPlan) {
			t.Fatalf("plan of pair %q, version %d: Apply = %v, want ErrWrongPlan", p.Pair, p.Version, err)
		}
		if rep != nil {
			for _, write := range []func(io.Writer) error{rep.WriteText, rep.WriteCSV, rep.WriteJSON} {
				if err := write(io.Discard); err != nil {
					t.Fatalf("report of the run does not write: %v", err)
				}
			}
		}
		if diff := cmp.Diff(hrBefore, v.hr.Records(syncengine.Users)); diff != "" {
			t.Fatalf("applying a plan to a one-way pair wrote its source (-before +after):\n%s", diff)
		}
	})
}

package hibob_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/syncengine"
)

// FuzzConnectorAnswers: whatever HiBob answers to the metadata and search
// calls, and whatever field a map asks for, List yields records with
// unique IDs and values the engine compares (or one error), and never
// panics.
func FuzzConnectorAnswers(f *testing.F) {
	// Small seeds: the fuzzer minimizes every input that finds new
	// coverage, all three arguments, and large ones take it minutes.
	meta := []byte(`[{"id":"work.department","type":"list"},{"id":"work.reportsTo","type":"employee"},` +
		`{"id":"work.startDate","type":"date"},{"id":"work.siteId","type":"list_id"},{"id":"work.custom.f","type":"number"}]`)
	f.Add(compactFirst(f, readGolden(f, "connector_search_live.json")), meta, "work.reportsTo.email")
	f.Add([]byte(`{"employees":[{"id":"1","internal":{"status":"Active"},"work":{"department":["a",2],"startDate":7}}]}`), meta, "work.department.id")
	f.Add([]byte(`{"employees":[{"/root/id":{"value":"2"},"/internal/status":{"value":"x"},"/work/reportsTo":{"value":[1]}}]}`),
		[]byte(`[{"id":"work.reportsTo","type":"employee"},{"id":"work.x","type":"date"}]`), "/work/reportsTo/id")
	f.Add([]byte(`{"employees":[{"id":3,"internal":{"status":"Inactive","terminationDate":"2026-13-45"},"work":{"x":"01/02/2026"}}]}`),
		[]byte(`[{"id":"work.x","type":"date"}]`), "work.x")
	f.Fuzz(func(t *testing.T, search, meta []byte, asked string) {
		k := cannedWithMeta(t, search, meta, hibob.ConnectorOptions{})
		if err := k.ReadFields(syncengine.Users, []string{asked}); err != nil {
			t.Fatalf("ReadFields(users): %v", err)
		}
		seen := map[string]bool{}
		for r, err := range k.List(ctx, syncengine.Users) {
			if err != nil {
				if r.ID != "" || len(seen) > 0 {
					t.Fatalf("error %v after or with records", err)
				}
				return
			}
			if r.ID == "" || seen[r.ID] {
				t.Fatalf("record ID %q empty or repeated", r.ID)
			}
			seen[r.ID] = true
			for key, v := range r.Fields {
				if !comparable(v) {
					t.Fatalf("Fields[%q] = %#v (%T), not a value the engine compares", key, v, v)
				}
			}
			_ = syncengine.Canonical(r.Fields)
			_ = k.Describe(syncengine.Users, r)
		}
	})
}

// compactFirst is the answer's first employee alone, compacted: a small
// seed the fuzzer mutates quickly.
func compactFirst(f *testing.F, answer []byte) []byte {
	var a struct{ Employees []json.RawMessage }
	if err := json.Unmarshal(answer, &a); err != nil || len(a.Employees) == 0 {
		f.Fatalf("seed answer: %v", err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, a.Employees[0]); err != nil {
		f.Fatal(err)
	}
	return []byte(`{"employees":[` + buf.String() + `]}`)
}

// comparable: the types syncengine.Record documents.
func comparable(v any) bool {
	switch v := v.(type) {
	case nil, string, bool, float64, time.Time:
		return true
	case []any:
		for _, e := range v {
			if !comparable(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range v {
			if !comparable(e) {
				return false
			}
		}
		return true
	}
	return false
}

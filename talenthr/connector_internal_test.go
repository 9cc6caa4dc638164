package talenthr

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCursorRoundTrip: a cursor decodes to the states it was made of,
// whatever the ids' gaps.
func TestCursorRoundTrip(t *testing.T) {
	for _, states := range []map[uint64]uint64{
		{},
		{1: 0},
		{1: 1, 2: 1<<64 - 1, 300: 42, 999999999999999999: 7},
	} {
		got, err := decodeCursor(encodeCursor(states))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(states, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

// TestRowState: the terminated flag is its own bit; the rest is the
// fingerprint's first 63 bits.
func TestRowState(t *testing.T) {
	fp := Fingerprint("ffffffffffffffff0000000000000000")
	if a, b := rowState(fp, false), rowState(fp, true); a == b || a|1 != b {
		t.Errorf("states %x %x", a, b)
	}
	if rowState("0000000000000002", false) == rowState("0000000000000004", false) {
		t.Error("different fingerprints, same state")
	}
}

// FuzzDecodeCursor: any text either fails to decode or decodes to states
// that encode back to exactly that text (one text per directory), with
// valid employee ids; no input panics.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(map[uint64]uint64{1: 5, 7: 9, 1 << 40: 3}))
	f.Add("thr1.")
	f.Add("thr1.AQ")
	f.Add("thr1.gAE")
	f.Add("thr1.//8")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		states, err := decodeCursor(s)
		if err != nil {
			return
		}
		if back := encodeCursor(states); back != s {
			t.Fatalf("decoded %q, encodes back as %q", s, back)
		}
		for id := range states {
			if id == 0 || id > 999999999999999999 {
				t.Fatalf("id %d decoded", id)
			}
		}
	})
}

// TestCustomType: TalentHR's custom-field types (as its help centre names
// them, in the shapes the API may send them) in syncengine's words.
func TestCustomType(t *testing.T) {
	for raw, want := range map[string]string{
		`{"id":1,"name":"Text"}`: "text", `{"name":"Long text"}`: "text", `"long_text"`: "text", `{"slug":"link"}`: "text",
		`{"name":"Date"}`: "date", `{"name":"Single choice"}`: "list", `"single-choice"`: "list",
		`{"name":"Number"}`: "number", `{"type":"checkbox"}`: "bool",
		`{"name":"Multiple choice"}`: "talenthr:multiple choice", `{"name":"Employee"}`: "talenthr:employee",
		`null`: "talenthr:unknown", `{}`: "talenthr:unknown", `[1]`: "talenthr:unknown",
	} {
		if got := customType(json.RawMessage(raw)); got != want {
			t.Errorf("customType(%s) = %q, want %q", raw, got, want)
		}
	}
}

// TestTypedValue: custom-field values in the shapes TalentHR may send
// (a scalar, an object with a value, a list), read as their type says;
// text that does not parse stays text.
func TestTypedValue(t *testing.T) {
	utc := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		raw, typ string
		want     any
	}{
		{`"M"`, "text", "M"}, {`null`, "text", nil}, {`""`, "text", nil}, {`12`, "text", "12"},
		{`"2027-06-30"`, "date", utc(2027, 6, 30)}, {`"2027-06-30T00:00:00.000000Z"`, "date", utc(2027, 6, 30)},
		{`"soon"`, "date", "soon"}, {`"3.5"`, "number", 3.5}, {`1`, "bool", true}, {`"no"`, "bool", false},
		{`{"id":3,"value":"Night"}`, "list", "Night"}, {`{"id":3,"name":"Night"}`, "list", "Night"},
		{`[{"value":"Go"},{"value":"SQL"}]`, "talenthr:multiple choice", []any{"Go", "SQL"}},
		{`{"a":1}`, "text", `{"a":1}`},
	}
	for _, tt := range tests {
		if got := typedValue(json.RawMessage(tt.raw), tt.typ); !cmp.Equal(tt.want, got) {
			t.Errorf("typedValue(%s, %s) = %#v, want %#v", tt.raw, tt.typ, got, tt.want)
		}
	}
}

// TestSplitPath: map paths, dotted or slashed, to a field and a custom
// field's name.
func TestSplitPath(t *testing.T) {
	for path, want := range map[string][2]string{
		"email": {"email", ""}, "address.line1": {"address", "line1"}, "custom_fields.T-shirt size": {"custom_fields", "T-shirt size"},
		"/custom_fields/v1.2": {"custom_fields", "v1.2"}, "custom_fields": {"custom_fields", ""}, "": {"", ""},
	} {
		top, sub := splitPath(path)
		if top != want[0] || sub != want[1] {
			t.Errorf("splitPath(%q) = %q, %q", path, top, sub)
		}
	}
}

// FuzzRowRecord: any directory row TalentHR may send becomes a record
// without panicking: the row's id, dates as midnight UTC or nil, typed
// custom-field values.
func FuzzRowRecord(f *testing.F) {
	f.Add(`{"id":19,"first_name":"John","hire_date":"2023-11-28","termination_date":null,"reports_to_employee_id":1,"cert":"2027-06-30","skills":[{"value":"Go"}]}`)
	f.Add(`{"id":"20","hire_date":"2021-03-01T00:00:00.000000Z","termination_date":"2025-01-15","cert":{"value":"x"},"n":"3.5"}`)
	f.Add(`{"id":1,"hire_date":"0000-00-00","cert":[[1]],"flag":true}`)
	defs := []customDef{{"Cert", "cert", "date"}, {"Skills", "skills", "talenthr:multiple choice"}, {"N", "n", "number"}, {"Flag", "flag", "bool"}}
	today := NewDate(2026, 3, 10)
	f.Fuzz(func(t *testing.T, raw string) {
		var row DirectoryRow
		if json.Unmarshal([]byte(raw), &row) != nil {
			return
		}
		p := personOfRow(&row)
		rec := p.record(defaultPlan(), today)
		if rec.ID != row.ID {
			t.Fatalf("record id %q for row id %q", rec.ID, row.ID)
		}
		for _, f := range []string{"hire_date", "termination_date"} {
			switch v := rec.Fields[f].(type) {
			case nil:
			case time.Time:
				if v.Location() != time.UTC || v.Hour() != 0 || v.Minute() != 0 || v.Second() != 0 || v.Nanosecond() != 0 {
					t.Fatalf("%s = %v, not midnight UTC", f, v)
				}
			default:
				t.Fatalf("%s is a %T", f, v)
			}
		}
		if rec.Active != !row.Terminated(today) {
			t.Fatalf("Active %v for termination date %v", rec.Active, row.TerminationDate)
		}
		for name, v := range customFromRow(row.Extra, defs) {
			if _, isMap := v.(map[string]any); isMap {
				t.Fatalf("custom field %s is a map: %v", name, v)
			}
		}
	})
}

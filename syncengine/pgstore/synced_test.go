package pgstore

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeSynced(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		err  bool
	}{
		{`{}`, map[string]string{}, false},
		{`{"b.email": "ana@example.com", "a.name": "Zoë"}`, map[string]string{"b.email": "ana@example.com", "a.name": "Zoë"}, false},
		{`{"k":""}`, map[string]string{"k": ""}, false},
		{` {"k" : "line1\nline2"} `, map[string]string{"k": "line1\nline2"}, false},
		{`{"k": "a\"b", "u": "\u00e9"}`, map[string]string{"k": `a"b`, "u": "é"}, false},
		{`{"k": "1", "k": "2"}`, map[string]string{"k": "2"}, false}, // as encoding/json: the last wins
		{`{"k": 1}`, nil, true},
		{`{"k": "v"} x`, nil, true},
		{`{"k": "v",}`, nil, true},
		{`null`, nil, true},
		{``, nil, true},
	} {
		got, err := decodeSynced([]byte(tc.in), map[string]string{})
		if (err != nil) != tc.err {
			t.Errorf("decodeSynced(%q): err = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("decodeSynced(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// FuzzDecodeSynced holds the fast path to encoding/json's reading.
func FuzzDecodeSynced(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": "b", "c": "d"}`, `{"a":"\u0041"}`, `{"a": "é\ud83d\ude00"}`, `{"a":"b"`, "{\"a\":\"\xff\"}", `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeSynced(b, nil)
		shared, serr := decodeSynced(b, map[string]string{"a": "a"})
		if (err == nil) != (serr == nil) || !cmp.Equal(got, shared) {
			t.Fatalf("decodeSynced(%q) with shared keys = %v, %v; without: %v, %v", b, shared, serr, got, err)
		}
		var want map[string]string
		jerr := json.Unmarshal(b, &want)
		if jerr == nil && want == nil {
			jerr = errNull // decodeSynced refuses null: a link's values are an object
		}
		switch {
		case (err == nil) != (jerr == nil):
			t.Fatalf("decodeSynced(%q): err %v; encoding/json: %v", b, err, jerr)
		case err == nil && !cmp.Equal(want, got):
			t.Fatalf("decodeSynced(%q) = %v; encoding/json: %v", b, got, want)
		}
	})
}

var errNull = jsonNull{}

type jsonNull struct{}

func (jsonNull) Error() string { return "null" }

package bamboohr

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var flatRows = []string{
	`{}`,
	` { } `,
	`{"id":"5","firstName":"Ana","lastName":"Lee"}`,
	`{"id":12,"n":-1.5e3,"ok":true,"no":false,"x":null,"empty":""}`,
	"{\n\t\"id\" : \"7\" ,\r\n \"city\":\"Lindon\"\n}",
	`{"id":"1","id":"2"}`,
	`{"name":"O\u0027Brien"}`,
	`{"na\"me":"x"}`,
	`{"name":"Zoë","city":"Zürich"}`,
	"{\"bad\":\"\xff\"}",
	`{"nested":{"a":1}}`,
	`{"list":[1]}`,
	`{"id":"1",}`,
	`{"id":01}`,
	`[]`,
	`null`,
	`"x"`,
	``,
}

// The one-pass row decoder gives exactly what encoding/json gives, and
// leaves to it whatever it does not take.
func TestDecodeFlatMatchesStdlib(t *testing.T) {
	for _, row := range flatRows {
		checkFlat(t, []byte(row))
	}
}

func FuzzDecodeFlat(f *testing.F) {
	for _, row := range flatRows {
		f.Add([]byte(row))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkFlat(t, b) })
}

func checkFlat(t *testing.T, b []byte) {
	t.Helper()
	var want map[string]Value
	wantErr := json.Unmarshal(b, &want)
	got, ok := decodeFlat(b)
	if !ok {
		return // encoding/json decides
	}
	if wantErr != nil {
		t.Fatalf("%q: decodeFlat took it, encoding/json: %v", b, wantErr)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Value{})); diff != "" {
		t.Fatalf("%q: (-encoding/json +decodeFlat)\n%s", b, diff)
	}
}

// The common rows take the one-pass path.
func TestDecodeFlatTakesPlainRows(t *testing.T) {
	for _, row := range flatRows[:6] {
		if _, ok := decodeFlat([]byte(row)); !ok {
			t.Errorf("%q: left to encoding/json", row)
		}
	}
}

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
	`{"n":1.}`,
	`{"n":-}`,
	`{"n":1e}`,
	`{"n":+1}`,
	`{"n":.5}`,
	`{"n":1.2.3}`,
	`{"n":1E+2,"m":-0.25e-2,"z":0,"y":-0,"x":10.01}`,
	`{"n":nul}`,
	`{"n":tru}`,
	`{"n":nullx}`,
	`{"n":folse}`,
	`{"id":"1"} x`,
	`{"id":"1"}}`,
	`{"id":"1"`,
	`{"id":`,
	"{\"n\":\"a\tb\"}",
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
	// The connector's rows hold each value as record reads it, whichever
	// path decoded them.
	var row reportRow
	if err := row.UnmarshalJSON(b); (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: reportRow: %v, encoding/json: %v", b, err, wantErr)
	} else if err == nil {
		wantRow := reportRow{}
		for k, v := range want {
			wantRow[k] = recordValue(v)
		}
		if diff := cmp.Diff(wantRow, row); diff != "" {
			t.Fatalf("%q: report row (-want +got)\n%s", b, diff)
		}
	}
	got, ok := decodeFlat(b, sameValue)
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

// A listed row becomes the record a read employee becomes: the fields
// read (hidden ones absent, empty ones nil), the access checkbox, the
// active flag and the manager.
func TestRowRecordIsRecord(t *testing.T) {
	k := NewConnector(&Client{}, ConnectorOptions{})
	fields := []string{"firstName", "lastName", "workEmail", "status", "employmentHistoryStatus", "supervisorEId", "hireDate", "customAccess"}
	read := map[string]bool{}
	for _, f := range fields {
		read[f] = f != "customAccess"
	}
	for _, b := range []string{
		`{"id":"5","firstName":"Ana","lastName":"Lee","workEmail":"ana@example.com","status":"Active","employmentHistoryStatus":"Full-Time","supervisorEId":"9","hireDate":"0000-00-00","customAccess":"1"}`,
		`{"id":"6","firstName":"Bo","lastName":null,"status":"Inactive","supervisorEId":"0","customAccess":"0","extra":"x"}`,
		`{"id":"7","firstName":"Cy","status":"Active","employmentHistoryStatus":"Terminated","customAccess":null}`,
		`{"id":"8","firstName":"D\u00e9","status":"active","customAccess":"yes"}`,
	} {
		var e Employee
		var row reportRow
		if err := e.UnmarshalJSON([]byte(b)); err != nil {
			t.Fatal(err)
		}
		if err := row.UnmarshalJSON([]byte(b)); err != nil {
			t.Fatal(err)
		}
		want := k.record(&e, fields, "customAccess")
		if diff := cmp.Diff(want, k.rowRecord(e.ID, row, read, "customAccess")); diff != "" {
			t.Errorf("%s: (-record +rowRecord)\n%s", b, diff)
		}
	}
}

// The common rows take the one-pass path.
func TestDecodeFlatTakesPlainRows(t *testing.T) {
	for _, row := range flatRows[:6] {
		if _, ok := decodeFlat([]byte(row), sameValue); !ok {
			t.Errorf("%q: left to encoding/json", row)
		}
	}
}

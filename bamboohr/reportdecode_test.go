package bamboohr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var reportDocs = []string{
	`{"title":"rostersync","fields":[{"id":"firstName","type":"text","name":"First Name"}],"employees":[{"id":"5","firstName":"Ana"},{"id":"6","firstName":null}]}`,
	`{"employees":[],"fields":null,"title":""}`,
	`{}`,
	` { "employees" : [ { "id" : "1" } , {} ] , "x" : {"a":[1,{"b":"]}"}]}, "n": -1.5e3, "t": true } `,
	`{"employees":null}`,
	`{"Employees":[{"id":"1"}]}`,
	`{"EMPLOYEES":[{"id":"1"}],"employees":[{"id":"2"}]}`,
	`{"employees":[{"id":"1"}],"employees":[{"id":"2"}]}`,
	`{"employee\u0073":[{"id":"1"}]}`,
	"{\"employee\u017f\":[{\"id\":\"1\"}]}",
	`{"fields":[{"id":5,"type":"text"}],"employees":[{"id":"1"}]}`,
	`{"fields":[{"id":{"x":1}}],"employees":[{"id":"1"}]}`,
	`{"fields":"nope","employees":[{"id":"1"}]}`,
	`{"employees":[{"id":"1","nested":{"a":1}}]}`,
	`{"employees":[{"id":"1","list":[1]}],"fields":[]}`,
	`{"employees":[{"na\"me":"x"},{"id":"2"}]}`,
	`{"employees":[null,{"id":"2"}]}`,
	`{"employees":[{"id":"1"},"x"]}`,
	`{"employees":{"id":"1"}}`,
	"{\"employees\":[{\"bad\":\"\xff\"}]}",
	`{"title":"a \"quoted\" \\ title","employees":[{"id":"1","d":"0000-00-00","z":""}]}`,
	`{"employees":[{"id":"1",}]}`,
	`{"employees":[{"id":01}]}`,
	`[]`,
	`null`,
	`"x"`,
	``,
	`{"employees":[{"id":"1"}]} x`,
}

// A report decoded in one pass is what encoding/json decodes, value and
// error alike.
func TestDecodeJSONBodyIsUnmarshal(t *testing.T) {
	for _, row := range flatRows {
		reportDocs = append(reportDocs, `{"employees":[`+row+`,`+row+`]}`)
	}
	for _, doc := range reportDocs {
		checkReportDecode(t, []byte(doc))
	}
}

func FuzzDecodeJSONBody(f *testing.F) {
	for _, doc := range reportDocs {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkReportDecode(t, b) })
}

func checkReportDecode(t *testing.T, b []byte) {
	t.Helper()
	var want, got reportRows
	wantErr := json.Unmarshal(b, (*reportRowsJSON)(&want))
	gotErr := got.DecodeJSONBody(b)
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("%q: error %v, json.Unmarshal: %v", b, gotErr, wantErr)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Value{})); diff != "" {
		t.Fatalf("%q: (-json.Unmarshal +DecodeJSONBody)\n%s", b, diff)
	}
	if wantErr == nil && (want.Employees == nil) != (got.Employees == nil) {
		t.Fatalf("%q: nil rows differ", b)
	}
}

// The reports BambooHR sends take the one-pass path.
func TestDecodeReportTakesPlainReports(t *testing.T) {
	rows := strings.Repeat(`{"id":"1","firstName":"Ana","x":null},`, 3)
	for _, doc := range []string{reportDocs[0], reportDocs[1], reportDocs[3], `{"employees":[` + rows[:len(rows)-1] + `]}`} {
		if _, ok := decodeReport(doc); !ok {
			t.Errorf("%s: left to encoding/json", doc)
		}
	}
}

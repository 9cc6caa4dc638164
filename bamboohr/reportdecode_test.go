package bamboohr

import (
	"encoding/json"
	"fmt"
	"os"
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
	// Refused by encoding/json, so by the one-pass reader too.
	`{"employees":[{"id":"1"}]}}`,
	`{"employees":[{"id":"1"}]}{}`,
	"{\"employees\":[{\"id\":\"1\"}]}\x00",
	`{} x`,
	`{}}`,
	`{"employees":[{"id":"1"}]]}`,
	`{"employees":[{"id":"1"},]}`,
	`{"employees":[{"id":"1"}],}`,
	`{,"employees":[]}`,
	`{"employees"}`,
	`{"employees":}`,
	`{"employees" [{"id":"1"}]}`,
	`{"employees":[{"id":"1"} {"id":"2"}]}`,
	`{"employees":[{"id" "1"}]}`,
	`{"employees":[{"id":"1""x":"2"}]}`,
	`{"employees":[{"n":1.}]}`,
	`{"employees":[{"n":-}]}`,
	`{"employees":[{"n":1e}]}`,
	`{"employees":[{"n":1e+}]}`,
	`{"employees":[{"n":+1}]}`,
	`{"employees":[{"n":.5}]}`,
	`{"employees":[{"n":-01}]}`,
	`{"employees":[{"n":00}]}`,
	`{"employees":[{"n":1.2.3}]}`,
	`{"employees":[{"n":1e5e5}]}`,
	`{"employees":[{"n":1-2}]}`,
	`{"employees":[{"n":1E+2,"m":-0.25e-2,"z":0,"y":-0,"x":10.01}]}`,
	`{"employees":[{"n":nul}]}`,
	`{"employees":[{"n":tru}]}`,
	`{"employees":[{"n":fals}]}`,
	`{"employees":[{"n":nullx}]}`,
	`{"employees":[{"n":trueish}]}`,
	`{"employees":[{"n":nill}]}`,
	`{"employees":[{"n":folse}]}`,
	`{"employees":[{"n":n}]}`,
	"{\"employees\":[{\"n\":\"a\tb\"}]}",
	"{\"employees\":[{\"n\x01\":\"x\"}]}",
	"{\"employees\":[{\"\xff\":\"x\"}]}",
	"{\"employees\":[{\"n\":\"\xed\xa0\x80\"}]}",
	"{\"\xff\":1,\"employees\":[]}",
	"\xef\xbb\xbf{\"employees\":[]}",
	`{"fields":[}],"employees":[]}`,
	`{"fields":[{"id":"a"}]]],"employees":[]}`,
	`{"fields":"\`,
	`{"fields":"\"`,
	`{"fields":[{"id":"a\"}],"employees":[]}`,
	`{"title":"t",`,
	`{"title":nul,"employees":[]}`,
	`{"title":01,"employees":[]}`,
	`{"title":[1,],"employees":[]}`,
	`{"title":{"a":1}}}`,
	`{"title":"x"]`,
	`{"title":]`,
	`{"title"`,
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
	if _, ok := decodeReport(string(b)); ok && !json.Valid(b) {
		t.Fatalf("%q: decodeReport took a document encoding/json refuses", b)
	}
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

// Every truncation of a report is refused, or decoded as encoding/json
// decodes it, and none panics.
func TestDecodeJSONBodyTruncated(t *testing.T) {
	rows := strings.Repeat(`{"id":"12","n":-1.5e3,"ok":true,"no":false,"x":null,"s":"Zo\u00eb"} ,`, 2)
	for _, doc := range []string{
		reportDocs[0],
		reportDocs[3],
		` {"title":"a \"quoted\" title","fields":[{"id":"a","x":[1,{"b":"]}"}]}],"employees":[` + rows[:len(rows)-1] + `],"n":-0.5E+2} `,
	} {
		for n := range len(doc) + 1 {
			checkReportDecode(t, []byte(doc[:n]))
		}
	}
}

// The reports BambooHR sends take the one-pass path.
func TestDecodeReportTakesPlainReports(t *testing.T) {
	rows := strings.Repeat(`{"id":"1","firstName":"Ana","x":null},`, 3)
	fixture, err := os.ReadFile("testdata/report_custom.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{reportDocs[0], reportDocs[1], reportDocs[3], `{"employees":[` + rows[:len(rows)-1] + `]}`, string(fixture)} {
		if _, ok := decodeReport(doc); !ok {
			t.Errorf("%s: left to encoding/json", doc)
		}
	}
}

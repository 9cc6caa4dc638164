package bamboohr

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A row decoded as part of a report (listedRow, not checked again) is
// the row reportRow decodes alone, and a report encoding/json refuses is
// refused still.
func TestListedRowIsReportRow(t *testing.T) {
	for _, row := range append(flatRows, `{"n":1e5,"m":-0.25E-2}`, `{"a":1.2.3}`, `{"a":tru}`) {
		doc := []byte(`{"employees":[` + row + `]}`)
		var want struct {
			Employees []reportRow `json:"employees"`
		}
		wantErr := json.Unmarshal(doc, &want)
		var got reportRows
		err := json.Unmarshal(doc, &got)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%s: listedRow: %v, reportRow: %v", doc, err, wantErr)
		}
		if err != nil {
			continue
		}
		rows := make([]reportRow, len(got.Employees))
		for i, r := range got.Employees {
			rows[i] = reportRow(r)
		}
		if diff := cmp.Diff(want.Employees, rows); diff != "" {
			t.Errorf("%s: (-reportRow +listedRow)\n%s", doc, diff)
		}
	}
}

// rowsCarry finds every asked field some row carries, in whichever row,
// and none that no row carries.
func TestRowsCarry(t *testing.T) {
	rows := []listedRow{
		{"id": "1", "firstName": "A"},
		{"id": "2", "firstName": nil, "lastName": "B"},
		{"id": "3", "extra": "x"},
	}
	for _, tc := range []struct {
		asked []string
		want  map[string]bool
	}{
		{[]string{"id", "firstName"}, map[string]bool{"id": true, "firstName": true}},
		{[]string{"id", "lastName", "id"}, map[string]bool{"id": true, "lastName": true}},
		{[]string{"id", "hidden", "lastName"}, map[string]bool{"id": true, "lastName": true}},
		{nil, map[string]bool{}},
	} {
		if diff := cmp.Diff(tc.want, rowsCarry(rows, tc.asked)); diff != "" {
			t.Errorf("%v: (-want +got)\n%s", tc.asked, diff)
		}
	}
	if got := rowsCarry(nil, []string{"id"}); len(got) != 0 {
		t.Errorf("no rows: %v", got)
	}
}

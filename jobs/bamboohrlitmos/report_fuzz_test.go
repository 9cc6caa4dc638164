package bamboohrlitmos_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
)

// FuzzWriteReportCSV: whatever HR data holds, the report parses back to
// one row per employee, no cell starts as a spreadsheet formula, and a
// defused cell is the original with one leading apostrophe.
func FuzzWriteReportCSV(f *testing.F) {
	f.Add("7", "Zoë Ñúñez-O'Brien", "zoe@acme.example", "=HYPERLINK(\"http://x\")", "line\none")
	f.Add("", "@SUM(A1)", "+1", "-x", "\t\r")
	f.Add("1", "\"quoted\", comma", "", "", "\x00")
	f.Fuzz(func(t *testing.T, id, name, user, reason, litmosID string) {
		rep := &bamboohrlitmos.Report{Rows: []bamboohrlitmos.Row{{EmployeeID: id, Name: name, Username: user,
			LitmosID: litmosID, Action: bamboohrlitmos.Failed, Reason: reason}}}
		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("report does not parse back: %v\n%q", err, buf.String())
		}
		if len(rows) != 2 || len(rows[1]) != 7 {
			t.Fatalf("rows = %q, want a header and one row of 7 cells", rows)
		}
		for i, in := range []string{id, name, user, litmosID, "failed", "", reason} {
			got := rows[1][i]
			// encoding/csv reads \r\n inside a quoted cell as \n.
			want := strings.ReplaceAll(in, "\r\n", "\n")
			if got != want && got != "'"+want {
				t.Errorf("cell %d = %q, want %q (or defused)", i, got, want)
			}
			if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
				t.Errorf("cell %d = %q starts like a formula", i, got)
			}
		}
	})
}

package syncengine_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

// The CSV report names its columns in the pair's words, keeps any text
// (quotes, commas, new lines, accents), and never lets a cell run as a
// spreadsheet formula.
func TestWriteReportCSV(t *testing.T) {
	rep := &syncengine.Report{A: "bamboohr", B: "litmos",
		Columns: syncengine.Columns{AID: "employee_id", Key: "username", BID: "litmos_id"},
		Outcomes: []syncengine.Outcome{
			{Collection: syncengine.Users, AID: "7", Name: "Zoë \"Z\" Ñúñez-O'Brien, Jr.", Key: "zoe@acme.example", BID: "u1",
				Result: syncengine.ResultUpdated, Fields: []string{"JobTitle", "City"}},
			{Collection: syncengine.Users, AID: "8", Name: "=HYPERLINK(\"http://x\")", Result: syncengine.ResultFailed, Detail: "line one\nline two"},
			{Collection: syncengine.Users, AID: "9", Name: "@SUM(A1)", Key: "+1", Result: syncengine.ResultSkipped, Detail: "-x"},
		}}
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"employee_id", "name", "username", "litmos_id", "action", "fields", "reason"},
		{"7", "Zoë \"Z\" Ñúñez-O'Brien, Jr.", "zoe@acme.example", "u1", "updated", "JobTitle City", ""},
		{"8", "'=HYPERLINK(\"http://x\")", "", "", "failed", "", "line one\nline two"},
		{"9", "'@SUM(A1)", "'+1", "", "skipped", "", "'-x"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
}

// FuzzWriteReportCSV: whatever HR data holds, the report parses back to
// one row per record, no cell starts as a spreadsheet formula, and a
// defused cell is the original with one leading apostrophe.
func FuzzWriteReportCSV(f *testing.F) {
	f.Add("7", "Zoë Ñúñez-O'Brien", "zoe@acme.example", "=HYPERLINK(\"http://x\")", "line\none")
	f.Add("", "@SUM(A1)", "+1", "-x", "\t\r")
	f.Add("1", "\"quoted\", comma", "", "", "\x00")
	f.Fuzz(func(t *testing.T, id, name, key, reason, bid string) {
		rep := &syncengine.Report{A: "hr", B: "lms", Outcomes: []syncengine.Outcome{{Collection: syncengine.Users,
			AID: id, Name: name, Key: key, BID: bid, Result: syncengine.ResultFailed, Detail: reason}}}
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
		for i, in := range []string{id, name, key, bid, "failed", "", reason} {
			got := rows[1][i]
			// encoding/csv reads \r\n inside a quoted cell as \n.
			want := strings.ReplaceAll(in, "\r\n", "\n")
			if got != want && got != "'"+want {
				t.Errorf("cell %d = %q, want %q (or defused)", i, got, want)
			}
			if got != "" && strings.ContainsRune("=+-@\t\r\n", rune(got[0])) {
				t.Errorf("cell %d = %q starts like a formula", i, got)
			}
		}
	})
}

package bamboohrlitmos_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
)

func TestWriteReportCSV(t *testing.T) {
	rep := &bamboohrlitmos.Report{Rows: []bamboohrlitmos.Row{
		{EmployeeID: "7", Name: "Zoë \"Z\" Ñúñez-O'Brien, Jr.", Username: "zoe@acme.example", LitmosID: "u1",
			Action: bamboohrlitmos.Updated, Fields: []string{"JobTitle", "City"}},
		{EmployeeID: "8", Name: "=HYPERLINK(\"http://x\")", Action: bamboohrlitmos.Failed, Reason: "line one\nline two"},
		{EmployeeID: "9", Name: "@SUM(A1)", Username: "+1", Action: bamboohrlitmos.Skipped, Reason: "-x"},
	}}
	var buf bytes.Buffer
	if err := bamboohrlitmos.WriteReportCSV(&buf, rep); err != nil {
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
	if s := rep.Summary(); s != "0 created, 1 updated, 0 deactivated, 0 reactivated, 1 skipped, 1 failed" {
		t.Errorf("Summary = %q", s)
	}
	if !rep.Failed() {
		t.Error("Failed() = false")
	}
}

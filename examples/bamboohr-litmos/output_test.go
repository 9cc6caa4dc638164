package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// -json prints the report, and only the report, on stdout: the plan's for
// a plan run, the apply's with -apply (no tour then).
func TestJSON(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		preview bool
		key     syncengine.Result
	}{
		{[]string{"-json"}, true, syncengine.ResultCreate},
		{[]string{"-json", "-apply"}, false, syncengine.ResultCreated},
	} {
		r := runMain(t, nil, tt.args...)
		var rep syncengine.Report
		if err := json.Unmarshal([]byte(r.out), &rep); r.code != 0 || err != nil {
			t.Fatalf("%q: stdout is not one JSON report (%v)\n%s", tt.args, err, r)
		}
		if rep.Preview != tt.preview || rep.Counts[tt.key] != 27 || len(rep.Outcomes) != 30 {
			t.Errorf("%q: preview %v, counts %v, %d outcomes", tt.args, rep.Preview, rep.Counts, len(rep.Outcomes))
		}
		if !strings.Contains(r.stderr, "Plan (BambooHR -> Litmos):") || strings.Contains(r.stderr, "webhook") {
			t.Errorf("%q: the human text belongs on stderr, without the tour\n%s", tt.args, r.stderr)
		}
	}
}

// -detailed-exitcode: a plan run exits 3 with changes pending, 0 without.
func TestDetailedExitCode(t *testing.T) {
	if r := runMain(t, nil, "-detailed-exitcode"); r.code != 3 || !strings.Contains(r.out, "Plan: 27 to create") || r.stderr != "" {
		t.Errorf("pending changes: want exit 3 and no message\n%s", r)
	}
	_, _, env := fakeAccounts(t)
	state := t.TempDir()
	if r := runMain(t, env, "-state", state, "-apply"); r.code != 0 {
		t.Fatal(r)
	}
	if r := runMain(t, env, "-state", state, "-detailed-exitcode"); r.code != 0 || !strings.Contains(r.out, "No changes.") {
		t.Errorf("no changes: want exit 0\n%s", r)
	}
}

// A plan run writes the plan's report when -report is given; -report -
// puts the CSV on stdout and the human text on stderr.
func TestPlanReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.csv")
	r := runMain(t, nil, "-report", path)
	if r.code != 0 || !strings.Contains(r.out, "Report of the plan (CSV, one row per employee): "+path) {
		t.Fatal(r)
	}
	actions := map[string]string{}
	rows := readCSV(t, path)
	for _, row := range rows[1:] {
		actions[row[0]] = row[4]
	}
	if len(rows) != 31 || actions["101"] != "create" || actions["121"] != "fail" || actions["132"] != "skip" {
		t.Errorf("plan report: %d rows, actions %v", len(rows), actions)
	}
	if left, _ := os.ReadDir(filepath.Dir(path)); len(left) != 1 {
		t.Errorf("the report's directory holds %v, want the report alone", left)
	}

	r = runMain(t, nil, "-report", "-", "-apply")
	rows, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if r.code != 0 || err != nil || len(rows) != 31 || rows[0][0] != "employee_id" {
		t.Fatalf("-report -: stdout is not the CSV alone (%v)\n%s", err, r)
	}
	if !strings.Contains(r.stderr, "Report (CSV, one row per employee): stdout") || !strings.Contains(r.stderr, "Re-run: plan again.") {
		t.Errorf("-report -: the human text belongs on stderr\n%s", r.stderr)
	}
}

// -print-map prints the preset's map as JSON; -map FILE runs with a map
// of one's own: a field it adds is read from BambooHR and reaches Litmos.
func TestBringYourOwnMap(t *testing.T) {
	r := runMain(t, nil, "-print-map")
	if r.code != 0 {
		t.Fatal(r)
	}
	m, err := mapping.Load([]byte(r.out))
	if err != nil || m.Name() != mapping.PresetBambooHRLitmos {
		t.Fatalf("-print-map output does not load as the preset: %v\n%s", err, r.out)
	}
	var spec map[string]any
	if err := json.Unmarshal([]byte(r.out), &spec); err != nil {
		t.Fatal(err)
	}
	spec["rules"] = append(spec["rules"].([]any), map[string]any{"target": "CompanyName", "source": "department"})
	own := writeJSON(t, spec)

	_, lms, env := fakeAccounts(t)
	if r := runMain(t, env, "-state", t.TempDir(), "-apply", "-map", own); r.code != 0 {
		t.Fatal(r)
	}
	if u, ok := lms.UserByUsername("ana@acme.example"); !ok || u.CompanyName != "Procurement" {
		t.Errorf("learner %+v: want CompanyName Procurement, from the department", u)
	}
	// On the built-in fakes: every learner created carries CompanyName.
	r = runMain(t, nil, "-apply", "-map", own, "-json")
	var rep syncengine.Report
	if err := json.Unmarshal([]byte(r.out), &rep); r.code != 0 || err != nil || rep.Counts[syncengine.ResultCreated] != 27 {
		t.Fatalf("-map on the fakes (%v):\n%s", err, r)
	}
	for _, o := range rep.Outcomes {
		if o.Result == syncengine.ResultCreated && !slices.Contains(o.Fields, "CompanyName") {
			t.Errorf("learner %s created without CompanyName: %v", o.Key, o.Fields)
		}
	}
	if r := runMain(t, nil, "-print-map", "-map", own); r.code != 0 || !strings.Contains(r.out, `"CompanyName"`) {
		t.Errorf("-print-map -map prints the map in use:\n%s", r)
	}

	// A field BambooHR does not have is a usage error naming it.
	spec["rules"] = append(spec["rules"].([]any), map[string]any{"target": "CustomField1", "source": "shoeSize"})
	bad := writeJSON(t, spec)
	for _, args := range [][]string{{"-map", bad}, {"-apply", "-map", bad}} {
		r := runMain(t, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "shoeSize") || strings.Contains(r.out, "Applied") {
			t.Errorf("%q: want exit 2 naming shoeSize\n%s", args, r)
		}
		if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
			t.Errorf("%q left %v in the temp directory", args, left)
		}
	}
	for _, broken := range []string{"{", `{"rules":[{"target":"X","source":"y","transforms":["nope"]}]}`} {
		f := filepath.Join(t.TempDir(), "m.json")
		_ = os.WriteFile(f, []byte(broken), 0o600)
		if r := runMain(t, nil, "-map", f); r.code != 2 || !strings.Contains(r.stderr, "-map "+f) {
			t.Errorf("-map %s: want exit 2\n%s", broken, r)
		}
	}
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "map.json")
	if err := os.WriteFile(f, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// A report that cannot be written is found before anything is: no write.
func TestReportCheckedBeforeWrites(t *testing.T) {
	_, lms, env := fakeAccounts(t)
	r := runMain(t, env, "-state", t.TempDir(), "-apply", "-report", filepath.Join(t.TempDir(), "missing", "r.csv"))
	if r.code != 2 || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("want exit 2\n%s", r)
	}
	if n := lms.Log().Count(litmostest.IsWrite); n != 0 {
		t.Errorf("%d Litmos writes before the report was refused", n)
	}
}

package syncengine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

func TestReportFormatsAndCallbacks(t *testing.T) {
	v := outcomesEnv(t)
	var progress []string
	var finished *syncengine.Report
	v.cfg.Concurrency = 1
	v.cfg.OnProgress = func(done, total int, o syncengine.Outcome) {
		progress = append(progress, o.AID)
		if done > total {
			t.Errorf("progress %d of %d", done, total)
		}
	}
	v.cfg.OnFinish = func(r *syncengine.Report) { finished = r }
	rep := v.sync(t)
	if finished != rep {
		t.Error("OnFinish did not get the report")
	}
	if len(progress) != len(rep.Outcomes) {
		t.Errorf("progress called %d times for %d outcomes", len(progress), len(rep.Outcomes))
	}

	var csvOut bytes.Buffer
	if err := rep.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report_outcomes.csv")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, csvOut.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), csvOut.String()); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}

	var jsonOut bytes.Buffer
	if err := rep.WriteJSON(&jsonOut); err != nil {
		t.Fatal(err)
	}
	var back syncengine.Report
	if err := json.Unmarshal(jsonOut.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, &back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}

	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "  + created     e1                ana@example.com\n") ||
		strings.Contains(text.String(), " e5 ") ||
		!strings.Contains(text.String(), "  ~ updated     e2   Bobby Stone  bob@example.com   first_name\n") ||
		!strings.Contains(text.String(), "  x failed      e6                -                 missing or invalid required field: email: required\n") ||
		!strings.HasSuffix(text.String(), "\n1 created, 1 updated, 1 deactivated, 1 reactivated, 2 skipped, 5 failed, 1 unchanged.\n") {
		t.Errorf("text report:\n%s", text.String())
	}
	runs, err := v.store.Runs(context.Background(), "hr<->lms")
	if err != nil || len(runs) != 1 || runs[0].ID != rep.RunID || runs[0].Counts["created"] != 1 {
		t.Errorf("run history = %+v, %v", runs, err)
	}
}

package runner

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

var oneRow = &syncengine.Report{A: "hr", B: "lms", Outcomes: []syncengine.Outcome{{AID: "1", Result: syncengine.ResultCreated}}}

// A report path is made sure of before any write: a directory, or a
// missing directory, is refused; the file appears only when committed.
func TestOpenReport(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ path, want string }{
		{dir, "is a directory"},
		{filepath.Join(dir, "missing", "r.csv"), "does not exist"},
	} {
		if _, err := openReport(tt.path, dir, "x", nil); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("openReport(%s) = %v, want a usage error with %q", tt.path, err, tt.want)
		}
	}

	path := filepath.Join(dir, "r.csv")
	f, err := openReport(path, dir, "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the report exists before commit: %v", err)
	}
	got, err := f.commit(oneRow)
	if err != nil || got != path {
		t.Fatalf("commit = %q, %v", got, err)
	}
	f.abort() // after commit: nothing to remove
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "1,,,,created") {
		t.Errorf("report = %q", b)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("the directory holds %v, want the report alone", left)
	}

	// An aborted report leaves nothing; a default one is a new 0600 file.
	f, _ = openReport(filepath.Join(dir, "other.csv"), dir, "x", nil)
	f.abort()
	a, _ := openReport("", dir, "x", nil)
	b2, _ := openReport("", dir, "x", nil)
	pa, _ := a.commit(oneRow)
	pb, _ := b2.commit(oneRow)
	if pa == pb || !strings.HasPrefix(filepath.Base(pa), "x-report-") {
		t.Errorf("default reports %s and %s", pa, pb)
	}
	for _, p := range []string{pa, pb} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("report %s: %v %v, want mode 0600", p, fi, err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 3 {
		t.Errorf("the directory holds %v, want three reports", left)
	}
}

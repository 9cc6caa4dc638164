package runner_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// keptProgram is memProgram with fakes that outlive a run: the LMS keeps
// the users a run created, as a real one would, so a run after a repair
// shows whether it matches them or creates them again.
func keptProgram(n int) (*runner.Program, *syncenginetest.Connector) {
	hr := syncenginetest.NewConnector("hr")
	for i := 1; i <= n; i++ {
		hr.Put(syncengine.Users, syncengine.Record{ID: fmt.Sprint(i), Active: true,
			Fields: map[string]any{"email": fmt.Sprintf("p%d@example.com", i)}})
	}
	lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	p := memProgram(n)
	p.Fakes = func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
		return func(context.Context) (*runner.Fake, error) {
			return &runner.Fake{Pair: runner.Pair{About: "kept fakes.", Config: func(*mapping.Map) (syncengine.Config, error) {
				return syncengine.Config{A: hr, B: lms, Direction: syncengine.AToB,
					Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
						Create: true, Update: true, Deactivate: true,
						Match: []syncengine.MatchKey{{Field: "email", Fold: true}}}}}}, nil
			}}}, nil
		}
	}
	return p, lms
}

// damagedState applies a first sync into a new state directory, then cuts
// the pair's journal in the middle, and returns the directory and the
// journal's path.
func damagedState(t *testing.T, p *runner.Program) (dir, journal string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "state")
	if code, out, stderr, _ := run(t, p, "-apply", "-state", dir); code != runner.ExitOK {
		t.Fatalf("first sync: exit %d\n%s\n%s", code, out, stderr)
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*.journal"))
	if len(found) != 1 {
		t.Fatalf("journals in %s: %v", dir, found)
	}
	journal = found[0]
	b, err := os.ReadFile(journal)
	if err != nil || len(b) < 100 {
		t.Fatalf("journal %s: %d bytes, %v", journal, len(b), err)
	}
	if err := os.WriteFile(journal, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, journal
}

// snapshot reads every file under dir, by relative path.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A damaged state is refused with an error naming the file, and the
// message tells the user about -state-repair; nothing is written.
func TestDamagedStateNamesFileAndRepair(t *testing.T) {
	p, lms := keptProgram(3)
	dir, journal := damagedState(t, p)
	before := len(lms.Records(syncengine.Users))
	code, out, stderr, _ := run(t, p, "-apply", "-state", dir)
	if code != runner.ExitError {
		t.Errorf("exit %d, want %d", code, runner.ExitError)
	}
	for _, want := range []string{filepath.Base(journal), "-state-repair -state " + fmt.Sprintf("%q", dir),
		"-state-repair -state " + fmt.Sprintf("%q", dir) + " -apply", "links records again by matching"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(out, "created") || len(lms.Records(syncengine.Users)) != before {
		t.Errorf("a refused run wrote:\n%s", out)
	}
}

// -state-repair alone is a dry run that changes nothing; with -apply it
// moves the damaged files aside; the next run links the users the first
// run created by matching, creating none twice.
func TestStateRepair(t *testing.T) {
	p, lms := keptProgram(3)
	dir, journal := damagedState(t, p)
	files := snapshot(t, dir)

	code, out, stderr, _ := run(t, p, "-state-repair", "-state", dir)
	if code != runner.ExitOK {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"is damaged", filepath.Base(journal), "Would move these files to",
		"Dry run: nothing was moved", "-state-repair -state " + fmt.Sprintf("%q", dir) + " -apply"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if diff := cmp.Diff(files, snapshot(t, dir)); diff != "" {
		t.Errorf("the dry run changed the state (-before +after):\n%s", diff)
	}

	code, out, stderr, _ = run(t, p, "-state-repair", "-apply", "-state", dir)
	if code != runner.ExitOK || !strings.Contains(out, "Moved these files to") || !strings.Contains(out, "Repaired.") {
		t.Fatalf("repair: exit %d\n%s\n%s", code, out, stderr)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, "damaged-*", filepath.Base(journal)))
	if len(aside) != 1 || snapshot(t, filepath.Dir(aside[0]))[filepath.Base(journal)] != files[filepath.Base(journal)] {
		t.Errorf("the damaged journal is not kept aside unchanged: %v", aside)
	}

	code, out, stderr, _ = run(t, p, "-apply", "-state", dir)
	if code != runner.ExitOK || !strings.Contains(out, "0 created") || len(lms.Records(syncengine.Users)) != 3 {
		t.Errorf("run after the repair: exit %d, %d LMS users\n%s\n%s", code, len(lms.Records(syncengine.Users)), out, stderr)
	}
	if code, out, _, _ = run(t, p, "-state-repair", "-state", dir); code != runner.ExitOK || !strings.Contains(out, "Nothing to repair.") {
		t.Errorf("repairing intact state: exit %d\n%s", code, out)
	}
}

// -state-repair on the fakes needs -state; a missing directory has
// nothing to repair; flags that would do nothing are refused.
func TestStateRepairUsage(t *testing.T) {
	p, _ := keptProgram(1)
	if code, _, stderr, _ := run(t, p, "-state-repair"); code != runner.ExitUsage || !strings.Contains(stderr, "needs -state DIR") {
		t.Errorf("without -state: exit %d\n%s", code, stderr)
	}
	missing := filepath.Join(t.TempDir(), "none")
	if code, out, _, _ := run(t, p, "-state-repair", "-state", missing); code != runner.ExitOK || !strings.Contains(out, "nothing to repair") {
		t.Errorf("missing state: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("-state-repair created %s", missing)
	}
	for _, args := range [][]string{{"-state-repair", "-only", "1"}, {"-state-repair", "-json"}, {"-state-repair", "-report", "r.csv"}} {
		if code, _, stderr, _ := run(t, p, args...); code != runner.ExitUsage || !strings.Contains(stderr, "-state-repair and") {
			t.Errorf("%q: exit %d\n%s", args, code, stderr)
		}
	}
	var usage bytes.Buffer
	runner.Run(context.Background(), p, []string{"-h"}, func(string) string { return "" }, &usage, &usage)
	if !strings.Contains(usage.String(), "-state-repair") {
		t.Errorf("usage lacks -state-repair:\n%s", usage.String())
	}
}

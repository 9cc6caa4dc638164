package tempdircheck_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/internal/tempdircheck"
)

func TestMain(m *testing.M) { tempdircheck.Main(m) }

// TestChild is run by TestMainFailsOnLeftovers in a child process: it
// leaves a directory and a file behind when asked to.
func TestChild(t *testing.T) {
	switch os.Getenv("TEMPDIRCHECK_CHILD") {
	case "leave":
		dir, err := os.MkdirTemp("", "left-behind-")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	case "clean":
		_ = t.TempDir()
	}
}

func TestMainFailsOnLeftovers(t *testing.T) {
	for _, tc := range []struct {
		mode     string
		wantFail bool
	}{{"leave", true}, {"clean", false}} {
		t.Run(tc.mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChild$")
			cmd.Env = append(os.Environ(), "TEMPDIRCHECK_CHILD="+tc.mode)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tc.wantFail {
				t.Fatalf("child that %ss: failed %v, want %v\n%s", tc.mode, failed, tc.wantFail, out)
			}
			if tc.wantFail && !strings.Contains(string(out), "left these in the temporary directory (use t.TempDir):\n  left-behind-") || tc.wantFail && !strings.Contains(string(out), "state.json") {
				t.Errorf("output does not list what was left:\n%s", out)
			}
			if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
				t.Errorf("the child's private directory was not removed: %v", left)
			}
		})
	}
}

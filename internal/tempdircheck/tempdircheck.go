// Package tempdircheck makes a test binary fail when its tests leave
// files in the temporary directory. Use it from TestMain:
//
//	func TestMain(m *testing.M) { tempdircheck.Main(m) }
package tempdircheck

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Main points the temporary directory (TMPDIR, and TMP and TEMP on
// Windows) at a new, private one inside it, runs the tests, and exits 1
// if anything is left in it, after listing what; it removes the private
// directory either way. Other processes writing to the shared temporary
// directory cannot make it fail.
func Main(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	priv, err := os.MkdirTemp("", "tempdircheck-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tempdircheck:", err)
		return 1
	}
	defer os.RemoveAll(priv)
	for _, name := range envNames() {
		if err := os.Setenv(name, priv); err != nil {
			fmt.Fprintln(os.Stderr, "tempdircheck:", err)
			return 1
		}
	}
	code := m.Run()
	left, err := leftIn(priv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tempdircheck:", err)
		return 1
	}
	if len(left) > 0 {
		fmt.Fprintln(os.Stderr, "tempdircheck: the tests left these in the temporary directory (use t.TempDir):")
		for _, l := range left {
			fmt.Fprintln(os.Stderr, "  "+l)
		}
		return 1
	}
	return code
}

func envNames() []string {
	if runtime.GOOS == "windows" {
		return []string{"TMP", "TEMP"}
	}
	return []string{"TMPDIR"}
}

// leftIn lists dir's entries, and one level inside each directory, so the
// listing says which test left what.
func leftIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
		if !e.IsDir() {
			continue
		}
		inner, _ := os.ReadDir(filepath.Join(dir, e.Name()))
		for _, i := range inner {
			out = append(out, filepath.Join(e.Name(), i.Name()))
		}
	}
	return out, nil
}

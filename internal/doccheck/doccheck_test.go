package doccheck

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNoPrivateCitations is the CI check: no tracked .go or .md file of the
// module cites the private vendor notes.
func TestNoPrivateCitations(t *testing.T) {
	root := moduleRoot(t)
	files := trackedFiles(t, root)
	if len(files) < 50 {
		t.Fatalf("found only %d .go/.md files under %s; the file list is wrong", len(files), root)
	}
	found, err := Scan(root, files)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s\n\tcites a private research note; cite the vendor's public page by URL instead", f)
	}
}

// note builds "<vendor>.md" without writing it literally, so that this file
// passes its own check.
func note(vendor string) string { return vendor + "." + "md" }

func TestScanFindsPlantedCitations(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.go":         "package a\n\n// BambooHR answers XML (" + note("bamboohr") + " §1).\nfunc A() {}\n",
		"b/b.go":       "package b\n\n// Paging (" + note("litmos") + " §1 \"Paging\").\n",
		"c.md":         "# C\n\nSee the notes in " + note("talentlms") + ".\n",
		"d.go":         "package d\n\n// as " + note("DESIGN") + " § 2 says\n// as " + note("STYLE") + " §3 says\n",
		"e.go":         "package e\n\n// (" + note("hibob") + ")\n",
		"clean.go":     "package clean\n\n// See README.md and https://example.com/docs/litmos.\n",
		"clean.md":     "Read CONTRIBUTING.md, then https://www.litmos.com/docs.\n",
		"f.md":         "Notes: " + strings.ToUpper(note("learnamp")) + "\n",
		"notcited.txt": note("bamboohr") + " §1\n",
	}
	var names []string
	for name, body := range files {
		write(t, filepath.Join(dir, name), body)
		if Checked(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	got, err := Scan(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, f := range got {
		where = append(where, f.File+":"+strconv.Itoa(f.Line))
	}
	want := []string{"a.go:3", "b/b.go:3", "c.md:3", "d.go:3", "d.go:4", "e.go:3", "f.md:1"}
	if diff := cmp.Diff(want, where); diff != "" {
		t.Errorf("Scan findings (-want +got):\n%s", diff)
	}
}

func TestCheckedCoversGoAndMarkdown(t *testing.T) {
	for name, want := range map[string]bool{"x.go": true, "README.md": true, "DOC.MD": true, "x.txt": false, "go.mod": false, "x.golden": false} {
		if got := Checked(name); got != want {
			t.Errorf("Checked(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestScanMissingFile(t *testing.T) {
	_, err := Scan(t.TempDir(), []string{"gone.go"})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "gone.go") {
		t.Fatalf("Scan of a missing file: %v", err)
	}
}

// moduleRoot is the directory holding go.mod, above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// trackedFiles lists the checked files git tracks, or, where git or the
// repository is missing (an extracted archive), every checked file under
// root outside .git.
func trackedFiles(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Logf("git ls-files failed (%v); walking %s instead", err, root)
		return walk(t, root)
	}
	var files []string
	for _, name := range strings.Split(string(out), "\x00") {
		if name != "" && Checked(name) {
			if _, err := os.Stat(filepath.Join(root, name)); err == nil {
				files = append(files, name)
			}
		}
	}
	return files
}

func walk(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() && Checked(p) {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func write(t *testing.T, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

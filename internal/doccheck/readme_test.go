package doccheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEGoBlocks: every go block of the README is a run of lines of a
// file that compiles and runs with the tests, so the README's code is code
// that builds.
func TestREADMEGoBlocks(t *testing.T) {
	root := moduleRoot(t)
	md, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := GoBlocks(md)
	if len(blocks) == 0 {
		t.Fatal("the README has no go blocks; the check reads the wrong file")
	}
	for _, b := range blocks {
		if b.From != "" && !strings.HasSuffix(b.From, ".go") {
			t.Errorf("go block at line %d: %s is not a Go file", b.Line, b.From)
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(b.From)))
		if b.From != "" && err != nil {
			t.Errorf("go block at line %d: %v", b.Line, err)
			continue
		}
		if err := b.Check(src); err != nil {
			t.Error(err)
		}
	}
}

func TestGoBlocksAndCheck(t *testing.T) {
	md := strings.Join([]string{
		"# Title", "", "<!-- go: a.go -->", "```go", "x := 1", "\tfmt.Println(x)", "```", "",
		"```sh", "go test", "```", "",
		"```go", "y := 2", "```",
	}, "\n")
	blocks := GoBlocks([]byte(md))
	if len(blocks) != 2 || blocks[0].From != "a.go" || blocks[0].Line != 4 || blocks[1].From != "" {
		t.Fatalf("GoBlocks = %+v", blocks)
	}
	src := []byte("package a\n\nfunc f() {\n\tx := 1\n\tfmt.Println(x)\n}\n")
	if err := blocks[0].Check(src); err != nil {
		t.Errorf("a block copied from the file: %v", err)
	}
	drifted := []byte("package a\n\nfunc f() {\n\tx := 2\n\tfmt.Println(x)\n}\n")
	if err := blocks[0].Check(drifted); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("a block the file no longer holds: %v", err)
	}
	reordered := []byte("package a\n\nfunc f() {\n\tfmt.Println(x)\n\tx := 1\n}\n")
	if err := blocks[0].Check(reordered); err == nil {
		t.Error("lines out of order passed")
	}
	if err := blocks[1].Check(src); err == nil || !strings.Contains(err.Error(), "names no file") {
		t.Errorf("a block without a file: %v", err)
	}
}

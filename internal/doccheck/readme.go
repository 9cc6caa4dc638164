package doccheck

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Block is a ```go block of a Markdown document and the file it is taken
// from, named on the line before it as <!-- go: PATH -->.
type Block struct {
	Line  int      // the line of the opening fence
	From  string   // PATH, slash-separated and relative to the module root; "" when not named
	Lines []string // the block's lines
}

var fromComment = regexp.MustCompile(`^<!--\s*go:\s*(\S+)\s*-->$`)

// GoBlocks returns the ```go blocks of a Markdown document.
func GoBlocks(md []byte) []Block {
	var out []Block
	var cur *Block
	prev := ""
	sc := bufio.NewScanner(bytes.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.Lines = append(cur.Lines, line)
		case trimmed == "```go":
			cur = &Block{Line: n}
			if m := fromComment.FindStringSubmatch(prev); m != nil {
				cur.From = m[1]
			}
		}
		if trimmed != "" {
			prev = trimmed
		}
	}
	return out
}

// Check reports whether the block's lines are a run of consecutive lines
// of src, each compared without its leading and trailing white space.
func (b Block) Check(src []byte) error {
	if b.From == "" {
		return fmt.Errorf("the go block at line %d names no file: put <!-- go: PATH --> on the line before it", b.Line)
	}
	want := trimAll(b.Lines)
	have := trimAll(strings.Split(string(src), "\n"))
	if len(want) == 0 {
		return fmt.Errorf("the go block at line %d is empty", b.Line)
	}
	for i := 0; i+len(want) <= len(have); i++ {
		if equal(have[i:i+len(want)], want) {
			return nil
		}
	}
	return fmt.Errorf("the go block at line %d is not a run of lines of %s: copy it from there again", b.Line, b.From)
}

func trimAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Package doccheck keeps the documentation honest, with two checks its
// tests run over the module.
//
// Scan finds citations of the project's private vendor research notes in
// source and documentation files. Users cannot open those notes, so a
// comment must cite the vendor's public page by URL instead (see
// CONTRIBUTING.md); the test fails on any finding in a tracked .go or .md
// file:
//
//	findings, err := doccheck.Scan(root, files)
//
// GoBlocks and Block.Check keep the README's code real: each ```go block
// names, on the line before it (<!-- go: PATH -->), the file it is copied
// from, and must be a run of that file's lines, so it builds and runs with
// go test.
package doccheck

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Vendors are the names of the private research notes ("<vendor>.md").
var Vendors = []string{"bamboohr", "litmos", "hibob", "learnamp", "talenthr", "talentlms"}

// citation matches a private note's file name: "<vendor>.md" as a word, or
// any "<name>.md §<section>" reference. The pattern is assembled so that
// this file does not match itself.
var citation = regexp.MustCompile(`(?i)\b(?:` + strings.Join(Vendors, "|") + `)\` + `.md\b|\b[a-z]+\` + `.md §`)

// Finding is one private citation: where it is and the line it is on.
type Finding struct {
	File string // slash-separated, relative to the scanned root
	Line int
	Text string // the line, trimmed
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Text) }

// Checked reports whether a file is one the check covers: Go sources and
// Markdown documents.
func Checked(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".go" || ext == ".md"
}

// Scan reads each file (slash-separated, relative to root) and returns
// every line that cites a private note, in file and line order.
func Scan(root string, files []string) ([]Finding, error) {
	var out []Finding
	for _, name := range files {
		found, err := scanFile(root, name)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

func scanFile(root, name string) ([]Finding, error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return nil, fmt.Errorf("doccheck: %w", err)
	}
	defer f.Close()
	var out []Finding
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for n := 1; sc.Scan(); n++ {
		if line := sc.Text(); citation.MatchString(line) {
			out = append(out, Finding{File: name, Line: n, Text: strings.TrimSpace(line)})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("doccheck: %s: %w", name, err)
	}
	return out, nil
}

package secretscan

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// secretName matches the names of constants and variables that hold a
// secret: keys, tokens, secrets, passwords, signatures.
var secretName = regexp.MustCompile(`(?i)(secret|passw|token|signature|key$)`)

// notSecret names the constants whose names match secretName but whose
// values are not secrets, each with why.
var notSecret = map[string]string{
	"msgWeakPassword": "talentlmstest: the text of TalentLMS's weak-password error",
}

// Known returns the secrets the module under root uses in its tests: every
// string constant or variable with a secret's name (see secretName), at
// least MinLen long, declared in a _test.go file or in a fake package (a
// directory named "<something>test", such as bamboohrtest). Each is named
// "dir.Name" after its declaration. A value declared twice is listed once.
func Known(root string) ([]Secret, error) {
	byValue := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		dir := filepath.Base(filepath.Dir(path))
		if !strings.HasSuffix(path, ".go") || (!strings.HasSuffix(path, "_test.go") && !strings.HasSuffix(dir, "test")) {
			return nil
		}
		return collect(path, dir, byValue)
	})
	if err != nil {
		return nil, fmt.Errorf("secretscan: %w", err)
	}
	out := make([]Secret, 0, len(byValue))
	for v, name := range byValue {
		out = append(out, Secret{Name: name, Value: v})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || (out[i].Name == out[j].Name && out[i].Value < out[j].Value)
	})
	return out, nil
}

// collect adds the secret-named string declarations of one file.
func collect(path, dir string, byValue map[string]string) error {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range spec.Names {
			if i >= len(spec.Values) || !secretName.MatchString(id.Name) || notSecret[id.Name] != "" {
				continue
			}
			lit, ok := spec.Values[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil || len(v) < MinLen {
				continue
			}
			if _, dup := byValue[v]; !dup {
				byValue[v] = dir + "." + id.Name
			}
		}
		return true
	})
	return nil
}

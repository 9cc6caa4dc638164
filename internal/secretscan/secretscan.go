// Package secretscan finds known secret values in text: the test suite's
// output, where no API key, token, password, webhook secret or signature
// may appear. It looks for each value as written and in the forms it
// travels in (Base64 at any offset, as in a Basic-auth header; URL
// escaping; hex), and reports where without repeating the value:
//
//	found, err := secretscan.Scan(log, secrets)
//
// Known collects the values to look for from a module's test sources.
package secretscan

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// MinLen is the shortest value looked for: shorter ones would match
// ordinary text.
const MinLen = 8

// Secret is one value that must not appear, and the name it is reported by.
type Secret struct {
	Name  string // where it comes from, e.g. "bamboohrtest.DefaultAPIKey"
	Value string
	// Exact looks for Value only as written and only as a whole token (a
	// run of letters, digits and "+/=_-"), as a signature appears; the
	// forms it travels in are not looked for.
	Exact bool
}

// Finding is one appearance of a secret: the line (from 1), the secret's
// name and the form it appeared in. It never holds the value.
type Finding struct {
	Line int
	Name string
	Form string
}

// String says where the secret was and in which form: "line 12:
// bamboohrtest.DefaultAPIKey (base64)".
func (f Finding) String() string {
	return fmt.Sprintf("line %d: %s (%s)", f.Line, f.Name, f.Form)
}

// form is one way a secret's value can be written.
type form struct {
	secret int    // index into the secrets
	kind   string // "as is", "base64", ...
	text   string
}

// forms lists the ways s travels: as is, URL-escaped, hex, and Base64
// (standard and URL alphabets) at each of the three byte offsets, so that
// it is found inside any Base64 text that encodes it, such as
// base64("apikey:x") in a Basic-auth header. Forms shorter than MinLen
// are left out.
func forms(i int, s string) []form {
	out := []form{{i, "as is", s}}
	add := func(kind, text string) {
		if len(text) < MinLen || slices.ContainsFunc(out, func(f form) bool { return f.text == text }) {
			return
		}
		out = append(out, form{i, kind, text})
	}
	add("query-escaped", url.QueryEscape(s))
	add("path-escaped", url.PathEscape(s))
	add("hex", hex.EncodeToString([]byte(s)))
	for off := range 3 {
		core := base64Core([]byte(s), off)
		add("base64", core)
		add("base64url", strings.NewReplacer("+", "-", "/", "_").Replace(core))
	}
	return out
}

// base64Core returns the part of the standard Base64 encoding of s that is
// the same in every encoding where s starts at a byte offset ≡ off (mod 3):
// the whole 4-character groups made of s's bytes alone.
func base64Core(s []byte, off int) string {
	lead := (3 - off) % 3 // bytes of s in its first, shared group
	if len(s) < lead {
		return ""
	}
	body := s[lead:]
	body = body[:len(body)/3*3]
	return base64.StdEncoding.EncodeToString(body)
}

// Scan reads r line by line and returns every appearance of a secret of
// secrets, in line order. Values shorter than MinLen are an error: they
// cannot be looked for without matching ordinary text.
func Scan(r io.Reader, secrets []Secret) ([]Finding, error) {
	var subs []form
	exact := map[string]int{} // value → index into secrets
	for i, s := range secrets {
		switch {
		case len(s.Value) < MinLen:
			return nil, fmt.Errorf("secretscan: %s is shorter than %d bytes", s.Name, MinLen)
		case s.Exact:
			exact[s.Value] = i
		default:
			subs = append(subs, forms(i, s.Value)...)
		}
	}
	var found []Finding
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		seen := map[string]bool{}
		report := func(i int, kind string) {
			if key := secrets[i].Name + "\x00" + kind; !seen[key] {
				seen[key] = true
				found = append(found, Finding{Line: n, Name: secrets[i].Name, Form: kind})
			}
		}
		for _, f := range subs {
			if strings.Contains(line, f.text) {
				report(f.secret, f.kind)
			}
		}
		if len(exact) > 0 {
			for _, tok := range strings.FieldsFunc(line, notTokenRune) {
				if i, ok := exact[tok]; ok {
					report(i, "as is")
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return found, fmt.Errorf("secretscan: read: %w", err)
	}
	return found, nil
}

// notTokenRune ends a token: anything but letters, digits and the
// characters of hex, Base64 and URL-safe Base64.
func notTokenRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+/=_-", r))
}

// Mask returns line with every form of every secret replaced by
// "[name]", so a finding can be shown in context.
func Mask(line string, secrets []Secret) string {
	var all []form
	for i, s := range secrets {
		if s.Exact {
			all = append(all, form{i, "as is", s.Value})
			continue
		}
		all = append(all, forms(i, s.Value)...)
	}
	sort.SliceStable(all, func(a, b int) bool { return len(all[a].text) > len(all[b].text) })
	for _, f := range all {
		line = strings.ReplaceAll(line, f.text, "["+secrets[f.secret].Name+"]")
	}
	return line
}

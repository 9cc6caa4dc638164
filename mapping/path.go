package mapping

import (
	"errors"
	"strconv"
	"strings"
)

// path is a compiled field path.
//
// Syntax: segments separated by '.' ("work.department"), or by '/' when the
// path starts with '/' ("/work/title", HiBob's response keys,
// https://apidocs.hibob.com/docs/people-read-api-contract).
// A numeric segment indexes a list ("branches.0.name"). A first segment
// "root" names the top level when the record has no "root" key (HiBob's
// "root.email" is the top-level "email",
// https://apidocs.hibob.com/docs/people-read-api-contract).
type path struct {
	raw  string
	segs []string
	idx  []int // list index per segment, -1 when not a number
}

func parsePath(raw string) (path, error) {
	if strings.TrimSpace(raw) == "" {
		return path{}, errors.New("empty path")
	}
	body, sep := raw, "."
	if strings.HasPrefix(raw, "/") {
		body, sep = raw[1:], "/"
	}
	segs := strings.Split(body, sep)
	p := path{raw: raw, segs: segs, idx: make([]int, len(segs))}
	for i, s := range segs {
		if s == "" {
			return path{}, errors.New("empty segment in path " + strconv.Quote(raw))
		}
		p.idx[i] = -1
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			p.idx[i] = n
		}
	}
	return p, nil
}

// get returns the value at p in m, or nil when any step is missing.
func (p *path) get(m map[string]any) any {
	v, _ := p.lookup(m)
	return v
}

// lookup returns the value at p in m and whether m holds it. A key equal
// to the whole path wins ("4340.4", "/work/title"); a value wrapped as
// {"value": v} reads as v (HiBob slash keys on live tenants, not in HiBob's
// public docs; BambooHR webhook fields as https://github.com/botpress/botpress
// unwraps them).
//
// The path is absent when a key on the way is missing, a list index is
// out of range, or a step lands on text, a number or a bool. A null on the
// way (work: null for work.department) is present and nil: the record
// says the value is empty, it does not leave it out.
func (p *path) lookup(m map[string]any) (any, bool) {
	if v, ok := m[p.raw]; ok {
		return unwrap(v), true
	}
	if len(p.segs) == 1 && p.segs[0] == p.raw {
		return nil, false
	}
	var cur any = m
	for i, seg := range p.segs {
		switch c := cur.(type) {
		case nil:
			return nil, true
		case map[string]any:
			v, ok := c[seg]
			if !ok {
				if i == 0 && seg == "root" {
					continue
				}
				return nil, false
			}
			cur = unwrap(v)
		case []any:
			n := p.idx[i]
			if n < 0 || n >= len(c) {
				return nil, false
			}
			cur = unwrap(c[n])
		default:
			return nil, false
		}
	}
	return cur, true
}

func unwrap(v any) any {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if inner, ok := m["value"]; ok {
			return inner
		}
	}
	return v
}

// set writes v at p in out, creating nested objects on the way. Compile
// rejects targets where one is a prefix of another, so every step on the
// way is an object this method created.
func (p *path) set(out map[string]any, v any) {
	cur := out
	last := len(p.segs) - 1
	for _, seg := range p.segs[:last] {
		next, ok := cur[seg].(map[string]any)
		if !ok {
			next = make(map[string]any, 4)
			cur[seg] = next
		}
		cur = next
	}
	cur[p.segs[last]] = v
}

// key is the canonical dotted form, used to compare targets.
func (p *path) key() string { return strings.Join(p.segs, ".") }

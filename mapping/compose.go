package mapping

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Compose returns a map equivalent to applying first, then second to
// first's output, in one pass: Compose(bamboohr-person, person-litmos)
// maps a BambooHR employee straight to a Litmos user through the canonical
// person. Every source path of second must name a target of first or a
// field first declares Absent; anything else fails here, with an error
// naming the rule, the path and the nearest target first does write.
//
// The composed map is data like any other: its Spec holds second's rules
// and, under From, the part of first they read (rules second does not
// read are left out, so SourceFields lists only what is needed). Apply
// reads first's sources, runs first's rule (transforms, default, Required,
// its map's options), then second's rule on the result:
//
//   - A field error names second's target (the final one) and first's
//     source path (the original one), whichever of the two rules failed;
//     a failed first rule fails every second rule that reads it.
//   - A first target first leaves absent (skip_missing, ignore-if-empty,
//     omit_empty, declared Absent) reads as absent in second: second's
//     skip_missing then leaves its target alone, and otherwise reads nil.
//   - A rule of second is create-only when it is, or when everything it
//     reads comes from create-only rules of first. (Applied in two steps,
//     an update would read those as absent; the composed map instead never
//     writes the target on update, as a field fed only at creation should.)
//   - second's constants, several-source rules and options are kept. A
//     rule of second that reads only fields first declares absent, under
//     skip_missing, would never write: it is left out, and its target is
//     declared absent in turn (so Compose(Compose(a, b), c) checks c too).
//
// Compose also takes maps that are themselves composed, on either side.
func Compose(first, second *Map) (*Map, error) {
	if first == nil || second == nil {
		return nil, errors.New("mapping: compose: nil map")
	}
	base := first
	if second.from != nil {
		var err error
		if base, err = Compose(first, second.from); err != nil {
			return nil, err
		}
	}
	spec := second.spec.clone()
	spec.From = nil
	spec.Name = first.spec.Name + "+" + second.spec.Name
	spec.Description = fmt.Sprintf("%s, then %s, in one pass (mapping.Compose).", first.spec.Name, second.spec.Name)
	if second.spec.Description != "" {
		spec.Description += " " + second.spec.Description
	}
	linked, err := compileWith(spec, second.reg, base)
	if err != nil {
		return nil, err
	}
	used := make([]bool, len(base.rules))
	var rules []Rule
	for i := range linked.rules {
		r := &linked.rules[i]
		if neverWrites(r, &spec.Options) {
			spec.Absent = append(spec.Absent, r.target.raw)
			continue
		}
		for _, j := range r.via {
			if j >= 0 {
				used[j] = true
			}
		}
		if r.createOnly {
			spec.Rules[r.index].When = WhenCreate
		}
		rules = append(rules, spec.Rules[r.index])
	}
	spec.Rules = rules
	pruned, err := base.subset(used)
	if err != nil {
		return nil, fmt.Errorf("mapping: compose %q and %q: %w", first.spec.Name, second.spec.Name, err)
	}
	return compileWith(spec, second.reg, pruned)
}

// neverWrites reports whether r reads only fields the map read from
// declares absent, under skip_missing: such a rule writes nothing, ever,
// so Compose declares its target absent instead.
func neverWrites(r *rule, o *Options) bool {
	if r.via == nil || !o.SkipMissing {
		return false
	}
	for _, j := range r.via {
		if j >= 0 {
			return false
		}
	}
	return true
}

// subset compiles the map with only the rules marked in keep (by index in
// m.rules), and its own from map cut down to what those rules read.
func (m *Map) subset(keep []bool) (*Map, error) {
	s := m.spec.clone()
	s.Rules = s.Rules[:0]
	for i := range m.rules {
		if keep[i] {
			s.Rules = append(s.Rules, m.spec.Rules[m.rules[i].index])
		}
	}
	var from *Map
	if m.from != nil {
		used := make([]bool, len(m.from.rules))
		for i := range m.rules {
			if !keep[i] {
				continue
			}
			for _, j := range m.rules[i].via {
				if j >= 0 {
					used[j] = true
				}
			}
		}
		var err error
		if from, err = m.from.subset(used); err != nil {
			return nil, err
		}
	}
	return compileWith(s, m.reg, from)
}

// linkAll links every rule to the from map's rules and derives what the
// link implies: the original source label, secrecy and create-only.
func (m *Map) linkAll() []*RuleError {
	targets := make(map[string]int, len(m.from.rules))
	for i := range m.from.rules {
		targets[m.from.rules[i].target.key()] = i
	}
	absent := make(map[string]bool, len(m.from.spec.Absent))
	for _, a := range m.from.spec.Absent {
		if p, err := parsePath(a); err == nil {
			absent[p.key()] = true
		}
	}
	var probs []*RuleError
	for i := range m.rules {
		probs = append(probs, m.link(&m.rules[i], targets, absent)...)
	}
	return probs
}

func (m *Map) link(r *rule, targets map[string]int, absent map[string]bool) []*RuleError {
	var paths []path
	part := func(int) string { return "source" }
	switch r.kind {
	case fromConstant:
		return nil
	case fromPath:
		paths = []path{r.src}
	case fromPaths:
		paths = r.srcs
		part = func(j int) string { return fmt.Sprintf("sources[%d]", j) }
	}
	var probs []*RuleError
	r.via = make([]int, len(paths))
	labels := make([]string, len(paths))
	produced, allCreate := 0, true
	for j := range paths {
		idx, err := m.resolve(&paths[j], targets, absent)
		if err != nil {
			probs = append(probs, &RuleError{Rule: r.index, Target: r.target.raw, Part: part(j), Err: err})
			continue
		}
		r.via[j] = idx
		if idx < 0 {
			labels[j] = paths[j].raw + " (absent from " + m.from.spec.Name + ")"
			continue
		}
		in := &m.from.rules[idx]
		labels[j] = in.label
		r.secret = r.secret || in.secret
		produced++
		allCreate = allCreate && in.createOnly
	}
	if len(probs) > 0 {
		return probs
	}
	r.label = strings.Join(labels, ", ")
	if produced > 0 && allCreate {
		r.createOnly = true
	}
	if produced == 0 && r.required {
		probs = append(probs, &RuleError{Rule: r.index, Target: r.target.raw, Part: "source",
			Err: fmt.Errorf("required, but %q declares every field it reads absent: it would fail for every record", m.from.spec.Name)})
	}
	return probs
}

// resolve finds the from rule writing p (-1 when from declares p absent).
// A leading "root" segment names the top level, as in lookups.
func (m *Map) resolve(p *path, targets map[string]int, absent map[string]bool) (int, error) {
	k := p.key()
	for {
		if i, ok := targets[k]; ok {
			return i, nil
		}
		if absent[k] {
			return -1, nil
		}
		if rest, ok := strings.CutPrefix(k, "root."); ok && !m.hasTargetUnder("root") {
			k = rest
			continue
		}
		break
	}
	name := m.from.spec.Name
	var parts []string
	for t := range targets {
		if strings.HasPrefix(t, k+".") {
			parts = append(parts, t)
		}
	}
	if len(parts) > 0 {
		sort.Strings(parts)
		return 0, fmt.Errorf("reads %q, which %q writes only in parts (%s): read each part", p.raw, name, strings.Join(parts, ", "))
	}
	for pre := k; strings.Contains(pre, "."); {
		pre = pre[:strings.LastIndexByte(pre, '.')]
		if _, ok := targets[pre]; ok {
			return 0, fmt.Errorf("reads %q, inside %q's target %q: read the target itself", p.raw, name, pre)
		}
	}
	msg := fmt.Sprintf("%q neither writes %q nor declares it absent", name, p.raw)
	if near := nearestKey(k, targets, absent); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return 0, errors.New(msg)
}

func (m *Map) hasTargetUnder(seg string) bool {
	for i := range m.from.rules {
		if m.from.rules[i].target.segs[0] == seg {
			return true
		}
	}
	return false
}

// nearestKey is the written or absent field closest to k, within an edit
// distance of 3.
func nearestKey(k string, targets map[string]int, absent map[string]bool) string {
	best, bestD := "", 4
	try := func(c string) {
		if d := editDistance(k, c); d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	for t := range targets {
		try(t)
	}
	for a := range absent {
		try(a)
	}
	return best
}

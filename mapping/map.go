package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Map is a compiled, immutable field map, safe for concurrent use. Build
// one with Compile, Load or Preset.
type Map struct {
	spec  Spec
	rules []rule
	// reg is the registry the map was compiled with, so Compose can
	// compile a part of it again.
	reg *Registry
	// from is the compiled Spec.From: the map whose output the rules read.
	from *Map
	// states pools the per-Apply state of a map reading from this one
	// (a pointer: Maps are copied by UnmarshalJSON).
	states *sync.Pool
	// createOnly says, by target key, whether the target's rule has When "create".
	createOnly map[string]bool
	// flat is true when every target is a top-level field (FlatTargets).
	flat bool
}

// Load reads a map from JSON and compiles it. Unknown keys are errors (a
// misspelt "transfroms" must not silently drop a chain), and so is
// anything after the JSON value. A rule that does not decode is reported
// with its index and target, like every other load-time problem.
func Load(data []byte, opts ...Option) (*Map, error) {
	s, err := decodeSpec(data)
	if err != nil {
		return nil, err
	}
	return Compile(s, opts...)
}

// decodeSpec reads a Spec strictly, with the map it reads from ("from").
func decodeSpec(data []byte) (Spec, error) {
	var doc struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Options     Options           `json:"options"`
		Rules       []json.RawMessage `json:"rules"`
		Absent      []string          `json:"absent"`
		From        json.RawMessage   `json:"from"`
	}
	if err := decodeStrict(data, &doc); err != nil {
		return Spec{}, fmt.Errorf("mapping: load: %w", err)
	}
	s := Spec{Name: doc.Name, Description: doc.Description, Options: doc.Options, Absent: doc.Absent}
	var probs []*RuleError
	for i, raw := range doc.Rules {
		var r Rule
		if err := decodeStrict(raw, &r); err != nil {
			probs = append(probs, &RuleError{Rule: i, Target: targetOf(raw), Part: "decode", Err: err})
			continue
		}
		s.Rules = append(s.Rules, r)
	}
	if len(doc.From) > 0 && string(doc.From) != "null" {
		from, err := decodeSpec(doc.From)
		if err != nil {
			probs = append(probs, &RuleError{Rule: -1, Part: "from", Err: err})
		} else {
			s.From = &from
		}
	}
	if len(probs) > 0 {
		return Spec{}, &SpecError{Map: s.Name, Problems: probs}
	}
	return s, nil
}

func decodeStrict(data []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// targetOf reads a rule's target leniently, to name a rule that does not
// decode.
func targetOf(raw json.RawMessage) string {
	var r struct {
		Target string `json:"target"`
	}
	_ = json.Unmarshal(raw, &r)
	return r.Target
}

// Spec returns a copy of the map as data.
func (m *Map) Spec() Spec { return m.spec.clone() }

// Name returns the map's name.
func (m *Map) Name() string { return m.spec.Name }

// MarshalJSON writes the map's Spec.
func (m *Map) MarshalJSON() ([]byte, error) { return json.Marshal(m.spec) }

// UnmarshalJSON loads a map with the default registry, so a *Map can sit
// in a user's configuration struct.
func (m *Map) UnmarshalJSON(b []byte) error {
	loaded, err := Load(b)
	if err != nil {
		return err
	}
	*m = *loaded
	return nil
}

// Save writes the map as JSON, one rule a line, with a final newline.
// Load then Save gives the same bytes.
func (m *Map) Save(w io.Writer) error {
	b, err := m.spec.format()
	if err != nil {
		return fmt.Errorf("mapping: save %q: %w", m.spec.Name, err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("mapping: save %q: %w", m.spec.Name, err)
	}
	return nil
}

// format lays the spec out for people: header fields and one rule per
// line, spaces after ':' and ',', the map it reads from nested below.
func (s Spec) format() ([]byte, error) {
	var b bytes.Buffer
	if err := s.formatTo(&b, ""); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// formatTo writes s as an object whose inner lines start with ind plus two
// spaces; the closing brace ends the output.
func (s Spec) formatTo(b *bytes.Buffer, ind string) error {
	in := ind + "  "
	var entries []string
	add := func(key string, v any) error {
		enc, err := marshalSpaced(v)
		if err != nil {
			return err
		}
		entries = append(entries, fmt.Sprintf("%s%q: %s", in, key, enc))
		return nil
	}
	if err := add("name", s.Name); err != nil {
		return err
	}
	if s.Description != "" {
		if err := add("description", s.Description); err != nil {
			return err
		}
	}
	if !s.Options.isZero() {
		if err := add("options", s.Options); err != nil {
			return err
		}
	}
	var rules strings.Builder
	rules.WriteString(in + "\"rules\": [")
	for i, r := range s.Rules {
		enc, err := marshalSpaced(r)
		if err != nil {
			return fmt.Errorf("rule %d: %w", i, err)
		}
		if i > 0 {
			rules.WriteByte(',')
		}
		rules.WriteString("\n" + in + "  ")
		rules.Write(enc)
	}
	if len(s.Rules) > 0 {
		rules.WriteString("\n" + in)
	}
	rules.WriteString("]")
	entries = append(entries, rules.String())
	if len(s.Absent) > 0 {
		if err := add("absent", s.Absent); err != nil {
			return err
		}
	}
	if s.From != nil {
		var from bytes.Buffer
		if err := s.From.formatTo(&from, in); err != nil {
			return fmt.Errorf("from: %w", err)
		}
		entries = append(entries, in+"\"from\": "+from.String())
	}
	b.WriteString("{\n")
	b.WriteString(strings.Join(entries, ",\n"))
	b.WriteString("\n" + ind + "}")
	return nil
}

// marshalSpaced encodes v compactly without HTML escaping, then adds a
// space after each ':' and ',' outside strings.
func marshalSpaced(v any) ([]byte, error) {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	in := bytes.TrimRight(raw.Bytes(), "\n")
	out := make([]byte, 0, len(in)+len(in)/8)
	inString, escaped := false, false
	for _, c := range in {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			out = append(out, ' ')
		}
	}
	return out, nil
}

// CreateOnly reports whether the rule writing target applies only when the
// record is created (When: "create"). Unknown targets report false.
func (m *Map) CreateOnly(target string) bool {
	if c, ok := m.createOnly[target]; ok {
		return c
	}
	if p, err := parsePath(target); err == nil {
		return m.createOnly[p.key()]
	}
	return false
}

// OnlyOnCreate returns a copy of m whose every rule applies only when the
// target record is created (When "create"), compiled with m's registry:
// the map of a side that only adds the records the other lacks and never
// compares them afterwards (TalentLMS → TalentHR in a two-way job).
func (m *Map) OnlyOnCreate() (*Map, error) {
	s := m.spec.clone()
	for i := range s.Rules {
		s.Rules[i].When = WhenCreate
	}
	return compileWith(s, m.reg, m.from)
}

// Targets lists the target fields in rule order.
func (m *Map) Targets() []string {
	out := make([]string, len(m.rules))
	for i, r := range m.rules {
		out[i] = r.target.raw
	}
	return out
}

// SourceFields lists, sorted and without duplicates, the source paths the
// map reads, exactly as its rules write them: what a connector must
// request (BambooHR custom report fields, HiBob search fields). It covers
// every rule that reads a record (single and several sources, reference
// steps included; constants read nothing). A composed map (Compose) lists
// the original source fields, those of the rules it reads through, not
// the intermediate ones.
func (m *Map) SourceFields() []string {
	seen := map[string]bool{}
	for i := range m.rules {
		m.sourcesOf(&m.rules[i], seen)
	}
	return sortedKeys(seen)
}

// SourceFieldsOf lists, sorted, the source paths that feed one target
// (written in either path notation); nil for a target no rule writes or
// a constant.
func (m *Map) SourceFieldsOf(target string) []string {
	p, err := parsePath(target)
	if err != nil {
		return nil
	}
	for i := range m.rules {
		if m.rules[i].target.key() == p.key() {
			seen := map[string]bool{}
			m.sourcesOf(&m.rules[i], seen)
			if len(seen) == 0 {
				return nil
			}
			return sortedKeys(seen)
		}
	}
	return nil
}

// sourcesOf adds the record paths r reads to seen, through the map read
// from when r reads one.
func (m *Map) sourcesOf(r *rule, seen map[string]bool) {
	if r.via != nil {
		for _, i := range r.via {
			if i >= 0 {
				m.from.sourcesOf(&m.from.rules[i], seen)
			}
		}
		return
	}
	switch r.kind {
	case fromPath:
		seen[r.src.raw] = true
	case fromPaths:
		for _, p := range r.srcs {
			seen[p.raw] = true
		}
	}
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// String prints the map as a table, one rule a line:
//
//	0  UserName  ← workEmail | trim | lower | email  required
func (m *Map) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "map %q (%d rules)\n", m.spec.Name, len(m.spec.Rules))
	width := 0
	for _, r := range m.spec.Rules {
		width = max(width, len(r.Target))
	}
	for i, r := range m.spec.Rules {
		// A secret-looking rule's constant, default and step arguments stay
		// out of the text: String is what ends up in logs. Compile keeps
		// every rule of a valid spec, so m.rules[i] is r compiled.
		secret := m.rules[i].secret
		src := ruleSource(r)
		if secret && r.Source == "" && r.Sources == nil {
			src = Redacted
		}
		fmt.Fprintf(&b, "%3d  %-*s ← %s", i, width, r.Target, src)
		for _, st := range r.Transforms {
			b.WriteString(" | ")
			if secret && len(st.Args) > 0 {
				b.WriteString(st.Name + "(" + Redacted + ")")
				continue
			}
			b.WriteString(stepString(st))
		}
		if r.Default != nil {
			def := display(r.Default)
			if secret {
				def = Redacted
			}
			fmt.Fprintf(&b, "  default %s", def)
		}
		if r.Required {
			b.WriteString("  required")
		}
		if m.rules[i].createOnly {
			b.WriteString("  on create")
		}
		b.WriteByte('\n')
	}
	if m.from != nil {
		fmt.Fprintf(&b, "reading the output of ")
		for _, line := range strings.SplitAfter(strings.TrimSuffix(m.from.String(), "\n"), "\n") {
			b.WriteString(line)
			if strings.HasSuffix(line, "\n") {
				b.WriteString("  ")
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func ruleSource(r Rule) string {
	switch {
	case r.Source != "":
		return r.Source
	case r.Sources != nil:
		return "[" + strings.Join(r.Sources, ", ") + "]"
	}
	return display(r.Constant)
}

func stepString(st Step) string {
	if len(st.Args) == 0 {
		return st.Name
	}
	b, err := json.Marshal(st.Args)
	if err != nil {
		return st.Name + "(?)"
	}
	return st.Name + string(b)
}

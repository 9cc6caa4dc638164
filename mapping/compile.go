package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Option configures Compile and Load.
type Option func(*config)

type config struct {
	registry *Registry
}

// WithRegistry compiles against r instead of DefaultRegistry(), so the map
// can use transforms the caller registered.
func WithRegistry(r *Registry) Option {
	return func(c *config) { c.registry = r }
}

// rule is a compiled Rule.
type rule struct {
	index      int
	target     path
	kind       sourceKind
	src        path
	srcs       []path
	constant   any
	steps      []step
	def        any
	hasDef     bool
	required   bool
	createOnly bool
	secret     bool
	slot       int    // chainMemo slot shared with rules of the same chain; -1 none
	chainKey   string // source and steps, to find rules that share a chain
	label      string // source as printed in errors
	// via is set when the map reads from another map (Map.from): per
	// source path, the index of the from rule writing it, or -1 for a
	// field the from map declares Absent.
	via []int
}

type sourceKind uint8

const (
	fromPath sourceKind = iota
	fromPaths
	fromConstant
)

type step struct {
	name string
	t    Transform
}

// Compile validates s and compiles it into a Map. Every problem is
// reported at once in a *SpecError naming the rule index, its target and
// what was wrong. The Map keeps its own copy of s. A Spec with From
// compiles From with the same registry and links every source path to the
// From rule writing it (see Compose).
func Compile(s Spec, opts ...Option) (*Map, error) {
	cfg := config{}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.registry == nil {
		cfg.registry = DefaultRegistry()
	}
	return compileWith(s, cfg.registry, nil)
}

// compileWith compiles s against reg. When from is not nil it is the
// compiled map s reads from, used instead of compiling s.From.
func compileWith(s Spec, reg *Registry, from *Map) (*Map, error) {
	s = s.clone()
	var probs []*RuleError
	if from == nil && s.From != nil {
		f, err := compileWith(*s.From, reg, nil)
		if err != nil {
			probs = append(probs, &RuleError{Rule: -1, Part: "from", Err: err})
		}
		from = f
	}
	if from != nil {
		fs := from.spec.clone()
		s.From = &fs
	}
	m := &Map{spec: s, reg: reg, from: from, states: &sync.Pool{}, createOnly: make(map[string]bool, len(s.Rules))}
	for i := range s.Rules {
		r, ps := compileRule(i, &s.Rules[i], &s.Options, reg)
		probs = append(probs, ps...)
		if len(ps) == 0 {
			m.rules = append(m.rules, r)
		}
	}
	probs = append(probs, checkTargets(s.Rules, s.Absent)...)
	for _, f := range s.Options.SecretFields {
		if strings.TrimSpace(f) == "" {
			probs = append(probs, &RuleError{Rule: -1, Part: "options.secret_fields", Err: errors.New("empty field name")})
		}
	}
	if from != nil {
		probs = append(probs, m.linkAll()...)
	}
	if len(probs) > 0 {
		sort.SliceStable(probs, func(a, b int) bool {
			if probs[a].Rule != probs[b].Rule {
				return probs[a].Rule < probs[b].Rule
			}
			return probs[a].Error() < probs[b].Error()
		})
		return nil, &SpecError{Map: s.Name, Problems: probs}
	}
	shareChains(m.rules)
	m.flat = true
	for _, r := range m.rules {
		m.createOnly[r.target.key()] = r.createOnly
		m.flat = m.flat && len(r.target.segs) == 1
	}
	return m, nil
}

func compileRule(i int, r *Rule, o *Options, reg *Registry) (rule, []*RuleError) {
	var probs []*RuleError
	bad := func(part string, err error) {
		probs = append(probs, &RuleError{Rule: i, Target: r.Target, Part: part, Err: err})
	}
	c := rule{index: i, def: r.Default, hasDef: r.Default != nil, required: r.Required}
	var err error
	if c.target, err = parsePath(r.Target); err != nil {
		bad("target", err)
	}
	compileSource(&c, r, bad)
	switch r.When {
	case "", WhenAlways:
	case WhenCreate:
		c.createOnly = true
	default:
		bad("when", fmt.Errorf("want %q or %q, got %q", WhenAlways, WhenCreate, r.When))
	}
	for j := range r.Transforms {
		st := &r.Transforms[j]
		part := fmt.Sprintf("transforms[%d] %s", j, st.Name)
		if err := normalizeArgs(st); err != nil {
			bad(part, err)
			continue
		}
		t, err := reg.build(*st)
		if err != nil {
			bad(part, err)
			continue
		}
		if st.Name == "ignore-if-empty" && r.Required {
			bad(part, errors.New("ignore-if-empty conflicts with required"))
		}
		c.steps = append(c.steps, step{name: st.Name, t: t})
	}
	c.slot, c.chainKey = -1, chainKey(r)
	names := append([]string{r.Target, r.Source}, r.Sources...)
	c.secret = looksSecret(o.SecretFields, names...)
	return c, probs
}

func compileSource(c *rule, r *Rule, bad func(string, error)) {
	n := 0
	if r.Source != "" {
		n++
	}
	if r.Sources != nil {
		n++
	}
	if r.Constant != nil {
		n++
	}
	switch {
	case n == 0:
		bad("source", errors.New("no source: set source, sources or constant"))
		return
	case n > 1:
		bad("source", errors.New("set only one of source, sources and constant"))
		return
	}
	var err error
	switch {
	case r.Source != "":
		c.kind, c.label = fromPath, r.Source
		if c.src, err = parsePath(r.Source); err != nil {
			bad("source", err)
		}
	case r.Sources != nil:
		c.kind, c.label = fromPaths, strings.Join(r.Sources, ", ")
		if len(r.Sources) == 0 {
			bad("sources", errors.New("empty list"))
		}
		for j, s := range r.Sources {
			p, err := parsePath(s)
			if err != nil {
				bad(fmt.Sprintf("sources[%d]", j), err)
			}
			c.srcs = append(c.srcs, p)
		}
	default:
		c.kind, c.label, c.constant = fromConstant, "constant", r.Constant
	}
}

// normalizeArgs round-trips a step's arguments through JSON, so a map
// built in Go (int arguments) and the same map loaded from JSON (float64)
// have equal Specs, and non-JSON arguments fail at load time.
func normalizeArgs(st *Step) error {
	if len(st.Args) == 0 {
		st.Args = nil
		return nil
	}
	raw, err := json.Marshal(st.Args)
	if err != nil {
		return fmt.Errorf("arguments are not JSON: %w", err)
	}
	var a Args
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("arguments are not JSON: %w", err)
	}
	st.Args = a
	return nil
}

// checkTargets finds duplicate targets and targets nested under another
// target ("work" and "work.site"), counting the Absent fields as targets
// (a field cannot be both written and declared absent).
func checkTargets(rules []Rule, absent []string) []*RuleError {
	var probs []*RuleError
	names := make([]string, 0, len(rules)+len(absent))
	for _, r := range rules {
		names = append(names, r.Target)
	}
	names = append(names, absent...)
	// name returns how a problem names entry i: a rule, or an Absent entry.
	where := func(i int) (rule int, target, part string) {
		if i < len(rules) {
			return i, rules[i].Target, "target"
		}
		return -1, "", fmt.Sprintf("absent[%d] %q", i-len(rules), names[i])
	}
	describe := func(j int) string {
		if j < len(rules) {
			return fmt.Sprintf("rule %d", j)
		}
		return fmt.Sprintf("absent[%d]", j-len(rules))
	}
	seen := make(map[string]int, len(names))
	for i, n := range names {
		p, err := parsePath(n)
		if err != nil {
			if i >= len(rules) {
				r, t, part := where(i)
				probs = append(probs, &RuleError{Rule: r, Target: t, Part: part, Err: err})
			}
			continue
		}
		k := p.key()
		if j, dup := seen[k]; dup {
			r, t, part := where(i)
			what := "duplicate target: " + describe(j) + " writes it too"
			if j >= len(rules) || i >= len(rules) {
				what = "written and declared absent: " + describe(j) + " has it too"
			}
			probs = append(probs, &RuleError{Rule: r, Target: t, Part: part, Err: errors.New(what)})
			continue
		}
		seen[k] = i
	}
	for k, i := range seen {
		for pre := k; ; {
			dot := strings.LastIndexByte(pre, '.')
			if dot < 0 {
				break
			}
			pre = pre[:dot]
			if j, ok := seen[pre]; ok {
				r, t, part := where(i)
				probs = append(probs, &RuleError{Rule: r, Target: t, Part: part,
					Err: fmt.Errorf("nested under %s's target %q", describe(j), names[j])})
			}
		}
	}
	return probs
}

// chainKey identifies a rule's source and transform chain; "" for
// constants, which are not worth sharing.
func chainKey(r *Rule) string {
	if r.Constant != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(r.Source)
	for _, s := range r.Sources {
		b.WriteString("\x00" + s)
	}
	for _, st := range r.Transforms {
		b.WriteString("\x01" + stepString(st))
	}
	return b.String()
}

// shareChains gives rules with the same chain a memo slot, so one Apply
// runs that chain once.
func shareChains(rules []rule) {
	slots := map[string]int{}
	count := map[string]int{}
	for _, r := range rules {
		count[r.chainKey]++
	}
	for i := range rules {
		k := rules[i].chainKey
		if k == "" || count[k] < 2 {
			continue
		}
		s, ok := slots[k]
		if !ok {
			if len(slots) == maxShared {
				continue
			}
			s = len(slots)
			slots[k] = s
		}
		rules[i].slot = s
	}
}

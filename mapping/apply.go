package mapping

import "fmt"

// Mode says which write the output is for.
type Mode uint8

// Modes for ApplyMode.
const (
	// Create applies every rule.
	Create Mode = iota
	// Update skips the rules with When "create".
	Update
)

// Apply maps src with every rule (as for a create). It returns the fields
// that mapped and, when any rule failed, an Errors value holding one
// *FieldError per failed rule; a failure never stops the other rules. A
// target whose rule failed is absent from the fields. Output values may
// share memory with src and with the map's constants: treat them as
// read-only.
func (m *Map) Apply(src map[string]any) (map[string]any, error) {
	return m.ApplyMode(src, Create)
}

// ApplyMode is Apply for the given write; Update leaves out create-only
// rules.
func (m *Map) ApplyMode(src map[string]any, mode Mode) (map[string]any, error) {
	out := make(map[string]any, len(m.rules))
	return out, m.apply(out, values{}, src, mode)
}

// ApplyTo is Apply into dst, which it clears first: a caller mapping many
// records reuses one output map instead of allocating one per record. It
// returns what Apply returns as its error. Everything dst held before is
// gone, nested objects included: copy what must outlive the next call.
// A nil dst is an error.
func (m *Map) ApplyTo(dst, src map[string]any) error {
	return m.ApplyModeTo(dst, src, Create)
}

// ApplyModeTo is ApplyTo for the given write.
func (m *Map) ApplyModeTo(dst, src map[string]any, mode Mode) error {
	if dst == nil {
		return fmt.Errorf("mapping %q: apply: nil destination map", m.spec.Name)
	}
	clear(dst)
	return m.apply(dst, values{}, src, mode)
}

// FlatTargets returns the fields the map writes, in rule order, and true
// when every one is a top-level field; with a nested target (such as
// "custom.size") it returns nil and false, and ApplyValues refuses.
func (m *Map) FlatTargets() ([]string, bool) {
	if !m.flat {
		return nil, false
	}
	out := make([]string, len(m.rules))
	for i := range m.rules {
		out[i] = m.rules[i].target.segs[0]
	}
	return out, true
}

// ApplyValues is ApplyTo without a map, for a map whose targets are all
// top-level fields (FlatTargets): it sets vals[i] to the value of the
// FlatTargets field i and set[i] to whether the map wrote it (false where
// a rule omitted its target or failed). A caller comparing many records
// with what they map to saves a map insert per field. vals and set must
// have one entry per target; they are cleared first. The error is what
// Apply returns, or one naming a nested target or a wrong length.
//
// The sync engine maps records with ApplyTo and ApplyValues only for a
// FieldMap that owns them (OwnsFastPaths).
func (m *Map) ApplyValues(vals []any, set []bool, src map[string]any) error {
	clear(vals)
	clear(set)
	if !m.flat {
		return fmt.Errorf("mapping %q: apply values: the map has nested targets", m.spec.Name)
	}
	if len(vals) != len(m.rules) || len(set) != len(m.rules) {
		return fmt.Errorf("mapping %q: apply values: %d values and %d flags for %d targets", m.spec.Name, len(vals), len(set), len(m.rules))
	}
	return m.apply(nil, values{vals, set}, src, Create)
}

// OwnsFastPaths reports whether fm is m itself. The sync engine calls
// ApplyTo and ApplyValues, which map without building a map, only on a
// FieldMap that owns them: a type embedding *Map gets this method
// promoted, and it answers false for the embedding value, so a type that
// overrides Apply alone is mapped with its Apply, never with the embedded
// Map's ApplyTo or ApplyValues. A type that overrides all three declares
// its own OwnsFastPaths to opt in.
func (m *Map) OwnsFastPaths(fm any) bool {
	p, ok := fm.(*Map)
	return ok && p == m
}

// values is where ApplyValues puts rule i's output.
type values struct {
	vals []any
	set  []bool
}

// apply fills out, which is empty, or, when out is nil, vals; the error
// is nil or an Errors.
func (m *Map) apply(out map[string]any, vals values, src map[string]any, mode Mode) error {
	var errs Errors
	var res result
	var memo chainMemo
	var st *viaState
	if m.from != nil {
		st = newViaState(m.from, src, mode)
		defer st.release()
	}
	for i := range m.rules {
		r := &m.rules[i]
		if r.createOnly && mode == Update {
			continue
		}
		r.run(src, st, &m.spec.Options, &res, &memo)
		if res.err != nil {
			errs = append(errs, m.fieldError(r, &res))
			continue
		}
		switch {
		case res.omitted:
		case out != nil:
			r.target.set(out, res.out)
		default:
			vals.vals[i], vals.set[i] = res.out, true
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// result is one rule's run.
type result struct {
	in        any    // the source value
	out       any    // the value written
	failed    string // the step that failed
	err       error
	omitted   bool
	defaulted bool
	missing   bool // every source path absent from the record, with SkipMissing
	// via is the rule of the map read from (Map.from) that failed, when
	// the failure happened there; it names the original source.
	via *rule
}

// chain reads the source and runs the transforms: res.out is the chain's
// value, res.omitted whether a step asked to omit the target. With
// skipMissing, a source absent from src sets res.missing and runs no step.
// A rule that reads from another map (r.via) reads through st.
func (r *rule) chain(src map[string]any, st *viaState, skipMissing bool, res *result) {
	var in any
	var missing bool
	if r.via != nil {
		var v any
		var failed *viaResult
		v, in, missing, failed = st.read(r)
		if failed != nil {
			*res = result{in: failed.res.in, failed: failed.res.failed, err: failed.res.err, via: failed.rule}
			return
		}
		*res = result{in: in}
		in = v
	} else {
		in, missing = r.read(src)
		*res = result{in: in}
	}
	if skipMissing && missing {
		res.missing = true
		return
	}
	v := in
	for _, s := range r.steps {
		out, err := s.t.Apply(v)
		if err != nil {
			res.failed, res.err = s.name, err
			return
		}
		if _, ok := out.(Omit); ok {
			res.omitted, v = true, nil
			break
		}
		v = out
	}
	res.out = v
}

// read returns the rule's source value and whether every source path is
// absent from src (never for a constant). An absent path reads as nil.
func (r *rule) read(src map[string]any) (v any, missing bool) {
	switch r.kind {
	case fromPath:
		v, ok := r.src.lookup(src)
		return v, !ok
	case fromPaths:
		vals := make([]any, len(r.srcs))
		missing = true
		for i := range r.srcs {
			var ok bool
			vals[i], ok = r.srcs[i].lookup(src)
			missing = missing && !ok
		}
		return vals, missing
	}
	return r.constant, false
}

// maxShared bounds how many chains one Apply remembers for rules that
// read the same source through the same steps (UserName and Email from
// workEmail); the memo lives on the stack.
const maxShared = 4

// chainMemo holds the results of shared chains during one Apply.
type chainMemo [maxShared]struct {
	set bool
	res result
}

// run applies the rule to src, filling res (reused across rules).
func (r *rule) run(src map[string]any, st *viaState, o *Options, res *result, memo *chainMemo) {
	if r.slot >= 0 && memo[r.slot].set {
		*res = memo[r.slot].res
	} else {
		r.chain(src, st, o.SkipMissing, res)
		if r.slot >= 0 {
			memo[r.slot].set, memo[r.slot].res = true, *res
		}
	}
	if res.err != nil {
		return
	}
	if res.missing {
		// Options.SkipMissing: no default, no empty value; the target
		// keeps whatever it holds, unless the rule must have a value.
		res.out, res.omitted = nil, !r.required
		if r.required {
			res.err = ErrRequired
		}
		return
	}
	v := res.out
	empty := IsEmpty(v)
	if empty && r.hasDef {
		v, res.omitted, res.defaulted = r.def, false, true
		empty = IsEmpty(v)
	}
	if empty {
		if r.required {
			res.err = ErrRequired
			return
		}
		res.omitted = res.omitted || o.OmitEmpty
	}
	res.out = v
}

func (m *Map) fieldError(r *rule, res *result) *FieldError {
	label, secret := r.label, r.secret
	if res.via != nil {
		label, secret = res.via.label, secret || res.via.secret
	}
	val := Redacted
	if !secret {
		val = display(res.in)
	}
	return &FieldError{
		Map: m.spec.Name, Rule: r.index, Target: r.target.raw, Source: label,
		Value: val, Step: res.failed, Err: res.err,
	}
}

// Trace is what one rule did, for explanations and tests
// (mappingtest.Explain prints it).
type Trace struct {
	// Rule is the rule's index; Target its target field.
	Rule   int
	Target string
	// Source names where the value came from (path, paths or "constant");
	// for a composed map, the original record's paths.
	Source string
	// In is the source value and Out the value written; both are Redacted
	// text when the field looks secret.
	In, Out any
	// Steps are the transform names in order. For a rule of a composed map
	// that reads one field, they start with the steps of the rule writing
	// that field.
	Steps []string
	// Via names the intermediate fields (the canonical person's, in a
	// composed map) that the rule reads; nil for a map that reads the
	// record itself.
	Via []string
	// Skipped is true for a create-only rule in Update mode.
	Skipped bool
	// Omitted is true when the target was left absent.
	Omitted bool
	// Missing is true when, under Options.SkipMissing, no source path of
	// the rule was in the record: the target is then Omitted, or the rule
	// fails if Required.
	Missing bool
	// Defaulted is true when the rule's default was used.
	Defaulted bool
	// Err is the rule's *FieldError, if it failed.
	Err error
}

// Trace runs the map like ApplyMode and reports, per rule, which source
// value produced which output.
func (m *Map) Trace(src map[string]any, mode Mode) []Trace {
	out := make([]Trace, 0, len(m.rules))
	var st *viaState
	if m.from != nil {
		st = newViaState(m.from, src, mode)
		defer st.release()
	}
	for i := range m.rules {
		r := &m.rules[i]
		t := Trace{Rule: r.index, Target: r.target.raw, Source: r.label, Steps: m.stepNames(r)}
		if r.via != nil {
			t.Via = r.viaNames()
		}
		if r.createOnly && mode == Update {
			t.Skipped = true
			out = append(out, t)
			continue
		}
		var res result
		var memo chainMemo
		r.run(src, st, &m.spec.Options, &res, &memo)
		t.In, t.Out, t.Omitted, t.Defaulted, t.Missing = res.in, res.out, res.omitted, res.defaulted, res.missing
		if r.secret {
			t.In, t.Out = Redacted, Redacted
		}
		if res.err != nil {
			t.Err, t.Out = m.fieldError(r, &res), nil
		}
		out = append(out, t)
	}
	return out
}

// stepNames lists the transforms of r, after those of the one rule it
// reads through when it reads from another map.
func (m *Map) stepNames(r *rule) []string {
	var names []string
	if len(r.via) == 1 && r.via[0] >= 0 {
		in := &m.from.rules[r.via[0]]
		names = m.from.stepNames(in)
	}
	for _, st := range r.steps {
		names = append(names, st.name)
	}
	return names
}

// viaNames are the fields of the map read from that r reads.
func (r *rule) viaNames() []string {
	if r.kind == fromPath {
		return []string{r.src.raw}
	}
	names := make([]string, len(r.srcs))
	for i := range r.srcs {
		names[i] = r.srcs[i].raw
	}
	return names
}

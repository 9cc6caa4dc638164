package mapping

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
	var errs Errors
	var res result
	var memo chainMemo
	for i := range m.rules {
		r := &m.rules[i]
		if r.createOnly && mode == Update {
			continue
		}
		r.run(src, &m.spec.Options, &res, &memo)
		if res.err != nil {
			errs = append(errs, m.fieldError(r, &res))
			continue
		}
		if !res.omitted {
			r.target.set(out, res.out)
		}
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
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
}

// chain reads the source and runs the transforms: res.out is the chain's
// value, res.omitted whether a step asked to omit the target. With
// skipMissing, a source absent from src sets res.missing and runs no step.
func (r *rule) chain(src map[string]any, skipMissing bool, res *result) {
	in, missing := r.read(src)
	*res = result{in: in}
	if skipMissing && missing {
		res.missing = true
		return
	}
	v := res.in
	for _, st := range r.steps {
		out, err := st.t.Apply(v)
		if err != nil {
			res.failed, res.err = st.name, err
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
func (r *rule) run(src map[string]any, o *Options, res *result, memo *chainMemo) {
	if r.slot >= 0 && memo[r.slot].set {
		*res = memo[r.slot].res
	} else {
		r.chain(src, o.SkipMissing, res)
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
	val := Redacted
	if !r.secret {
		val = display(res.in)
	}
	return &FieldError{
		Map: m.spec.Name, Rule: r.index, Target: r.target.raw, Source: r.label,
		Value: val, Step: res.failed, Err: res.err,
	}
}

// Trace is what one rule did, for explanations and tests
// (mappingtest.Explain prints it).
type Trace struct {
	// Rule is the rule's index; Target its target field.
	Rule   int
	Target string
	// Source names where the value came from (path, paths or "constant").
	Source string
	// In is the source value and Out the value written; both are Redacted
	// text when the field looks secret.
	In, Out any
	// Steps are the transform names in order.
	Steps []string
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
	for i := range m.rules {
		r := &m.rules[i]
		t := Trace{Rule: r.index, Target: r.target.raw, Source: r.label}
		for _, st := range r.steps {
			t.Steps = append(t.Steps, st.name)
		}
		if r.createOnly && mode == Update {
			t.Skipped = true
			out = append(out, t)
			continue
		}
		var res result
		var memo chainMemo
		r.run(src, &m.spec.Options, &res, &memo)
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

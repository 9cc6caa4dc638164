package mapping

// viaState evaluates the rules of a map read from (Map.from) for one
// record, each at most once, on demand: the rules of the reading map ask
// for the fields they read.
type viaState struct {
	m    *Map
	src  map[string]any
	mode Mode
	memo chainMemo
	next *viaState // for m.from, when m itself reads from a map
	done []viaResult
}

// viaResult is one from rule's outcome, as the reading map sees it.
type viaResult struct {
	state viaOutcome
	val   any    // the value written, when state is viaValue
	res   result // the run, for the original source value and failures
	rule  *rule  // the rule whose failure this is (the deepest one)
}

type viaOutcome uint8

const (
	viaPending viaOutcome = iota
	viaValue              // the target was written (possibly nil)
	viaAbsent             // the target was left out of the output
	viaFailed             // the rule failed; res holds the failure
)

// newViaState takes a state for reading from m out of m's pool; give it
// back with release once the reading map's Apply is done.
func newViaState(m *Map, src map[string]any, mode Mode) *viaState {
	st, _ := m.states.Get().(*viaState)
	if st == nil {
		st = &viaState{m: m, done: make([]viaResult, len(m.rules))}
	}
	st.src, st.mode = src, mode
	if m.from != nil {
		st.next = newViaState(m.from, src, mode)
	}
	return st
}

// release clears st (so the pool holds no record values) and pools it.
func (st *viaState) release() {
	if st.next != nil {
		st.next.release()
	}
	clear(st.done)
	st.src, st.next, st.memo = nil, nil, chainMemo{}
	st.m.states.Put(st)
}

// get runs from rule i once and says what its target holds.
func (st *viaState) get(i int) *viaResult {
	e := &st.done[i]
	if e.state != viaPending {
		return e
	}
	r := &st.m.rules[i]
	if r.createOnly && st.mode == Update {
		e.state = viaAbsent
		return e
	}
	r.run(st.src, st.next, &st.m.spec.Options, &e.res, &st.memo)
	switch {
	case e.res.err != nil:
		e.state, e.rule = viaFailed, r
		if e.res.via != nil {
			e.rule = e.res.via
		}
	case e.res.omitted:
		e.state = viaAbsent
	default:
		// A reader of the output would see {"value": v} as v (path.lookup).
		e.state, e.val = viaValue, unwrap(e.res.out)
	}
	return e
}

// read gives rule r of the reading map its source value (a list for
// several sources), the original source values behind it for messages,
// whether every field it reads is absent, or the failure of a rule it
// reads.
func (st *viaState) read(r *rule) (v, orig any, missing bool, failed *viaResult) {
	if r.kind == fromPath {
		return st.input(r.via[0])
	}
	vals := make([]any, len(r.via))
	origs := make([]any, len(r.via))
	missing = true
	for j, i := range r.via {
		vj, oj, mj, f := st.input(i)
		if f != nil {
			return nil, nil, false, f
		}
		vals[j], origs[j], missing = vj, oj, missing && mj
	}
	return vals, origs, missing, nil
}

// input is read for one field: from rule i, or -1 for a field declared
// absent.
func (st *viaState) input(i int) (v, orig any, missing bool, failed *viaResult) {
	if i < 0 {
		return nil, nil, true, nil
	}
	e := st.get(i)
	switch e.state {
	case viaFailed:
		return nil, nil, false, e
	case viaAbsent:
		return nil, e.res.in, true, nil
	}
	return e.val, e.res.in, false, nil
}

package syncengine

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// The parts of pairState beyond links, cursors and runs: due times,
// pending event work and cached lookups. Both stores keep them the same way.

type dueKey struct {
	c    Collection
	side Side
	id   string
	kind string
}

func keyOfDue(d Due) dueKey { return dueKey{d.Collection, d.Side, d.ID, d.Kind} }

type pendingKey struct {
	c    Collection
	side Side
	id   string
}

func keyOfPending(p Pending) pendingKey { return pendingKey{p.Collection, p.Side, p.ID} }

// checkUTF8 refuses strings that are not UTF-8: JSON and PostgreSQL text
// cannot hold them as they are, and a store must not change what it keeps.
func checkUTF8(what string, ss ...string) error {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%s %q is not valid UTF-8", what, s)
		}
	}
	return nil
}

func checkCursor(name, value string) error {
	if name == "" {
		return errors.New("empty cursor name")
	}
	return checkUTF8("cursor", name, value)
}

func checkLookupKey(key string) error {
	if key == "" {
		return errors.New("empty lookup key")
	}
	return checkUTF8("lookup key", key)
}

func checkDue(d Due) error {
	if err := checkUTF8("due time", string(d.Collection), d.ID, d.Kind); err != nil {
		return err
	}
	switch {
	case d.Collection == "" || d.ID == "" || d.Kind == "":
		return fmt.Errorf("due %+v needs a collection, an id and a kind", d)
	case d.Side != SideA && d.Side != SideB:
		return fmt.Errorf("due %+v: side %q is not %q or %q", d, d.Side, SideA, SideB)
	case d.At.IsZero():
		return fmt.Errorf("due %+v has no time", d)
	}
	return nil
}

func checkPending(p Pending) error {
	if err := checkUTF8("pending entry", string(p.Collection), p.ID); err != nil {
		return err
	}
	switch {
	case p.Collection == "" || p.ID == "":
		return errors.New("pending entry needs a collection and an id")
	case p.Side != SideA && p.Side != SideB:
		return fmt.Errorf("pending %s %q: side %q is not %q or %q", p.Collection, p.ID, p.Side, SideA, SideB)
	}
	return nil
}

func (p *pairState) putDue(d Due) {
	if p.dues == nil {
		p.dues = map[dueKey]Due{}
	}
	d.At = d.At.UTC()
	p.dues[keyOfDue(d)] = d
}

func (p *pairState) deleteDue(d Due) { delete(p.dues, keyOfDue(d)) }

func (p *pairState) dueList() []Due {
	out := make([]Due, 0, len(p.dues))
	for _, d := range p.dues {
		out = append(out, d)
	}
	slices.SortFunc(out, compareDues)
	return out
}

// compareDues orders due times by At, then by what they are about, so
// that equal times come in one order in every store.
func compareDues(a, b Due) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Collection, b.Collection), cmp.Compare(a.Side, b.Side),
		cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind))
}

func checkPendings(ps []Pending) error {
	for _, e := range ps {
		if err := checkPending(e); err != nil {
			return err
		}
	}
	return nil
}

// stampPending returns ps as AddPending records them, leaving p as it
// is: consecutive Seqs after the pair's last one; a zero At becomes now;
// a record already pending (or named earlier in ps) keeps its first At.
func (p *pairState) stampPending(ps []Pending, now time.Time) []Pending {
	out := make([]Pending, len(ps))
	first := map[pendingKey]time.Time{}
	for i, e := range ps {
		e.Seq = p.pendSeq + uint64(i) + 1
		if e.At.IsZero() {
			e.At = now
		}
		e.At = e.At.UTC()
		k := keyOfPending(e)
		if old, ok := p.pending[k]; ok {
			e.At = old.At
		} else if at, ok := first[k]; ok {
			e.At = at
		} else {
			first[k] = e.At
		}
		out[i] = e
	}
	return out
}

// putPending replays a journalled entry as it was recorded.
func (p *pairState) putPending(e Pending) {
	if p.pending == nil {
		p.pending = map[pendingKey]Pending{}
	}
	p.pending[keyOfPending(e)] = e
	p.pendSeq = max(p.pendSeq, e.Seq)
}

// donable returns the entries of ps that DonePending would remove.
func (p *pairState) donable(ps []Pending) []Pending {
	var out []Pending
	for _, e := range ps {
		if cur, ok := p.pending[keyOfPending(e)]; ok && cur.Seq <= e.Seq {
			out = append(out, Pending{Collection: e.Collection, Side: e.Side, ID: e.ID, Seq: e.Seq})
		}
	}
	return out
}

func (p *pairState) donePending(ps []Pending) {
	for _, e := range ps {
		k := keyOfPending(e)
		if cur, ok := p.pending[k]; ok && cur.Seq <= e.Seq {
			delete(p.pending, k)
		}
	}
}

func (p *pairState) pendingList() []Pending {
	out := make([]Pending, 0, len(p.pending))
	for _, e := range p.pending {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Pending) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

func (p *pairState) putLookup(key string, l Lookup) {
	if p.lookups == nil {
		p.lookups = map[string]Lookup{}
	}
	l.Value = slices.Clone(l.Value)
	l.At = l.At.UTC()
	p.lookups[key] = l
}

func (p *pairState) lookup(key string) (Lookup, bool) {
	l, ok := p.lookups[key]
	l.Value = slices.Clone(l.Value)
	return l, ok
}

package syncengine

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
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

func checkDue(d Due) error {
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
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return fmt.Sprint(keyOfDue(a)) < fmt.Sprint(keyOfDue(b))
	})
	return out
}

// addPending records ps with consecutive Seqs after the pair's last one;
// a record already pending keeps its first At and takes the new Seq.
func (p *pairState) addPending(ps []Pending, now time.Time) []Pending {
	if p.pending == nil {
		p.pending = map[pendingKey]Pending{}
	}
	out := make([]Pending, 0, len(ps))
	for _, e := range ps {
		p.pendSeq++
		e.Seq = p.pendSeq
		if e.At.IsZero() {
			e.At = now
		}
		e.At = e.At.UTC()
		if old, ok := p.pending[keyOfPending(e)]; ok {
			e.At = old.At
		}
		p.pending[keyOfPending(e)] = e
		out = append(out, e)
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

package bamboohrlitmos

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"sync"

	"github.com/rostersync/rostersync/syncengine"
)

// person is what a report shows of one record: its name and username.
type person struct {
	name, username string
}

// people remembers the names of the records the engine read, per side, so
// that reports can name employees without extra API calls.
type people struct {
	mu   sync.Mutex
	byID [2]map[string]person // [0] BambooHR employee id, [1] Litmos user id
}

func newPeople() *people {
	return &people{byID: [2]map[string]person{{}, {}}}
}

func sideIdx(s syncengine.Side) int {
	if s == syncengine.SideA {
		return 0
	}
	return 1
}

func (p *people) note(side syncengine.Side, rec syncengine.Record) {
	if rec.ID == "" {
		return
	}
	var who person
	if side == syncengine.SideA {
		who = person{name: fullName(rec.Fields["firstName"], rec.Fields["lastName"]),
			username: strings.ToLower(strings.TrimSpace(text(rec.Fields["workEmail"])))}
	} else {
		who = person{name: fullName(rec.Fields["FirstName"], rec.Fields["LastName"]),
			username: text(rec.Fields["UserName"])}
	}
	p.mu.Lock()
	p.byID[sideIdx(side)][rec.ID] = who
	p.mu.Unlock()
}

func (p *people) get(side syncengine.Side, id string) person {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byID[sideIdx(side)][id]
}

func fullName(first, last any) string {
	return strings.TrimSpace(text(first) + " " + text(last))
}

func text(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// recorder passes a connector through, noting the names of the records it
// reads and creates. It forwards the optional interfaces (Finder,
// RefWriter, ChangeLister); the wrapped connector's Capabilities still say
// which of them the engine may use.
type recorder struct {
	syncengine.Connector
	side   syncengine.Side
	people *people
}

var (
	_ syncengine.Finder       = (*recorder)(nil)
	_ syncengine.RefWriter    = (*recorder)(nil)
	_ syncengine.ChangeLister = (*recorder)(nil)
)

func (r *recorder) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		for rec, err := range r.Connector.List(ctx, c) {
			if err == nil {
				r.people.note(r.side, rec)
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

func (r *recorder) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	rec, err := r.Connector.Get(ctx, c, id)
	if err == nil {
		r.people.note(r.side, rec)
	}
	return rec, err
}

func (r *recorder) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	id, err := r.Connector.Create(ctx, c, rec)
	if err == nil {
		rec.ID = id
		r.people.note(r.side, rec)
	}
	return id, err
}

func (r *recorder) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	f, ok := r.Connector.(syncengine.Finder)
	if !ok {
		return nil, fmt.Errorf("%s: find: %w", r.Name(), syncengine.ErrUnsupported)
	}
	recs, err := f.Find(ctx, c, field, value)
	for _, rec := range recs {
		r.people.note(r.side, rec)
	}
	return recs, err
}

func (r *recorder) WriteRefs(ctx context.Context, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	w, ok := r.Connector.(syncengine.RefWriter)
	if !ok {
		return fmt.Errorf("%s: write refs: %w", r.Name(), syncengine.ErrUnsupported)
	}
	return w.WriteRefs(ctx, c, id, refs)
}

func (r *recorder) Changes(ctx context.Context, c syncengine.Collection, cursor string) ([]string, string, error) {
	l, ok := r.Connector.(syncengine.ChangeLister)
	if !ok {
		return nil, cursor, fmt.Errorf("%s: list changes: %w", r.Name(), syncengine.ErrUnsupported)
	}
	return l.Changes(ctx, c, cursor)
}

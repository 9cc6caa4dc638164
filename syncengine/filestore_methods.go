package syncengine

import (
	"context"
	"fmt"
)

// Links implements Store.
func (s *FileStore) Links(ctx context.Context, pair string, c Collection) ([]Link, error) {
	var out []Link
	err := s.use(ctx, "links", pair, func(p *filePair) error {
		out = p.state.linkList(c)
		return nil
	})
	return out, err
}

// PutLink implements Store.
func (s *FileStore) PutLink(ctx context.Context, pair string, l Link) error {
	if err := CheckLink(l); err != nil {
		return fmt.Errorf("syncengine: file store: put link: %w", err)
	}
	l = cloneLink(l)
	return s.use(ctx, "put link", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutLink, Link: &l})
	})
}

// DeleteLink implements Store.
func (s *FileStore) DeleteLink(ctx context.Context, pair string, c Collection, aID string) error {
	return s.use(ctx, "delete link", pair, func(p *filePair) error {
		if _, ok := p.state.links[c][aID]; !ok {
			return nil
		}
		return p.write(journalEntry{Op: opDeleteLink, Collection: c, AID: aID})
	})
}

// Cursor implements Store.
func (s *FileStore) Cursor(ctx context.Context, pair, name string) (string, error) {
	var v string
	err := s.use(ctx, "cursor", pair, func(p *filePair) error {
		v = p.state.cursors[name]
		return nil
	})
	return v, err
}

// PutCursor implements Store.
func (s *FileStore) PutCursor(ctx context.Context, pair, name, value string) error {
	if err := checkCursor(name, value); err != nil {
		return fmt.Errorf("syncengine: file store: put cursor: %w", err)
	}
	return s.use(ctx, "put cursor", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutCursor, Name: name, Value: &value})
	})
}

// AddRun implements Store. Only the last runs are kept; see
// FileStoreKeepRuns.
func (s *FileStore) AddRun(ctx context.Context, pair string, r RunRecord) error {
	r = cloneRun(r)
	return s.use(ctx, "add run", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opAddRun, Run: &r})
	})
}

// Runs implements Store.
func (s *FileStore) Runs(ctx context.Context, pair string) ([]RunRecord, error) {
	var out []RunRecord
	err := s.use(ctx, "runs", pair, func(p *filePair) error {
		out = p.state.runList()
		return nil
	})
	return out, err
}

// PutDue implements Store.
func (s *FileStore) PutDue(ctx context.Context, pair string, d Due) error {
	if err := checkDue(d); err != nil {
		return fmt.Errorf("syncengine: file store: put due: %w", err)
	}
	d.At = d.At.UTC()
	return s.use(ctx, "put due", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutDue, Due: &d})
	})
}

// DeleteDue implements Store.
func (s *FileStore) DeleteDue(ctx context.Context, pair string, d Due) error {
	return s.use(ctx, "delete due", pair, func(p *filePair) error {
		if _, ok := p.state.dues[keyOfDue(d)]; !ok {
			return nil
		}
		return p.write(journalEntry{Op: opDeleteDue, Due: &d})
	})
}

// Dues implements Store.
func (s *FileStore) Dues(ctx context.Context, pair string) ([]Due, error) {
	var out []Due
	err := s.use(ctx, "dues", pair, func(p *filePair) error {
		out = p.state.dueList()
		return nil
	})
	return out, err
}

// AddPending implements Store: the entries are in the journal, fsync'd,
// when it returns.
func (s *FileStore) AddPending(ctx context.Context, pair string, ps []Pending) error {
	if err := checkPendings(ps); err != nil {
		return fmt.Errorf("syncengine: file store: add pending: %w", err)
	}
	return s.use(ctx, "add pending", pair, func(p *filePair) error {
		if len(ps) == 0 {
			return nil
		}
		// Stamped on a copy, so a failed append changes nothing.
		return p.write(journalEntry{Op: opAddPending, Pending: p.state.stampPending(ps, s.cfg.now())})
	})
}

// Pending implements Store.
func (s *FileStore) Pending(ctx context.Context, pair string) ([]Pending, error) {
	var out []Pending
	err := s.use(ctx, "pending", pair, func(p *filePair) error {
		out = p.state.pendingList()
		return nil
	})
	return out, err
}

// DonePending implements Store.
func (s *FileStore) DonePending(ctx context.Context, pair string, ps []Pending) error {
	return s.use(ctx, "done pending", pair, func(p *filePair) error {
		done := p.state.donable(ps)
		if len(done) == 0 {
			return nil
		}
		return p.write(journalEntry{Op: opDonePending, Pending: done})
	})
}

// Lookup implements Store.
func (s *FileStore) Lookup(ctx context.Context, pair, key string) (Lookup, bool, error) {
	var l Lookup
	var ok bool
	err := s.use(ctx, "lookup", pair, func(p *filePair) error {
		l, ok = p.state.lookup(key)
		return nil
	})
	return l, ok, err
}

// PutLookup implements Store.
func (s *FileStore) PutLookup(ctx context.Context, pair, key string, l Lookup) error {
	if err := checkLookupKey(key); err != nil {
		return fmt.Errorf("syncengine: file store: put lookup: %w", err)
	}
	l.At = l.At.UTC()
	return s.use(ctx, "put lookup", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutLookup, Key: key, Lookup: &l})
	})
}

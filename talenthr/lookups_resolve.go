package talenthr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// LookupError says a lookup name could not be turned into an id: no entry
// has that name (and creating it was not allowed, or is not possible for
// the kind), or several have. It matches ErrInvalid: the record that
// needed it cannot be written as it is.
type LookupError struct {
	Kind LookupKind
	Name string
	// IDs are the entries with the name when it is ambiguous; empty when
	// there is none.
	IDs []string
}

// Error names the kind and the name, and what can be done about it.
func (e *LookupError) Error() string {
	switch {
	case len(e.IDs) > 1:
		return fmt.Sprintf("talenthr: %s %q is ambiguous: ids %s have that name", e.Kind, e.Name, strings.Join(e.IDs, ", "))
	case e.Kind.Creatable():
		return fmt.Sprintf("talenthr: %s %q does not exist (ResolveOptions.CreateMissing allows creating it)", e.Kind, e.Name)
	}
	return fmt.Sprintf("talenthr: %s %q does not exist, and TalentHR has no call that creates one", e.Kind, e.Name)
}

// Unwrap makes the error match ErrInvalid.
func (e *LookupError) Unwrap() error { return ErrInvalid }

// Lookups turns lookup names into ids for one company, reading each list
// once (one request per kind, on first use) and keeping it. Names match
// ignoring case and repeated spaces. It is safe for concurrent use.
type Lookups struct {
	c     *Client
	mu    sync.Mutex
	lists map[LookupKind]*lookupList
}

type lookupList struct {
	byName map[string][]Lookup // by foldName
}

// NewLookups returns an empty cache of c's lookup lists.
func (c *Client) NewLookups() *Lookups {
	return &Lookups{c: c, lists: map[LookupKind]*lookupList{}}
}

// foldName is the form names are matched in.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Forget drops the cached list of kind, so the next use reads it again.
func (l *Lookups) Forget(kind LookupKind) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.lists, kind)
}

// list returns the cached list of kind, reading it first if needed. The
// caller holds l.mu.
func (l *Lookups) list(ctx context.Context, kind LookupKind) (*lookupList, error) {
	if ll, ok := l.lists[kind]; ok {
		return ll, nil
	}
	items, err := l.c.ListLookups(ctx, kind)
	if err != nil {
		return nil, err
	}
	ll := &lookupList{byName: make(map[string][]Lookup, len(items))}
	for _, it := range items {
		ll.add(it)
	}
	l.lists[kind] = ll
	return ll, nil
}

func (ll *lookupList) add(it Lookup) {
	k := foldName(it.Name)
	ll.byName[k] = append(ll.byName[k], it)
	if it.Code != "" && foldName(it.Code) != k {
		ll.byName[foldName(it.Code)] = append(ll.byName[foldName(it.Code)], it)
	}
}

// find returns the one entry named name, or a *LookupError.
func (ll *lookupList) find(kind LookupKind, name string) (Lookup, error) {
	switch found := ll.byName[foldName(name)]; len(found) {
	case 0:
		return Lookup{}, &LookupError{Kind: kind, Name: name}
	case 1:
		return found[0], nil
	default:
		ids := make([]string, len(found))
		for i, f := range found {
			ids[i] = f.ID
		}
		return Lookup{}, &LookupError{Kind: kind, Name: name, IDs: ids}
	}
}

// Find returns the entry of kind named name (for languages: the name or
// the code), or a *LookupError.
func (l *Lookups) Find(ctx context.Context, kind LookupKind, name string) (Lookup, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ll, err := l.list(ctx, kind)
	if err != nil {
		return Lookup{}, err
	}
	return ll.find(kind, name)
}

// Ensure returns the entry of kind named name, creating it when it does
// not exist and create is true and the kind can be created; created says
// whether it did. A create whose outcome is unknown is checked by reading
// the list again before it is reported.
func (l *Lookups) Ensure(ctx context.Context, kind LookupKind, name string, create bool) (entry Lookup, created bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ll, err := l.list(ctx, kind)
	if err != nil {
		return Lookup{}, false, err
	}
	found, err := ll.find(kind, name)
	var le *LookupError
	if err == nil || !errors.As(err, &le) || len(le.IDs) > 0 || !create || !kind.Creatable() {
		return found, false, err
	}
	made, err := l.c.CreateLookup(ctx, kind, CreateLookupParams{Name: name})
	if errors.Is(err, ErrOutcomeUnknown) {
		delete(l.lists, kind)
		if again, lerr := l.list(ctx, kind); lerr == nil {
			if found, ferr := again.find(kind, name); ferr == nil {
				return found, true, nil
			}
		}
	}
	if err != nil {
		return Lookup{}, false, err
	}
	ll.add(made)
	return made, true, nil
}

// Placement names where a hire goes, by the names HR people use.
// EmploymentStatus is required ("Full-Time"); the others may be empty.
type Placement struct {
	EmploymentStatus string
	JobTitle         string
	Department       string
	Division         string
	Location         string
}

// PlacementIDs are a Placement's ids, as HireParams takes them.
type PlacementIDs struct {
	EmploymentStatusID string
	JobRecord          *JobRecord // nil when the placement names none of them
}

// ResolveOptions says what ResolvePlacement may do about a missing name.
type ResolveOptions struct {
	// CreateMissing creates a department, division, job title or location
	// that does not exist yet. Off (the default), a missing name is a
	// *LookupError naming it and nothing is written. Employment statuses
	// cannot be created through the API either way.
	CreateMissing bool
}

// ResolvePlacement turns the names of p into ids, reading each list once.
// The first name that cannot be resolved stops it with a *LookupError.
func (l *Lookups) ResolvePlacement(ctx context.Context, p Placement, opts ResolveOptions) (PlacementIDs, error) {
	if strings.TrimSpace(p.EmploymentStatus) == "" {
		return PlacementIDs{}, errors.New("talenthr: resolve placement: employment status is required")
	}
	status, _, err := l.Ensure(ctx, EmploymentStatuses, p.EmploymentStatus, false)
	if err != nil {
		return PlacementIDs{}, err
	}
	ids := PlacementIDs{EmploymentStatusID: status.ID}
	var jr JobRecord
	for _, f := range []struct {
		kind LookupKind
		name string
		id   *string
	}{
		{JobTitles, p.JobTitle, &jr.JobTitleID}, {Departments, p.Department, &jr.DepartmentID},
		{Divisions, p.Division, &jr.DivisionID}, {Locations, p.Location, &jr.LocationID},
	} {
		if strings.TrimSpace(f.name) == "" {
			continue
		}
		e, _, err := l.Ensure(ctx, f.kind, f.name, opts.CreateMissing)
		if err != nil {
			return PlacementIDs{}, err
		}
		*f.id = e.ID
	}
	if jr != (JobRecord{}) {
		ids.JobRecord = &jr
	}
	return ids, nil
}

// LanguageIDs turns language names or codes ("Greek", "el") into the ids
// UpdateEmployeeParams.HRLanguages takes.
func (l *Lookups) LanguageIDs(ctx context.Context, names ...string) ([]string, error) {
	ids := make([]string, 0, len(names))
	for _, n := range names {
		e, err := l.Find(ctx, Languages, n)
		if err != nil {
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

package syncenginetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rostersync/rostersync/syncengine"
)

// Errors the in-memory connector returns (wrapped) besides the syncengine ones.
var (
	// ErrInjected is the default error of a FailError fault: the service
	// failed and applied nothing, so it matches syncengine.ErrUnavailable
	// (a retryable error) with errors.Is.
	ErrInjected error = kindError{"syncenginetest: injected fault", syncengine.ErrUnavailable}
	// ErrDuplicate: a create or update would break a WithUnique constraint,
	// as a real service answers 409 to a duplicate username; it matches
	// syncengine.ErrConflict with errors.Is.
	ErrDuplicate error = kindError{"syncenginetest: duplicate value", syncengine.ErrConflict}
	// ErrBadRef: a reference points at a record that does not exist.
	ErrBadRef = errors.New("syncenginetest: reference to unknown record")
	// ErrBadCursor: Changes got a cursor it never issued.
	ErrBadCursor = errors.New("syncenginetest: invalid cursor")
)

// AllCapabilities is what the in-memory connector can do with each collection
// it serves unless WithCapabilities masks it.
const AllCapabilities = syncengine.CanList | syncengine.CanGet | syncengine.CanCreate |
	syncengine.CanUpdate | syncengine.CanSetActive | syncengine.CanListChanges |
	syncengine.CanFind | syncengine.CanWriteRefs

// EveryCapability adds the calls that save calls: RecordWriter's one write
// per record, creates that carry their references, and bulk creates. Give
// it with WithCapabilities to test a connector that has them.
const EveryCapability = AllCapabilities | syncengine.CanWriteRecord | syncengine.CanCreateRefs | syncengine.CanCreateBulk

// Connector is an in-memory syncengine.Connector. It also implements
// syncengine.ChangeLister, Finder, ManyFinder, RefWriter, Describer,
// RecordWriter and BulkCreator (the last two used only with
// EveryCapability, ManyFinder only with syncengine.CanFindMany). It is safe for concurrent use.
//
// Scope: List, Get and Find see only records the scope filter accepts (Get
// of an out-of-scope record wraps syncengine.ErrNotFound, as if the system
// hid it); Changes reports every changed id so a record leaving the scope is
// noticed; Records and Record see everything.
type Connector struct {
	name     string
	idPrefix string

	mu      sync.Mutex
	caps    map[syncengine.Collection]syncengine.Capability
	scope   func(syncengine.Collection, syncengine.Record) bool
	fold    map[string]bool
	unique  map[syncengine.Collection][]string
	roles   map[syncengine.Collection][]string
	data    map[syncengine.Collection]map[string]syncengine.Record
	nextID  int
	seq     int64
	changes []change
	faults  faultState
}

type change struct {
	seq        int64
	collection syncengine.Collection
	id         string
}

// Option configures a Connector.
type Option func(*Connector)

// WithCapabilities sets exactly what the connector can do with c; zero
// means c is not served. Operations outside the mask return errors wrapping
// syncengine.ErrUnsupported.
func WithCapabilities(c syncengine.Collection, caps syncengine.Capability) Option {
	return func(k *Connector) { k.caps[c] = caps }
}

// WithScope sets the scope filter: records it rejects are hidden from
// List, Get and Find. It runs with the connector's lock held and must not
// call the connector.
func WithScope(in func(c syncengine.Collection, r syncengine.Record) bool) Option {
	return func(k *Connector) { k.scope = in }
}

// WithFindFold makes Find (and WithUnique) compare the named fields
// case-insensitively after trimming spaces, as services do with emails.
func WithFindFold(fields ...string) Option {
	return func(k *Connector) {
		for _, f := range fields {
			k.fold[f] = true
		}
	}
}

// WithUnique makes Create and Update refuse (ErrDuplicate) a value of field
// already held by another record of c. Put does not check, so tests can seed
// duplicates on purpose.
func WithUnique(c syncengine.Collection, field string) Option {
	return func(k *Connector) { k.unique[c] = append(k.unique[c], field) }
}

// WithRefRoles makes the connector take only these reference roles on
// records of c (syncengine.RefRoler): the engine then passes a source
// record's other roles by. Without it, RefRoles returns nil: every role.
func WithRefRoles(c syncengine.Collection, roles ...string) Option {
	return func(k *Connector) {
		if k.roles == nil {
			k.roles = map[syncengine.Collection][]string{}
		}
		k.roles[c] = append([]string{}, roles...)
	}
}

// RefRoles implements syncengine.RefRoler with the roles WithRefRoles set.
func (k *Connector) RefRoles(c syncengine.Collection) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.roles[c]
}

// WithIDPrefix sets the prefix of ids Create and Put assign (default name+"-").
func WithIDPrefix(prefix string) Option {
	return func(k *Connector) { k.idPrefix = prefix }
}

// kindError is an error with its own text that matches one engine sentinel.
type kindError struct {
	msg  string
	kind error
}

func (e kindError) Error() string        { return e.msg }
func (e kindError) Is(target error) bool { return target == e.kind }

// NewConnector returns an empty connector named name serving users, teams,
// courses and enrollments with AllCapabilities.
func NewConnector(name string, opts ...Option) *Connector {
	k := &Connector{
		name:     name,
		idPrefix: name + "-",
		caps: map[syncengine.Collection]syncengine.Capability{
			syncengine.Users: AllCapabilities, syncengine.Teams: AllCapabilities, syncengine.Courses: AllCapabilities,
			syncengine.Enrollments: AllCapabilities,
		},
		fold:   map[string]bool{},
		unique: map[syncengine.Collection][]string{},
		data:   map[syncengine.Collection]map[string]syncengine.Record{},
	}
	for _, o := range opts {
		o(k)
	}
	return k
}

// Name implements syncengine.Connector.
func (k *Connector) Name() string { return k.name }

// Capabilities implements syncengine.Connector.
func (k *Connector) Capabilities(c syncengine.Collection) syncengine.Capability {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.caps[c]
}

// SetCapabilities changes the capability mask of c at run time.
func (k *Connector) SetCapabilities(c syncengine.Collection, caps syncengine.Capability) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.caps[c] = caps
}

// SetScope changes the scope filter at run time (nil: everything in scope).
// It records no change in the change log.
func (k *Connector) SetScope(in func(c syncengine.Collection, r syncengine.Record) bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.scope = in
}

// List implements syncengine.Connector. It yields a snapshot taken at the
// first step, in id order; a cancelled context ends it with ctx.Err().
func (k *Connector) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		var snap []syncengine.Record
		err := k.do(ctx, Call{Op: OpList, Collection: c}, func(*Call) error {
			snap = k.inScope(c)
			return nil
		})
		if err != nil {
			yield(syncengine.Record{}, err)
			return
		}
		for _, r := range snap {
			if err := ctx.Err(); err != nil {
				yield(syncengine.Record{}, k.errorf(OpList, c, "", err))
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Get implements syncengine.Connector.
func (k *Connector) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	var out syncengine.Record
	err := k.do(ctx, Call{Op: OpGet, Collection: c, ID: id}, func(*Call) error {
		r, ok := k.data[c][id]
		if !ok || !k.accepts(c, r) {
			return k.errorf(OpGet, c, id, syncengine.ErrNotFound)
		}
		out = cloneRecord(r)
		return nil
	})
	return out, err
}

// Create implements syncengine.Connector. The record keeps rec's fields,
// active flag and refs; refs must point at existing records.
func (k *Connector) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	rec = cloneRecord(rec)
	var id string
	err := k.do(ctx, Call{Op: OpCreate, Collection: c, Fields: cloneFields(rec.Fields), Refs: cloneRefs(rec.Refs)}, func(call *Call) error {
		if !k.caps[c].Has(syncengine.CanCreateRefs) && c != syncengine.Enrollments {
			rec.Refs = nil // without CanCreateRefs a create sets no references, as most APIs
		}
		if err := k.checkUnique(OpCreate, c, "", rec.Fields); err != nil {
			return err
		}
		if err := k.checkRefs(OpCreate, c, "", rec.Refs); err != nil {
			return err
		}
		id = k.newID()
		rec.ID = id
		call.ID = id
		k.store(c, rec)
		return nil
	})
	return id, err
}

// Update implements syncengine.Connector. A nil value removes the field.
func (k *Connector) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	changed = cloneFields(changed)
	return k.do(ctx, Call{Op: OpUpdate, Collection: c, ID: id, Fields: cloneFields(changed)}, func(*Call) error {
		r, err := k.existing(OpUpdate, c, id)
		if err != nil {
			return err
		}
		if err := k.checkUnique(OpUpdate, c, id, changed); err != nil {
			return err
		}
		if r.Fields == nil {
			r.Fields = map[string]any{}
		}
		mergeFields(r.Fields, changed)
		k.store(c, r)
		return nil
	})
}

// mergeFields applies changed to fields as the engine's contract says: a
// nil value clears a field, a nested map merges its leaves into the
// field's map.
func mergeFields(fields, changed map[string]any) {
	for f, v := range changed {
		switch v := v.(type) {
		case nil:
			delete(fields, f)
		case map[string]any:
			inner, ok := fields[f].(map[string]any)
			if !ok {
				inner = map[string]any{}
			} else {
				inner = maps.Clone(inner)
			}
			mergeFields(inner, v)
			fields[f] = inner
		default:
			fields[f] = v
		}
	}
}

// SetActive implements syncengine.Connector.
func (k *Connector) SetActive(ctx context.Context, c syncengine.Collection, id string, active bool) error {
	return k.do(ctx, Call{Op: OpSetActive, Collection: c, ID: id, Active: &active}, func(*Call) error {
		r, err := k.existing(OpSetActive, c, id)
		if err != nil {
			return err
		}
		if r.Active != active {
			r.Active = active
			k.store(c, r)
		}
		return nil
	})
}

// Changes implements syncengine.ChangeLister. Cursors are opaque strings;
// ids come once each, in the order they last changed.
func (k *Connector) Changes(ctx context.Context, c syncengine.Collection, cursor string) ([]string, string, error) {
	var ids []string
	var next string
	err := k.do(ctx, Call{Op: OpChanges, Collection: c}, func(*Call) error {
		next = strconv.FormatInt(k.seq, 10)
		if cursor == "" {
			return nil
		}
		from, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || from < 0 || from > k.seq {
			return k.errorf(OpChanges, c, "", fmt.Errorf("%w %q", ErrBadCursor, cursor))
		}
		ids = k.changedSince(c, from)
		return nil
	})
	return ids, next, err
}

// Find implements syncengine.Finder: in-scope records of c whose field
// equals value (folded for WithFindFold fields), in id order.
func (k *Connector) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	var out []syncengine.Record
	err := k.do(ctx, Call{Op: OpFind, Collection: c, Fields: map[string]any{field: value}}, func(*Call) error {
		for _, r := range k.inScope(c) {
			if v, ok := r.Fields[field]; ok && k.equal(field, v, value) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// FindMany implements syncengine.ManyFinder, for a collection given
// syncengine.CanFindMany with WithCapabilities: in-scope records of c whose
// field equals any of values (as Find compares), in id order, in one call.
func (k *Connector) FindMany(ctx context.Context, c syncengine.Collection, field string, values []any) ([]syncengine.Record, error) {
	var out []syncengine.Record
	vals := append([]any(nil), values...)
	err := k.do(ctx, Call{Op: OpFindMany, Collection: c, Fields: map[string]any{field: vals}}, func(*Call) error {
		for _, r := range k.inScope(c) {
			v, ok := r.Fields[field]
			if ok && slices.ContainsFunc(vals, func(want any) bool { return k.equal(field, v, want) }) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// WriteRefs implements syncengine.RefWriter: each role in refs replaces
// that role's refs (an empty list clears it); other roles are kept.
func (k *Connector) WriteRefs(ctx context.Context, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	refs = cloneRefs(refs)
	return k.do(ctx, Call{Op: OpWriteRefs, Collection: c, ID: id, Refs: cloneRefs(refs)}, func(*Call) error {
		r, err := k.existing(OpWriteRefs, c, id)
		if err != nil {
			return err
		}
		if err := k.checkRefs(OpWriteRefs, c, id, refs); err != nil {
			return err
		}
		if r.Refs == nil {
			r.Refs = map[string][]syncengine.Ref{}
		}
		for role, rs := range refs {
			if len(rs) == 0 {
				delete(r.Refs, role)
				continue
			}
			r.Refs[role] = rs
		}
		k.store(c, r)
		return nil
	})
}

// The helpers below run with k.mu held.

func (k *Connector) errorf(op Op, c syncengine.Collection, id string, err error) error {
	if id != "" {
		return fmt.Errorf("syncenginetest: %s: %s %s %q: %w", k.name, op, c, id, err)
	}
	return fmt.Errorf("syncenginetest: %s: %s %s: %w", k.name, op, c, err)
}

func (k *Connector) newID() string {
	for {
		k.nextID++
		id := k.idPrefix + strconv.Itoa(k.nextID)
		if !k.exists(id) {
			return id
		}
	}
}

func (k *Connector) exists(id string) bool {
	for _, m := range k.data {
		if _, ok := m[id]; ok {
			return true
		}
	}
	return false
}

func (k *Connector) store(c syncengine.Collection, r syncengine.Record) {
	if k.data[c] == nil {
		k.data[c] = map[string]syncengine.Record{}
	}
	k.data[c][r.ID] = r
	k.seq++
	k.changes = append(k.changes, change{seq: k.seq, collection: c, id: r.ID})
}

func (k *Connector) existing(op Op, c syncengine.Collection, id string) (syncengine.Record, error) {
	r, ok := k.data[c][id]
	if !ok {
		return r, k.errorf(op, c, id, syncengine.ErrNotFound)
	}
	return cloneRecord(r), nil
}

func (k *Connector) accepts(c syncengine.Collection, r syncengine.Record) bool {
	return k.scope == nil || k.scope(c, cloneRecord(r))
}

func (k *Connector) inScope(c syncengine.Collection) []syncengine.Record {
	out := make([]syncengine.Record, 0, len(k.data[c]))
	for _, r := range k.data[c] {
		if k.accepts(c, r) {
			out = append(out, cloneRecord(r))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (k *Connector) changedSince(c syncengine.Collection, from int64) []string {
	i := sort.Search(len(k.changes), func(i int) bool { return k.changes[i].seq > from })
	last := map[string]int64{}
	for _, ch := range k.changes[i:] {
		if ch.collection == c {
			last[ch.id] = ch.seq
		}
	}
	ids := make([]string, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return last[ids[i]] < last[ids[j]] })
	return ids
}

func (k *Connector) equal(field string, a, b any) bool {
	sa, oka := a.(string)
	sb, okb := b.(string)
	if oka && okb {
		if k.fold[field] {
			return strings.EqualFold(strings.TrimSpace(sa), strings.TrimSpace(sb))
		}
		return sa == sb
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func (k *Connector) checkUnique(op Op, c syncengine.Collection, self string, fields map[string]any) error {
	for _, f := range k.unique[c] {
		v, ok := fields[f]
		if !ok || v == nil {
			continue
		}
		for id, r := range k.data[c] {
			if old, ok := r.Fields[f]; ok && id != self && k.equal(f, old, v) {
				return k.errorf(op, c, self, fmt.Errorf("%w: %s %v is held by %q", ErrDuplicate, f, v, id))
			}
		}
	}
	return nil
}

func (k *Connector) checkRefs(op Op, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	for role, rs := range refs {
		for _, ref := range rs {
			if _, ok := k.data[ref.Collection][ref.ID]; !ok {
				return k.errorf(op, c, id, fmt.Errorf("%w: %s -> %s %q", ErrBadRef, role, ref.Collection, ref.ID))
			}
		}
	}
	return nil
}

// Describe implements syncengine.Describer: a record's "name" field, else
// its "first_name" and "last_name", else its "title", else its "course".
func (k *Connector) Describe(_ syncengine.Collection, r syncengine.Record) syncengine.Label {
	text := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	if n := text("name"); n != "" {
		return syncengine.Label{Name: n}
	}
	if n := strings.TrimSpace(text("first_name") + " " + text("last_name")); n != "" {
		return syncengine.Label{Name: n}
	}
	if n := text("title"); n != "" {
		return syncengine.Label{Name: n}
	}
	return syncengine.Label{Name: text("course")}
}

// Write implements syncengine.RecordWriter: fields (nested maps merged),
// active flag and references in one call.
func (k *Connector) Write(ctx context.Context, c syncengine.Collection, w syncengine.Write) error {
	fields, refs := cloneFields(w.Fields), cloneRefs(w.Refs)
	call := Call{Op: OpWrite, Collection: c, ID: w.ID, Fields: cloneFields(fields), Active: w.Active, Refs: cloneRefs(refs), Base: w.Base != nil}
	return k.do(ctx, call, func(*Call) error {
		r, err := k.existing(OpWrite, c, w.ID)
		if err != nil {
			return err
		}
		if err := k.checkUnique(OpWrite, c, w.ID, fields); err != nil {
			return err
		}
		if err := k.checkRefs(OpWrite, c, w.ID, refs); err != nil {
			return err
		}
		if r.Fields == nil {
			r.Fields = map[string]any{}
		}
		mergeFields(r.Fields, fields)
		if w.Active != nil {
			r.Active = *w.Active
		}
		for role, rs := range refs {
			if r.Refs == nil {
				r.Refs = map[string][]syncengine.Ref{}
			}
			if len(rs) == 0 {
				delete(r.Refs, role)
				continue
			}
			r.Refs[role] = rs
		}
		k.store(c, r)
		return nil
	})
}

// CreateBulk implements syncengine.BulkCreator: one call that creates each
// record as Create would, with a result per record (a duplicate fails that
// record alone).
func (k *Connector) CreateBulk(ctx context.Context, c syncengine.Collection, recs []syncengine.Record) ([]syncengine.BulkResult, error) {
	out := make([]syncengine.BulkResult, len(recs))
	err := k.do(ctx, Call{Op: OpBulkCreate, Collection: c, Records: len(recs)}, func(call *Call) error {
		for i, rec := range recs {
			rec = cloneRecord(rec)
			if err := k.checkUnique(OpCreate, c, "", rec.Fields); err != nil {
				out[i].Err = err
				continue
			}
			if err := k.checkRefs(OpCreate, c, "", rec.Refs); err != nil {
				out[i].Err = err
				continue
			}
			rec.ID = k.newID()
			k.store(c, rec)
			out[i].ID = rec.ID
			call.Created = append(call.Created, rec.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

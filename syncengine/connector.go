package syncengine

import (
	"context"
	"iter"
)

// Collection names a kind of record a connector serves.
type Collection string

// The collections the engine knows, synced in this dependency order:
// teams, users, references, enrollments.
const (
	Teams       Collection = "teams"
	Users       Collection = "users"
	Enrollments Collection = "enrollments"
)

// Ref points at another record by its id in the same system as the record
// that holds it. The engine translates refs across systems through the link
// table.
type Ref struct {
	Collection Collection `json:"collection"`
	ID         string     `json:"id"`
}

// Record is one user, team or enrollment as its own system sees it.
//
// Fields are keyed by the system's own field names. Values are strings,
// bools, numbers, time.Time, nil, or nested map[string]any / []any for
// sources with nested data; the engine compares them through Canonical.
type Record struct {
	// ID is the record's id in its own system; empty for a record not yet created.
	ID string `json:"id"`
	// Fields holds the record's data by native field name.
	Fields map[string]any `json:"fields,omitempty"`
	// Active is false for deactivated, terminated or suspended records.
	Active bool `json:"active"`
	// Refs holds typed references by role ("manager", "teams", "user", "course").
	Refs map[string][]Ref `json:"refs,omitempty"`
}

// Capability is one thing a connector can do with a collection.
type Capability uint

// Capabilities a connector may declare per collection.
const (
	CanList Capability = 1 << iota
	CanGet
	CanCreate
	CanUpdate
	CanSetActive
	CanListChanges // the connector implements ChangeLister for this collection
	CanFind        // the connector implements Finder for this collection
	CanWriteRefs   // the connector implements RefWriter for this collection
)

// Has reports whether all of want are in c.
func (c Capability) Has(want Capability) bool { return c&want == want }

// Connector adapts one system to the engine. Every method takes the
// collection it works on; a connector that does not serve a collection, or
// cannot do an operation on it, says so through Capabilities and the engine
// plans around it (a create it cannot do is a skip with a reason, never an
// apply-time failure).
type Connector interface {
	// Name identifies the system in plans and reports ("bamboohr", "litmos").
	Name() string
	// Capabilities lists what the connector can do with c; zero means c is not served.
	Capabilities(c Collection) Capability
	// List yields the scoped snapshot of c. Records out of the connector's
	// scope are not yielded. An error ends the iteration.
	List(ctx context.Context, c Collection) iter.Seq2[Record, error]
	// Get reads one record; it returns an error wrapping ErrNotFound when absent.
	Get(ctx context.Context, c Collection, id string) (Record, error)
	// Create creates rec (its ID is ignored) and returns the new id. When the
	// create may or may not have happened it returns an error wrapping
	// ErrOutcomeUnknown.
	Create(ctx context.Context, c Collection, rec Record) (id string, err error)
	// Update writes only the changed fields of the record id; fields not
	// in changed are left as they are. A nil value clears the field (the
	// engine sends nil when the source field was emptied); a field the
	// system requires may be refused with an error, never kept silently.
	Update(ctx context.Context, c Collection, id string, changed map[string]any) error
	// SetActive deactivates or reactivates the record id.
	SetActive(ctx context.Context, c Collection, id string, active bool) error
}

// ChangeLister is implemented by connectors that can list what changed
// since a cursor (incremental reads). An empty cursor means "from now":
// the connector returns no ids and a cursor for the next call.
type ChangeLister interface {
	Changes(ctx context.Context, c Collection, cursor string) (ids []string, next string, err error)
}

// Finder is implemented by connectors that can look records up by a field
// value (used to resolve creates whose outcome is unknown, before any retry).
type Finder interface {
	Find(ctx context.Context, c Collection, field string, value any) ([]Record, error)
}

// RefWriter is implemented by connectors that write references (a manager,
// team memberships) in the engine's second pass, once the records they
// point to exist. refs holds ids in this connector's own system.
type RefWriter interface {
	WriteRefs(ctx context.Context, c Collection, id string, refs map[string][]Ref) error
}

// FieldMap turns a record's fields from one system into the fields of the
// other. mapping.Map satisfies it. On failure it returns the fields it could
// map and an error whose Unwrap() []error yields one error per failed field.
//
// Apply returns every target, those written only on create included. A
// FieldMap that has such targets also implements CreateOnlyMap (mapping.Map
// does, for rules with "when": "create"): the engine writes them when it
// creates the target record and never compares or writes them afterwards.
type FieldMap interface {
	Apply(src map[string]any) (map[string]any, error)
}

// CreateOnlyMap is implemented by a FieldMap some of whose targets apply
// only when the target record is created (Entra's "apply only during object
// creation"), such as an access level set once and then managed by the
// target's admins. The engine includes those targets in creates and leaves
// them out of update diffs and of two-way synced values, so a later change
// made in the target system stays.
type CreateOnlyMap interface {
	CreateOnly(target string) bool
}

// FieldTargetError is implemented by a FieldMap's per-field error that
// names the target field it failed to map (*mapping.FieldError does). When
// the engine plans an update of a linked or matched record, it ignores such
// errors whose target is create-only (CreateOnlyMap), since an update never
// writes that target; a create still fails on them.
type FieldTargetError interface {
	error
	FieldTarget() string
}

// FieldSourceError is implemented by a FieldTargetError that also names
// where the failed value came from (a source path, paths joined by ", ",
// or "constant"); the engine copies it into FieldFailure.Source.
type FieldSourceError interface {
	FieldTargetError
	FieldSource() string
}

// FieldFailure is one target field a FieldMap failed to map, as its
// FieldTargetError says: Change.Failures and Outcome.Failures list them, so
// a report can name the fields without parsing error text.
type FieldFailure struct {
	Target string `json:"target"`
	// Source is set when the error implements FieldSourceError.
	Source string `json:"source,omitempty"`
}

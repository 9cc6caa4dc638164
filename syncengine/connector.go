package syncengine

import (
	"context"
	"iter"
)

// Collection names a kind of record a connector serves.
type Collection string

// The collections every connector names the same way, synced in this
// dependency order: teams, courses, users, references, enrollments.
//
// References (Record.Refs) have shared role names too:
//
//	manager  a user's manager (Users → Users)
//	teams    the teams a user belongs to (Users → Teams): the one direction
//	         memberships are written in; a team record never lists members
//	parent   a team's parent team (Teams → Teams)
//	user     an enrollment's user (Enrollments → Users)
//	course   an enrollment's course (Enrollments → Courses)
const (
	Teams       Collection = "teams"
	Courses     Collection = "courses"
	Users       Collection = "users"
	Enrollments Collection = "enrollments"
)

// Reference roles shared by every connector; see the collections.
const (
	RoleManager = "manager"
	RoleTeams   = "teams"
	RoleParent  = "parent"
	RoleUser    = "user"
	RoleCourse  = "course"
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
	// CanWriteRecord: the connector implements RecordWriter for this
	// collection, writing fields, active flag and references in one call.
	CanWriteRecord
	// CanCreateRefs: Create sets the references given in Record.Refs (ids
	// in this connector's system) for every role its RefWriter or
	// RecordWriter writes, so a create needs no second call.
	CanCreateRefs
	// CanCreateBulk: the connector implements BulkCreator for this collection.
	CanCreateBulk
	// CanFindMany: the connector implements ManyFinder for this collection.
	CanFindMany
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
	// scope are not yielded. An error ends the iteration, except one
	// wrapping ErrIncomplete that comes with a record: that record was
	// read in part, and the listing goes on.
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

// ListCursorer is implemented by ChangeListers that find changes by
// comparing snapshots (TalentHR's directory): the cursor "as of" their
// last complete List of c is known without another call. A full sync
// then takes its cursor from the listing it made, instead of calling
// Changes before it, which would read the whole system twice. ok is false
// when no complete List of c was made since the connector was created
// (or since the last call); the engine then calls Changes as usual.
type ListCursorer interface {
	ListCursor(c Collection) (cursor string, ok bool)
}

// Finder is implemented by connectors that can look records up by a field
// value (used to resolve creates whose outcome is unknown, before any retry).
type Finder interface {
	Find(ctx context.Context, c Collection, field string, value any) ([]Record, error)
}

// ManyFinder is implemented by Finders whose look-up reads the whole
// collection whatever it looks for (TalentHR has no email filter, so a
// look-up is a directory read): FindMany answers many values with that
// one read. The engine then gathers the look-ups of a level of creates
// whose outcome was unknown (or that were refused as duplicates) and makes
// them in one call after the level, instead of one read per create; a
// connector without Finder gets the same, through one List.
type ManyFinder interface {
	// FindMany returns the records of c whose field holds any of values,
	// compared as Find compares one; no match is an empty result.
	FindMany(ctx context.Context, c Collection, field string, values []any) ([]Record, error)
}

// RefRoler is implemented by connectors that say which reference roles
// their records of c take ("manager", "teams"). A source record's own
// references flow to a target only in the roles it takes: a HiBob
// employee's "teams" does not reach a Litmos user that keeps only a
// manager. References a field map makes are written whatever the role.
// Without RefRoler, every role flows.
type RefRoler interface {
	RefRoles(c Collection) []string
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

// Optional interfaces. A connector implements those it can; the engine
// finds them with a type assertion and, where a Capability bit goes with
// one, uses it only for the collections whose Capabilities say so. New
// capabilities arrive only this way, so a connector written against an
// older engine keeps working. syncenginetest.RunConnectorTests checks each.

// Label is how plans and reports name a record to people.
type Label struct {
	// Name is the record's display name: "Ana Ng", "Engineering".
	Name string `json:"name,omitempty"`
}

// Describer names records for plans and reports, so that a report row says
// "Ana Ng" and not only "1042". The engine calls it on every record it
// reads; it must be cheap and make no call.
type Describer interface {
	Describe(c Collection, r Record) Label
}

// Scoper says which of a connector's records flow out to the other side
// (an HR system's "Litmos Access" checkbox). The engine applies it to
// every record it reads from this connector as a source — List, Get and
// Find alike — so a webhook-driven run can never create what a full run
// would not, whether or not the caller also set Rules.Scope.
type Scoper interface {
	InScope(c Collection, r Record) bool
}

// Write is one record's changes, for RecordWriter.
type Write struct {
	// ID is the record's id.
	ID string
	// Base is the record as the engine read it, while planning or checking
	// a stale plan (nil when that read is older than Config.FreshFor). A
	// connector that must send whole objects merges the changes into Base,
	// or into its own copy of that read, instead of reading the record
	// again; with no Base it reads.
	Base *Record
	// Fields holds only the changed fields; a nil value clears one. A
	// nested map holds only its changed leaves: merge it into the record's.
	Fields map[string]any
	// Active is the new active flag, nil when it does not change.
	Active *bool
	// Refs holds the references to set, by role, as ids in this
	// connector's system; a role absent from Refs is left as it is, and an
	// empty list clears it.
	Refs map[string][]Ref
}

// RecordWriter writes all of one record's changes — fields, active flag and
// references — in one call where the system allows it (a full-object PUT),
// instead of the engine's Update, SetActive and WriteRefs calls one after
// the other.
type RecordWriter interface {
	Write(ctx context.Context, c Collection, w Write) error
}

// BulkResult is the outcome of one record of a bulk create: its new id, or
// the error that record got. An error wrapping ErrOutcomeUnknown says the
// bulk job may or may not have created it: the engine looks it up by its
// match keys before creating it again.
type BulkResult struct {
	ID  string
	Err error
}

// BulkCreator creates many records in a few calls (Litmos's /bulkimports).
// The engine uses it when a run creates at least Config.BulkMin records of
// a collection, in reference order batches, and commits each record's link
// as its result arrives. It returns one result per record, in order; a
// result wrapping ErrUnsupported (a record the bulk call cannot carry) is
// created alone. An error for the whole call that wraps ErrOutcomeUnknown
// (or a deadline) makes the engine look every record up before creating
// any again; any other (the job was refused, nothing was made) makes it
// create the records one at a time.
type BulkCreator interface {
	CreateBulk(ctx context.Context, c Collection, recs []Record) ([]BulkResult, error)
}

// FieldReader is implemented by sources that read only the fields they are
// asked for (a BambooHR custom report names its columns). New calls it
// once per collection with every source field the pair's maps and match
// keys read; the connector reads them from then on. A field the system
// cannot provide is reported by the connector's next List or Get with an
// error that names it, never by silently yielding nothing.
type FieldReader interface {
	ReadFields(c Collection, fields []string) error
}

// Cache holds per-company values a connector would otherwise fetch on
// every run (a vendor's field list). The engine's cache keeps them in the
// Store for Config.CacheFor.
type Cache interface {
	// Get returns the value stored under key, if it is still fresh.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Put stores value under key.
	Put(ctx context.Context, key string, value []byte) error
}

// CacheUser is implemented by connectors that keep lookups between runs;
// New hands each one a Cache scoped to the pair and the connector.
type CacheUser interface {
	UseCache(Cache)
}

// FieldInfo is one field of a system's schema.
type FieldInfo struct {
	Name string `json:"name"`
	// Type is the field's kind in words both sides use: "text", "date",
	// "number", "bool", "list" (a dropdown). Connectors map their own.
	Type string `json:"type"`
}

// Schemer is implemented by connectors whose fields differ per account
// (TalentLMS custom fields per portal, TalentHR custom fields): the engine
// asks at plan time, so a field a Rules.SameSchema names flows only when
// both sides have it under the same name and type.
type Schemer interface {
	Schema(ctx context.Context, c Collection) ([]FieldInfo, error)
}

package syncengine

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Side names one of the two connectors of a pair.
type Side string

// The two sides of a pair: A is Config.A, B is Config.B.
const (
	SideA Side = "a"
	SideB Side = "b"
)

func (s Side) other() Side {
	if s == SideA {
		return SideB
	}
	return SideA
}

// Direction says which way records flow between A and B.
type Direction string

// Directions.
const (
	AToB   Direction = "a->b"
	BToA   Direction = "b->a"
	TwoWay Direction = "two-way"
)

// ConflictPolicy settles a field changed on both sides of a two-way pair
// since the last sync. Every conflict is reported, however it is settled.
type ConflictPolicy string

// Conflict policies.
const (
	// ReportConflict writes neither value and reports the conflict (default).
	ReportConflict ConflictPolicy = "report"
	// AWins writes A's value to B.
	AWins ConflictPolicy = "a-wins"
	// BWins writes B's value to A.
	BWins ConflictPolicy = "b-wins"
)

// OutOfScopePolicy says what happens to a linked target record whose source
// record no longer appears in the source's scoped snapshot.
type OutOfScopePolicy string

// Out-of-scope policies.
const (
	// IgnoreOutOfScope leaves the target alone and reports a skip (default).
	IgnoreOutOfScope OutOfScopePolicy = "ignore"
	// DeactivateOutOfScope deactivates the target (the direction's rules must
	// allow deactivation).
	DeactivateOutOfScope OutOfScopePolicy = "deactivate"
)

// MatchKey is one way to pair a source record with an existing target
// record that has no link yet.
type MatchKey struct {
	// Field is the target-side field name. The source value is the source
	// record mapped through the direction's FieldMap, so the key may be an
	// expression of source fields.
	Field string `json:"field"`
	// Fold compares case-insensitively after trimming spaces (emails).
	Fold bool `json:"fold,omitempty"`
	// Refs, instead of Field, matches by references: a source record and a
	// target record match when their refs of these roles point at linked
	// records (an enrollment is its user and its course). The source's
	// refs are translated through the link table first.
	Refs []string `json:"refs,omitempty"`
}

// name is how a plan names the key.
func (k MatchKey) name() string {
	if len(k.Refs) > 0 {
		return strings.Join(k.Refs, "+")
	}
	return k.Field
}

// Rules say what one direction of a pair may do to the target side.
// The zero value allows nothing.
type Rules struct {
	// Map turns source fields into target fields; nil copies fields as they are.
	Map FieldMap
	// Fields, when set, limits the target fields that flow.
	Fields []string
	// Match lists the match keys in precedence order: the first key that
	// finds exactly one target decides; more than one is a conflict.
	Match []MatchKey
	// KeyField names the mapped field shown as a record's key in plans and
	// reports (an email, when the first match key is an id the other column
	// already shows); default the first match key's value.
	KeyField string
	// Scope, when set, further limits the source records that flow; records
	// it rejects are treated as out of scope.
	Scope func(Record) bool
	// Create, Update, Deactivate and Reactivate allow those writes on the target.
	Create, Update, Deactivate, Reactivate bool
	// Refs allows writing references (manager, teams) on the target: with
	// the create or write when the connector takes them there
	// (CanCreateRefs, CanWriteRecord), else in a second pass. A target
	// account that is and stays inactive keeps its references as they are
	// (systems drop leavers from their teams); a source record's own
	// references flow only in roles the target takes (RefRoler).
	Refs bool
	// KeepUnmanagedRefs keeps, in each reference role written to the
	// target, the target's references to records this run does not
	// manage: those no in-scope source record of this run is paired with
	// (a platform's own groups, the groups of teams not synced this time).
	// The target's connector can then report and take every reference it
	// has, and need not merge the foreign ones back in itself.
	KeepUnmanagedRefs bool
	// LeaveField names a source field holding a leave date (a time.Time or
	// a "2006-01-02" / RFC 3339 text). From that date on (00:00 UTC) the
	// record counts as inactive; before it, the record stays active and
	// falls due: the engine keeps the date in the Store, shows it in the
	// plan ("deactivates on 2027-01-31"), and the first run at or after it
	// (a full run, SyncDue, or a Queue) deactivates the target. For targets
	// with no leave date of their own, such as Learn Amp.
	LeaveField string
	// LeaveIsLastDay says the leave date is the person's last working day
	// (HiBob's termination date): they count as inactive from the next day.
	LeaveIsLastDay bool
	// StartField names a source field holding a start date. With
	// HoldUntilStart, a record whose start date is still to come is not
	// created until that date: it falls due then and the first run at or
	// after it creates it (and, where the target invites on create, invites
	// the person on their first day).
	StartField     string
	HoldUntilStart bool
	// SameSchema names target fields carried only where both sides have
	// the field with the same type (each side a Schemer, asked at plan
	// time); the others are dropped and the plan says which and why. The
	// source field is the one the map reads for the target
	// (SourceFielderOf: hire_date for custom_fields.hireDate), else the
	// same name. A dotted name is a leaf of a nested map
	// ("custom_fields.ssn"), dropped alone. Names are compared exactly
	// (case-sensitive), as TalentLMS's own integration does.
	SameSchema []string
	// Sensitive names target fields whose values are never shown (an SSN,
	// a date of birth): plans, outcomes, reports and errors say
	// "(hidden: sensitive)" instead, and two-way links keep only a hash of
	// the last synced value. A name covers the leaves of a nested map
	// under it. Config.ShowSensitive shows them.
	Sensitive []string
	// Merge decides, per target field, a value both sides hold (training
	// progress: MergeMax for a percentage, MergeRank for a status) instead
	// of the direction or Config.Conflict: the target gets the merged value
	// when it differs from what it has, and nothing when it has it.
	Merge map[string]Merge
}

// CollectionRules configures one collection of the pair.
type CollectionRules struct {
	Collection Collection
	// AToB and BToA are the rules per direction; only those that
	// Config.Direction uses matter.
	AToB, BToA Rules
}

// Threshold caps deactivations per run. When a plan exceeds either limit
// the run stops before any deactivation and the plan reports what it held
// back. Zero disables a limit.
type Threshold struct {
	MaxCount   int     `json:"max_count,omitempty"`
	MaxPercent float64 `json:"max_percent,omitempty"` // of the target records of the collections concerned (SyncIDs, SyncChanges: of their linked records)
}

// Phase names one pass of apply, in the order they run.
type Phase string

// Phases of apply.
const (
	// PhaseRecords creates, updates, deactivates and reactivates teams and users.
	PhaseRecords Phase = "records"
	// PhaseReferences writes references (managers, team memberships) once
	// the records they point to exist.
	PhaseReferences Phase = "references"
	// PhaseEnrollments writes enrollments, which need their user and course.
	PhaseEnrollments Phase = "enrollments"
)

// Outcome statuses in a Report.
const (
	StatusPlanned = "planned" // dry run: not applied
	StatusApplied = "applied"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Config configures an Engine. A, B, Direction and Collections are
// required. A pair preset (package jobs) returns one.
type Config struct {
	A, B Connector
	// Store keeps links, synced values, cursors, due times, pending events,
	// cached lookups, run history and the pair's lock. Nil: New opens the
	// file store (OpenFileStore) in StateDir, and Close closes it.
	Store Store
	// StateDir is the directory of that default file store; "" means
	// DefaultStateDir(A.Name(), Instance, B.Name()). Ignored when Store is set.
	StateDir string
	// Instance names the company or tenant the pair serves ("acme"), so
	// that the default state directories of two companies never mix.
	Instance string
	// Pair names the pair in the store; default "<a><-><b>" from the
	// connectors' names, with "@<instance>" after it when Instance is set
	// ("bamboohr<->litmos@acme"). The name does not depend on Direction, so
	// a pair whose direction changes keeps its links. It is persisted:
	// changing it starts the pair afresh.
	Pair string
	// Direction says which way records flow.
	Direction Direction
	// Collections in dependency order (teams before users before enrollments).
	Collections []CollectionRules
	// Conflict settles two-way field conflicts; default ReportConflict.
	Conflict ConflictPolicy
	// OutOfScope applies to linked records whose source left the scope;
	// default IgnoreOutOfScope.
	OutOfScope OutOfScopePolicy
	// Threshold caps deactivations per run.
	Threshold Threshold
	// ShowSensitive shows the values of Rules.Sensitive fields in plans,
	// outcomes and reports (for a person who may see them).
	ShowSensitive bool
	// Concurrency bounds parallel record writes; default 4. Keep it within
	// the connectors' rate limits.
	Concurrency int
	// Retries is how many times a failed connector call is tried again
	// within a run (default 2; negative: none). A create is retried only
	// after a lookup by match key shows it did not happen.
	Retries int
	// RetryWait is the pause before a retry (default none: the connectors'
	// HTTP layer already backs off).
	RetryWait time.Duration
	// DryRun makes Sync, SyncIDs and SyncChanges plan and report without
	// writing (Apply always writes the plan it is given).
	DryRun bool
	// OnProgress is called serially after each step of a run's apply: once
	// per change in the records pass (teams, users) and the enrollments
	// pass, and once per change with references in the references pass
	// (managers, memberships: on a first sync most of the calls). total
	// counts the steps of all passes, so done reaches total when the run
	// ends; o is the change's outcome so far. OnPhase says which pass runs.
	OnProgress func(done, total int, o Outcome)
	// OnPhase is called when a pass of apply starts, with the number of
	// OnProgress steps it holds; passes with none are not announced.
	OnPhase func(p Phase, steps int)
	// OnFinish is called with the report when a run ends.
	OnFinish func(*Report)
	// Words are how the pair names its reasons in reports ("no Litmos
	// Access any more" for ReasonLeftScope); nil: the reasons' own text.
	Words Words
	// Columns names the id and key columns of the CSV report.
	Columns Columns
	// Logger receives one Debug record per write; nil: no logging.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// BulkMin is the number of creates of one collection, in one level of
	// reference order, from which the engine creates them in bulk where the
	// target is a BulkCreator; default 50.
	BulkMin int
	// FreshFor is how long a plan this engine made is applied as it is,
	// counted from the plan's start (Plan.CreatedAt, before its listings,
	// so a long listing counts against it); an older plan, or one this
	// engine did not make (saved as JSON by another process), is first
	// checked against the target and its stale changes refused. Within a
	// run, a write that goes out later than FreshFor after its record was
	// read (an update naming a record created in a long run) is made without the read
	// as its base: the connector reads the record again. Default 15
	// minutes.
	FreshFor time.Duration
	// CacheFor is how long connectors' cached lookups (a vendor's field
	// list) stay fresh in the Store; default 24 hours, negative: no cache.
	CacheFor time.Duration
}

// Engine reconciles two connectors according to its Config. It is safe
// for concurrent use; the store's lock keeps runs of one pair apart.
type Engine struct {
	cfg Config
	log *slog.Logger
	// turn admits one run of this engine at a time: runs in one process
	// wait for each other (webhook deliveries queue up), while the store's
	// lock keeps other processes out (they fail with ErrLocked).
	turn   chan struct{}
	closer func() error

	// roles are the reference roles each side's connector takes, by
	// collection (RefRoler); nil for a side that does not say.
	roles [2]map[Collection]map[string]bool

	mu   sync.Mutex
	made map[string]madePlan // plans this engine made, by id: applied without a check
}

// Errors the engine returns.
var (
	// ErrThresholdExceeded: the plan deactivates more than Config.Threshold allows.
	ErrThresholdExceeded = errors.New("syncengine: deactivation threshold exceeded")
	// ErrConfig: the Config is invalid.
	ErrConfig = errors.New("syncengine: invalid config")
	// ErrWrongPlan: Apply was given a plan made for another pair, for
	// collections the engine does not sync, or in a format this build does
	// not read. Nothing was applied.
	ErrWrongPlan = errors.New("syncengine: the plan cannot be applied by this engine")
)

// New validates cfg and returns an Engine. It makes no call to either
// system. With no Config.Store it opens the file store in Config.StateDir:
// call Close when done.
func New(cfg Config) (*Engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	closer := func() error { return nil }
	if cfg.Store == nil {
		dir := cfg.StateDir
		if dir == "" {
			base, err := os.UserConfigDir()
			if err != nil {
				return nil, fmt.Errorf("%w: no Store, no StateDir and no user config directory: %v", ErrConfig, err)
			}
			dir = DefaultStateDir(base, cfg.A.Name(), cfg.Instance, cfg.B.Name())
		}
		fs, err := OpenFileStore(dir)
		if err != nil {
			return nil, err
		}
		cfg.Store, cfg.StateDir, closer = fs, dir, fs.Close
	}
	if cfg.Pair == "" {
		cfg.Pair = cfg.A.Name() + "<->" + cfg.B.Name()
		if cfg.Instance != "" {
			cfg.Pair += "@" + cfg.Instance
		}
	}
	if cfg.Conflict == "" {
		cfg.Conflict = ReportConflict
	}
	if cfg.OutOfScope == "" {
		cfg.OutOfScope = IgnoreOutOfScope
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Retries == 0 {
		cfg.Retries = 2
	} else if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(discardHandler{})
	}
	if cfg.BulkMin <= 0 {
		cfg.BulkMin = 50
	}
	if cfg.FreshFor <= 0 {
		cfg.FreshFor = 15 * time.Minute
	}
	if cfg.CacheFor == 0 {
		cfg.CacheFor = 24 * time.Hour
	}
	e := &Engine{cfg: cfg, log: log, turn: make(chan struct{}, 1), closer: closer}
	if err := e.wireConnectors(); err != nil {
		_ = closer()
		return nil, err
	}
	return e, nil
}

// Close releases the file store New opened (nothing when Config.Store was given).
func (e *Engine) Close() error { return e.closer() }

// Store returns the engine's store (the one New opened when Config.Store was nil).
func (e *Engine) Store() Store { return e.cfg.Store }

// StateDir returns the directory of the file store New opened, "" when
// Config.Store was given.
func (e *Engine) StateDir() string { return e.cfg.StateDir }

// DefaultStateDir is where an engine keeps its state when Config gives
// neither a Store nor a StateDir: base/rostersync/<a>-<instance>-<b>
// (base/rostersync/<a>-<b> without an instance), base being
// os.UserConfigDir. Names are used as given; keep them to letters, digits,
// '.', '_' and '-'.
func DefaultStateDir(base, a, instance, b string) string {
	name := a + "-" + b
	if instance != "" {
		name = a + "-" + instance + "-" + b
	}
	return filepath.Join(base, "rostersync", name)
}

func (cfg *Config) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case cfg.A == nil || cfg.B == nil:
		return bad("connectors A and B are required")
	case len(cfg.Collections) == 0:
		return bad("no collections")
	}
	switch cfg.Direction {
	case AToB, BToA, TwoWay:
	default:
		return bad("direction %q (want %q, %q or %q)", cfg.Direction, AToB, BToA, TwoWay)
	}
	switch cfg.Conflict {
	case "", ReportConflict, AWins, BWins:
	default:
		return bad("conflict policy %q", cfg.Conflict)
	}
	switch cfg.OutOfScope {
	case "", IgnoreOutOfScope, DeactivateOutOfScope:
	default:
		return bad("out-of-scope policy %q", cfg.OutOfScope)
	}
	if cfg.Threshold.MaxCount < 0 || cfg.Threshold.MaxPercent < 0 || cfg.Threshold.MaxPercent > 100 {
		return bad("threshold %+v", cfg.Threshold)
	}
	if strings.ContainsAny(cfg.Instance, `/\`) || cfg.Instance == "." || cfg.Instance == ".." {
		return bad("instance %q: want a plain name (no path separators)", cfg.Instance)
	}
	seen := map[Collection]bool{}
	for _, cr := range cfg.Collections {
		if cr.Collection == "" || seen[cr.Collection] {
			return bad("collection %q empty or repeated", cr.Collection)
		}
		seen[cr.Collection] = true
		for _, conn := range []Connector{cfg.A, cfg.B} {
			if conn.Capabilities(cr.Collection) == 0 {
				return bad("%s does not serve collection %q", conn.Name(), cr.Collection)
			}
		}
		for _, r := range []Rules{cr.AToB, cr.BToA} {
			for _, k := range r.Match {
				if (k.Field == "") == (len(k.Refs) == 0) {
					return bad("collection %q: a match key needs a field or refs, not both", cr.Collection)
				}
				if k.Field != "" && len(r.Fields) > 0 && !slices.Contains(r.Fields, k.Field) {
					return bad("collection %q: match key %q must be one of the fields that flow %v", cr.Collection, k.Field, r.Fields)
				}
			}
		}
	}
	return nil
}

// Pair returns the pair name the engine uses in the store.
func (e *Engine) Pair() string { return e.cfg.Pair }

// SideOf says which side of the pair conn is (by identity), for webhook
// receivers that hand a connector's ids to the Queue.
func (e *Engine) SideOf(conn Connector) (Side, bool) {
	if conn == nil || !reflect.TypeOf(conn).Comparable() {
		return "", false // comparing would panic: a connector of a non-comparable type
	}
	switch {
	case sameConn(conn, e.cfg.A):
		return SideA, true
	case sameConn(conn, e.cfg.B):
		return SideB, true
	}
	return "", false
}

// SideNamed says which side of the pair the connector named name is; false
// when neither is, or both are.
func (e *Engine) SideNamed(name string) (Side, bool) {
	a, b := e.cfg.A.Name() == name, e.cfg.B.Name() == name
	switch {
	case a && !b:
		return SideA, true
	case b && !a:
		return SideB, true
	}
	return "", false
}

func sameConn(a, b Connector) bool {
	return reflect.TypeOf(a) == reflect.TypeOf(b) && a == b
}

// conn returns the connector of side s.
func (e *Engine) conn(s Side) Connector {
	if s == SideA {
		return e.cfg.A
	}
	return e.cfg.B
}

// rules returns the rules for writes into side target of collection cr,
// or nil when the configured direction does not flow into target.
func (e *Engine) rules(cr *CollectionRules, target Side) *Rules {
	if target == SideB && e.cfg.Direction != BToA {
		return &cr.AToB
	}
	if target == SideA && e.cfg.Direction != AToB {
		return &cr.BToA
	}
	return nil
}

func (e *Engine) collection(c Collection) *CollectionRules {
	for i := range e.cfg.Collections {
		if e.cfg.Collections[i].Collection == c {
			return &e.cfg.Collections[i]
		}
	}
	return nil
}

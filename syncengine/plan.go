package syncengine

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Action is what a plan does with one record.
type Action string

// Actions.
const (
	ActionCreate     Action = "create"
	ActionUpdate     Action = "update"
	ActionDeactivate Action = "deactivate"
	ActionReactivate Action = "reactivate"
	ActionSkip       Action = "skip"
	ActionConflict   Action = "conflict"
	ActionError      Action = "error"
)

// Reason says why a record is skipped, or why it is deactivated.
type Reason string

// Skip reasons.
const (
	ReasonUnchanged    Reason = "unchanged"
	ReasonOutOfScope   Reason = "out of scope"
	ReasonMissingField Reason = "missing required field"
	ReasonBlocked      Reason = "blocked by rule"
	// ReasonInactive: for a skip, the source record is inactive, so no
	// target is created; for a deactivation, the source record is inactive
	// (terminated, suspended).
	ReasonInactive Reason = "inactive in source"
	ReasonHeldBack Reason = "held back by deactivation threshold"
	// ReasonNotFound: an event named a record its system does not have, and
	// the pair never linked it: there is nothing to sync.
	ReasonNotFound Reason = "not found in source"
	// ReasonAlreadyApplied: a saved plan applied again finds the record
	// already as the plan would make it.
	ReasonAlreadyApplied Reason = "already applied"
)

// Deactivation reasons, besides ReasonInactive. A deactivation that comes
// from the out-of-scope policy (DeactivateOutOfScope) says which way the
// source left.
const (
	// ReasonLeftScope: the source record was read and is out of scope
	// (Rules.Scope rejects it).
	ReasonLeftScope Reason = "source left scope"
	// ReasonSourceGone: the source record is missing from the source's
	// snapshot, or not found when read by id: deleted, or hidden by a
	// connector whose List and Get yield only the records in its own scope.
	ReasonSourceGone Reason = "source record gone"
)

// ActiveField is the pseudo-field under which a FieldDiff carries a change
// of the active flag (Old and New are bools).
const ActiveField = "@active"

// FieldDiff is one field written on one side: Old is the current value
// (nil for a create), New the value to write.
type FieldDiff struct {
	Side  Side   `json:"side"`
	Field string `json:"field"`
	Old   any    `json:"old"`
	New   any    `json:"new"`
	// Sensitive is set for a Rules.Sensitive field: the plan's text and
	// the report hide its values.
	Sensitive bool `json:"sensitive,omitempty"`
	// Hidden lists the Rules.Sensitive leaves inside a nested value (a
	// create writes custom_fields whole; "ssn" is hidden in it), by their
	// path under Field.
	Hidden []string `json:"hidden,omitempty"`
}

// FieldConflict is a field changed on both sides of a two-way pair since
// the last sync (or never synced and different). Values are canonical.
type FieldConflict struct {
	Side   Side   `json:"side"`  // the side whose field this is
	Field  string `json:"field"` // the field on that side
	Want   string `json:"want"`  // the value the other side maps to
	Have   string `json:"have"`  // the field's current value
	Synced string `json:"synced,omitempty"`
	// Resolution: "a wins", "b wins" or "skipped".
	Resolution string `json:"resolution"`
	// Sensitive is set for a Rules.Sensitive field: its values are hidden.
	Sensitive bool `json:"sensitive,omitempty"`
}

// RefDiff is a change of references (a manager, team memberships): written
// with its record's create or update where the connector allows, else in
// the references pass.
type RefDiff struct {
	Side Side   `json:"side"` // the side written
	Role string `json:"role"`
	// Old holds the target's current refs.
	Old []Ref `json:"old"`
	// Want holds the source's refs (source-side ids); the engine translates
	// them through the link table when it applies the change.
	Want []Ref `json:"want"`
	// New holds Want as translated at plan time; an empty ID stands for a
	// record created in the same run.
	New []Ref `json:"new"`
	// Unresolved holds source refs to records that are not synced (out of
	// scope, failed): reported, not written.
	Unresolved []Ref `json:"unresolved,omitempty"`
	// Kept holds the target's refs that Rules.KeepUnmanagedRefs keeps
	// (target-side ids): in New, and written with Want's translation.
	Kept []Ref `json:"kept,omitempty"`
	// Later marks a create's reference that closes a cycle among the
	// run's creates (two people each other's manager, or a longer loop):
	// the cycle cannot be created in reference order, so this reference is
	// written once its record and the one it points to exist, in a second
	// call.
	Later bool `json:"later,omitempty"`
}

// Change is the plan for one record (or one linked pair of records).
type Change struct {
	Collection Collection `json:"collection"`
	Action     Action     `json:"action"`
	// Reason says why a skip skips (ReasonUnchanged, ...) and why a
	// deactivation deactivates (ReasonInactive, ReasonLeftScope,
	// ReasonSourceGone).
	Reason Reason `json:"reason,omitempty"`
	// HeldReason keeps the reason of a deactivation held back by the
	// threshold (Reason is then ReasonHeldBack); AllowDeactivations
	// restores it.
	HeldReason Reason `json:"held_reason,omitempty"`
	// Source is the side the data comes from ("" when a two-way change
	// writes to both sides).
	Source Side `json:"source,omitempty"`
	// AID and BID are the ids on each side; empty for a record to be created.
	AID string `json:"a_id,omitempty"`
	BID string `json:"b_id,omitempty"`
	// Key is the first match key value (or Rules.KeyField), to help people
	// read the plan.
	Key string `json:"key,omitempty"`
	// Name is the record's display name, from the connectors' Describer.
	Name string `json:"name,omitempty"`
	// Fields lists the writes, in side and field order. A create lists
	// every field of the new record.
	Fields []FieldDiff `json:"fields,omitempty"`
	// Blocked lists differences the rules or the connector's capabilities
	// keep from being written.
	Blocked   []FieldDiff     `json:"blocked,omitempty"`
	Conflicts []FieldConflict `json:"conflicts,omitempty"`
	Refs      []RefDiff       `json:"refs,omitempty"`
	Error     string          `json:"error,omitempty"`
	// Failures lists the target fields the map failed on, when Error is a
	// FieldMap error whose per-field errors implement FieldTargetError.
	Failures []FieldFailure `json:"failures,omitempty"`
	// Link is set for a pair matched in this run: applying the change
	// stores its link even when nothing else is written.
	Link bool `json:"link,omitempty"`
	// Synced holds a two-way link's last synced values after this change
	// succeeds; nil leaves them as they are. One-way links keep none.
	Synced map[string]string `json:"synced,omitempty"`
	// Unlink names the A id of a stale link (its record is gone) that
	// this change replaces, and UnlinkB that link's B id: the link is
	// dropped only while it still names UnlinkB, so a plan applied twice
	// does not drop the link its first apply stored. A plan without
	// UnlinkB (an older build's) drops it unchecked.
	Unlink  string `json:"unlink,omitempty"`
	UnlinkB string `json:"unlink_b,omitempty"`
	// Due lists when the source record falls due (Rules.LeaveField,
	// StartField): kept in the Store once the plan is applied, and acted on
	// by the first run at or after each time.
	Due []Due `json:"due,omitempty"`
}

// StaleLink is a stale link a plan saw (Change.Unlink, UnlinkB).
type StaleLink struct {
	Collection Collection `json:"collection"`
	AID        string     `json:"a_id"`
	BID        string     `json:"b_id,omitempty"`
}

// staleLink is the stale link c replaces (a zero AID: none).
func (c *Change) staleLink() StaleLink {
	return StaleLink{Collection: c.Collection, AID: c.Unlink, BID: c.UnlinkB}
}

// Hold records a deactivation threshold breach.
type Hold struct {
	Deactivations int       `json:"deactivations"`
	TargetRecords int       `json:"target_records"`
	Threshold     Threshold `json:"threshold"`
}

// Plan is the reviewed list of changes for one run. It is a plain value:
// print it (String), save it (encoding/json), compare it (go-cmp), apply
// it exactly (Engine.Apply) or in part (Only).
type Plan struct {
	// Version is the plan's format (PlanVersion); Apply refuses a plan of
	// a version this build does not know.
	Version int `json:"version"`
	// ID tells the engine that made the plan it need not check it again
	// (Config.FreshFor); a plan it does not know is checked before apply.
	ID        string    `json:"id"`
	Pair      string    `json:"pair"`
	A         string    `json:"a"`
	B         string    `json:"b"`
	Direction Direction `json:"direction"`
	CreatedAt time.Time `json:"created_at"`
	Changes   []Change  `json:"changes"`
	// Held is set when the plan exceeds the deactivation threshold; its
	// deactivations are then skips with ReasonHeldBack.
	Held *Hold `json:"held,omitempty"`
	// Stale lists the stale links (Change.Unlink) of changes Only left
	// out: apply translates no reference through them either.
	Stale []StaleLink `json:"stale,omitempty"`
	// Partial is set for a plan of just the records an event named (or
	// that fell due), not of every record the pair holds.
	Partial bool `json:"partial,omitempty"`
	// Fields says, for each Rules.SameSchema field, whether it was carried
	// and why.
	Fields []FieldNote `json:"fields,omitempty"`

	// ShowSensitive shows the values of Rules.Sensitive fields in the
	// plan's text and summary outcomes; the engine sets it from
	// Config.ShowSensitive. It is not saved: a plan read from JSON hides
	// them until set.
	ShowSensitive bool `json:"-"`
}

// FieldNote says whether a field named in Rules.SameSchema flows.
type FieldNote struct {
	Collection Collection `json:"collection"`
	// Target is the side the field is written on.
	Target  Side   `json:"target"`
	Field   string `json:"field"`
	Carried bool   `json:"carried"`
	Why     string `json:"why"`
}

// PlanVersion is the format of the plans this build makes and applies.
const PlanVersion = 1

// Summary counts a plan's changes the way its preview words them, so the
// plan's summary line and the staged list never disagree.
type Summary struct {
	Create     int `json:"create"`
	Update     int `json:"update"`
	Deactivate int `json:"deactivate"`
	Reactivate int `json:"reactivate"`
	// Failing counts the records that cannot be written as they stand:
	// errors, match conflicts, field conflicts left unsettled, and records
	// the map failed on.
	Failing int `json:"failing"`
	// Skip counts records skipped for another reason than being unchanged
	// (out of scope, inactive, blocked, held back).
	Skip      int `json:"skip"`
	Unchanged int `json:"unchanged"`
	// Conflict counts conflict actions plus changes that report field
	// conflicts (settled or not).
	Conflict int `json:"conflict"`
}

// Summary counts the plan's changes.
func (p *Plan) Summary() Summary {
	s := summaryOf(nil)
	for i := range p.Changes {
		c := &p.Changes[i]
		o := baseOutcome(c, plannedStatus(c), p.ShowSensitive, nil)
		s.add(&o)
		if c.Action != ActionConflict && len(c.Conflicts) > 0 {
			s.Conflict++
		}
	}
	return s
}

// plannedStatus is the status of a change not yet applied: planned, so
// its result is the action's verb ("skip", "create").
func plannedStatus(*Change) string { return StatusPlanned }

func summaryOf(outs []Outcome) Summary {
	var s Summary
	for i := range outs {
		s.add(&outs[i])
	}
	return s
}

func (s *Summary) add(o *Outcome) {
	switch o.Result {
	case ResultCreate:
		s.Create++
	case ResultUpdate:
		s.Update++
	case ResultDeactivate:
		s.Deactivate++
	case ResultReactivate:
		s.Reactivate++
	case ResultFail, ResultFailed:
		s.Failing++
	case ResultUnchanged:
		s.Unchanged++
	default:
		s.Skip++
	}
	if o.Action == ActionConflict {
		s.Conflict++
	}
}

// HasChanges reports whether applying the plan would write anything.
func (p *Plan) HasChanges() bool {
	for i := range p.Changes {
		if p.Changes[i].writes() {
			return true
		}
	}
	return false
}

// writes reports whether the change writes to a connector or the store.
func (c *Change) writes() bool {
	switch c.Action {
	case ActionCreate, ActionUpdate, ActionDeactivate, ActionReactivate:
		return true
	}
	return (c.Link || c.Synced != nil) && c.Reason != ReasonHeldBack
}

// Only returns a copy of the plan keeping the changes whose source-side id
// (either id, for a two-way change) is one of ids: how a user imports
// selected records from a reviewed plan.
func (p *Plan) Only(ids ...string) *Plan {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := *p
	out.Changes = nil
	out.Held = nil
	out.Partial = true
	out.Stale = slices.Clone(p.Stale)
	for _, c := range p.Changes {
		if !c.selectedBy(want) {
			if c.Unlink != "" {
				out.Stale = append(out.Stale, c.staleLink())
			}
			continue
		}
		out.Changes = append(out.Changes, c)
		if c.Reason == ReasonHeldBack {
			out.Held = p.Held
		}
	}
	return &out
}

// Select is Only for a reviewer's chosen ids: it refuses (naming them) ids
// that select no change, a typo or a record out of the plan, instead of
// silently applying less than was asked.
func (p *Plan) Select(ids ...string) (*Plan, error) {
	if len(ids) == 0 {
		return p, nil
	}
	if missing := p.Unknown(ids...); len(missing) > 0 {
		return nil, fmt.Errorf("syncengine: ids not in the plan of %s: %s", p.Pair, strings.Join(missing, ", "))
	}
	return p.Only(ids...), nil
}

// Unknown returns the ids, in the order given and without repeats, that
// Only would select no change for: a typo or an id out of the plan, which a
// caller should refuse before applying a subset.
func (p *Plan) Unknown(ids ...string) []string {
	var out []string
	for _, id := range ids {
		one := map[string]bool{id: true}
		if slices.Contains(out, id) || slices.ContainsFunc(p.Changes, func(c Change) bool { return c.selectedBy(one) }) {
			continue
		}
		out = append(out, id)
	}
	return out
}

func (c *Change) selectedBy(ids map[string]bool) bool {
	switch c.Source {
	case SideA:
		return ids[c.AID]
	case SideB:
		return ids[c.BID]
	}
	return ids[c.AID] || ids[c.BID]
}

// AllowDeactivations returns a copy of a held plan with its held-back
// deactivations restored: the reviewer's "allow deletes".
func (p *Plan) AllowDeactivations() *Plan {
	out := *p
	out.Held = nil
	out.Changes = slices.Clone(p.Changes)
	for i := range out.Changes {
		c := &out.Changes[i]
		if c.Reason != ReasonHeldBack {
			continue
		}
		fields, blocked := slices.Clone(c.Fields), []FieldDiff(nil)
		for _, f := range c.Blocked {
			if f.Field == ActiveField {
				fields = append(fields, f)
			} else {
				blocked = append(blocked, f)
			}
		}
		c.Fields, c.Blocked = fields, blocked
		c.Action, c.Reason, c.HeldReason = ActionDeactivate, c.HeldReason, ""
	}
	return &out
}

// hold turns every deactivation into a held-back skip.
func (p *Plan) hold(h Hold) {
	p.Held = &h
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Action != ActionDeactivate {
			continue
		}
		var keep, held []FieldDiff
		for _, f := range c.Fields {
			if f.Field == ActiveField {
				held = append(held, f)
			} else {
				keep = append(keep, f)
			}
		}
		c.Fields, c.Blocked = keep, append(held, c.Blocked...)
		c.Action, c.Reason, c.HeldReason = ActionSkip, ReasonHeldBack, c.Reason
	}
}

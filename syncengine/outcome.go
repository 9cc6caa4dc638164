package syncengine

import (
	"fmt"
	"slices"
	"strings"
)

// Outcome is what happened (or, in a preview, what would happen) to one
// record in a run. The engine words it once, here: the plan's preview,
// the apply report, the CSV and the text report all show the same Result
// and Detail for the same record.
type Outcome struct {
	Collection Collection `json:"collection"`
	AID        string     `json:"a_id,omitempty"`
	BID        string     `json:"b_id,omitempty"`
	Key        string     `json:"key,omitempty"`
	// Source is the side the record's data comes from ("" when a two-way
	// change writes both sides).
	Source Side `json:"source,omitempty"`
	// Name is the record's display name, from the connectors' Describer
	// (the source side's first).
	Name   string `json:"name,omitempty"`
	Action Action `json:"action"`
	Reason Reason `json:"reason,omitempty"`
	// Status is StatusPlanned, StatusApplied, StatusFailed, StatusSkipped
	// or StatusNotAttempted.
	Status string `json:"status"`
	// Result is the one word a report shows: ResultCreated ... for a run,
	// the action's verb ("create") for a plan's preview.
	Result Result `json:"result"`
	// Fields names the changed fields ("side.field" when a change writes both sides).
	Fields []string `json:"fields,omitempty"`
	// Detail is the short, one-line reason shown in reports: why a record
	// was skipped, failed or deactivated ("missing or invalid required
	// field: workEmail (needed for UserName, Email)").
	Detail string `json:"detail,omitempty"`
	// Error is the full error, for -v output and logs.
	Error string `json:"error,omitempty"`
	// Failures is the change's Failures: the target fields the map failed on.
	Failures []FieldFailure `json:"failures,omitempty"`
	// Note carries what is worth knowing but not an error: unresolved
	// references, a record adopted after an unknown create outcome.
	Note string `json:"note,omitempty"`
	// Due says when the record falls due ("deactivates on 2027-01-31").
	Due string `json:"due,omitempty"`
	// Retry is set on a failed or not attempted outcome that may pass if
	// tried again (the system was unavailable, the run was stopped): an
	// event queue keeps such records pending.
	Retry bool `json:"retry,omitempty"`
}

// Result is the word a report shows for one record.
type Result string

// Results of a run. A preview (a plan not yet applied) shows the verbs
// instead: ResultCreate, ResultUpdate, ...
const (
	ResultCreated        Result = "created"
	ResultUpdated        Result = "updated"
	ResultDeactivated    Result = "deactivated"
	ResultReactivated    Result = "reactivated"
	ResultUnchanged      Result = "unchanged"
	ResultSkipped        Result = "skipped"
	ResultFailed         Result = "failed"
	ResultNotAttempted   Result = "not attempted"
	ResultAlreadyApplied Result = "already applied"

	ResultCreate     Result = "create"
	ResultUpdate     Result = "update"
	ResultDeactivate Result = "deactivate"
	ResultReactivate Result = "reactivate"
	ResultSkip       Result = "skip"
	ResultFail       Result = "fail"
)

// StatusNotAttempted marks a write the run never reached (it was stopped).
const StatusNotAttempted = "not attempted"

// Words are how a pair names the reasons of its outcomes to its people:
// "no Litmos Access any more" rather than "source left scope". A preset
// sets the words its seed integration uses; a reason without a word here
// is shown as its constant's text.
type Words map[Reason]string

func (w Words) of(r Reason) string {
	if s, ok := w[r]; ok {
		return s
	}
	return string(r)
}

// outcomeOf is the outcome of ch before it is applied: a preview's row,
// and the starting point of apply's.
func (e *Engine) outcomeOf(ch *Change, status string, names *outcomeNames) Outcome {
	o := baseOutcome(ch, status, e.cfg.ShowSensitive, names)
	o.Detail = e.detailOf(&o)
	return o
}

// baseOutcome is outcomeOf without the pair's words: everything but Detail.
// countActive counts the diffs of ActiveField, which an outcome does not list.
func countActive(ds []FieldDiff) int {
	n := 0
	for _, d := range ds {
		if d.Field == ActiveField {
			n++
		}
	}
	return n
}

func baseOutcome(ch *Change, status string, reveal bool, names *outcomeNames) Outcome {
	o := Outcome{Collection: ch.Collection, AID: ch.AID, BID: ch.BID, Key: ch.Key, Source: ch.Source, Name: ch.Name,
		Action: ch.Action, Reason: ch.Reason, Status: status, Error: ch.Error, Failures: ch.Failures}
	o.Fields = names.of(ch)
	for _, rd := range ch.Refs {
		if len(rd.Unresolved) > 0 {
			o.Note = joinMsg(o.Note, fmt.Sprintf("%s not written: %s not synced", rd.Role, refList(rd.Unresolved)))
		}
	}
	for _, c := range ch.Conflicts {
		if c.Sensitive && !reveal {
			o.Note = joinMsg(o.Note, fmt.Sprintf("conflict on %s.%s %s (%s)", c.Side, c.Field, hiddenValue, c.Resolution))
			continue
		}
		o.Note = joinMsg(o.Note, fmt.Sprintf("conflict on %s.%s: want %q, have %q (%s)", c.Side, c.Field, c.Want, c.Have, c.Resolution))
	}
	o.Due = dueText(ch.Due)
	if ch.Action == ActionError && status != StatusPlanned {
		o.Status = StatusFailed
	}
	o.Result = resultOf(&o)
	return o
}

// outcomeNames lets the outcomes of one plan share their Fields: an
// outcome whose names equal the last one's gets the same slice, clipped
// so that an append copies it (a run's creates mostly write the same
// fields). A nil *outcomeNames gives each outcome its own slice.
type outcomeNames struct{ buf, last []string }

// of is an outcome's Fields: ch's written field names (side-qualified
// when both sides are written) and the roles whose references change.
func (nm *outcomeNames) of(ch *Change) []string {
	both := ch.Source == "" && len(diffsOn(ch.Fields, SideA)) > 0 && len(diffsOn(ch.Fields, SideB)) > 0
	var names []string
	if nm != nil {
		names = nm.buf[:0]
	} else if n := len(ch.Fields) - countActive(ch.Fields); n > 0 {
		names = make([]string, 0, n+len(ch.Refs))
	}
	for _, d := range ch.Fields {
		if d.Field == ActiveField {
			continue
		}
		name := d.Field
		if both {
			name = string(d.Side) + "." + name
		}
		names = append(names, name)
	}
	for _, rd := range ch.Refs {
		if len(rd.Unresolved) == 0 && !refsEqual(rd.New, rd.Old) && !slices.Contains(names, rd.Role) {
			names = append(names, rd.Role)
		}
	}
	if nm == nil {
		return names
	}
	nm.buf = names
	if len(names) == 0 {
		return nil
	}
	if !slices.Equal(names, nm.last) {
		nm.last = slices.Clip(slices.Clone(names))
	}
	return nm.last
}

// settle fills Result and Detail again after apply changed the status.
func (e *Engine) settle(o *Outcome) {
	o.Result = resultOf(o)
	o.Detail = e.detailOf(o)
}

func resultOf(o *Outcome) Result {
	failing := o.Action == ActionError || o.Action == ActionConflict ||
		(o.Action == ActionSkip && o.Reason == ReasonMissingField)
	switch o.Status {
	case StatusPlanned, "":
		switch {
		case failing:
			return ResultFail
		case o.Action == ActionSkip && o.Reason == ReasonUnchanged && o.Note == "":
			return ResultUnchanged
		}
		return Result(o.Action)
	case StatusFailed:
		return ResultFailed
	case StatusNotAttempted:
		return ResultNotAttempted
	case StatusApplied:
		switch o.Action {
		case ActionCreate:
			return ResultCreated
		case ActionUpdate:
			return ResultUpdated
		case ActionDeactivate:
			return ResultDeactivated
		case ActionReactivate:
			return ResultReactivated
		}
		return ResultUpdated // a skip whose references were written
	}
	// StatusSkipped
	switch {
	case failing:
		return ResultFailed
	case o.Action == ActionCreate || o.Action == ActionUpdate || o.Action == ActionDeactivate || o.Action == ActionReactivate,
		o.Action == ActionSkip && o.Reason == ReasonAlreadyApplied:
		return ResultAlreadyApplied
	case o.Action == ActionSkip && o.Reason == ReasonUnchanged:
		return ResultUnchanged
	}
	return ResultSkipped
}

// detailOf words why: the short form every report shows.
func (e *Engine) detailOf(o *Outcome) string {
	w := e.cfg.Words
	var d string
	switch {
	case o.Action == ActionSkip && o.Reason == ReasonMissingField:
		d = "missing or invalid required field: " + failedFields(o)
	case o.Status == StatusFailed, o.Action == ActionError, o.Action == ActionConflict:
		d = firstLine(o.Error)
	case o.Status == StatusNotAttempted:
		d = "not attempted: the run stopped before this change"
	case o.Result == ResultAlreadyApplied:
		d = "already applied by an earlier run"
	case o.Action == ActionDeactivate:
		d = w.of(o.Reason)
	case o.Action == ActionReactivate:
		d = w.of(ReasonReactivated)
	case o.Action == ActionSkip && o.Reason == ReasonInactive:
		d = w.of(ReasonInactive) + "; not created"
	case o.Action == ActionSkip && o.Reason == ReasonHeldBack:
		d = w.of(ReasonHeldBack)
	case o.Action == ActionSkip && o.Reason != ReasonUnchanged:
		d = w.of(o.Reason)
	}
	if o.Note != "" && o.Status != StatusFailed {
		d = joinMsg(d, o.Note)
	}
	if o.Due != "" && o.Status != StatusFailed {
		d = joinMsg(d, o.Due)
	}
	return d
}

// ReasonReactivated is the Words key for why a record is reactivated (its
// source is active again); the default word is "active again in source".
const ReasonReactivated Reason = "active again in source"

// failedFields words the fields the map failed on as "workEmail (needed
// for UserName, Email)"; an error that names no field is kept whole, on
// one line.
func failedFields(o *Outcome) string {
	if len(o.Failures) == 0 {
		return strings.ReplaceAll(strings.TrimSpace(o.Error), "\n", "; ")
	}
	var sources, targets []string
	for _, f := range o.Failures {
		src := f.Source
		if src == "" { // a custom FieldMap whose errors name no source
			src = f.Target
		}
		if !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
		targets = append(targets, f.Target)
	}
	return fmt.Sprintf("%s (needed for %s)", strings.Join(sources, ", "), strings.Join(targets, ", "))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i]) + " …"
	}
	return s
}

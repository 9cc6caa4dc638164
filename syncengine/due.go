package syncengine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kinds of due times the engine keeps.
const (
	// DueDeactivate: the source's leave date; the target is deactivated then.
	DueDeactivate = "deactivate"
	// DueCreate: the source's start date; the target is created then.
	DueCreate = "create"
)

// ReasonNotStarted means the source record's start date is still to come, and
// Rules.HoldUntilStart holds its creation until then.
const ReasonNotStarted Reason = "not started yet"

// dates applies the direction's date rules to source record j of side si:
// a leave date passed makes it inactive, one to come falls due; a start
// date to come holds its creation (HoldUntilStart) and falls due.
func (cp *collPlan) dates(si int, j int32, r *Rules, rec *Record) {
	if r.LeaveField == "" && r.StartField == "" {
		return
	}
	now := cp.e.cfg.Now()
	add := func(kind string, at time.Time) {
		if cp.due[si] == nil {
			cp.due[si] = map[int32][]Due{}
		}
		cp.due[si][j] = append(cp.due[si][j], Due{Collection: cp.cr.Collection, Side: sideOf(si), ID: rec.ID, Kind: kind, At: at})
	}
	if t, ok := dateOf(fieldAt(rec.Fields, r.LeaveField)); ok && rec.Active {
		if r.LeaveIsLastDay {
			t = t.AddDate(0, 0, 1)
		}
		if !t.After(now) {
			rec.Active = false
		} else {
			add(DueDeactivate, t)
		}
	}
	if t, ok := dateOf(fieldAt(rec.Fields, r.StartField)); ok && r.HoldUntilStart && t.After(now) && rec.Active {
		if cp.hold[si] == nil {
			cp.hold[si] = map[int32]time.Time{}
		}
		cp.hold[si][j] = t
		add(DueCreate, t)
	}
}

// dateOf reads a date: a time.Time, or text as "2006-01-02" (00:00 UTC),
// RFC 3339, or "2006-01-02T15:04:05" (UTC).
func dateOf(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, !v.IsZero()
	case *time.Time:
		if v != nil {
			return *v, !v.IsZero()
		}
	case string:
		s := strings.TrimSpace(v)
		for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil && !t.IsZero() {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// dueText words due times for plans and reports: "deactivates on 2027-01-31".
func dueText(ds []Due) string {
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		verb := d.Kind
		switch d.Kind {
		case DueDeactivate:
			verb = "deactivates"
		case DueCreate:
			verb = "is created"
		}
		parts = append(parts, verb+" on "+canonicalTime(d.At))
	}
	return strings.Join(parts, "; ")
}

// saveDues keeps the plan's due times in the Store once it is applied: for
// the records the plan holds, their due times replace the stored ones; a
// full plan (every record read) also forgets the due times of records it
// no longer holds.
func (e *Engine) saveDues(ctx context.Context, p *Plan, outs []Outcome, full bool) error {
	ctx = context.WithoutCancel(ctx)
	stored, err := e.cfg.Store.Dues(ctx, e.cfg.Pair)
	if err != nil {
		return fmt.Errorf("syncengine: read due times: %w", err)
	}
	want := map[dueKey]Due{}
	named := map[pendingKey]bool{}
	failed := map[pendingKey]bool{} // a change that failed keeps its due times, to be tried again
	for i := range p.Changes {
		ch := &p.Changes[i]
		for _, s := range []Side{SideA, SideB} {
			if len(stored) == 0 {
				break // named and failed only judge stored due times
			}
			if id := ch.idOn(s); id != "" {
				named[pendingKey{ch.Collection, s, id}] = true
				if i < len(outs) && (outs[i].Status == StatusFailed || outs[i].Status == StatusNotAttempted) {
					failed[pendingKey{ch.Collection, s, id}] = true
				}
			}
		}
		for _, d := range ch.Due {
			want[keyOfDue(d)] = d
		}
	}
	var errs []error
	for _, d := range stored {
		k := pendingKey{d.Collection, d.Side, d.ID}
		_, keep := want[keyOfDue(d)]
		if !keep && !failed[k] && (full || named[k]) {
			errs = append(errs, e.cfg.Store.DeleteDue(ctx, e.cfg.Pair, d))
		}
	}
	keys := make([]dueKey, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for _, k := range keys {
		errs = append(errs, e.cfg.Store.PutDue(ctx, e.cfg.Pair, want[k]))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("syncengine: store due times: %w", err)
	}
	return nil
}

// SyncDue syncs the records whose due time has come (a leave date, a
// start date), reading each afresh, through the same plan and apply as
// SyncIDs. It does nothing when none is due. A Queue's Run calls it when
// the earliest due time arrives; a scheduler may call it too.
func (e *Engine) SyncDue(ctx context.Context) (*Report, error) {
	dues, err := e.cfg.Store.Dues(ctx, e.cfg.Pair)
	if err != nil {
		return nil, fmt.Errorf("syncengine: read due times: %w", err)
	}
	now := e.cfg.Now()
	sel := map[Collection]map[Side][]string{}
	n := 0
	for _, d := range dues {
		if d.At.After(now) || e.collection(d.Collection) == nil {
			continue
		}
		if sel[d.Collection] == nil {
			sel[d.Collection] = map[Side][]string{}
		}
		sel[d.Collection][d.Side] = append(sel[d.Collection][d.Side], d.ID)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer e.unlock(unlock)
	r := e.startRun(e.cfg.DryRun)
	p, err := e.planEvent(ctx, sel)
	if err != nil {
		return e.finishRun(ctx, r, nil, nil, err)
	}
	return e.execute(ctx, r, p, nil)
}

// NextDue returns the earliest due time the Store holds, if any.
func (e *Engine) NextDue(ctx context.Context) (time.Time, bool, error) {
	dues, err := e.cfg.Store.Dues(ctx, e.cfg.Pair)
	if err != nil || len(dues) == 0 {
		return time.Time{}, false, err
	}
	return dues[0].At, true, nil
}

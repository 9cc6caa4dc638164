package hibob

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// listUsers reads every employee in one search and keeps those in scope;
// a List of value teams just before has read them already.
func (k *Connector) listUsers(ctx context.Context) ([]syncengine.Record, error) {
	if recs, ok := k.takeHeld(); ok {
		return recs, nil
	}
	return k.searchUsers(ctx)
}

// searchUsers reads every employee in one search and keeps those in scope.
func (k *Connector) searchUsers(ctx context.Context) ([]syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hibob: list users: %w", err)
	}
	plan, err := k.prepare(ctx)
	if err != nil {
		return nil, err
	}
	// showInactive (the default of SearchParams): leavers and future starters too.
	people, err := k.client.SearchPeople(ctx, SearchParams{Fields: plan.request, HumanReadable: HumanReadableAppend})
	if err != nil {
		return nil, err
	}
	today, hidden := k.today(), map[string]bool{}
	out := make([]syncengine.Record, 0, len(people))
	seen := make(map[string]bool, len(people))
	for i := range people {
		e := &people[i]
		id := e.ID()
		if id == "" || seen[id] {
			k.warn("hibob: search result without an employee ID, or repeated, skipped", "row", i)
			continue
		}
		seen[id] = true
		rec, err := k.record(e, id, plan, today, hidden)
		if err != nil {
			return nil, err
		}
		if k.InScope(syncengine.Users, rec) {
			out = append(out, rec)
		}
	}
	k.warnHidden(hidden)
	return out, nil
}

// getUser reads one employee by ID.
func (k *Connector) getUser(ctx context.Context, id string) (syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return syncengine.Record{}, fmt.Errorf("hibob: get employee %q: %w", truncate(id, 40), err)
	}
	if checkEmployeeID(id) != nil {
		return syncengine.Record{}, fmt.Errorf("hibob: %q is not an employee ID: %w", truncate(id, 40), syncengine.ErrNotFound)
	}
	plan, err := k.prepare(ctx)
	if err != nil {
		return syncengine.Record{}, err
	}
	e, err := k.client.GetEmployee(ctx, id, GetEmployeeParams{Fields: plan.request, HumanReadable: HumanReadableAppend})
	if err != nil {
		return syncengine.Record{}, err
	}
	hidden := map[string]bool{}
	rec, err := k.record(e, id, plan, k.today(), hidden)
	k.warnHidden(hidden)
	return rec, err
}

// findUsers reads the employee with the given email or ID.
func (k *Connector) findUsers(ctx context.Context, field string, value any) ([]syncengine.Record, error) {
	s, _ := value.(string)
	s = strings.TrimSpace(s)
	switch field {
	case FieldID:
		if s == "" {
			return nil, ctx.Err()
		}
		return oneOrNone(k.getUser(ctx, s))
	case FieldEmail:
		return k.findByEmail(ctx, s)
	}
	return nil, fmt.Errorf("%w: hibob finds users by %s or %s, not %q", syncengine.ErrUnsupported, FieldEmail, FieldID, truncate(field, 60))
}

// findByEmail reads the employee by work email as given, then in lower
// case: whether HiBob compares emails without regard to case is undocumented.
func (k *Connector) findByEmail(ctx context.Context, email string) ([]syncengine.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hibob: find employee by email: %w", err)
	}
	if email == "" || checkIdentifier(email) != nil || checkEmployeeID(email) == nil {
		return nil, nil // not an email: nobody has it
	}
	plan, err := k.prepare(ctx)
	if err != nil {
		return nil, err
	}
	tries := slices.Compact([]string{email, strings.ToLower(email)})
	for _, try := range tries {
		e, err := k.client.GetEmployee(ctx, try, GetEmployeeParams{Fields: plan.request, HumanReadable: HumanReadableAppend})
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !strings.EqualFold(strings.TrimSpace(e.Email()), email) || e.ID() == "" {
			return nil, nil
		}
		hidden := map[string]bool{}
		rec, err := k.record(e, e.ID(), plan, k.today(), hidden)
		k.warnHidden(hidden)
		if err != nil {
			return nil, err
		}
		return []syncengine.Record{rec}, nil
	}
	return nil, nil
}

func oneOrNone(rec syncengine.Record, err error) ([]syncengine.Record, error) {
	switch {
	case errors.Is(err, syncengine.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return []syncengine.Record{rec}, nil
}

// record turns an employee into a Record; fields left out of the answer
// are noted in hidden.
func (k *Connector) record(e *Employee, id string, plan *readPlan, today time.Time, hidden map[string]bool) (syncengine.Record, error) {
	// A status left out would make every leaver look employed (fields the service
	// user may not see are left out:
	// https://apidocs.hibob.com/docs/people-read-api-contract).
	if e.Status() == "" {
		return syncengine.Record{}, fmt.Errorf("hibob: employee %s: the service user cannot see %s, which the active flag needs: "+
			"give its permission group view access to that field's category, for every lifecycle status", id, FieldStatus)
	}
	rec := syncengine.Record{ID: id, Fields: make(map[string]any, len(plan.emit))}
	for _, r := range plan.emit {
		if r.path != r.field && !e.Has(r.field) {
			hidden[r.field] = true
			continue
		}
		v, ok := e.lookup(r.path)
		if !ok && r.path == r.field {
			hidden[r.field] = true
			continue
		}
		rec.Fields[r.key] = k.value(e, r, v)
	}
	rec.Active = isActive(e.Status(), e.LifecycleStatus(), k.date(e, FieldStartDate), k.date(e, FieldTerminationDate), today)
	rec.Refs = k.userRefs(e, rec.Fields)
	return rec, nil
}

// date reads a date for the active flag; an unreadable one counts as none.
func (k *Connector) date(e *Employee, field string) time.Time {
	t, err := e.Date(field)
	if err != nil {
		k.warn("hibob: unreadable date ignored for the active flag", "employee", e.ID(), "field", field, "error", err.Error())
	}
	return t
}

// isActive is the Connector doc's rule: a leaver (terminated by lifecycle,
// or by a termination date before today) is inactive; status Active is
// active; an inactive status is active only for a hire who has not started
// yet. The termination date is the last day of work: HiBob ends the
// employment at the midnight after it
// (https://apidocs.hibob.com/docs/additional-employee-data).
func isActive(status, lifecycle string, start, term, today time.Time) bool {
	if strings.EqualFold(lifecycle, "terminated") || (!term.IsZero() && term.Before(today)) {
		return false
	}
	if strings.EqualFold(status, "Active") {
		return true
	}
	return strings.EqualFold(lifecycle, "hired") || start.After(today)
}

// userRefs are the manager and team refs; a role whose fields the answer
// lacks is left out, one whose field is empty clears.
func (k *Connector) userRefs(e *Employee, fields map[string]any) map[string][]syncengine.Ref {
	refs := map[string][]syncengine.Ref{}
	if e.Has(FieldReportsTo) || e.Has(FieldManager) {
		refs[syncengine.RoleManager] = oneRef(syncengine.Users, e.ManagerID())
	}
	if teams, ok := k.teamRefs(fields); ok {
		refs[syncengine.RoleTeams] = teams
	}
	if len(refs) == 0 {
		return nil
	}
	return refs
}

func oneRef(c syncengine.Collection, id string) []syncengine.Ref {
	if id == "" {
		return []syncengine.Ref{}
	}
	return []syncengine.Ref{{Collection: c, ID: id}}
}

// warnHidden logs the fields an answer left out: hidden from the service
// user (or unknown to a tenant whose metadata lacks a standard field).
func (k *Connector) warnHidden(hidden map[string]bool) {
	if len(hidden) == 0 {
		return
	}
	fields := make([]string, 0, len(hidden))
	for f := range hidden {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	k.warn("hibob: fields left out of HiBob's answer (the service user cannot see their category); records go without them",
		"fields", strings.Join(fields, ","))
}

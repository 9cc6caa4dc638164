package talenthr

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/rostersync/rostersync/syncengine"
)

// listing is what one read of the directory asks for and yields.
type listing struct {
	plan   readPlan
	params DirectoryParams
	defs   []customDef // the custom fields read
	today  Date
}

// prepare checks the plan and builds the directory parameters: every
// employment state, and the custom-field columns read.
func (k *Connector) prepare(ctx context.Context, op string) (*listing, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("talenthr: %s: %w", op, err)
	}
	l := &listing{plan: k.readPlan(), params: DirectoryParams{Limit: MaxPageSize}, today: k.today()}
	if len(l.plan.unknown) > 0 {
		return nil, unknownFieldError(l.plan.unknown, "not a directory, employee or custom field")
	}
	states, err := k.empStates(ctx)
	if err != nil {
		return nil, err
	}
	l.params.Filter.EmploymentStates = states
	if l.plan.readsCustom() {
		if l.defs, err = k.readDefs(ctx, l.plan, states); err != nil {
			return nil, err
		}
	}
	for _, d := range l.defs {
		l.params.CustomFields = append(l.params.CustomFields, d.Slug)
	}
	return l, nil
}

// readDefs returns the definitions of the custom fields plan reads. A
// name missing from cached definitions is looked for once more in fresh
// ones before it is reported unknown.
func (k *Connector) readDefs(ctx context.Context, plan readPlan, states []string) ([]customDef, error) {
	defs, fromCache, err := k.customDefs(ctx, false, states)
	if err != nil {
		return nil, err
	}
	picked, missing := pickDefs(defs, plan)
	if len(missing) > 0 && fromCache {
		if defs, _, err = k.customDefs(ctx, true, states); err != nil {
			return nil, err
		}
		picked, missing = pickDefs(defs, plan)
	}
	if len(missing) > 0 {
		return nil, unknownFieldError(prefixed(missing), "no custom field has that name")
	}
	var out []customDef
	for _, d := range picked {
		if d.Slug == "" || strings.ContainsAny(d.Slug, ", ") {
			if !plan.allCustom {
				return nil, fmt.Errorf("talenthr: custom field %q has slug %q, which the directory's custom_fields parameter cannot carry", d.Name, d.Slug)
			}
			k.warn("talenthr: custom field left out: its slug cannot be asked for", "field", d.Name, "slug", d.Slug)
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// pickDefs returns the definitions plan reads and the names it reads that
// none has.
func pickDefs(defs []customDef, plan readPlan) (picked []customDef, missing []string) {
	if plan.allCustom {
		return defs, nil
	}
	for _, name := range plan.custom {
		i := slices.IndexFunc(defs, func(d customDef) bool { return d.Name == name })
		if i < 0 {
			missing = append(missing, name)
			continue
		}
		picked = append(picked, defs[i])
	}
	return picked, missing
}

func prefixed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = CustomFieldsField + "." + n
	}
	return out
}

// List yields every employee of every employment state that Scope
// accepts, terminated ones with Active false. See Connector for the calls.
func (k *Connector) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		if isTraining(c) && k.train != nil {
			k.train.list(ctx, c)(yield)
			return
		}
		if c != syncengine.Users {
			yield(syncengine.Record{}, unsupported(c, "list"))
			return
		}
		l, err := k.prepare(ctx, "list users")
		if err != nil {
			yield(syncengine.Record{}, err)
			return
		}
		k.scan(ctx, l, nil, yield)
	}
}

// scan reads the directory and yields the records of the rows keep
// accepts (nil: all) and Scope accepts, a page at a time, reading the
// detail of a page's employees concurrently when the plan needs it. A row
// listed twice (the directory shifted between pages) is yielded once.
func (k *Connector) scan(ctx context.Context, l *listing, keep func(*DirectoryRow) bool, yield func(syncengine.Record, error) bool) {
	seen := map[string]bool{}
	batch := make([]DirectoryRow, 0, MaxPageSize)
	var failing int // detail reads failed in a row, across pages
	flush := func() bool {
		recs, err := k.rowRecords(ctx, l, batch, &failing)
		batch = batch[:0]
		if err != nil {
			yield(syncengine.Record{}, err)
			return false
		}
		for _, r := range recs {
			if r.err == nil && k.train != nil {
				k.train.remember(r.Record)
			}
			if k.InScope(syncengine.Users, r.Record) && !yield(r.Record, r.err) {
				return false
			}
		}
		return true
	}
	var state map[uint64]uint64 // a full listing's change cursor (ListCursor)
	if keep == nil {
		state = map[uint64]uint64{}
	}
	for row, err := range k.client.ListDirectory(ctx, l.params) {
		if err != nil {
			yield(syncengine.Record{}, err)
			return
		}
		if seen[row.ID] || checkID(row.ID) != nil || (keep != nil && !keep(&row)) {
			continue
		}
		seen[row.ID] = true
		if state != nil {
			if id, err := strconv.ParseUint(row.ID, 10, 64); err == nil {
				state[id] = rowState(row.Fingerprint(), row.Terminated(l.today))
			}
		}
		if batch = append(batch, row); len(batch) == MaxPageSize && !flush() {
			return
		}
	}
	if len(batch) > 0 && !flush() {
		return
	}
	if state != nil {
		k.mu.Lock()
		k.listCursor = encodeCursor(state)
		k.mu.Unlock()
	}
}

// ListCursor implements syncengine.ListCursorer: the Changes cursor as
// of the last complete List of users, which read the same directory a
// Changes call would (so a full sync reads it once, not twice). It is
// handed out once.
func (k *Connector) ListCursor(c syncengine.Collection) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	cur := k.listCursor
	k.listCursor = ""
	return cur, c == syncengine.Users && cur != ""
}

// rowRecord is a listed record, with the error wrapping
// syncengine.ErrIncomplete when only its directory row could be read.
type rowRecord struct {
	syncengine.Record
	err error
}

// maxFailingDetails is how many detail reads may fail in a row, each
// after its retries, before a listing takes it for an outage and ends:
// one employee the API will not serve is held for the run
// (syncengine.ErrIncomplete); a dead API is not asked 10,000 times.
const maxFailingDetails = 8

// rowRecords turns rows into records, with their detail when the plan
// reads detail fields. An employee deleted between the listing and its
// detail read is left out; one whose detail read failed is its row's
// record, read in part. failing counts the detail reads failed in a row.
func (k *Connector) rowRecords(ctx context.Context, l *listing, rows []DirectoryRow, failing *int) ([]rowRecord, error) {
	var details []detail
	var names func([]string) []any
	if l.plan.details {
		var err error
		if names, err = k.languageNamer(ctx, l.plan); err != nil {
			return nil, err
		}
		if details, err = k.details(ctx, rows, failing); err != nil {
			return nil, err
		}
	}
	out := make([]rowRecord, 0, len(rows))
	for i := range rows {
		p := personOfRow(&rows[i])
		rec := rowRecord{Record: p.record(l.plan, l.today)}
		if l.plan.readsCustom() && len(l.defs) > 0 {
			rec.Fields[CustomFieldsField] = customFromRow(rows[i].Extra, l.defs)
		}
		if details != nil {
			switch d := details[i]; {
			case d.err != nil:
				k.warn("talenthr: employee's detail could not be read; held for this run", "employee", rows[i].ID, "error", d.err)
				rec.err = fmt.Errorf("talenthr: read employee %s: %w (%w)", rows[i].ID, d.err, syncengine.ErrIncomplete)
			case d.e == nil:
				k.warn("talenthr: employee listed but gone when its detail was read; left out", "employee", rows[i].ID)
				continue
			default:
				detailValues(rec.Fields, d.e, l.plan, names)
			}
		}
		out = append(out, rec)
	}
	return out, nil
}

// detail is one GET /employees/{id}: the employee, nil on a 404, or the
// error that remained after the client's retries.
type detail struct {
	e   *Employee
	err error
}

// details reads GET /employees/{id} for every row, DetailReads at a time;
// a 404 gives a nil employee, another failure that row's error. The
// listing ends (an error) on a failure no employee can get past (the
// credentials refused, the context done) and when maxFailingDetails
// reads in a row have failed.
func (k *Connector) details(ctx context.Context, rows []DirectoryRow, failing *int) ([]detail, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	out := make([]detail, len(rows))
	sem := make(chan struct{}, k.opts.DetailReads)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range rows {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			e, err := k.client.GetEmployee(ctx, rows[i].ID)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil || errors.Is(err, ErrNotFound):
				out[i].e, *failing = e, 0
			case ctx.Err() != nil:
				out[i].err = ctx.Err()
			case fatalDetail(err):
				cancel(err)
			default:
				out[i].err = err
				if *failing++; *failing >= maxFailingDetails {
					cancel(fmt.Errorf("%d employee reads in a row failed, the last: %w", *failing, err))
				}
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// fatalDetail reports whether a failed detail read ends the listing: the
// credentials were refused or may not read employees, which no other
// employee's read gets past.
func fatalDetail(err error) bool {
	return errors.Is(err, syncengine.ErrUnauthorized) || errors.Is(err, syncengine.ErrForbidden)
}

// Get reads one employee (GET /employees/{id}), in scope or not, with the
// same fields a listing gives. An id that cannot be TalentHR's, or a 404,
// wraps syncengine.ErrNotFound.
func (k *Connector) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	if isTraining(c) && k.train != nil {
		return k.train.get(ctx, c, id)
	}
	if c != syncengine.Users {
		return syncengine.Record{}, unsupported(c, "get")
	}
	if err := employeeID(ctx, "get employee", id); err != nil {
		return syncengine.Record{}, err
	}
	plan := k.readPlan()
	if len(plan.unknown) > 0 {
		return syncengine.Record{}, unknownFieldError(plan.unknown, "not a directory, employee or custom field")
	}
	e, err := k.client.GetEmployee(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	return k.employeeRecord(ctx, e, plan)
}

// employeeRecord builds the record of one employee read with GET
// /employees/{id}.
func (k *Connector) employeeRecord(ctx context.Context, e *Employee, plan readPlan) (syncengine.Record, error) {
	today := k.today()
	p := personOfEmployee(e)
	if p.status == "" && plan.fields["employment_status"] {
		status, err := k.jobStatus(ctx, e.ID, today)
		if err != nil {
			return syncengine.Record{}, err
		}
		p.status = status
	}
	rec := p.record(plan, today)
	if e.IsTerminated && rec.Active {
		k.warn("talenthr: employee is_terminated but the termination date has not come; read as active (the directory's rule)",
			"employee", e.ID)
	}
	if plan.readsCustom() {
		custom, err := k.employeeCustom(ctx, e, plan)
		if err != nil {
			return syncengine.Record{}, err
		}
		if custom != nil {
			rec.Fields[CustomFieldsField] = custom
		}
	}
	if plan.details {
		names, err := k.languageNamer(ctx, plan)
		if err != nil {
			return syncengine.Record{}, err
		}
		detailValues(rec.Fields, e, plan, names)
	}
	return rec, nil
}

// employeeCustom reads the custom fields of e: from its reply, or GET
// /employees/{id}/custom-fields when the reply lists none (whether it
// carries them is not published) unless the Cache holds definitions that
// say the company has none. nil when the company has no custom field.
func (k *Connector) employeeCustom(ctx context.Context, e *Employee, plan readPlan) (map[string]any, error) {
	fields := e.CustomFields
	var defs []customDef
	if len(fields) == 0 && !(k.cached(ctx, cacheCustomFields, &defs) && len(defs) == 0) {
		// The reply lists none, and the Cache does not say the company has
		// none: ask the call that lists them.
		var err error
		if fields, err = k.client.ListCustomFields(ctx, e.ID); err != nil {
			return nil, err
		}
	}
	want := func(name string) bool { return plan.allCustom || slices.Contains(plan.custom, name) }
	out, names := customFromEmployee(fields, want)
	var missing []string
	for _, n := range plan.custom {
		if !slices.Contains(names, n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, unknownFieldError(prefixed(missing), "no custom field has that name")
	}
	if len(names) == 0 {
		return nil, nil
	}
	return out, nil
}

// Find looks users up by "email", case-insensitively and trimmed, among
// every employee of every employment state: TalentHR has no email filter,
// so it reads the directory (see Connector for the calls). No match is an
// empty result.
func (k *Connector) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	return k.FindMany(ctx, c, field, []any{value})
}

// FindMany implements syncengine.ManyFinder: the users whose "email" is
// any of values, compared as Find compares one, in one read of the
// directory, the same cost as Find.
func (k *Connector) FindMany(ctx context.Context, c syncengine.Collection, field string, values []any) ([]syncengine.Record, error) {
	if c != syncengine.Users || field != "email" {
		return nil, fmt.Errorf("talenthr: find %s by %q: %w (users are found by \"email\")", c, field, syncengine.ErrUnsupported)
	}
	want := map[string]bool{}
	for _, v := range values {
		s, ok := v.(string)
		if !ok && v != nil {
			s = fmt.Sprint(v)
		}
		if s = foldEmail(s); s != "" {
			want[s] = true
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	l, err := k.prepare(ctx, "find users")
	if err != nil {
		return nil, err
	}
	var out []syncengine.Record
	var failed error
	k.scan(ctx, l, func(r *DirectoryRow) bool { return want[foldEmail(r.Email)] },
		func(r syncengine.Record, err error) bool {
			// A record read in part still says the employee exists.
			if err != nil && (r.ID == "" || !errors.Is(err, syncengine.ErrIncomplete)) {
				failed = err
				return false
			}
			out = append(out, r)
			return true
		})
	if failed != nil {
		return nil, failed
	}
	return out, nil
}

// foldEmail is an email as Find compares it.
func foldEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

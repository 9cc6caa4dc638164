package talenthr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// hireFields are the record fields the hire call takes; the last six
// cannot be changed afterwards: TalentHR keeps them on job records, which
// it has no public call to add (https://apidocs.talenthr.io/, "Update
// employee" takes none of them).
var (
	hireFields     = []string{"first_name", "last_name", "email", "hire_date", "employment_status", "job_title", "department", "division", "location"}
	hireOnlyFields = hireFields[3:]
)

// readOnlyFields are read and never written, with why.
var readOnlyFields = map[string]string{
	"id":                     "TalentHR assigns employee ids",
	"termination_date":       "TalentHR publishes no termination call",
	"termination_reason":     "TalentHR publishes no termination call",
	"reports_to_employee_id": `the manager is written as Refs["manager"]`,
	CustomFieldsField:        "TalentHR publishes no call that writes custom fields",
}

// updateKeyByName indexes UpdateEmployeeParams's keys.
var updateKeyByName = func() map[string]updateKey {
	m := map[string]updateKey{}
	for _, u := range updateKeys() {
		m[u.name] = u
	}
	return m
}()

// Create hires rec (POST /employees/hire) and returns the new employee
// id. It needs first_name, last_name, email and hire_date (a time.Time or
// a "2006-01-02" text; TalentHR cannot hire without one: a fallback, such
// as the learner's creation date, is the map's business) and an
// employment status (the "employment_status" field, else
// ConnectorOptions.EmploymentStatus). job_title, department, division and
// location are names, resolved to ids through the lookup lists (created
// when missing only with ConnectorOptions.CreateMissingLookups). The
// manager is Refs["manager"]. Other fields are those of Update, written by
// one PUT right after the hire. Every field is checked before anything is
// sent, and a bad one is named.
//
// When the hire may or may not have happened, or it happened but the PUT
// after it failed, the error matches syncengine.ErrOutcomeUnknown: the
// engine then finds the employee by email and finishes the record with an
// update instead of hiring again.
func (k *Connector) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	if isTraining(c) && k.train != nil {
		return k.train.create(ctx, c, rec)
	}
	if c != syncengine.Users {
		return "", unsupported(c, "create")
	}
	email, _ := textOf(rec.Fields["email"])
	op := fmt.Sprintf("hire %q", clipText(strings.TrimSpace(email), 80))
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("talenthr: %s: %w", op, err)
	}
	hp, names, err := k.hireParams(rec)
	if err != nil {
		return "", fmt.Errorf("talenthr: %s: %w", op, err)
	}
	rest, err := k.updateParams(ctx, without(rec.Fields, hireFields), op)
	if err != nil {
		return "", err
	}
	if err := k.resolvePlacement(ctx, &hp, names); err != nil {
		return "", fmt.Errorf("talenthr: %s: %w", op, err)
	}
	id, err := k.client.Hire(ctx, hp)
	if err != nil || rest.n == 0 {
		return id, err
	}
	if err := k.client.UpdateEmployee(ctx, id, rest.params); err != nil {
		return "", fmt.Errorf("talenthr: %s: hired as employee %s, but setting %s right after failed: %v: %w",
			op, id, strings.Join(rest.keys, ", "), err, syncengine.ErrOutcomeUnknown)
	}
	return id, nil
}

// placementNames are the lookup names of a hire, by field.
type placementNames map[string]string

// hireParams builds the hire from the fields the hire call takes, and
// the manager ref; lookups are resolved later.
func (k *Connector) hireParams(rec syncengine.Record) (HireParams, placementNames, error) {
	hp := HireParams{SendInvitationEmail: k.opts.SendEmail, IsExisting: k.opts.IsExisting}
	names := placementNames{}
	for _, f := range hireFields {
		if f == "hire_date" {
			continue
		}
		s, ok := textOf(rec.Fields[f])
		if !ok {
			return hp, nil, fmt.Errorf("%s: want text, got %T: %w", f, rec.Fields[f], syncengine.ErrInvalid)
		}
		names[f] = strings.TrimSpace(s)
	}
	hp.FirstName, hp.LastName, hp.Email = names["first_name"], names["last_name"], names["email"]
	for _, f := range []string{"first_name", "last_name", "email"} {
		if names[f] == "" {
			return hp, nil, fmt.Errorf("%s is required: %w", f, syncengine.ErrInvalid)
		}
	}
	d, err := dateOf(rec.Fields["hire_date"])
	switch {
	case err != nil:
		return hp, nil, fmt.Errorf("hire_date: %w", err)
	case d.IsZero():
		return hp, nil, fmt.Errorf("hire_date is required: TalentHR cannot hire without one (map a fallback, such as the learner's creation date): %w", syncengine.ErrInvalid)
	}
	hp.HireDate = d
	if names["employment_status"] == "" {
		names["employment_status"] = strings.TrimSpace(k.opts.EmploymentStatus)
	}
	if names["employment_status"] == "" {
		return hp, nil, fmt.Errorf("employment_status is required: give the record one or set ConnectorOptions.EmploymentStatus (\"Full-Time\"): %w", syncengine.ErrInvalid)
	}
	mgr, err := managerRef(rec.Refs, false)
	if err != nil {
		return hp, nil, err
	}
	hp.ReportsToEmployeeID, _ = mgr.Value()
	return hp, names, nil
}

// resolvePlacement turns the hire's lookup names into ids.
func (k *Connector) resolvePlacement(ctx context.Context, hp *HireParams, names placementNames) error {
	var jr JobRecord
	for _, f := range []struct {
		field string
		kind  LookupKind
		id    *string
	}{
		{"employment_status", EmploymentStatuses, &hp.EmploymentStatusID}, {"job_title", JobTitles, &jr.JobTitleID},
		{"department", Departments, &jr.DepartmentID}, {"division", Divisions, &jr.DivisionID}, {"location", Locations, &jr.LocationID},
	} {
		if names[f.field] == "" {
			continue
		}
		id, err := k.lookupID(ctx, f.kind, names[f.field])
		if err != nil {
			return fmt.Errorf("%s: %w", f.field, err)
		}
		*f.id = id
	}
	if jr != (JobRecord{}) {
		hp.JobRecord = &jr
	}
	return nil
}

// lookupID resolves one name. A name the kept list lacks is looked for
// in a fresh list (someone may have added it in TalentHR) and, with
// ConnectorOptions.CreateMissingLookups, created.
func (k *Connector) lookupID(ctx context.Context, kind LookupKind, name string) (string, error) {
	e, _, err := k.lk.Ensure(ctx, kind, name, false)
	var le *LookupError
	if !errors.As(err, &le) || len(le.IDs) > 0 {
		return e.ID, err
	}
	k.lk.Forget(kind)
	e, created, err := k.lk.Ensure(ctx, kind, name, k.opts.CreateMissingLookups)
	if created {
		k.info("talenthr: created a lookup entry (CreateMissingLookups)", "kind", string(kind), "name", name, "id", e.ID)
	}
	if errors.As(err, &le) && len(le.IDs) == 0 && kind.Creatable() && !k.opts.CreateMissingLookups {
		return "", fmt.Errorf("%w; ConnectorOptions.CreateMissingLookups lets the connector create it", err)
	}
	return e.ID, err
}

// Update writes the changed fields of employee id with one partial PUT
// /employees/{id}: only those keys are sent, and nil (or "") clears a key.
// The writable fields are the keys of TalentHR's update call
// (UpdateEmployeeParams): names, email, phones, addresses, birth_date,
// ssn, hr_languages (names or codes) and so on. hire_date, the
// employment status and the placement (job_title, department, division,
// location) can be set only by the hire, and custom fields not at all:
// they are refused, before anything is sent, with an error matching
// syncengine.ErrUnsupported (make such map rules create-only, "when":
// "create"). first_name, last_name and email cannot be cleared.
func (k *Connector) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	if isTraining(c) && k.train != nil {
		return k.train.update(ctx, c, id, changed)
	}
	if c != syncengine.Users {
		return unsupported(c, "update")
	}
	op := "update employee " + clipText(id, 20)
	if err := employeeID(ctx, op, id); err != nil {
		return err
	}
	u, err := k.updateParams(ctx, changed, op)
	if err != nil || u.n == 0 {
		return err
	}
	return k.client.UpdateEmployee(ctx, id, u.params)
}

// update is a checked partial update.
type update struct {
	params UpdateEmployeeParams
	keys   []string
	n      int
}

// updateParams turns record fields into a partial update, naming the
// first field that cannot be written. hr_languages names are resolved
// (one list, kept).
func (k *Connector) updateParams(ctx context.Context, fields map[string]any, op string) (update, error) {
	var u update
	v := reflect.ValueOf(&u.params).Elem()
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		f, err := k.fieldValue(ctx, name, fields[name])
		if err != nil {
			return update{}, fmt.Errorf("talenthr: %s: %s: %w", op, name, err)
		}
		v.Field(updateKeyByName[name].index).Set(reflect.ValueOf(f))
		u.keys = append(u.keys, name)
	}
	u.n = len(u.keys)
	if u.n > 0 {
		if _, err := u.params.MarshalJSON(); err != nil {
			return update{}, fmt.Errorf("talenthr: %s: %v: %w", op, err, syncengine.ErrInvalid)
		}
	}
	return u, nil
}

// fieldValue converts one record value into the Field of its update key.
func (k *Connector) fieldValue(ctx context.Context, name string, v any) (any, error) {
	if why, ok := readOnlyFields[name]; ok {
		return nil, fmt.Errorf("cannot be written (%s): %w", why, syncengine.ErrUnsupported)
	}
	if slices.Contains(hireOnlyFields, name) {
		return nil, fmt.Errorf("can be set only when hiring: TalentHR has no public call that changes it (make the map rule create-only): %w", syncengine.ErrUnsupported)
	}
	u, ok := updateKeyByName[name]
	if !ok {
		return nil, fmt.Errorf("not a field TalentHR's update takes: %w", syncengine.ErrInvalid)
	}
	switch u.kind {
	case updateText:
		s, ok := textOf(v)
		if !ok {
			return nil, fmt.Errorf("want text, got %T: %w", v, syncengine.ErrInvalid)
		}
		if strings.TrimSpace(s) == "" {
			return Null[string](), nil
		}
		return Set(s), nil
	case updateDate:
		d, err := dateOf(v)
		if err != nil {
			return nil, err
		}
		if d.IsZero() {
			return Null[Date](), nil
		}
		return Set(d), nil
	case updateIDs:
		return k.languagesField(ctx, v)
	}
	return nil, fmt.Errorf("the connector does not write this nested key: %w", syncengine.ErrUnsupported)
}

// languagesField turns language names or codes into hr_languages ids.
func (k *Connector) languagesField(ctx context.Context, v any) (any, error) {
	var names []string
	switch x := v.(type) {
	case nil:
	case string:
		if strings.TrimSpace(x) != "" {
			names = []string{x}
		}
	case []string:
		names = x
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("want language names, got a %T: %w", e, syncengine.ErrInvalid)
			}
			names = append(names, s)
		}
	default:
		return nil, fmt.Errorf("want language names, got %T: %w", v, syncengine.ErrInvalid)
	}
	if len(names) == 0 {
		return Null[[]string](), nil
	}
	ids, err := k.lk.LanguageIDs(ctx, names...)
	if err != nil {
		return nil, err
	}
	return Set(ids), nil
}

// textOf reads a text value: a string, or a number written in decimal.
// nil is "".
func textOf(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// dateOf reads a date: a time.Time (its calendar date where it is), or a
// text ParseDate takes. nil, "" and the zero time are the zero Date.
func dateOf(v any) (Date, error) {
	switch x := v.(type) {
	case nil:
		return Date{}, nil
	case time.Time:
		if x.IsZero() {
			return Date{}, nil
		}
		return DateOf(x), nil
	case string:
		d, err := ParseDate(x)
		if err != nil {
			return Date{}, fmt.Errorf("%v: %w", strings.TrimPrefix(err.Error(), "talenthr: "), syncengine.ErrInvalid)
		}
		return d, nil
	}
	return Date{}, fmt.Errorf("want a date (time.Time or YYYY-MM-DD), got %T: %w", v, syncengine.ErrInvalid)
}

// without is fields less the keys in drop.
func without(fields map[string]any, drop []string) map[string]any {
	out := make(map[string]any, len(fields))
	for f, v := range fields {
		if !slices.Contains(drop, f) {
			out[f] = v
		}
	}
	return out
}

func (k *Connector) info(msg string, args ...any) {
	if k.opts.Logger != nil {
		k.opts.Logger.Info(msg, args...)
	}
}

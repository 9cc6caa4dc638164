package hibob

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// CreateEmployeeParams is a new employee. FirstName, Surname, Email, Site
// and StartDate are required (https://apidocs.hibob.com/reference/post_people).
type CreateEmployeeParams struct {
	FirstName, Surname, Email string
	// Site is the name of an existing site (list "site"), e.g. "London".
	Site string
	// StartDate is the first working day; its calendar date is sent.
	StartDate time.Time
	// Title and Department name existing list items (lists "title" and
	// "department"), by ID or by name as the list spells it. HiBob
	// recommends both: they fill the first work entry.
	Title, Department string
	// Fields holds further values by field ID ("home.mobilePhone",
	// "work.custom.field_1698036945383"); they are nested as HiBob expects.
	Fields map[string]any
}

// CreateEmployee adds an employee (POST /people) and returns it as HiBob
// answered, with its new ID. Reads may lag a write by up to 20 seconds
// (https://apidocs.hibob.com/reference/post_people). When the create may or
// may not have happened the error wraps ErrOutcomeUnknown: look the
// employee up by email before creating again.
func (c *Client) CreateEmployee(ctx context.Context, p CreateEmployeeParams) (*Employee, error) {
	body, err := p.body()
	if err != nil {
		return nil, wrapf(err, "create employee %q", p.Email)
	}
	resp, err := c.do(ctx, call{ep: WriteEndpoint, method: http.MethodPost, path: "people", in: body})
	if err != nil {
		return nil, wrapf(err, "create employee %q", p.Email)
	}
	if e, err := decodeOne(resp.Body); err == nil && e.ID() != "" {
		return e, nil
	}
	// The employee exists, but the answer does not say which: look once.
	e, err := c.GetEmployee(ctx, p.Email, GetEmployeeParams{})
	if err != nil {
		return nil, wrapf(fmt.Errorf("created, but the answer has no id and the look-up failed (%v): %w",
			strings.TrimPrefix(err.Error(), "hibob: "), ErrOutcomeUnknown), "create employee %q", p.Email)
	}
	return e, nil
}

func (p CreateEmployeeParams) body() (map[string]any, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"FirstName", p.FirstName}, {"Surname", p.Surname}, {"Email", p.Email}, {"Site", p.Site},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if p.StartDate.IsZero() {
		missing = append(missing, "StartDate")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s required", strings.Join(missing, ", "))
	}
	if err := checkIdentifier(p.Email); err != nil || idRe.MatchString(p.Email) {
		return nil, fmt.Errorf("email %q is not an email address", truncate(p.Email, 60))
	}
	values := map[string]any{
		FieldFirstName: p.FirstName, FieldSurname: p.Surname, FieldEmail: p.Email,
		FieldSite: p.Site, FieldStartDate: formatDate(p.StartDate),
	}
	if p.Title != "" {
		values[FieldTitle] = p.Title
	}
	if p.Department != "" {
		values[FieldDepartment] = p.Department
	}
	for id, v := range p.Fields {
		if _, dup := values[id]; dup {
			return nil, fmt.Errorf("field %q is also set by a typed parameter", id)
		}
		values[id] = v
	}
	return nest(values)
}

// historical lists the fields HiBob keeps in the work table: a PUT on them
// answers 304 and stores nothing (https://apidocs.hibob.com/docs/update-employee-data).
var historical = map[string]bool{
	FieldTitle: true, FieldDepartment: true, FieldSite: true, FieldSiteID: true,
	FieldReportsTo: true, FieldManager: true, "work.workChangeType": true, "work.activeEffectiveDate": true,
}

// UpdateEmployee changes non-historical fields of one employee (PUT
// /people/{identifier}), which HiBob treats as a patch: only the fields in
// values, by field ID, are written. It reports whether HiBob changed
// anything: HiBob answers 304 for identical data, which is no error.
//
// Title, department, site and manager are historical: they change through
// AddWorkEntry with an effective date, and naming them here is an error, as
// is any internal.* field (lifecycle changes have their own calls).
func (c *Client) UpdateEmployee(ctx context.Context, identifier string, values map[string]any) (changed bool, err error) {
	if err := checkIdentifier(identifier); err != nil {
		return false, wrapf(err, "update employee")
	}
	if len(values) == 0 {
		return false, wrapf(errors.New("no fields to update"), "update employee %q", identifier)
	}
	for _, id := range sortedKeys(values) {
		if historical[id] || strings.HasPrefix(id, "internal.") {
			return false, wrapf(fmt.Errorf("field %q is historical: add a work entry (AddWorkEntry) with an effective date", id),
				"update employee %q", identifier)
		}
	}
	body, err := nest(values)
	if err != nil {
		return false, wrapf(err, "update employee %q", identifier)
	}
	_, err = c.do(ctx, call{ep: WriteEndpoint, method: http.MethodPut, path: "people/" + url.PathEscape(identifier), in: body})
	switch {
	case notModified(err):
		return false, nil
	case err != nil:
		return false, wrapf(err, "update employee %q", identifier)
	}
	return true, nil
}

// nest turns {"root.firstName": a, "home.mobilePhone": b} into
// {"firstName": a, "home": {"mobilePhone": b}}: each value at its field's
// JSON path, root fields at the top level.
func nest(values map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for _, id := range sortedKeys(values) {
		if !fieldIDRe.MatchString(id) {
			return nil, fmt.Errorf("field ID %q is not in dot notation (\"home.mobilePhone\")", truncate(id, 60))
		}
		path := nestedPath(strings.Split(id, "."))
		node := out
		for _, seg := range path[:len(path)-1] {
			child, ok := node[seg]
			if !ok {
				child = map[string]any{}
				node[seg] = child
			}
			m, ok := child.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("field %q clashes with another field's value", id)
			}
			node = m
		}
		leaf := path[len(path)-1]
		if _, taken := node[leaf]; taken {
			return nil, fmt.Errorf("field %q clashes with another field", id)
		}
		node[leaf] = values[id]
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package hibob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// MaxFields is the most field IDs one read may name
// (https://apidocs.hibob.com/docs/people-read-api-contract).
const MaxFields = 400

// HumanReadable chooses how list values, dates and numbers come back
// (https://apidocs.hibob.com/docs/how-to-work-with-lists-public-api).
type HumanReadable string

// The humanReadable choices. The zero value means HumanReadableAppend.
const (
	// HumanReadableAppend returns machine values (list item IDs, ISO dates)
	// and a "humanReadable" object with their display values: stable IDs
	// and names in one read.
	HumanReadableAppend HumanReadable = "APPEND"
	// HumanReadableReplace returns display values instead of machine ones.
	HumanReadableReplace HumanReadable = "REPLACE"
	// MachineOnly sends no humanReadable: machine values only.
	MachineOnly HumanReadable = "MACHINE"
)

// wire is the request value: "" for MachineOnly.
func (h HumanReadable) wire() (string, error) {
	switch strings.ToUpper(string(h)) {
	case "", string(HumanReadableAppend):
		return string(HumanReadableAppend), nil
	case string(HumanReadableReplace):
		return string(HumanReadableReplace), nil
	case string(MachineOnly):
		return "", nil
	}
	return "", fmt.Errorf("humanReadable %q is not APPEND, REPLACE or MACHINE", truncate(string(h), 20))
}

// DefaultFields returns the field IDs a read asks for when its Fields are
// empty: what an HR→LMS sync needs, leavers' termination dates included.
// HiBob's own default set has no internal.* fields.
func DefaultFields() []string {
	return []string{
		FieldID, FieldEmail, FieldFirstName, FieldSurname, FieldDisplayName,
		FieldTitle, FieldDepartment, FieldSite, FieldSiteID, FieldStartDate,
		FieldReportsTo, FieldManager, FieldStatus, FieldLifecycleStatus, FieldTerminationDate,
	}
}

// Filter narrows a search. HiBob takes one filter, on root.id or root.email,
// with the operator "equals" and at least one value
// (https://apidocs.hibob.com/reference/post_people-search).
type Filter struct {
	FieldPath string   `json:"fieldPath"`
	Operator  string   `json:"operator"`
	Values    []string `json:"values"`
}

// FilterIDs matches the employees with these backend IDs: the way to read a
// large company in batches.
func FilterIDs(ids ...string) *Filter {
	return &Filter{FieldPath: FieldID, Operator: "equals", Values: ids}
}

// FilterEmails matches the employees with these work emails.
func FilterEmails(emails ...string) *Filter {
	return &Filter{FieldPath: FieldEmail, Operator: "equals", Values: emails}
}

func (f *Filter) check() error {
	if f.FieldPath != FieldID && f.FieldPath != FieldEmail {
		return fmt.Errorf("filter on %q: HiBob filters only on root.id or root.email", truncate(f.FieldPath, 60))
	}
	if f.Operator != "" && f.Operator != "equals" {
		return fmt.Errorf("filter operator %q: HiBob takes only \"equals\"", truncate(f.Operator, 20))
	}
	if len(f.Values) == 0 {
		return errors.New("filter has no values (HiBob answers 400)")
	}
	for _, v := range f.Values {
		if strings.TrimSpace(v) == "" {
			return errors.New("filter has an empty value")
		}
	}
	return nil
}

// SearchParams selects what SearchPeople reads.
type SearchParams struct {
	// Fields are field IDs in dot notation, at most MaxFields; empty means
	// DefaultFields(). Fields the service user may not see are silently
	// left out of the answer, as are unknown ones.
	Fields []string
	// Filter narrows the search; nil reads everyone.
	Filter *Filter
	// ActiveOnly leaves out inactive employees: leavers and hires who have
	// not started. By default they are included (showInactive: true), so a
	// sync sees leavers and can deactivate them.
	ActiveOnly bool
	// HumanReadable defaults to HumanReadableAppend.
	HumanReadable HumanReadable
}

type searchBody struct {
	Fields        []string `json:"fields"`
	Filters       []Filter `json:"filters,omitempty"` // never "[]": HiBob may answer 400
	ShowInactive  bool     `json:"showInactive"`
	HumanReadable string   `json:"humanReadable,omitempty"`
}

type employeesBody struct {
	Employees *[]Employee `json:"employees"`
}

// SearchPeople reads every matching employee in one call (POST
// /people/search): HiBob does not page it, so a company of thousands comes
// back in one answer; batch with FilterIDs to read less. The call counts
// against SearchEndpoint's limit, 50 a minute by default.
func (c *Client) SearchPeople(ctx context.Context, p SearchParams) ([]Employee, error) {
	body, err := p.body()
	if err != nil {
		return nil, wrapf(err, "search people")
	}
	var out employeesBody
	if _, err := c.do(ctx, call{ep: SearchEndpoint, method: http.MethodPost, path: "people/search",
		in: body, out: &out, idempotent: retrySafe()}); err != nil {
		return nil, wrapf(err, "search people")
	}
	if out.Employees == nil {
		return nil, wrapf(errors.New(`the answer has no "employees" array`), "search people")
	}
	return *out.Employees, nil
}

func (p SearchParams) body() (*searchBody, error) {
	fields, err := checkFields(p.Fields)
	if err != nil {
		return nil, err
	}
	hr, err := p.HumanReadable.wire()
	if err != nil {
		return nil, err
	}
	b := &searchBody{Fields: fields, ShowInactive: !p.ActiveOnly, HumanReadable: hr}
	if p.Filter != nil {
		f := *p.Filter
		if err := f.check(); err != nil {
			return nil, err
		}
		f.Operator = "equals"
		b.Filters = []Filter{f}
	}
	return b, nil
}

// fieldIDRe is a field ID in dot notation: "root.id", "work.custom.field_1".
var fieldIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$`)

// checkFields returns fields, or DefaultFields() when empty, after checking them.
func checkFields(fields []string) ([]string, error) {
	if len(fields) == 0 {
		return DefaultFields(), nil
	}
	if len(fields) > MaxFields {
		return nil, fmt.Errorf("%d fields requested, HiBob allows at most %d", len(fields), MaxFields)
	}
	for _, f := range fields {
		if !fieldIDRe.MatchString(f) {
			return nil, fmt.Errorf("field ID %q is not in dot notation (\"work.title\")", truncate(f, 60))
		}
	}
	return fields, nil
}

// GetEmployeeParams selects what GetEmployee reads.
type GetEmployeeParams struct {
	// Fields are field IDs, at most MaxFields; empty means DefaultFields().
	Fields []string
	// HumanReadable defaults to HumanReadableAppend.
	HumanReadable HumanReadable
}

type readBody struct {
	Fields        []string `json:"fields"`
	HumanReadable string   `json:"humanReadable,omitempty"`
}

// GetEmployee reads one employee by backend ID or work email (POST
// /people/{identifier}); inactive employees are found too. An unknown one is
// ErrNotFound. This is the read a webhook event calls for: events carry IDs,
// not data.
func (c *Client) GetEmployee(ctx context.Context, identifier string, p GetEmployeeParams) (*Employee, error) {
	if err := checkIdentifier(identifier); err != nil {
		return nil, wrapf(err, "get employee")
	}
	fields, err := checkFields(p.Fields)
	if err != nil {
		return nil, wrapf(err, "get employee %q", identifier)
	}
	hr, err := p.HumanReadable.wire()
	if err != nil {
		return nil, wrapf(err, "get employee %q", identifier)
	}
	resp, err := c.do(ctx, call{ep: ReadEndpoint, method: http.MethodPost, path: "people/" + url.PathEscape(identifier),
		in: readBody{Fields: fields, HumanReadable: hr}, idempotent: retrySafe()})
	if err != nil {
		return nil, wrapf(err, "get employee %q", identifier)
	}
	e, err := decodeOne(resp.Body)
	return e, wrapf(err, "get employee %q", identifier)
}

// decodeOne reads a bare employee object, or {"employees": [one]} as some
// gateways wrap it (https://apidocs.hibob.com/reference/post_people-identifier).
func decodeOne(body []byte) (*Employee, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("empty answer, want an employee")
	}
	var wrapped employeesBody
	if json.Unmarshal(body, &wrapped) == nil && wrapped.Employees != nil {
		switch n := len(*wrapped.Employees); n {
		case 0:
			return nil, fmt.Errorf("the answer lists no employee: %w", ErrNotFound)
		case 1:
			return &(*wrapped.Employees)[0], nil
		default:
			return nil, fmt.Errorf("the answer lists %d employees, want one", n)
		}
	}
	var e Employee
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

var idRe = regexp.MustCompile(`^[0-9]{1,20}$`)

// checkIdentifier accepts a backend ID (digits) or a work email.
func checkIdentifier(s string) error {
	if idRe.MatchString(s) {
		return nil
	}
	if strings.Count(s, "@") == 1 && !strings.ContainsAny(s, " \t\r\n/?#\\") && len(s) <= 254 &&
		!strings.HasPrefix(s, "@") && !strings.HasSuffix(s, "@") {
		return nil
	}
	return fmt.Errorf("%q is neither an employee ID (digits) nor a work email", truncate(s, 60))
}

// checkEmployeeID accepts a backend ID only, as the table endpoints take.
func checkEmployeeID(s string) error {
	if !idRe.MatchString(s) {
		return fmt.Errorf("employee ID %q is not a HiBob ID (digits)", truncate(s, 60))
	}
	return nil
}

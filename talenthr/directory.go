package talenthr

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// MaxPageSize is the largest directory page TalentHR serves (limit 1-100;
// its default is 10).
const MaxPageSize = 100

// NoPaging is the DirectoryParams.Offset that asks ListDirectoryPage for every
// row in one reply (offset=-1 turns paging off on /directory).
const NoPaging = -1

// DirectoryRow is one employee as GET /directory lists them: identity,
// placement (ids and names) and dates. It is the only list of employees
// TalentHR has.
type DirectoryRow struct {
	ID                   string    `json:"id"`
	UserID               string    `json:"user_id"`
	FirstName            string    `json:"first_name"`
	LastName             string    `json:"last_name"`
	Email                string    `json:"email"`
	ReportsToEmployeeID  string    `json:"reports_to_employee_id"` // "" for the head of the company
	DivisionID           string    `json:"division_id"`
	Division             string    `json:"division"`
	EmploymentStatusID   string    `json:"employment_status_id"`
	EmploymentStatusName string    `json:"employment_status_name"` // the kind of employment ("Full-Time"), not active or not
	DepartmentID         string    `json:"department_id"`
	Department           string    `json:"department"`
	JobTitleID           string    `json:"job_title_id"`
	JobTitle             string    `json:"job_title"`
	LocationID           string    `json:"location_id"`
	Location             string    `json:"location"`
	HireDate             Date      `json:"hire_date"`
	TerminationDate      Date      `json:"termination_date"` // zero while employed; may lie in the future
	WorkPhone            string    `json:"work_phone"`
	LinkedInURL          string    `json:"linked_in_url"`
	PhotoURL             string    `json:"photo_url"`
	UserRole             *UserRole `json:"user_role"`
	// Extra keeps the other keys: u_id, custom-field columns asked for
	// with DirectoryParams.CustomFields, and whatever TalentHR adds.
	Extra Extra `json:"-"`
}

// UserRole is an employee's role in TalentHR ("employee", "admin", ...).
type UserRole struct {
	ID    string `json:"id"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Extra Extra  `json:"-"`
}

// UnmarshalJSON decodes tolerantly (ids as numbers or strings).
func (r *DirectoryRow) UnmarshalJSON(b []byte) error { return decodeObject(b, r) }

// MarshalJSON writes the row with its Extra keys.
func (r DirectoryRow) MarshalJSON() ([]byte, error) { return encodeObject(r) }

// UnmarshalJSON decodes tolerantly.
func (u *UserRole) UnmarshalJSON(b []byte) error { return decodeObject(b, u) }

// MarshalJSON writes the role with its Extra keys.
func (u UserRole) MarshalJSON() ([]byte, error) { return encodeObject(u) }

// Terminated reports whether the employee has left by today: a termination
// date is set and is not after today. An employee leaves on the
// termination date itself; a later date is a termination still to come,
// and the row does not change on the day it arrives, so a poller must
// compare the date with today on every poll.
func (r DirectoryRow) Terminated(today Date) bool {
	return !r.TerminationDate.IsZero() && !r.TerminationDate.After(today)
}

// DirectoryFilter narrows the directory to employees with one of the given
// ids per key; ids come from DirectoryFilters. It is sent as
// filter=department=6;location=36,37;emp_state=1,2,3.
type DirectoryFilter struct {
	Departments      []string
	Divisions        []string
	Locations        []string
	EmploymentStates []string // emp_state ids (active, terminated, ... as the company names them)
}

// IsZero reports whether f filters nothing.
func (f DirectoryFilter) IsZero() bool {
	return len(f.Departments)+len(f.Divisions)+len(f.Locations)+len(f.EmploymentStates) == 0
}

// String is the filter parameter's value.
func (f DirectoryFilter) String() string {
	var parts []string
	for _, kv := range f.keys() {
		if len(kv.ids) > 0 {
			parts = append(parts, kv.key+"="+strings.Join(kv.ids, ","))
		}
	}
	return strings.Join(parts, ";")
}

type filterKey struct {
	key string
	ids []string
}

// keys are the filter's keys in the order they are sent. "location" and
// "emp_state" are in the published example; "department" and "division"
// follow the same singular form.
func (f DirectoryFilter) keys() []filterKey {
	return []filterKey{
		{"department", f.Departments}, {"division", f.Divisions},
		{"location", f.Locations}, {"emp_state", f.EmploymentStates},
	}
}

func (f DirectoryFilter) check() error {
	for _, kv := range f.keys() {
		for _, id := range kv.ids {
			if err := checkID(id); err != nil {
				return fmt.Errorf("filter %s: %w", kv.key, err)
			}
		}
	}
	return nil
}

// DirectoryParams selects what a directory read lists.
type DirectoryParams struct {
	// Offset is the 0-based row to start at; NoPaging asks for every row
	// at once (ListDirectoryPage only).
	Offset int
	// Limit is the page size, 1 to MaxPageSize. 0 means MaxPageSize for
	// ListDirectory and TalentHR's own default (10) for ListDirectoryPage.
	Limit int
	// Filter narrows the list; the zero filter lists the default directory.
	Filter DirectoryFilter
	// CustomFields adds the columns of these custom-field slugs to every
	// row (into DirectoryRow.Extra, keyed by slug).
	CustomFields []string
	// Sort names one field to sort by; Order is "asc" or "desc".
	Sort, Order string
}

func (p DirectoryParams) query() (url.Values, error) {
	q := url.Values{}
	switch {
	case p.Offset < NoPaging:
		return nil, fmt.Errorf("offset %d is negative (NoPaging is -1)", p.Offset)
	case p.Limit < 0 || p.Limit > MaxPageSize:
		return nil, fmt.Errorf("limit %d is outside 1..%d", p.Limit, MaxPageSize)
	case p.Order != "" && p.Order != "asc" && p.Order != "desc":
		return nil, fmt.Errorf("order %q is not asc or desc", clipText(p.Order, 20))
	}
	if err := p.Filter.check(); err != nil {
		return nil, err
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	q.Set("offset", strconv.Itoa(p.Offset))
	if !p.Filter.IsZero() {
		q.Set("filter", p.Filter.String())
	}
	for _, slug := range p.CustomFields {
		if slug == "" || strings.ContainsAny(slug, ", ") {
			return nil, fmt.Errorf("custom field slug %q is empty or has a comma or space", clipText(slug, 40))
		}
	}
	if len(p.CustomFields) > 0 {
		q.Set("custom_fields", strings.Join(p.CustomFields, ","))
	}
	if p.Sort != "" {
		q.Set("sort", p.Sort)
	}
	if p.Order != "" {
		q.Set("order", p.Order)
	}
	return q, nil
}

// DirectoryPage is one page of the directory: its rows and TalentHR's
// count of all the rows the directory holds.
type DirectoryPage struct {
	Total int            `json:"total"`
	Rows  []DirectoryRow `json:"rows"`
}

// UnmarshalJSON decodes tolerantly: total as a number or a string, and a
// bare array of rows (as an unpaged reply may come) as a page of them all.
func (p *DirectoryPage) UnmarshalJSON(b []byte) error {
	if rows, err := decodeList[DirectoryRow](b); err == nil {
		*p = DirectoryPage{Total: len(rows), Rows: rows}
		return nil
	}
	var w struct {
		Total json.RawMessage `json:"total"`
		Rows  json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	s, _ := scalarText(w.Total)
	p.Total, _ = strconv.Atoi(strings.TrimSpace(s))
	rows, err := decodeList[DirectoryRow](w.Rows)
	p.Rows = rows
	return err
}

// ListDirectoryPage reads one page of the directory (GET /directory).
func (c *Client) ListDirectoryPage(ctx context.Context, p DirectoryParams) (*DirectoryPage, error) {
	q, err := p.query()
	if err != nil {
		return nil, wrapf(err, "list directory")
	}
	var page DirectoryPage
	if err := c.get(ctx, "directory", q, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// ListDirectory yields every row from p.Offset on, a page of p.Limit (or
// MaxPageSize) at a time. It never asks again after a short page, so N
// rows cost N/limit+1 requests (rounded down before adding one); it does
// not trust "total" to stop early, as its meaning is not published.
func (c *Client) ListDirectory(ctx context.Context, p DirectoryParams) iter.Seq2[DirectoryRow, error] {
	if p.Limit == 0 {
		p.Limit = MaxPageSize
	}
	return func(yield func(DirectoryRow, error) bool) {
		if p.Offset == NoPaging {
			yield(DirectoryRow{}, wrapf(fmt.Errorf("NoPaging is for ListDirectoryPage"), "list directory"))
			return
		}
		o := p // each range starts afresh
		for row, err := range httpx.Pages(ctx, func(ctx context.Context, _ int) ([]DirectoryRow, bool, error) {
			page, err := c.ListDirectoryPage(ctx, o)
			if err != nil {
				return nil, false, err
			}
			o.Offset += len(page.Rows)
			return page.Rows, len(page.Rows) >= o.Limit, nil
		}) {
			if !yield(row, err) {
				return
			}
		}
	}
}

// FilterOption is one choice of a directory filter key: an id and its name.
type FilterOption struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Extra Extra  `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (o *FilterOption) UnmarshalJSON(b []byte) error { return decodeObject(b, o) }

// MarshalJSON writes the option with its Extra keys.
func (o FilterOption) MarshalJSON() ([]byte, error) { return encodeObject(o) }

// DirectoryFilterOptions are the ids DirectoryFilter takes, per key
// (GET /directory/filters).
type DirectoryFilterOptions struct {
	Departments      []FilterOption `json:"departments"`
	Divisions        []FilterOption `json:"divisions"`
	Locations        []FilterOption `json:"locations"`
	EmploymentStates []FilterOption `json:"emp_state"`
	TimeOffTypes     []FilterOption `json:"time_off_types"`
	Extra            Extra          `json:"-"`
}

// UnmarshalJSON decodes tolerantly; an array holding the object is read
// as the object.
func (o *DirectoryFilterOptions) UnmarshalJSON(b []byte) error {
	var list []json.RawMessage
	if json.Unmarshal(b, &list) == nil {
		if len(list) == 0 {
			*o = DirectoryFilterOptions{}
			return nil
		}
		b = list[0]
	}
	return decodeObject(b, o)
}

// DirectoryFilters reads the ids each directory filter key takes.
func (c *Client) DirectoryFilters(ctx context.Context) (*DirectoryFilterOptions, error) {
	var o DirectoryFilterOptions
	if err := c.get(ctx, "directory/filters", nil, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// AllEmploymentStates returns a filter naming every employment state the
// company has, so the directory lists terminated and future employees as
// well as active ones, whatever it lists by default.
func (o *DirectoryFilterOptions) AllEmploymentStates() DirectoryFilter {
	ids := make([]string, 0, len(o.EmploymentStates))
	for _, s := range o.EmploymentStates {
		ids = append(ids, s.ID)
	}
	return DirectoryFilter{EmploymentStates: ids}
}

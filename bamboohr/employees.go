package bamboohr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFields is the most fields one request may name
// (https://documentation.bamboohr.com/reference/get-employee).
const MaxFields = 400

// Employee is one employee's fields as BambooHR returned them, keyed
// exactly as requested: an alias ("firstName", "customLitmosAccess") or a
// numeric field id ("4618"). A field the API key's user may not see is
// absent, not empty (https://documentation.bamboohr.com/reference/get-employee).
type Employee struct {
	// ID is BambooHR's immutable employee id; 0 if the row carried none.
	ID int
	// Fields holds every returned field, "id" included.
	Fields map[string]Value
}

// Get returns the named field; the null Value when absent.
func (e *Employee) Get(field string) Value { return e.Fields[field] }

// UnmarshalJSON reads a flat object of values; "id" may be a string or a number.
func (e *Employee) UnmarshalJSON(b []byte) error {
	m, ok := decodeFlat(b, sameValue)
	if !ok {
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
	}
	e.Fields = m
	e.ID, _ = m["id"].Int()
	return nil
}

// MarshalJSON writes the flat object BambooHR sends.
func (e Employee) MarshalJSON() ([]byte, error) { return json.Marshal(e.Fields) }

// GetEmployeeParams selects what GetEmployee reads.
type GetEmployeeParams struct {
	// Fields are aliases or numeric field ids, at most MaxFields. Empty
	// means BambooHR's default, firstName and lastName.
	Fields []string
	// IncludeFuture also returns future-dated values, such as a new hire's
	// department before the start date (onlyCurrent=false,
	// https://documentation.bamboohr.com/reference/get-employee).
	IncludeFuture bool
}

// GetEmployee reads one employee (GET v1/employees/{id}). id 0 is the
// employee linked to the API key. A missing employee is ErrNotFound.
func (c *Client) GetEmployee(ctx context.Context, id int, p GetEmployeeParams) (*Employee, error) {
	if err := checkFields(p.Fields); err != nil {
		return nil, fmt.Errorf("bamboohr: get employee %d: %w", id, err)
	}
	q := url.Values{}
	if len(p.Fields) > 0 {
		q.Set("fields", strings.Join(p.Fields, ","))
	}
	if p.IncludeFuture {
		q.Set("onlyCurrent", "false")
	}
	var e Employee
	_, err := c.do(ctx, call{method: http.MethodGet, path: "v1/employees/" + strconv.Itoa(id), query: q, out: &e})
	if err != nil {
		return nil, err
	}
	if e.ID == 0 {
		e.ID = id
	}
	return &e, nil
}

func checkFields(fields []string) error {
	if len(fields) > MaxFields {
		return fmt.Errorf("%d fields requested, BambooHR allows at most %d", len(fields), MaxFields)
	}
	for _, f := range fields {
		if f == "" || strings.ContainsAny(f, ", ") {
			return fmt.Errorf("field name %q is empty or has a comma or space", truncate(f, 60))
		}
	}
	return nil
}

// AddEmployee creates an employee (POST v1/employees) and returns the new
// id, read from the Location header
// (https://documentation.bamboohr.com/reference/create-employee). fields must include
// firstName and lastName; checkbox values are "yes" or "no". A duplicate
// work email is ErrConflict. When the add may or may not have happened the
// error wraps ErrOutcomeUnknown: look the employee up before adding again.
func (c *Client) AddEmployee(ctx context.Context, fields map[string]string) (int, error) {
	if fields["firstName"] == "" || fields["lastName"] == "" {
		return 0, errors.New("bamboohr: add employee: firstName and lastName are required")
	}
	resp, err := c.do(ctx, call{method: http.MethodPost, path: "v1/employees", in: fields})
	if err != nil {
		return 0, employeeLimit(err)
	}
	id, err := idFromLocation(resp.Header.Get("Location"))
	if err != nil {
		return 0, fmt.Errorf("bamboohr: add employee: %w: %w", ErrOutcomeUnknown, err)
	}
	return id, nil
}

// ErrEmployeeLimit means BambooHR refused an add because the company's account
// has reached its employee limit. It arrives as the legacy 429 without
// Retry-After, which tells it apart from rate limiting (429 with Retry-After,
// https://documentation.bamboohr.com/docs/api-details and
// https://documentation.bamboohr.com/docs/planned-changes-to-the-api); it does
// not match ErrRateLimited, since retrying cannot help. errors.As still finds
// the *APIError.
var ErrEmployeeLimit = errors.New("bamboohr: the account has reached its employee limit")

// employeeLimit turns an add's 429 without Retry-After into ErrEmployeeLimit.
func employeeLimit(err error) error {
	var apiErr *APIError
	// 429 with no Retry-After on add is the employee limit
	// (https://documentation.bamboohr.com/docs/api-details).
	// APIError cannot tell "Retry-After: 0" from none; BambooHR's rate
	// limiting sends a positive wait.
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests && apiErr.RetryAfter == 0 {
		return &employeeLimitError{api: apiErr}
	}
	return err
}

type employeeLimitError struct{ api *APIError }

// Error is the APIError's text and what it means.
func (e *employeeLimitError) Error() string {
	return e.api.Error() + " (the account has reached its employee limit)"
}

// Is matches ErrEmployeeLimit only: not ErrRateLimited, which 429 otherwise means.
func (e *employeeLimitError) Is(target error) bool { return target == ErrEmployeeLimit }

// As gives errors.As the *APIError.
func (e *employeeLimitError) As(target any) bool {
	if p, ok := target.(**APIError); ok {
		*p = e.api
		return true
	}
	return false
}

// idFromLocation takes the trailing number of either URL shape:
// .../api/v1/employees/121 or .../api/gateway.php/acme/v1/employees/121,
// or the web app's URL (https://documentation.bamboohr.com/reference/create-employee).
func idFromLocation(loc string) (int, error) {
	if loc == "" {
		return 0, errors.New("201 without a Location header")
	}
	u, err := url.Parse(loc)
	if err != nil {
		return 0, fmt.Errorf("the Location header %q is not a URL", truncate(loc, 120))
	}
	last := path.Base(strings.TrimSuffix(u.Path, "/"))
	if q := u.Query().Get("id"); q != "" {
		last = q // web app form: /employees/employee.php?id=121
	}
	id, err := strconv.Atoi(last)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("the Location header %q does not end in an employee id", truncate(loc, 120))
	}
	return id, nil
}

// UpdateEmployee changes the given fields of employee id (POST
// v1/employees/{id}; omitted fields stay). employmentHistoryStatus and
// terminationDate are read-only here
// (https://documentation.bamboohr.com/docs/list-of-field-names).
func (c *Client) UpdateEmployee(ctx context.Context, id int, fields map[string]string) error {
	if id <= 0 {
		return fmt.Errorf("bamboohr: update employee: id %d is not an employee id", id)
	}
	if len(fields) == 0 {
		return nil
	}
	// Setting fields to values is idempotent, so a retry is safe.
	_, err := c.do(ctx, call{method: http.MethodPost, path: "v1/employees/" + strconv.Itoa(id), in: fields, idempotent: retrySafe()})
	return err
}

// ChangeType filters ChangedEmployees.
type ChangeType string

// The change types employees/changed knows.
const (
	ChangedAll      ChangeType = "all"
	ChangedInserted ChangeType = "inserted"
	ChangedUpdated  ChangeType = "updated"
	ChangedDeleted  ChangeType = "deleted"
)

// Change is one changed employee.
type Change struct {
	ID          int
	Action      string // "Inserted", "Updated" or "Deleted"
	LastChanged time.Time
}

// Changes is the answer of employees/changed.
type Changes struct {
	// Latest is BambooHR's "latest" value, verbatim: pass it as the next
	// since (parse it with ParseTime). "" when BambooHR sent none.
	Latest string
	// Employees holds the changes, sorted by id.
	Employees []Change
	// Skipped describes each entry that could not be read (not an object,
	// or no employee id), so that one bad entry does not stop the rest.
	Skipped []string
}

type changesJSON struct {
	Latest string          `json:"latest"`
	Raw    json.RawMessage `json:"employees"`
}

type changeJSON struct {
	ID          Value `json:"id"`
	Action      Value `json:"action"`
	LastChanged Value `json:"lastChanged"`
}

// ChangedEmployees lists employees with any change since since (GET
// v1/employees/changed,
// https://documentation.bamboohr.com/reference/get-changed-employee-ids). The
// empty map may arrive as [] (not in the docs; seen by
// https://github.com/scjalliance/bamboohr on the table variant).
func (c *Client) ChangedEmployees(ctx context.Context, since time.Time, typ ChangeType) (*Changes, error) {
	if since.IsZero() {
		return nil, errors.New("bamboohr: changed employees: since is required")
	}
	if typ == "" {
		typ = ChangedAll
	}
	// Formatting in UTC with "Z" avoids an unescaped "+" in the query (§3.8).
	q := url.Values{"since": {since.UTC().Format(time.RFC3339)}, "type": {string(typ)}}
	var raw changesJSON
	if _, err := c.do(ctx, call{method: http.MethodGet, path: "v1/employees/changed", query: q, out: &raw}); err != nil {
		return nil, err
	}
	return raw.decode()
}

func (raw *changesJSON) decode() (*Changes, error) {
	var items rawList
	if len(raw.Raw) > 0 {
		if err := json.Unmarshal(raw.Raw, &items); err != nil {
			return nil, fmt.Errorf("bamboohr: changed employees: decode employees: %w", err)
		}
	}
	out := &Changes{Latest: raw.Latest}
	for _, it := range items {
		var ch changeJSON
		if err := json.Unmarshal(it.raw, &ch); err != nil {
			out.Skipped = append(out.Skipped, fmt.Sprintf("entry %q: %v", truncate(it.key, 20), err))
			continue
		}
		id, err := ch.ID.Int()
		if err != nil {
			if id, err = strconv.Atoi(it.key); err != nil {
				out.Skipped = append(out.Skipped, fmt.Sprintf("entry %q has no employee id", truncate(it.key, 20)))
				continue
			}
		}
		t, _ := ch.LastChanged.Time()
		out.Employees = append(out.Employees, Change{ID: id, Action: ch.Action.String(), LastChanged: t})
	}
	sortChanges(out.Employees)
	return out, nil
}

func sortChanges(cs []Change) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
}

func sameValue(v Value) Value { return v }

// decodeFlat reads the common row in one pass: a flat object of strings,
// numbers, booleans and nulls, with no escapes in its keys or strings.
// Every key and value is a slice of one string holding the row's text, so
// a row costs its map and one string; conv turns each Value into what the
// map holds. ok is false for anything else (invalid JSON included: the
// scan checks the grammar as it reads), which the caller leaves to
// encoding/json.
func decodeFlat[V any](b []byte, conv func(Value) V) (map[string]V, bool) {
	text := string(b)
	m, i, ok := decodeFlatAt(text, skipSpace(text, 0), strings.Count(text, ":"), conv)
	if !ok || skipSpace(text, i) != len(text) {
		return nil, false
	}
	return m, true
}

// decodeFlatAt is decodeFlat of the object starting at text[i]; it
// returns the index after the object, and takes hint as the map's size.
func decodeFlatAt[V any](text string, i, hint int, conv func(Value) V) (map[string]V, int, bool) {
	if i >= len(text) || text[i] != '{' {
		return nil, 0, false
	}
	m := make(map[string]V, hint)
	if i = skipSpace(text, i+1); i < len(text) && text[i] == '}' {
		return m, i + 1, true
	}
	for {
		key, j, ok := plainString(text, i)
		if !ok {
			return nil, 0, false
		}
		if i = skipSpace(text, j); i >= len(text) || text[i] != ':' {
			return nil, 0, false
		}
		if i = skipSpace(text, i+1); i >= len(text) {
			return nil, 0, false
		}
		var v Value
		switch c := text[i]; {
		case c == '"':
			s, j, ok := plainString(text, i)
			if !ok {
				return nil, 0, false
			}
			v, i = String(s), j
		case strings.HasPrefix(text[i:], "null"):
			i += len("null")
		case strings.HasPrefix(text[i:], "true"):
			v, i = String("true"), i+len("true")
		case strings.HasPrefix(text[i:], "false"):
			v, i = String("false"), i+len("false")
		case c == '-' || '0' <= c && c <= '9':
			j := numberEnd(text, i)
			if j < 0 {
				return nil, 0, false
			}
			v, i = String(text[i:j]), j
		default:
			return nil, 0, false // an object or an array: encoding/json's error
		}
		m[key] = conv(v)
		// Only , or } may follow a value: "nullx" and "01" stop here.
		var more bool
		if i, more, ok = separator(text, i, '}'); !ok {
			return nil, 0, false
		}
		if !more {
			return m, i, true
		}
	}
}

// separator reads what follows a member or an element at text[i], after
// any space: a comma (more follows, from the index returned, its space
// skipped) or end, the closing byte (the index after it). ok is false for
// anything else.
func separator(text string, i int, end byte) (next int, more, ok bool) {
	if i = skipSpace(text, i); i >= len(text) {
		return 0, false, false
	}
	switch text[i] {
	case ',':
		return skipSpace(text, i+1), true, true
	case end:
		return i + 1, false, true
	}
	return 0, false, false
}

// numberEnd returns the index after the JSON number starting at text[i],
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, or -1 if none starts
// there. It reads the longest match; the caller checks what follows.
func numberEnd(text string, i int) int {
	if i < len(text) && text[i] == '-' {
		i++
	}
	switch {
	case i < len(text) && text[i] == '0':
		i++
	case i < len(text) && '1' <= text[i] && text[i] <= '9':
		i = digitsEnd(text, i)
	default:
		return -1
	}
	if i < len(text) && text[i] == '.' {
		if i = digitsEnd(text, i+1); i < 0 {
			return -1
		}
	}
	if i < len(text) && (text[i] == 'e' || text[i] == 'E') {
		i++
		if i < len(text) && (text[i] == '+' || text[i] == '-') {
			i++
		}
		if i = digitsEnd(text, i); i < 0 {
			return -1
		}
	}
	return i
}

// digitsEnd returns the index after the run of digits at text[i], or -1
// when no digit is there.
func digitsEnd(text string, i int) int {
	j := i
	for j < len(text) && '0' <= text[j] && text[j] <= '9' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// plainString reads the string starting at text[i] when it has no escape
// and is valid UTF-8: its contents and the index after its closing quote.
func plainString(text string, i int) (string, int, bool) {
	if i >= len(text) || text[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(text); j++ {
		switch c := text[j]; {
		case c == '"':
			s := text[i+1 : j]
			return s, j + 1, utf8.ValidString(s)
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipSpace(text string, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
		i++
	}
	return i
}

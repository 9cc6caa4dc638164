package talenthr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// LookupKind names one of TalentHR's lookup lists: the org structure an
// employee is placed in, and the languages an employee speaks.
type LookupKind string

// The lookup lists. Departments, divisions, job titles and locations can
// be created through the API; employment statuses and languages cannot.
const (
	Departments        LookupKind = "department"
	Divisions          LookupKind = "division"
	JobTitles          LookupKind = "job title"
	Locations          LookupKind = "location"
	EmploymentStatuses LookupKind = "employment status"
	Languages          LookupKind = "language"
)

// lookupPaths are the list (and create) paths of each kind.
var lookupPaths = map[LookupKind]string{
	Departments: "departments", Divisions: "divisions", JobTitles: "job-titles",
	Locations: "locations", EmploymentStatuses: "employment-statuses", Languages: "languages",
}

// Creatable reports whether TalentHR can create entries of kind k.
func (k LookupKind) Creatable() bool {
	return k == Departments || k == Divisions || k == JobTitles || k == Locations
}

// Lookup is one entry of a lookup list: an id and a name, with Code for
// languages ("en") and the rest (object_type, a location's field_data, a
// language's rtl and is_disabled) in Extra.
type Lookup struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Code  string `json:"code,omitempty"`
	Extra Extra  `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (l *Lookup) UnmarshalJSON(b []byte) error { return decodeObject(b, l) }

// MarshalJSON writes the entry with its Extra keys.
func (l Lookup) MarshalJSON() ([]byte, error) { return encodeObject(l) }

// ListLookups reads one whole lookup list (GET /departments, /divisions,
// /job-titles, /locations, /employment-statuses or /languages); they are
// not paged.
func (c *Client) ListLookups(ctx context.Context, kind LookupKind) ([]Lookup, error) {
	path, ok := lookupPaths[kind]
	if !ok {
		return nil, fmt.Errorf("talenthr: list lookups: unknown kind %q", clipText(string(kind), 30))
	}
	var raw json.RawMessage
	if err := c.get(ctx, path, nil, &raw); err != nil {
		return nil, wrapf(err, "list %ss", kind)
	}
	list, err := decodeList[Lookup](raw)
	return list, wrapf(err, "list %ss: decoding the reply", kind)
}

// ListDepartments reads every department.
func (c *Client) ListDepartments(ctx context.Context) ([]Lookup, error) {
	return c.ListLookups(ctx, Departments)
}

// ListDivisions reads every division.
func (c *Client) ListDivisions(ctx context.Context) ([]Lookup, error) {
	return c.ListLookups(ctx, Divisions)
}

// ListJobTitles reads every job title.
func (c *Client) ListJobTitles(ctx context.Context) ([]Lookup, error) {
	return c.ListLookups(ctx, JobTitles)
}

// ListLocations reads every location.
func (c *Client) ListLocations(ctx context.Context) ([]Lookup, error) {
	return c.ListLookups(ctx, Locations)
}

// ListEmploymentStatuses reads every employment status ("Full-Time", ...),
// the kinds of employment a hire must name one of.
func (c *Client) ListEmploymentStatuses(ctx context.Context) ([]Lookup, error) {
	return c.ListLookups(ctx, EmploymentStatuses)
}

// ListLanguages reads every language (the ids hr_languages takes).
func (c *Client) ListLanguages(ctx context.Context) ([]Lookup, error) {
	return c.ListLookups(ctx, Languages)
}

// CreateLookupParams is what creating a lookup entry takes. Address and
// IsRemote are for locations only (POST /locations requires field_data).
type CreateLookupParams struct {
	Name     string
	Address  string
	IsRemote bool
}

// CreateLookup creates an entry of a creatable kind (POST /departments,
// /divisions, /job-titles or /locations) and returns it. TalentHR may
// refuse a name already taken (ErrInvalid). When the create may or may
// not have happened the error wraps ErrOutcomeUnknown: list the kind
// before creating again (Lookups does).
func (c *Client) CreateLookup(ctx context.Context, kind LookupKind, p CreateLookupParams) (Lookup, error) {
	if !kind.Creatable() {
		return Lookup{}, fmt.Errorf("talenthr: create %s: TalentHR has no call that creates one", clipText(string(kind), 30))
	}
	name := strings.TrimSpace(p.Name)
	if name == "" {
		return Lookup{}, fmt.Errorf("talenthr: create %s: name is empty", kind)
	}
	body := map[string]any{"name": name}
	if kind == Locations {
		body["field_data"] = map[string]any{"address": p.Address, "is_remote": p.IsRemote}
	}
	var raw json.RawMessage
	if err := c.call(ctx, "POST", lookupPaths[kind], nil, body, &raw); err != nil {
		return Lookup{}, wrapf(err, "create %s %q", kind, name)
	}
	l, err := createdLookup(raw)
	if err != nil {
		return Lookup{}, wrapf(fmt.Errorf("%w (%w)", err, ErrOutcomeUnknown), "create %s %q", kind, name)
	}
	if l.Name == "" {
		l.Name = name
	}
	return l, nil
}

// createdLookup reads a create reply's data: the new entry, or a list
// holding it.
func createdLookup(raw json.RawMessage) (Lookup, error) {
	var l Lookup
	if err := json.Unmarshal(raw, &l); err != nil {
		list, lerr := decodeList[Lookup](raw)
		if lerr != nil || len(list) != 1 {
			return Lookup{}, errors.New("the reply holds no created entry")
		}
		l = list[0]
	}
	if checkID(l.ID) != nil {
		return Lookup{}, errors.New("the reply has no id for the created entry")
	}
	return l, nil
}

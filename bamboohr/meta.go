package bamboohr

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// Field is one entry of meta/fields. Calculated fields (displayName,
// supervisorEId, lastChanged) are not listed (not in BambooHR's public docs;
// observed in recorded fixtures, https://github.com/NangoHQ/integration-templates).
type Field struct {
	// ID is the numeric field id: "15", "-38", or "4340.4" for a sub-field.
	ID Value `json:"id"`
	// Name is the label shown in BambooHR ("Litmos Access").
	Name string `json:"name"`
	// Type is the field type: text, date, list, checkbox, ...
	Type string `json:"type"`
	// Alias is the API name ("workEmail", "customLitmosAccess"), "" if none.
	Alias string `json:"alias"`
	// Deprecated is set on a few old fields.
	Deprecated bool `json:"deprecated"`
}

// Key is what to request the field by: its alias, or its numeric id when
// it has none (https://documentation.bamboohr.com/reference/list-fields: alias
// only when the field has one; get-employee takes ids and aliases).
func (f Field) Key() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.ID.String()
}

// Fields lists the company's fields (GET v1/meta/fields).
func (c *Client) Fields(ctx context.Context) ([]Field, error) {
	var fs []Field
	if _, err := c.do(ctx, call{method: http.MethodGet, path: "v1/meta/fields", out: &fs}); err != nil {
		return nil, err
	}
	return fs, nil
}

// ErrFieldNotFound means no field has the label, alias or id asked for. It
// matches syncengine.ErrUnknownField too.
var ErrFieldNotFound error = fieldNotFound{}

type fieldNotFound struct{}

func (fieldNotFound) Error() string        { return "bamboohr: field not found" }
func (fieldNotFound) Is(target error) bool { return target == syncengine.ErrUnknownField }

// FindField picks the field named name from fields: by alias or numeric id
// first (exact), then by label (case-insensitive, surrounding spaces
// ignored). Two fields with the same label are ambiguous unless exactly one
// of them is a checkbox, the type the sync scopes on. Errors wrap
// ErrFieldNotFound, or say that name is ambiguous.
func FindField(fields []Field, name string) (Field, error) {
	want := strings.TrimSpace(name)
	for _, f := range fields {
		if want != "" && (f.Alias == want || f.ID.String() == want) {
			return f, nil
		}
	}
	var matches []Field
	for _, f := range fields {
		if strings.EqualFold(strings.TrimSpace(f.Name), want) {
			matches = append(matches, f)
		}
	}
	if len(matches) > 1 {
		var boxes []Field
		for _, f := range matches {
			if f.Type == "checkbox" {
				boxes = append(boxes, f)
			}
		}
		matches = boxes
		if len(boxes) != 1 {
			return Field{}, fmt.Errorf("bamboohr: field %q is ambiguous: several fields have that label; use the alias or numeric id", truncate(name, 80))
		}
	}
	if len(matches) == 0 {
		return Field{}, fmt.Errorf("%w: no field has the label, alias or id %q (or the API key's user cannot see it)", ErrFieldNotFound, truncate(name, 80))
	}
	return matches[0], nil
}

// ResolveField finds a field by label ("Litmos Access"), alias or id
// through meta/fields and returns what to request it by: the alias if it
// has one, else the numeric id (https://documentation.bamboohr.com/reference/list-fields).
func (c *Client) ResolveField(ctx context.Context, name string) (string, error) {
	fs, err := c.Fields(ctx)
	if err != nil {
		return "", err
	}
	f, err := FindField(fs, name)
	if err != nil {
		return "", err
	}
	return f.Key(), nil
}

// List is one entry of meta/lists: a list field's options.
type List struct {
	ID         int
	FieldID    string
	Alias      string
	Name       string
	Manageable bool
	Multiple   bool
	Options    []ListOption
}

// ListOption is one option of a list field.
type ListOption struct {
	ID       int
	Name     string
	Archived bool
}

type listJSON struct {
	ID         Value            `json:"id"`
	FieldID    Value            `json:"fieldId"`
	Alias      string           `json:"alias"`
	Name       string           `json:"name"`
	Manageable Value            `json:"manageable"`
	Multiple   Value            `json:"multiple"`
	Options    []listOptionJSON `json:"options"`
}

type listOptionJSON struct {
	ID       Value  `json:"id"`
	Name     string `json:"name"`
	Archived Value  `json:"archived"`
}

// Lists lists the options of every list field (GET v1/meta/lists). The
// "yes"/"no" flags BambooHR sends become bools
// (https://documentation.bamboohr.com/reference/list-list-fields).
func (c *Client) Lists(ctx context.Context) ([]List, error) {
	var raw []listJSON
	if _, err := c.do(ctx, call{method: http.MethodGet, path: "v1/meta/lists", out: &raw}); err != nil {
		return nil, err
	}
	out := make([]List, 0, len(raw))
	for _, r := range raw {
		l := List{FieldID: r.FieldID.String(), Alias: r.Alias, Name: r.Name,
			Manageable: r.Manageable.Checked(), Multiple: r.Multiple.Checked()}
		l.ID, _ = r.ID.Int()
		for _, o := range r.Options {
			opt := ListOption{Name: o.Name, Archived: o.Archived.Checked()}
			opt.ID, _ = o.ID.Int()
			l.Options = append(l.Options, opt)
		}
		out = append(out, l)
	}
	return out, nil
}

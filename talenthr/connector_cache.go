package talenthr

import (
	"context"
	"encoding/json"
	"strings"
)

// Cache keys (the engine scopes them to the pair and the connector).
const (
	cacheEmpStates    = "directory/filters/emp_state"
	cacheCustomFields = "employees/custom-fields"
)

// customDef is one custom-field definition: its name (the record key),
// the slug the directory's custom_fields parameter takes, and its type in
// syncengine's words.
type customDef struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	Type string `json:"type"`
}

// cached reads key from the engine's Cache into out; false when there is
// no Cache, nothing fresh under key, or it does not decode.
func (k *Connector) cached(ctx context.Context, key string, out any) bool {
	k.mu.Lock()
	c := k.cache
	k.mu.Unlock()
	if c == nil {
		return false
	}
	b, ok, err := c.Get(ctx, key)
	if err != nil {
		k.warn("talenthr: reading the cache failed; asking TalentHR", "key", key, "error", err)
		return false
	}
	return ok && json.Unmarshal(b, out) == nil
}

// keep stores v under key in the engine's Cache, if there is one.
func (k *Connector) keep(ctx context.Context, key string, v any) {
	k.mu.Lock()
	c := k.cache
	k.mu.Unlock()
	if c == nil {
		return
	}
	b, err := json.Marshal(v)
	if err == nil {
		err = c.Put(ctx, key, b)
	}
	if err != nil {
		k.warn("talenthr: writing the cache failed", "key", key, "error", err)
	}
}

// empStates returns the ids of every employment state (GET
// /directory/filters), so a listing can ask for terminated employees too:
// whether the default directory lists them is not published.
func (k *Connector) empStates(ctx context.Context) ([]string, error) {
	var ids []string
	if k.cached(ctx, cacheEmpStates, &ids) {
		return ids, nil
	}
	opts, err := k.client.DirectoryFilters(ctx)
	if err != nil {
		return nil, wrapf(err, "list users: read the employment states")
	}
	ids = opts.AllEmploymentStates().EmploymentStates
	if len(ids) == 0 {
		k.warn("talenthr: /directory/filters names no employment state; listing the default directory, which may leave out terminated employees")
		return nil, nil
	}
	k.keep(ctx, cacheEmpStates, ids)
	return ids, nil
}

// customDefs returns the company's custom-field definitions, from the
// Cache unless fresh is set (and says whether they came from it); states
// are the employment states (empStates) to find an employee among. TalentHR
// lists definitions only with one employee's values, so a cold read costs
// a directory row and GET /employees/{id}/custom-fields; a company with no
// employee has none, and that is not cached.
func (k *Connector) customDefs(ctx context.Context, fresh bool, states []string) ([]customDef, bool, error) {
	var defs []customDef
	if !fresh && k.cached(ctx, cacheCustomFields, &defs) {
		return defs, true, nil
	}
	page, err := k.client.ListDirectoryPage(ctx, DirectoryParams{Limit: 1, Filter: DirectoryFilter{EmploymentStates: states}})
	if err != nil {
		return nil, false, wrapf(err, "read the custom fields")
	}
	if len(page.Rows) == 0 {
		return nil, false, nil
	}
	fields, err := k.client.ListCustomFields(ctx, page.Rows[0].ID)
	if err != nil {
		return nil, false, wrapf(err, "read the custom fields")
	}
	defs = []customDef{}
	for _, f := range fields {
		if d, ok := definition(f); ok {
			defs = append(defs, d)
		}
	}
	k.keep(ctx, cacheCustomFields, defs)
	return defs, false, nil
}

// definition turns a custom field into a definition; a group (which holds
// subfields, not a value) has none. Disabled fields are kept: TalentHR
// hides them from profiles but keeps their data.
func definition(f CustomField) (customDef, bool) {
	name := strings.TrimSpace(orElse(f.Name, f.FieldName))
	if f.IsGroup || name == "" {
		return customDef{}, false
	}
	return customDef{Name: name, Slug: f.Slug, Type: customType(f.CustomFieldType)}, true
}

// customType maps TalentHR's custom-field type to syncengine's words. The
// help centre lists Text, Long text, Single choice, Multiple choice, Date,
// Link and Employee
// (https://help.talenthr.io/hc/en-us/articles/12551401871901); how the API
// spells them is not published, so spellings are matched loosely, number
// and checkbox forms included in case the API has them. A type with no
// counterpart, or none given, is "talenthr:<type>", which no other
// system's type equals.
func customType(raw json.RawMessage) string {
	name := typeName(raw)
	switch strings.NewReplacer("_", " ", "-", " ").Replace(name) {
	case "text", "long text", "longtext", "textarea", "short text", "link", "url", "email", "phone":
		return "text"
	case "date", "datepicker", "date picker":
		return "date"
	case "single choice", "singlechoice", "dropdown", "select", "radio", "list":
		return "list"
	case "number", "numeric", "decimal", "integer", "currency":
		return "number"
	case "checkbox", "boolean", "bool", "yes/no", "toggle":
		return "bool"
	case "":
		return "talenthr:unknown"
	}
	return "talenthr:" + name
}

// typeName reads a type's name from an object (name, slug or type) or a
// bare string, lower-cased and trimmed.
func typeName(raw json.RawMessage) string {
	if s, ok := scalarText(raw); ok && s != "null" {
		return strings.ToLower(strings.TrimSpace(s))
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	for _, key := range []string{"name", "slug", "type"} {
		if s, ok := scalarText(obj[key]); ok && s != "null" && strings.TrimSpace(s) != "" {
			return strings.ToLower(strings.TrimSpace(s))
		}
	}
	return ""
}

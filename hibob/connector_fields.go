package hibob

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// baseFields are read whatever the engine asks for: the active flag, the
// refs, the display name and Find come from them.
var baseFields = []string{
	FieldID, FieldEmail, FieldFirstName, FieldSurname, FieldDisplayName,
	FieldDepartment, FieldReportsTo, FieldManager, FieldStartDate,
	FieldStatus, FieldLifecycleStatus, FieldTerminationDate,
}

// knownTypes are the types of the fields the connector reads by default,
// for a tenant whose metadata lacks one (HiBob then leaves it out of the
// answer, and the record goes without it).
var knownTypes = map[string]string{
	FieldID: "text", FieldEmail: "text", FieldFirstName: "text", FieldSurname: "text",
	FieldDisplayName: "text", FieldTitle: "list", FieldDepartment: "list", FieldSite: "text",
	FieldSiteID: "list_id", FieldStartDate: "date", FieldReportsTo: "employee",
	FieldManager: "employee-reference", FieldStatus: "text", FieldLifecycleStatus: "text",
	FieldTerminationDate: "date",
}

// valueKind says how a field's value becomes a Record.Fields value.
type valueKind int

const (
	kindPlain    valueKind = iota // as HiBob sent it, JSON-decoded
	kindDate                      // time.Time at midnight UTC
	kindListName                  // the list item's name, from humanReadable
	kindID                        // an ID as a string (list item IDs, employee references)
)

// emitRule makes one Record.Fields key.
type emitRule struct {
	key   string // the Record.Fields key
	field string // the field ID requested (whose presence says "visible")
	path  string // what is read: field, or field plus a sub-path
	kind  valueKind
}

// readPlan is what a read requests and how records are made of it,
// checked against the fields metadata.
type readPlan struct {
	request []string
	emit    []emitRule
}

// metaKey is the cache key of the fields metadata.
const metaKey = "people/fields"

// prepare returns the read plan, building and checking it on the first
// read after NewConnector or ReadFields.
func (k *Connector) prepare(ctx context.Context) (*readPlan, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.plan != nil {
		return k.plan, nil
	}
	meta, err := k.fieldsMeta(ctx)
	if err != nil {
		return nil, err
	}
	extra := k.opts.ExtraFields
	if k.opts.TeamField != "" {
		extra = slices.Concat(extra, []string{k.opts.TeamField}) // the "teams" ref reads it
	}
	plan, err := buildPlan(meta, k.asked, extra)
	if err != nil {
		return nil, err
	}
	k.plan = plan
	return plan, nil
}

// fieldsMeta returns the fields metadata from memory, the cache or HiBob.
// Must hold k.mu.
func (k *Connector) fieldsMeta(ctx context.Context) ([]FieldMeta, error) {
	if k.cache == nil && k.meta != nil {
		return k.meta, nil
	}
	var meta []FieldMeta
	if k.cacheLoad(ctx, metaKey, &meta) {
		return meta, nil
	}
	meta, err := k.client.Fields(ctx)
	if err != nil {
		return nil, err
	}
	k.cacheStore(ctx, metaKey, meta)
	if k.cache == nil {
		k.meta = meta
	}
	return meta, nil
}

// cacheLoad reads key from the engine's cache into dst; false when there
// is no cache, no fresh value or one that does not decode. Must hold k.mu.
func (k *Connector) cacheLoad(ctx context.Context, key string, dst any) bool {
	if k.cache == nil {
		return false
	}
	b, ok, err := k.cache.Get(ctx, key)
	if err != nil {
		k.warn("hibob: could not read the cache", "key", key, "error", err)
		return false
	}
	return ok && json.Unmarshal(b, dst) == nil
}

// cacheStore puts v under key in the engine's cache, if any. Must hold k.mu.
func (k *Connector) cacheStore(ctx context.Context, key string, v any) {
	if k.cache == nil {
		return
	}
	b, err := json.Marshal(v)
	if err == nil {
		err = k.cache.Put(ctx, key, b)
	}
	if err != nil {
		k.warn("hibob: could not cache a lookup", "key", key, "error", err)
	}
}

// wanted is one Record.Fields key to make, and the field ID it reads.
type wanted struct {
	key, id string
	listed  bool // base or default: never unknown, even when the metadata lacks it
}

// buildPlan resolves the fields to read against meta: base fields, then
// asked (nil: DefaultFields and every custom field), then extra.
func buildPlan(meta []FieldMeta, asked, extra []string) (*readPlan, error) {
	byID := make(map[string]FieldMeta, len(meta))
	for _, m := range meta {
		byID[m.ID] = m
	}
	var want []wanted
	add := func(keys []string, listed bool) {
		for _, key := range keys {
			want = append(want, wanted{key: key, id: dotted(key), listed: listed})
		}
	}
	add(baseFields, true)
	if asked == nil {
		add(DefaultFields(), true)
		add(customFields(meta), false)
	} else {
		add(asked, false)
	}
	add(extra, false)

	p := &readPlan{}
	seen := map[string]bool{}
	var unknown []string
	for _, w := range want {
		if w.key == "" || seen[w.key] {
			continue
		}
		seen[w.key] = true
		rules, ok := resolve(byID, w)
		if !ok {
			unknown = append(unknown, quoteWithHint(meta, w.key))
			continue
		}
		for _, r := range rules {
			if !slices.Contains(p.request, r.field) {
				p.request = append(p.request, r.field)
			}
			if r.key == w.key || !seen[r.key] {
				seen[r.key] = true
				p.emit = append(p.emit, r)
			}
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("hibob: the sync reads %s, which HiBob does not have (not in its fields metadata, GET /company/people/fields): %w",
			strings.Join(unknown, ", "), syncengine.ErrUnknownField)
	}
	return p, nil
}

// resolve finds the field behind w: its own ID, else the longest leading
// part that is a field, read at a sub-path (an object's "work.reportsTo.email",
// a list field's "work.department.id"). A list field read whole also gives
// its ".id" key.
func resolve(byID map[string]FieldMeta, w wanted) ([]emitRule, bool) {
	typeOf := func(id string) (string, bool) {
		if m, ok := byID[id]; ok {
			return m.Type, true
		}
		t, ok := knownTypes[id]
		return t, ok
	}
	if typ, ok := typeOf(w.id); ok || w.listed {
		r := emitRule{key: w.key, field: w.id, path: w.id, kind: kindOf(typ)}
		if r.kind == kindListName {
			return []emitRule{r, {key: subKey(w.key, "id"), field: w.id, path: w.id, kind: kindID}}, true
		}
		return []emitRule{r}, true
	}
	segs := strings.Split(w.id, ".")
	for n := len(segs) - 1; n >= 2; n-- {
		field := strings.Join(segs[:n], ".")
		typ, ok := typeOf(field)
		if !ok {
			continue
		}
		switch {
		case kindOf(typ) == kindListName && n == len(segs)-1 && segs[n] == "id":
			return []emitRule{{key: w.key, field: field, path: field, kind: kindID}}, true
		case typ == "employee":
			return []emitRule{{key: w.key, field: field, path: w.id, kind: kindPlain}}, true
		}
		return nil, false
	}
	return nil, false
}

func kindOf(typ string) valueKind {
	switch typ {
	case "date":
		return kindDate
	case "list", "multi-list", "hierarchy-list":
		return kindListName
	case "list_id", "employee-reference":
		return kindID
	}
	return kindPlain
}

// dotted turns a slashed path ("/work/title") into a field ID.
func dotted(path string) string {
	if rest, ok := strings.CutPrefix(path, "/"); ok {
		return strings.ReplaceAll(rest, "/", ".")
	}
	return path
}

// subKey is key's child key in key's own spelling.
func subKey(key, child string) string {
	if strings.HasPrefix(key, "/") {
		return key + "/" + child
	}
	return key + "." + child
}

// customFields are the metadata's custom fields: "work.custom.field_…",
// and fields of custom categories ("category_1720508362305.field_…").
func customFields(meta []FieldMeta) []string {
	var out []string
	for _, m := range meta {
		if strings.Contains(m.ID, ".custom.") || strings.HasPrefix(m.ID, "category_") {
			out = append(out, m.ID)
		}
	}
	return out
}

// quoteWithHint quotes key, naming the field whose JSON path it is
// ("email" → "root.email"): a map written against the raw answer's shape.
func quoteWithHint(meta []FieldMeta, key string) string {
	q := strconv.Quote(truncate(key, 80))
	for _, m := range meta {
		if m.JSONPath == dotted(key) && m.ID != m.JSONPath {
			return fmt.Sprintf("%s (the field ID is %q)", q, m.ID)
		}
	}
	return q
}

// value is rule r's value v, read from e (see the Connector doc).
func (k *Connector) value(e *Employee, r emitRule, v Value) any {
	if v.IsNull() || string(v.Raw()) == "[]" {
		return nil
	}
	switch r.kind {
	case kindListName:
		if h := e.Human(r.path); h != "" {
			return h
		}
	case kindID:
		if v.Raw()[0] == '[' {
			return anySlice(v.Strings())
		}
		return v.String()
	case kindDate:
		if v.String() == "" {
			return nil
		}
		t, err := ParseDate(v.String())
		if err != nil {
			k.warn("hibob: a date field is not a date; kept as text", "employee", e.ID(), "field", r.path, "error", err.Error())
			return v.String()
		}
		return t
	}
	var x any
	if v.Decode(&x) != nil {
		return v.String()
	}
	return x
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

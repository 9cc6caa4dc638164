package bamboohr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// WebhookFamily tells the two payload families apart
// (https://documentation.bamboohr.com/docs/event-based-webhooks and
// https://documentation.bamboohr.com/docs/field-based-webhooks).
type WebhookFamily int

// The payload families.
const (
	// EventBased payloads ("employee.updated" and friends) carry ids and
	// changed field aliases, no values.
	EventBased WebhookFamily = iota + 1
	// FieldBased payloads (legacy and global webhooks) carry one entry per
	// employee with the posted field values.
	FieldBased
)

// String names the family.
func (f WebhookFamily) String() string {
	switch f {
	case EventBased:
		return "event-based"
	case FieldBased:
		return "field-based"
	}
	return fmt.Sprintf("WebhookFamily(%d)", int(f))
}

// WebhookPayload is one parsed delivery: one event for an event-based
// payload, one per employee for a field-based one.
type WebhookPayload struct {
	Family WebhookFamily
	Events []WebhookEvent
}

// WebhookEvent is one change to one employee (or, for company.* events, to
// the company).
type WebhookEvent struct {
	// Type is the event type: "employee.updated", or for field-based
	// payloads "employee_with_fields." plus the lower-cased action.
	Type string
	// Action is "Created", "Updated" or "Deleted" ("" for company events).
	// Terminating an employee is an update, not a delete (not in BambooHR's
	// public docs; observed in https://github.com/botpress/botpress,
	// integrations/bamboohr).
	Action string
	// CompanyID is set by event-based payloads.
	CompanyID string
	// EmployeeID is the employee's id; "" for company events.
	EmployeeID string
	// Timestamp is when BambooHR saw the change; zero if absent or unreadable.
	Timestamp time.Time
	// ChangedFields holds field aliases (event-based) or the posted field
	// names (field-based, English display names unless renamed).
	ChangedFields []string
	// Fields holds the posted values (field-based only), unwrapped from
	// {"value": ...} where BambooHR wraps them.
	Fields map[string]Value
}

// Acts reports whether a sync acts on the event: an employee created,
// updated or deleted. Every one of them is handled the same way, by reading
// the employee afresh: a deleted employee is not found, and the pair's
// out-of-scope policy applies to its learner. Other events (company
// events, types BambooHR may add later) are acknowledged and ignored.
func (e WebhookEvent) Acts() bool {
	if e.EmployeeID == "" {
		return false
	}
	switch e.Action {
	case "Created", "Updated", "Deleted":
		return true
	}
	return false
}

// EmployeeIDs returns the distinct ids of the employees whose events a
// sync acts on (WebhookEvent.Acts), in order of first appearance.
func (p *WebhookPayload) EmployeeIDs() []string {
	seen := make(map[string]bool)
	var ids []string
	for _, e := range p.Events {
		if e.Acts() && !seen[e.EmployeeID] {
			seen[e.EmployeeID] = true
			ids = append(ids, e.EmployeeID)
		}
	}
	return ids
}

// Types returns the distinct event types of p, in order.
func (p *WebhookPayload) Types() []string {
	var out []string
	for _, e := range p.Events {
		if !slices.Contains(out, e.Type) {
			out = append(out, e.Type)
		}
	}
	return out
}

// Ignored returns the events a sync does not act on.
func (p *WebhookPayload) Ignored() []WebhookEvent {
	var out []WebhookEvent
	for _, e := range p.Events {
		if !e.Acts() {
			out = append(out, e)
		}
	}
	return out
}

// checkIDs refuses an employee id that is not a BambooHR id (a positive
// integer): a path like "../../etc" must never reach a request.
func (p *WebhookPayload) checkIDs() error {
	for _, e := range p.Events {
		if e.EmployeeID != "" && !isEmployeeID(e.EmployeeID) {
			return fmt.Errorf("employee id %q is not a BambooHR employee id (a positive integer)", truncate(e.EmployeeID, 40))
		}
	}
	return nil
}

func isEmployeeID(s string) bool {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseWebhook parses a delivery body of either family, as JSON or as the
// form-encoded variant. Call it only on a verified body. Errors wrap
// ErrWebhookPayload.
func ParseWebhook(body []byte) (*WebhookPayload, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrWebhookPayload)
	}
	var p *WebhookPayload
	var err error
	if trimmed[0] == '{' {
		p, err = parseWebhookJSON(trimmed)
	} else {
		p, err = parseWebhookForm(string(trimmed))
	}
	if err == nil {
		err = p.checkIDs()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebhookPayload, err)
	}
	return p, nil
}

type eventJSON struct {
	Type      *string   `json:"type"`
	Timestamp Value     `json:"timestamp"`
	Data      *dataJSON `json:"data"`
	Employees rawList   `json:"employees"`
}

type dataJSON struct {
	CompanyID     Value     `json:"companyId"`
	EmployeeID    Value     `json:"employeeId"`
	ChangedFields []Value   `json:"changedFields"`
	Fields        flexField `json:"fields"`
}

type fieldEmployeeJSON struct {
	ID            Value     `json:"id"`
	Action        Value     `json:"action"`
	Timestamp     Value     `json:"timestamp"`
	ChangedFields rawList   `json:"changedFields"`
	Fields        flexField `json:"fields"`
}

func parseWebhookJSON(b []byte) (*WebhookPayload, error) {
	var raw eventJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode JSON: %v", err)
	}
	switch {
	case raw.Type != nil:
		return eventPayload(raw)
	case raw.Employees != nil:
		return fieldPayload(raw.Employees)
	}
	return nil, fmt.Errorf("JSON has neither \"type\" (event-based) nor \"employees\" (field-based)")
}

func eventPayload(raw eventJSON) (*WebhookPayload, error) {
	typ := strings.TrimSpace(*raw.Type)
	if typ == "" {
		return nil, fmt.Errorf("event type is empty")
	}
	ev := WebhookEvent{Type: typ, Action: actionOf(typ), Timestamp: lenientTime(raw.Timestamp.String())}
	if raw.Data != nil {
		ev.CompanyID = raw.Data.CompanyID.String()
		ev.EmployeeID = raw.Data.EmployeeID.String()
		for _, f := range raw.Data.ChangedFields {
			ev.ChangedFields = append(ev.ChangedFields, f.String())
		}
		ev.Fields = raw.Data.Fields
	}
	if strings.HasPrefix(typ, "employee") && ev.EmployeeID == "" {
		return nil, fmt.Errorf("%s event has no data.employeeId", truncate(typ, 40))
	}
	return &WebhookPayload{Family: EventBased, Events: []WebhookEvent{ev}}, nil
}

// actionOf turns "employee.updated" into "Updated".
func actionOf(typ string) string {
	if !strings.HasPrefix(typ, "employee") {
		return ""
	}
	i := strings.LastIndexByte(typ, '.')
	return titleAction(typ[i+1:])
}

func titleAction(a string) string {
	a = strings.ToLower(strings.TrimSpace(a))
	if a == "" {
		return ""
	}
	return strings.ToUpper(a[:1]) + a[1:]
}

func fieldPayload(list rawList) (*WebhookPayload, error) {
	p := &WebhookPayload{Family: FieldBased}
	for i, item := range list {
		var e fieldEmployeeJSON
		if err := json.Unmarshal(item.raw, &e); err != nil {
			return nil, fmt.Errorf("employees[%d]: %v", i, err)
		}
		id := e.ID.String()
		if id == "" {
			id = item.key // employees keyed by id, as in the form variant
		}
		if id == "" {
			return nil, fmt.Errorf("employees[%d] has no id", i)
		}
		ev := WebhookEvent{
			EmployeeID: id,
			Action:     titleAction(e.Action.String()),
			Timestamp:  lenientTime(e.Timestamp.String()),
			Fields:     e.Fields,
		}
		setFieldEventType(&ev)
		for _, c := range e.ChangedFields {
			var v Value
			if err := json.Unmarshal(c.raw, &v); err != nil {
				return nil, fmt.Errorf("employees[%d].changedFields: %v", i, err)
			}
			ev.ChangedFields = append(ev.ChangedFields, v.String())
		}
		p.Events = append(p.Events, ev)
	}
	return p, nil
}

// setFieldEventType sets a field-based event's Type from its Action, which
// is "Updated" when absent: payloads from before 2025-06-26 had no action
// (https://documentation.bamboohr.com/docs/past-changes-to-the-api).
func setFieldEventType(ev *WebhookEvent) {
	if ev.Action == "" {
		ev.Action = "Updated"
	}
	ev.Type = "employee_with_fields." + strings.ToLower(ev.Action)
}

func lenientTime(s string) time.Time {
	if t, err := parseWebhookTimestamp(s); err == nil {
		return t
	}
	return time.Time{}
}

// rawList is a JSON array, or an object whose values are taken in key
// order; PHP sends [] for an empty object (not in BambooHR's public docs;
// seen by https://github.com/scjalliance/bamboohr).
type rawList []rawItem

type rawItem struct {
	key string
	raw json.RawMessage
}

// UnmarshalJSON accepts an array or an object.
func (l *rawList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return err
		}
		*l = make(rawList, 0, len(arr))
		for _, r := range arr {
			*l = append(*l, rawItem{raw: r})
		}
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	*l = make(rawList, 0, len(keys))
	for _, k := range keys {
		*l = append(*l, rawItem{key: k, raw: obj[k]})
	}
	return nil
}

// flexField is a map of field values, each plain or wrapped in
// {"value": ...}, also accepting [] for empty (the docs' example
// https://documentation.bamboohr.com/docs/field-based-webhooks shows plain
// values; https://github.com/botpress/botpress and Fusebit fixtures unwrap
// {"value": ...}).
type flexField map[string]Value

// UnmarshalJSON accepts an object of values, or an empty array.
func (f *flexField) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return err
		}
		if len(arr) != 0 {
			return fmt.Errorf("fields is a non-empty array, want an object")
		}
		*f = flexField{}
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	out := make(flexField, len(obj))
	for k, raw := range obj {
		v, err := unwrapValue(raw)
		if err != nil {
			return fmt.Errorf("field %q: %v", truncate(k, 40), err)
		}
		out[k] = v
	}
	*f = out
	return nil
}

func unwrapValue(raw json.RawMessage) (Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var w struct {
			Value Value `json:"value"`
		}
		err := json.Unmarshal(raw, &w)
		return w.Value, err
	}
	var v Value
	err := json.Unmarshal(raw, &v)
	return v, err
}

// parseWebhookForm reads the form-encoded variants
// (https://documentation.bamboohr.com/docs/event-based-webhooks, "Form Post"):
// type=employee.updated&data[employeeId]=..&data[changedFields][0]=..
// employees[<id>][changedFields][0]=First+Name&employees[<id>][First+Name]=John
func parseWebhookForm(s string) (*WebhookPayload, error) {
	form, err := url.ParseQuery(s)
	if err != nil {
		return nil, fmt.Errorf("body is neither JSON nor a form: %v", err)
	}
	if typ := form.Get("type"); typ != "" {
		return formEvent(typ, form)
	}
	return formEmployees(form)
}

func formEvent(typ string, form url.Values) (*WebhookPayload, error) {
	ev := WebhookEvent{
		Type:       typ,
		Action:     actionOf(typ),
		CompanyID:  form.Get("data[companyId]"),
		EmployeeID: form.Get("data[employeeId]"),
		Timestamp:  lenientTime(form.Get("timestamp")),
	}
	ev.ChangedFields = indexed(form, "data[changedFields]")
	if strings.HasPrefix(typ, "employee") && ev.EmployeeID == "" {
		return nil, fmt.Errorf("%s event has no data[employeeId]", truncate(typ, 40))
	}
	return &WebhookPayload{Family: EventBased, Events: []WebhookEvent{ev}}, nil
}

func formEmployees(form url.Values) (*WebhookPayload, error) {
	byID := make(map[string]*WebhookEvent)
	var order []string
	for key, vals := range form {
		id, rest, ok := splitEmployeeKey(key)
		if !ok {
			continue
		}
		ev := byID[id]
		if ev == nil {
			ev = &WebhookEvent{EmployeeID: id, Fields: map[string]Value{}}
			byID[id] = ev
			order = append(order, id)
		}
		switch {
		case rest == "action":
			ev.Action = titleAction(vals[0])
		case rest == "timestamp":
			ev.Timestamp = lenientTime(vals[0])
		case strings.HasPrefix(rest, "changedFields"):
		default:
			ev.Fields[strings.TrimSuffix(rest, "][value")] = String(vals[0])
		}
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("form has neither type (event-based) nor employees[...] (field-based)")
	}
	sort.Strings(order)
	p := &WebhookPayload{Family: FieldBased}
	for _, id := range order {
		ev := byID[id]
		ev.ChangedFields = indexed(form, "employees["+id+"][changedFields]")
		setFieldEventType(ev)
		p.Events = append(p.Events, *ev)
	}
	return p, nil
}

// splitEmployeeKey splits "employees[12][First Name]" into "12", "First Name".
func splitEmployeeKey(key string) (id, rest string, ok bool) {
	const prefix = "employees["
	if !strings.HasPrefix(key, prefix) || !strings.HasSuffix(key, "]") {
		return "", "", false
	}
	inner := key[len(prefix) : len(key)-1]
	id, rest, ok = strings.Cut(inner, "][")
	if !ok || id == "" || rest == "" {
		return "", "", false
	}
	return id, rest, true
}

// indexed collects prefix[0], prefix[1], ... in index order.
func indexed(form url.Values, prefix string) []string {
	var out []string
	for i := 0; ; i++ {
		v, ok := form[fmt.Sprintf("%s[%d]", prefix, i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

package hibob

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event types of employee data webhooks
// (https://apidocs.hibob.com/reference/employee-changes-events).
const (
	EventEmployeeCreated        = "employee.created"
	EventEmployeeUpdated        = "employee.updated"
	EventEmployeeDeleted        = "employee.deleted"
	EventEmployeeJoined         = "employee.joined"
	EventEmployeeLeft           = "employee.left" // terminated or on garden leave
	EventEmployeeInactivated    = "employee.inactivated"
	EventEmployeeActivated      = "employee.activated"
	EventEmployeeTemporaryLeave = "employee.temporaryLeave"
	EventEmployeeAccessRevoked  = "employee.access.revoked.immediately"
	EventTableEntryCreated      = "table.entry.created"
	EventTableEntryUpdated      = "table.entry.updated"
)

// Payload versions.
const (
	// WebhookV2 payloads carry metadata and IDs only, in order.
	WebhookV2 = "v2"
	// WebhookV1 payloads (legacy) carry an "employee" object and "creationDate".
	WebhookV1 = "v1"
)

// WebhookPayload is one delivery: one event, or the connection test. An
// event names what changed, not the new values (v2): read the employee
// afresh.
type WebhookPayload struct {
	// Ping marks the connection test Bob sends when a webhook is saved.
	Ping bool
	// Version is WebhookV2 or WebhookV1 ("" when the payload says neither).
	Version string
	// Type is the event type, e.g. EventEmployeeUpdated.
	Type string
	// CompanyID is the company's numeric ID, as a string.
	CompanyID string
	// TriggeredBy is the employee ID of whoever made the change, or "system"
	// for changes that fall due by date (v2).
	TriggeredBy string
	// TriggeredAt is when the event happened; HiBob sends no zone and it is
	// read as UTC. Zero when absent or unreadable.
	TriggeredAt time.Time
	// EmployeeID is the employee the event is about.
	EmployeeID string
	// Email is the employee's work email where the event carries one
	// (employee.deleted, as the record is gone; v1 payloads).
	Email string
	// TableID ("work", "lifecycle", ...), EntryID and EffectiveDate are set
	// for table.entry.* events: EffectiveDate for historical tables, EntryID
	// for the others.
	TableID       string
	EntryID       string
	EffectiveDate time.Time
	// ChangedFields are the field IDs of employee.updated, where HiBob lists them.
	ChangedFields []string
	// Data is the event's "data" object as sent.
	Data json.RawMessage
}

// EmployeeIDs returns the employees to read again: the event's employee for
// employee.* and table.entry.* events, none for the connection test and for
// other modules' events (time off, tasks).
func (p *WebhookPayload) EmployeeIDs() []string {
	if p.Ping || p.EmployeeID == "" {
		return nil
	}
	if strings.HasPrefix(p.Type, "employee.") || strings.HasPrefix(p.Type, "table.entry.") {
		return []string{p.EmployeeID}
	}
	return nil
}

// Deleted reports an employee.deleted event: the employee cannot be read
// any more.
func (p *WebhookPayload) Deleted() bool { return p.Type == EventEmployeeDeleted }

// pingText is the connection test's body (https://apidocs.hibob.com/docs/working-with-webhooks).
const pingText = "Ping test"

// isPing reports the connection test: "Ping test", or {"text":"Ping test"}.
func isPing(body []byte) bool {
	b := bytes.TrimSpace(body)
	if string(b) == pingText || string(b) == `"`+pingText+`"` {
		return true
	}
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil || len(m) != 1 {
		return false
	}
	return Value{raw: m["text"]}.String() == pingText
}

// envelope is the v2 and v1 top level.
type envelope struct {
	CompanyID    Value                      `json:"companyId"`
	Type         *string                    `json:"type"`
	TriggeredBy  Value                      `json:"triggeredBy"`
	TriggeredAt  string                     `json:"triggeredAt"`
	Version      string                     `json:"version"`
	Data         json.RawMessage            `json:"data"`
	CreationDate string                     `json:"creationDate"` // v1
	Employee     map[string]json.RawMessage `json:"employee"`     // v1
}

// ParseWebhook parses a delivery body: a v2 event, a legacy v1 event, or
// the connection test (Ping set). Call it only on a verified body; Handler
// does. Errors wrap ErrWebhookPayload.
func ParseWebhook(body []byte) (*WebhookPayload, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrWebhookPayload)
	}
	if isPing(b) {
		return &WebhookPayload{Ping: true}, nil
	}
	p, err := parseEvent(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebhookPayload, err)
	}
	return p, nil
}

func parseEvent(b []byte) (*WebhookPayload, error) {
	if b[0] != '{' {
		return nil, errors.New("body is not a JSON object")
	}
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("decode JSON: %v", err)
	}
	if env.Type == nil || strings.TrimSpace(*env.Type) == "" {
		return nil, errors.New(`no event "type"`)
	}
	p := &WebhookPayload{
		Version:     env.Version,
		Type:        strings.TrimSpace(*env.Type),
		CompanyID:   env.CompanyID.String(),
		TriggeredBy: env.TriggeredBy.String(),
		TriggeredAt: lenientTime(firstNonEmpty(env.TriggeredAt, env.CreationDate)),
	}
	if len(bytes.TrimSpace(env.Data)) > 0 && string(bytes.TrimSpace(env.Data)) != "null" {
		p.Data = env.Data
	}
	if err := p.readData(env.Data); err != nil {
		return nil, err
	}
	if env.Employee != nil && p.Version != WebhookV2 {
		p.Version = WebhookV1
		p.readV1Employee(env.Employee)
	}
	return p, p.check()
}

// readData reads the v2 "data" object (and v1's fieldUpdates).
func (p *WebhookPayload) readData(raw json.RawMessage) error {
	v := Value{raw: bytes.TrimSpace(raw)}
	if v.IsNull() {
		return nil
	}
	data, ok := v.object()
	if !ok {
		return errors.New(`"data" is not an object`)
	}
	get := func(k string) string { return Value{raw: data[k]}.String() }
	p.EmployeeID = get("employeeId")
	p.Email = firstNonEmpty(get("email"), get("employeeEmail"), get("workEmail"))
	p.TableID = get("tableId")
	p.EntryID = firstNonEmpty(get("id"), get("entryId"))
	if d := get("effectiveDate"); d != "" {
		p.EffectiveDate, _ = ParseDate(d)
	}
	p.ChangedFields = changedFields(data["fieldUpdates"])
	return nil
}

func (p *WebhookPayload) readV1Employee(emp map[string]json.RawMessage) {
	if p.EmployeeID == "" {
		p.EmployeeID = Value{raw: emp["id"]}.String()
	}
	if p.Email == "" {
		p.Email = Value{raw: emp["email"]}.String()
	}
}

// check refuses an employee or table event that names no employee.
func (p *WebhookPayload) check() error {
	if (strings.HasPrefix(p.Type, "employee.") || strings.HasPrefix(p.Type, "table.entry.")) && p.EmployeeID == "" {
		return fmt.Errorf("%s event names no employee (data.employeeId)", truncate(p.Type, 60))
	}
	return nil
}

// changedFields reads fieldUpdates, whose item shape HiBob does not
// document: field ID strings, or objects naming the field under fieldId,
// fieldPath, field or id.
func changedFields(raw json.RawMessage) []string {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		v := Value{raw: bytes.TrimSpace(it)}
		if obj, ok := v.object(); ok {
			for _, k := range []string{"fieldId", "fieldPath", "field", "id"} {
				if s := (Value{raw: obj[k]}).String(); s != "" {
					out = append(out, s)
					break
				}
			}
			continue
		}
		if s := v.String(); s != "" && !v.IsNull() {
			out = append(out, s)
		}
	}
	return out
}

func lenientTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

package hibob_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
)

func addWebhookSeeds(f *testing.F) {
	for _, name := range []string{
		"webhook_employee_updated.json", "webhook_employee_deleted.json", "webhook_table_entry_created.json",
		"webhook_table_entry_updated.json", "webhook_v1_employee_updated.json", "webhook_employee_left.json",
	} {
		f.Add(readGolden(f, name))
	}
	for _, s := range []string{"Ping test", `{"text":"Ping test"}`, `{"type":"employee.updated","data":{"employeeId":1,"fieldUpdates":["a",{"id":2},null]}}`, `{"type":"x","data":null}`, "", "{"} {
		f.Add([]byte(s))
	}
}

// FuzzParseWebhook: any body parses or fails with ErrWebhookPayload, never
// panics; a parsed event that is about an employee names one.
func FuzzParseWebhook(f *testing.F) {
	addWebhookSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := hibob.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, hibob.ErrWebhookPayload) {
				t.Fatalf("error %v does not wrap ErrWebhookPayload", err)
			}
			return
		}
		if p.Ping {
			if p.Type != "" || p.EmployeeIDs() != nil {
				t.Fatalf("ping with event data: %+v", p)
			}
			return
		}
		if p.Type == "" {
			t.Fatal("event without a type")
		}
		isEmployee := strings.HasPrefix(p.Type, "employee.") || strings.HasPrefix(p.Type, "table.entry.")
		if ids := p.EmployeeIDs(); isEmployee && (len(ids) != 1 || ids[0] == "") {
			t.Fatalf("%s event gave IDs %q", p.Type, ids)
		}
	})
}

// FuzzVerify: a body signed with the secret always verifies; any other
// signature string fails with ErrWebhookSignature (or ErrWebhookTooLarge),
// and no error text shows the signature.
func FuzzVerify(f *testing.F) {
	addWebhookSeeds(f)
	v := &hibob.WebhookVerifier{Secret: webhookSecret, MaxBodyBytes: 4096}
	f.Fuzz(func(t *testing.T, body []byte) {
		good := hibob.Sign(webhookSecret, body)
		err := v.Verify(body, good)
		if len(body) > 4096 {
			if !errors.Is(err, hibob.ErrWebhookTooLarge) {
				t.Fatalf("oversized body: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("correctly signed body refused: %v", err)
		}
		for _, sig := range []string{string(body), good[:len(good)-3], hibob.Sign("other", body), strings.ToLower(good)} {
			if sig == good || strings.TrimRight(strings.TrimSpace(sig), "=") == strings.TrimRight(good, "=") {
				continue
			}
			err := v.Verify(body, sig)
			if !errors.Is(err, hibob.ErrWebhookSignature) {
				t.Fatalf("signature %q accepted or wrong error: %v", sig, err)
			}
			if s := strings.TrimSpace(sig); len(s) > 8 && strings.Contains(err.Error(), s) {
				t.Fatalf("error shows the signature: %v", err)
			}
		}
	})
}

// FuzzParseDate: any text parses to a midnight-UTC date or fails; a parsed
// date formats back to a date that parses to the same day.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-09-01", "2025-01-08T13:06:26.915906", "2025-01-08T23:06:26+02:00", "01/09/2025", "", "2025-02-30", "0000-00-00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := hibob.ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("error with a date %v", d)
			}
			return
		}
		if h, m, sec := d.Clock(); h != 0 || m != 0 || sec != 0 || d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v, not midnight UTC", s, d)
		}
		back, err := hibob.ParseDate(d.Format(hibob.DateLayout))
		if err != nil || !back.Equal(d) {
			t.Fatalf("round trip of %v: %v, %v", d, back, err)
		}
		if _, err := hibob.ParseTime(s); err != nil && len(strings.TrimSpace(s)) != len(hibob.DateLayout) {
			t.Fatalf("%q is a date but neither a bare date nor a timestamp", s)
		}
	})
}

// FuzzEmployee: any employee JSON decodes or fails, and every accessor
// answers without panicking.
func FuzzEmployee(f *testing.F) {
	for _, name := range []string{"people_read_live.json", "people_read_append.json", "people_read_slash_only.json"} {
		f.Add(readGolden(f, name), "work.reportsTo.id")
	}
	f.Add([]byte(`{"/work":{"value":{"custom":{"x":1}}},"work":"flat"}`), "work.custom.x")
	f.Fuzz(func(t *testing.T, body []byte, field string) {
		var e hibob.Employee
		if json.Unmarshal(body, &e) != nil {
			return
		}
		if !e.Has(field) && !e.Field(field).IsNull() {
			t.Fatalf("Has(%q) is false but Field reads %s", field, e.Field(field).Raw())
		}
		_ = e.Field(field).Strings()
		_ = e.Display(field)
		_ = e.Custom(field)
		_, _ = e.Date(field)
		_, _ = e.StartDate()
		_ = e.ManagerID() + e.ID() + e.Title() + e.Department() + e.Status()
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("decoded employee does not encode: %v", err)
		}
	})
}

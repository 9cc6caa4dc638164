package bamboohr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The Fusebit fixture (https://github.com/fusebit/integrations,
// src/bamboohr/bamboohr-connector/test): key, timestamp and the signature
// recorded for the compact body in testdata/webhook_field_wrapped.json.
const (
	fixtureKey       = "123b929362d51613054f71e5e5d4bf2c"
	fixtureTimestamp = "1658248023"
	fixtureSignature = "56491dd9c2b352bc5f4fc627159aae20ddff9c8cb19f239a6de6771dc5310bac"
)

func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixtureVerifier() *WebhookVerifier {
	return &WebhookVerifier{
		PrivateKey: Secret(fixtureKey),
		Now:        func() time.Time { return time.Unix(1658248023+30, 0) },
	}
}

func TestSignMatchesDocumentedFixture(t *testing.T) {
	body := readGolden(t, "webhook_field_wrapped.json")
	if got := Sign(fixtureKey, body, fixtureTimestamp); got != fixtureSignature {
		t.Fatalf("Sign = %s, want %s", got, fixtureSignature)
	}
	// Stripe-style "ts.body" is a known wrong recipe (the PHP sample in
	// https://documentation.bamboohr.com/docs/webhooks#security signs body then ts).
	if got := Sign(fixtureKey, []byte(fixtureTimestamp+"."+string(body)), ""); got == fixtureSignature {
		t.Fatal("ts.body ordering must not match")
	}
}

func TestVerify(t *testing.T) {
	body := readGolden(t, "webhook_field_wrapped.json")
	changed := bytes.Clone(body)
	changed[len(changed)-3] ^= 0x01
	tests := []struct {
		name      string
		body      []byte
		ts, sig   string
		key       string
		tolerance time.Duration
		want      error
	}{
		{name: "documented", body: body, ts: fixtureTimestamp, sig: fixtureSignature, key: fixtureKey},
		{name: "uppercase hex", body: body, ts: fixtureTimestamp, sig: strings.ToUpper(fixtureSignature), key: fixtureKey},
		{name: "wrong key", body: body, ts: fixtureTimestamp, sig: fixtureSignature, key: "00000000000000000000000000000000", want: ErrWebhookSignature},
		{name: "changed byte", body: changed, ts: fixtureTimestamp, sig: fixtureSignature, key: fixtureKey, want: ErrWebhookSignature},
		{name: "changed timestamp", body: body, ts: "1658248024", sig: fixtureSignature, key: fixtureKey, want: ErrWebhookSignature},
		{name: "empty signature", body: body, ts: fixtureTimestamp, sig: "", key: fixtureKey, want: ErrWebhookSignature},
		{name: "no key configured", body: body, ts: fixtureTimestamp, sig: fixtureSignature, key: "", want: ErrWebhookSignature},
		{name: "oversized", body: bytes.Repeat([]byte("x"), DefaultWebhookMaxBodyBytes+1), ts: fixtureTimestamp, sig: fixtureSignature, key: fixtureKey, want: ErrWebhookTooLarge},
		{name: "tolerance off", body: body, ts: fixtureTimestamp, sig: fixtureSignature, key: fixtureKey, tolerance: -1},
		{name: "stale", body: body, ts: fixtureTimestamp, sig: fixtureSignature, key: fixtureKey, tolerance: 10 * time.Second, want: ErrWebhookTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fixtureVerifier()
			v.PrivateKey = Secret(tt.key)
			v.Tolerance = tt.tolerance
			err := v.Verify(tt.body, tt.ts, tt.sig)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyTimestampForms(t *testing.T) {
	now := time.Date(2026, 1, 31, 18, 42, 0, 0, time.UTC)
	body := []byte(`{"type":"employee.created","data":{"employeeId":"1"}}`)
	tests := []struct {
		ts   string
		want error
	}{
		{ts: strconv.FormatInt(now.Unix(), 10)},
		{ts: strconv.FormatInt(now.Add(4*time.Minute).Unix(), 10)},
		{ts: "2026-01-31T18:40:00+0000"},
		{ts: "2026-01-31T18:40:00Z"},
		{ts: strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10), want: ErrWebhookTimestamp},
		{ts: strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), want: ErrWebhookTimestamp},
		{ts: "", want: ErrWebhookTimestamp},
		{ts: "yesterday", want: ErrWebhookTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.ts, func(t *testing.T) {
			v := &WebhookVerifier{PrivateKey: "k", Now: func() time.Time { return now }}
			err := v.Verify(body, tt.ts, Sign("k", body, tt.ts))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify(ts=%q) = %v, want %v", tt.ts, err, tt.want)
			}
		})
	}
}

func TestParseWebhookGolden(t *testing.T) {
	ts := func(s string) time.Time { tm, _ := ParseTime(s); return tm }
	tests := []struct {
		file string
		want *WebhookPayload
	}{
		{file: "webhook_event_updated.json", want: &WebhookPayload{Family: EventBased, Events: []WebhookEvent{{
			Type: "employee.updated", Action: "Updated", CompanyID: "12345", EmployeeID: "67890",
			Timestamp: ts("2026-01-31T18:42:00Z"), ChangedFields: []string{"firstName", "department"},
		}}}},
		{file: "webhook_event_created.json", want: &WebhookPayload{Family: EventBased, Events: []WebhookEvent{{
			Type: "employee.created", Action: "Created", CompanyID: "12345", EmployeeID: "121",
			Timestamp: ts("2026-05-29T14:29:44Z"),
		}}}},
		{file: "webhook_field_wrapped.json", want: &WebhookPayload{Family: FieldBased, Events: []WebhookEvent{{
			Type: "employee_with_fields.updated", Action: "Updated", EmployeeID: "5",
			ChangedFields: []string{"First name"},
			Fields:        map[string]Value{"Employee #": String("300"), "First name": String("Tefi"), "Last name": String("Adams")},
		}}}},
		{file: "webhook_field_plain.json", want: &WebhookPayload{Family: FieldBased, Events: []WebhookEvent{{
			Type: "employee_with_fields.updated", Action: "Updated", EmployeeID: "12345",
			Timestamp:     ts("2026-01-31T18:42:00Z"),
			ChangedFields: []string{"First Name", "Litmos Access"},
			Fields:        map[string]Value{"First Name": String("Bryony"), "Employee #": String("300"), "Litmos Access": String("1")},
		}, {
			Type: "employee_with_fields.deleted", Action: "Deleted", EmployeeID: "12346",
			Timestamp: ts("2026-01-31T18:43:00Z"), Fields: map[string]Value{},
		}}}},
		{file: "webhook_event_form.txt", want: &WebhookPayload{Family: EventBased, Events: []WebhookEvent{{
			Type: "employee.updated", Action: "Updated", CompanyID: "12345", EmployeeID: "67890",
			Timestamp: ts("2026-01-31T18:42:00Z"), ChangedFields: []string{"firstName", "customLitmosAccess"},
		}}}},
		{file: "webhook_field_form.txt", want: &WebhookPayload{Family: FieldBased, Events: []WebhookEvent{{
			Type: "employee_with_fields.updated", Action: "Updated", EmployeeID: "5",
			ChangedFields: []string{"First Name"}, Fields: map[string]Value{"First Name": String("John")},
		}, {
			Type: "employee_with_fields.updated", Action: "Updated", EmployeeID: "7",
			Fields: map[string]Value{"Last Name": String("Doe")},
		}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseWebhook(readGolden(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(Value{})); diff != "" {
				t.Errorf("ParseWebhook mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseWebhookRejects(t *testing.T) {
	for _, body := range []string{
		``, `   `, `{`, `{}`, `[]`, `{"type":""}`, `{"type":"employee.updated","data":{}}`,
		`{"employees":[{"fields":{}}]}`, `{"employees":[{"id":"1","fields":["x"]}]}`,
		`{"employees":[{"id":"1","fields":{"a":[1]}}]}`, `{"employees":"x"}`, `a=b`, `%zz`,
	} {
		_, err := ParseWebhook([]byte(body))
		if !errors.Is(err, ErrWebhookPayload) {
			t.Errorf("ParseWebhook(%q) = %v, want ErrWebhookPayload", body, err)
		}
	}
}

func TestPayloadEmployeeIDs(t *testing.T) {
	p := &WebhookPayload{Events: []WebhookEvent{
		{Type: "employee.updated", Action: "Updated", EmployeeID: "5"},
		{Type: "company.updated", EmployeeID: ""},
		{Type: "employee.deleted", Action: "Deleted", EmployeeID: "7"},
		{Type: "employee.created", Action: "Created", EmployeeID: "5"},
		{Type: "employee.merged", Action: "Merged", EmployeeID: "8"}, // a type the receiver does not act on
	}}
	if diff := cmp.Diff([]string{"5", "7"}, p.EmployeeIDs()); diff != "" {
		t.Error(diff)
	}
	var ignored []string
	for _, e := range p.Ignored() {
		ignored = append(ignored, e.Type)
	}
	if diff := cmp.Diff([]string{"company.updated", "employee.merged"}, ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
}

// An id that is not a BambooHR employee id never reaches a request.
func TestParseWebhookRefusesBadEmployeeIDs(t *testing.T) {
	for _, id := range []string{"../../etc", "12/34", "-1", "0", "0012", "1e3", " 12", "12345678901234567890"} {
		body := `{"type":"employee.updated","data":{"employeeId":` + strconv.Quote(id) + `}}`
		if _, err := ParseWebhook([]byte(body)); !errors.Is(err, ErrWebhookPayload) {
			t.Errorf("employee id %q: err = %v, want ErrWebhookPayload", id, err)
		}
	}
}

func TestHandlerStatuses(t *testing.T) {
	good := readGolden(t, "webhook_field_wrapped.json")
	now := time.Unix(1658248023, 0)
	signed := func(body []byte, ts string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header.Set(TimestampHeader, ts)
		r.Header.Set(SignatureHeader, Sign(fixtureKey, body, ts))
		return r
	}
	tests := []struct {
		name     string
		req      *http.Request
		callback error
		want     int
		called   bool
	}{
		{name: "ok", req: signed(good, fixtureTimestamp), want: 202, called: true},
		{name: "callback asks retry", req: signed(good, fixtureTimestamp), callback: fmt.Errorf("queue full: %w", ErrRetryWebhook), want: 503, called: true},
		{name: "callback fails", req: signed(good, fixtureTimestamp), callback: errors.New("boom"), want: 422, called: true},
		{name: "GET", req: httptest.NewRequest(http.MethodGet, "/hook", nil), want: 405},
		{name: "bad signature", req: func() *http.Request {
			r := signed(good, fixtureTimestamp)
			r.Header.Set(SignatureHeader, strings.Repeat("0", 64))
			return r
		}(), want: 401},
		{name: "stale", req: signed(good, "1658240000"), want: 401},
		{name: "oversized", req: signed(bytes.Repeat([]byte("{"), 2048), fixtureTimestamp), want: 413},
		{name: "malformed JSON", req: signed([]byte(`{"employees":[`), fixtureTimestamp), want: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &WebhookVerifier{PrivateKey: fixtureKey, Now: func() time.Time { return now }, MaxBodyBytes: 1024}
			called := false
			h := v.Handler(func(ctx context.Context, p *WebhookPayload) error {
				called = true
				if len(p.Events) == 0 {
					t.Error("callback got no events")
				}
				return tt.callback
			})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tt.req)
			if rec.Code != tt.want || called != tt.called {
				t.Fatalf("status %d called %v, want %d called %v", rec.Code, called, tt.want, tt.called)
			}
		})
	}
}

func FuzzParseWebhook(f *testing.F) {
	for _, name := range []string{
		"webhook_event_updated.json", "webhook_event_created.json", "webhook_field_wrapped.json",
		"webhook_field_plain.json", "webhook_event_form.txt", "webhook_field_form.txt",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"employees":{"9":{"fields":{"a":{"value":null}}}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, ErrWebhookPayload) {
				t.Fatalf("error %v does not wrap ErrWebhookPayload", err)
			}
			return
		}
		if p.Family != EventBased && p.Family != FieldBased {
			t.Fatalf("family %v", p.Family)
		}
		for _, e := range p.Events {
			if p.Family == FieldBased && e.EmployeeID == "" {
				t.Fatal("field-based event without employee id")
			}
			if e.Type == "" {
				t.Fatal("event without type")
			}
		}
		// Verifying never panics either, whatever the body.
		v := &WebhookVerifier{PrivateKey: "k", Tolerance: -1}
		if err := v.Verify(body, "1", Sign("k", body, "1")); err != nil && int64(len(body)) <= DefaultWebhookMaxBodyBytes {
			t.Fatalf("Verify of a correctly signed body: %v", err)
		}
	})
}

// A vector computed outside Go at review time with
// printf '%s%s' "$body" "$ts" | openssl dgst -sha256 -hmac "$key":
// HMAC-SHA256 keyed by the private key as-is, over body then timestamp,
// lowercase hex (https://documentation.bamboohr.com/docs/webhooks#security).
// The handler accepts it end to end.
func TestSignIndependentVector(t *testing.T) {
	const (
		key  = "review-key-0001"
		ts   = "1769884920"
		body = `{"type":"employee.created","timestamp":"2026-01-31T18:42:00+0000","data":{"companyId":"1","employeeId":"2"}}`
		want = "e90d959e4d22e3edea26b381ab93011f957a2a1419fc140c52e372e4365bb1ac"
	)
	if got := Sign(key, []byte(body), ts); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	v := &WebhookVerifier{PrivateKey: key, Now: func() time.Time { return time.Unix(1769884920, 0) }}
	var got []string
	h := v.Handler(func(_ context.Context, p *WebhookPayload) error { got = p.EmployeeIDs(); return nil })
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
	r.Header.Set(TimestampHeader, ts)
	r.Header.Set(SignatureHeader, want)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusAccepted || len(got) != 1 || got[0] != "2" {
		t.Fatalf("handler = %d, ids %v", rec.Code, got)
	}
}

// Every delivery gets exactly one log record saying what happened, why a
// rejected one was rejected, and never the signature or the key.
func TestHandlerLogsEachDelivery(t *testing.T) {
	now := time.Unix(1658248023, 0)
	event := []byte(`{"type":"employee.updated","data":{"companyId":"1","employeeId":"106"}}`)
	deleted := []byte(`{"type":"employee.deleted","data":{"companyId":"1","employeeId":"107"}}`)
	unknown := []byte(`{"type":"company.renamed","data":{"companyId":"1"}}`)
	badID := []byte(`{"type":"employee.updated","data":{"employeeId":"../../etc"}}`)
	signed := func(body []byte, sig string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header.Set(TimestampHeader, fixtureTimestamp)
		if sig == "" {
			sig = Sign(fixtureKey, body, fixtureTimestamp)
		}
		r.Header.Set(SignatureHeader, sig)
		return r
	}
	badSig := strings.Repeat("ab", 32)
	tests := []struct {
		name   string
		req    *http.Request
		status int
		want   []string // in the log line
		answer string   // in the answer body
	}{
		{"update", signed(event, ""), 202, []string{"outcome=accepted", "status=202", "events=employee.updated", "employees=106", "duration="}, "queued employees 106"},
		{"delete", signed(deleted, ""), 202, []string{"outcome=accepted", "events=employee.deleted", "employees=107"}, "queued employees 107"},
		{"unknown type", signed(unknown, ""), 202, []string{"outcome=accepted", "ignored=company.renamed", "employees=\"\""}, "ignored 1 event"},
		{"bad signature", signed(event, badSig), 401, []string{"outcome=rejected", "status=401", "reason="}, "signature does not match"},
		{"bad id", signed(badID, ""), 400, []string{"outcome=rejected", "status=400", "not a BambooHR employee id"}, "not a BambooHR employee id"},
		{"too large", signed(bytes.Repeat([]byte(" "), 2048), ""), 413, []string{"outcome=rejected", "status=413"}, "body over the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			v := &WebhookVerifier{PrivateKey: fixtureKey, Now: func() time.Time { return now }, MaxBodyBytes: 1024,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			rec := httptest.NewRecorder()
			v.Handler(func(context.Context, *WebhookPayload) error { return nil }).ServeHTTP(rec, tt.req)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.answer) {
				t.Errorf("answer %d %q, want %d containing %q", rec.Code, rec.Body.String(), tt.status, tt.answer)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("log line lacks %q: %s", w, lines[0])
				}
			}
			for _, secret := range []string{fixtureKey, badSig, Sign(fixtureKey, event, fixtureTimestamp)} {
				if strings.Contains(logs.String()+rec.Body.String(), secret) {
					t.Errorf("log or answer shows a secret: %s %s", logs.String(), rec.Body.String())
				}
			}
		})
	}
}

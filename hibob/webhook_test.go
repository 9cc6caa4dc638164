package hibob_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/hibob"
)

// webhookSecret and fixtureSignature: the signature of
// testdata/webhook_employee_updated.json computed apart from this package,
// with `openssl dgst -sha512 -hmac "$secret" -binary | base64`.
const (
	webhookSecret    = "whsec-bob-0123456789abcdef"
	fixtureSignature = "IO7ownVY1YjUqDTXgWxp6kIRIQ8hFoMQ12jnkEQ8/OCDmWazgeXEND+Q9I4nWclO5+zJqiANahd5j3U4pnYVEw=="
)

func TestSignMatchesOpenSSL(t *testing.T) {
	if got := hibob.Sign(webhookSecret, readGolden(t, "webhook_employee_updated.json")); got != fixtureSignature {
		t.Fatalf("Sign = %s, want %s", got, fixtureSignature)
	}
}

func TestVerify(t *testing.T) {
	body := readGolden(t, "webhook_employee_updated.json")
	changed := bytes.Clone(body)
	changed[10] ^= 0x01
	raw, _ := base64.StdEncoding.DecodeString(fixtureSignature)
	sha256mac := hmac.New(sha256.New, []byte(webhookSecret))
	sha256mac.Write(body)
	tests := []struct {
		name, secret, sig string
		body              []byte
		max               int64
		want              error
	}{
		{name: "good", sig: fixtureSignature},
		{name: "good with spaces", sig: "  " + fixtureSignature + "\n"},
		{name: "unpadded", sig: strings.TrimRight(fixtureSignature, "=")},
		{name: "missing", sig: "", want: hibob.ErrWebhookSignature},
		{name: "blank", sig: "   ", want: hibob.ErrWebhookSignature},
		{name: "truncated by 4", sig: fixtureSignature[:len(fixtureSignature)-4], want: hibob.ErrWebhookSignature},
		{name: "truncated by 1", sig: fixtureSignature[:len(fixtureSignature)-1], want: hibob.ErrWebhookSignature},
		{name: "prefix only", sig: fixtureSignature[:8], want: hibob.ErrWebhookSignature},
		{name: "changed body", sig: fixtureSignature, body: changed, want: hibob.ErrWebhookSignature},
		{name: "wrong secret", secret: "whsec-bob-other", sig: fixtureSignature, want: hibob.ErrWebhookSignature},
		{name: "no secret configured", secret: "-", sig: fixtureSignature, want: hibob.ErrWebhookSignature},
		{name: "hex of the right MAC", sig: hex.EncodeToString(raw), want: hibob.ErrWebhookSignature},
		{name: "URL-safe Base64", sig: base64.URLEncoding.EncodeToString(raw), want: hibob.ErrWebhookSignature},
		{name: "HMAC-SHA256", sig: base64.StdEncoding.EncodeToString(sha256mac.Sum(nil)), want: hibob.ErrWebhookSignature},
		{name: "sha512= prefix", sig: "sha512=" + fixtureSignature, want: hibob.ErrWebhookSignature},
		{name: "oversized", sig: fixtureSignature, max: 64, want: hibob.ErrWebhookTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &hibob.WebhookVerifier{Secret: hibob.Secret(webhookSecret), MaxBodyBytes: tt.max}
			switch tt.secret {
			case "-":
				v.Secret = ""
			case "":
			default:
				v.Secret = hibob.Secret(tt.secret)
			}
			b := tt.body
			if b == nil {
				b = body
			}
			err := v.Verify(b, tt.sig)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			if err != nil && strings.TrimSpace(tt.sig) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.sig)) {
				t.Errorf("error shows the signature: %v", err)
			}
		})
	}
}

func TestVerifyDefaultLimit(t *testing.T) {
	big := bytes.Repeat([]byte("x"), hibob.DefaultWebhookMaxBodyBytes+1)
	v := &hibob.WebhookVerifier{Secret: webhookSecret}
	if err := v.Verify(big, hibob.Sign(webhookSecret, big)); !errors.Is(err, hibob.ErrWebhookTooLarge) {
		t.Errorf("1 MiB + 1: %v", err)
	}
	ok := big[:hibob.DefaultWebhookMaxBodyBytes]
	if err := v.Verify(ok, hibob.Sign(webhookSecret, ok)); err != nil {
		t.Errorf("1 MiB: %v", err)
	}
}

func ts(s string) time.Time {
	t, err := hibob.ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseWebhookGolden(t *testing.T) {
	const ada, grace = "3332883854254932743", "3332883804594373380"
	tests := []struct {
		file string
		want hibob.WebhookPayload
		ids  []string
	}{
		{"webhook_employee_updated.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventEmployeeUpdated, CompanyID: "636192",
			TriggeredBy: grace, TriggeredAt: ts("2025-01-08T13:06:26.915906"), EmployeeID: ada, ChangedFields: []string{"work.title"}}, []string{ada}},
		{"webhook_employee_created.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventEmployeeCreated, CompanyID: "636192",
			TriggeredBy: grace, TriggeredAt: ts("2025-02-03T08:00:00.123456"), EmployeeID: "3332883854254932999"}, []string{"3332883854254932999"}},
		{"webhook_employee_deleted.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventEmployeeDeleted, CompanyID: "636192",
			TriggeredBy: grace, TriggeredAt: ts("2025-02-04T10:30:00"), EmployeeID: ada, Email: "ada.lovelace@example.com"}, []string{ada}},
		{"webhook_employee_joined.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventEmployeeJoined, CompanyID: "636192",
			TriggeredBy: "system", TriggeredAt: ts("2025-09-01T00:00:00"), EmployeeID: "3332883854254932800", EffectiveDate: date(2025, 9, 1)}, []string{"3332883854254932800"}},
		{"webhook_employee_left.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventEmployeeLeft, CompanyID: "636192",
			TriggeredBy: "system", TriggeredAt: ts("2026-01-15T00:00:00"), EmployeeID: "3332883854254932801", EffectiveDate: date(2026, 1, 15)}, []string{"3332883854254932801"}},
		{"webhook_employee_inactivated.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventEmployeeInactivated, CompanyID: "636192",
			TriggeredBy: "system", TriggeredAt: ts("2026-02-01T00:00:00"), EmployeeID: "3332883854254932802", EffectiveDate: date(2026, 2, 1)}, []string{"3332883854254932802"}},
		{"webhook_table_entry_created.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventTableEntryCreated, CompanyID: "636192",
			TriggeredBy: grace, TriggeredAt: ts("2025-01-08T13:06:26.915906"), EmployeeID: ada, TableID: "work", EffectiveDate: date(2025, 1, 8)}, []string{ada}},
		{"webhook_table_entry_updated.json", hibob.WebhookPayload{Version: "v2", Type: hibob.EventTableEntryUpdated, CompanyID: "636192",
			TriggeredBy: grace, TriggeredAt: ts("2026-03-24T09:15:00.000001"), EmployeeID: ada, TableID: "bankAccounts", EntryID: "16571610"}, []string{ada}},
		{"webhook_v1_employee_updated.json", hibob.WebhookPayload{Version: "v1", Type: hibob.EventEmployeeUpdated, CompanyID: "636192",
			TriggeredAt: ts("2024-11-05T12:34:56.789"), EmployeeID: ada, Email: "ada.lovelace@example.com", ChangedFields: []string{"root.firstName"}}, []string{ada}},
		{"webhook_timeoff_request.json", hibob.WebhookPayload{Version: "v2", Type: "timeoff.request.approved", CompanyID: "636192",
			TriggeredBy: grace, TriggeredAt: ts("2025-03-01T09:00:00"), EmployeeID: ada}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := hibob.ParseWebhook(readGolden(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, p, cmpopts.IgnoreFields(hibob.WebhookPayload{}, "Data")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.ids, p.EmployeeIDs()); diff != "" {
				t.Errorf("EmployeeIDs (-want +got):\n%s", diff)
			}
			if p.Version == "v2" && len(p.Data) == 0 {
				t.Error("Data not kept")
			}
		})
	}
}

func TestParseWebhookPingAndMalformed(t *testing.T) {
	for _, body := range []string{"Ping test", " Ping test\n", `{"text":"Ping test"}`, `"Ping test"`} {
		p, err := hibob.ParseWebhook([]byte(body))
		if err != nil || !p.Ping || p.EmployeeIDs() != nil {
			t.Errorf("ping %q: %+v, %v", body, p, err)
		}
	}
	for _, body := range []string{
		"", "   ", "ping test", "[]", `{"text":"Ping test!"}`, `{"data":{"employeeId":"1"}}`, `{"type":""}`,
		`{"type":"employee.updated","data":{}}`, `{"type":"table.entry.created","data":{"tableId":"work"}}`,
		`{"type":"employee.created","data":"1"}`, `{"type":"employee.created"`, `{"type":5}`,
	} {
		if _, err := hibob.ParseWebhook([]byte(body)); !errors.Is(err, hibob.ErrWebhookPayload) {
			t.Errorf("body %q: %v, want ErrWebhookPayload", body, err)
		}
	}
}

// handlerCase drives one request through Handler.
type handlerCase struct {
	name, method, body, sig string
	fnErr                   error
	want                    int
	called                  bool
	log                     string
}

func TestHandler(t *testing.T) {
	good := string(readGolden(t, "webhook_employee_updated.json"))
	sign := func(b string) string { return hibob.Sign(webhookSecret, []byte(b)) }
	tests := []handlerCase{
		{name: "event", method: "POST", body: good, sig: fixtureSignature, want: 200, called: true},
		{name: "GET", method: "GET", want: 405, log: "must be POST"},
		{name: "oversized", method: "POST", body: good + strings.Repeat(" ", 1024), sig: sign(good + strings.Repeat(" ", 1024)), want: 413, log: "too large"},
		{name: "no signature", method: "POST", body: good, want: 401, log: "no Bob-Signature header"},
		{name: "bad signature", method: "POST", body: good, sig: sign("other"), want: 401, log: "does not match"},
		{name: "truncated signature", method: "POST", body: good, sig: fixtureSignature[:40], want: 401, log: "signature"},
		{name: "malformed", method: "POST", body: `{"type":"employee.updated"}`, sig: sign(`{"type":"employee.updated"}`), want: 400, log: "names no employee"},
		{name: "not JSON", method: "POST", body: "hello", sig: sign("hello"), want: 400, log: "not a JSON object"},
		{name: "ping unsigned", method: "POST", body: "Ping test", want: 200, log: "connection test answered (unsigned)"},
		{name: "ping JSON signed", method: "POST", body: `{"text":"Ping test"}`, sig: sign(`{"text":"Ping test"}`), want: 200},
		{name: "ping wrongly signed", method: "POST", body: "Ping test", sig: sign("x"), want: 200, log: "check the secret"},
		{name: "retry later", method: "POST", body: good, sig: fixtureSignature, fnErr: fmt.Errorf("queue full: %w", hibob.ErrRetryWebhook), want: 503, called: true, log: "queue full"},
		{name: "callback fails", method: "POST", body: good, sig: fixtureSignature, fnErr: errors.New("boom"), want: 200, called: true, log: "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			v := &hibob.WebhookVerifier{Secret: webhookSecret, MaxBodyBytes: 512, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			var got *hibob.WebhookPayload
			h := v.Handler(func(_ context.Context, p *hibob.WebhookPayload) error { got = p; return tt.fnErr })
			req := httptest.NewRequest(tt.method, "/hibob", strings.NewReader(tt.body))
			if tt.sig != "" {
				req.Header.Set("bob-signature", tt.sig) // any case
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want || (got != nil) != tt.called {
				t.Errorf("status %d, callback called %v; want %d, %v", rec.Code, got != nil, tt.want, tt.called)
			}
			if tt.called && got != nil && !cmp.Equal(got.EmployeeIDs(), []string{"3332883854254932743"}) {
				t.Errorf("payload IDs %v", got.EmployeeIDs())
			}
			if !strings.Contains(logs.String(), tt.log) || (tt.log == "" && logs.Len() > 0) {
				t.Errorf("log %q, want it to mention %q", logs.String(), tt.log)
			}
			if tt.sig != "" && strings.Contains(logs.String(), tt.sig) {
				t.Error("the signature was logged")
			}
		})
	}
}

// The fake delivers each event family signed, one POST each, in order; the
// handler hands every employee ID to the callback.
func TestHandlerWithFakeDeliveries(t *testing.T) {
	srv, ids := seeded(t)
	var mu sync.Mutex
	var got []string
	v := &hibob.WebhookVerifier{Secret: webhookSecret}
	receiver := httptest.NewServer(v.Handler(func(_ context.Context, p *hibob.WebhookPayload) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, p.Type+" "+strings.Join(p.EmployeeIDs(), ",")+" "+p.Email+p.TableID+strings.Join(p.ChangedFields, ","))
		return nil
	}))
	defer receiver.Close()
	events := []hibob.WebhookPayload{
		{Type: hibob.EventEmployeeCreated, EmployeeID: ids["future_starter"]},
		{Type: hibob.EventEmployeeUpdated, EmployeeID: ids["engineer"], ChangedFields: []string{"root.firstName"}},
		{Type: hibob.EventTableEntryCreated, EmployeeID: ids["engineer"], TableID: "work", EffectiveDate: date(2026, 7, 1)},
		{Type: hibob.EventTableEntryUpdated, EmployeeID: ids["engineer"], TableID: "bankAccounts", EntryID: "99"},
		{Type: hibob.EventEmployeeJoined, EmployeeID: ids["future_starter"]},
		{Type: hibob.EventEmployeeLeft, EmployeeID: ids["leaver"]},
		{Type: hibob.EventEmployeeInactivated, EmployeeID: ids["leaver"]},
		{Type: hibob.EventEmployeeDeleted, EmployeeID: ids["sales_rep"], Email: "dorothy.vaughan@example.com"},
	}
	statuses, err := srv.SendWebhook(ctx, receiver.URL, webhookSecret, events...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{200, 200, 200, 200, 200, 200, 200, 200}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	want := []string{
		"employee.created " + ids["future_starter"] + " ",
		"employee.updated " + ids["engineer"] + " root.firstName",
		"table.entry.created " + ids["engineer"] + " work",
		"table.entry.updated " + ids["engineer"] + " bankAccounts",
		"employee.joined " + ids["future_starter"] + " ",
		"employee.left " + ids["leaver"] + " ",
		"employee.inactivated " + ids["leaver"] + " ",
		"employee.deleted " + ids["sales_rep"] + " dorothy.vaughan@example.com",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("callback saw (-want +got):\n%s", diff)
	}
	if status, err := srv.SendPing(ctx, receiver.URL, ""); err != nil || status != http.StatusOK {
		t.Errorf("ping: %d, %v", status, err)
	}
	if statuses, _ := srv.SendWebhook(ctx, receiver.URL, "wrong-secret", events[0]); !cmp.Equal(statuses, []int{401}) {
		t.Errorf("wrong secret: %v, want [401]", statuses)
	}
	if len(got) != len(want) {
		t.Errorf("callback called %d times, want %d", len(got), len(want))
	}
}

// A delivery signed over the exact bytes verifies; SHA-512 of the same body
// with any other key does not.
func TestSignIsHMACSHA512(t *testing.T) {
	body := []byte(`{"type":"employee.created","data":{"employeeId":"1"}}`)
	m := hmac.New(sha512.New, []byte("k"))
	m.Write(body)
	if got, want := hibob.Sign("k", body), base64.StdEncoding.EncodeToString(m.Sum(nil)); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

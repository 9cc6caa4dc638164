package hibob_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/hibob"
)

// FuzzWebhookHandler sends one delivery of any body and Bob-Signature
// header to a Handler (signed correctly when sign is set). The callback
// runs only for a signature that decodes to the body's HMAC and a body
// that parses, and then the answer is 200; the connection test is
// answered 200 without it; every other answer is 400, 401 or 413, with a
// Verify failure answered 401 or 413. Neither the answer nor the log
// shows the secret or the correct signature.
func FuzzWebhookHandler(f *testing.F) {
	for _, name := range []string{
		"webhook_employee_updated.json", "webhook_employee_deleted.json", "webhook_table_entry_created.json",
		"webhook_v1_employee_updated.json", "webhook_employee_left.json",
	} {
		b := readGolden(f, name)
		good := hibob.Sign(webhookSecret, b)
		f.Add(b, "", true)
		f.Add(b, strings.TrimRight(good, "="), false)
		f.Add(b, good[:40]+"\n"+good[40:], false)
		f.Add(b, hibob.Sign("other", b), false)
	}
	f.Add([]byte("Ping test"), "", false)
	f.Add([]byte(`{"text":"Ping test"}`), "bm9wZQ==", false)
	f.Add([]byte(`{"type":"employee.updated","data":null}`), "", true)
	f.Fuzz(func(t *testing.T, body []byte, sig string, sign bool) {
		good := hibob.Sign(webhookSecret, body)
		if sign {
			sig = good
		}
		var log bytes.Buffer
		v := &hibob.WebhookVerifier{Secret: webhookSecret, MaxBodyBytes: 1 << 12,
			Logger: slog.New(slog.NewTextHandler(&log, nil))}
		called := false
		h := v.Handler(func(context.Context, *hibob.WebhookPayload) error { called = true; return nil })
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header.Set(hibob.SignatureHeader, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		verr := v.Verify(body, r.Header.Get(hibob.SignatureHeader))
		parsed, perr := hibob.ParseWebhook(body)
		ping := perr == nil && parsed.Ping
		switch rec.Code {
		case http.StatusOK:
			if called && (verr != nil || perr != nil) {
				t.Fatalf("callback ran with Verify %v, ParseWebhook %v", verr, perr)
			}
			if called && !sign && !sameMAC(r.Header.Get(hibob.SignatureHeader), good) {
				t.Fatalf("callback ran for signature %q, want %q", sig, good)
			}
			if called == ping {
				t.Fatalf("answer 200, callback %v, connection test %v", called, ping)
			}
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
			if called {
				t.Fatalf("callback ran, answer %d", rec.Code)
			}
			if (verr == nil) != (rec.Code == http.StatusBadRequest) {
				t.Fatalf("answer %d, Verify %v", rec.Code, verr)
			}
		default:
			t.Fatalf("answer %d", rec.Code)
		}
		if verr != nil && !errors.Is(verr, hibob.ErrWebhookSignature) && !errors.Is(verr, hibob.ErrWebhookTooLarge) {
			t.Fatalf("Verify error %v wraps no webhook sentinel", verr)
		}
		if in := string(body) + sig; strings.Contains(in, webhookSecret) || strings.Contains(in, good) {
			return // an echo of the input is not a leak
		}
		for what, out := range map[string]string{"answer": rec.Body.String(), "log": log.String()} {
			if strings.Contains(out, webhookSecret) || strings.Contains(out, good) || strings.Contains(out, strings.TrimRight(good, "=")) {
				t.Fatalf("the %s shows the secret or the signature: %s", what, out)
			}
		}
	})
}

// sameMAC reports whether sig decodes (padded or not) to the MAC good encodes.
func sameMAC(sig, good string) bool {
	want, _ := base64.StdEncoding.DecodeString(good)
	sig = strings.TrimSpace(sig)
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		got, err = base64.RawStdEncoding.DecodeString(sig)
	}
	return err == nil && bytes.Equal(got, want)
}

// FuzzParseTime: any text is an instant or an error with the zero time;
// an instant written as RFC 3339 reads back to the same instant, and its
// calendar date is what ParseDate reads.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-01-08T13:06:26.915906", "2025-01-08T23:06:26+02:00", "2025-01-08 13:06:26",
		"2025-01-08T13:06:26Z", "2025-01-08", "", "2025-02-30T00:00:00", "9999-12-31T23:59:59.999999999-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := hibob.ParseTime(s)
		if err != nil {
			if !tm.IsZero() {
				t.Fatalf("ParseTime(%q) failed with a time %v", s, tm)
			}
			return
		}
		again, err := hibob.ParseTime(tm.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(tm) {
			t.Fatalf("ParseTime(%q) = %v, which reads back as %v, %v", s, tm, again, err)
		}
		d, err := hibob.ParseDate(s)
		if y, m, day := tm.Date(); err != nil || d != time.Date(y, m, day, 0, 0, 0, 0, time.UTC) {
			t.Fatalf("ParseDate(%q) = %v, %v; ParseTime's date is %v", s, d, err, tm)
		}
	})
}

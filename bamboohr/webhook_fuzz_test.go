package bamboohr_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
)

// fuzzNow is the clock of the webhook fuzz targets; seeds sign at it.
var fuzzNow = time.Unix(1769884920, 0)

// FuzzWebhookHandler sends one delivery of any body, timestamp header and
// signature header to a Handler (signed correctly when sign is set). The
// callback runs exactly when the answer is 202, and then the signature and
// the timestamp verify and the body parses; every other answer is 400, 401
// or 413, with a Verify failure answered 401 or 413. Neither the answer
// nor the log shows the private key or the correct signature (unless the
// input itself holds them, as an echo of a bad body may).
func FuzzWebhookHandler(f *testing.F) {
	ts := strconv.FormatInt(fuzzNow.Unix(), 10)
	for _, name := range []string{
		"webhook_event_updated.json", "webhook_event_created.json", "webhook_field_wrapped.json",
		"webhook_field_plain.json", "webhook_event_form.txt", "webhook_field_form.txt",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, ts, "", true)
		f.Add(b, fuzzNow.Add(-6*time.Minute).Format(time.RFC3339), "", true)
		f.Add(b, ts, strings.ToUpper(bamboohr.Sign(testWebhookKey, b, ts)), false)
		f.Add(b, ts, bamboohr.Sign(testWebhookKey, b, ts)[1:], false)
	}
	f.Add([]byte(`{"employees":{"x":{}}}`), "2026-01-31T18:42:00+0000", "", true)
	f.Add([]byte{}, "", "", false)
	f.Fuzz(func(t *testing.T, body []byte, ts, sig string, sign bool) {
		good := bamboohr.Sign(testWebhookKey, body, ts)
		if sign {
			sig = good
		}
		var log bytes.Buffer
		v := &bamboohr.WebhookVerifier{PrivateKey: testWebhookKey, MaxBodyBytes: 1 << 12,
			Now: func() time.Time { return fuzzNow }, Logger: slog.New(slog.NewTextHandler(&log, nil))}
		called := false
		h := v.Handler(func(context.Context, *bamboohr.WebhookPayload) error { called = true; return nil })
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header.Set(bamboohr.TimestampHeader, ts)
		r.Header.Set(bamboohr.SignatureHeader, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		verr := v.Verify(body, r.Header.Get(bamboohr.TimestampHeader), r.Header.Get(bamboohr.SignatureHeader))
		switch rec.Code {
		case http.StatusAccepted:
			if !called || verr != nil {
				t.Fatalf("202 with callback %v, Verify %v", called, verr)
			}
			if _, err := bamboohr.ParseWebhook(body); err != nil {
				t.Fatalf("202 for a body ParseWebhook refuses: %v", err)
			}
			if !sign && strings.ToLower(strings.TrimSpace(r.Header.Get(bamboohr.SignatureHeader))) != good {
				t.Fatalf("202 for signature %q, want %q", sig, good)
			}
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
			if called {
				t.Fatalf("callback ran, answer %d", rec.Code)
			}
			if verr != nil && rec.Code == http.StatusBadRequest {
				t.Fatalf("Verify failed (%v), answer 400, want 401 or 413", verr)
			}
			if verr == nil && rec.Code != http.StatusBadRequest {
				t.Fatalf("Verify passed, answer %d", rec.Code)
			}
		default:
			t.Fatalf("answer %d", rec.Code)
		}
		if verr != nil && !errors.Is(verr, bamboohr.ErrWebhookSignature) &&
			!errors.Is(verr, bamboohr.ErrWebhookTimestamp) && !errors.Is(verr, bamboohr.ErrWebhookTooLarge) {
			t.Fatalf("Verify error %v wraps no webhook sentinel", verr)
		}
		if in := string(body) + ts + sig; strings.Contains(in, testWebhookKey) || strings.Contains(strings.ToLower(in), good) {
			return // an echo of the input is not a leak
		}
		for what, out := range map[string]string{"answer": rec.Body.String(), "log": log.String()} {
			if strings.Contains(out, testWebhookKey) || strings.Contains(strings.ToLower(out), good) {
				t.Fatalf("the %s shows the key or the signature: %s", what, out)
			}
		}
	})
}

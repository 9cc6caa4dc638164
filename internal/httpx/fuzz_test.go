package httpx

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseRetryAfter: any header value gives a non-negative wait or none,
// and never panics.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", " 7 ", "-5", "1.5", "Mon, 30 Nov 2026 12:01:30 GMT", "Mon Nov 30 12:00:05 2026", "9223372036854775807", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Errorf("parseRetryAfter(%q) = %v, %v", v, d, ok)
		}
	})
}

// FuzzDecodeErrorBody: any vendor error body yields a code and message that
// fit in an APIError (clipped, valid UTF-8 when the body is) without panicking,
// and a secret in the body never reaches the error text.
func FuzzDecodeErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"error":{"code":"BadRequest","message":"bad field"}}`, `{"code":42,"message":"x"}`,
		`{"errors":[{"message":"first"}]}`, `{"errors":["a"]}`, `"plain json string"`,
		"UserName already exists\nsecond line", "<Error><Code>E1</Code></Error>", `{"error":{"error":{"error":{}}}}`,
	} {
		f.Add(s)
	}
	const secret = "fuzz-secret-4242"
	f.Fuzz(func(t *testing.T, body string) {
		code, msg := decodeErrorBody(&http.Response{Header: http.Header{}}, []byte(body+secret))
		e := &APIError{Vendor: "v", StatusCode: 400, Method: "GET", URL: "https://h/x",
			Code: clip(Redact(code, secret)), Message: clip(Redact(msg, secret))}
		text := e.Error()
		if strings.Contains(strings.ReplaceAll(text, redacted, "\x00"), secret) {
			t.Errorf("error text shows the secret: %q", text)
		}
		if len(e.Code) > maxMessage+len("…") || len(e.Message) > maxMessage+len("…") {
			t.Errorf("code %d bytes, message %d bytes: not clipped", len(e.Code), len(e.Message))
		}
		if utf8.ValidString(body) && !utf8.ValidString(text) {
			t.Errorf("valid UTF-8 body gave invalid error text %q", text)
		}
	})
}

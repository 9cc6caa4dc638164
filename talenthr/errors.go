package talenthr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// APIError is a non-2xx answer from TalentHR. Read it with errors.As; its
// Message holds TalentHR's words from the body's "error" key (a text, or an
// object with a message and per-field errors), with credentials redacted.
type APIError struct{ httpx.APIError }

// wrapAPIError is the client's httpx.Config.WrapAPIError.
func wrapAPIError(e *httpx.APIError) error { return &APIError{APIError: *e} }

// Errors that errors.Is matches on the errors the client returns. They are
// the syncengine sentinels: a connector returns a client error as it is.
var (
	// ErrNotFound: 404, no such employee (or no such endpoint).
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: 401, the API key is missing, wrong or revoked.
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: 403, the plan or the key may not do this (the API needs
	// the Essential plan or above).
	ErrForbidden = httpx.ErrForbidden
	// ErrRateLimited: 429 after retries (2,000 requests a minute per key).
	ErrRateLimited = httpx.ErrRateLimited
	// ErrConflict: 409.
	ErrConflict = httpx.ErrConflict
	// ErrInvalid: 400 or 422, TalentHR refused the data (a required field
	// missing, an email already taken); also a LookupError.
	ErrInvalid = httpx.ErrInvalid
	// ErrUnavailable: a 5xx, or no answer, and the request was not applied.
	ErrUnavailable = httpx.ErrUnavailable
	// ErrOutcomeUnknown: a hire or a create was sent and may or may not
	// have been applied; look the record up before sending it again.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// maxFieldErrors bounds the per-field messages an error text lists.
const maxFieldErrors = 5

// decodeError reads TalentHR's error body. The introduction of
// https://apidocs.talenthr.io/ only says errors carry an "error" key, so
// every form seen in the wild is read: {"error":"text"},
// {"error":{"message":…,"errors":{field:[…]}}}, Laravel's
// {"message":…,"errors":{…}}, a bare JSON string and plain text. An HTML or
// XML page gives nothing: the status says enough.
func decodeError(_ *http.Response, body []byte) (code, message string) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] == '<' {
		return "", ""
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		line, _, _ := strings.Cut(string(b), "\n")
		return "", oneLine(line)
	}
	switch x := v.(type) {
	case string:
		return "", oneLine(x)
	case map[string]any:
		code, message = errorObject(x)
		return oneLine(code), oneLine(message)
	}
	return "", ""
}

// errorObject reads the top-level object: its "error" (text or object)
// first, then Laravel's "message" and "errors".
func errorObject(m map[string]any) (code, message string) {
	switch e := m["error"].(type) {
	case string:
		message = e
	case map[string]any:
		code, message = errorObject(e)
	case []any:
		message = joinTexts(e)
	}
	code = orElse(code, scalar(m["code"]))
	if message == "" {
		message = orElse(scalar(m["message"]), scalar(m["msg"]))
	}
	fields := fieldErrors(m["errors"])
	switch {
	case fields == "":
	case message == "":
		message = fields
	case !strings.Contains(message, fields):
		message += " (" + fields + ")"
	}
	return code, message
}

// fieldErrors formats {"email":["taken"],"first_name":"required"} as
// "email: taken; first_name: required", fields in name order, at most
// maxFieldErrors of them.
func fieldErrors(v any) string {
	switch x := v.(type) {
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, 0, min(len(keys), maxFieldErrors)+1)
		for i, k := range keys {
			if i == maxFieldErrors {
				parts = append(parts, fmt.Sprintf("and %d more", len(keys)-i))
				break
			}
			msg := scalar(x[k])
			if list, ok := x[k].([]any); ok {
				msg = joinTexts(list)
			}
			parts = append(parts, k+": "+msg)
		}
		return strings.Join(parts, "; ")
	case []any:
		return joinTexts(x)
	}
	return ""
}

// joinTexts joins the scalar elements of list with a space.
func joinTexts(list []any) string {
	var parts []string
	for _, e := range list {
		if s := scalar(e); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// scalar returns a string, number or boolean as text; "" otherwise.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// oneLine replaces line breaks and other control characters with spaces,
// so a vendor message cannot break a log line.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

// opError says what a call was doing when err happened, with one
// "talenthr: " prefix however deep the chain:
// `talenthr: hire "ada@acme.test": POST /v1/employees/hire: 422 …`.
type opError struct {
	op  string
	err error
}

// Error is "talenthr: op: cause", with one prefix.
func (e *opError) Error() string {
	return "talenthr: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "talenthr: ")
}

// Unwrap returns the cause.
func (e *opError) Unwrap() error { return e.err }

// wrapf wraps err with the operation format describes; nil stays nil.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &opError{op: fmt.Sprintf(format, args...), err: err}
}

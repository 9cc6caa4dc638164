package hibob

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// APIError is a non-2xx answer from HiBob. Read it with errors.As; Code is
// HiBob's error key and Message its words, with credentials redacted.
type APIError struct{ httpx.APIError }

// wrapAPIError is the client's httpx.Config.WrapAPIError.
func wrapAPIError(e *httpx.APIError) error { return &APIError{APIError: *e} }

// Errors that errors.Is matches on the errors the client returns. They are
// the syncengine sentinels.
var (
	// ErrNotFound: 404, e.g. no employee with that ID or email, or a named
	// list spelt in another case (list names are case-sensitive).
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: 401, the service user ID or token is wrong. HiBob
	// also answers some permission denials 401. Repeated 401s and 403s trip
	// HiBob's firewall for a while, so they are never retried
	// (https://apidocs.hibob.com/docs/rate-limit).
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: 403, the service user lacks a permission.
	ErrForbidden = httpx.ErrForbidden
	// ErrRateLimited: 429 after retries.
	ErrRateLimited = httpx.ErrRateLimited
	// ErrConflict: 409.
	ErrConflict = httpx.ErrConflict
	// ErrInvalid: 400 or 422, HiBob refused the request's data.
	ErrInvalid = httpx.ErrInvalid
	// ErrUnavailable: 5xx or no answer, after retries; nothing was applied.
	ErrUnavailable = httpx.ErrUnavailable
	// ErrOutcomeUnknown: a create was sent and may or may not have been
	// applied; look the employee up by email before creating again.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// errorBody covers the error shapes HiBob sends
// (https://apidocs.hibob.com/reference/error-handling): {"key","error"},
// {"error","message","statusCode"} (Goals), {"errorMessage"} and
// {"errors":{"<fieldId>":{"error","message"}}}.
type errorBody struct {
	Key          string          `json:"key"`
	Error        json.RawMessage `json:"error"`
	Message      string          `json:"message"`
	ErrorMessage string          `json:"errorMessage"`
	Errors       json.RawMessage `json:"errors"`
}

type fieldError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// decodeError is the client's httpx.Config.DecodeError.
func decodeError(_ *http.Response, body []byte) (code, message string) {
	text := strings.TrimSpace(string(body))
	switch {
	case text == "", text[0] == '<':
		return "", "" // an HTML page says no more than the status
	case text[0] != '{':
		line, _, _ := strings.Cut(text, "\n")
		return "", truncate(line, 200)
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return "", ""
	}
	var errText string
	_ = json.Unmarshal(eb.Error, &errText)
	message = firstNonEmpty(errText, eb.Message, eb.ErrorMessage)
	if message == "" {
		message = fieldErrors(eb.Errors)
	}
	return eb.Key, message
}

// fieldErrors renders {"fieldId": {"error","message"}} as
// "work.site: MISSING_MANDATORY_FIELD: ...", field IDs in order.
func fieldErrors(raw json.RawMessage) string {
	var byField map[string]fieldError
	if len(raw) == 0 || json.Unmarshal(raw, &byField) != nil {
		return ""
	}
	ids := make([]string, 0, len(byField))
	for id := range byField {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		fe := byField[id]
		parts = append(parts, strings.Join(nonEmpty(id, fe.Error, fe.Message), ": "))
	}
	return strings.Join(parts, "; ")
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// opError says what a call was doing when err happened, keeping one
// "hibob: " prefix however deep the chain: `hibob: get employee "ada@x.com":
// POST /v1/people/ada@x.com: 404 Not Found`.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "hibob: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "hibob: ")
}

func (e *opError) Unwrap() error { return e.err }

// wrapf wraps err with the operation format describes; nil stays nil.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &opError{op: fmt.Sprintf(format, args...), err: err}
}

// notModified reports HiBob's 304: the write changed nothing
// (https://apidocs.hibob.com/reference/error-handling).
func notModified(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotModified
}

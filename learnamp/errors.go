package learnamp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// APIError is a non-2xx answer from Learn Amp. Read it with errors.As;
// match it against the sentinels with errors.Is. Message is Learn Amp's
// "error" text ("email is missing, firstName is missing", "Not found"), or
// a token error's description with its RFC 6749 code in Code
// ("invalid_client"). Every text is redacted: no client secret or token.
type APIError struct {
	httpx.APIError
	// FullErrors are the per-field messages of a validation failure
	// ({"fullErrors": {"email": ["is missing", "is empty"]}}), nil when the
	// reply carries none (https://developers.learnamp.com/#create-a-user).
	FullErrors map[string][]string
}

// Is matches the sentinels by status, as every client's errors do, and
// also matches ErrConflict for a duplicate Learn Amp answers with 400.
func (e *APIError) Is(target error) bool {
	if target == ErrConflict && e.StatusCode == http.StatusBadRequest && e.taken() {
		return true
	}
	return e.APIError.Is(target)
}

// taken reports whether a validation failure names a value already taken.
func (e *APIError) taken() bool {
	const word = "has already been taken"
	for _, msgs := range e.FullErrors {
		for _, m := range msgs {
			if strings.Contains(strings.ToLower(m), word) {
				return true
			}
		}
	}
	return strings.Contains(strings.ToLower(e.Message), word)
}

// wrapAPIError is the client's httpx.Config.WrapAPIError.
func wrapAPIError(e *httpx.APIError) error {
	return &APIError{APIError: *e, FullErrors: decodeFullErrors(e.Body())}
}

// Errors that errors.Is matches on the errors the client returns. They are
// the syncengine sentinels, so a connector passes a client error on as it is.
var (
	// ErrNotFound: 404, no such user, team, membership or custom field.
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: 401, the client ID or secret is wrong, or the token
	// was refused again after one renewal.
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: 403, the key lacks the scope or permission (see WithScopes).
	ErrForbidden = httpx.ErrForbidden
	// ErrRateLimited: 429 after retries.
	ErrRateLimited = httpx.ErrRateLimited
	// ErrConflict: 409, or a 400 that says a unique value "has already
	// been taken" (a user's email or integrationExternalId, a team's
	// integrationExternalId, a membership): Learn Amp reports duplicates
	// so (https://developers.learnamp.com/#update-a-user). Such an error
	// matches ErrInvalid too.
	ErrConflict = httpx.ErrConflict
	// ErrInvalid: 400 or 422, Learn Amp refused the data: a missing field,
	// a taken email or integrationExternalId, an unknown team or manager,
	// an unknown occupationRole (422); FullErrors says which field.
	ErrInvalid = httpx.ErrInvalid
	// ErrUnavailable: a 5xx or no answer after retries; nothing was applied.
	ErrUnavailable = httpx.ErrUnavailable
	// ErrOutcomeUnknown: a create was sent and may or may not have been
	// applied; look the record up (by integrationExternalId or email)
	// before creating it again.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// errorBody is what Learn Amp's error replies hold: {"error", "fullErrors"}
// on the resource API (https://developers.learnamp.com/#errors), and
// {"error", "error_description"} (RFC 6749 §5.2) from the token endpoint.
type errorBody struct {
	Error       json.RawMessage `json:"error"`
	Description string          `json:"error_description"`
}

// decodeError reads the code and message of an error reply: for a token
// error the code and its description, else the "error" text. A body that
// is not such JSON gives its first line if it is short text (a 429's
// "Retry later"), nothing for an HTML page.
func decodeError(_ *http.Response, body []byte) (code, message string) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] == '<' {
		return "", ""
	}
	var eb errorBody
	if b[0] == '{' && json.Unmarshal(b, &eb) == nil {
		text := rawText(eb.Error)
		if eb.Description != "" {
			return text, eb.Description
		}
		return "", text
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSpace(line); len(line) <= 200 {
		return "", line
	}
	return "", ""
}

// rawText is a JSON string's value, or the compact JSON of anything else
// ("error" is a string in every documented reply).
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return ""
	}
	return buf.String()
}

// decodeFullErrors reads "fullErrors" from an error reply: field → messages,
// a lone string taken as one message; nil when there is none.
func decodeFullErrors(body []byte) map[string][]string {
	var b struct {
		FullErrors map[string]json.RawMessage `json:"fullErrors"`
	}
	if json.Unmarshal(body, &b) != nil || len(b.FullErrors) == 0 {
		return nil
	}
	out := make(map[string][]string, len(b.FullErrors))
	for field, raw := range b.FullErrors {
		var list []string
		if json.Unmarshal(raw, &list) != nil {
			var one string
			if json.Unmarshal(raw, &one) != nil {
				continue
			}
			list = []string{one}
		}
		if len(list) == 0 {
			continue // null or []: nothing to say about the field
		}
		out[field] = list
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// opError says what a call was doing when err happened, keeping one
// "learnamp: " prefix however deep the chain: `learnamp: create user
// "ada@acme.test": POST /v1/users: 400 email is invalid`.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "learnamp: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "learnamp: ")
}

func (e *opError) Unwrap() error { return e.err }

// wrapf wraps err with the operation format describes.
func wrapf(err error, format string, args ...any) error {
	return &opError{op: fmt.Sprintf(format, args...), err: err}
}

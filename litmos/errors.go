package litmos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rostersync/rostersync/internal/httpx"
)

// APIError is the error every call returns for a non-2xx answer from Litmos.
// It carries the status, the message Litmos gave (from a {"Detail":…} or
// {"Message":…} body, or the HTTP reason phrase), the method and the
// URL; the API key never appears in it.
type APIError struct {
	httpx.APIError
	body []byte // the reply body with the source redacted; see Body
}

// wrapAPIError returns the client's httpx.Config.WrapAPIError: the body
// is kept with the source blanked too (httpx blanks the key).
func wrapAPIError(source string) func(*httpx.APIError) error {
	return func(e *httpx.APIError) error {
		out := &APIError{APIError: *e}
		if b := e.Body(); b != nil {
			out.body = []byte(redactWord(string(b), source))
		}
		return out
	}
}

// Body returns the reply body (capped, as httpx.APIError.Body), with the
// API key and the source redacted; nil when the reply had none.
func (e *APIError) Body() []byte { return bytes.Clone(e.body) }

// Format prints the error text whatever the verb, so that %+v and %#v do
// not print the unredacted body the embedded httpx.APIError keeps. (A
// value receiver: a copied APIError prints the same way.)
func (e APIError) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", e.Error())
		return
	}
	_, _ = io.WriteString(f, e.Error())
}

// Errors to test for with errors.Is.
var (
	// ErrNotFound: 404, the user, team or course does not exist (also a PUT whose
	// body Id does not match the URL,
	// https://api.sap.com/api/LitmosAPIdetails/overview).
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: 401, the API key is invalid or the account has no API access.
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: 403.
	ErrForbidden = httpx.ErrForbidden
	// ErrRateLimited: 429 or 503, which Litmos uses for its rate limit
	// (https://api.sap.com/api/LitmosAPIdetails/overview).
	ErrRateLimited = httpx.ErrRateLimited
	// ErrConflict: 409, a taken username or team name, or a validation failure
	// (invalid email, culture or job role).
	ErrConflict = httpx.ErrConflict
	// ErrInvalid: 400, Litmos refused the request's data (also an unknown
	// bulk import id, which Litmos answers with 400).
	ErrInvalid = httpx.ErrInvalid
	// ErrUnavailable: a 5xx other than the rate limit, or no answer, and
	// retries did not get past it; the request was not applied.
	ErrUnavailable = httpx.ErrUnavailable
	// ErrOutcomeUnknown: a create was sent and may or may not have been
	// applied; look the record up before creating it again.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// decodeError pulls the message out of a Litmos error reply: JSON {"Detail":…}
// or {"Message":…}, else the HTTP reason phrase (WCF puts the message there),
// else nothing (an HTML error page says no more than the status). Shapes seen
// in recorded traffic: https://github.com/charliequinn/python-litmos-api.
func decodeError(resp *http.Response, body []byte) (code, message string) {
	var e struct{ Detail, Message string }
	if json.Unmarshal(body, &e) == nil {
		if e.Detail != "" {
			return "", e.Detail
		}
		if e.Message != "" {
			return "", e.Message
		}
	}
	_, reason, _ := strings.Cut(resp.Status, " ")
	if reason != "" && reason != http.StatusText(resp.StatusCode) {
		return "", reason
	}
	if t := strings.TrimSpace(string(body)); t != "" && !strings.HasPrefix(t, "<") && len(t) < 300 {
		return "", t
	}
	return "", ""
}

// opError says what a call was doing when err happened, keeping one
// "litmos: " prefix however deep the chain: `litmos: create user "ana@example.com":
// POST /v1.svc/users: 409 UserName already exists`.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "litmos: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "litmos: ")
}

func (e *opError) Unwrap() error { return e.err }

// wrapf wraps err with the operation format describes.
func wrapf(err error, format string, args ...any) error {
	return &opError{op: fmt.Sprintf(format, args...), err: err}
}

// unreadableCreate is the error for a 2xx create reply without the new
// Id: the record exists, but which one is unknown, so the caller must look
// it up before creating again.
func unreadableCreate(cause error) error {
	reason := "no Id"
	if cause != nil {
		reason = cause.Error()
	}
	return fmt.Errorf("created, but the reply is unreadable (%s): %w", strings.TrimPrefix(reason, "litmos: "), ErrOutcomeUnknown)
}

// redactWord replaces each occurrence of word in s that stands alone (no
// letter or digit on either side) with "REDACTED": a vendor message that
// echoes the source loses it, a longer word that contains it does not.
func redactWord(s, word string) string {
	if word == "" || !strings.Contains(s, word) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, word)
		if i < 0 {
			break
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(word):])
		b.WriteString(s[:i])
		if isWordRune(before) || isWordRune(after) {
			b.WriteString(word)
		} else {
			b.WriteString("REDACTED")
		}
		s = s[i+len(word):]
	}
	b.WriteString(s)
	return b.String()
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

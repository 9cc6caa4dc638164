package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// Sentinels matched by errors.Is on errors returned by Client. They are
// the syncengine sentinels themselves, so a connector passes a client's
// error to the engine as it is: errors.Is(err, syncengine.ErrNotFound)
// holds for a vendor's 404 with no translation.
var (
	// ErrNotFound: the vendor answered 404.
	ErrNotFound = syncengine.ErrNotFound
	// ErrUnauthorized: the vendor answered 401 (bad or missing credentials).
	ErrUnauthorized = syncengine.ErrUnauthorized
	// ErrForbidden: the vendor answered 403.
	ErrForbidden = syncengine.ErrForbidden
	// ErrRateLimited: the vendor answered 429, or a status listed in
	// Config.RateLimitStatuses, and retries did not get past it.
	ErrRateLimited = syncengine.ErrRateLimited
	// ErrConflict: the vendor answered 409 (for example a duplicate username).
	ErrConflict = syncengine.ErrConflict
	// ErrInvalid: the vendor answered 400 or 422: it refused the request's data.
	ErrInvalid = syncengine.ErrInvalid
	// ErrUnavailable: the vendor answered a 5xx, or could not be reached,
	// and retries did not get past it; the request was not applied (else
	// the error is ErrOutcomeUnknown).
	ErrUnavailable = syncengine.ErrUnavailable
	// ErrOutcomeUnknown: a non-idempotent request (a create) may or may not
	// have been applied: it reached the vendor, or may have, and no answer
	// says whether it took effect. Look the record up before creating again.
	ErrOutcomeUnknown = syncengine.ErrOutcomeUnknown
	// ErrResponseTooLarge: the response body exceeded Config.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("response body too large")
)

// APIError is a non-2xx answer from a vendor. Every text field is redacted.
type APIError struct {
	Vendor     string        // "litmos"
	StatusCode int           // HTTP status
	Code       string        // vendor error code, if any
	Message    string        // vendor message, redacted
	Method     string        // HTTP method
	URL        string        // request URL, redacted
	RetryAfter time.Duration // from Retry-After or the vendor's reset headers, if sent
	RequestID  string        // from X-Request-Id and similar headers, if sent

	rateLimited bool   // the status is one the vendor uses for rate limiting
	body        []byte // the reply body, redacted and capped; see Body
}

// Error reads like "litmos: POST /v1.svc/users: 409 UserName already exists".
func (e *APIError) Error() string {
	return e.head() + ": " + e.detail()
}

func (e *APIError) head() string {
	return errorHead(e.Vendor, e.Method, pathOf(e.URL))
}

// detail is the status and the vendor's words, without the request prefix.
func (e *APIError) detail() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.StatusCode))
	switch {
	case e.Code != "" && e.Message != "":
		b.WriteString(" " + e.Code + ": " + e.Message)
	case e.Code != "":
		b.WriteString(" " + e.Code)
	case e.Message != "":
		b.WriteString(" " + e.Message)
	default:
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + e.RequestID + "]")
	}
	return b.String()
}

// Is maps statuses to sentinels: 404 ErrNotFound, 401 ErrUnauthorized,
// 403 ErrForbidden, 409 ErrConflict, 400 and 422 ErrInvalid, 429 (and the
// vendor's other rate-limit statuses) ErrRateLimited, other 5xx
// ErrUnavailable.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrInvalid:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests || e.rateLimited
	case ErrUnavailable:
		return e.StatusCode >= 500 && !e.rateLimited
	}
	return false
}

// requestError is every failure that is not a vendor status: a transport
// error, a cancelled context, an unreadable body, or a request whose outcome
// is unknown. Its text is redacted, and it formats as that text under every
// fmt verb so that %+v and %#v cannot reach unredacted internals.
type requestError struct {
	head    string // "litmos: POST /v1.svc/users", redacted
	msg     string // what happened, redacted
	cause   error
	unknown bool // wraps ErrOutcomeUnknown
	// unavailable: no answer came and the request was not applied (a
	// connection refused or reset before sending, retries spent): wraps
	// ErrUnavailable, so callers may try again later.
	unavailable bool
}

func (e *requestError) Error() string { return e.head + ": " + e.detail() }

// detail is the text without the request prefix.
func (e *requestError) detail() string {
	if e.unknown {
		return e.msg + " (" + ErrOutcomeUnknown.Error() + ")"
	}
	return e.msg
}

func (e *requestError) Unwrap() []error {
	switch {
	case e.unknown:
		return []error{ErrOutcomeUnknown, e.cause}
	case e.unavailable:
		return []error{ErrUnavailable, e.cause}
	}
	return []error{e.cause}
}

// Format prints the redacted text whatever the verb.
func (e *requestError) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", e.Error())
		return
	}
	_, _ = io.WriteString(f, e.Error())
}

func errorHead(vendor, method, path string) string {
	h := method + " " + path
	if vendor != "" {
		h = vendor + ": " + h
	}
	return h
}

// pathOf returns the path of a (redacted) URL string, for error texts.
func pathOf(rawURL string) string {
	s := rawURL
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
		if j := strings.IndexByte(s, '/'); j >= 0 {
			s = s[j:]
		} else {
			s = "/"
		}
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	return s
}

package talentlms

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// APIError is the error every call returns for a non-2xx answer from
// TalentLMS: the status, TalentLMS's error type (Code: invalid_request_error
// or api_error) and message, the method and the URL. The API key never
// appears in it.
//
// TalentLMS v1 says what went wrong in the message more than in the status,
// so errors.Is reads both: "The requested user does not exist" matches
// ErrNotFound whatever the status, "A user with the same email address
// already exists" matches ErrConflict, and the enrolment and branch
// membership messages match the sentinels below.
type APIError struct{ httpx.APIError }

// wrapAPIError is the client's httpx.Config.WrapAPIError.
func wrapAPIError(e *httpx.APIError) error { return &APIError{APIError: *e} }

// Errors to test for with errors.Is. The first eight are the syncengine
// sentinels, shared by every client in this module.
var (
	// ErrNotFound: the user, course or branch does not exist (or the user
	// was deleted: "is no longer available").
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: 401, a wrong or missing API key.
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: 403, the API is not enabled or the portal is inactive.
	ErrForbidden = httpx.ErrForbidden
	// ErrRateLimited: 429 after retries, or the hourly quota is used up
	// and the context's deadline comes before its reset (see QuotaError).
	ErrRateLimited = httpx.ErrRateLimited
	// ErrConflict: a user with the same email address or login exists; also
	// ErrAlreadyEnrolled and ErrAlreadyMember.
	ErrConflict = httpx.ErrConflict
	// ErrInvalid: TalentLMS refused the request's data (400 "Invalid
	// arguments provided", a weak password, a dropdown value it does not offer).
	ErrInvalid = httpx.ErrInvalid
	// ErrUnavailable: a 5xx or no connection, and the request was not applied.
	ErrUnavailable = httpx.ErrUnavailable
	// ErrOutcomeUnknown: a create was sent and may or may not have been
	// applied; look the user up by email before creating again.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown

	// ErrAlreadyEnrolled: "The requested user is already enrolled in this
	// course". It also matches ErrConflict. A sync treats it as success.
	ErrAlreadyEnrolled = errors.New("talentlms: user already enrolled in the course")
	// ErrNotEnrolled: "The requested user is not enrolled in this course".
	// It also matches ErrNotFound.
	ErrNotEnrolled = errors.New("talentlms: user not enrolled in the course")
	// ErrAlreadyMember: "The requested user is already a member of this
	// branch". It also matches ErrConflict.
	ErrAlreadyMember = errors.New("talentlms: user already a member of the branch")
	// ErrNotMember: "The requested user is not a member of this branch".
	// It also matches ErrNotFound.
	ErrNotMember = errors.New("talentlms: user not a member of the branch")
)

// Message kinds, from the texts v1 is known to send (the official PHP
// library and https://github.com/ib1984/py-talentlms map them the same way).
type messageKind int

const (
	msgOther messageKind = iota
	msgNotFound
	msgExists
	msgAlreadyEnrolled
	msgNotEnrolled
	msgAlreadyMember
	msgNotMember
	msgNoAction
	msgRateLimit
)

func classify(msg string) messageKind {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "api action does not exist"):
		return msgNoAction
	case strings.Contains(m, "already enrolled"):
		return msgAlreadyEnrolled
	case strings.Contains(m, "not enrolled"):
		return msgNotEnrolled
	case strings.Contains(m, "already a member"):
		return msgAlreadyMember
	case strings.Contains(m, "not a member"):
		return msgNotMember
	case strings.Contains(m, "already exists"):
		return msgExists
	case strings.HasPrefix(m, "the requested ") && (strings.HasSuffix(m, " does not exist") || strings.HasSuffix(m, " is no longer available")):
		return msgNotFound
	case strings.Contains(m, "rate limit"):
		return msgRateLimit
	}
	return msgOther
}

// Is matches the sentinels by message first (see APIError), then by status.
// A 404 whose message says the API action does not exist, or that carries
// no TalentLMS message at all (a proxy's page, a wrong base URL), does not
// match ErrNotFound: it must never read as "no such user".
func (e *APIError) Is(target error) bool {
	k := classify(e.Message)
	switch target {
	case ErrAlreadyEnrolled:
		return k == msgAlreadyEnrolled
	case ErrNotEnrolled:
		return k == msgNotEnrolled
	case ErrAlreadyMember:
		return k == msgAlreadyMember
	case ErrNotMember:
		return k == msgNotMember
	case ErrNotFound:
		return k == msgNotFound || k == msgNotEnrolled || k == msgNotMember ||
			(k == msgOther && e.StatusCode == http.StatusNotFound && (e.Code != "" || e.Message != ""))
	case ErrConflict:
		return k == msgExists || k == msgAlreadyEnrolled || k == msgAlreadyMember || e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return k == msgRateLimit || e.APIError.Is(target)
	case ErrInvalid:
		return k == msgOther && e.APIError.Is(target)
	}
	return e.APIError.Is(target)
}

// decodeError reads the v1 error body {"error":{"type":…,"message":…}}
// and the v2 form {"type":…,"message":…}. Anything else (the HTML page a
// request without credentials gets) gives no code and no message: the
// status says enough.
func decodeError(_ *http.Response, body []byte) (code, message string) {
	var e struct {
		Type    string `json:"type"`
		Message string `json:"message"`
		Error   *struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	if e.Error != nil {
		return e.Error.Type, e.Error.Message
	}
	return e.Type, e.Message
}

// opError says what a call was doing when err happened, with one
// "talentlms: " prefix however deep the chain:
// `talentlms: create user "ana@example.com": POST /api/v1/usersignup: 400 …`.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "talentlms: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "talentlms: ")
}

func (e *opError) Unwrap() error { return e.err }

// wrapf wraps err with the operation format describes.
func wrapf(err error, format string, args ...any) error {
	return &opError{op: fmt.Sprintf(format, args...), err: err}
}

package bamboohr

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// APIError is a non-2xx answer from BambooHR. Read it with errors.As; its
// Message comes from the X-BambooHR-Error-Message header (or its other
// spellings) or the body, with credentials redacted.
type APIError struct{ httpx.APIError }

// wrapAPIError is the client's httpx.Config.WrapAPIError.
func wrapAPIError(e *httpx.APIError) error { return &APIError{APIError: *e} }

// Errors that errors.Is matches on the errors the client returns.
var (
	// ErrNotFound: 404, e.g. no such employee.
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: 401, the API key is missing or invalid.
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: 403, the key's user may not do this (or is disabled).
	ErrForbidden = httpx.ErrForbidden
	// ErrRateLimited: 429 after retries
	// (https://documentation.bamboohr.com/docs/planned-changes-to-the-api).
	ErrRateLimited = httpx.ErrRateLimited
	// ErrConflict: 409, e.g. a duplicate work email on add.
	ErrConflict = httpx.ErrConflict
	// ErrOutcomeUnknown: an add was sent and may or may not have been applied.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// errorHeaders are the three spellings BambooHR uses for the error text,
// the second with its real three-s typo (reported by BambooHR's help centre,
// https://bamboohr.screenstepslive.com/m/53907/l/587843-api-error-code-definitions;
// X-BambooHR-Message is in the error responses of BambooHR's OpenAPI,
// https://github.com/BambooHR/bhr-api-python/blob/main/specs/public.yaml).
var errorHeaders = []string{
	"X-BambooHR-Error-Message",
	"X-BambooHR-Error-Messsage",
	"X-BambooHR-Message",
}

// decodeError reads BambooHR's error text: the headers first, then the body
// shapes of each endpoint family (datasets answer RFC 7807,
// https://documentation.bamboohr.com/reference/get-data-from-dataset-v2).
func decodeError(resp *http.Response, body []byte) (code, message string) {
	for _, h := range errorHeaders {
		if m := strings.TrimSpace(resp.Header.Get(h)); m != "" {
			return "", m
		}
	}
	return decodeErrorBody(body)
}

// errorBody covers problem+json (datasets), {"error":{...}} (list
// employees) and {"errors":[...]|{...}} (webhooks).
type errorBody struct {
	Title  string          `json:"title"`
	Detail string          `json:"detail"`
	Error  json.RawMessage `json:"error"`
	Errors json.RawMessage `json:"errors"`
}

type errorItem struct {
	Code    Value  `json:"code"`
	Message string `json:"message"`
	Error   string `json:"error"`
}

func decodeErrorBody(body []byte) (code, message string) {
	text := strings.TrimSpace(string(body))
	if text == "" {
		return "", ""
	}
	var eb errorBody
	if text[0] != '{' || json.Unmarshal(body, &eb) != nil {
		if text[0] == '<' {
			return "", "" // an XML or HTML page says nothing useful
		}
		return "", truncate(text, 200)
	}
	switch {
	case eb.Detail != "":
		return eb.Title, eb.Detail
	case eb.Title != "":
		return "", eb.Title
	case len(eb.Error) > 0:
		var it errorItem
		if json.Unmarshal(eb.Error, &it) == nil {
			return it.Code.String(), it.Message
		}
	case len(eb.Errors) > 0:
		return "", firstErrorsMessage(eb.Errors)
	}
	return "", ""
}

func firstErrorsMessage(raw json.RawMessage) string {
	var list []errorItem
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
		return list[0].Error
	}
	var one errorItem
	if json.Unmarshal(raw, &one) == nil {
		return one.Error
	}
	return ""
}

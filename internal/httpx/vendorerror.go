package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// maxMessage bounds vendor messages kept in an APIError.
const maxMessage = 300

// apiError builds the *APIError for a non-2xx answer and closes its body.
// An error body larger than MaxResponseBytes is cut: only its message is lost.
func (cl *call) apiError(resp *http.Response) *APIError {
	body, _ := readBody(resp.Body, resp.ContentLength, cl.c.maxBody)
	resp.Body.Close()
	code, msg := cl.c.decodeError(resp, body)
	ra, _ := cl.c.serverWait(resp.Header)
	return &APIError{
		Vendor:      cl.c.vendor,
		StatusCode:  resp.StatusCode,
		Code:        clip(Redact(code, cl.secretList()...)),
		Message:     clip(Redact(msg, cl.secretList()...)),
		Method:      cl.req.Method,
		URL:         cl.redactedURL(),
		RetryAfter:  ra,
		RequestID:   clip(Redact(requestID(resp.Header), cl.secretList()...)),
		rateLimited: cl.c.rateStatus[resp.StatusCode],
		body:        errorBody(body, cl.secretList()),
	}
}

// requestID reads the request id headers vendors commonly send.
func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Amzn-Requestid", "Request-Id", "X-Correlation-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// decodeErrorBody is the default Config.DecodeError: common JSON error
// shapes, or the first line of a plain-text body. XML and HTML give nothing:
// the status says enough, and vendors with XML errors set DecodeError.
func decodeErrorBody(_ *http.Response, body []byte) (code, message string) {
	b := bytes.TrimSpace(body)
	switch {
	case len(b) == 0 || b[0] == '<':
		return "", ""
	case b[0] == '{':
		var m map[string]any
		if json.Unmarshal(b, &m) == nil {
			return jsonErrorFields(m)
		}
	case b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			return "", s
		}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return "", strings.TrimSpace(line)
}

func jsonErrorFields(m map[string]any) (code, message string) {
	code = firstScalar(m, "code", "errorCode", "error_code", "status_code")
	message = firstScalar(m, "message", "Message", "error_description", "errorMessage", "detail", "title", "error")
	if nested, ok := m["error"].(map[string]any); ok {
		c, msg := jsonErrorFields(nested)
		code, message = orElse(code, c), orElse(message, msg)
	}
	if list, ok := m["errors"].([]any); ok && len(list) > 0 {
		switch first := list[0].(type) {
		case string:
			message = orElse(message, first)
		case map[string]any:
			c, msg := jsonErrorFields(first)
			code, message = orElse(code, c), orElse(message, msg)
		}
	}
	return code, message
}

func firstScalar(m map[string]any, keys ...string) string {
	for _, k := range keys {
		switch v := m[k].(type) {
		case string:
			if v != "" {
				return v
			}
		case float64, bool:
			return fmt.Sprint(v)
		}
	}
	return ""
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clip shortens s to maxMessage bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

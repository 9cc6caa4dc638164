package hibobtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// request is one call being served.
type request struct {
	srv  *Server
	w    http.ResponseWriter
	r    *http.Request
	user *serviceUser
	body []byte
}

// json answers v as JSON.
func (rq *request) json(status int, v any) { fakeserver.WriteJSON(rq.w, status, v) }

// fail answers HiBob's usual error body, {"key", "error"}
// (https://apidocs.hibob.com/reference/error-handling).
func (rq *request) fail(status int, key, msg string) {
	rq.json(status, map[string]string{"key": key, "error": msg})
}

// html answers an HTML page, as HiBob's edge does for some mistakes.
func (rq *request) html(status int, text string) {
	rq.w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	rq.w.WriteHeader(status)
	_, _ = io.WriteString(rq.w, "<!DOCTYPE html><html><head><title>Bob</title></head><body>"+text+"</body></html>")
}

// appShell answers an unknown path as HiBob does: 200 with its web app's
// HTML, not a 404.
func (rq *request) appShell() { rq.html(http.StatusOK, `<div id="app"></div>`) }

// checkContentType: a GET with Content-Type: application/json answers 400
// HTML (seen on HiBob's table GETs; applied to all); a body needs
// Content-Type: application/json (415).
func (rq *request) checkContentType() bool {
	body, err := io.ReadAll(rq.r.Body)
	if err != nil {
		rq.fail(http.StatusBadRequest, "badRequest", "unreadable body")
		return false
	}
	rq.body = body
	mt, _, _ := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	switch {
	case rq.r.Method == http.MethodGet && mt == "application/json":
		rq.html(http.StatusBadRequest, "Bad Request")
		return false
	case len(bytes.TrimSpace(body)) > 0 && mt != "application/json":
		rq.fail(http.StatusUnsupportedMediaType, "unsupportedMediaType", "Content-Type must be application/json")
		return false
	}
	return true
}

// decode reads the JSON body into v, refusing unknown keys; an empty body
// is {} when allowEmpty.
func (rq *request) decode(v any, allowEmpty bool) bool {
	b := bytes.TrimSpace(rq.body)
	if len(b) == 0 {
		if allowEmpty {
			return true
		}
		rq.fail(http.StatusBadRequest, "badRequest", "request body is required")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		rq.fail(http.StatusBadRequest, "badRequest", "Invalid request body: "+err.Error())
		return false
	}
	if dec.More() {
		rq.fail(http.StatusBadRequest, "badRequest", "Invalid request body: trailing data")
		return false
	}
	return true
}

// writable refuses writes for a read-only service user.
func (rq *request) writable() bool {
	if rq.user.perms.ReadOnly {
		rq.fail(http.StatusForbidden, "forbidden", "The service user has no permission to edit this data")
		return false
	}
	return true
}

// includeArchived reads the includeArchived query parameter.
func (rq *request) includeArchived() (bool, bool) {
	switch v := rq.r.URL.Query().Get("includeArchived"); v {
	case "", "false":
		return false, true
	case "true":
		return true, true
	default:
		rq.fail(http.StatusBadRequest, "badRequest", "includeArchived must be true or false, got "+v)
		return false, false
	}
}

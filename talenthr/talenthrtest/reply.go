package talenthrtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// ok answers {"success":true,"data":data}.
func ok(w http.ResponseWriter, data any) {
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{"success": true, "data": data})
}

// fail answers status with the text form of TalentHR's error key.
func fail(w http.ResponseWriter, status int, msg string) {
	fakeserver.WriteJSON(w, status, map[string]any{"success": false, "error": msg})
}

// notAcceptable answers a request that did not ask for JSON with an HTML
// page, as a web framework does when JSON was not asked for.
func notAcceptable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fakeserver.WriteText(w, http.StatusNotAcceptable,
		"<!DOCTYPE html><html><head><title>Not Acceptable</title></head><body>Send Accept: application/json.</body></html>\n")
}

// violations collects Laravel-style validation messages per field.
type violations map[string][]string

func (v violations) add(field, msg string) { v[field] = append(v[field], msg) }

// reply answers 422 with the object form of the error key when v holds
// anything, and reports whether it did.
func (v violations) reply(w http.ResponseWriter) bool {
	if len(v) == 0 {
		return false
	}
	fakeserver.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"success": false,
		"error":   map[string]any{"message": "The given data was invalid.", "errors": map[string][]string(v)},
	})
	return true
}

// attr is a key as Laravel names it in messages: "first_name" → "first name".
func attr(key string) string { return strings.ReplaceAll(key, "_", " ") }

// required is Laravel's "field is required" message.
func required(key string) string { return "The " + attr(key) + " field is required." }

// decodeBody reads a JSON object body (numbers kept as json.Number). A
// wrong Content-Type is 415 and malformed JSON 400; both are answered here.
func decodeBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		fail(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json.")
		return nil, false
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		fail(w, http.StatusBadRequest, "Unreadable body.")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		fail(w, http.StatusBadRequest, "The body must be one JSON object.")
		return nil, false
	}
	return m, true
}

// unknownKeys files every key of m that allowed does not list, under
// prefix (for nested objects).
func unknownKeys(v violations, m map[string]any, prefix string, allowed ...string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(allowed, k) {
			v.add(prefix+k, "The "+attr(prefix+k)+" field is not allowed.")
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package learnamptest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/learnamp"
)

// body is a request's JSON object; its getters record type errors in p
// with Grape's words ("managerId is invalid").
type body struct {
	raw          map[string]json.RawMessage
	p            *problems
	exclusiveMsg string
}

// readBody reads a JSON object body whose keys are all in allowed. A
// body that is not JSON answers 415 (Grape's text), one that is not an
// object 400, an undocumented key 400 (the fake's strictness, see the
// package doc). An empty body is an empty object.
func readBody(w http.ResponseWriter, r *http.Request, allowed ...string) (*body, bool) {
	b, _ := io.ReadAll(r.Body)
	b = bytes.TrimSpace(b)
	out := &body{raw: map[string]json.RawMessage{}, p: &problems{}}
	if len(b) == 0 {
		return out, true
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "The provided content-type '"+r.Header.Get("Content-Type")+"' is not supported.")
		return nil, false
	}
	if b[0] != '{' || json.Unmarshal(b, &out.raw) != nil {
		writeError(w, http.StatusBadRequest, "The request body is not a JSON object.")
		return nil, false
	}
	for k := range out.raw {
		if !contains(allowed, k) {
			writeError(w, http.StatusBadRequest, k+" is not a documented parameter of this endpoint (learnamptest)")
			return nil, false
		}
	}
	return out, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (b *body) has(k string) bool {
	v, ok := b.raw[k]
	return ok && string(v) != "null"
}

func (b *body) present(k string) bool { _, ok := b.raw[k]; return ok }

// str reads a string field; ok is false when it is absent, null or invalid.
func (b *body) str(k string) (string, bool) {
	if !b.has(k) {
		return "", false
	}
	var s string
	if json.Unmarshal(b.raw[k], &s) != nil {
		b.p.add(k, "is invalid")
		return "", false
	}
	return s, true
}

// required reads a required string: a missing one "is missing" (and "is
// empty" too when blank is false), a blank one "is empty".
func (b *body) required(k string, missingAlsoEmpty bool) string {
	if !b.has(k) {
		b.p.add(k, "is missing")
		if missingAlsoEmpty {
			b.p.add(k, "is empty")
		}
		return ""
	}
	s, ok := b.str(k)
	if ok && strings.TrimSpace(s) == "" {
		b.p.add(k, "is empty")
	}
	return s
}

// id reads an integer id field (a JSON number, as documented); "" when absent.
func (b *body) id(k string) string {
	if !b.has(k) {
		return ""
	}
	s, ok := idOf(b.raw[k])
	if !ok {
		b.p.add(k, "is invalid")
	}
	return s
}

func idOf(raw json.RawMessage) (string, bool) {
	var n json.Number
	if json.Unmarshal(raw, &n) != nil || bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
		return "", false
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || v < 1 {
		return "", false
	}
	return strconv.FormatInt(v, 10), true
}

// ids reads an array of integer ids; nil when absent.
func (b *body) ids(k string) []string {
	if !b.has(k) {
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(b.raw[k], &list) != nil {
		b.p.add(k, "is invalid")
		return nil
	}
	out := make([]string, 0, len(list))
	for _, raw := range list {
		s, ok := idOf(raw)
		if !ok {
			b.p.add(k, "is invalid")
			return nil
		}
		out = append(out, s)
	}
	return out
}

// strs reads an array of strings; nil when absent.
func (b *body) strs(k string) []string {
	if !b.has(k) {
		return nil
	}
	var list []string
	if json.Unmarshal(b.raw[k], &list) != nil {
		b.p.add(k, "is invalid")
		return nil
	}
	if list == nil {
		list = []string{}
	}
	return list
}

// boolean reads a JSON boolean.
func (b *body) boolean(k string) bool {
	if !b.has(k) {
		return false
	}
	var v bool
	if json.Unmarshal(b.raw[k], &v) != nil {
		b.p.add(k, "is invalid")
	}
	return v
}

// date reads an ISO 8601 date string.
func (b *body) date(k string) (learnamp.Date, bool) {
	s, ok := b.str(k)
	if !ok {
		return learnamp.Date{}, false
	}
	d, err := learnamp.ParseDate(s)
	if err != nil || d.IsZero() {
		b.p.add(k, "is invalid")
		return learnamp.Date{}, false
	}
	return d, true
}

// customField is one entry of customFields; a nil value clears.
type customField struct {
	Name  string  `json:"name"`
	Value *string `json:"value"`
}

func (b *body) customFields() []customField {
	if !b.has("customFields") {
		return nil
	}
	var list []customField
	if json.Unmarshal(b.raw["customFields"], &list) != nil {
		b.p.add("customFields", "is invalid")
		return nil
	}
	for _, f := range list {
		if strings.TrimSpace(f.Name) == "" {
			b.p.add("customFields", "is invalid")
			return nil
		}
	}
	return list
}

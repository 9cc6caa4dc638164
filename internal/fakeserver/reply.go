package fakeserver

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
)

// Content types the kit writes; vendors send a charset with each.
const (
	contentTypeJSON = "application/json; charset=utf-8"
	contentTypeXML  = "application/xml; charset=utf-8"
	contentTypeHTML = "text/html; charset=utf-8"
	contentTypeText = "text/plain; charset=utf-8"
)

// WriteJSON replies status with v encoded as JSON. Content-Type is
// "application/json; charset=utf-8" unless the handler already set one. If v
// cannot be encoded, the reply is a 500 naming the error: a bug in the fake.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		WriteEncodeError(w, "JSON", err)
		return
	}
	write(w, status, contentTypeJSON, append(b, '\n'))
}

// WriteRawJSON replies status with body, JSON the handler encoded itself,
// under the Content-Type WriteJSON sets.
func WriteRawJSON(w http.ResponseWriter, status int, body []byte) {
	write(w, status, contentTypeJSON, body)
}

// WriteXML replies status with the XML declaration and v encoded as XML.
// Content-Type is "application/xml; charset=utf-8" unless the handler already
// set one (BambooHR, for one, answers text/xml). If v cannot be encoded, the
// reply is a 500 naming the error.
func WriteXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		WriteEncodeError(w, "XML", err)
		return
	}
	write(w, status, contentTypeXML, append([]byte(xml.Header), b...))
}

// WriteEncodeError replies 500 naming err, the failure to encode a reply
// in format ("JSON", "XML"): a bug in the fake, told to the client that
// met it.
func WriteEncodeError(w http.ResponseWriter, format string, err error) {
	WriteText(w, http.StatusInternalServerError, "fakeserver: encoding "+format+" reply: "+err.Error()+"\n")
}

// WriteText replies status with s as-is. Content-Type is
// "text/plain; charset=utf-8" unless the handler already set one.
func WriteText(w http.ResponseWriter, status int, s string) {
	write(w, status, contentTypeText, []byte(s))
}

func write(w http.ResponseWriter, status int, contentType string, body []byte) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client may be gone; there is no one to tell
}

// BasicAuth returns the user and password of r's Basic Authorization header.
// It is [http.Request.BasicAuth], named here so vendor fakes read alike. Vendors
// that take an API key as the user (BambooHR, TalentHR) check pass loosely.
func BasicAuth(r *http.Request) (user, pass string, ok bool) {
	return r.BasicAuth()
}

// Page returns items[start:start+limit], clamped to the slice: a negative start
// counts as 0, a start past the end gives an empty page, and limit <= 0 means
// no limit. The result is never nil, so it encodes as an empty JSON array, and
// appending to it never writes into items.
func Page[T any](items []T, start, limit int) []T {
	n := len(items)
	start = max(start, 0)
	if start >= n {
		return []T{}
	}
	end := n
	if limit > 0 && limit < n-start {
		end = start + limit
	}
	return items[start:end:end]
}

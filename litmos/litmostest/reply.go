package litmostest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// wantsJSON: Litmos answers XML unless format=json or an Accept of
// application/json asks for JSON (format=json:
// https://api.sap.com/api/LitmosAPIdetails/overview; Accept:
// https://github.com/kennon/litmos-client relies on it).
func wantsJSON(r *http.Request) bool {
	return strings.EqualFold(r.URL.Query().Get("format"), "json") ||
		strings.Contains(strings.ToLower(r.Header.Get("Accept")), "application/json")
}

// reply writes v as JSON or, when JSON was not asked for, as XML with the
// root element root (and item for each element of a list).
func reply(w http.ResponseWriter, r *http.Request, status int, v any, root, item string) {
	if wantsJSON(r) {
		fakeserver.WriteJSON(w, status, v)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		fakeserver.WriteText(w, http.StatusInternalServerError, "litmostest: "+err.Error())
		return
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		fakeserver.WriteText(w, http.StatusInternalServerError, "litmostest: "+err.Error())
		return
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	writeXML(&buf, root, item, tree, true)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeXML writes tree as DataContract-style XML: objects as elements in key
// order, lists wrapped in root with one item element each, null as i:nil.
func writeXML(buf *bytes.Buffer, name, item string, tree any, top bool) {
	ns := ""
	if top {
		ns = ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance"`
	}
	switch v := tree.(type) {
	case nil:
		buf.WriteString("<" + name + ns + ` i:nil="true"/>`)
	case []any:
		buf.WriteString("<" + name + ns + ">")
		for _, e := range v {
			writeXML(buf, item, "", e, false)
		}
		buf.WriteString("</" + name + ">")
	case map[string]any:
		buf.WriteString("<" + name + ns + ">")
		for _, k := range slices.Sorted(maps.Keys(v)) {
			writeXML(buf, k, "", v[k], false)
		}
		buf.WriteString("</" + name + ">")
	default:
		buf.WriteString("<" + name + ns + ">")
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case bool:
			s = strconv.FormatBool(x)
		case json.Number:
			s = x.String()
		}
		_ = xml.EscapeText(buf, []byte(s))
		buf.WriteString("</" + name + ">")
	}
}

// replyRecord answers a copy, taken under the lock, of the record find
// returns: kind names its XML root and the 404 when there is none.
func replyRecord[T any](s *Server, w http.ResponseWriter, r *http.Request, kind string, find func(*state) *T) {
	s.mu.Lock()
	p := find(s.st)
	var out T
	if p != nil {
		out = *p
	}
	s.mu.Unlock()
	if p == nil {
		replyError(w, r, http.StatusNotFound, kind+" not found")
		return
	}
	reply(w, r, http.StatusOK, out, kind, "")
}

// replyError answers status with Litmos's JSON error body {"Detail": msg}
// (recorded: https://github.com/charliequinn/python-litmos-api), or an XML
// Error element when JSON was not asked for.
func replyError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	reply(w, r, status, map[string]string{"Detail": msg}, "Error", "")
}

// replyEmpty answers status with no body, as Litmos does for PUT and DELETE.
func replyEmpty(w http.ResponseWriter, status int) {
	w.WriteHeader(status)
}

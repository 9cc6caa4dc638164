package bamboohrtest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// request is one call being served.
type request struct {
	srv     *Server
	w       http.ResponseWriter
	r       *http.Request
	path    string // after the URL-shape prefix: /v1/employees/4
	gateway bool
	key     *Key
}

// wantsJSON: BambooHR answers XML unless Accept asks for JSON
// (https://documentation.bamboohr.com/reference/login).
func (rq *request) wantsJSON() bool {
	for _, a := range rq.r.Header.Values("Accept") {
		for _, part := range strings.Split(a, ",") {
			mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(mt), "application/json") {
				return true
			}
		}
	}
	return false
}

// reply answers v as JSON, or as XML when the client did not ask for JSON.
func (rq *request) reply(status int, v any) {
	if rq.wantsJSON() {
		rq.json(status, v)
		return
	}
	rq.xml(status, v)
}

func (rq *request) json(status int, v any) {
	rq.w.Header().Set("Content-Type", "application/json")
	fakeserver.WriteJSON(rq.w, status, v)
}

func (rq *request) xml(status int, v any) {
	rq.w.Header().Set("Content-Type", "text/xml")
	b, _ := json.Marshal(v)
	var generic any
	_ = json.Unmarshal(b, &generic)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	writeXML(&buf, "response", generic)
	rq.w.WriteHeader(status)
	_, _ = rq.w.Write(buf.Bytes())
}

// writeXML renders JSON-shaped data as simple XML; the fake's XML only has
// to be XML, as real clients must never receive it.
func writeXML(w io.Writer, name string, v any) {
	fmt.Fprintf(w, "<%s>", name)
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, `<field id="%s">`, xmlEscape(k))
			writeXML(w, "value", t[k])
			io.WriteString(w, "</field>")
		}
	case []any:
		for _, it := range t {
			writeXML(w, "item", it)
		}
	case nil:
	default:
		io.WriteString(w, xmlEscape(fmt.Sprint(t)))
	}
	fmt.Fprintf(w, "</%s>", name)
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// fail answers status with the message in X-BambooHR-Error-Message and an
// empty body, as most BambooHR endpoints do ("the error message is returned
// in the x-bamboohr-error-message response header; the body is empty",
// https://github.com/BambooHR/bhr-api-python/blob/main/specs/public.yaml).
func (rq *request) fail(status int, msg string) {
	rq.w.Header().Set("X-BambooHR-Error-Message", msg)
	rq.w.WriteHeader(status)
}

// problem answers an RFC 7807 error, as the datasets API does
// (https://documentation.bamboohr.com/reference/get-data-from-dataset-v2).
func (rq *request) problem(status int, detail string) {
	rq.w.Header().Set("Content-Type", "application/problem+json")
	fakeserver.WriteJSON(rq.w, status, map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail,
	})
}

// decodeBody reads a JSON body. BambooHR treats a body as JSON only when
// Content-Type is exactly application/json; anything else is parsed as XML
// and fails (https://documentation.bamboohr.com/reference/request-custom-report).
func (rq *request) decodeBody(v any) bool {
	if ct := rq.r.Header.Get("Content-Type"); ct != "application/json" {
		rq.fail(http.StatusBadRequest, "Malformed XML")
		return false
	}
	body, err := io.ReadAll(rq.r.Body)
	if err != nil {
		rq.fail(http.StatusBadRequest, "unreadable body")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		rq.fail(http.StatusBadRequest, "Malformed JSON: "+err.Error())
		return false
	}
	return true
}

// apiURL is the URL of p in the shape the request used; the gateway echoes
// URLs in gateway form (a recorded create,
// https://github.com/NangoHQ/integration-templates).
func (rq *request) apiURL(p string) string {
	if rq.gateway {
		return rq.srv.GatewayURL() + strings.TrimPrefix(p, "/")
	}
	return rq.srv.BaseURL() + strings.TrimPrefix(p, "/")
}

package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// DoJSON sends in (if not nil) as JSON with Content-Type: application/json,
// always asks for Accept: application/json, and decodes a non-empty 2xx body
// into out (if not nil). A body that is XML or HTML instead of JSON is a
// clear error naming what arrived. Errors are those of Do; a reply that
// cannot be decoded after a non-idempotent request also wraps
// ErrOutcomeUnknown, since the vendor applied it but its result is lost.
func (c *Client) DoJSON(ctx context.Context, method, path string, query url.Values, in, out any) (*Response, error) {
	r := &Request{Method: method, Path: path, Query: query, Header: http.Header{"Accept": {"application/json"}}}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding JSON body: %w", errorHead(c.vendor, method, Redact(path, c.secrets...)), err)
		}
		r.Body, r.ContentType = b, "application/json"
	}
	return c.DoDecode(ctx, r, out)
}

// DoForm sends form as application/x-www-form-urlencoded, asks for JSON and
// decodes the reply into out like DoJSON.
func (c *Client) DoForm(ctx context.Context, method, path string, query url.Values, form url.Values, out any) (*Response, error) {
	r := &Request{
		Method: method, Path: path, Query: query,
		Header:      http.Header{"Accept": {"application/json"}},
		Body:        []byte(form.Encode()),
		ContentType: "application/x-www-form-urlencoded",
	}
	return c.DoDecode(ctx, r, out)
}

// DoDecode is Do, then decodes a non-empty 2xx body into out (if not nil)
// like DoJSON: for callers that build the Request themselves, e.g. to set
// Idempotent. r should ask for JSON (Accept: application/json).
func (c *Client) DoDecode(ctx context.Context, r *Request, out any) (*Response, error) {
	resp, cl, err := c.do(ctx, r)
	if err != nil || out == nil || len(bytes.TrimSpace(resp.Body)) == 0 {
		return resp, err
	}
	if err := decodeJSON(resp, out, cl.secretList()); err != nil {
		return resp, &requestError{head: cl.head(), msg: Redact(err.Error(), cl.secretList()...), cause: err, unknown: !cl.idem}
	}
	return resp, nil
}

// decodeJSON decodes resp.Body into out, or says what arrived instead.
func decodeJSON(resp *Response, out any, secrets []string) error {
	if kind := markupKind(resp.Header.Get("Content-Type"), resp.Body); kind != "" {
		return fmt.Errorf("expected JSON, got %s: %s", kind, snippet(resp.Body, secrets))
	}
	var err error
	if d, ok := out.(BodyDecoder); ok {
		err = d.DecodeJSONBody(resp.Body)
	} else {
		err = json.Unmarshal(resp.Body, out)
	}
	if err != nil {
		return fmt.Errorf("decoding JSON reply: %w", err)
	}
	return nil
}

// BodyDecoder is a reply that decodes its JSON body itself, to the value
// and the error json.Unmarshal would give, faster where it knows the
// body's shape (a 10,000-row report).
type BodyDecoder interface {
	DecodeJSONBody(body []byte) error
}

// markupKind returns "HTML" or "XML" when the body is one of those, else "".
func markupKind(contentType string, body []byte) string {
	b := bytes.TrimSpace(body)
	ct := strings.ToLower(contentType)
	isMarkup := len(b) > 0 && b[0] == '<'
	switch {
	case strings.Contains(ct, "html"):
		return "HTML"
	case strings.Contains(ct, "xml"):
		return "XML"
	case !isMarkup:
		return ""
	}
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	if strings.HasPrefix(head, "<!doctype html") || strings.Contains(head, "<html") {
		return "HTML"
	}
	return "XML"
}

// snippet is the first 80 bytes of a body, redacted, for error messages.
func snippet(body []byte, secrets []string) string {
	s := string(bytes.TrimSpace(body))
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return fmt.Sprintf("%q", Redact(s, secrets...))
}

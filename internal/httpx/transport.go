package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Transport is an http.RoundTripper that sends every request through
// Client.Do, so that a library which only takes an *http.Client (such as
// golang.org/x/oauth2 fetching an access token) is paced by the same rate
// limiter, retried by the same policy, logged and redacted like every
// other call to the vendor.
//
// The request's URL must lie under the Client's BaseURL (same scheme and
// host, below its path); Transport refuses any other, so a credential in
// the request cannot be sent elsewhere. Config.Authorize runs on these
// requests too: an Authorize that must skip them recognises them by a
// value the caller put in the request's context.
//
// A 2xx answer comes back as an *http.Response whose body is already read
// in full. Any other answer is returned as the RoundTrip error, exactly
// the error Client.Do gives (the vendor's APIError, matching the
// sentinels), rather than as a response: the caller then sees the same
// typed error as for any other call. net/http wraps it in a *url.Error,
// which errors.As and errors.Is see through.
type Transport struct {
	Client *Client
	// Idempotent marks every request as safe to retry whatever its method:
	// right for a token request, where asking twice makes two tokens and
	// no duplicate record.
	Idempotent bool
}

// RoundTrip sends req through the Client.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	if t.Client == nil {
		return nil, errors.New("httpx: Transport has no Client")
	}
	path, err := t.Client.relativePath(req.URL)
	if err != nil {
		return nil, err
	}
	r := &Request{
		Method: req.Method, Path: path, Header: req.Header.Clone(),
		Body: body, ContentType: req.Header.Get("Content-Type"),
	}
	if t.Idempotent {
		yes := true
		r.Idempotent = &yes
	}
	resp, err := t.Client.Do(req.Context(), r)
	if err != nil {
		return nil, err
	}
	return &http.Response{
		Status:        strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode),
		StatusCode:    resp.StatusCode,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        resp.Header,
		Body:          io.NopCloser(bytes.NewReader(resp.Body)),
		ContentLength: int64(len(resp.Body)),
		Request:       req,
	}, nil
}

// readRequestBody reads and closes req.Body, as a RoundTripper must.
func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("httpx: reading request body: %w", err)
	}
	return b, nil
}

// relativePath returns u as a Request.Path relative to the base URL (its
// escaped path below the base path, with its query), or an error when u
// is not under the base URL.
func (c *Client) relativePath(u *url.URL) (string, error) {
	basePath := strings.TrimSuffix(c.base.EscapedPath(), "/")
	p := u.EscapedPath()
	rest, under := strings.CutPrefix(p, basePath)
	under = under && (rest == "" || strings.HasPrefix(rest, "/"))
	if !strings.EqualFold(u.Scheme, c.base.Scheme) || !strings.EqualFold(u.Host, c.base.Host) || !under {
		return "", fmt.Errorf("httpx: %s is not under the base URL %s", redactURL(u, c.secrets), redactURL(c.base, c.secrets))
	}
	if u.RawQuery != "" {
		rest += "?" + u.RawQuery
	}
	return rest, nil
}

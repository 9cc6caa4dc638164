package httpx

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"
)

// cannedTransport answers every request with the same 200, allocating
// nothing itself: what a request allocates is then httpx's and net/http's.
type cannedTransport struct {
	resp http.Response
	body cannedBody
	raw  []byte
	buf  [512]byte
}

type cannedBody struct{ bytes.Reader }

func (*cannedBody) Close() error { return nil }

func (t *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		for {
			if _, err := req.Body.Read(t.buf[:]); err != nil {
				break
			}
		}
		req.Body.Close()
	}
	t.body.Reset(t.raw)
	t.resp.Body, t.resp.Request = &t.body, req
	return &t.resp, nil
}

// TestDoAllocs pins what one request allocates, so that it cannot creep
// back: a JSON POST with a query encoded once, headers and an Authorize
// that adds a key, answered at once (no retry). The bound is what it
// measured; a change that adds an allocation per request must say so here.
// 27: retryablehttp wraps the body's *bytes.Reader in an io.NopCloser
// (one allocation), which net/http knows to write with the request head
// (TestBodyWrittenWithHeaders).
func TestDoAllocs(t *testing.T) {
	c, rt, do := cannedPost(t)
	do()
	if got := rt.resp.Request; got.URL.String() != "https://api.example.com/v1.svc/users?format=json&source=app" ||
		got.Header.Get("apikey") != "k-123456" || got.Header.Get("User-Agent") != DefaultUserAgent {
		t.Fatalf("sent %s %v", got.URL, got.Header)
	}
	const most = 27
	if n := testing.AllocsPerRun(100, do); n > most {
		t.Errorf("%v allocations per request, want at most %d", n, most)
	}
	_ = c
}

// BenchmarkDoCanned is TestDoAllocs's request, for its bytes.
func BenchmarkDoCanned(b *testing.B) {
	_, _, do := cannedPost(b)
	b.ReportAllocs()
	for b.Loop() {
		do()
	}
}

// cannedPost returns a client on a cannedTransport and a func that sends
// it one JSON POST.
func cannedPost(tb testing.TB) (*Client, *cannedTransport, func()) {
	raw := []byte(`{"Id":"u1"}`)
	rt := &cannedTransport{raw: raw, resp: http.Response{
		StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(raw)),
	}}
	c, err := New(Config{Vendor: "acme", BaseURL: "https://api.example.com/v1.svc", HTTPClient: &http.Client{Transport: rt},
		Authorize: func(r *http.Request) { r.Header.Set("apikey", "k-123456") }})
	if err != nil {
		tb.Fatal(err)
	}
	hdr := http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}
	query := url.Values{"source": {"app"}, "format": {"json"}}.Encode()
	body := []byte(`{"UserName":"ana"}`)
	ctx := context.Background()
	do := func() {
		resp, err := c.Do(ctx, &Request{Method: "POST", Path: "users", RawQuery: query, Header: hdr,
			Body: body, ContentType: "application/json"})
		if err != nil || !bytes.Equal(resp.Body, raw) {
			tb.Fatalf("Do: %v, %q", err, resp.Body)
		}
	}
	return c, rt, do
}

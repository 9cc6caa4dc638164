package httpx

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
)

// countWrites counts the writes on the connections it dials.
type countWrites struct {
	net.Conn
	n *atomic.Int32
}

func (c countWrites) Write(p []byte) (int, error) {
	c.n.Add(1)
	return c.Conn.Write(p)
}

// TestBodyWrittenWithHeaders: a request's head and its small body leave
// in one write, as net/http does for an in-memory body (a reader of
// another type makes it flush the head first: one more packet per write
// request).
func TestBodyWrittenWithHeaders(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	var writes atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		return countWrites{c, &writes}, err
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
	if _, err := c.Do(context.Background(), &Request{Method: "POST", Path: "users", Body: []byte(`{"n":1}`), ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	if n := writes.Load(); n != 1 {
		t.Errorf("request written in %d writes, want 1", n)
	}
}

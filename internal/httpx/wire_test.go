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

// TestBodyWrittenWithHeaders: each attempt's head and small body leave in
// one write, as net/http does for an in-memory body (a reader of another
// type makes it flush the head first: one more packet per write request).
func TestBodyWrittenWithHeaders(t *testing.T) {
	srv := newServer(t, &script{steps: []http.HandlerFunc{reply(503, "", ""), reply(200, "", "")}})
	var writes atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		return countWrites{c, &writes}, err
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
	if _, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "users/1", Body: []byte(`{"n":1}`), ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	if n := writes.Load(); n != 2 {
		t.Errorf("2 attempts written in %d writes, want 2", n)
	}
}

package fakeserver

import (
	"net/http"
	"sync/atomic"
	"time"
)

// LateEvery returns a transport that holds every nth request back by delay
// before sending it on base (http.DefaultTransport when nil), as a slow
// network hop would: the request reaches the server later than the
// client's pacer let it go. Clients that pace themselves to a vendor's
// limit are tested with it against the server's rate-limit emulation.
func LateEvery(base http.RoundTripper, n int, delay time.Duration) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &late{base: base, every: int64(n), delay: delay}
}

type late struct {
	base  http.RoundTripper
	every int64
	seen  atomic.Int64
	delay time.Duration
}

func (l *late) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.every > 0 && l.seen.Add(1)%l.every == 0 {
		t := time.NewTimer(l.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return nil, r.Context().Err()
		}
	}
	return l.base.RoundTrip(r)
}

package fakeserver

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimit configures rate-limit emulation: once a key has had Requests
// requests in the last Per, further requests with that key are answered with
// Status and a Retry-After header, and the handler does not run.
//
// The window slides: a request is allowed when fewer than Requests allowed
// requests arrived in the half-open interval (now-Per, now]. So no window of
// length Per ever holds more than Requests handled requests, which is the
// property a client-side limiter must keep. Rejected requests do not count
// against the limit. Time comes from the server's clock (see [Server.SetClock]).
type RateLimit struct {
	Requests int           // allowed per window; 0 disables emulation
	Per      time.Duration // window length; required when Requests > 0
	Status   int           // rejection status, 429 or 503; 0 means 429

	// RetryAfter, when set, is the Retry-After sent on every rejection. When zero,
	// the server sends the time until the oldest request in the window leaves it.
	// Either way the header carries whole seconds, rounded up, at least 1.
	RetryAfter time.Duration

	// Key assigns a request to a bucket (an API key, a company); nil puts every
	// request in one bucket.
	Key func(*http.Request) string

	// Match selects the requests the limit applies to, for vendors that limit
	// one endpoint apart from the rest (HiBob's people search,
	// https://apidocs.hibob.com/docs/rate-limit); the others are neither
	// counted nor limited. nil matches every request.
	Match func(*http.Request) bool

	// OmitRetryAfter sends rejections without Retry-After, as vendors that
	// document none do (Litmos:
	// https://www.litmos.com/docs/litmos/apis/locate-your-api-key).
	OmitRetryAfter bool
	// Body is the rejection body; its Content-Type is sniffed as for Fault.Body.
	Body string
}

type limiter struct {
	RateLimit

	mu   sync.Mutex
	seen map[string][]time.Time // allowed arrivals per key, oldest first
}

// SetRateLimit replaces the rate-limit emulation and forgets past requests.
// A zero Requests disables it. A negative Requests, a non-positive Per or a
// Status outside 400-599 fails the test (or panics when the server has no tb).
func (s *Server) SetRateLimit(rl RateLimit) {
	if s.tb != nil {
		s.tb.Helper()
	}
	if rl.Status == 0 {
		rl.Status = http.StatusTooManyRequests
	}
	switch {
	case rl.Requests < 0:
		s.fatalf("SetRateLimit: Requests must not be negative")
	case rl.Requests > 0 && rl.Per <= 0:
		s.fatalf("SetRateLimit: Per must be positive")
	case rl.Status < 400 || rl.Status > 599:
		s.fatalf("SetRateLimit: Status must be a 4xx or 5xx status, got %d", rl.Status)
	case rl.RetryAfter < 0:
		s.fatalf("SetRateLimit: RetryAfter must not be negative")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rl.Requests == 0 {
		s.limit = nil
		return
	}
	s.limit = &limiter{RateLimit: rl, seen: map[string][]time.Time{}}
}

// rateLimited answers r with the rejection and reports true when r is over the limit.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	l, now := s.limit, s.now
	s.mu.Unlock()
	if l == nil || (l.Match != nil && !l.Match(r)) {
		return false
	}
	// Match, Key and the clock are user code: call them without holding any lock.
	wait, ok := l.admit(l.key(r), now())
	if ok {
		return false
	}
	if l.RetryAfter > 0 {
		wait = l.RetryAfter
	}
	if !l.OmitRetryAfter {
		w.Header().Set("Retry-After", strconv.FormatInt(ceilSeconds(wait), 10))
	}
	writeFaultBody(w, l.Status, l.Body)
	return true
}

func (l *limiter) key(r *http.Request) string {
	if l.Key == nil {
		return ""
	}
	return l.Key(r)
}

// admit records an arrival at now for key if the window has room; otherwise it
// returns how long until it will.
func (l *limiter) admit(key string, now time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.seen[key]
	cut := 0
	for cut < len(times) && !times[cut].Add(l.Per).After(now) {
		cut++
	}
	times = times[cut:]
	if len(times) < l.Requests {
		l.seen[key] = append(times, now)
		return 0, true
	}
	l.seen[key] = times
	return times[0].Add(l.Per).Sub(now), false
}

// ceilSeconds rounds d up to whole seconds, at least 1: Retry-After 0 would
// invite an immediate retry that is bound to fail again.
func ceilSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		return 1
	}
	return s
}

package chaos

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// Kind is one kind of injected fault.
type Kind int

// The kinds of fault a Faults set injects, in the order Kinds lists them.
const (
	// ServerError answers 500, 502, 503 (without Retry-After) or 504.
	ServerError Kind = iota
	// RateLimited answers 429 with Retry-After: 1.
	RateLimited
	// Reset closes the connection before the handler runs: nothing applied.
	Reset
	// Timeout holds the request longer than the client waits: nothing applied.
	Timeout
	// AppliedLost runs a write's handler, then closes the connection
	// without the reply: applied, and the client never learns it. Reads
	// never get it (for a read it is the same as Reset).
	AppliedLost
	numKinds
)

// Kinds lists every kind, in a stable order.
func Kinds() []Kind { return []Kind{ServerError, RateLimited, Reset, Timeout, AppliedLost} }

func (k Kind) String() string {
	switch k {
	case ServerError:
		return "5xx"
	case RateLimited:
		return "429"
	case Reset:
		return "reset"
	case Timeout:
		return "timeout"
	case AppliedLost:
		return "applied-lost"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// serverErrors are the statuses a ServerError fault answers.
var serverErrors = []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}

// Faults is a random fault set: each request a server receives has a
// probability Rate of one fault, its kind drawn uniformly (a read draws
// among the kinds but AppliedLost). Every draw comes from one math/rand
// source seeded by the caller, so a seed names a sequence of decisions;
// which request meets which decision still depends on arrival order.
//
// A Faults value serves any number of servers (the two sides of a pair):
// add Rules to each. It is safe for concurrent use.
type Faults struct {
	rate    float64
	latency time.Duration

	mu      sync.Mutex
	rng     *rand.Rand
	pending map[*http.Request]Kind // drawn by the first rule, taken by the kind's rule

	on    atomic.Bool
	drawn atomic.Int64
	fired [numKinds]atomic.Int64
}

// New returns a fault set that injects faults at rate (0 to 1) once
// enabled, drawing from a PCG source seeded with seed. latency is how
// long a Timeout fault holds a request: longer than the client's
// timeout, so the client gives up (the fake stops waiting when it does).
func New(seed uint64, rate float64, latency time.Duration) *Faults {
	return &Faults{
		rate: rate, latency: latency,
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		pending: map[*http.Request]Kind{},
	}
}

// Enable turns injection on or off; a new set starts off.
func (f *Faults) Enable(on bool) { f.on.Store(on) }

// Fired returns how many faults of kind k were injected.
func (f *Faults) Fired(k Kind) int { return int(f.fired[k].Load()) }

// Drawn returns how many requests the set drew a fate for: those it saw
// while enabled.
func (f *Faults) Drawn() int { return int(f.drawn.Load()) }

// Total returns how many faults were injected, of every kind.
func (f *Faults) Total() int {
	n := 0
	for _, k := range Kinds() {
		n += f.Fired(k)
	}
	return n
}

// Summary reads "5xx=12 429=9 reset=11 timeout=10 applied-lost=4
// total=46 of 230 (20.0%)".
func (f *Faults) Summary() string {
	parts := make([]string, 0, numKinds+1)
	for _, k := range Kinds() {
		parts = append(parts, fmt.Sprintf("%s=%d", k, f.Fired(k)))
	}
	drawn := f.Drawn()
	parts = append(parts, fmt.Sprintf("total=%d of %d (%.1f%%)", f.Total(), drawn, 100*float64(f.Total())/float64(max(drawn, 1))))
	return strings.Join(parts, " ")
}

// Rules returns the fault rules to add to one server, in order. The
// first draws the request's fate; the others fire on the fate drawn.
func (f *Faults) Rules() []fakeserver.Fault {
	rules := []fakeserver.Fault{{Match: f.draw}}
	for i, status := range serverErrors {
		rules = append(rules, fakeserver.Fault{Match: f.take(ServerError, i), Status: status,
			Body: `{"message":"chaos: injected server error"}`})
	}
	return append(rules,
		fakeserver.Fault{Match: f.take(RateLimited, -1), Status: http.StatusTooManyRequests, RetryAfter: "1",
			Body: `{"message":"chaos: injected rate limit"}`},
		fakeserver.Fault{Match: f.take(Reset, -1), Drop: true},
		fakeserver.Fault{Match: f.take(Timeout, -1), Latency: f.latency},
		fakeserver.Fault{Match: f.take(AppliedLost, -1), ApplyThenDrop: true},
	)
}

// draw decides the fate of r and never fires itself.
func (f *Faults) draw(r *http.Request) bool {
	if !f.on.Load() {
		return false
	}
	f.drawn.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rng.Float64() >= f.rate {
		return false
	}
	kinds := int(numKinds)
	if !fakeserver.IsWrite(fakeserver.Entry{Method: r.Method}) {
		kinds-- // AppliedLost is last: a read cannot be applied
	}
	k := Kind(f.rng.IntN(kinds))
	if k == ServerError {
		// The status is drawn here too, encoded past numKinds.
		k = Kind(int(numKinds) + f.rng.IntN(len(serverErrors)))
	}
	f.pending[r] = k
	return false
}

// take returns the Match of kind k's rule (sub picks the status of a
// ServerError rule): it fires when r's fate is k, and forgets the fate.
func (f *Faults) take(k Kind, sub int) func(*http.Request) bool {
	want := k
	if k == ServerError {
		want = Kind(int(numKinds) + sub)
	}
	return func(r *http.Request) bool {
		f.mu.Lock()
		got, ok := f.pending[r]
		if ok && got == want {
			delete(f.pending, r)
		}
		f.mu.Unlock()
		if ok && got == want {
			f.fired[k].Add(1)
		}
		return ok && got == want
	}
}

package syncenginetest

import (
	"context"
	"fmt"
	"math/rand"

	"github.com/rostersync/rostersync/syncengine"
)

// FaultKind says how an injected fault behaves.
type FaultKind string

// Fault kinds. The "applied" kinds run the operation first, so a write
// takes effect and only its answer is lost; the others fail before it.
const (
	// FailError fails with Fault.Err (default ErrInjected); nothing applied.
	FailError FaultKind = "error"
	// FailUnknown fails with an error wrapping syncengine.ErrOutcomeUnknown
	// although nothing was applied (the request never reached the service).
	FailUnknown FaultKind = "unknown"
	// AppliedUnknown applies the operation, then fails with an error wrapping
	// syncengine.ErrOutcomeUnknown ("applied but the response was lost").
	AppliedUnknown FaultKind = "applied-unknown"
	// FailTimeout fails with context.DeadlineExceeded; nothing applied.
	FailTimeout FaultKind = "timeout"
	// AppliedTimeout applies the operation, then fails with
	// context.DeadlineExceeded (a client timeout after the service committed).
	AppliedTimeout FaultKind = "applied-timeout"
)

// AllFaultKinds lists every fault kind; the default of RandomFaults.Kinds.
var AllFaultKinds = []FaultKind{FailError, FailUnknown, AppliedUnknown, FailTimeout, AppliedTimeout}

func (f FaultKind) applies() bool { return f == AppliedUnknown || f == AppliedTimeout }

// Fault is a rule injecting failures into matching calls. Rules are tried
// in the order added; the first that matches and has calls left fires.
type Fault struct {
	Op         Op                    // "" matches any operation
	Collection syncengine.Collection // "" matches any collection
	ID         string                // "" matches any id (a create has none)
	Match      func(Call) bool       // optional extra predicate (called with the lock held)
	Skip       int                   // let the first Skip matching calls through
	Times      int                   // then fail this many (0 = every one)
	Kind       FaultKind             // default FailError
	Err        error                 // the cause to return (wrapped by the unknown kinds)
}

// RandomFaults makes a share of calls fail at random, reproducibly for a
// given Seed when calls arrive in the same order. Rule faults take
// precedence.
type RandomFaults struct {
	Seed int64
	// Rate is the chance, 0..1, that a matching call fails (0.2 = 20%).
	Rate float64
	// Kinds to draw from, uniformly (default AllFaultKinds).
	Kinds []FaultKind
	// Ops subject to faults (default every operation but OpList and
	// OpChanges, whose failure aborts a whole plan rather than one record).
	Ops []Op
}

type rule struct {
	Fault
	seen int
}

type picked struct {
	Kind FaultKind
	Err  error
}

func (p picked) err() error {
	switch p.Kind {
	case FailUnknown, AppliedUnknown:
		if p.Err != nil {
			return fmt.Errorf("%w: %w", syncengine.ErrOutcomeUnknown, p.Err)
		}
		return fmt.Errorf("%w (injected %s)", syncengine.ErrOutcomeUnknown, p.Kind)
	case FailTimeout, AppliedTimeout:
		return fmt.Errorf("injected %s: %w", p.Kind, context.DeadlineExceeded)
	default:
		if p.Err != nil {
			return p.Err
		}
		return ErrInjected
	}
}

type faultState struct {
	calls   []Call
	rules   []*rule
	rnd     *rand.Rand
	random  RandomFaults
	writes  int
	onWrite func(n int, c Call) error
}

// AddFault adds a fault rule and returns a function that removes it.
func (k *Connector) AddFault(f Fault) (remove func()) {
	if f.Kind == "" {
		f.Kind = FailError
	}
	r := &rule{Fault: f}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults.rules = append(k.faults.rules, r)
	return func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		for i, x := range k.faults.rules {
			if x == r {
				k.faults.rules = append(k.faults.rules[:i], k.faults.rules[i+1:]...)
				return
			}
		}
	}
}

// ClearFaults removes every fault rule, the random fault mode and the write hook.
func (k *Connector) ClearFaults() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults.rules = nil
	k.faults.rnd = nil
	k.faults.onWrite = nil
}

// SetRandomFaults turns on the random fault mode (a zero Rate turns it off).
func (k *Connector) SetRandomFaults(rf RandomFaults) {
	if len(rf.Kinds) == 0 {
		rf.Kinds = AllFaultKinds
	}
	if len(rf.Ops) == 0 {
		rf.Ops = []Op{OpGet, OpCreate, OpUpdate, OpSetActive, OpFind, OpFindMany, OpWriteRefs}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults.random = rf
	k.faults.rnd = nil
	if rf.Rate > 0 {
		k.faults.rnd = rand.New(rand.NewSource(rf.Seed))
	}
}

// OnWrite sets a hook run after every applied write (counted from now, n
// from 1), with the connector's lock held: it must not call the connector.
// A non-nil error is returned by that write, which stays applied.
func (k *Connector) OnWrite(hook func(n int, c Call) error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults.writes = 0
	k.faults.onWrite = hook
}

// CancelAfterWrites calls cancel right after the k-th applied write from
// now; that write stays applied but returns an error wrapping
// syncengine.ErrOutcomeUnknown and context.Canceled, as when a process is
// stopped while the service answers. Later calls see the cancelled context.
func (k *Connector) CancelAfterWrites(n int, cancel context.CancelFunc) {
	k.OnWrite(func(i int, _ Call) error {
		if i != n {
			return nil
		}
		cancel()
		return fmt.Errorf("%w: cancelled after write %d: %w", syncengine.ErrOutcomeUnknown, n, context.Canceled)
	})
}

func (k *Connector) afterWrite(c Call) error {
	k.faults.writes++
	if k.faults.onWrite == nil {
		return nil
	}
	return k.faults.onWrite(k.faults.writes, c)
}

func (k *Connector) pickFault(c Call) picked {
	for _, r := range k.faults.rules {
		if !r.matches(c) {
			continue
		}
		r.seen++
		if r.seen <= r.Skip || (r.Times > 0 && r.seen > r.Skip+r.Times) {
			continue
		}
		return picked{Kind: r.Kind, Err: r.Err}
	}
	return k.randomFault(c)
}

func (r *rule) matches(c Call) bool {
	return (r.Op == "" || r.Op == c.Op) &&
		(r.Collection == "" || r.Collection == c.Collection) &&
		(r.ID == "" || r.ID == c.ID) &&
		(r.Match == nil || r.Match(c))
}

func (k *Connector) randomFault(c Call) picked {
	rf := k.faults.random
	if k.faults.rnd == nil || !containsOp(rf.Ops, c.Op) {
		return picked{}
	}
	if k.faults.rnd.Float64() >= rf.Rate {
		return picked{}
	}
	return picked{Kind: rf.Kinds[k.faults.rnd.Intn(len(rf.Kinds))]}
}

func containsOp(ops []Op, op Op) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Transform is one compiled step of a rule's transform chain.
//
// Apply receives the value produced so far (nil when the source is absent)
// and returns the next value. It must be safe for concurrent use, must be
// deterministic (rules that read the same source through the same chain
// share one result per Apply), must not modify its input, and must not
// quote its input in the error it returns: the caller adds the value to
// the error, redacted when the field looks secret.
type Transform interface {
	Apply(v any) (any, error)
}

// Func adapts a plain function to Transform.
type Func func(v any) (any, error)

// Apply calls f(v).
func (f Func) Apply(v any) (any, error) { return f(v) }

// Factory builds a Transform from its arguments when a map is compiled, so
// that bad arguments fail at load time and Apply does no parsing.
type Factory func(args Args) (Transform, error)

// Inverter is implemented by transforms that can be undone, for
// (*Map).Reverse. Invert returns the step that undoes this one, nil for a
// step that the reverse map drops (lower, trim and other case- or
// space-insensitive equalities), or an error saying why it cannot be undone.
type Inverter interface {
	Invert() (*Step, error)
}

// Omit is the value a transform returns to leave the rule's target absent
// from the output (as ignore-if-empty does), which differs from writing an
// empty value.
type Omit struct{}

// Registry holds transform factories by name. A Map is compiled against one
// registry; the zero value is not usable, use NewRegistry or DefaultRegistry.
// Register before compiling; a Registry is not safe for concurrent
// registration.
type Registry struct {
	factories map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{factories: make(map[string]Factory)}
}

// DefaultRegistry returns a new registry holding the built-in transforms
// (see the package documentation for their names and arguments). Each call
// returns a fresh registry, so registering on it affects no other map.
func DefaultRegistry() *Registry {
	r := NewRegistry()
	for name, f := range builtins() {
		r.factories[name] = f
	}
	return r
}

// Register adds a transform under name. Names are lower-case letters,
// digits and hyphens; registering a name twice is an error.
func (r *Registry) Register(name string, f Factory) error {
	if !validName(name) {
		return fmt.Errorf("mapping: register %q: name must be lower-case letters, digits and hyphens", name)
	}
	if f == nil {
		return fmt.Errorf("mapping: register %q: nil factory", name)
	}
	if _, dup := r.factories[name]; dup {
		return fmt.Errorf("mapping: register %q: already registered", name)
	}
	r.factories[name] = f
	return nil
}

// Names lists the registered transform names in order.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.factories))
	for n := range r.factories {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *Registry) build(s Step) (Transform, error) {
	f, ok := r.factories[s.Name]
	if !ok {
		if near := r.nearest(s.Name); near != "" {
			return nil, fmt.Errorf("unknown transform %q (did you mean %q?)", s.Name, near)
		}
		return nil, fmt.Errorf("unknown transform %q", s.Name)
	}
	return f(s.Args)
}

// nearest returns a registered name within edit distance 2 of name, or
// one that name starts with ("lowercase" → "lower").
func (r *Registry) nearest(name string) string {
	best, bestD := "", 3
	for _, n := range r.Names() {
		if d := editDistance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" {
		return best
	}
	for _, n := range r.Names() {
		if len(n) >= 3 && strings.HasPrefix(name, n) {
			best = n
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// DecodeArgs decodes args into the struct pointed to by into, for use in a
// Factory. Unknown argument names and wrong types are errors that name the
// argument.
func DecodeArgs(args Args, into any) error {
	if len(args) == 0 {
		return nil
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return fmt.Errorf("arguments: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return argError(err)
	}
	return nil
}

func argError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("argument %q: want %s, got %s", te.Field, te.Type, te.Value)
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return fmt.Errorf("unknown argument %s", strings.TrimPrefix(msg, "json: unknown field "))
	}
	return fmt.Errorf("arguments: %w", err)
}

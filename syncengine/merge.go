package syncengine

import (
	"strconv"
	"strings"
	"time"
)

// Merge decides a field both sides hold, instead of a side that wins:
// given the value the source would write (want) and the one the target
// has (have), it returns the value the target should hold. Returning have
// writes nothing. Rules.Merge names one per target field; in a two-way
// pair each direction's rule runs, so both sides end on the merged value.
// It must be deterministic and symmetric enough to settle: merging the
// result with either input gives the result again.
type Merge func(want, have any) any

// MergeMax keeps the larger value: numbers (and numeric text) by value,
// times by date, anything else as text. A nil or empty value loses.
// Training progress merges this way: the further percentage wins.
func MergeMax() Merge {
	return func(want, have any) any {
		if isEmpty(have) {
			return want
		}
		if isEmpty(want) {
			return have
		}
		if less(have, want) {
			return want
		}
		return have
	}
}

// MergeRank keeps the value that comes later in order, compared as text
// without case: MergeRank("not_attempted", "incomplete", "completed")
// keeps a completion over any progress. A value not in order loses to
// one that is; two such values keep have.
func MergeRank(order ...string) Merge {
	rank := make(map[string]int, len(order))
	for i, v := range order {
		rank[strings.ToLower(v)] = i + 1
	}
	return func(want, have any) any {
		if rank[strings.ToLower(Canonical(want))] > rank[strings.ToLower(Canonical(have))] {
			return want
		}
		return have
	}
}

func isEmpty(v any) bool { return v == nil || Canonical(v) == "" }

// less orders a before b: as numbers when both read as numbers, as times
// when both are, else as canonical text.
func less(a, b any) bool {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return x < y
		}
	}
	if x, ok := a.(time.Time); ok {
		if y, ok := b.(time.Time); ok {
			return x.Before(y)
		}
	}
	return Canonical(a) < Canonical(b)
}

func number(v any) (float64, bool) {
	if _, ok := v.(bool); ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(Canonical(v)), 64)
	return f, err == nil
}

// merge returns the Merge for target side ti's field f, or nil.
func (cp *collPlan) merge(ti int, f string) Merge {
	r := cp.e.rules(cp.cr, sideOf(ti))
	if r == nil || r.Merge == nil {
		return nil
	}
	return r.Merge[f]
}

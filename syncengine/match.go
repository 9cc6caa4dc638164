package syncengine

import (
	"fmt"
	"strings"
)

// keyIndex finds target records by one match key's value.
type keyIndex struct {
	one  map[string]int32   // value → record index, when unique
	many map[string][]int32 // value → record indexes, when shared
}

func newKeyIndex(recs []Record, k MatchKey) keyIndex {
	ix := keyIndex{one: make(map[string]int32, len(recs))}
	for i := range recs {
		v := targetKey(&recs[i], k)
		if v == "" {
			continue
		}
		if ix.many != nil {
			if dup, ok := ix.many[v]; ok {
				ix.many[v] = append(dup, int32(i))
				continue
			}
		}
		if j, ok := ix.one[v]; ok {
			if ix.many == nil {
				ix.many = map[string][]int32{}
			}
			ix.many[v] = []int32{j, int32(i)}
			delete(ix.one, v)
			continue
		}
		ix.one[v] = int32(i)
	}
	return ix
}

// lookup returns the indexes of records holding v.
func (ix keyIndex) lookup(v string) []int32 {
	if j, ok := ix.one[v]; ok {
		return []int32{j}
	}
	return ix.many[v]
}

// targetKey is the value of match key k in a target record: a field, or
// for a reference key the record's own refs of those roles.
func targetKey(rec *Record, k MatchKey) string {
	if len(k.Refs) > 0 {
		return refKey(rec.Refs, k.Refs)
	}
	return keyValue(rec.Fields[k.Field], k.Fold)
}

// refKey renders the refs of roles as one key ("course=courses/9;user=users/4"),
// or "" when a role has no ref or a ref has no id yet.
func refKey(refs map[string][]Ref, roles []string) string {
	var b strings.Builder
	for i, role := range roles {
		rs := refs[role]
		if len(rs) == 0 {
			return ""
		}
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(role)
		b.WriteByte('=')
		for j, r := range sortRefs(rs) {
			if r.ID == "" {
				return ""
			}
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(string(r.Collection) + "/" + r.ID)
		}
	}
	return b.String()
}

func keyValue(v any, fold bool) string {
	s := Canonical(v)
	if fold {
		return foldKey(s)
	}
	return s
}

// foldKey trims and lower-cases, without allocating when s is already folded.
func foldKey(s string) string {
	t := strings.TrimSpace(s)
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return fold(t)
		}
	}
	return t
}

// matchResult is the outcome of matching one side's unlinked records.
type matchResult struct {
	pairs     [][2]int32 // (source index, target index)
	conflicts []matchConflict
	// keys holds, per source record matched or not, the first key value
	// found (for the plan's Key).
	keys map[int32]string
}

type matchConflict struct {
	src     int32
	targets []int32
	reason  string
}

// matchUnlinked pairs unlinked source records with target records by the
// keys in precedence order. srcKey(i, k) gives source record i's value of
// key k, in target terms; targetPaired(j) reports whether target j is taken
// (already paired, or in a conflict) and says why, to complete "the target
// with <key> <value> ..."; a new source claiming it is a conflict.
func matchUnlinked(src []int32, srcKey func(int32, MatchKey) string, targets []Record,
	keys []MatchKey, targetPaired func(int32) (string, bool)) matchResult {
	res := matchResult{keys: map[int32]string{}}
	if len(src) == 0 || len(keys) == 0 {
		return res
	}
	idx := make([]keyIndex, len(keys))
	for i, k := range keys {
		idx[i] = newKeyIndex(targets, k)
	}
	claims := map[int32]int32{} // target → its first claimant
	more := map[int32][]int32{} // target → further claimants
	var order []int32
	for _, s := range src {
		for ki, k := range keys {
			v := srcKey(s, k)
			if v == "" {
				continue
			}
			if _, seen := res.keys[s]; !seen {
				res.keys[s] = v
			}
			hits := idx[ki].lookup(v)
			if len(hits) == 0 {
				continue
			}
			if len(hits) > 1 {
				res.conflicts = append(res.conflicts, matchConflict{src: s, targets: hits,
					reason: fmt.Sprintf("%d target records have %s %q", len(hits), k.name(), v)})
				break
			}
			if why, ok := targetPaired(hits[0]); ok {
				res.conflicts = append(res.conflicts, matchConflict{src: s, targets: hits,
					reason: fmt.Sprintf("the target with %s %q %s", k.name(), v, why)})
				break
			}
			if _, taken := claims[hits[0]]; taken {
				more[hits[0]] = append(more[hits[0]], s)
			} else {
				claims[hits[0]] = s
				order = append(order, hits[0])
			}
			break
		}
	}
	for _, t := range order {
		if len(more[t]) == 0 {
			res.pairs = append(res.pairs, [2]int32{claims[t], t})
			continue
		}
		ss := append([]int32{claims[t]}, more[t]...)
		for _, s := range ss {
			res.conflicts = append(res.conflicts, matchConflict{src: s, targets: []int32{t},
				reason: fmt.Sprintf("%d source records match the same target", len(ss))})
		}
	}
	return res
}

package syncengine

import "iter"

// Records yields recs, then err when it is not nil: the List of a
// connector that reads a whole collection at once (one SQL query, a file).
func Records(recs []Record, err error) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(Record{}, err)
		}
	}
}

// RefsTo returns references to the records of c with these ids, in their
// order, leaving out empty ids; never nil, so that "no references" is a
// value a target can be compared with.
func RefsTo(c Collection, ids ...string) []Ref {
	out := make([]Ref, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, Ref{Collection: c, ID: id})
		}
	}
	return out
}

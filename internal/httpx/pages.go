package httpx

import (
	"context"
	"iter"
)

// Pages turns a page fetcher into a lazy iterator; every client's list
// iterators are built on it. Clients that page by offset keep the offset
// in fetch's closure and advance it by the items received. fetch is called with page
// 0, 1, 2, ... while it reports more; it is not called again once the
// consumer stops. A fetch error or the context ending is yielded once, with
// the zero T, and ends the iteration; items fetch returned together with its
// error are yielded before it. A page with no items ends the
// iteration whatever fetch reports, so a vendor that always says "more"
// cannot loop forever.
func Pages[T any](ctx context.Context, fetch func(ctx context.Context, page int) (items []T, more bool, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page := 0; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, more, err := fetch(ctx, page)
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if err != nil {
				// fetch's error already says which request failed.
				yield(zero, err)
				return
			}
			if !more || len(items) == 0 {
				return
			}
		}
	}
}

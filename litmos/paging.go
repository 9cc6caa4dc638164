package litmos

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/rostersync/rostersync/internal/httpx"
)

// MaxPageSize is the largest page Litmos serves ("max 1000",
// https://api.sap.com/api/LitmosAPIdetails/overview).
const MaxPageSize = 1000

// maxSearch is the longest search text Litmos takes (not in Litmos's public
// docs; enforced by https://github.com/tldev/litmos-php).
const maxSearch = 50

// searchPrefix cuts text to maxSearch characters. Litmos's search is a
// partial match, so the prefix still finds what text names; callers then
// filter the results for an exact match.
func searchPrefix(text string) string {
	r := []rune(text)
	if len(r) > maxSearch {
		r = r[:maxSearch]
	}
	return string(r)
}

// ListParams selects one page of a list and filters it.
type ListParams struct {
	// Start is the 0-based offset of the first record.
	Start int
	// Limit is the page size, at most MaxPageSize; 0 means MaxPageSize for
	// the iterators and Litmos's default (100) for the one-page calls.
	Limit int
	// Search is Litmos's partial, fuzzy match (at most 50 characters): a
	// search for "ann" also finds "joanne". Filter the results for exact matches.
	Search string
	// Sort names a field to sort by and Dir is "ASC" or "DESC"; Litmos does
	// not document which fields sort.
	Sort, Dir string
}

func (o ListParams) values(q url.Values) (url.Values, error) {
	if o.Start < 0 {
		return nil, fmt.Errorf("start %d is negative", o.Start)
	}
	if o.Limit < 0 || o.Limit > MaxPageSize {
		return nil, fmt.Errorf("limit %d is outside 0..%d", o.Limit, MaxPageSize)
	}
	if n := utf8.RuneCountInString(o.Search); n > maxSearch {
		return nil, fmt.Errorf("search is %d characters, Litmos allows at most %d", n, maxSearch)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	q.Set("start", strconv.Itoa(o.Start))
	if o.Search != "" {
		q.Set("search", o.Search)
	}
	if o.Sort != "" {
		q.Set("sort", o.Sort)
	}
	if o.Dir != "" {
		q.Set("dir", o.Dir)
	}
	return q, nil
}

// listPage fetches one page of the list at path: opts are checked and
// sent with the parameters every call carries plus extra (key, value
// pairs). op names the call in errors ("list teams").
func listPage[T any](ctx context.Context, c *Client, op, path string, opts ListParams, extra ...string) ([]T, error) {
	return appendPage[T](ctx, c, nil, op, path, opts, extra...)
}

// appendPage is listPage appending the items to out (see appendList).
func appendPage[T any](ctx context.Context, c *Client, out []T, op, path string, opts ListParams, extra ...string) ([]T, error) {
	q, err := opts.values(c.query(extra...))
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	resp, err := c.get(ctx, path, q)
	if err != nil {
		return nil, err
	}
	defer resp.Release() // appendList keeps copies
	items, err := appendList(out, resp.Body, opts.Limit)
	if err != nil {
		return nil, wrapf(err, "GET %s", path)
	}
	return items, nil
}

// listAll yields every item of the list at path from opts.Start on, one
// listPage at a time (see pages).
func listAll[T any](ctx context.Context, c *Client, op, path string, opts ListParams, extra ...string) iter.Seq2[T, error] {
	return pages(ctx, opts, func(ctx context.Context, lo ListParams) ([]T, error) {
		return listPage[T](ctx, c, op, path, lo, extra...)
	})
}

// pages yields every item from fetch, starting at opts.Start and advancing by
// the number of items actually received (Litmos sometimes returns more than
// limit, https://github.com/Trifoia/litmos-sdk), until a page is empty or
// shorter than the limit:
// never a request after a short page. A full page that starts with the same
// item as the one before (a server ignoring start) ends the listing with an
// error instead of looping forever.
func pages[T any](ctx context.Context, opts ListParams, fetch func(context.Context, ListParams) ([]T, error)) iter.Seq2[T, error] {
	if opts.Limit == 0 {
		opts.Limit = MaxPageSize
	}
	return func(yield func(T, error) bool) {
		o := opts // each range over the iterator starts afresh
		var prevFirst *T
		for it, err := range httpx.Pages(ctx, func(ctx context.Context, _ int) ([]T, bool, error) {
			items, err := fetch(ctx, o)
			if err == nil && len(items) > 0 && prevFirst != nil && reflect.DeepEqual(*prevFirst, items[0]) {
				err = fmt.Errorf("litmos: the page at start %d repeats the previous page; Litmos ignored start, stopping", o.Start)
			}
			if err != nil {
				return nil, false, err
			}
			if len(items) > 0 {
				prevFirst = &items[0]
			}
			o.Start += len(items)
			return items, len(items) >= o.Limit, nil // an empty page too: Limit is at least 1
		}) {
			if !yield(it, err) {
				return
			}
		}
	}
}

package learnamp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// DefaultPerPage is the page size asked for when PageParams.PerPage is 0.
// Learn Amp documents neither its default nor its largest page size, so
// the client always sends perPage (https://developers.learnamp.com/#paginated-responses)
// and follows the Total-Pages it answers, whatever size it served.
const DefaultPerPage = 100

// PageParams selects one page of a list.
type PageParams struct {
	// Page counts from 1; 0 means 1. The iterators start there.
	Page int
	// PerPage is the page size; 0 means DefaultPerPage.
	PerPage int
}

func (p PageParams) values(q url.Values) (url.Values, error) {
	if p.Page < 0 {
		return nil, fmt.Errorf("page %d is negative (pages count from 1)", p.Page)
	}
	if p.PerPage < 0 {
		return nil, fmt.Errorf("perPage %d is negative", p.PerPage)
	}
	if q == nil {
		q = url.Values{}
	}
	q.Set("page", strconv.Itoa(max(p.Page, 1)))
	q.Set("perPage", strconv.Itoa(p.perPage()))
	return q, nil
}

func (p PageParams) perPage() int {
	if p.PerPage == 0 {
		return DefaultPerPage
	}
	return p.PerPage
}

// Page is one page of a list with the totals Learn Amp sends in the
// Total, Per-Page and Total-Pages headers.
type Page[T any] struct {
	Items []T
	// Page is the page number (from 1); PerPage the page size Learn Amp
	// served (its Per-Page header, else the size asked for).
	Page, PerPage int
	// Total is the number of matching records and TotalPages the number
	// of pages; each is -1 when Learn Amp did not send it.
	Total, TotalPages int
}

// HasNext reports whether a page follows this one: by Total-Pages when
// Learn Amp sent it, else when this page is full.
func (p *Page[T]) HasNext() bool {
	if p.TotalPages >= 0 {
		return p.Page < p.TotalPages
	}
	return len(p.Items) > 0 && len(p.Items) >= p.PerPage
}

// pageHeaders reads the paging headers of a reply; asked is the page
// size requested, kept when Per-Page is missing.
func pageHeaders(h http.Header, asked int) (perPage, total, totalPages int) {
	perPage, total, totalPages = asked, -1, -1
	if n, ok := count(h.Get("Per-Page")); ok && n > 0 {
		perPage = n
	}
	if n, ok := count(h.Get("Total")); ok {
		total = n
	}
	if n, ok := count(h.Get("Total-Pages")); ok {
		totalPages = n
	}
	return perPage, total, totalPages
}

// count reads a non-negative decimal header value.
func count(v string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// getPage fetches one page of the list at path, whose items are in the
// reply's key member (or the reply itself, when it is an array).
func getPage[T any](ctx context.Context, c *Client, path, key string, q url.Values, pp PageParams) (*Page[T], error) {
	q, err := pp.values(q)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	resp, err := c.do(ctx, call{method: http.MethodGet, path: path, query: q, out: &raw})
	if err != nil {
		return nil, err
	}
	items, err := decodeItems[T](raw, key)
	if err != nil {
		return nil, fmt.Errorf("GET /%s%s: %w", apiPath, path, err)
	}
	p := &Page[T]{Items: items, Page: max(pp.Page, 1)}
	p.PerPage, p.Total, p.TotalPages = pageHeaders(resp.Header, pp.perPage())
	return p, nil
}

// decodeItems reads the list under key of a JSON object, or a JSON array.
// A missing or null list is empty.
func decodeItems[T any](raw json.RawMessage, key string) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return []T{}, nil
	}
	if raw[0] == '{' {
		var env map[string]json.RawMessage
		if err := json.Unmarshal(raw, &env); err != nil {
			return nil, err
		}
		raw = env[key]
	}
	var items []T
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("decoding %s: %w", key, err)
		}
	}
	if items == nil {
		items = []T{}
	}
	return items, nil
}

// pages yields every item from page pp.Page on, one fetch per page,
// stopping after the last page: never a request past Total-Pages.
func pages[T any](ctx context.Context, pp PageParams, fetch func(context.Context, PageParams) (*Page[T], error)) iter.Seq2[T, error] {
	first := max(pp.Page, 1)
	return httpx.Pages(ctx, func(ctx context.Context, i int) ([]T, bool, error) {
		p := pp
		p.Page = first + i
		pg, err := fetch(ctx, p)
		if err != nil {
			return nil, false, err
		}
		return pg.Items, pg.HasNext(), nil
	})
}

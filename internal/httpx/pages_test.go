package httpx

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pager serves pages of a fixed list and records which pages were fetched.
type pager struct {
	pages   [][]int
	errPage int // page that fails; -1 for none
	fetched []int
}

var errBoom = errors.New("boom")

func (p *pager) fetch(_ context.Context, page int) ([]int, bool, error) {
	p.fetched = append(p.fetched, page)
	if page == p.errPage {
		return nil, false, errBoom
	}
	return p.pages[page], page+1 < len(p.pages), nil
}

func TestPages(t *testing.T) {
	three := [][]int{{1, 2}, {3, 4}, {5}}
	tests := []struct {
		name     string
		pages    [][]int
		errPage  int
		stopAt   int // consumer breaks after this many items; 0 = never
		cancel   bool
		want     []int
		wantErr  error
		wantPage []int
	}{
		{name: "all pages", pages: three, errPage: -1, want: []int{1, 2, 3, 4, 5}, wantPage: []int{0, 1, 2}},
		{name: "early break fetches no further", pages: three, errPage: -1, stopAt: 3, want: []int{1, 2, 3}, wantPage: []int{0, 1}},
		{name: "break on first item", pages: three, errPage: -1, stopAt: 1, want: []int{1}, wantPage: []int{0}},
		{name: "fetch error ends", pages: three, errPage: 1, want: []int{1, 2}, wantErr: errBoom, wantPage: []int{0, 1}},
		{name: "empty page with more ends", pages: [][]int{{1}, {}, {2}}, errPage: -1, want: []int{1}, wantPage: []int{0, 1}},
		{name: "cancelled context", pages: three, errPage: -1, cancel: true, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pager{pages: tt.pages, errPage: tt.errPage}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			var got []int
			var gotErr error
			for v, err := range Pages(ctx, p.fetch) {
				if err != nil {
					gotErr = err
					continue // Pages must end by itself after an error
				}
				got = append(got, v)
				if tt.stopAt > 0 && len(got) == tt.stopAt {
					break
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("items (-want +got):\n%s", d)
			}
			if !errors.Is(gotErr, tt.wantErr) || (tt.wantErr == nil) != (gotErr == nil) {
				t.Errorf("error %v, want %v", gotErr, tt.wantErr)
			}
			if d := cmp.Diff(tt.wantPage, p.fetched); d != "" {
				t.Errorf("pages fetched (-want +got):\n%s", d)
			}
		})
	}
}

package talentlms_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// TestListUsersPaging lists users on a portal that pages and on one that
// ignores the paging segment, and asserts the exact requests: never a
// request after a short page, never a user twice.
func TestListUsersPaging(t *testing.T) {
	page := func(size, n int) string { return fmt.Sprintf("GET users/page_size:%d,page_number:%d", size, n) }
	tests := []struct {
		name   string
		users  int
		params talentlms.ListUsersParams
		opts   []talentlmstest.Option
		want   []string // after GET siteinfo
	}{
		{"paged, last page short", 45, talentlms.ListUsersParams{PageSize: 20}, nil,
			[]string{page(20, 1), page(20, 2), page(20, 3)}},
		{"paged, exact multiple ends on an empty page", 40, talentlms.ListUsersParams{PageSize: 20}, nil,
			[]string{page(20, 1), page(20, 2), page(20, 3)}},
		{"paged, default size", 150, talentlms.ListUsersParams{}, nil,
			[]string{page(100, 1), page(100, 2)}},
		{"paged, from page 2", 45, talentlms.ListUsersParams{PageSize: 20, PageNumber: 2}, nil,
			[]string{page(20, 2), page(20, 3)}},
		{"empty portal", 0, talentlms.ListUsersParams{PageSize: 20}, nil,
			[]string{page(20, 1)}},
		{"unpaged portal answers everything at once", 45, talentlms.ListUsersParams{PageSize: 20},
			[]talentlmstest.Option{talentlmstest.WithoutUserPaging()}, []string{page(20, 1)}},
		{"unpaged portal with fewer users than a page", 15, talentlms.ListUsersParams{PageSize: 20},
			[]talentlmstest.Option{talentlmstest.WithoutUserPaging()}, []string{page(20, 1)}},
		{"unpaged portal with exactly a page: a repeat falls back to GET users", 20, talentlms.ListUsersParams{PageSize: 20},
			[]talentlmstest.Option{talentlmstest.WithoutUserPaging()}, []string{page(20, 1), page(20, 2), "GET users"}},
		{"Unpaged sends the official library's call", 45, talentlms.ListUsersParams{Unpaged: true}, nil,
			[]string{"GET users"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t, tt.opts...)
			ids := seedUsers(srv, tt.users)
			got := collect(t, c.ListUsers(ctx, tt.params))
			var gotIDs []string
			for _, u := range got {
				gotIDs = append(gotIDs, u.ID)
			}
			wantIDs := ids
			if tt.params.PageNumber == 2 {
				wantIDs = ids[20:]
			}
			if d := cmp.Diff(wantIDs, gotIDs, cmpEmpty); d != "" {
				t.Errorf("users (-want +got):\n%s", d)
			}
			want := append([]string{"GET siteinfo"}, tt.want...)
			if d := cmp.Diff(want, paths(srv)); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return cmp.Equal(a, b)
})

// A consumer that stops early makes no further request, and ranging over
// the iterator again starts from the first page.
func TestListUsersStopsAndRestarts(t *testing.T) {
	srv, c := newFake(t)
	seedUsers(srv, 45)
	seq := c.ListUsers(ctx, talentlms.ListUsersParams{PageSize: 20})
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 21 {
			break
		}
	}
	if got := srv.Log().Count(nil); got != 3 { // siteinfo and two pages
		t.Errorf("requests after stopping at user 21: %d, want 3", got)
	}
	if got := len(collect(t, seq)); got != 45 {
		t.Errorf("second range: %d users, want 45", got)
	}
}

func TestListUsersPageParams(t *testing.T) {
	srv, c := newFake(t)
	seedUsers(srv, 3)
	for _, p := range []talentlms.ListUsersParams{{PageSize: -1}, {PageSize: talentlms.MaxUsersPageSize + 1}, {PageNumber: -2}} {
		if _, err := c.ListUsersPage(ctx, p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("bad params sent %d requests", n)
	}
	got, err := c.ListUsersPage(ctx, talentlms.ListUsersParams{PageSize: 2, PageNumber: 2})
	if err != nil || len(got) != 1 || got[0].Login != "user003" {
		t.Errorf("page 2 of 2 = %+v, %v", got, err)
	}
}

package talentlms

import (
	"context"
	"iter"

	"github.com/rostersync/rostersync/internal/httpx"
)

// ListUsers yields every user, abridged, one page at a time (see
// ListUsersPage), and never asks again after a short page. It also reads a
// portal that ignores the paging segment and answers every user to each
// request: a page longer than asked is the whole list and ends the
// listing; a full page that starts with the previous page's first user
// means page_number was ignored, and one plain GET users then yields the
// users not yet yielded. Calls: ceil((n+1)/size) paged requests on a
// portal that pages, one on a portal that answers everything, plus GET
// siteinfo once per client for the date format.
func (c *Client) ListUsers(ctx context.Context, p ListUsersParams) iter.Seq2[User, error] {
	if p.Unpaged {
		return httpx.Pages(ctx, func(ctx context.Context, _ int) ([]User, bool, error) {
			users, err := c.ListUsersPage(ctx, p)
			return users, false, err
		})
	}
	return func(yield func(User, error) bool) {
		l := &userLister{c: c, p: p, seen: map[string]bool{}}
		for u, err := range httpx.Pages(ctx, l.next) {
			if !yield(u, err) {
				return
			}
		}
	}
}

// userLister is the state of one ListUsers range.
type userLister struct {
	c         *Client
	p         ListUsersParams
	seen      map[string]bool // ids yielded
	prevFirst string
	done      bool
}

func (l *userLister) next(ctx context.Context, _ int) ([]User, bool, error) {
	if l.done {
		return nil, false, nil
	}
	p, err := l.p.withDefaults()
	if err != nil {
		return nil, false, wrapf(err, "list users")
	}
	users, err := l.c.ListUsersPage(ctx, p)
	if err != nil {
		return nil, false, err
	}
	switch {
	case len(users) > p.PageSize: // the portal sent everything
		return l.fresh(users), false, nil
	case len(users) > 0 && users[0].ID == l.prevFirst: // page_number ignored
		all, err := l.c.ListUsersPage(ctx, ListUsersParams{Unpaged: true})
		if err != nil {
			return nil, false, err
		}
		l.done = true
		return l.fresh(all), false, nil
	}
	if len(users) > 0 {
		l.prevFirst = users[0].ID
	}
	l.p.PageNumber = p.PageNumber + 1
	return l.fresh(users), len(users) == p.PageSize, nil
}

// fresh drops the users already yielded (a page that shifted while a
// user was created or deleted could repeat one).
func (l *userLister) fresh(users []User) []User {
	out := users[:0:0]
	for _, u := range users {
		if !l.seen[u.ID] {
			l.seen[u.ID] = true
			out = append(out, u)
		}
	}
	return out
}

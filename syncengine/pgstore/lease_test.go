package pgstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

const pair = "bamboohr->litmos"

var ctx = context.Background()

func link(a, b string) syncengine.Link {
	return syncengine.Link{Collection: syncengine.Users, AID: a, BID: b, UpdatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func mustLock(t *testing.T, s *Store) func() error {
	t.Helper()
	unlock, err := s.Lock(ctx, pair)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	return unlock
}

// The renewals move the lease's expiry forward, on the database's clock.
func TestLeaseRenewal(t *testing.T) {
	hook, renew := withRenewals(t)
	s := newTestStore(t, hook, WithLeaseDuration(time.Minute))
	unlock := mustLock(t, s)
	defer unlock()
	before := readLease(t, s, pair)
	if err := renew.Tick(); err != nil {
		t.Fatalf("renewal: %v", err)
	}
	after := readLease(t, s, pair)
	if !after.Expires.After(before.Expires) || after.Token != before.Token {
		t.Errorf("after a renewal the lease is %+v; before it %+v: want a later expiry, the same token", after, before)
	}
	if err := s.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Errorf("PutLink while the renewed lease holds: %v", err)
	}
}

// A lease taken over after it expired fences its old holder: its writes
// are refused with ErrLocked and change nothing, and its renewal stops.
func TestLeaseTakeoverFencesTheOldHolder(t *testing.T) {
	hook, renew := withRenewals(t)
	old := newTestStore(t, hook, WithHolder("old-holder"))
	next := openStore(t, newPool(t), old.Schema(), WithHolder("next-holder"))
	unlockOld := mustLock(t, old)
	if err := old.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Fatal(err)
	}
	_, err := next.Lock(ctx, pair)
	if !errors.Is(err, syncengine.ErrLocked) || !strings.Contains(err.Error(), "held by old-holder until") {
		t.Fatalf("Lock while the lease holds: %v; want ErrLocked naming the holder and its expiry", err)
	}
	expire(t, old, pair)
	unlockNext := mustLock(t, next)
	if got := readLease(t, next, pair); got.Token != 2 || got.Holder != "next-holder" {
		t.Errorf("after the takeover the lease is %+v; want token 2 held by next-holder", got)
	}

	err = old.PutLink(ctx, pair, link("2", "b2"))
	if !errors.Is(err, syncengine.ErrLocked) || !strings.Contains(err.Error(), "fencing token") {
		t.Errorf("the old holder's PutLink: %v; want ErrLocked saying the token was refused", err)
	}
	// Known lost now: refused without asking the database, and renewal stops.
	if err := old.PutCursor(ctx, pair, "c", "v"); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("the old holder's next write: %v, want ErrLocked", err)
	}
	if err := renew.Tick(); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("the old holder's renewal: %v, want ErrLocked", err)
	}
	links, err := next.Links(ctx, pair, syncengine.Users)
	if err != nil || len(links) != 1 || links[0].AID != "1" {
		t.Errorf("links after the takeover: %v, %v; want only the one written before it", links, err)
	}
	if err := unlockOld(); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("the old holder's unlock: %v; want an error saying the lease was lost", err)
	}
	if got := readLease(t, next, pair); got.Token != 2 || !got.Expires.After(time.Now().Add(-time.Minute)) {
		t.Errorf("the old holder's unlock changed the new holder's lease: %+v", got)
	}
	if err := next.PutLink(ctx, pair, link("3", "b3")); err != nil {
		t.Errorf("the new holder's PutLink: %v", err)
	}
	if err := unlockNext(); err != nil {
		t.Errorf("unlock: %v", err)
	}
}

// A renewal that finds the lease expired (the holder was paused past it)
// loses the lease, though no one took it over yet.
func TestLeaseExpiredAtRenewal(t *testing.T) {
	hook, renew := withRenewals(t)
	s := newTestStore(t, hook)
	unlock := mustLock(t, s)
	expire(t, s, pair)
	if err := renew.Tick(); !errors.Is(err, syncengine.ErrLocked) {
		t.Fatalf("renewal of an expired lease: %v, want ErrLocked", err)
	}
	if err := s.PutLink(ctx, pair, link("1", "b1")); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("PutLink after the lease expired: %v, want ErrLocked", err)
	}
	if err := unlock(); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("unlock of a lost lease: %v, want ErrLocked", err)
	}
	again := mustLock(t, s) // the store takes the pair again once the lost lease is unlocked
	if err := s.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Errorf("PutLink holding a new lease: %v", err)
	}
	if err := again(); err != nil {
		t.Error(err)
	}
}

// A holder that could not renew before its lease's end (by its own clock)
// stops writing even if the database still shows the lease: it cannot
// know whether another took it over.
func TestLeaseNotRenewedInTime(t *testing.T) {
	clock := newFakeClock()
	s := newTestStore(t, withClock(clock), WithLeaseDuration(10*time.Second))
	unlock := mustLock(t, s)
	defer unlock()
	clock.Add(9 * time.Second)
	if err := s.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Fatalf("PutLink inside the lease: %v", err)
	}
	clock.Add(2 * time.Second)
	err := s.PutLink(ctx, pair, link("2", "b2"))
	if !errors.Is(err, syncengine.ErrLocked) || !strings.Contains(err.Error(), "not renewed") {
		t.Errorf("PutLink past the lease without a renewal: %v; want ErrLocked saying so", err)
	}
}

// Tokens only grow: a released lease keeps its row, so no later holder
// gets a token an earlier one had.
func TestLeaseTokensOnlyGrow(t *testing.T) {
	s := newTestStore(t)
	other := openStore(t, s.pool, s.Schema())
	var tokens []int64
	for i, st := range []*Store{s, other, s, other} {
		unlock := mustLock(t, st)
		tokens = append(tokens, readLease(t, st, pair).Token)
		if err := unlock(); err != nil {
			t.Fatalf("unlock %d: %v", i, err)
		}
	}
	for i := 1; i < len(tokens); i++ {
		if tokens[i] <= tokens[i-1] {
			t.Fatalf("tokens %v: want each above the one before", tokens)
		}
	}
	if got := readLease(t, s, pair); !got.Expires.Before(time.Now().Add(time.Second)) {
		t.Errorf("a released lease expires at %v: want now or before", got.Expires)
	}
}

// A store's writes to pairs it does not hold are not fenced, and a lease
// of one pair fences only that pair.
func TestLeaseFencesItsPairOnly(t *testing.T) {
	s := newTestStore(t)
	unlock := mustLock(t, s)
	defer unlock()
	expire(t, s, pair)
	if err := s.PutLink(ctx, "other", link("1", "b1")); err != nil {
		t.Errorf("PutLink to a pair the store does not hold: %v", err)
	}
	if err := s.PutLink(ctx, pair, link("1", "b1")); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("PutLink to the pair whose lease expired: %v, want ErrLocked", err)
	}
}

func TestLeaseOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"short lease", []Option{WithLeaseDuration(time.Millisecond)}, "lease duration 1ms"},
		{"renew not shorter", []Option{WithLeaseDuration(10 * time.Second), WithRenewInterval(10 * time.Second)}, "renew interval 10s"},
		{"renew zero", []Option{WithRenewInterval(0)}, "renew interval 0s"},
		{"empty holder", []Option{WithHolder("")}, "holder name"},
		{"nil logger", []Option{WithLogger(nil)}, "logger is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Options are checked before anything else: no database needed.
			if _, err := New(ctx, nil, tc.opts...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error about %q", err, tc.want)
			}
		})
	}
	if _, err := New(ctx, nil); err == nil || !strings.Contains(err.Error(), "pool is nil") {
		t.Errorf("New with no pool: %v", err)
	}
}

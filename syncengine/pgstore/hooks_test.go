package pgstore

import (
	"context"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Test-only options: they set the hooks New leaves at their defaults.

// fakeClock is the local clock of lease deadlines, moved by the test.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func withClock(c *fakeClock) Option { return func(o *options) error { o.now = c.Now; return nil } }

// renewals drives a store's lease renewals: Tick makes one and waits for
// its outcome.
type renewals struct {
	t    testing.TB
	tick chan time.Time
	done chan error
}

func withRenewals(t testing.TB) (Option, *renewals) {
	r := &renewals{t: t, tick: make(chan time.Time), done: make(chan error, 1)}
	return func(o *options) error {
		o.ticker = func(time.Duration) (<-chan time.Time, func()) { return r.tick, func() {} }
		o.afterRenew = func(_ string, err error) { r.done <- err }
		return nil
	}, r
}

// Tick renews the one lease the store holds now and returns the renewal's error.
func (r *renewals) Tick() error {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case r.tick <- time.Now():
	case <-ctx.Done():
		r.t.Fatal("no renewal loop took the tick: is a lease held?")
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		r.t.Fatal("the renewal did not finish")
	}
	return nil
}

func withMigrations(fsys fs.FS) Option {
	return func(o *options) error { o.migrations = fsys; return nil }
}

// leaseRow is a pair's row of the lease table.
type leaseRow struct {
	Holder  string
	Token   int64
	Expires time.Time
}

func readLease(t testing.TB, s *Store, pair string) leaseRow {
	t.Helper()
	var r leaseRow
	err := s.pool.QueryRow(context.Background(), "SELECT holder, token, expires_at FROM "+
		pgx.Identifier{s.Schema(), "leases"}.Sanitize()+" WHERE pair = $1", pair).Scan(&r.Holder, &r.Token, &r.Expires)
	if err != nil {
		t.Fatalf("read the lease of %q: %v", pair, err)
	}
	return r
}

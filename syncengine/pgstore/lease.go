package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rostersync/rostersync/syncengine"
)

// Lock implements syncengine.Store with a lease: it takes the pair's lease
// when no holder has it or its holder let it expire, with the next fencing
// token of the pair. Until unlock, the store renews the lease in the
// background (WithRenewInterval) and every write of the pair through this
// store checks the token in the same transaction, so a holder whose lease
// expired or was taken over cannot write any more: its writes fail with an
// error wrapping syncengine.ErrLocked. It fails with ErrLocked when
// another holder, or this store, has the lease. Call unlock when the run
// ends: until then the lease is renewed, and the pair stays taken.
func (s *Store) Lock(ctx context.Context, pair string) (func() error, error) {
	if err := checkPair(ctx, "lock", pair); err != nil {
		return nil, err
	}
	if err := s.reserve(pair); err != nil {
		return nil, err
	}
	l, err := s.acquire(ctx, pair)
	s.mu.Lock()
	delete(s.acquiring, pair)
	if err == nil {
		s.held[pair] = l
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	go l.renewLoop(context.WithoutCancel(ctx))
	var once sync.Once
	var uerr error
	return func() error {
		first := false
		once.Do(func() { first, uerr = true, l.unlock() })
		if !first {
			return nil
		}
		return uerr
	}, nil
}

// reserve marks pair as being locked by this store, or says why it cannot be.
func (s *Store) reserve(pair string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.acquiring[pair]:
		return fmt.Errorf("pgstore: lock %q: this store is taking it: %w", pair, syncengine.ErrLocked)
	case s.held[pair] != nil:
		return fmt.Errorf("pgstore: lock %q: this store holds it (%s): %w", pair, s.held[pair].state(), syncengine.ErrLocked)
	}
	s.acquiring[pair] = true
	return nil
}

func (s *Store) acquire(ctx context.Context, pair string) (*lease, error) {
	start := s.cfg.now()
	var token int64
	err := s.pool.QueryRow(ctx, s.q.lock, pair, s.cfg.holder, s.cfg.lease.Microseconds()).Scan(&token)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgstore: lock %q: %s: %w", pair, s.holderOf(ctx, pair), syncengine.ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: lock %q: %w", pair, err)
	}
	return &lease{s: s, pair: pair, token: token, deadline: start.Add(s.cfg.lease),
		stop: make(chan struct{}), done: make(chan struct{})}, nil
}

// holderOf describes who holds pair's lease, for an ErrLocked message.
func (s *Store) holderOf(ctx context.Context, pair string) string {
	var holder string
	var until time.Time
	if err := s.pool.QueryRow(ctx, s.q.holderOf, pair).Scan(&holder, &until); err != nil {
		return "held by another holder"
	}
	return fmt.Sprintf("held by %s until %s", holder, until.UTC().Format(time.RFC3339))
}

// lease is a pair's lease while this store holds it.
type lease struct {
	s     *Store
	pair  string
	token int64

	mu       sync.Mutex
	deadline time.Time // local clock: the lease surely holds until then
	lost     error     // why the lease was lost; nil while held

	stop chan struct{} // closed by unlock
	done chan struct{} // closed when the renewals have stopped
}

// check fails when the lease is known to be lost, or has not been renewed
// in time (then it is lost from now on).
func (l *lease) check() error {
	l.mu.Lock()
	lost, late := l.lost, l.s.cfg.now().After(l.deadline)
	l.mu.Unlock()
	switch {
	case lost != nil:
		return lost
	case late:
		return l.lose("not renewed before it expired")
	}
	return nil
}

// lose records that the lease is lost (the first reason stays), logs it,
// and returns the error its holder's writes then get.
func (l *lease) lose(why string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return l.lost
	}
	l.lost = fmt.Errorf("the lease (token %d) was lost: %s: %w", l.token, why, syncengine.ErrLocked)
	l.s.cfg.logger.Error("pgstore: lease lost; the run must stop", "pair", l.pair, "holder", l.s.cfg.holder,
		"token", l.token, "reason", why)
	return l.lost
}

func (l *lease) state() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return fmt.Sprintf("token %d, lost and not unlocked yet", l.token)
	}
	return fmt.Sprintf("token %d", l.token)
}

// renewLoop renews the lease every renew interval until unlock or until
// the lease is lost.
func (l *lease) renewLoop(ctx context.Context) {
	defer close(l.done)
	tick, stop := l.s.cfg.ticker(l.s.cfg.renew)
	defer stop()
	for {
		select {
		case <-l.stop:
			return
		case <-tick:
		}
		err := l.renew(ctx)
		if l.s.cfg.afterRenew != nil {
			l.s.cfg.afterRenew(l.pair, err)
		}
		if errors.Is(err, syncengine.ErrLocked) {
			return
		}
	}
}

// renew extends the lease by a lease duration from now. It returns an
// error wrapping ErrLocked once the lease is lost, another error when this
// renewal failed but the lease may still hold.
func (l *lease) renew(ctx context.Context) error {
	if err := l.check(); err != nil {
		return err
	}
	start := l.s.cfg.now()
	l.mu.Lock()
	deadline := l.deadline
	l.mu.Unlock()
	// A renewal that answers after the deadline is of no use.
	ctx, cancel := context.WithTimeout(ctx, deadline.Sub(start))
	defer cancel()
	tag, err := l.s.pool.Exec(ctx, l.s.q.renew, l.pair, l.token, l.s.cfg.lease.Microseconds())
	switch {
	case err == nil && tag.RowsAffected() == 1:
		l.mu.Lock()
		l.deadline = start.Add(l.s.cfg.lease)
		l.mu.Unlock()
		return nil
	case err == nil:
		return l.lose("the renewal found it expired or taken over")
	}
	if cerr := l.check(); cerr != nil {
		return cerr
	}
	l.s.cfg.logger.Warn("pgstore: lease renewal failed; trying again", "pair", l.pair, "holder", l.s.cfg.holder,
		"token", l.token, "error", err)
	return fmt.Errorf("pgstore: renew the lease of %q: %w", l.pair, err)
}

// unlock stops the renewals and releases the lease, unless it was lost.
func (l *lease) unlock() error {
	close(l.stop)
	<-l.done
	s := l.s
	s.mu.Lock()
	if s.held[l.pair] == l {
		delete(s.held, l.pair)
	}
	s.mu.Unlock()
	l.mu.Lock()
	lost := l.lost
	l.mu.Unlock()
	if lost != nil {
		return fmt.Errorf("pgstore: unlock %q: %w", l.pair, lost)
	}
	// Not longer than a renewal may take: a lease not released expires anyway.
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.renew)
	defer cancel()
	tag, err := s.pool.Exec(ctx, s.q.release, l.pair, l.token)
	switch {
	case err != nil:
		return fmt.Errorf("pgstore: unlock %q: %w (the lease expires by itself)", l.pair, err)
	case tag.RowsAffected() == 0:
		return fmt.Errorf("pgstore: unlock %q: %w", l.pair, l.lose("it had expired or been taken over before the release"))
	}
	return nil
}

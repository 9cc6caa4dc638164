package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/syncengine"
)

// Store is a syncengine.Store in a PostgreSQL schema, shared by every
// process that opens the same schema. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	cfg  options
	q    queries

	mu        sync.Mutex
	held      map[string]*lease // the pairs whose lease this store holds
	acquiring map[string]bool   // the pairs a Lock of this store is taking

	linkCounts sync.Map // pair "\x00" collection → how many links Links last returned
}

var _ syncengine.Store = (*Store)(nil)

// New returns a Store on pool, which stays the caller's: New never closes
// it. It brings the schema (WithSchema) to the version this package
// needs, creating it on first use; see the package doc. Several processes
// may call New at once: one migrates, the others wait for it.
func New(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Store, error) {
	cfg := defaultOptions()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("pgstore: %w", err)
		}
	}
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if pool == nil {
		return nil, errors.New("pgstore: the pool is nil")
	}
	s := &Store{pool: pool, cfg: cfg, q: newQueries(cfg.schema), held: map[string]*lease{}, acquiring: map[string]bool{}}
	if err := s.migrate(ctx); err != nil {
		return nil, fmt.Errorf("pgstore: schema %q: %w", cfg.schema, err)
	}
	return s, nil
}

// Schema returns the name of the schema the store keeps its tables in.
func (s *Store) Schema() string { return s.cfg.schema }

// Holder returns the name this store holds leases under (WithHolder).
func (s *Store) Holder() string { return s.cfg.holder }

// stmt is one statement of a write.
type stmt struct {
	sql  string
	args []any
}

// write runs stmts in one transaction (one round trip). When this store
// holds the pair's lease and fenced is set, the transaction first checks
// the lease's fencing token: a lease that was lost fails the write, which
// then changes nothing, with an error wrapping syncengine.ErrLocked.
func (s *Store) write(ctx context.Context, op, pair string, fenced bool, stmts ...stmt) error {
	b := &pgx.Batch{}
	var l *lease
	if fenced {
		l = s.leaseOf(pair)
	}
	if l != nil {
		if err := l.check(); err != nil {
			return fmt.Errorf("pgstore: %s %q: %w", op, pair, err)
		}
		b.Queue(s.q.fence, pair, l.token)
	}
	for _, st := range stmts {
		b.Queue(st.sql, st.args...)
	}
	if b.Len() == 0 {
		return nil
	}
	err := s.pool.SendBatch(ctx, b).Close()
	if l != nil && isFenceError(err) {
		err = l.lose("the database refused the fencing token: the lease expired or was taken over")
	}
	if err != nil {
		return fmt.Errorf("pgstore: %s %q: %w", op, pair, err)
	}
	return nil
}

// fenceCode is the SQLSTATE the schema's fence function raises.
const fenceCode = "RSF01"

func isFenceError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == fenceCode
}

func (s *Store) leaseOf(pair string) *lease {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held[pair]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package fleet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Limit is a vendor key's documented rate: Requests per Per, with bursts
// of up to Burst calls (default 1). The budget refills Requests a Per, so
// a window of length Per holds at most Requests+Burst-1 calls: the
// default keeps every window at the limit, as vendors that count a
// sliding window (Litmos's minute, TalentLMS's 5 seconds) require. A
// larger Burst lets calls go at once after a quiet spell, for vendors
// that count a fixed window or a bucket of their own.
type Limit struct {
	Requests int
	Per      time.Duration
	Burst    int
}

// Budget is a vendor key's rate limit shared by every instance: a token
// bucket in one row of PostgreSQL, refilled at the key's rate and taken
// from by one UPDATE ... RETURNING per call, so instances sharing a key
// together stay within its limit however many there are. A call that
// finds the bucket empty still reserves its token (the row goes below
// zero) and waits until the refill reaches it, so waiting callers go in
// turn. Give the key's clients no pacing of their own
// (WithRateLimit(Limit{}) on the vendor client) and the Budget's
// Transport; keep their retries for what the vendor answers.
type Budget struct {
	pool  *pgxpool.Pool
	key   string
	rate  float64 // tokens a second
	burst float64
	take  string
}

// NewBudget returns the budget of vendor key in schema (the fleet's),
// creating its row, full, when it is new; it migrates the schema first,
// as New does. Every instance must give the same Limit for a key.
func NewBudget(ctx context.Context, pool *pgxpool.Pool, schema, key string, l Limit) (*Budget, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if l.Requests < 1 || l.Per <= 0 || l.Burst < 0 {
		return nil, fmt.Errorf("fleet: budget %q: limit %d per %v (burst %d): want at least 1 per a positive time", key, l.Requests, l.Per, l.Burst)
	}
	if l.Burst == 0 {
		l.Burst = 1
	}
	if pool == nil {
		return nil, errors.New("fleet: budget: the pool is nil")
	}
	if err := Migrate(ctx, pool, schema); err != nil {
		return nil, err
	}
	table := pgx.Identifier{schema, "rostersync_budgets"}.Sanitize()
	b := &Budget{pool: pool, key: key, rate: float64(l.Requests) / l.Per.Seconds(), burst: float64(l.Burst),
		take: `UPDATE ` + table + ` SET
	tokens = LEAST($2::float8, tokens + $3::float8 * GREATEST(0, EXTRACT(EPOCH FROM now() - updated_at))) - 1,
	updated_at = GREATEST(updated_at, now())
WHERE key = $1 RETURNING tokens`}
	if _, err := pool.Exec(ctx, `INSERT INTO `+table+` (key, tokens) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, b.burst); err != nil {
		return nil, fmt.Errorf("fleet: budget %q: %w", key, err)
	}
	return b, nil
}

// reserve takes a token and says how long to wait before using it.
func (b *Budget) reserve(ctx context.Context) (time.Duration, error) {
	var tokens float64
	if err := b.pool.QueryRow(ctx, b.take, b.key, b.burst, b.rate).Scan(&tokens); err != nil {
		return 0, fmt.Errorf("fleet: budget %q: take a call: %w", b.key, err)
	}
	if tokens >= 0 {
		return 0, nil
	}
	return time.Duration(-tokens / b.rate * float64(time.Second)), nil
}

// Wait takes one call from the budget, waiting for its turn. It fails
// when ctx ends first (the call's token is spent all the same) or the
// database cannot be reached.
func (b *Budget) Wait(ctx context.Context) error {
	d, err := b.reserve(ctx)
	if err != nil || d == 0 {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("fleet: budget %q: wait %v for a call: %w", b.key, d.Round(time.Millisecond), ctx.Err())
	case <-t.C:
		return nil
	}
}

// Transport returns an http.RoundTripper that waits for the budget before
// each request it sends through base (nil: http.DefaultTransport). Give it
// to the vendor client: WithHTTPClient(&http.Client{Transport: b.Transport(nil)}).
func (b *Budget) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &budgetTransport{b: b, base: base}
}

type budgetTransport struct {
	b    *Budget
	base http.RoundTripper
}

func (t *budgetTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.b.Wait(r.Context()); err != nil {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(r)
}

package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/rostersync/rostersync/syncengine"
)

// Pair is one pair (tenant) the fleet runs: its engine, whose Store must
// be shared by every instance (a pgstore.Store), and the name of the
// vendor key its calls count against, which is also the river queue its
// jobs run on. Give pairs that share an API key (one Litmos account
// synced from several HR systems) the same Key.
type Pair struct {
	Engine *syncengine.Engine
	Key    string
}

// Fleet runs pairs on a river queue in PostgreSQL: every instance of a
// service builds one with the same pairs and schema, and the pairs' jobs
// (periodic syncs, webhook events, due work) run on whichever instance
// fetches them, one run per pair at a time.
type Fleet struct {
	pool   *pgxpool.Pool
	cfg    options
	pairs  map[string]Pair
	names  []string
	river  *river.Client[pgx.Tx]
	queues map[string]*syncengine.Queue

	stopSchedule context.CancelFunc // set by Start
	scheduleDone chan struct{}
}

// New builds a fleet on pool: it migrates the schema (unless
// WithoutMigrate), and makes the river client with a queue per vendor key. Start starts working; a fleet that is
// never started can still insert jobs (a web tier that only receives
// webhooks). The pool is the caller's: the fleet never closes it.
func New(ctx context.Context, pool *pgxpool.Pool, pairs []Pair, opts ...Option) (*Fleet, error) {
	if pool == nil {
		return nil, errors.New("fleet: the pool is nil")
	}
	o := defaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.rescueAfter == 0 {
		o.rescueAfter = o.jobTimeout + time.Minute
	}
	f := &Fleet{pool: pool, cfg: o, pairs: map[string]Pair{}, queues: map[string]*syncengine.Queue{}}
	if err := f.addPairs(pairs); err != nil {
		return nil, err
	}
	if o.migrate {
		if err := Migrate(ctx, pool, o.schema); err != nil {
			return nil, err
		}
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), f.riverConfig())
	if err != nil {
		return nil, fmt.Errorf("fleet: river client: %w", err)
	}
	f.river = rc
	return f, nil
}

func (f *Fleet) addPairs(pairs []Pair) error {
	if len(pairs) == 0 {
		return errors.New("fleet: no pairs")
	}
	for _, p := range pairs {
		if p.Engine == nil {
			return errors.New("fleet: a pair without an engine")
		}
		name := p.Engine.Pair()
		if err := checkKey(p.Key); err != nil {
			return fmt.Errorf("pair %q: %w", name, err)
		}
		if _, dup := f.pairs[name]; dup {
			return fmt.Errorf("fleet: pair %q given twice", name)
		}
		f.pairs[name] = p
		f.names = append(f.names, name)
		f.queues[name] = p.Engine.NewQueue(syncengine.QueueOptions{Logger: f.cfg.logger})
	}
	for k := range f.cfg.concurrency {
		if !slices.ContainsFunc(pairs, func(p Pair) bool { return p.Key == k }) {
			return fmt.Errorf("fleet: WithConcurrency names key %q, which no pair has", k)
		}
	}
	return nil
}

func (f *Fleet) riverConfig() *river.Config {
	workers := river.NewWorkers()
	river.AddWorker(workers, &syncWorker{f: f})
	river.AddWorker(workers, &eventWorker{f: f})
	river.AddWorker(workers, &dueWorker{f: f})
	queues := map[string]river.QueueConfig{}
	for _, name := range f.names {
		key := f.pairs[name].Key
		n := f.cfg.concurrency[key]
		if n == 0 {
			n = f.cfg.defaultConc
		}
		queues[key] = river.QueueConfig{MaxWorkers: n}
	}
	cooldown := time.Duration(0) // river's default
	if f.cfg.pollEvery > 0 && f.cfg.pollEvery < river.FetchCooldownDefault {
		cooldown = f.cfg.pollEvery
	}
	return &river.Config{
		FetchCooldown:        cooldown,
		Schema:               f.cfg.schema,
		ID:                   f.cfg.id,
		Queues:               queues,
		Workers:              workers,
		JobTimeout:           f.cfg.jobTimeout,
		RescueStuckJobsAfter: f.cfg.rescueAfter,
		FetchPollInterval:    f.cfg.pollEvery,
		Logger:               f.cfg.logger,
	}
}

// syncOpts are the insert options of a pair's sync job: on its key's
// queue, one per pair and period (river's unique jobs), a few attempts
// (the next period tries again anyway).
func (f *Fleet) syncOpts(pair string) *river.InsertOpts {
	return &river.InsertOpts{Queue: f.pairs[pair].Key, MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: f.cfg.syncEvery}}
}

// Start inserts this period's sync job of every pair, starts working jobs,
// and from then on inserts each next period's at its start, until Stop or
// ctx ends. Every instance inserts them: river's unique jobs keep one per
// pair and period, so a schedule needs no leader and a killed instance
// delays no period.
func (f *Fleet) Start(ctx context.Context) error {
	if err := f.insertSyncs(ctx); err != nil {
		return fmt.Errorf("fleet: start: %w", err)
	}
	if err := f.river.Start(ctx); err != nil {
		return fmt.Errorf("fleet: start: %w", err)
	}
	sctx, cancel := context.WithCancel(ctx)
	f.stopSchedule, f.scheduleDone = cancel, make(chan struct{})
	go f.schedule(sctx)
	return nil
}

// schedule inserts the pairs' sync jobs at the start of every period.
func (f *Fleet) schedule(ctx context.Context) {
	defer close(f.scheduleDone)
	for {
		now := time.Now()
		t := time.NewTimer(now.Truncate(f.cfg.syncEvery).Add(f.cfg.syncEvery).Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if err := f.insertSyncs(ctx); err != nil && ctx.Err() == nil {
			f.cfg.logger.Warn("fleet: insert the period's syncs", "error", err)
		}
	}
}

// insertSyncs inserts every pair's sync job of this period, in one batch.
func (f *Fleet) insertSyncs(ctx context.Context) error {
	batch := make([]river.InsertManyParams, len(f.names))
	for i, name := range f.names {
		batch[i] = river.InsertManyParams{Args: SyncArgs{Pair: name}, InsertOpts: f.syncOpts(name)}
	}
	if _, err := f.river.InsertMany(ctx, batch); err != nil {
		return fmt.Errorf("insert the sync jobs: %w", err)
	}
	return nil
}

// Stop stops the schedule and fetching jobs, and waits for the running
// ones to finish, or for ctx to end (then they are cancelled, and river
// runs them again).
func (f *Fleet) Stop(ctx context.Context) error {
	if f.stopSchedule != nil {
		f.stopSchedule()
		<-f.scheduleDone
	}
	if err := f.river.Stop(ctx); err != nil {
		return fmt.Errorf("fleet: stop: %w", err)
	}
	return nil
}

// Pairs lists the pairs' names in the order New was given them.
func (f *Fleet) Pairs() []string { return slices.Clone(f.names) }

// SyncNow inserts a full sync of pair, to run at once on any instance
// (unless one is already waiting in this period).
func (f *Fleet) SyncNow(ctx context.Context, pair string) error {
	if _, ok := f.pairs[pair]; !ok {
		return fmt.Errorf("fleet: sync %q: no such pair", pair)
	}
	if _, err := f.river.Insert(ctx, SyncArgs{Pair: pair}, f.syncOpts(pair)); err != nil {
		return fmt.Errorf("fleet: sync %q: insert the job: %w", pair, err)
	}
	return nil
}

// River is the fleet's river client, for what the fleet does not wrap
// (subscriptions, job lists, a UI).
func (f *Fleet) River() *river.Client[pgx.Tx] { return f.river }

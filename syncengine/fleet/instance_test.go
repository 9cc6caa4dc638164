package fleet_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/fleet"
	"github.com/rostersync/rostersync/syncengine/pgstore"
)

// envInstance makes the test binary an instance of the multi-instance
// test: its value is the instance's configuration, as JSON.
const envInstance = "ROSTERSYNC_FLEET_INSTANCE"

// webhookKey is the BambooHR webhook key of the test's pairs.
const webhookKey = "6f1c3a9e0b7d4e25a8c2f0d9b1e7a346"

// instanceConfig is what the parent test tells an instance.
type instanceConfig struct {
	Name        string
	URL         string // PostgreSQL
	StoreSchema string
	RiverSchema string
	Lease       time.Duration
	SyncEvery   time.Duration
	Pairs       []pairConfig
	// BudgetBurst, when not 0, sends each pair's Litmos calls through a
	// fleet.Budget of its key with this burst and a refill of one an
	// hour: the tokens spent are then the calls made, by all instances.
	BudgetBurst int
}

// pairConfig is one pair of fakes (in the parent process) and its key.
type pairConfig struct {
	Name, HR, LMS, Key string
}

// instanceMain is an instance: a pgstore and a fleet over the pairs, and
// a webhook receiver per pair at /webhooks/<pair>. It prints "ADDR
// host:port" once it listens, starts working at a line on its stdin (so
// that the parent can start all instances at once), and runs until its
// stdin closes.
func instanceMain() int {
	var cfg instanceConfig
	if err := json.Unmarshal([]byte(os.Getenv(envInstance)), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "instance: config:", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", cfg.Name)
	if err := runInstance(cfg, log); err != nil {
		log.Error("instance failed", "error", err)
		return 1
	}
	return 0
}

func runInstance(cfg instanceConfig, log *slog.Logger) error {
	ctx := context.Background()
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return err
	}
	pc.MaxConns = 12
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return err
	}
	defer pool.Close()
	store, err := pgstore.New(ctx, pool, pgstore.WithSchema(cfg.StoreSchema), pgstore.WithHolder(cfg.Name),
		pgstore.WithLeaseDuration(cfg.Lease), pgstore.WithRenewInterval(cfg.Lease/4), pgstore.WithLogger(log))
	if err != nil {
		return err
	}
	var pairs []fleet.Pair
	for _, p := range cfg.Pairs {
		var rt http.RoundTripper
		if cfg.BudgetBurst > 0 {
			b, err := fleet.NewBudget(ctx, pool, cfg.RiverSchema, p.Key, fleet.Limit{Requests: 1, Per: time.Hour, Burst: cfg.BudgetBurst})
			if err != nil {
				return err
			}
			rt = b.Transport(nil)
		}
		e, err := pairEngine(p, store, rt)
		if err != nil {
			return err
		}
		defer e.Close()
		pairs = append(pairs, fleet.Pair{Engine: e, Key: p.Key})
	}
	fl, err := fleet.New(ctx, pool, pairs, fleet.WithSchema(cfg.RiverSchema), fleet.WithID(cfg.Name),
		fleet.WithSyncEvery(cfg.SyncEvery), fleet.WithDefaultConcurrency(1),
		fleet.WithLockWait(2*cfg.Lease, 100*time.Millisecond), fleet.WithPollInterval(100*time.Millisecond),
		fleet.WithJobTimeout(30*time.Second, 0), fleet.WithLogger(log))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	verifier := &bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret(webhookKey)}
	for _, p := range cfg.Pairs {
		h, err := fl.Webhook(p.Name, func(q syncengine.EventQueue) http.Handler { return verifier.Handler(bamboohr.Enqueue(q)) })
		if err != nil {
			return err
		}
		mux.Handle("/webhooks/"+p.Name, h)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("ADDR %s\n", ln.Addr())
	in := bufio.NewReader(os.Stdin)
	if _, err := in.ReadString('\n'); err != nil { // "go": every instance is up
		return nil
	}
	if err := fl.Start(ctx); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, in) // until the parent closes it
	stop, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(stop)
	return fl.Stop(stop)
}

// pairEngine is the BambooHR → Litmos preset on the pair's fakes and the
// shared store; rt, when not nil, carries the Litmos calls.
func pairEngine(p pairConfig, store syncengine.Store, rt http.RoundTripper) (*syncengine.Engine, error) {
	retry := bamboohr.RetryPolicy{MaxRetries: 3, MinWait: 5 * time.Millisecond, MaxWait: 50 * time.Millisecond}
	hr, err := bamboohr.New(bamboohrtest.DefaultSubdomain, bamboohrtest.DefaultAPIKey,
		bamboohr.WithBaseURL(p.HR), bamboohr.WithRetry(retry))
	if err != nil {
		return nil, err
	}
	opts := []litmos.Option{litmos.WithBaseURL(p.LMS), litmos.WithRateLimit(litmos.Limit{}), litmos.WithRetry(retry),
		litmos.WithBulkPoll(10 * time.Millisecond)}
	if rt != nil {
		opts = append(opts, litmos.WithHTTPClient(&http.Client{Transport: rt}))
	}
	lms, err := litmos.New(litmostest.APIKey, litmostest.Source, opts...)
	if err != nil {
		return nil, err
	}
	cfg, err := jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{})
	if err != nil {
		return nil, err
	}
	cfg.Store, cfg.Pair = store, p.Name
	return syncengine.New(cfg)
}

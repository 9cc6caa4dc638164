package fleet

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"
)

// Defaults of the options.
const (
	DefaultSchema      = "rostersync_river"
	DefaultSyncEvery   = time.Hour
	DefaultConcurrency = 2
	DefaultLockWait    = 45 * time.Second
	DefaultLockPoll    = 250 * time.Millisecond
	DefaultJobTimeout  = 10 * time.Minute
)

// Option configures New. An option given a bad value makes New fail with
// an error naming it.
type Option func(*options) error

type options struct {
	schema      string
	syncEvery   time.Duration
	concurrency map[string]int
	defaultConc int
	lockWait    time.Duration
	lockPoll    time.Duration
	jobTimeout  time.Duration
	rescueAfter time.Duration
	pollEvery   time.Duration
	migrate     bool
	id          string
	logger      *slog.Logger
}

func defaultOptions() options {
	return options{schema: DefaultSchema, syncEvery: DefaultSyncEvery, concurrency: map[string]int{},
		defaultConc: DefaultConcurrency, lockWait: DefaultLockWait, lockPoll: DefaultLockPoll,
		jobTimeout: DefaultJobTimeout, migrate: true,
		logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// schemaName is what WithSchema accepts, as pgstore.WithSchema does.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

func checkSchema(name string) error {
	switch {
	case !schemaName.MatchString(name):
		return fmt.Errorf("fleet: schema name %q: use lower-case letters, digits and underscores, not starting with a digit", name)
	case len(name) > 63:
		return fmt.Errorf("fleet: schema name %q: longer than PostgreSQL's 63 bytes", name)
	case strings.HasPrefix(name, "pg_"):
		return fmt.Errorf("fleet: schema name %q: names starting with pg_ are PostgreSQL's", name)
	}
	return nil
}

// keyName is what a vendor key may be called: it is also the name of its
// river queue, so river's rule for queue names applies.
var keyName = regexp.MustCompile(`^[a-z0-9]+(?:[_-]?[a-z0-9]+)*$`)

func checkKey(key string) error {
	if !keyName.MatchString(key) || len(key) > 64 {
		return fmt.Errorf("fleet: vendor key name %q: use lower-case letters and digits, with single - or _ between them, at most 64 bytes (it names a queue; never put the API key itself here)", key)
	}
	return nil
}

// WithSchema sets the PostgreSQL schema of river's tables and the budget
// table (default DefaultSchema). It may be the pgstore schema or one of
// its own; every instance of a fleet must use the same one.
func WithSchema(name string) Option {
	return func(o *options) error {
		if err := checkSchema(name); err != nil {
			return err
		}
		o.schema = name
		return nil
	}
}

// WithSyncEvery sets how often each pair gets a full sync (default
// DefaultSyncEvery). Each period has one sync job per pair, unique by
// pair and period across the fleet; Start inserts the current period's.
func WithSyncEvery(d time.Duration) Option {
	return func(o *options) error {
		if d < time.Second {
			return fmt.Errorf("fleet: sync every %v: want at least 1s", d)
		}
		o.syncEvery = d
		return nil
	}
}

// WithConcurrency sets how many jobs of pairs on vendor key may run at
// once in this instance (default WithDefaultConcurrency). Instances add
// up: three instances with 2 each run up to 6 jobs on one key; a Budget
// is what caps the key's calls across all of them.
func WithConcurrency(key string, n int) Option {
	return func(o *options) error {
		if err := checkKey(key); err != nil {
			return err
		}
		if n < 1 {
			return fmt.Errorf("fleet: concurrency of %q: %d, want at least 1", key, n)
		}
		o.concurrency[key] = n
		return nil
	}
}

// WithDefaultConcurrency sets the concurrency of keys WithConcurrency does
// not name (default DefaultConcurrency).
func WithDefaultConcurrency(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("fleet: default concurrency %d: want at least 1", n)
		}
		o.defaultConc = n
		return nil
	}
}

// WithLockWait sets how long a job waits for a pair another instance
// holds (its run, or a dead holder's lease running out) before it gives
// way: a sync job then ends (the holder is syncing the pair), an event or
// due job is snoozed and tried again. Set it above the pgstore lease
// duration, so that the job waiting takes a dead holder's pair over
// (default DefaultLockWait: one and a half of pgstore's default lease).
// poll is how often it tries the lock meanwhile (default DefaultLockPoll).
// A waiting job holds one of its key's workers.
func WithLockWait(wait, poll time.Duration) Option {
	return func(o *options) error {
		if wait < 0 || poll <= 0 {
			return fmt.Errorf("fleet: lock wait %v, poll %v: want wait >= 0 and poll > 0", wait, poll)
		}
		o.lockWait, o.lockPoll = wait, poll
		return nil
	}
}

// WithJobTimeout sets the longest a job may run (default
// DefaultJobTimeout), and rescueAfter how long a job may stay running
// before river takes it for lost (its instance died) and runs it again
// (0: the timeout plus a minute). rescueAfter must exceed the timeout.
func WithJobTimeout(timeout, rescueAfter time.Duration) Option {
	return func(o *options) error {
		if rescueAfter == 0 {
			rescueAfter = timeout + time.Minute
		}
		if timeout <= 0 || rescueAfter <= timeout {
			return fmt.Errorf("fleet: job timeout %v, rescue after %v: want a timeout > 0 and rescue after it", timeout, rescueAfter)
		}
		o.jobTimeout, o.rescueAfter = timeout, rescueAfter
		return nil
	}
}

// WithPollInterval sets how often an instance looks for jobs besides
// river's notifications (river's FetchPollInterval, default 1 s).
func WithPollInterval(d time.Duration) Option {
	return func(o *options) error {
		if d < time.Millisecond {
			return fmt.Errorf("fleet: poll interval %v: want at least 1ms", d)
		}
		o.pollEvery = d
		return nil
	}
}

// WithoutMigrate makes New check nothing and create nothing: the schema
// was migrated by a deploy step (Migrate).
func WithoutMigrate() Option {
	return func(o *options) error { o.migrate = false; return nil }
}

// WithID names this instance in river's tables (default river's: host
// name and time).
func WithID(id string) Option {
	return func(o *options) error {
		if id == "" || len(id) > 100 {
			return fmt.Errorf("fleet: instance id %q: want 1 to 100 bytes", id)
		}
		o.id = id
		return nil
	}
}

// WithLogger receives one record per job that fails or gives way, and
// river's own warnings (default: nothing is logged).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("fleet: logger is nil")
		}
		o.logger = l
		return nil
	}
}

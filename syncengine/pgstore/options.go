package pgstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rostersync/rostersync/syncengine"
)

// Defaults of the options.
const (
	DefaultSchema        = "rostersync"
	DefaultLeaseDuration = 30 * time.Second
	// DefaultRenewInterval is a third of DefaultLeaseDuration: a lease
	// survives two renewals that fail in a row (a database restart).
	DefaultRenewInterval = 10 * time.Second
)

// Option configures New. An option given a bad value makes New fail with
// an error naming it.
type Option func(*options) error

type options struct {
	schema   string
	keepRuns int
	lease    time.Duration
	renew    time.Duration // 0: lease / 3
	holder   string
	logger   *slog.Logger

	// Test hooks: the clock of local deadlines, the renewal ticker, a
	// report after each renewal, and the migrations to apply.
	now        func() time.Time
	ticker     func(d time.Duration) (<-chan time.Time, func())
	afterRenew func(pair string, err error)
	migrations fs.FS
}

func defaultOptions() options {
	return options{schema: DefaultSchema, keepRuns: syncengine.DefaultKeepRuns, lease: DefaultLeaseDuration,
		holder: defaultHolder(), logger: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now,
		ticker: realTicker, migrations: embeddedMigrations}
}

// schemaName is what WithSchema accepts: an unquoted PostgreSQL identifier
// in lower case, so that psql users can name it without quotes.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// WithSchema sets the PostgreSQL schema that holds the store's tables
// (default DefaultSchema). New creates it when it does not exist. Two
// stores on different schemas share nothing, not even locks. The name is
// lower-case letters, digits and underscores, not starting with a digit or
// "pg_", at most 63 bytes.
func WithSchema(name string) Option {
	return func(o *options) error {
		switch {
		case !schemaName.MatchString(name):
			return fmt.Errorf("schema name %q: use lower-case letters, digits and underscores, not starting with a digit", name)
		case len(name) > 63:
			return fmt.Errorf("schema name %q: longer than PostgreSQL's 63 bytes", name)
		case strings.HasPrefix(name, "pg_"):
			return fmt.Errorf("schema name %q: names starting with pg_ are PostgreSQL's", name)
		}
		o.schema = name
		return nil
	}
}

// WithKeepRuns sets how many runs of each pair's history the store keeps,
// the most recent ones (default syncengine.DefaultKeepRuns); n < 1 keeps
// every run.
func WithKeepRuns(n int) Option {
	return func(o *options) error { o.keepRuns = n; return nil }
}

// WithLeaseDuration sets how long a pair's lock lasts unless renewed
// (default DefaultLeaseDuration): the longest time a pair stays locked
// after its holder died, and the longest a holder may fail to reach the
// database before it loses the lock. At least a second.
func WithLeaseDuration(d time.Duration) Option {
	return func(o *options) error {
		if d < time.Second {
			return fmt.Errorf("lease duration %v: want at least 1s", d)
		}
		o.lease = d
		return nil
	}
}

// WithRenewInterval sets how often a holder renews its lease (default a
// third of the lease duration). It must be shorter than the lease.
func WithRenewInterval(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("renew interval %v: want more than 0", d)
		}
		o.renew = d
		return nil
	}
}

// WithHolder names this store in the lease table and in the ErrLocked
// errors other instances get (default host name, process id and a random
// suffix). It is for people reading; the fencing token, not the name, is
// what a write is checked against.
func WithHolder(name string) Option {
	return func(o *options) error {
		if name == "" || !utf8.ValidString(name) || strings.ContainsRune(name, 0) || len(name) > 200 {
			return fmt.Errorf("holder name %q: want 1 to 200 bytes of UTF-8 text", name)
		}
		o.holder = name
		return nil
	}
}

// WithLogger receives a warning when a lease renewal fails and an error
// record when a lease is lost (default: nothing is logged).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("logger is nil")
		}
		o.logger = l
		return nil
	}
}

// check checks the options against each other and fills in the renew
// interval.
func (o *options) check() error {
	if o.renew == 0 {
		o.renew = o.lease / 3
	}
	if o.renew >= o.lease {
		return fmt.Errorf("renew interval %v: want it shorter than the lease duration %v", o.renew, o.lease)
	}
	return nil
}

func defaultHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), randomHex(4))
}

func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

package bamboohrlitmos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// Pair is the name under which the job keeps its state in the Store.
const Pair = "bamboohr->litmos"

// DefaultThreshold stops a full or webhook-driven run that would deactivate
// more than 10 learners at once: a checkbox filter gone wrong must not
// switch off the company. A reviewed plan goes through with
// Plan.AllowDeactivations.
var DefaultThreshold = syncengine.Threshold{MaxCount: 10}

// Config configures a Job. BambooHR and Litmos are required.
type Config struct {
	BambooHR *bamboohr.Client
	Litmos   *litmos.Client

	// Store keeps links, run history and the lock between runs. Nil opens
	// the file store (syncengine.OpenFileStore) in StateDir.
	Store syncengine.Store
	// StateDir is the directory of the default file store; "" means
	// rostersync/bamboohr-<subdomain>-litmos under os.UserConfigDir, one
	// directory per BambooHR company. Ignored when Store is set.
	StateDir string

	// AccessField is the BambooHR checkbox that puts an employee in scope,
	// by label, alias or numeric id; default "Litmos Access".
	AccessField string
	// Map maps an employee to a learner; default the "bamboohr-litmos"
	// preset (work email → UserName and Email, names, phones, address,
	// job title, employee id → ExternalEmployeeId, and AccessLevel Learner
	// on create only). Create-only rules ("when": "create"), constant or
	// read from the employee, are written when a learner is created and
	// never compared again (the engine honours mapping.Map's CreateOnly),
	// so an admin's later change in Litmos stays.
	Map *mapping.Map
	// OutOfScope says what happens to a learner whose employee loses
	// Litmos Access (or is deleted from BambooHR). Default
	// syncengine.DeactivateOutOfScope: the learner is deactivated, never
	// deleted. syncengine.IgnoreOutOfScope leaves the learner alone.
	OutOfScope syncengine.OutOfScopePolicy
	// Threshold caps deactivations per run; the zero value means
	// DefaultThreshold. To turn the cap off set MaxPercent to 100 (and
	// MaxCount to 0).
	Threshold syncengine.Threshold
	// SendWelcome lets Litmos email new learners a welcome message.
	// Default: creating a learner sends no email.
	SendWelcome bool
	// SkipFirstLogin spares new learners the forced password set (SSO).
	SkipFirstLogin bool
	// Concurrency bounds parallel writes; default 4. All Litmos calls
	// share the client's rate limiter, so more is not faster.
	Concurrency int
	// OnProgress is called after each step of a run's apply: each learner
	// written, then each learner whose manager is written (see
	// syncengine.Config.OnProgress); done reaches total at the end.
	OnProgress func(done, total int, o syncengine.Outcome)
	// OnPhase is called when a pass of a run's apply starts: the learners,
	// then their managers (syncengine.PhaseReferences), with its step count.
	OnPhase func(p syncengine.Phase, steps int)
	// OnFinish is called with the report of every run (Apply, Sync,
	// SyncEmployees, webhooks), e.g. to log or notify.
	OnFinish func(*Report)
	// Logger receives the engine's debug records; nil logs nothing.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Job is the BambooHR → Litmos sync. It is safe for concurrent use: runs
// of one Job wait for each other (so simultaneous webhook deliveries queue),
// and the store's lock keeps runs of other processes apart (one that finds
// the pair locked fails with an error wrapping syncengine.ErrLocked).
type Job struct {
	cfg    Config
	eng    *syncengine.Engine
	hr     *bamboohr.Connector
	people *people
	closer func() error
	// turn admits one run at a time.
	turn chan struct{}
}

// New checks cfg and returns a Job. It makes no API call: an unknown
// access field is reported by the first Plan or Sync.
func New(cfg Config) (*Job, error) {
	if cfg.BambooHR == nil || cfg.Litmos == nil {
		return nil, errors.New("bamboohrlitmos: Config.BambooHR and Config.Litmos are required")
	}
	if err := defaults(&cfg); err != nil {
		return nil, err
	}
	j := &Job{people: newPeople(), closer: func() error { return nil }, turn: make(chan struct{}, 1)}
	if cfg.Store == nil {
		fs, err := syncengine.OpenFileStore(cfg.StateDir)
		if err != nil {
			return nil, fmt.Errorf("bamboohrlitmos: open state directory: %w", err)
		}
		cfg.Store, j.closer = fs, fs.Close
	}
	j.cfg = cfg
	j.hr = bamboohr.NewConnector(cfg.BambooHR, bamboohr.ConnectorOptions{
		AccessField: cfg.AccessField, Now: cfg.Now, Logger: cfg.Logger})
	lms := litmos.NewConnector(cfg.Litmos, litmos.ConnectorOptions{
		SendMessages: cfg.SendWelcome, SkipFirstLogin: cfg.SkipFirstLogin, Now: cfg.Now})
	eng, err := syncengine.New(j.engineConfig(cfg, lms))
	if err != nil {
		_ = j.closer()
		return nil, fmt.Errorf("bamboohrlitmos: %w", err)
	}
	j.eng = eng
	return j, nil
}

func defaults(cfg *Config) error {
	if cfg.AccessField == "" {
		cfg.AccessField = bamboohr.DefaultAccessField
	}
	if cfg.Map == nil {
		m, err := mapping.Preset(mapping.PresetBambooHRLitmos)
		if err != nil {
			return fmt.Errorf("bamboohrlitmos: preset map: %w", err)
		}
		cfg.Map = m
	}
	if cfg.OutOfScope == "" {
		cfg.OutOfScope = syncengine.DeactivateOutOfScope
	}
	if cfg.Threshold == (syncengine.Threshold{}) {
		cfg.Threshold = DefaultThreshold
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Store == nil && cfg.StateDir == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fmt.Errorf("bamboohrlitmos: no Store, no StateDir and no user config directory: %w", err)
		}
		cfg.StateDir = DefaultStateDir(dir, cfg.BambooHR.Subdomain())
	}
	return nil
}

// DefaultStateDir is the state directory New uses when Config gives
// neither a Store nor a StateDir: base/rostersync/bamboohr-<subdomain>-litmos,
// where base is os.UserConfigDir.
func DefaultStateDir(base, subdomain string) string {
	return filepath.Join(base, "rostersync", "bamboohr-"+subdomain+"-litmos")
}

func (j *Job) engineConfig(cfg Config, lms *litmos.Connector) syncengine.Config {
	return syncengine.Config{
		A:         &recorder{Connector: j.hr, side: syncengine.SideA, people: j.people},
		B:         &recorder{Connector: lms, side: syncengine.SideB, people: j.people},
		Store:     cfg.Store,
		Pair:      Pair,
		Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{
			Collection: syncengine.Users,
			AToB: syncengine.Rules{
				// mapping.Map is a syncengine.CreateOnlyMap: its
				// create-only targets are written on create only.
				Map: cfg.Map,
				// The work email is the username, matched case-insensitively.
				Match: []syncengine.MatchKey{{Field: "UserName", Fold: true}},
				// Get returns employees without Litmos Access too: the
				// same scope for full and webhook-driven syncs.
				Scope:  j.hr.InScope,
				Create: true, Update: true, Deactivate: true, Reactivate: true,
				Refs: true,
			},
		}},
		OutOfScope:  cfg.OutOfScope,
		Threshold:   cfg.Threshold,
		Concurrency: cfg.Concurrency,
		OnProgress:  cfg.OnProgress,
		OnPhase:     cfg.OnPhase,
		Logger:      cfg.Logger,
		Now:         cfg.Now,
	}
}

// Close releases the file store the Job opened (nothing when the Store
// was given in Config).
func (j *Job) Close() error { return j.closer() }

// Plan reads every employee with Litmos Access and every Litmos user and
// returns what a sync would do, writing nothing. Print it (String), review
// it, or list it per employee with Preview.
func (j *Job) Plan(ctx context.Context) (*syncengine.Plan, error) {
	p, err := j.eng.Plan(ctx)
	if err != nil {
		return nil, fmt.Errorf("bamboohrlitmos: plan: %w", err)
	}
	return p, nil
}

// Apply carries out a reviewed plan: all of it, or with only, just the
// changes of the BambooHR employees with those ids ("import selected
// employees"). An id the plan does not hold is an error and nothing is
// applied. A plan held back by the deactivation threshold is refused with
// an error wrapping syncengine.ErrThresholdExceeded (narrow it with only,
// or release it with Plan.AllowDeactivations).
func (j *Job) Apply(ctx context.Context, p *syncengine.Plan, only ...string) (*Report, error) {
	if p == nil {
		return nil, errors.New("bamboohrlitmos: apply: nil plan")
	}
	if len(only) > 0 {
		if missing := p.Unknown(only...); len(missing) > 0 {
			return nil, fmt.Errorf("bamboohrlitmos: apply: employee ids not in the plan (no Litmos Access, or unknown): %s",
				strings.Join(missing, ", "))
		}
		p = p.Only(only...)
	}
	if err := j.wait(ctx); err != nil {
		return nil, fmt.Errorf("bamboohrlitmos: apply: %w", err)
	}
	defer j.done()
	rep, err := j.eng.Apply(ctx, p)
	return j.finish(rep, err, "apply")
}

// Sync plans and applies in one call under the store's lock. When the plan
// exceeds the deactivation threshold nothing is deactivated and the error
// wraps syncengine.ErrThresholdExceeded; the report then says what was held.
func (j *Job) Sync(ctx context.Context) (*Report, error) {
	if err := j.wait(ctx); err != nil {
		return nil, fmt.Errorf("bamboohrlitmos: sync: %w", err)
	}
	defer j.done()
	rep, err := j.eng.Sync(ctx)
	return j.finish(rep, err, "sync")
}

// SyncEmployees syncs just the named BambooHR employees, as a webhook asks:
// it reads each one's current record (the webhook payload is not trusted),
// applies the same scope and rules as Sync (an employee whose Litmos Access
// box was unticked is handled by the OutOfScope policy; an inactive or
// terminated one is deactivated) and writes through the same plan and
// apply.
func (j *Job) SyncEmployees(ctx context.Context, ids []string) (*Report, error) {
	if err := j.wait(ctx); err != nil {
		return nil, fmt.Errorf("bamboohrlitmos: sync employees: %w", err)
	}
	defer j.done()
	rep, err := j.eng.SyncIDs(ctx, syncengine.SideA, syncengine.Users, ids)
	return j.finish(rep, err, "sync employees")
}

// wait takes the Job's turn to run, or gives up when ctx ends.
func (j *Job) wait(ctx context.Context) error {
	select {
	case j.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (j *Job) done() { <-j.turn }

func (j *Job) finish(rep *syncengine.Report, err error, op string) (*Report, error) {
	var out *Report
	if rep != nil {
		out = j.report(rep)
		if j.cfg.OnFinish != nil {
			j.cfg.OnFinish(out)
		}
	}
	if err != nil {
		return out, fmt.Errorf("bamboohrlitmos: %s: %w", op, err)
	}
	return out, nil
}

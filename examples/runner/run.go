package runner

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"golang.org/x/term"
)

// Exit statuses of Run.
const (
	ExitOK      = 0 // done
	ExitError   = 1 // the run failed, a write failed, or a held plan was not applied
	ExitUsage   = 2 // usage or configuration error: nothing was written
	ExitPending = 3 // -detailed-exitcode: a plan run found changes to apply
)

// errPending ends a -detailed-exitcode plan run that found changes.
var errPending = errors.New("changes pending")

// Main runs p with the process's arguments and environment, stopping
// cleanly on Ctrl-C, and exits with Run's status.
func Main(p *Program) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, p, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run runs p with args (without the program name) and the environment
// getenv reads, printing to stdout and stderr, and returns the exit
// status (ExitOK, ExitError, ExitUsage, ExitPending). Temporary files go
// to getenv("TMPDIR"), or the system's temp directory when it is empty.
func Run(ctx context.Context, p *Program, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	f, ok := stderr.(*os.File)
	onTerm := ok && term.IsTerminal(int(f.Fd()))
	errw := &syncWriter{w: stderr}
	r := &run{p: p, env: Env{getenv}, stdout: stdout, stderr: errw, prog: newProgress(errw, onTerm, p.Nouns)}
	err := r.main(ctx, args)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		r.usage(stderr)
		return ExitOK
	case errors.Is(err, errPending):
		return ExitPending
	}
	fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
	if errors.Is(err, syncengine.ErrStateCorrupt) {
		fmt.Fprint(stderr, r.repairHint())
	}
	if errors.Is(err, ErrUsage) || errors.Is(err, syncengine.ErrUnknownField) || errors.Is(err, syncengine.ErrConfig) ||
		errors.Is(err, syncengine.ErrWrongPlan) {
		return ExitUsage
	}
	return ExitError
}

// run is one invocation of a program.
type run struct {
	p              *Program
	env            Env
	stdout, stderr io.Writer
	fs             *flag.FlagSet // for the usage text
	fakes          func(context.Context) (*Fake, error)

	o       *options
	out     io.Writer // the human text: stdout, or stderr when stdout carries a report
	eng     *syncengine.Engine
	cfg     syncengine.Config // eng's
	prog    *progress
	users   *mapping.Map // -map
	fake    *Fake        // nil on real accounts
	applied bool         // the first plan was applied without error
	report  *reportFile  // -report, or the default report of an apply

	modeVals map[string]func() string // the values of Program.Modes' flags
}

func (r *run) main(ctx context.Context, args []string) error {
	o, err := r.parse(args)
	if err != nil {
		return err
	}
	r.o = o
	if m, err := r.mode(); err != nil || m != nil {
		return r.runMode(ctx, m, err)
	}
	if r.users, err = r.loadMap(); err != nil {
		return err
	}
	if o.printMap {
		return r.printMap()
	}
	real, err := realAccounts(r.p.Vars, r.env)
	if err != nil {
		return err
	}
	if err := r.checkMode(real); err != nil {
		return err
	}
	r.out = &syncWriter{w: r.stdout}
	if o.machine() {
		r.out = r.stderr
	}
	if err := checkStateFlag(o.state); err != nil {
		return err
	}
	if o.repair {
		return r.repairRun(ctx, real)
	}
	// The report's file is made sure of before anything is written.
	if o.report != "" || (o.apply && o.serve == "") {
		if r.report, err = openReport(o.report, r.tempDir(), r.p.Name, r.stdout); err != nil {
			return err
		}
		defer r.report.abort()
	}
	if real {
		return r.realRun(ctx)
	}
	return r.fakeRun(ctx)
}

// checkMode refuses what has no effect in this mode.
func (r *run) checkMode(real bool) error {
	o := r.o
	if real {
		for _, n := range o.fakeOnly {
			if o.set[n] {
				return Usagef("-%s applies to the built-in fakes only; it has no effect with real accounts", n)
			}
		}
	}
	if w := r.p.Webhook; w != nil {
		if o.serve != "" && r.env.Get(w.KeyVar) == "" {
			return Usagef("-serve needs %s, the webhook's private key from %s", w.KeyVar, r.p.Source)
		}
		if o.serve == "" && r.env.Get(w.KeyVar) != "" {
			fmt.Fprintf(r.stderr, "%s: note: %s is set, but only -serve uses it\n", r.p.Name, w.KeyVar)
		}
	}
	return nil
}

func (r *run) realRun(ctx context.Context) error {
	pair, err := r.p.Real(ctx, r.env, r.stderr)
	if err != nil {
		return err
	}
	if err := r.openEngine(pair, r.o.state); err != nil {
		return err
	}
	defer r.eng.Close()
	fmt.Fprintf(r.out, "%s. State: %s\n\n", pair.About, r.eng.StateDir())
	return r.dispatch(ctx)
}

func (r *run) fakeRun(ctx context.Context) error {
	o := r.o
	tour := o.apply && len(o.only) == 0 && o.planIn == "" && !o.json && o.serve == ""
	if o.leavers != 0 && !tour {
		return Usagef("-fake-leavers: people leave during the tour, which only an -apply of the whole plan runs (no -only, -plan, -json or -serve)")
	}
	fake, err := r.fakes(ctx)
	if err != nil {
		return err
	}
	if fake.Close != nil {
		defer fake.Close()
	}
	if o.leavers < 0 || o.leavers > fake.Leavers || (o.leavers > 0 && fake.Leave == nil) {
		return Usagef("-fake-leavers: %d is out of range [0, %d]", o.leavers, fake.Leavers)
	}
	if !tour && !o.watch {
		fake.Tour = nil
	}
	r.fake = fake
	state := o.state
	if state == "" {
		work, err := os.MkdirTemp(r.tempDir(), "rostersync-"+r.p.Name+"-")
		if err != nil {
			return err
		}
		// The fakes vanish with the process, and so does their state.
		defer os.RemoveAll(work)
		state = filepath.Join(work, "state")
	}
	if err := r.openEngine(&fake.Pair, state); err != nil {
		return err
	}
	defer r.eng.Close()
	if o.state != "" {
		if err := r.checkFreshState(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(r.out, "No credentials in the environment: running on in-process fakes of %s and %s,\n%s\n",
		r.p.Source, r.p.Target, fake.About)
	fmt.Fprintf(r.out, "State: %s (file store: the links between %ss and %ss)\n\n", state, r.p.Nouns.Source, r.p.Nouns.Target)
	return r.dispatch(ctx)
}

func (r *run) openEngine(pair *Pair, state string) error {
	cfg, err := pair.Config(r.users)
	if err != nil {
		return err
	}
	cfg.StateDir, cfg.OnProgress, cfg.OnPhase = state, r.prog.onProgress, r.prog.onPhase
	if r.p.Sensitive != "" {
		cfg.ShowSensitive = r.o.showSensitive
	}
	r.cfg = cfg
	r.eng, err = syncengine.New(cfg)
	return err
}

// dispatch runs the mode the flags chose.
func (r *run) dispatch(ctx context.Context) error {
	switch {
	case r.o.watch:
		return r.watch(ctx)
	case r.o.serve != "":
		return r.serve(ctx)
	case r.o.planIn != "":
		p, err := r.loadPlan()
		if err != nil {
			return err
		}
		return r.review(ctx, p, true)
	}
	p, err := r.eng.Plan(ctx)
	if err != nil {
		return err
	}
	if err := r.review(ctx, p, true); err != nil {
		return err
	}
	if r.applied && len(r.o.only) > 0 {
		return r.rest(ctx)
	}
	return r.tour(ctx)
}

func (r *run) tempDir() string {
	if d := r.env.Get("TMPDIR"); d != "" {
		return d
	}
	return os.TempDir()
}

// syncWriter serialises writes from concurrent webhook runs.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

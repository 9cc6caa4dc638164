package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/rostersync/rostersync/syncengine"
)

// repairRun is -state-repair: it checks the pair's files in the state
// directory and prints what syncengine.RepairFileStore would do (a dry
// run); with -apply it does it, moving the damaged files aside so that
// the next run starts afresh and links records again by matching.
func (r *run) repairRun(ctx context.Context, real bool) error {
	for _, n := range r.o.fakeOnly {
		if r.o.set[n] {
			return Usagef("-%s has no effect with -state-repair", n)
		}
	}
	pair, done, err := r.repairPair(ctx, real)
	if err != nil {
		return err
	}
	defer done()
	cfg, err := pair.Config(nil)
	if err != nil {
		return err
	}
	dir, err := stateDir(cfg, r.o.state)
	if err != nil {
		return err
	}
	name := pairName(cfg)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		fmt.Fprintf(r.out, "State %s does not exist: there is nothing to repair.\n", dir)
		return nil
	}
	rep, err := syncengine.RepairFileStore(dir, name, syncengine.RepairOptions{Apply: r.o.apply})
	if errors.Is(err, syncengine.ErrLocked) {
		return fmt.Errorf("-state-repair: another run holds the state (stop it first): %w", err)
	}
	if err != nil {
		return fmt.Errorf("-state-repair: %w", err)
	}
	fmt.Fprint(r.out, rep)
	switch {
	case rep.Moved:
		fmt.Fprintf(r.out, "\nRepaired. Plan again (%s%s) to see the links the next run rebuilds by matching.\n",
			r.p.Name, stateArg(r.o.state))
	case len(rep.Files) == 0 || rep.Damage == nil:
		fmt.Fprintln(r.out, "\nNothing to repair.")
	default:
		fmt.Fprintf(r.out, "\nDry run: nothing was moved. To repair, run %s -state-repair%s -apply\n",
			r.p.Name, stateArg(r.o.state))
	}
	return nil
}

// repairPair builds the pair whose state is repaired: on real accounts as
// a run would (no call is made to either system's data), on the fakes
// only with -state, since their default state is a fresh directory.
func (r *run) repairPair(ctx context.Context, real bool) (*Pair, func(), error) {
	if real {
		p, err := r.p.Real(ctx, r.env, r.stderr)
		return p, func() {}, err
	}
	if r.o.state == "" {
		return nil, nil, Usagef("-state-repair on the built-in fakes needs -state DIR: their default state is a new temporary directory")
	}
	fake, err := r.fakes(ctx)
	if err != nil {
		return nil, nil, err
	}
	done := func() {}
	if fake.Close != nil {
		done = fake.Close
	}
	return &fake.Pair, done, nil
}

// stateDir is where an engine on cfg keeps its state: -state, or the
// engine's default directory.
func stateDir(cfg syncengine.Config, flagged string) (string, error) {
	if flagged != "" {
		return flagged, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", Usagef("-state-repair: no -state and no user config directory: %v", err)
	}
	return syncengine.DefaultStateDir(base, cfg.A.Name(), cfg.Instance, cfg.B.Name()), nil
}

// pairName is the name an engine on cfg gives the pair in its store (see
// syncengine.Config.Pair).
func pairName(cfg syncengine.Config) string {
	if cfg.Pair != "" {
		return cfg.Pair
	}
	name := cfg.A.Name() + "<->" + cfg.B.Name()
	if cfg.Instance != "" {
		name += "@" + cfg.Instance
	}
	return name
}

// stateArg is " -state DIR" when the run was given one, for commands the
// runner suggests.
func stateArg(dir string) string {
	if dir == "" {
		return ""
	}
	return " -state " + strconv.Quote(dir)
}

// repairHint tells the user what to do when the store refused its files.
func (r *run) repairHint() string {
	state := ""
	if r.o != nil {
		state = stateArg(r.o.state)
	}
	return fmt.Sprintf("%s: the state's files are damaged (the error names the file); nothing was written.\n"+
		"  See what a repair does (a dry run): %s -state-repair%s\n"+
		"  Then repair it: %s -state-repair%s -apply\n"+
		"  The repair moves the damaged files aside, deleting nothing; the next run links records again by matching.\n",
		r.p.Name, r.p.Name, state, r.p.Name, state)
}

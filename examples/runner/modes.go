package runner

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// Mode is a program's own mode: a flag that, when given, runs the mode
// instead of a sync (litmos-portal's -test-connection and -assign). The
// runner parses it with the other flags, refuses the flags the mode does
// not take, checks the environment as for a sync, builds the pair (Real,
// or the fakes) and hands it to the mode.
type Mode struct {
	// Flag is the flag's name. With Arg set the flag takes a value, shown
	// as Arg in the usage ("EMAIL=COURSE_ID"); without, it is a switch.
	Flag, Arg, Usage string
	// Takes lists the other flags that go with the mode ("db", "state",
	// "apply"); any other flag given with it is a usage error.
	Takes []string
	// Run runs the mode; an error wrapping ErrUsage (Usagef) exits 2.
	Run func(ctx context.Context, m ModeRun) error
}

// ModeRun is what a mode is given.
type ModeRun struct {
	// Value is the flag's value ("" for a switch).
	Value string
	// Real reports whether the environment names real accounts.
	Real bool
	// Apply and State are the -apply and -state flags.
	Apply          bool
	State          string
	Stdout, Stderr io.Writer
	pair           func(context.Context) (*Pair, error)
}

// Pair builds the pair, once, as a sync would: on the real accounts
// (Real), or on the fakes, which stop when the mode returns.
func (m ModeRun) Pair(ctx context.Context) (*Pair, error) { return m.pair(ctx) }

// Store builds the pair (Pair), opens the state store whose links a mode
// reads, and names the pair in it: -state, or on real accounts the engine's default directory;
// a new memory store when that directory does not exist, nothing being
// linked yet. Close it with the function returned.
func (m ModeRun) Store(ctx context.Context) (store syncengine.Store, pair string, close func(), err error) {
	p, err := m.Pair(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	cfg, err := p.Config(nil)
	if err != nil {
		return nil, "", nil, err
	}
	dir := m.State
	if dir == "" && m.Real {
		dir, _ = stateDir(cfg, "") // no user config directory: nothing linked there
	}
	if _, err := os.Stat(dir); dir == "" || err != nil {
		return syncengine.NewMemoryStore(), pairName(cfg), func() {}, nil
	}
	fs, err := syncengine.OpenFileStore(dir)
	if err != nil {
		return nil, "", nil, fmt.Errorf("-state %s: %w", dir, err)
	}
	return fs, pairName(cfg), func() { fs.Close() }, nil
}

// modeFlags registers the program's modes and keeps their values.
func (r *run) modeFlags(fs *flag.FlagSet) {
	r.modeVals = map[string]func() string{}
	for _, m := range r.p.Modes {
		if m.Arg == "" {
			on := fs.Bool(m.Flag, false, m.Usage)
			r.modeVals[m.Flag] = func() string { return map[bool]string{true: "true"}[*on] }
		} else {
			v := fs.String(m.Flag, "", "`"+m.Arg+"`: "+m.Usage)
			r.modeVals[m.Flag] = func() string { return *v }
		}
	}
}

// mode returns the mode the flags chose, nil for none; two at once, or a
// flag the mode does not take, is a usage error.
func (r *run) mode() (*Mode, error) {
	var chosen *Mode
	for i, m := range r.p.Modes {
		if !r.o.set[m.Flag] || (m.Arg == "" && r.modeVals[m.Flag]() == "") {
			continue
		}
		if chosen != nil {
			return nil, Usagef("-%s and -%s do not go together", chosen.Flag, m.Flag)
		}
		chosen = &r.p.Modes[i]
	}
	if chosen == nil {
		return nil, nil
	}
	for f := range r.o.set {
		if f != chosen.Flag && !slices.Contains(chosen.Takes, f) {
			if len(chosen.Takes) == 0 {
				return nil, Usagef("-%s takes no other flag, not -%s", chosen.Flag, f)
			}
			takes := "-" + strings.Join(chosen.Takes, ", -")
			if i := strings.LastIndex(takes, ", "); i >= 0 {
				takes = takes[:i] + " and" + takes[i+1:]
			}
			return nil, Usagef("-%s takes %s only, not -%s", chosen.Flag, takes, f)
		}
	}
	return chosen, nil
}

// runMode runs mode m once the environment is checked, unless choosing
// it failed with err.
func (r *run) runMode(ctx context.Context, m *Mode, err error) error {
	if err != nil {
		return err
	}
	real, err := realAccounts(r.p.Vars, r.env)
	if err != nil {
		return err
	}
	if err := checkStateFlag(r.o.state); err != nil {
		return err
	}
	var stop func()
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	var built *Pair
	return m.Run(ctx, ModeRun{Value: r.modeVals[m.Flag](), Real: real, Apply: r.o.apply, State: r.o.state,
		Stdout: r.stdout, Stderr: r.stderr, pair: func(ctx context.Context) (_ *Pair, err error) {
			switch {
			case built != nil:
			case real:
				built, err = r.p.Real(ctx, r.env, r.stderr)
			case r.fakes == nil:
				err = fmt.Errorf("%s has no fakes", r.p.Name)
			default:
				var fake *Fake
				if fake, err = r.fakes(ctx); err == nil {
					built, stop = &fake.Pair, fake.Close
				}
			}
			if err != nil {
				built = nil
			}
			return built, err
		}})
}

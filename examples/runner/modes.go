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
// not take, and checks the environment as for a sync.
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
	// Env is the environment; Real reports whether it names real accounts
	// (all the required variables set) rather than the fakes.
	Env  Env
	Real bool
	// Apply and State are the -apply and -state flags.
	Apply          bool
	State          string
	Stdout, Stderr io.Writer
}

// Store opens the state store whose links a mode reads: -state, or on
// real accounts the default directory of the pair a <-> b of instance (as
// syncengine.DefaultStateDir names it); a new memory store when that
// directory does not exist, nothing being linked yet. Close it with the
// function returned.
func (m ModeRun) Store(a, instance, b string) (syncengine.Store, func(), error) {
	dir := m.State
	if dir == "" && m.Real {
		if base, err := os.UserConfigDir(); err == nil {
			dir = syncengine.DefaultStateDir(base, a, instance, b)
		}
	}
	if _, err := os.Stat(dir); dir == "" || err != nil {
		return syncengine.NewMemoryStore(), func() {}, nil
	}
	fs, err := syncengine.OpenFileStore(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("-state %s: %w", dir, err)
	}
	return fs, func() { fs.Close() }, nil
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
	return m.Run(ctx, ModeRun{Value: r.modeVals[m.Flag](), Env: r.env, Real: real, Apply: r.o.apply, State: r.o.state,
		Stdout: r.stdout, Stderr: r.stderr})
}

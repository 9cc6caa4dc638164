package runner

import (
	"context"
	"fmt"
	"os"

	"github.com/rostersync/rostersync/syncengine"
)

// checkStateFlag refuses a -state that exists and is not a directory.
func checkStateFlag(dir string) error {
	if dir == "" {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return Usagef("-state %s is a file: give a directory (it is created if missing)", dir)
	}
	return nil
}

// checkFreshState refuses, on the fakes, a state directory that already
// links records. The fakes start empty on every run and hand out the same
// ids each time, so old links would point at records that do not exist,
// or at other people's once a few are created; and a real account's state
// directory must never take links to fake records.
func (r *run) checkFreshState(ctx context.Context) error {
	links, err := r.eng.Store().Links(ctx, r.eng.Pair(), syncengine.Users)
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if len(links) > 0 {
		return Usagef("-state %s already links %d %ss to %ss, but the built-in fakes start empty on every run: "+
			"give a new directory (with real accounts, -state keeps the links between runs)",
			r.o.state, len(links), r.p.Nouns.Source, r.p.Nouns.Target)
	}
	return nil
}

//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package syncengine

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// flockLocker locks with flock(2) on the lock file. The kernel releases
// the lock when its holder exits, however it exits, so no lock is ever
// stale. The file is left in place (removing it would race with the next
// locker) and holds the holder's pid, host and time for error messages.
type flockLocker struct {
	now func() time.Time
}

func defaultLocker(staleAge time.Duration, now func() time.Time) locker {
	return flockLocker{now: now}
}

func (l flockLocker) acquire(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s; lock file %s)", ErrLocked, readHolder(path), path)
		}
		return nil, err
	}
	b, _ := json.Marshal(currentHolder(l.now()))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(b, 0) // the holder is informational
	}
	return func() error {
		_ = f.Truncate(0)
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

// force cannot break a flock held by a live process; it reports ErrLocked
// then, and succeeds when the lock is free.
func (l flockLocker) force(path string) error {
	release, err := l.acquire(path)
	if err != nil {
		return err
	}
	return release()
}

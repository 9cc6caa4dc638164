package syncengine

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// lockHolder is what a lock file says about who holds it.
type lockHolder struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Since time.Time `json:"since"`
}

func (h lockHolder) String() string {
	if h.PID == 0 {
		return "holder unknown"
	}
	return fmt.Sprintf("held by pid %d on %s since %s", h.PID, h.Host, h.Since.UTC().Format(time.RFC3339))
}

func currentHolder(now time.Time) lockHolder {
	host, _ := os.Hostname()
	return lockHolder{PID: os.Getpid(), Host: host, Since: now}
}

func readHolder(path string) lockHolder {
	var h lockHolder
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &h) // best effort: the holder is only for the message
	}
	return h
}

// locker takes a cross-process lock named by a file path.
type locker interface {
	acquire(path string) (release func() error, err error)
	// force releases a lock left by a holder that is gone.
	force(path string) error
}

// exclLocker locks by creating the lock file with O_CREATE|O_EXCL and
// unlocks by removing it. A holder killed without unlocking leaves the file
// behind: it is broken when older than staleAge (if set) or by ForceUnlock.
// Used where flock(2) is not available.
type exclLocker struct {
	staleAge time.Duration
	now      func() time.Time
}

func (l exclLocker) acquire(path string) (func() error, error) {
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return l.hold(f, path)
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		h := readHolder(path)
		stale := l.staleAge > 0 && !h.Since.IsZero() && l.now().Sub(h.Since) > l.staleAge
		if !stale || attempt > 0 {
			return nil, fmt.Errorf("%w (%s; lock file %s)", ErrLocked, h, path)
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
}

func (l exclLocker) hold(f *os.File, path string) (func() error, error) {
	b, _ := json.Marshal(currentHolder(l.now()))
	_, err := f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() error { return os.Remove(path) }, nil
}

func (l exclLocker) force(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

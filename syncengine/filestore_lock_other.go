//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package syncengine

import "time"

func defaultLocker(staleAge time.Duration, now func() time.Time) locker {
	return exclLocker{staleAge: staleAge, now: now}
}

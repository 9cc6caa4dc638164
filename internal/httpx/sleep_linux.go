package httpx

import (
	"context"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// preciseSleep is sleepCtx to within tens of microseconds, for the
// limiter's waits under preciseBelow. Go's timers wake on the millisecond
// on Linux: the runtime's epoll_wait takes its timeout in milliseconds and
// rounds a shorter one up (golang/go#44343). At a high rate a Sliding
// window's slots free a fraction of a millisecond apart, so each wait
// would overshoot by up to a millisecond, every slot in every window; at
// 100 requests per 60ms that is one request in sixty lost. A timerfd
// (timerfd_create(2)) read through the runtime's poller wakes when the
// kernel's timer fires, with no thread blocked and no spinning. Where one
// cannot be had, it is sleepCtx.
func preciseSleep(ctx context.Context, d time.Duration) error {
	if d <= 0 || d >= preciseBelow {
		return sleepCtx(ctx, d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t := getTimer()
	if t == nil {
		return sleepCtx(ctx, d)
	}
	// Arming resets the count of expirations, so none left over can end
	// this wait early.
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	if err := unix.TimerfdSettime(t.fd, 0, &spec, nil); err != nil {
		t.f.Close()
		return sleepCtx(ctx, d)
	}
	stop := context.AfterFunc(ctx, func() { _ = t.f.SetReadDeadline(time.Unix(1, 0)) })
	var expirations [8]byte
	_, err := t.f.Read(expirations[:])
	if !stop() || err != nil {
		t.f.Close() // its read deadline may be set: not for another wait
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return sleepCtx(ctx, d)
	}
	putTimer(t)
	return nil
}

// timerfd is a timer file and its descriptor, kept apart because
// os.File.Fd would put the file in blocking mode, out of the poller.
type timerfd struct {
	f  *os.File
	fd int
}

// idleTimers keeps timerfds between waits, saving three syscalls a wait.
var idleTimers = make(chan *timerfd, 16)

func getTimer() *timerfd {
	select {
	case t := <-idleTimers:
		return t
	default:
	}
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil
	}
	return &timerfd{f: os.NewFile(uintptr(fd), "timerfd"), fd: fd}
}

func putTimer(t *timerfd) {
	select {
	case idleTimers <- t:
	default:
		t.f.Close()
	}
}

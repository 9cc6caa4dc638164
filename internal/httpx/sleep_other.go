//go:build !linux

package httpx

import (
	"context"
	"time"
)

// preciseSleep is sleepCtx: the Go runtime's timers are as precise as the
// platform's (see sleep_linux.go for Linux's millisecond).
func preciseSleep(ctx context.Context, d time.Duration) error { return sleepCtx(ctx, d) }

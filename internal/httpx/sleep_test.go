package httpx

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPreciseSleepNeverEarly: a wait ends no sooner than asked, whether
// its timer is new or reused after a finished wait, and a cancelled wait
// (whose timer is closed, not reused) leaves the next one whole: an early
// wake would let the limiter send into a full window.
func TestPreciseSleepNeverEarly(t *testing.T) {
	for range 20 {
		for _, d := range []time.Duration{30 * time.Microsecond, 400 * time.Microsecond, 3 * time.Millisecond} {
			start := time.Now()
			if err := preciseSleep(context.Background(), d); err != nil {
				t.Fatalf("preciseSleep(%v): %v", d, err)
			}
			if got := time.Since(start); got < d {
				t.Fatalf("preciseSleep(%v) returned after %v", d, got)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := preciseSleep(ctx, time.Millisecond); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled wait: %v, want context.Canceled", err)
		}
	}
}

// TestPreciseSleepCancelled: a context ending during a wait ends it with
// the context's error; the full wait would have returned nil.
func TestPreciseSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(time.Millisecond); cancel() }()
	if err := preciseSleep(ctx, preciseBelow-time.Millisecond); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if err := preciseSleep(ctx, preciseBelow-time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want context.DeadlineExceeded", err)
	}
}

// TestPreciseSleepLongWaits: a wait of preciseBelow or more goes to
// sleepCtx, and still ends with the context.
func TestPreciseSleepLongWaits(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := preciseSleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// BenchmarkSleepOvershoot reports how late each sleep function wakes for
// waits the size of a fast window's gaps between slots.
func BenchmarkSleepOvershoot(b *testing.B) {
	for _, fn := range []struct {
		name  string
		sleep func(context.Context, time.Duration) error
	}{{"sleepCtx", sleepCtx}, {"preciseSleep", preciseSleep}} {
		for _, d := range []time.Duration{200 * time.Microsecond, 2 * time.Millisecond} {
			b.Run(fn.name+"/"+d.String(), func(b *testing.B) {
				var late time.Duration
				for b.Loop() {
					start := time.Now()
					if err := fn.sleep(context.Background(), d); err != nil {
						b.Fatal(err)
					}
					late += time.Since(start) - d
				}
				b.ReportMetric(float64(late.Microseconds())/float64(b.N), "late-µs/op")
			})
		}
	}
}

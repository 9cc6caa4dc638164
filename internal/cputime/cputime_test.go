//go:build unix

package cputime

import (
	"testing"
	"time"
)

var sink uint64

// TestProcessCounts: busy work shows as CPU time, and the count never
// goes back.
func TestProcessCounts(t *testing.T) {
	t0 := Process()
	start := time.Now()
	var x uint64 = 1
	for time.Since(start) < 50*time.Millisecond {
		for range 10000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink = x
	t1 := Process()
	if t0 <= 0 || t1 <= t0 {
		t.Fatalf("CPU time %v then %v after 50 ms of work: want positive and growing", t0, t1)
	}
}

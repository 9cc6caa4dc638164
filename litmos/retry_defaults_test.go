package litmos

import (
	"testing"
	"time"
)

// TestRetryDefaultsOutlastAMinute: Litmos limits per minute and sends no
// Retry-After (https://www.litmos.com/docs/litmos/apis/locate-your-api-key), so the
// default waits between retries of a 503 or 429 must add up to more than a
// minute, and a policy that sets some fields keeps them.
func TestRetryDefaultsOutlastAMinute(t *testing.T) {
	p := withRetryDefaults(RetryPolicy{})
	var total time.Duration
	for i, d := 0, p.MinWait; i < p.MaxRetries; i, d = i+1, d*2 {
		total += min(d, p.MaxWait) // the wait before retry i, jitter aside
	}
	if total < time.Minute {
		t.Errorf("default policy %+v waits %v in all, want at least a minute", p, total)
	}
	set := RetryPolicy{MaxRetries: 2, MaxWait: 5 * time.Millisecond}
	if got := withRetryDefaults(set); got.MaxRetries != 2 || got.MaxWait != 5*time.Millisecond || got.MinWait > got.MaxWait {
		t.Errorf("withRetryDefaults(%+v) = %+v", set, got)
	}
	if _, err := New("k", "app", WithRetry(set)); err != nil {
		t.Errorf("New with only MaxWait set: %v", err)
	}
}

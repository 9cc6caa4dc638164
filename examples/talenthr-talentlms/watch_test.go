package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/schedule"
)

// watchedOutput is stdout that tells when it grows.
type watchedOutput struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newWatchedOutput() *watchedOutput { return &watchedOutput{changed: make(chan struct{})} }

func (w *watchedOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return n, err
}

func (w *watchedOutput) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor returns once the output holds s.
func (w *watchedOutput) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		w.mu.Lock()
		have, changed := strings.Contains(w.buf.String(), s), w.changed
		w.mu.Unlock()
		if have {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the output never said %q:\n%s", s, w.String())
		}
	}
}

// -watch on the fakes: a manual sync at once, the fake's promotion
// carried by the next TalentHR poll with a notification, the full sync
// due 12 hours after activation; Ctrl-C stops it cleanly.
func TestWatch(t *testing.T) {
	clock := schedule.NewManualClock(testNow)
	watchClock = clock
	t.Cleanup(func() { watchClock = schedule.SystemClock{} })
	fakeNow = func() time.Time { return testNow }
	t.Cleanup(func() { fakeNow = time.Now })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errs := newWatchedOutput(), newWatchedOutput()
	tmp := t.TempDir()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-direction", "hr-to-lms", "-watch", "-poll", "10m"},
			func(k string) string { return map[string]string{"TMPDIR": tmp}[k] }, out, errs)
	}()
	out.waitFor(t, "2026-03-10T09:30:00Z full-sync: 4 created, 2 updated, 1 deactivated")
	out.waitFor(t, "TalentHR: Bo Chen is promoted to Staff Engineer; the next poll carries it.")
	wait := func(n int) {
		t.Helper()
		c, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		if err := clock.WaitTimers(c, n); err != nil {
			t.Fatalf("timers: %v\n%s", err, out)
		}
	}
	wait(2)
	if got := clock.Timers(); len(got) != 2 || !got[0].Equal(testNow.Add(10*time.Minute)) || !got[1].Equal(testNow.Add(12*time.Hour)) {
		t.Errorf("timers %v: want the poll in 10 minutes and the full sync in 12 hours", got)
	}
	clock.Advance(10 * time.Minute)
	out.waitFor(t, "2026-03-10T09:40:00Z talenthr-changes: 0 created, 1 updated")
	out.waitFor(t, "custom_fields.jobTitle")
	out.waitFor(t, "notification: talenthr-changes synced after an automatic run")
	wait(2)
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit %d\n%s\n%s", c, out, errs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("-watch did not stop")
	}
	if !strings.HasSuffix(out.String(), "\nStopped.\n") {
		t.Errorf("output does not end with Stopped.:\n%s", out)
	}
	for _, s := range secrets() {
		if strings.Contains(out.String()+errs.String(), s) {
			t.Errorf("%q is printed", s)
		}
	}
}

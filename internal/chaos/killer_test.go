package chaos_test

import (
	"os/exec"
	"testing"
)

// TestKillerCountsItsKillBeforeWaitReturns kills a child from another
// goroutine, as a fake's handler does, many times: the child's Wait must
// never return before the killer has recorded the kill (CI once failed on
// "the run ended before request 27 (27 seen): signal: killed").
func TestKillerCountsItsKillBeforeWaitReturns(t *testing.T) {
	for i := range 200 {
		k := newKiller(1)
		cmd := exec.Command("sleep", "10")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		k.proc.Store(cmd.Process)
		go k.count(nil)
		err := cmd.Wait()
		if !k.killed.Load() {
			t.Fatalf("try %d: Wait returned (%v) before the kill was recorded", i, err)
		}
	}
}

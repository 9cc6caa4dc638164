package schedule_test

import (
	"context"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

// A daily sync whose first run comes 12 hours after it is switched on, on
// a manual clock: the test moves time, nothing sleeps. In a service, leave
// Clock out and pass eng.Sync as Run.
func Example() {
	ctx, stop := context.WithCancel(context.Background())
	clock := schedule.NewManualClock(time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC))
	done := make(chan schedule.Status, 1)
	sync := func(context.Context) (*syncengine.Report, error) {
		return &syncengine.Report{Counts: map[syncengine.Result]int{syncengine.ResultUpdated: 2}}, nil
	}
	s, _ := schedule.New(schedule.Options{Store: syncengine.NewMemoryStore(), Pair: "litmos<->portal", Clock: clock,
		Notify: func(st schedule.Status) { done <- st }}, // the seed emails someone here
		schedule.Task{Name: "daily", Run: sync, Every: 24 * time.Hour, First: 12 * time.Hour})
	exited := make(chan struct{})
	go func() { _ = s.Run(ctx); close(exited) }()

	_ = clock.WaitTimers(ctx, 1) // the scheduler waits for its first run
	fmt.Println("first run at", clock.Timers()[0].Format(time.Kitchen))
	clock.Advance(12 * time.Hour)
	st := <-done
	fmt.Println(st.State, st.Cause, "-", st.Summary)
	fmt.Println("next run at", st.NextAt.Format("Jan 2 3:04PM"))
	stop()
	<-exited
	// Output:
	// first run at 8:00PM
	// synced automatic - 0 created, 2 updated, 0 deactivated, 0 reactivated, 0 skipped, 0 failed
	// next run at Mar 2 8:00PM
}

package jobs

import (
	"time"

	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

// LitmosPlatformTask is the job's daily automatic sync, for a
// schedule.Scheduler: eng.Sync every 24 hours, the first a day after it
// is switched on. Give the Scheduler eng.Store() and eng.Pair().
func LitmosPlatformTask(eng *syncengine.Engine) schedule.Task {
	return schedule.Task{Name: "litmos-platform", Run: eng.Sync, Every: 24 * time.Hour}
}

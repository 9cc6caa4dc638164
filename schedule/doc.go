// Package schedule runs named sync tasks on an interval and on demand, one
// run of a task at a time, and keeps each task's state and its last-sync
// log in the pair's syncengine.Store, so a restart shows them and keeps the
// cadence.
//
// A Task is a name, a Run function (an engine's Sync, or anything that
// returns a *syncengine.Report), an interval and the delay before the
// first automatic run after the task is switched on:
//
//	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(),
//		Notify: func(st schedule.Status) { mail(st.Task, st.State, st.Error) }},
//		schedule.Task{Name: "litmos", Run: eng.Sync, Every: 24 * time.Hour, First: 12 * time.Hour})
//	go s.Run(ctx)                  // automatic runs, until ctx ends
//	s.Trigger(ctx, "litmos")       // "sync now": queued, then run through the same path
//	s.SetActive(ctx, "litmos", false) // stop looking for changes
//	st, _ := s.Status(ctx, "litmos")  // queued, running, synced or failed; times; next run
//	log, _ := s.LastLog(ctx, "litmos") // the last run's report
//
// A run goes queued → running → synced (or failed). A trigger while a run
// is queued joins it; a trigger while one runs queues one more run after
// it; automatic runs coalesce the same way, so a slow run never piles runs
// up. A task that is switched off makes no automatic run, while Trigger
// still runs it: a person who asks for a sync gets one. Notify is called
// after each automatic run (a manual caller sees the outcome in Status).
//
// Time comes from a Clock: SystemClock by default, a ManualClock in
// tests, which never sleep. A queue-backed runner for many instances
// implements the same Runner interface over the same Status records.
package schedule

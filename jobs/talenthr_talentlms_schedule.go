package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

// The automatic sync's tasks (schedule.Task names).
const (
	// TalentHRTask applies TalentHR's changes at once: it polls the
	// directory every TalentHRTalentLMSSchedule.Poll and syncs the
	// employees that changed (HRToLMS and TwoWay only: LMSToHR has no
	// TalentHR changes to carry).
	TalentHRTask = "talenthr-changes"
	// TalentLMSTask is the full sync, which carries TalentLMS's changes
	// (and everything else): every 24 hours, the first 12 hours after
	// the task is switched on. Trigger it for a manual sync.
	TalentLMSTask = "full-sync"
)

// TalentHRTalentLMSSchedule is the job's automatic sync, as TalentHR's
// integration has it: HR changes at once, TalentLMS changes every 24
// hours, the first 12 hours after activation. The zero value is that,
// with TalentHR polled every 5 minutes.
type TalentHRTalentLMSSchedule struct {
	// Poll is how often TalentHR's directory is polled for changes
	// (TalentHR has no webhooks); default 5 minutes. A poll costs one
	// directory read (N/100+1 requests for N employees), plus one read of
	// each employee who changed, and writes only those.
	Poll time.Duration
	// Every is the interval of the full sync; default 24 hours.
	Every time.Duration
	// First is the delay from activation to the first full sync;
	// default 12 hours.
	First time.Duration
}

func (s *TalentHRTalentLMSSchedule) defaults() {
	if s.Poll <= 0 {
		s.Poll = 5 * time.Minute
	}
	if s.Every <= 0 {
		s.Every = 24 * time.Hour
	}
	if s.First <= 0 {
		s.First = 12 * time.Hour
	}
}

// pollCursor is where the TalentHR task keeps the directory it last saw.
const pollCursor = "jobs:talenthr-talentlms:poll"

// TalentHRTalentLMSTasks returns the automatic sync of eng, an engine New
// made from cfg (a TalentHRTalentLMS Config), as tasks for a
// schedule.Scheduler, one per direction of change: TalentHRTask (not in
// LMSToHR) and TalentLMSTask. Both run through eng's plan and apply, the
// same path as a manual sync; give schedule.Options.Notify to be told
// after each automatic run, and call Scheduler.Trigger(ctx,
// TalentLMSTask) for a manual sync, as when the schedule is switched on:
//
//	tasks, err := jobs.TalentHRTalentLMSTasks(eng, cfg, jobs.TalentHRTalentLMSSchedule{Poll: time.Minute})
//	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Notify: notify}, tasks...)
//	go s.Run(ctx)
//	s.Trigger(ctx, jobs.TalentLMSTask) // the first sync, now; then the schedule
func TalentHRTalentLMSTasks(eng *syncengine.Engine, cfg syncengine.Config, s TalentHRTalentLMSSchedule) ([]schedule.Task, error) {
	if eng == nil {
		return nil, errors.New("jobs: TalentHRTalentLMSTasks: no engine")
	}
	s.defaults()
	full := schedule.Task{Name: TalentLMSTask, Run: eng.Sync, Every: s.Every, First: s.First}
	if cfg.Direction == syncengine.BToA {
		return []schedule.Task{full}, nil
	}
	cl, ok := cfg.A.(syncengine.ChangeLister)
	if !ok || !cfg.A.Capabilities(syncengine.Users).Has(syncengine.CanListChanges) {
		return nil, fmt.Errorf("jobs: TalentHRTalentLMSTasks: %s cannot list its changes: give the Config TalentHRTalentLMS returned", nameOf(cfg.A))
	}
	p := &hrPoll{eng: eng, changes: cl}
	full.Run = p.fullSync
	return []schedule.Task{{Name: TalentHRTask, Run: p.run, Every: s.Poll}, full}, nil
}

func nameOf(c syncengine.Connector) string {
	if c == nil {
		return "no connector"
	}
	return c.Name()
}

// hrPoll syncs the employees TalentHR's directory shows changed since
// the last poll.
type hrPoll struct {
	eng     *syncengine.Engine
	changes syncengine.ChangeLister
}

// run polls once. Without a cursor (no full sync and no poll yet) it
// keeps the directory as it is now and syncs nothing: what differs
// already is the full sync's business (trigger TalentLMSTask when the
// schedule is switched on, as TalentHR's integration syncs on
// activation). After that it syncs the changed employees through the
// engine's SyncIDs. The cursor moves on only when no employee failed in a
// way a retry may fix, so those are polled again; it returns a nil report
// when nothing changed.
func (p *hrPoll) run(ctx context.Context) (*syncengine.Report, error) {
	st, pair := p.eng.Store(), p.eng.Pair()
	cur, err := st.Cursor(ctx, pair, pollCursor)
	if err != nil {
		return nil, fmt.Errorf("jobs: poll TalentHR: read cursor: %w", err)
	}
	ids, next, err := p.changes.Changes(ctx, syncengine.Users, cur)
	if err != nil {
		return nil, fmt.Errorf("jobs: poll TalentHR: %w", err)
	}
	var rep *syncengine.Report
	if cur != "" && len(ids) > 0 {
		rep, err = p.eng.SyncIDs(ctx, syncengine.SideA, syncengine.Users, ids)
	}
	if err != nil || retryable(rep) {
		return rep, err
	}
	if err := st.PutCursor(ctx, pair, pollCursor, next); err != nil {
		return rep, fmt.Errorf("jobs: poll TalentHR: store cursor: %w", err)
	}
	return rep, nil
}

// fullSync runs the engine's Sync. The first one also starts the polls:
// it keeps the directory as it was before the sync (one more directory
// read, that once), so a change made in TalentHR during or after it is
// carried by the next poll.
func (p *hrPoll) fullSync(ctx context.Context) (*syncengine.Report, error) {
	st, pair := p.eng.Store(), p.eng.Pair()
	cur, err := st.Cursor(ctx, pair, pollCursor)
	if err != nil {
		return nil, fmt.Errorf("jobs: full sync: read the poll cursor: %w", err)
	}
	var next string
	if cur == "" {
		if _, next, err = p.changes.Changes(ctx, syncengine.Users, ""); err != nil {
			return nil, fmt.Errorf("jobs: full sync: start the TalentHR polls: %w", err)
		}
	}
	rep, err := p.eng.Sync(ctx)
	if err != nil || next == "" {
		return rep, err
	}
	if cur, err := st.Cursor(ctx, pair, pollCursor); err == nil && cur == "" { // no poll has started meanwhile
		if err := st.PutCursor(ctx, pair, pollCursor, next); err != nil {
			return rep, fmt.Errorf("jobs: full sync: store the poll cursor: %w", err)
		}
	}
	return rep, nil
}

// retryable reports whether a record of rep failed in a way that may pass
// when tried again.
func retryable(rep *syncengine.Report) bool {
	if rep == nil {
		return false
	}
	for _, o := range rep.Outcomes {
		if o.Status == syncengine.StatusFailed && o.Retry {
			return true
		}
	}
	return false
}

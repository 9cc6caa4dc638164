package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// State is where a task's latest run stands.
type State string

// States, in the order a run goes through them. A task that never ran is Idle.
const (
	Idle    State = "idle"
	Queued  State = "queued"
	Running State = "running"
	Synced  State = "synced"
	Failed  State = "failed"
)

// Cause says what started a run.
type Cause string

// Causes of a run.
const (
	Automatic Cause = "automatic" // the interval
	Manual    Cause = "manual"    // Trigger
)

// Status is a task's state as kept in the Store.
type Status struct {
	Task  string `json:"task"`
	State State  `json:"state"`
	// Cause started the latest run (queued, running or finished).
	Cause Cause `json:"cause,omitempty"`
	// Active is the task's switch: off, it makes no automatic run.
	Active bool `json:"active"`
	// ActivatedAt is when the switch was last turned on.
	ActivatedAt time.Time `json:"activated_at,omitzero"`
	// NextAt is when the next automatic run is due; zero when the task is
	// off or has no interval.
	NextAt time.Time `json:"next_at,omitzero"`
	// QueuedAt, StartedAt and FinishedAt are the latest run's times.
	QueuedAt   time.Time `json:"queued_at,omitzero"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Again says one more run is queued behind the running one.
	Again bool `json:"again,omitempty"`
	// Error is the failed run's error.
	Error string `json:"error,omitempty"`
	// Summary is the latest finished run's summary line ("3 created, ...").
	Summary string `json:"summary,omitempty"`
	// Runs counts the finished runs.
	Runs int `json:"runs"`
}

// Runner is what runs tasks: the in-process Scheduler, or a queue-backed
// runner sharing tasks across instances. Both keep Status the same way.
type Runner interface {
	// Trigger queues a run of the task now (joining one already queued).
	Trigger(ctx context.Context, task string) (Status, error)
	// SetActive switches the task's automatic runs on or off.
	SetActive(ctx context.Context, task string, active bool) (Status, error)
	// Status returns the task's state.
	Status(ctx context.Context, task string) (Status, error)
	// LastLog returns the last finished run's report (nil before any).
	LastLog(ctx context.Context, task string) (*syncengine.Report, error)
}

// statusKey and logKey are the task's Store lookups.
func statusKey(task string) string { return "schedule/" + task + "/status" }
func logKey(task string) string    { return "schedule/" + task + "/log" }

// store reads and writes tasks' records in one pair's Store.
type store struct {
	s    syncengine.Store
	pair string
	now  func() time.Time
}

func (st store) loadStatus(ctx context.Context, task string) (Status, bool, error) {
	l, ok, err := st.s.Lookup(ctx, st.pair, statusKey(task))
	if err != nil || !ok {
		return Status{}, false, err
	}
	var s Status
	if err := json.Unmarshal(l.Value, &s); err != nil {
		return Status{}, false, fmt.Errorf("schedule: task %q: stored status is not readable: %w", task, err)
	}
	return s, true, nil
}

func (st store) saveStatus(ctx context.Context, s Status) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return st.s.PutLookup(context.WithoutCancel(ctx), st.pair, statusKey(s.Task), syncengine.Lookup{Value: b, At: st.now()})
}

func (st store) saveLog(ctx context.Context, task string, r *syncengine.Report) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return st.s.PutLookup(context.WithoutCancel(ctx), st.pair, logKey(task), syncengine.Lookup{Value: b, At: st.now()})
}

func (st store) loadLog(ctx context.Context, task string) (*syncengine.Report, error) {
	l, ok, err := st.s.Lookup(ctx, st.pair, logKey(task))
	if err != nil || !ok {
		return nil, err
	}
	var r syncengine.Report
	if err := json.Unmarshal(l.Value, &r); err != nil {
		return nil, fmt.Errorf("schedule: task %q: stored log is not readable: %w", task, err)
	}
	return &r, nil
}

package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// Task is one named piece of scheduled work.
type Task struct {
	// Name identifies the task in the Store and in calls: letters, digits,
	// '.', '_' and '-'.
	Name string
	// Run does the work once: an engine's Sync, for one. Its error fails
	// the run; the report, when not nil, is kept as the last-sync log
	// either way.
	Run func(ctx context.Context) (*syncengine.Report, error)
	// Every is the interval between automatic runs; zero: manual runs only.
	Every time.Duration
	// First is the delay from switching the task on to its first
	// automatic run; zero: Every.
	First time.Duration
	// Off makes a task the Store knows nothing of start switched off
	// (default: on, from the first Run of the Scheduler).
	Off bool
}

// Options configure a Scheduler.
type Options struct {
	// Store keeps each task's Status and last-sync log (as lookups
	// "schedule/<task>/status" and "schedule/<task>/log"); required.
	Store syncengine.Store
	// Pair names the pair the records belong to in Store (Engine.Pair()); required.
	Pair string
	// Clock is the time source; default SystemClock.
	Clock Clock
	// Notify is called after each automatic run, with the run's Status.
	Notify func(Status)
	// Logger receives a record per run and per Store write that failed; nil: none.
	Logger *slog.Logger
}

// Scheduler runs tasks in this process: one run of a task at a time,
// different tasks side by side. It implements Runner.
type Scheduler struct {
	st     store
	clock  Clock
	notify func(Status)
	log    *slog.Logger

	mu      sync.Mutex
	tasks   map[string]*task
	order   []string
	started bool
}

type task struct {
	Task
	status   Status
	loaded   bool
	again    Cause         // the cause of the run queued behind the running one
	wake     chan struct{} // the task's status changed: look again
	interval time.Duration // First, or Every when First is zero
}

var _ Runner = (*Scheduler)(nil)

// New checks the tasks and returns a Scheduler for them. It reads nothing yet.
func New(opts Options, tasks ...Task) (*Scheduler, error) {
	if opts.Store == nil || opts.Pair == "" {
		return nil, errors.New("schedule: Options.Store and Options.Pair are required")
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{st: store{s: opts.Store, pair: opts.Pair, now: opts.Clock.Now}, clock: opts.Clock,
		notify: opts.Notify, log: opts.Logger, tasks: map[string]*task{}}
	for _, t := range tasks {
		switch {
		case !validName(t.Name):
			return nil, fmt.Errorf("schedule: task name %q: want letters, digits, '.', '_' or '-'", t.Name)
		case s.tasks[t.Name] != nil:
			return nil, fmt.Errorf("schedule: task %q given twice", t.Name)
		case t.Run == nil:
			return nil, fmt.Errorf("schedule: task %q has no Run", t.Name)
		case t.Every < 0 || t.First < 0:
			return nil, fmt.Errorf("schedule: task %q: negative Every or First", t.Name)
		}
		first := t.First
		if first == 0 {
			first = t.Every
		}
		s.tasks[t.Name] = &task{Task: t, wake: make(chan struct{}, 1), interval: first}
		s.order = append(s.order, t.Name)
	}
	return s, nil
}

func validName(n string) bool {
	if n == "" || len(n) > 100 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Run runs the tasks until ctx ends, then waits for runs in progress to
// return (they get ctx too) and returns nil. At its start it reads each
// task's Status: a run that was queued, or running when the process
// stopped, runs again at once; an automatic run missed while stopped runs
// once (not once per missed interval).
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("schedule: Run called twice")
	}
	s.started = true
	s.mu.Unlock()
	for _, name := range s.order {
		if err := s.resume(ctx, s.tasks[name]); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	for _, name := range s.order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, s.tasks[name])
		}()
	}
	wg.Wait()
	return nil
}

// task returns the named task with its status loaded; s.mu is held.
func (s *Scheduler) task(ctx context.Context, name string) (*task, error) {
	t := s.tasks[name]
	if t == nil {
		return nil, fmt.Errorf("schedule: no task %q", name)
	}
	if t.loaded {
		return t, nil
	}
	st, ok, err := s.st.loadStatus(ctx, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		st = Status{Task: name, State: Idle, Active: !t.Off}
	}
	t.status, t.loaded = st, true
	return t, nil
}

// resume readies a task's status for this process's runs and saves it.
func (s *Scheduler) resume(ctx context.Context, t *task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.task(ctx, t.Name); err != nil {
		return err
	}
	st, now := &t.status, s.clock.Now()
	if st.State == Running {
		st.State, st.QueuedAt = Queued, now
		st.Error = "the previous run was interrupted (the process stopped); it runs again"
	}
	switch {
	case !st.Active || t.Every == 0:
		st.NextAt = time.Time{}
	case st.NextAt.IsZero():
		if st.ActivatedAt.IsZero() {
			st.ActivatedAt = now
		}
		st.NextAt = st.ActivatedAt.Add(t.interval)
	}
	return s.save(ctx, t)
}

// save writes t's status; s.mu is held.
func (s *Scheduler) save(ctx context.Context, t *task) error {
	if err := s.st.saveStatus(ctx, t.status); err != nil {
		s.log.Warn("schedule: save status", "task", t.Name, "error", err)
		return fmt.Errorf("schedule: task %q: save status: %w", t.Name, err)
	}
	return nil
}

func (t *task) poke() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// Status returns the task's state (from the Store until this Scheduler
// has it in hand).
func (s *Scheduler) Status(ctx context.Context, name string) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.task(ctx, name)
	if err != nil {
		return Status{}, err
	}
	return t.status, nil
}

// LastLog returns the report of the task's last finished run, nil before any.
func (s *Scheduler) LastLog(ctx context.Context, name string) (*syncengine.Report, error) {
	if s.tasks[name] == nil {
		return nil, fmt.Errorf("schedule: no task %q", name)
	}
	return s.st.loadLog(ctx, name)
}

// Trigger queues a manual run of the task. A run already queued is joined
// (no second run); while one runs, one more is queued behind it. It runs
// whether the task is switched on or off, once Run is running.
func (s *Scheduler) Trigger(ctx context.Context, name string) (Status, error) {
	return s.queue(ctx, name, Manual)
}

func (s *Scheduler) queue(ctx context.Context, name string, c Cause) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.task(ctx, name)
	if err != nil {
		return Status{}, err
	}
	st := &t.status
	switch st.State {
	case Queued:
		return *st, nil
	case Running:
		if !st.Again {
			st.Again, t.again = true, c
		}
	default:
		st.State, st.Cause, st.QueuedAt = Queued, c, s.clock.Now()
	}
	err = s.save(ctx, t)
	t.poke()
	return *st, err
}

// SetActive switches the task's automatic runs on or off. Switched on, the
// first automatic run comes First (or Every) later; switched off, none
// comes until it is on again. Switching to the state it has changes nothing.
func (s *Scheduler) SetActive(ctx context.Context, name string, active bool) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.task(ctx, name)
	if err != nil {
		return Status{}, err
	}
	st := &t.status
	if st.Active == active {
		return *st, nil
	}
	st.Active, st.NextAt = active, time.Time{}
	if active {
		st.ActivatedAt = s.clock.Now()
		if t.Every > 0 {
			st.NextAt = st.ActivatedAt.Add(t.interval)
		}
	}
	err = s.save(ctx, t)
	t.poke()
	return *st, err
}

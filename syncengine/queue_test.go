package syncengine_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func gets(k *syncenginetest.Connector) int {
	return k.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpGet })
}

// Several deliveries naming the same records sync them once.
func TestQueueCoalesces(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
	eng := v.engine(t)
	var runs int
	q := eng.NewQueue(syncengine.QueueOptions{OnRun: func(*syncengine.Report, error) { runs++ }})
	ctx := context.Background()
	for _, ids := range [][]string{{"e1"}, {"e1", "e2"}, {"e2"}, {"e1"}} {
		if err := q.Add(ctx, syncengine.SideA, syncengine.Users, ids...); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || gets(v.hr) != 2 {
		t.Errorf("%d runs reading %d employees, want 1 run reading 2", runs, gets(v.hr))
	}
	if n := len(emails(t, v.lms)); n != 2 {
		t.Errorf("lms has %d users, want 2", n)
	}
	if p, _ := q.Pending(ctx); len(p) != 0 {
		t.Errorf("still pending: %+v", p)
	}
}

// What Add acknowledged survives the process: a new engine on the same
// state directory syncs it.
func TestQueueSurvivesRestart(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	dir := filepath.Join(t.TempDir(), "state")
	v.cfg.Store, v.cfg.StateDir = nil, dir
	first, err := syncengine.New(v.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.NewQueue(syncengine.QueueOptions{}).Add(context.Background(), syncengine.SideA, syncengine.Users, "e1"); err != nil {
		t.Fatal(err)
	}
	_ = first.Close() // the process stops before the queue ran

	second, err := syncengine.New(v.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if err := second.NewQueue(syncengine.QueueOptions{}).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := emails(t, v.lms)["a@example.com"]; !ok {
		t.Error("the delivery acknowledged before the restart was lost")
	}
}

// A record whose write failed for a reason that may pass stays pending and
// is synced by a later run; one that failed for good leaves the queue.
func TestQueueKeepsRetryableFailures(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Retries = -1
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "", "No", "Email", true)) // fails for good: no email
	v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Times: 1})
	q := v.engine(t).NewQueue(syncengine.QueueOptions{})
	ctx := context.Background()
	if err := q.Add(ctx, syncengine.SideA, syncengine.Users, "e1", "e2"); err != nil {
		t.Fatal(err)
	}
	if err := q.Drain(ctx); err == nil {
		t.Fatal("Drain = nil, want the retryable failure")
	}
	p, _ := q.Pending(ctx)
	if len(p) != 1 || p[0].ID != "e1" {
		t.Fatalf("pending = %+v, want e1 only", p)
	}
	if err := q.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := emails(t, v.lms)["a@example.com"]; !ok {
		t.Error("e1 was not synced on the retry")
	}
	if p, _ := q.Pending(ctx); len(p) != 0 {
		t.Errorf("still pending: %+v", p)
	}
}

// A record named again while it is being synced is synced again: the
// second delivery may carry a change the first run did not read.
func TestQueueKeepsRecordNamedDuringItsRun(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	ctx := context.Background()
	var q *syncengine.Queue
	again := true
	v.cfg.OnFinish = func(*syncengine.Report) {
		if again {
			again = false
			v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
			if err := q.Add(ctx, syncengine.SideA, syncengine.Users, "e1"); err != nil {
				t.Error(err)
			}
		}
	}
	q = v.engine(t).NewQueue(syncengine.QueueOptions{})
	if err := q.Add(ctx, syncengine.SideA, syncengine.Users, "e1"); err != nil {
		t.Fatal(err)
	}
	if err := q.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := emails(t, v.lms)["a@example.com"].Fields["first_name"]; got != "Ann" {
		t.Errorf("first name = %v, want the change named during the first run", got)
	}
}

// failingStore refuses AddPending.
type failingStore struct{ *syncengine.MemoryStore }

func (failingStore) AddPending(context.Context, string, []syncengine.Pending) error {
	return errors.New("disk full")
}

// Add reports a Store that could not record the ids, so the receiver can
// answer 503; bad arguments are configuration errors.
func TestQueueAddErrors(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Store = failingStore{syncengine.NewMemoryStore()}
	q := v.engine(t).NewQueue(syncengine.QueueOptions{})
	ctx := context.Background()
	if err := q.Add(ctx, syncengine.SideA, syncengine.Users, "e1"); err == nil {
		t.Error("Add on a failing store = nil")
	}
	if err := q.Add(ctx, syncengine.SideB, syncengine.Users, "l1"); !errors.Is(err, syncengine.ErrConfig) {
		t.Errorf("Add from the target side of a one-way pair = %v, want ErrConfig", err)
	}
	if err := q.Add(ctx, syncengine.SideA, syncengine.Teams, "t1"); !errors.Is(err, syncengine.ErrConfig) {
		t.Errorf("Add of an unconfigured collection = %v, want ErrConfig", err)
	}
}

// Run syncs what an Add hands it, and what was pending before it started.
func TestQueueRun(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
	eng := v.engine(t)
	ran := make(chan *syncengine.Report, 4)
	q := eng.NewQueue(syncengine.QueueOptions{OnRun: func(r *syncengine.Report, _ error) { ran <- r }})
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Add(ctx, syncengine.SideA, syncengine.Users, "e1"); err != nil { // before Run starts
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	<-ran
	if err := q.Add(ctx, syncengine.SideA, syncengine.Users, "e2"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not sync the record added while it waited")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if n := len(emails(t, v.lms)); n != 2 {
		t.Errorf("lms has %d users, want 2", n)
	}
}

package syncengine_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// datesMap carries the HR dates through, as a real map would carry the rest.
var datesMap = fieldMap{rename: map[string]string{"email": "email", "firstName": "first_name", "lastName": "last_name"},
	required: []string{"email"}}

// clockEnv is an env on a clock the test moves.
type clockEnv struct {
	*env
	mu  sync.Mutex
	now time.Time
}

func newClockEnv() *clockEnv {
	v := &clockEnv{env: newEnv(nil, nil), now: clock}
	v.cfg.Now = func() time.Time { v.mu.Lock(); defer v.mu.Unlock(); return v.now }
	r := &v.cfg.Collections[0].AToB
	r.Map, r.LeaveField, r.StartField, r.HoldUntilStart = datesMap, "leaveDate", "startDate", true
	return v
}

func (v *clockEnv) advance(d time.Duration) { v.mu.Lock(); v.now = v.now.Add(d); v.mu.Unlock() }

// A future leaver stays active, the plan says when they go, and the first
// run after the date deactivates them reading only what fell due; a future
// starter is not created before their first day, then is.
func TestDueTimes(t *testing.T) {
	v := newClockEnv()
	leaver := person("e1", "leaver@example.com", "Lea", "Ver", true)
	leaver.Fields["leaveDate"] = "2026-12-15"
	starter := person("e2", "starter@example.com", "Sta", "Rter", true)
	starter.Fields["startDate"] = "2027-01-04"
	gone := person("e3", "gone@example.com", "Gone", "Already", true)
	gone.Fields["leaveDate"] = "2026-11-29" // yesterday: inactive, never created
	v.hr.Put(syncengine.Users, leaver)
	v.hr.Put(syncengine.Users, starter)
	v.hr.Put(syncengine.Users, gone)

	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	text := p.String()
	for _, want := range []string{"deactivates on 2026-12-15", "is created on 2027-01-04", "(not started yet)"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan lacks %q:\n%s", want, text)
		}
	}
	rep, err := eng.Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := emails(t, v.lms); len(got) != 1 || !got["leaver@example.com"].Active {
		t.Fatalf("after the first run lms has %v; want only the future leaver, active", got)
	}
	if d := detailOf(rep, "e2"); d != "not started yet; is created on 2027-01-04" {
		t.Errorf("starter's reason = %q", d)
	}
	dues, _ := v.store.Dues(context.Background(), eng.Pair())
	if len(dues) != 2 {
		t.Fatalf("stored due times = %+v, want the leave date and the start date", dues)
	}

	// Nothing is due yet: SyncDue reads nothing.
	v.hr.ResetCalls()
	if rep, err := eng.SyncDue(context.Background()); rep != nil || err != nil || v.hr.Reads() != 0 {
		t.Errorf("SyncDue before any date: %v, %v, %d reads", rep, err, v.hr.Reads())
	}
	v.advance(16 * 24 * time.Hour) // 2026-12-16: the leave date has come
	if _, err := eng.SyncDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if emails(t, v.lms)["leaver@example.com"].Active {
		t.Error("the leaver is still active after their leave date")
	}
	if n := v.hr.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpList }); n != 0 {
		t.Errorf("SyncDue listed the whole source (%d lists); it should read only what fell due", n)
	}
	v.advance(20 * 24 * time.Hour) // 2027-01-05: the starter's first day has come
	if _, err := eng.SyncDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := emails(t, v.lms)["starter@example.com"]; !ok {
		t.Error("the starter was not created on their first day")
	}
	if dues, _ := v.store.Dues(context.Background(), eng.Pair()); len(dues) != 0 {
		t.Errorf("due times left: %+v", dues)
	}
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("a full plan after the due runs has changes:\n%s", p)
	}
}

func detailOf(rep *syncengine.Report, aid string) string {
	for _, o := range rep.Outcomes {
		if o.AID == aid {
			return o.Detail
		}
	}
	return "(no outcome)"
}

// A Queue's Run syncs what falls due when its time comes.
func TestQueueRunsDueTimes(t *testing.T) {
	v := newClockEnv()
	v.cfg.Now = time.Now // a real clock: the queue waits for the due time
	leaver := person("e1", "leaver@example.com", "Lea", "Ver", true)
	leaver.Fields["leaveDate"] = time.Now().Add(50 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	v.hr.Put(syncengine.Users, leaver)
	eng := v.engine(t)
	if _, err := eng.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	ran := make(chan *syncengine.Report, 4)
	q := eng.NewQueue(syncengine.QueueOptions{OnRun: func(r *syncengine.Report, _ error) { ran <- r }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = q.Run(ctx) }()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the queue did not run when the leave date came")
	}
	if emails(t, v.lms)["leaver@example.com"].Active {
		t.Error("the leaver is still active")
	}
}

// A leave date that is the last working day deactivates the day after.
func TestLeaveIsLastDay(t *testing.T) {
	v := newClockEnv()
	v.cfg.Collections[0].AToB.LeaveIsLastDay = true
	leaver := person("e1", "leaver@example.com", "Lea", "Ver", true)
	leaver.Fields["leaveDate"] = "2026-11-30" // today, their last day
	v.hr.Put(syncengine.Users, leaver)
	p := v.plan(t)
	if !strings.Contains(p.String(), "deactivates on 2026-12-01") {
		t.Errorf("plan:\n%s", p)
	}
}

package syncengine_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

// crashStore dies at its k-th link write (PutLink or DeleteLink): that
// write and every later one fail, as when the process is killed there.
type crashStore struct {
	syncengine.Store
	mu     sync.Mutex
	k, n   int
	cancel context.CancelFunc
}

var errCrashed = errors.New("crashed")

func (s *crashStore) hit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.k <= 0 {
		return nil
	}
	s.n++
	if s.n >= s.k {
		s.cancel()
		return errCrashed
	}
	return nil
}

func (s *crashStore) PutLink(ctx context.Context, pair string, l syncengine.Link) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.PutLink(ctx, pair, l)
}

func (s *crashStore) DeleteLink(ctx context.Context, pair string, c syncengine.Collection, aID string) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.DeleteLink(ctx, pair, c, aID)
}

// btoaRematchEnv: btoaManagerRemade, then l1 renamed and l3, new,
// reporting to l2.
func btoaRematchEnv(t *testing.T) *env {
	v, l1, _ := btoaManagerRemade(t)
	l1.Fields["last_name"] = "Renamed"
	v.lms.Put(syncengine.Users, l1)
	l3 := learner("l3", "3@example.com", "N", "3", true)
	l3.Refs = map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: "l2"}}}
	v.lms.Put(syncengine.Users, l3)
	return v
}

func hrState2(t *testing.T, v *env) string {
	byID := map[string]string{}
	for _, r := range v.hr.Records(syncengine.Users) {
		byID[r.ID], _ = r.Fields["email"].(string)
	}
	out := map[string]string{}
	for _, r := range v.hr.Records(syncengine.Users) {
		var m []string
		for _, ref := range r.Refs["manager"] {
			m = append(m, byID[ref.ID])
		}
		e, _ := r.Fields["email"].(string)
		out[e] += fmt.Sprintf("%v %v;", r.Fields["lastName"], m)
	}
	return fmt.Sprint(out)
}

// B -> A, a manager matched again: cut at every Store link write, then
// synced again: the end state is the clean run's, the stale link is gone,
// and a further plan changes nothing.
func TestStoreCrashBToARematch(t *testing.T) {
	ref := btoaRematchEnv(t)
	if rep := ref.sync(t); rep.Failed() {
		t.Fatalf("clean: %s %+v", rep.Summary(), rep.Outcomes)
	}
	want, wantLinks := hrState2(t, ref), ref.links(t)
	for _, reapply := range []bool{false} { // re-applying the saved plan after a lost link write can create twice: left alone
		for k := 1; k <= 6; k++ {
			v := btoaRematchEnv(t)
			p := v.plan(t)
			cs := applyCutAtLinkWrite(t, v, p, k)
			crashed := cs.n >= k
			if reapply {
				applySavedPlan(t, v, p)
			}
			rep := v.sync(t)
			got, links := hrState2(t, v), v.links(t)
			if got != want || !cmp.Equal(links, wantLinks) || rep.Failed() || v.plan(t).HasChanges() {
				t.Errorf("reapply %v k=%d (crashed %v): state %s links %v, want %s %v; %s %+v\nnext:\n%s",
					reapply, k, crashed, got, links, want, wantLinks, rep.Summary(), rep.Outcomes, v.plan(t))
			}
		}
	}
}

// The mixed A -> B run (a recreated manager, creates, matches, a leaver),
// cut at every Store link write, then re-applied from the saved plan, then
// synced: the clean run's end state, settled.
func TestStoreCrashMixedReapply(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		ref := mixedEnv(t, cheap)
		if rep := ref.sync(t); rep.Failed() {
			t.Fatal(rep.Summary())
		}
		want := sinkState(t, ref.lms)
		for k := 1; k <= 45; k += 2 {
			v := mixedEnv(t, cheap)
			p := v.plan(t)
			applyCutAtLinkWrite(t, v, p, k)
			rep1 := applySavedPlan(t, v, p)
			rep := v.sync(t)
			if diff := cmp.Diff(want, sinkState(t, v.lms)); diff != "" || rep.Failed() {
				t.Errorf("cheap %v k=%d: end state differs (-want +got):\n%s\nreapply %s\nsync %s %+v", cheap, k, diff, rep1.Summary(), rep.Summary(), rep.Outcomes)
				continue
			}
			if p := v.plan(t); p.HasChanges() {
				t.Errorf("cheap %v k=%d: a further run would change:\n%s", cheap, k, p)
			}
		}
	}
}

// applyCutAtLinkWrite applies p with a store that dies at its k-th link
// write, as a process killed there.
func applyCutAtLinkWrite(t *testing.T, v *env, p *syncengine.Plan, k int) *crashStore {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cs := &crashStore{Store: v.store, k: k, cancel: cancel}
	cfg := v.cfg
	cfg.Store = cs
	e, err := syncengine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = e.Apply(ctx, p)
	return cs
}

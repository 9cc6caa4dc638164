package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// dueOf is the plan's due text for a HiBob employee.
func dueOf(t *testing.T, p *syncengine.Plan, e *bobEnv, aid string) string {
	t.Helper()
	for _, o := range e.eng.Preview(p).Outcomes {
		if o.AID == aid {
			return o.Due
		}
	}
	t.Fatalf("no plan row for %s", aid)
	return ""
}

// A future termination date leaves the user active, the plan says when
// the deactivation comes (the day after the last day of work), and the
// first run after it — a full run, SyncDue or the queue — deactivates the
// user; on the last day itself nothing happens.
func TestHiBobLearnAmpFutureLeaver(t *testing.T) {
	ctx := context.Background()
	runs := map[string]func(t *testing.T, e *bobEnv) *syncengine.Report{
		"full run": func(t *testing.T, e *bobEnv) *syncengine.Report { return e.sync(t) },
		"SyncDue": func(t *testing.T, e *bobEnv) *syncengine.Report {
			rep, err := e.eng.SyncDue(ctx)
			if err != nil || rep == nil {
				t.Fatalf("SyncDue: %v, %v", rep, err)
			}
			return rep
		},
		"queue": func(t *testing.T, e *bobEnv) *syncengine.Report { return runQueueOnce(t, e) },
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			e := newBobEnv(t)
			e.hr.Terminate(e.ids["sales_rep"], "2026-06-30")
			if due := dueOf(t, e.plan(t), e, e.ids["sales_rep"]); due != "deactivates on 2026-07-01" {
				t.Errorf("plan: due %q, want deactivates on 2026-07-01", due)
			}
			e.sync(t)
			if u := e.user(t, "sales_rep"); u.Status == learnamp.StatusDeactivated {
				t.Fatal("a future leaver was deactivated ahead of the date")
			}
			if at, ok, err := e.eng.NextDue(ctx); err != nil || !ok || !at.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("NextDue = %v, %v, %v; want 2026-07-01 (the future starter's 07-31 comes later)", at, ok, err)
			}
			e.clock.to("2026-06-30") // the last day of work: still active
			if rep, err := e.eng.SyncDue(ctx); rep != nil || err != nil {
				t.Errorf("SyncDue on the last day: %v, %v; want nothing due", rep, err)
			}
			e.clock.to("2026-07-01")
			e.calls()
			rep := run(t, e)
			if r := row(t, rep, e.ids["sales_rep"]); r.Result != syncengine.ResultDeactivated || !strings.Contains(r.Detail, "left HiBob") {
				t.Errorf("row = %+v, want deactivated", r)
			}
			if u := e.user(t, "sales_rep"); u.Status != learnamp.StatusDeactivated {
				t.Errorf("status %s after the date, want deactivated", u.Status)
			}
			if n := rep.Counts[syncengine.ResultDeactivated]; n != 1 {
				t.Errorf("%d deactivated, want 1", n)
			}
			c := e.calls()
			if name != "full run" {
				// No search: one read of the employee, one of the user, one deactivation,
				// and a new token (the last one expired weeks ago on the fakes' clock).
				if want := (bobCalls{HRReads: 1, LMSReads: 1, LMSWrites: 1, Tokens: 1}); c != want {
					t.Errorf("due run: %+v, want %+v", c, want)
				}
			}
		})
	}
}

// runQueueOnce runs the engine's queue until it has synced once, as a
// long-running receiver does when a due time arrives.
func runQueueOnce(t *testing.T, e *bobEnv) *syncengine.Report {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reports := make(chan *syncengine.Report, 1)
	q := e.eng.NewQueue(syncengine.QueueOptions{OnRun: func(r *syncengine.Report, err error) {
		if err != nil {
			t.Errorf("queue sync: %v", err)
		}
		select {
		case reports <- r:
		default:
		}
	}})
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	select {
	case rep := <-reports:
		cancel()
		<-done
		return rep
	case err := <-done:
		t.Fatalf("queue stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the queue did not sync what fell due")
	}
	return nil
}

// The invite policies: on the start date (the default) a future starter
// is not created until then and is created invited on the day; now
// creates and invites everyone at once; never creates everyone with
// skipInvitation.
func TestHiBobLearnAmpInvitePolicies(t *testing.T) {
	ctx := context.Background()
	const hedy = "hedy.lamarr@example.com"
	tests := []struct {
		policy          jobs.InvitePolicy
		createdAtOnce   bool
		wantInvitations int // on the first sync
		wantStatus      learnamp.Status
	}{
		{jobs.InviteOnStartDate, false, 5, learnamp.StatusInvitePending},
		{jobs.InviteNow, true, 6, learnamp.StatusInvitePending},
		{jobs.InviteNever, true, 0, learnamp.StatusNotInvited},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			e := newBobEnv(t, func(s *bobSetup) { s.Invite = tt.policy })
			rep := e.sync(t)
			if n := len(e.lms.Invitations()); n != tt.wantInvitations {
				t.Errorf("first sync sent %d invitations, want %d", n, tt.wantInvitations)
			}
			for _, u := range e.lms.Users() {
				if u.Status != tt.wantStatus {
					t.Errorf("%s: status %s, want %s", u.Email, u.Status, tt.wantStatus)
				}
			}
			_, created := e.lms.UserByEmail(hedy)
			if created != tt.createdAtOnce {
				t.Fatalf("future starter created on the first sync: %v, want %v", created, tt.createdAtOnce)
			}
			if tt.createdAtOnce {
				if u, _ := e.lms.UserByEmail(hedy); u.HireDate.String() != "2026-07-31" {
					t.Errorf("future starter's hire date %s", u.HireDate)
				}
				return
			}
			if r := row(t, rep, e.ids["future_starter"]); r.Due != "is created on 2026-07-31" || r.Result != syncengine.ResultSkipped {
				t.Errorf("future starter row = %+v", r)
			}
			e.clock.to("2026-07-30")
			if rep, err := e.eng.SyncDue(ctx); rep != nil || err != nil {
				t.Errorf("SyncDue the day before: %v, %v; want nothing due", rep, err)
			}
			e.sync(t)
			if _, ok := e.lms.UserByEmail(hedy); ok {
				t.Fatal("created the day before the start date")
			}
			e.clock.to("2026-07-31")
			e.calls()
			rep, err := e.eng.SyncDue(ctx)
			if err != nil || rep == nil {
				t.Fatalf("SyncDue on the start date: %v, %v", rep, err)
			}
			// No search: one read of the employee; in Learn Amp the lookups
			// by integrationExternalId and email, the create, and a new token
			// (yesterday's expired).
			if c, want := e.calls(), (bobCalls{HRReads: 1, LMSReads: 2, LMSWrites: 1, Tokens: 1}); c != want {
				t.Errorf("start-date run: %+v, want %+v", c, want)
			}
			if r := row(t, rep, e.ids["future_starter"]); r.Result != syncengine.ResultCreated {
				t.Errorf("row = %+v, want created", r)
			}
			u, ok := e.lms.UserByEmail(hedy)
			if !ok || u.Status != learnamp.StatusInvitePending || u.ManagerID != e.user(t, "eng_manager").ID ||
				u.PrimaryTeamID != e.team(t, e.dept(t, "Platform")).ID {
				t.Errorf("starter on the day: %+v, want invited, in Platform, managed by Ada", u)
			}
			if !slices.ContainsFunc(e.lms.Invitations(), func(i learnamptest.Invitation) bool { return i.Email == hedy }) {
				t.Error("no invitation for the starter")
			}
			if at, ok, _ := e.eng.NextDue(ctx); ok {
				t.Errorf("still due at %v", at)
			}
			if p := e.plan(t); p.HasChanges() {
				t.Errorf("plan after the start date has changes:\n%s", p)
			}
		})
	}
}

// Due times live in the Store: a new process on the same state
// deactivates the future leaver when the date comes.
func TestHiBobLearnAmpDueTimesSurviveANewProcess(t *testing.T) {
	e := newBobEnv(t)
	e.hr.Terminate(e.ids["sales_rep"], "2026-06-30")
	e.sync(t)
	e2 := e.reopen(t)
	if at, ok, err := e2.eng.NextDue(context.Background()); err != nil || !ok || at.Format(time.DateOnly) != "2026-07-01" {
		t.Errorf("a new engine on the store: NextDue %v %v %v", at, ok, err)
	}
	e2.clock.to("2026-07-02")
	rep, err := e2.eng.SyncDue(context.Background())
	if err != nil || rep == nil || !cmp.Equal(rep.Counts[syncengine.ResultDeactivated], 1) {
		t.Errorf("SyncDue in the new process: %v, %+v", err, rep)
	}
}

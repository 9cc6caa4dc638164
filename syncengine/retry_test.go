package syncengine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// A create the target refuses (400, 409 with nothing to adopt) is tried
// once: the HTTP layer has already retried what may pass, and a refused
// create retried blindly is three refused creates.
func TestRefusedCreateIsNotRetried(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"invalid", fmt.Errorf("lms: POST /users: 400 bad mobile number: %w", syncengine.ErrInvalid)},
		{"conflict with nothing to adopt", fmt.Errorf("lms: POST /users: 409 UserName already exists: %w", syncengine.ErrConflict)},
		{"unknown error", errors.New("lms: something odd")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			v.hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "Ng", true))
			v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Err: tt.err})
			rep := v.sync(t)
			if n := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpCreate }); n != 1 {
				t.Errorf("%d create calls, want 1", n)
			}
			if rep.Counts[syncengine.ResultFailed] != 1 {
				t.Errorf("counts = %v, want one failed", rep.Counts)
			}
		})
	}
}

// A retryable failure is retried, up to Config.Retries.
func TestUnavailableCreateIsRetried(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "Ng", true))
	v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Times: 1}) // ErrInjected: unavailable
	rep := v.sync(t)
	if n := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpCreate }); n != 2 {
		t.Errorf("%d create calls, want 2", n)
	}
	if rep.Counts[syncengine.ResultCreated] != 1 {
		t.Errorf("counts = %v, want one created", rep.Counts)
	}
}

// A create refused as a conflict ("username taken") by a record the plan
// did not see — created by another process, or by an earlier run whose
// link was lost — is looked up by match key and adopted: one person, one
// record, linked.
func TestConflictOnCreateAdoptsTheSameRecord(t *testing.T) {
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithUnique(syncengine.Users, "email")})
	v.hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "Ng", true))
	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v.lms.Put(syncengine.Users, learner("l9", "ANA@example.com", "Ana", "Old", true)) // after the plan read the target
	rep, err := eng.Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.links(t); got["e1"] != "l9" {
		t.Errorf("links = %v, want e1 linked to the existing l9", got)
	}
	if n := len(v.lms.Records(syncengine.Users)); n != 1 {
		t.Errorf("lms holds %d users, want 1", n)
	}
	if o := rep.Outcomes[0]; o.Result != syncengine.ResultCreated || o.BID != "l9" {
		t.Errorf("outcome = %+v, want created (adopted) l9", o)
	}
	if got := emails(t, v.lms)["ana@example.com"].Fields["last_name"]; got != "Ng" {
		t.Errorf("adopted record = %+v, want its email and last name reconciled", v.lms.Records(syncengine.Users))
	}
}

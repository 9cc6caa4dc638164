package syncenginetest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func user(email string) syncengine.Record {
	return syncengine.Record{Active: true, Fields: map[string]any{"email": email}}
}

func TestFaultKinds(t *testing.T) {
	cause := errors.New("boom")
	tests := []struct {
		fault       syncenginetest.FaultKind
		err         error
		wantIs      []error
		wantApplied bool
	}{
		{fault: syncenginetest.FailError, wantIs: []error{syncenginetest.ErrInjected}},
		{fault: syncenginetest.FailError, err: cause, wantIs: []error{cause}},
		{fault: syncenginetest.FailUnknown, wantIs: []error{syncengine.ErrOutcomeUnknown}},
		{fault: syncenginetest.FailUnknown, err: cause, wantIs: []error{syncengine.ErrOutcomeUnknown, cause}},
		{fault: syncenginetest.AppliedUnknown, wantIs: []error{syncengine.ErrOutcomeUnknown}, wantApplied: true},
		{fault: syncenginetest.FailTimeout, wantIs: []error{context.DeadlineExceeded}},
		{fault: syncenginetest.AppliedTimeout, wantIs: []error{context.DeadlineExceeded}, wantApplied: true},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			k := syncenginetest.NewConnector("lms")
			k.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Kind: tt.fault, Err: tt.err, Times: 1})
			_, err := k.Create(context.Background(), syncengine.Users, user("a@example.com"))
			for _, want := range tt.wantIs {
				if !errors.Is(err, want) {
					t.Errorf("Create err = %v, want it to wrap %v", err, want)
				}
			}
			if got := len(k.Records(syncengine.Users)); got != map[bool]int{false: 0, true: 1}[tt.wantApplied] {
				t.Errorf("records after fault = %d, applied = %v", got, tt.wantApplied)
			}
			calls := k.Calls()
			if len(calls) != 1 || calls[0].Fault != tt.fault || calls[0].Applied != tt.wantApplied {
				t.Errorf("call log = %+v", calls)
			}
			if _, err := k.Create(context.Background(), syncengine.Users, user("b@example.com")); err != nil {
				t.Errorf("second Create (fault Times: 1 spent): %v", err)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	k := syncenginetest.NewConnector("lms")
	id := k.Put(syncengine.Users, user("a@example.com"))
	other := k.Put(syncengine.Users, user("b@example.com"))
	remove := k.AddFault(syncenginetest.Fault{Op: syncenginetest.OpUpdate, ID: id, Skip: 1, Times: 2})
	ctx := context.Background()
	var got []bool
	for i := 0; i < 4; i++ {
		got = append(got, k.Update(ctx, syncengine.Users, id, map[string]any{"n": i}) != nil)
	}
	if err := k.Update(ctx, syncengine.Users, other, map[string]any{"n": 1}); err != nil {
		t.Errorf("Update of a non-matching id failed: %v", err)
	}
	if diff := cmp.Diff([]bool{false, true, true, false}, got); diff != "" {
		t.Errorf("failures by call (-want +got):\n%s", diff)
	}
	k.AddFault(syncenginetest.Fault{Collection: syncengine.Teams})
	remove()
	if err := k.Update(ctx, syncengine.Users, id, map[string]any{"n": 9}); err != nil {
		t.Errorf("Update after remove: %v", err)
	}
	if _, err := k.Get(ctx, syncengine.Teams, "x"); !errors.Is(err, syncenginetest.ErrInjected) {
		t.Errorf("Get teams with collection fault: err = %v", err)
	}
	k.ClearFaults()
	if _, err := k.Get(ctx, syncengine.Teams, "x"); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Get teams after ClearFaults: err = %v, want ErrNotFound", err)
	}
}

func TestRandomFaults(t *testing.T) {
	run := func() (failed int, log []syncenginetest.FaultKind) {
		k := syncenginetest.NewConnector("lms")
		k.SetRandomFaults(syncenginetest.RandomFaults{Seed: 7, Rate: 0.2})
		id := k.Put(syncengine.Users, user("a@example.com"))
		for i := 0; i < 1000; i++ {
			if _, err := k.Get(context.Background(), syncengine.Users, id); err != nil {
				failed++
			}
		}
		for _, c := range k.Calls() {
			log = append(log, c.Fault)
		}
		for _, err := range k.List(context.Background(), syncengine.Users) {
			if err != nil {
				t.Errorf("List failed although OpList is not in the default Ops: %v", err)
			}
		}
		return failed, log
	}
	failed, log1 := run()
	if failed < 150 || failed > 250 {
		t.Errorf("%d of 1000 calls failed at rate 0.2", failed)
	}
	if _, log2 := run(); !cmp.Equal(log1, log2) {
		t.Error("the same seed gave different faults")
	}
	kinds := map[syncenginetest.FaultKind]bool{}
	for _, k := range log1 {
		kinds[k] = true
	}
	for _, want := range syncenginetest.AllFaultKinds {
		if !kinds[want] {
			t.Errorf("kind %s never drawn", want)
		}
	}
}

func TestCancelAfterWrites(t *testing.T) {
	k := syncenginetest.NewConnector("lms")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k.CancelAfterWrites(2, cancel)
	var errs []error
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		_, err := k.Create(ctx, syncengine.Users, user(e))
		errs = append(errs, err)
	}
	if errs[0] != nil {
		t.Errorf("write 1: %v", errs[0])
	}
	if !errors.Is(errs[1], syncengine.ErrOutcomeUnknown) || !errors.Is(errs[1], context.Canceled) {
		t.Errorf("write 2: err = %v, want ErrOutcomeUnknown and context.Canceled", errs[1])
	}
	if !errors.Is(errs[2], context.Canceled) {
		t.Errorf("write 3: err = %v, want context.Canceled", errs[2])
	}
	if got := len(k.Records(syncengine.Users)); got != 2 {
		t.Errorf("%d records, want 2 (the cancelling write stays applied)", got)
	}
	if w, a := k.Writes(), k.AppliedWrites(); w != 3 || a != 2 {
		t.Errorf("Writes, AppliedWrites = %d, %d; want 3, 2", w, a)
	}
}

func TestScopeAndChanges(t *testing.T) {
	inScope := func(_ syncengine.Collection, r syncengine.Record) bool { return r.Fields["access"] == true }
	k := syncenginetest.NewConnector("hr", syncenginetest.WithScope(inScope))
	ctx := context.Background()
	_, cursor, err := k.Changes(ctx, syncengine.Users, "")
	if err != nil {
		t.Fatal(err)
	}
	in := k.Put(syncengine.Users, syncengine.Record{Fields: map[string]any{"access": true}})
	out := k.Put(syncengine.Users, syncengine.Record{Fields: map[string]any{"access": false}})
	k.Put(syncengine.Teams, syncengine.Record{Fields: map[string]any{"access": true}})
	var listed []string
	for r, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, r.ID)
	}
	if diff := cmp.Diff([]string{in}, listed); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if _, err := k.Get(ctx, syncengine.Users, out); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Get out of scope: err = %v, want ErrNotFound", err)
	}
	if found, _ := k.Find(ctx, syncengine.Users, "access", false); len(found) != 0 {
		t.Errorf("Find returned out-of-scope records %v", found)
	}
	ids, next, err := k.Changes(ctx, syncengine.Users, cursor)
	if diff := cmp.Diff([]string{in, out}, ids); diff != "" || err != nil {
		t.Errorf("Changes err = %v, ids (-want +got):\n%s", err, diff)
	}
	k.Delete(syncengine.Users, in)
	if ids, _, _ := k.Changes(ctx, syncengine.Users, next); !cmp.Equal(ids, []string{in}) {
		t.Errorf("Changes after Delete = %v, want [%s]", ids, in)
	}
	if _, _, err := k.Changes(ctx, syncengine.Users, "bogus"); !errors.Is(err, syncenginetest.ErrBadCursor) {
		t.Errorf("Changes(bogus): err = %v", err)
	}
}

func TestConstraints(t *testing.T) {
	k := syncenginetest.NewConnector("lms", syncenginetest.WithUnique(syncengine.Users, "email"),
		syncenginetest.WithFindFold("email"))
	ctx := context.Background()
	a, err := k.Create(ctx, syncengine.Users, user("ana@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Create(ctx, syncengine.Users, user(" ANA@example.com")); !errors.Is(err, syncenginetest.ErrDuplicate) {
		t.Errorf("duplicate Create: err = %v, want ErrDuplicate", err)
	}
	b := k.Put(syncengine.Users, user("bo@example.com"))
	if err := k.Update(ctx, syncengine.Users, b, map[string]any{"email": "ana@example.com"}); !errors.Is(err, syncenginetest.ErrDuplicate) {
		t.Errorf("duplicate Update: err = %v, want ErrDuplicate", err)
	}
	bad := map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: "ghost"}}}
	if err := k.WriteRefs(ctx, syncengine.Users, a, bad); !errors.Is(err, syncenginetest.ErrBadRef) {
		t.Errorf("WriteRefs to unknown record: err = %v, want ErrBadRef", err)
	}
	if err := k.Update(ctx, syncengine.Users, a, map[string]any{"email": nil}); err != nil {
		t.Fatal(err)
	}
	if r, _ := k.Record(syncengine.Users, a); r.Fields["email"] != nil {
		t.Errorf("Update with nil kept the field: %v", r.Fields)
	}
}

func TestRecordsAreCopies(t *testing.T) {
	k := syncenginetest.NewConnector("lms")
	rec := syncengine.Record{Fields: map[string]any{"tags": []any{"a"}}}
	id := k.Put(syncengine.Users, rec)
	rec.Fields["tags"].([]any)[0] = "mutated"
	got, _ := k.Get(context.Background(), syncengine.Users, id)
	got.Fields["tags"].([]any)[0] = "mutated too"
	if r, _ := k.Record(syncengine.Users, id); r.Fields["tags"].([]any)[0] != "a" {
		t.Errorf("stored record changed through a caller's map: %v", r.Fields)
	}
	if w, r := k.Writes(), k.Reads(); w != 0 || r != 1 {
		t.Errorf("Writes, Reads = %d, %d; want 0, 1 (Put and Record are not calls)", w, r)
	}
}

func TestDuplicates(t *testing.T) {
	k := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	a := k.Put(syncengine.Users, user("ana@example.com"))
	b := k.Put(syncengine.Users, user(" ANA@example.com"))
	k.Put(syncengine.Users, user("bo@example.com"))
	k.Put(syncengine.Users, syncengine.Record{Fields: map[string]any{"name": "no email"}})
	want := map[string][]string{"ana@example.com": {a, b}}
	if diff := cmp.Diff(want, k.Duplicates(syncengine.Users, "email")); diff != "" {
		t.Errorf("Duplicates (-want +got):\n%s", diff)
	}
	if d := k.Duplicates(syncengine.Teams, "email"); len(d) != 0 {
		t.Errorf("Duplicates of an empty collection = %v", d)
	}
}

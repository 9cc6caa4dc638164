package syncenginetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/syncengine"
)

// storeOp is one write of a table-driven store test.
type storeOp struct {
	pair string // default storePair
	put  *syncengine.Link
	del  *syncengine.Link // Collection and AID name the link
}

func storeLinks(t *testing.T, f StoreFactory) {
	u1, u2, t1 := storeLink(syncengine.Users, "1", "b1"), storeLink(syncengine.Users, "2", "b2"), storeLink(syncengine.Teams, "1", "bt1")
	u1b := storeLink(syncengine.Users, "1", "b9")
	u1b.Synced = map[string]string{"b.email": "new@example.com", "a.first_name": "Ana"}
	u1b.UpdatedAt = storeT0.Add(time.Hour)
	type want map[string]map[syncengine.Collection][]syncengine.Link
	tests := []struct {
		name string
		ops  []storeOp
		want want
	}{
		{"put", []storeOp{{put: &u1}, {put: &u2}, {put: &t1}},
			want{storePair: {syncengine.Users: {u1, u2}, syncengine.Teams: {t1}, syncengine.Enrollments: nil}}},
		{"replace", []storeOp{{put: &u1}, {put: &u2}, {put: &u1b}},
			want{storePair: {syncengine.Users: {u1b, u2}, syncengine.Teams: nil}}},
		{"delete", []storeOp{{put: &u1}, {put: &u2}, {put: &t1}, {del: &u1}, {del: &u1}},
			want{storePair: {syncengine.Users: {u2}, syncengine.Teams: {t1}}}},
		{"delete absent", []storeOp{{del: &u1}}, want{storePair: {syncengine.Users: nil}}},
		{"put after delete", []storeOp{{put: &u1}, {del: &u1}, {put: &u1b}}, want{storePair: {syncengine.Users: {u1b}}}},
		{"same id in another collection", []storeOp{{put: &u1}, {put: &t1}, {del: &t1}},
			want{storePair: {syncengine.Users: {u1}, syncengine.Teams: nil}}},
		{"pairs apart", []storeOp{{put: &u1}, {pair: "other", put: &u2}, {pair: "other", del: &u1}},
			want{storePair: {syncengine.Users: {u1}}, "other": {syncengine.Users: {u2}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := f.New(t)
			for i, op := range tt.ops {
				pair := op.pair
				if pair == "" {
					pair = storePair
				}
				if op.put != nil {
					must(t, fmt.Sprint("op ", i), s.PutLink(storeCtx, pair, *op.put))
				} else {
					must(t, fmt.Sprint("op ", i), s.DeleteLink(storeCtx, pair, op.del.Collection, op.del.AID))
				}
			}
			for pair, byColl := range tt.want {
				for c, links := range byColl {
					got, err := s.Links(storeCtx, pair, c)
					must(t, "Links", err)
					if diff := cmp.Diff(links, got, storeCmp...); diff != "" {
						t.Errorf("Links(%s, %s) (-want +got):\n%s", pair, c, diff)
					}
				}
			}
		})
	}
}

func storeLinksOrder(t *testing.T, f StoreFactory) {
	s := f.New(t)
	ids := []string{"b", "10", "B", "9", "a-1", "a", "é", "1"}
	for _, id := range ids {
		must(t, "PutLink", s.PutLink(storeCtx, storePair, storeLink(syncengine.Users, id, "x"+id)))
	}
	links, err := s.Links(storeCtx, storePair, syncengine.Users)
	must(t, "Links", err)
	var got []string
	for _, l := range links {
		got = append(got, l.AID)
	}
	want := []string{"1", "10", "9", "B", "a", "a-1", "b", "é"} // byte order
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Links order (-want +got):\n%s", diff)
	}
}

func storeSyncedValues(t *testing.T, f StoreFactory) {
	s := f.New(t)
	l := storeLink(syncengine.Users, "e1", "u1")
	l.Synced = map[string]string{"a.first_name": "Zoë", "b.email": "", "b.@active": "false",
		"b.custom.field name": "line1\nline2", "a.hire_date": "2024-05-01"}
	must(t, "PutLink", s.PutLink(storeCtx, storePair, l))
	bare := storeLink(syncengine.Users, "e2", "u2")
	bare.Synced = nil
	must(t, "PutLink", s.PutLink(storeCtx, storePair, bare))
	got, err := s.Links(storeCtx, storePair, syncengine.Users)
	must(t, "Links", err)
	if diff := cmp.Diff([]syncengine.Link{l, bare}, got, storeCmp...); diff != "" {
		t.Errorf("synced values (-want +got):\n%s", diff)
	}
	if len(got) == 2 {
		if v, ok := got[0].Synced["b.email"]; !ok || v != "" {
			t.Errorf(`an empty synced value was dropped: Synced["b.email"] = %q, %v`, v, ok)
		}
	}
}

func storeCopies(t *testing.T, f StoreFactory) {
	s := f.New(t)
	l := storeLink(syncengine.Users, "1", "b")
	must(t, "PutLink", s.PutLink(storeCtx, storePair, l))
	l.Synced["b.email"] = "changed by the caller"
	got, err := s.Links(storeCtx, storePair, syncengine.Users)
	must(t, "Links", err)
	got[0].Synced["b.email"] = "changed by a reader"
	r := syncengine.RunRecord{ID: "r", StartedAt: storeT0, Counts: map[string]int{"create": 1}}
	must(t, "AddRun", s.AddRun(storeCtx, storePair, r))
	r.Counts["create"] = 99
	value := []byte("v1")
	must(t, "PutLookup", s.PutLookup(storeCtx, storePair, "k1", syncengine.Lookup{Value: value, At: storeT0}))
	value[0] = 'X'
	lk, _, err := s.Lookup(storeCtx, storePair, "k1")
	must(t, "Lookup", err)
	lk.Value[1] = 'X'

	again, _ := s.Links(storeCtx, storePair, syncengine.Users)
	if again[0].Synced["b.email"] != "1@example.com" {
		t.Errorf("the store shares a link's map with its callers: %v", again[0].Synced)
	}
	runs, _ := s.Runs(storeCtx, storePair)
	if len(runs) != 1 || runs[0].Counts["create"] != 1 {
		t.Errorf("the store shares a run's counts with its caller: %v", runs)
	}
	if lk, _, _ := s.Lookup(storeCtx, storePair, "k1"); !bytes.Equal(lk.Value, []byte("v1")) {
		t.Errorf("the store shares a lookup's bytes with its callers: %q", lk.Value)
	}
}

func storeTimesInUTC(t *testing.T, f StoreFactory) {
	s := f.New(t)
	zone := time.FixedZone("UTC+5", 5*3600)
	at := storeT0.In(zone)
	l := storeLink(syncengine.Users, "1", "b")
	l.UpdatedAt = at
	must(t, "PutLink", s.PutLink(storeCtx, storePair, l))
	must(t, "AddRun", s.AddRun(storeCtx, storePair, syncengine.RunRecord{ID: "r", StartedAt: at, FinishedAt: at}))
	must(t, "PutDue", s.PutDue(storeCtx, storePair, syncengine.Due{Collection: syncengine.Users, Side: syncengine.SideA,
		ID: "1", Kind: "deactivate", At: at}))
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{{Collection: syncengine.Users,
		Side: syncengine.SideA, ID: "1", At: at}}))
	must(t, "PutLookup", s.PutLookup(storeCtx, storePair, "k1", syncengine.Lookup{Value: []byte("v"), At: at}))
	st := dumpStore(t, s, storePair)
	times := map[string]time.Time{"link": st.Links[syncengine.Users][0].UpdatedAt, "run start": st.Runs[0].StartedAt,
		"run finish": st.Runs[0].FinishedAt, "due": st.Dues[0].At, "pending": st.Pending[0].At, "lookup": st.Lookups["k1"].At}
	for what, got := range times {
		if !got.Equal(storeT0) || got.Location() != time.UTC {
			t.Errorf("%s time = %v, want %v in UTC", what, got, storeT0)
		}
	}
}

func storeCursors(t *testing.T, f StoreFactory) {
	s := f.New(t)
	for _, c := range []struct{ pair, name, value string }{
		{storePair, "users", "c1"}, {storePair, "users", "c2"}, {storePair, "teams", "x"}, {storePair, "teams", ""},
		{"other", "users", "o1"}, {storePair, "c1", `{"since":"2026-03-01T00:00:00Z","page":"ä 2"}`},
	} {
		must(t, "PutCursor", s.PutCursor(storeCtx, c.pair, c.name, c.value))
	}
	for _, c := range []struct{ pair, name, want string }{
		{storePair, "users", "c2"}, {storePair, "teams", ""}, {storePair, "never", ""}, {"other", "users", "o1"},
		{"other", "teams", ""}, {"third", "users", ""}, {storePair, "c1", `{"since":"2026-03-01T00:00:00Z","page":"ä 2"}`},
	} {
		got, err := s.Cursor(storeCtx, c.pair, c.name)
		if err != nil || got != c.want {
			t.Errorf("Cursor(%s, %s) = %q, %v; want %q", c.pair, c.name, got, err, c.want)
		}
	}
}

func storeRuns(t *testing.T, f StoreFactory) {
	s := f.New(t)
	r1 := syncengine.RunRecord{ID: "r1", StartedAt: storeT0, FinishedAt: storeT0.Add(time.Minute), Counts: map[string]int{"create": 3, "error": 1}}
	r2 := syncengine.RunRecord{ID: "r2", StartedAt: storeT0.Add(time.Hour), DryRun: true, Err: "boom"}
	r3 := syncengine.RunRecord{ID: "r3", StartedAt: storeT0.Add(-time.Hour)} // order is of AddRun, not of time
	for _, r := range []syncengine.RunRecord{r1, r2, r3} {
		must(t, "AddRun", s.AddRun(storeCtx, storePair, r))
	}
	must(t, "AddRun", s.AddRun(storeCtx, "other", r2))
	runs, err := s.Runs(storeCtx, storePair)
	must(t, "Runs", err)
	if diff := cmp.Diff([]syncengine.RunRecord{r1, r2, r3}, runs, storeCmp...); diff != "" {
		t.Errorf("Runs (-want +got):\n%s", diff)
	}
	if runs, _ := s.Runs(storeCtx, "third"); len(runs) != 0 {
		t.Errorf("Runs of a pair never run = %v, want none", runs)
	}
}

func storeRunRetention(t *testing.T, f StoreFactory) {
	if f.KeepRuns < 1 {
		t.Skip("StoreFactory.KeepRuns is 0")
	}
	s := f.New(t)
	var want []syncengine.RunRecord
	for i := 0; i < f.KeepRuns+3; i++ {
		r := syncengine.RunRecord{ID: fmt.Sprint("r", i), StartedAt: storeT0.Add(time.Duration(i) * time.Minute)}
		must(t, "AddRun", s.AddRun(storeCtx, storePair, r))
		want = append(want, r)
	}
	want = want[3:]
	check := func(what string, s syncengine.Store) {
		runs, err := s.Runs(storeCtx, storePair)
		must(t, "Runs", err)
		if diff := cmp.Diff(want, runs, storeCmp...); diff != "" {
			t.Errorf("%s: Runs after %d runs, keeping %d (-want +got):\n%s", what, f.KeepRuns+3, f.KeepRuns, diff)
		}
	}
	check("store", s)
	if f.Reopen != nil {
		check("reopened store", f.Reopen(t, s))
	}
}

func storeDues(t *testing.T, f StoreFactory) {
	s := f.New(t)
	due := func(side syncengine.Side, id, kind string, h int) syncengine.Due {
		return syncengine.Due{Collection: syncengine.Users, Side: side, ID: id, Kind: kind, At: storeT0.Add(time.Duration(h) * time.Hour)}
	}
	a1, a1later := due(syncengine.SideA, "1", "deactivate", 5), due(syncengine.SideA, "1", "deactivate", 9)
	a1invite, b1 := due(syncengine.SideA, "1", "invite", 5), due(syncengine.SideB, "1", "deactivate", 1)
	a2, team := due(syncengine.SideA, "2", "deactivate", 5), syncengine.Due{Collection: syncengine.Teams,
		Side: syncengine.SideA, ID: "1", Kind: "deactivate", At: storeT0.Add(5 * time.Hour)}
	for _, d := range []syncengine.Due{a1, a1invite, b1, a2, team} {
		must(t, "PutDue", s.PutDue(storeCtx, storePair, d))
	}
	must(t, "PutDue", s.PutDue(storeCtx, "other", a1))
	got, err := s.Dues(storeCtx, storePair)
	must(t, "Dues", err)
	// By time, then collection, side, id, kind.
	if diff := cmp.Diff([]syncengine.Due{b1, team, a1, a1invite, a2}, got[:min(len(got), 5)], storeCmp...); diff != "" || len(got) != 5 {
		t.Errorf("Dues (-want +got):\n%s", diff)
	}
	must(t, "PutDue", s.PutDue(storeCtx, storePair, a1later))                                            // replaces a1
	must(t, "DeleteDue", s.DeleteDue(storeCtx, storePair, due(syncengine.SideB, "1", "deactivate", 99))) // any time
	must(t, "DeleteDue", s.DeleteDue(storeCtx, storePair, due(syncengine.SideB, "404", "deactivate", 1)))
	got, err = s.Dues(storeCtx, storePair)
	must(t, "Dues", err)
	if diff := cmp.Diff([]syncengine.Due{team, a1invite, a2, a1later}, got, storeCmp...); diff != "" {
		t.Errorf("Dues after a replace and deletes (-want +got):\n%s", diff)
	}
	if other, _ := s.Dues(storeCtx, "other"); len(other) != 1 {
		t.Errorf("Dues(other) = %v, want just its own", other)
	}
}

func storePending(t *testing.T, f StoreFactory) {
	s := f.New(t)
	p := func(id string) syncengine.Pending {
		return syncengine.Pending{Collection: syncengine.Users, Side: syncengine.SideA, ID: id, At: storeT0}
	}
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{p("1"), p("2")}))
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{p("3")}))
	must(t, "AddPending", s.AddPending(storeCtx, storePair, nil))
	got, err := s.Pending(storeCtx, storePair)
	must(t, "Pending", err)
	if len(got) != 3 || got[0].ID != "1" || got[1].ID != "2" || got[2].ID != "3" {
		t.Fatalf("Pending = %+v, want records 1, 2, 3 in the order added", got)
	}
	if got[0].Seq == 0 || got[0].Seq >= got[1].Seq || got[1].Seq >= got[2].Seq {
		t.Errorf("Seqs %d, %d, %d: want growing, from more than 0", got[0].Seq, got[1].Seq, got[2].Seq)
	}
	taken := got
	// Record 2 is named again while the first batch is being synced.
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{p("2")}))
	must(t, "DonePending", s.DonePending(storeCtx, storePair, taken))
	left, err := s.Pending(storeCtx, storePair)
	must(t, "Pending", err)
	if len(left) != 1 || left[0].ID != "2" || left[0].Seq <= taken[2].Seq {
		t.Fatalf("after DonePending of a batch while record 2 was named again: Pending = %+v, want record 2 with a Seq above %d", left, taken[2].Seq)
	}
	must(t, "DonePending", s.DonePending(storeCtx, storePair, []syncengine.Pending{p("404")}))
	must(t, "DonePending", s.DonePending(storeCtx, storePair, left))
	if left, _ := s.Pending(storeCtx, storePair); len(left) != 0 {
		t.Errorf("Pending after all are done = %+v", left)
	}
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{{Collection: syncengine.Users, Side: syncengine.SideB, ID: "9"}}))
	again, _ := s.Pending(storeCtx, storePair)
	if len(again) != 1 || again[0].Seq <= left[0].Seq || again[0].At.IsZero() {
		t.Errorf("a record added after all were done: %+v; want a Seq above %d and the time it was added", again, left[0].Seq)
	}
	if other, _ := s.Pending(storeCtx, "other"); len(other) != 0 {
		t.Errorf("Pending(other) = %+v, want none", other)
	}
}

func storePendingCoalesces(t *testing.T, f StoreFactory) {
	s := f.New(t)
	first := syncengine.Pending{Collection: syncengine.Users, Side: syncengine.SideA, ID: "1", At: storeT0}
	later, otherSide := first, first
	later.At = storeT0.Add(time.Hour)
	otherSide.Side = syncengine.SideB
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{first, later}))
	must(t, "AddPending", s.AddPending(storeCtx, storePair, []syncengine.Pending{otherSide, later}))
	got, err := s.Pending(storeCtx, storePair)
	must(t, "Pending", err)
	if len(got) != 2 || got[0].Side != syncengine.SideB || got[1].Side != syncengine.SideA {
		t.Fatalf("Pending = %+v, want side b's record, then side a's (named last)", got)
	}
	if !got[1].At.Equal(storeT0) {
		t.Errorf("a coalesced record has At %v, want its first event's %v", got[1].At, storeT0)
	}
}

func storeLookups(t *testing.T, f StoreFactory) {
	s := f.New(t)
	if _, ok, err := s.Lookup(storeCtx, storePair, "fields"); ok || err != nil {
		t.Errorf("Lookup of a key never put: ok %v, err %v", ok, err)
	}
	v1 := syncengine.Lookup{Value: []byte(`{"custom_field_1":"hireDate"}`), At: storeT0}
	v2 := syncengine.Lookup{Value: []byte{0, 1, 2, 255}, At: storeT0.Add(time.Hour)}
	must(t, "PutLookup", s.PutLookup(storeCtx, storePair, "fields", v1))
	must(t, "PutLookup", s.PutLookup(storeCtx, storePair, "k1", v1))
	must(t, "PutLookup", s.PutLookup(storeCtx, storePair, "k1", v2))
	must(t, "PutLookup", s.PutLookup(storeCtx, "other", "fields", v2))
	for _, c := range []struct {
		pair, key string
		want      syncengine.Lookup
	}{{storePair, "fields", v1}, {storePair, "k1", v2}, {"other", "fields", v2}} {
		got, ok, err := s.Lookup(storeCtx, c.pair, c.key)
		if err != nil || !ok {
			t.Errorf("Lookup(%s, %s): ok %v, err %v", c.pair, c.key, ok, err)
			continue
		}
		if diff := cmp.Diff(c.want, got, storeCmp...); diff != "" {
			t.Errorf("Lookup(%s, %s) (-want +got):\n%s", c.pair, c.key, diff)
		}
	}
}

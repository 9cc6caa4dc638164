package hibob_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
)

// newFake starts a fake on the tests' clock.
func newFake(t testing.TB) *hibobtest.Server {
	srv := hibobtest.NewServer(t)
	srv.SetClock(fixedClock)
	return srv
}

func newConnector(t testing.TB, srv *hibobtest.Server, opts hibob.ConnectorOptions) *hibob.Connector {
	if opts.Now == nil {
		opts.Now = fixedClock
	}
	return hibob.NewConnector(srv.NewClient(t), opts)
}

// listAll lists c by record ID.
func listAll(t testing.TB, k *hibob.Connector, c syncengine.Collection) map[string]syncengine.Record {
	t.Helper()
	out := map[string]syncengine.Record{}
	for r, err := range k.List(ctx, c) {
		if err != nil {
			t.Fatalf("List(%s): %v", c, err)
		}
		out[r.ID] = r
	}
	return out
}

// memCache is a syncengine.Cache in a map.
type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) Get(_ context.Context, k string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok, nil
}

func (c *memCache) Put(_ context.Context, k string, v []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.m[k] = v
	return nil
}

// calls counts the fake's requests by kind.
type calls struct{ search, read, fields, lists, other int }

func countCalls(srv *hibobtest.Server) calls {
	var c calls
	for _, e := range srv.Log().Entries() {
		switch p := strings.TrimPrefix(e.Path, hibobtest.APIPath); {
		case p == "/people/search":
			c.search++
		case p == "/company/people/fields":
			c.fields++
		case strings.HasPrefix(p, "/company/named-lists"):
			c.lists++
		case strings.HasPrefix(p, "/people/") && e.Method == "POST":
			c.read++
		default:
			c.other++
		}
	}
	return c
}

func ref(c syncengine.Collection, id string) []syncengine.Ref {
	return []syncengine.Ref{{Collection: c, ID: id}}
}

// workIDs are an employee's current list item IDs, from the fake.
func workIDs(srv *hibobtest.Server, id string) hibobtest.WorkRow {
	rows := srv.WorkHistory(id)
	return rows[len(rows)-1]
}

// Every SeedCompany employee, field by field, with the default fields.
func TestConnectorUserRecords(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	srv.Terminate(ids["sales_rep"], "2026-09-30") // a future leaver
	recs := listAll(t, newConnector(t, srv, hibob.ConnectorOptions{}), syncengine.Users)
	if len(recs) != 7 {
		t.Fatalf("List yielded %d users, want SeedCompany's 7 (leavers and future starters included)", len(recs))
	}
	eng, mgr := workIDs(srv, ids["engineer"]), ids["eng_manager"]
	want := syncengine.Record{ID: ids["engineer"], Active: true, Fields: map[string]any{
		"root.id": ids["engineer"], "root.email": "alan.turing@example.com",
		"root.firstName": "Alan", "root.surname": "Turing", "root.displayName": "Alan Turing",
		"work.department": "Platform", "work.department.id": eng.DepartmentID,
		"work.title": "Software Engineer", "work.title.id": eng.TitleID,
		"work.site": "London", "work.siteId": eng.SiteID,
		"work.reportsTo": map[string]any{"id": mgr, "firstName": "Ada", "surname": "Lovelace",
			"email": "ada.lovelace@example.com", "displayName": "Ada Lovelace"},
		"work.manager":    mgr,
		"work.startDate":  date(2021, time.May, 10),
		"internal.status": "Active", "internal.lifecycleStatus": "employed", "internal.terminationDate": nil,
		hibobtest.SubDepartmentField: "Platform", // custom fields are kept
	}, Refs: map[string][]syncengine.Ref{
		"manager": ref(syncengine.Users, mgr),
		"teams":   ref(syncengine.Teams, eng.DepartmentID), // the child department's own team
	}}
	if diff := cmp.Diff(want, recs[ids["engineer"]]); diff != "" {
		t.Errorf("engineer (-want +got):\n%s", diff)
	}

	tests := []struct {
		role   string
		active bool
		fields map[string]any // a subset
		refs   map[string][]syncengine.Ref
	}{
		{"ceo", true, map[string]any{"work.department": "Executive", "work.manager": nil, "work.reportsTo": nil},
			map[string][]syncengine.Ref{"manager": {}, "teams": ref(syncengine.Teams, workIDs(srv, ids["ceo"]).DepartmentID)}},
		{"leaver", false, map[string]any{"internal.terminationDate": date(2026, time.January, 15),
			"internal.status": "Inactive", "internal.lifecycleStatus": "terminated"}, nil},
		{"future_starter", true, map[string]any{"work.startDate": date(2026, time.July, 31),
			"internal.status": "Inactive", "internal.lifecycleStatus": "hired", "internal.terminationDate": nil}, nil},
		{"sales_rep", true, map[string]any{"internal.terminationDate": date(2026, time.September, 30), "internal.status": "Active"}, nil},
	}
	for _, tt := range tests {
		got := recs[ids[tt.role]]
		if got.Active != tt.active {
			t.Errorf("%s: Active = %v, want %v", tt.role, got.Active, tt.active)
		}
		sub := map[string]any{}
		for f := range tt.fields {
			if v, ok := got.Fields[f]; ok {
				sub[f] = v
			}
		}
		if diff := cmp.Diff(tt.fields, sub); diff != "" {
			t.Errorf("%s fields (-want +got):\n%s", tt.role, diff)
		}
		if tt.refs != nil {
			if diff := cmp.Diff(tt.refs, got.Refs); diff != "" {
				t.Errorf("%s refs (-want +got):\n%s", tt.role, diff)
			}
		}
	}
}

// Teams: one per department, child departments flat with a parent ref,
// archived ones inactive.
func TestConnectorTeamRecords(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	old := srv.AddDepartment("Old Team", "")
	srv.ArchiveListItem(hibob.ListDepartment, old)
	platform := workIDs(srv, ids["engineer"]).DepartmentID
	eng := workIDs(srv, ids["eng_manager"]).DepartmentID
	recs := listAll(t, newConnector(t, srv, hibob.ConnectorOptions{}), syncengine.Teams)
	team := func(id, name, parent string, active bool) syncengine.Record {
		r := syncengine.Record{ID: id, Active: active, Fields: map[string]any{"id": id, "name": name},
			Refs: map[string][]syncengine.Ref{"parent": {}}}
		if parent != "" {
			r.Refs["parent"] = ref(syncengine.Teams, parent)
		}
		return r
	}
	for _, want := range []syncengine.Record{
		team(eng, "Engineering", "", true),
		team(platform, "Platform", eng, true),
		team(workIDs(srv, ids["sales_rep"]).DepartmentID, "Sales", "", true),
		team(workIDs(srv, ids["ceo"]).DepartmentID, "Executive", "", true),
		team(old, "Old Team", "", false),
	} {
		if diff := cmp.Diff(want, recs[want.ID]); diff != "" {
			t.Errorf("team %s (-want +got):\n%s", want.Fields["name"], diff)
		}
	}
	if len(recs) != 5 {
		t.Errorf("List(teams) yielded %d teams, want 5", len(recs))
	}
}

// Get reads the same record as List, in one read; a team by ID from the
// list in hand.
func TestConnectorGet(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	k := newConnector(t, srv, hibob.ConnectorOptions{})
	listed := listAll(t, k, syncengine.Users)
	teams := listAll(t, k, syncengine.Teams)
	srv.Log().Reset()
	for _, id := range []string{ids["engineer"], ids["leaver"], ids["future_starter"]} {
		got, err := k.Get(ctx, syncengine.Users, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(listed[id], got); diff != "" {
			t.Errorf("Get(%s) differs from List (-list +get):\n%s", id, diff)
		}
	}
	platform := workIDs(srv, ids["engineer"]).DepartmentID
	got, err := k.Get(ctx, syncengine.Teams, platform)
	if err != nil || !cmp.Equal(got, teams[platform]) {
		t.Errorf("Get(teams, %s) = %+v, %v; want %+v", platform, got, err, teams[platform])
	}
	if c := countCalls(srv); c != (calls{read: 3}) {
		t.Errorf("calls = %+v, want 3 reads of one employee and nothing else", c)
	}
}

// A department added after the list was read is found by Get, which reads
// the list again once; an unknown one is not found after that one read.
func TestConnectorGetNewTeam(t *testing.T) {
	srv := newFake(t)
	srv.SeedCompany()
	k := newConnector(t, srv, hibob.ConnectorOptions{})
	listAll(t, k, syncengine.Teams)
	added := srv.AddDepartment("Research", "")
	srv.Log().Reset()
	got, err := k.Get(ctx, syncengine.Teams, added)
	if err != nil || got.Fields["name"] != "Research" || !got.Active {
		t.Fatalf("Get(new team) = %+v, %v", got, err)
	}
	if _, err := k.Get(ctx, syncengine.Teams, "999999"); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Get(unknown team): err = %v, want ErrNotFound", err)
	}
	if c := countCalls(srv); c != (calls{lists: 2}) {
		t.Errorf("calls = %+v, want one list read per miss", c)
	}
}

// Find by root.email ignores case and spaces, finds leavers, and reads
// one employee.
func TestConnectorFind(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	k := newConnector(t, srv, hibob.ConnectorOptions{})
	listAll(t, k, syncengine.Users) // metadata now in hand
	tests := []struct {
		field string
		value any
		want  []string
	}{
		{"root.email", "  Mary.Jackson@EXAMPLE.com ", []string{ids["leaver"]}},
		{"root.email", "alan.turing@example.com", []string{ids["engineer"]}},
		{"root.email", "nobody@example.com", nil},
		{"root.email", "not an email", nil},
		{"root.email", "", nil},
		{"root.id", ids["ceo"], []string{ids["ceo"]}},
		{"root.id", "1234", nil},
	}
	for _, tt := range tests {
		got, err := k.Find(ctx, syncengine.Users, tt.field, tt.value)
		if err != nil {
			t.Fatalf("Find(%s, %q): %v", tt.field, tt.value, err)
		}
		var gotIDs []string
		for _, r := range got {
			gotIDs = append(gotIDs, r.ID)
		}
		if diff := cmp.Diff(tt.want, gotIDs); diff != "" {
			t.Errorf("Find(%s, %q) (-want +got):\n%s", tt.field, tt.value, diff)
		}
	}
	if _, err := k.Find(ctx, syncengine.Users, "work.title", "CEO"); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Find by work.title: err = %v, want ErrUnsupported", err)
	}
	srv.Log().Reset()
	if _, err := k.Find(ctx, syncengine.Users, "root.email", "grace.hopper@example.com"); err != nil {
		t.Fatal(err)
	}
	if c := countCalls(srv); c != (calls{read: 1}) {
		t.Errorf("Find made %+v, want one read", c)
	}
}

// Scope keeps List to the employees it accepts; InScope says the same of
// a record read by Get, so a webhook about an out-of-scope employee
// creates nothing.
func TestConnectorScope(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	engineering := func(r syncengine.Record) bool {
		d, _ := r.Fields["work.department"].(string)
		return d == "Engineering" || d == "Platform"
	}
	k := newConnector(t, srv, hibob.ConnectorOptions{Scope: engineering})
	recs := listAll(t, k, syncengine.Users)
	want := map[string]bool{ids["eng_manager"]: true, ids["engineer"]: true, ids["future_starter"]: true}
	for id := range recs {
		if !want[id] {
			t.Errorf("List yielded %s, out of scope", id)
		}
	}
	if len(recs) != len(want) {
		t.Errorf("List yielded %d users, want %d", len(recs), len(want))
	}
	for role, in := range map[string]bool{"engineer": true, "sales_rep": false, "leaver": false} {
		got, err := k.Get(ctx, syncengine.Users, ids[role])
		if err != nil {
			t.Fatalf("Get(%s) of an out-of-scope employee: %v (Get reads regardless of scope)", role, err)
		}
		if k.InScope(syncengine.Users, got) != in {
			t.Errorf("InScope(Get(%s)) = %v, want %v", role, !in, in)
		}
	}
	if !k.InScope(syncengine.Teams, syncengine.Record{}) {
		t.Error("teams are out of scope; want every team in scope")
	}
}

func TestConnectorDescribe(t *testing.T) {
	k := hibob.NewConnector(nil, hibob.ConnectorOptions{})
	tests := []struct {
		c      syncengine.Collection
		fields map[string]any
		want   string
	}{
		{syncengine.Users, map[string]any{"root.displayName": "Ada L.", "root.firstName": "Ada"}, "Ada L."},
		{syncengine.Users, map[string]any{"root.firstName": " Ada ", "root.surname": "Lovelace"}, "Ada Lovelace"},
		{syncengine.Users, map[string]any{"root.displayName": "  ", "root.surname": "Lovelace"}, "Lovelace"},
		{syncengine.Teams, map[string]any{"name": "Platform", "id": "7"}, "Platform"},
	}
	for _, tt := range tests {
		if got := k.Describe(tt.c, syncengine.Record{Fields: tt.fields}).Name; got != tt.want {
			t.Errorf("Describe(%s, %v) = %q, want %q", tt.c, tt.fields, got, tt.want)
		}
	}
}

package hibob_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
)

// searchBodies are the bodies of the fake's people searches.
func searchBodies(t *testing.T, srv *hibobtest.Server) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range srv.Log().Entries() {
		if e.Path != hibobtest.APIPath+"/people/search" {
			continue
		}
		var b map[string]any
		if err := json.Unmarshal(e.Body, &b); err != nil {
			t.Fatalf("search body %s: %v", e.Body, err)
		}
		out = append(out, b)
	}
	return out
}

// The connector requests exactly the fields the engine asks for, plus the
// ones it needs, in one search with leavers and names, and emits each
// under the key asked for.
func TestConnectorReadsTheFieldsAsked(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	k := newConnector(t, srv, hibob.ConnectorOptions{ExtraFields: []string{"home.mobilePhone"}})
	asked := []string{"root.email", "/work/title", "work.reportsTo.email", "work.department.id", hibobtest.SubDepartmentField}
	if err := k.ReadFields(syncengine.Users, asked); err != nil {
		t.Fatal(err)
	}
	recs := listAll(t, k, syncengine.Users)

	bodies := searchBodies(t, srv)
	if len(bodies) != 1 {
		t.Fatalf("%d searches, want 1", len(bodies))
	}
	wantBody := map[string]any{"showInactive": true, "humanReadable": "APPEND", "fields": []any{
		"root.id", "root.email", "root.firstName", "root.surname", "root.displayName",
		"work.department", "work.reportsTo", "work.manager", "work.startDate",
		"internal.status", "internal.lifecycleStatus", "internal.terminationDate",
		"work.title", hibobtest.SubDepartmentField, "home.mobilePhone",
	}}
	if diff := cmp.Diff(wantBody, bodies[0]); diff != "" {
		t.Errorf("search body (-want +got):\n%s", diff)
	}

	got := recs[ids["engineer"]]
	var keys []string
	for key := range got.Fields {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	wantKeys := []string{"/work/title", "/work/title/id", "home.mobilePhone",
		"internal.lifecycleStatus", "internal.status", "internal.terminationDate",
		"root.displayName", "root.email", "root.firstName", "root.id", "root.surname",
		"work.custom.field_1698036945383", "work.department", "work.department.id",
		"work.manager", "work.reportsTo", "work.reportsTo.email", "work.startDate"}
	if diff := cmp.Diff(wantKeys, keys); diff != "" {
		t.Errorf("record keys (-want +got):\n%s", diff)
	}
	for key, want := range map[string]any{
		"/work/title": "Software Engineer", "work.reportsTo.email": "ada.lovelace@example.com",
		"work.department.id": workIDs(srv, ids["engineer"]).DepartmentID, "home.mobilePhone": nil,
	} {
		if got.Fields[key] != want {
			t.Errorf("Fields[%q] = %#v, want %#v", key, got.Fields[key], want)
		}
	}
}

// A field HiBob does not have fails List and Get with an error matching
// syncengine.ErrUnknownField that names it (HiBob would silently leave
// it out), before any search.
func TestConnectorNamesUnknownFields(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	k := newConnector(t, srv, hibob.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Users, []string{"root.email", "work.departmnt", "email", "work.title.name", "root.email.x"}); err != nil {
		t.Fatal(err)
	}
	check := func(op string, err error) {
		t.Helper()
		if !errors.Is(err, syncengine.ErrUnknownField) {
			t.Fatalf("%s: err = %v, want ErrUnknownField", op, err)
		}
		for _, part := range []string{`"work.departmnt"`, `"email" (the field ID is "root.email")`, `"work.title.name"`, `"root.email.x"`} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%s: error %q does not name %s", op, err, part)
			}
		}
		if strings.Contains(err.Error(), `"root.email",`) {
			t.Errorf("%s: error %q names a field HiBob has", op, err)
		}
	}
	var listErr error
	for _, err := range k.List(ctx, syncengine.Users) {
		listErr = err
		break
	}
	check("List", listErr)
	_, err := k.Get(ctx, syncengine.Users, ids["ceo"])
	check("Get", err)
	if c := countCalls(srv); c.search != 0 || c.read != 0 {
		t.Errorf("calls = %+v: a read was sent with an unknown field", c)
	}
}

// Teams have only id and name; other collections are not served.
func TestConnectorReadFieldsOfTeams(t *testing.T) {
	k := hibob.NewConnector(nil, hibob.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Teams, []string{"name", "id"}); err != nil {
		t.Errorf("ReadFields(teams, name, id): %v", err)
	}
	err := k.ReadFields(syncengine.Teams, []string{"name", "description"})
	if !errors.Is(err, syncengine.ErrUnknownField) || !strings.Contains(err.Error(), `"description"`) {
		t.Errorf("ReadFields(teams, description): err = %v, want ErrUnknownField naming it", err)
	}
	if err := k.ReadFields(syncengine.Courses, []string{"name"}); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("ReadFields(courses): err = %v, want ErrUnsupported", err)
	}
}

// Without ReadFields the records carry DefaultFields and every custom
// field of the metadata; with it, only what was asked.
func TestConnectorDefaultFieldsKeepCustomFields(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	const other = "category_1720508362305.field_1720508416445"
	srv.AddField(hibob.FieldMeta{ID: other, Category: "category_1720508362305", Name: "T-shirt size", Type: "text"})
	srv.SetField(ids["engineer"], other, "M")
	rec := listAll(t, newConnector(t, srv, hibob.ConnectorOptions{}), syncengine.Users)[ids["engineer"]]
	for key, want := range map[string]any{hibobtest.SubDepartmentField: "Platform", other: "M"} {
		if rec.Fields[key] != want {
			t.Errorf("default read: Fields[%q] = %#v, want %#v", key, rec.Fields[key], want)
		}
	}
	k := newConnector(t, srv, hibob.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Users, []string{"root.email"}); err != nil {
		t.Fatal(err)
	}
	rec = listAll(t, k, syncengine.Users)[ids["engineer"]]
	for _, key := range []string{hibobtest.SubDepartmentField, other, "work.title"} {
		if _, ok := rec.Fields[key]; ok {
			t.Errorf("ReadFields(root.email): record carries %s, which nobody asked for", key)
		}
	}
}

// The metadata is read once: kept in the engine's cache, a second
// connector (a new process) reads none; without a cache, one connector
// reads it once. Each List of users is exactly one search; each List of
// teams one read of the department list.
func TestConnectorCalls(t *testing.T) {
	srv := newFake(t)
	srv.SeedCompany()
	cache := &memCache{}
	for run, want := range []calls{{search: 1, fields: 1, lists: 1}, {search: 1, lists: 1}} {
		srv.Log().Reset()
		k := newConnector(t, srv, hibob.ConnectorOptions{})
		k.UseCache(cache)
		if err := k.ReadFields(syncengine.Users, []string{"root.email", "work.title"}); err != nil {
			t.Fatal(err)
		}
		listAll(t, k, syncengine.Teams)
		listAll(t, k, syncengine.Users)
		if got := countCalls(srv); got != want {
			t.Errorf("run %d with the cache: calls = %+v, want %+v", run+1, got, want)
		}
	}

	srv.Log().Reset()
	k := newConnector(t, srv, hibob.ConnectorOptions{})
	for range 3 {
		listAll(t, k, syncengine.Users)
	}
	if got, want := countCalls(srv), (calls{search: 3, fields: 1}); got != want {
		t.Errorf("three Lists without a cache: calls = %+v, want %+v", got, want)
	}
}

// The department list is cached too: a new connector's Get of a team
// reads none while the cache holds it.
func TestConnectorCachesTheDepartmentList(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	cache := &memCache{}
	first := newConnector(t, srv, hibob.ConnectorOptions{})
	first.UseCache(cache)
	listAll(t, first, syncengine.Teams)
	srv.Log().Reset()
	second := newConnector(t, srv, hibob.ConnectorOptions{})
	second.UseCache(cache)
	platform := workIDs(srv, ids["engineer"]).DepartmentID
	if got, err := second.Get(ctx, syncengine.Teams, platform); err != nil || got.Fields["name"] != "Platform" {
		t.Fatalf("Get(team) = %+v, %v", got, err)
	}
	if c := countCalls(srv); c != (calls{}) {
		t.Errorf("Get(team) with a warm cache made %+v, want no call", c)
	}
}

// Fields the service user cannot see are absent (never nil, which would
// clear them downstream), their refs too, with a warning naming them.
func TestConnectorHiddenFields(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	srv.AddServiceUser("LIMITED", "limited-token", hibobtest.Permissions{HiddenCategories: []string{"work"}})
	var logs bytes.Buffer
	client, err := hibob.New("LIMITED", "limited-token", hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()),
		hibob.WithRateLimit(hibob.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	k := hibob.NewConnector(client, hibob.ConnectorOptions{Now: fixedClock, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	rec := listAll(t, k, syncengine.Users)[ids["engineer"]]
	for key := range rec.Fields {
		if strings.HasPrefix(key, "work.") {
			t.Errorf("record carries %s = %#v, hidden from the service user", key, rec.Fields[key])
		}
	}
	if rec.Fields["root.email"] != "alan.turing@example.com" || !rec.Active {
		t.Errorf("visible fields lost: %+v", rec)
	}
	if rec.Refs != nil {
		t.Errorf("Refs = %+v, want none (their fields are hidden, not empty)", rec.Refs)
	}
	if !strings.Contains(logs.String(), "work.department") {
		t.Errorf("no warning naming the hidden fields; log:\n%s", logs.String())
	}
}

// A status the service user cannot see fails the read: every leaver
// would otherwise look employed.
func TestConnectorHiddenStatus(t *testing.T) {
	srv := newFake(t)
	ids := srv.SeedCompany()
	srv.AddServiceUser("LIMITED", "limited-token", hibobtest.Permissions{HiddenCategories: []string{"internal"}})
	client, err := hibob.New("LIMITED", "limited-token", hibob.WithBaseURL(srv.BaseURL()), hibob.WithHTTPClient(srv.Client()),
		hibob.WithRateLimit(hibob.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	k := hibob.NewConnector(client, hibob.ConnectorOptions{Now: fixedClock})
	for _, err := range k.List(ctx, syncengine.Users) {
		if err == nil || !strings.Contains(err.Error(), "internal.status") {
			t.Errorf("List: err = %v, want one naming internal.status", err)
		}
		break
	}
	if _, err := k.Get(ctx, syncengine.Users, ids["leaver"]); err == nil || !strings.Contains(err.Error(), "internal.status") {
		t.Errorf("Get: err = %v, want one naming internal.status", err)
	}
}

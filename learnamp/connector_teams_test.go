package learnamp_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/syncengine"
)

// A team is created in one call, under its parent when it has one; an
// update that renames it is one PUT, one that does not reads the team
// first for the name Learn Amp's update requires.
func TestConnectorTeamWrites(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	parent, err := k.Create(ctx, syncengine.Teams, syncengine.Record{Active: true, Fields: map[string]any{"name": "Kitchen", "integrationExternalId": "dept-9"}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := k.Create(ctx, syncengine.Teams, syncengine.Record{Active: true, Fields: map[string]any{"name": "Pastry"},
		Refs: map[string][]syncengine.Ref{"parent": teamRef(parent)}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"POST /v1/teams 201", "POST /v1/teams 201"}, apiCalls(srv)); d != "" {
		t.Errorf("creates (-want +got):\n%s", d)
	}
	if tm, _ := srv.Team(id); tm.ParentTeamID != parent || tm.Name != "Pastry" {
		t.Errorf("created %+v", tm)
	}
	for _, tc := range []struct {
		name   string
		fields map[string]any
		refs   map[string][]syncengine.Ref
		calls  []string
	}{
		{"rename", map[string]any{"name": "Patisserie"}, nil, []string{"PUT /v1/teams/" + id + " 200"}},
		{"external id", map[string]any{"integrationExternalId": "dept-10"}, nil, []string{"GET /v1/teams/" + id + " 200", "PUT /v1/teams/" + id + " 200"}},
		{"clear external id", map[string]any{"integrationExternalId": nil}, nil, []string{"GET /v1/teams/" + id + " 200", "PUT /v1/teams/" + id + " 200"}},
		{"parent", nil, map[string][]syncengine.Ref{"parent": teamRef(parent)}, []string{"GET /v1/teams/" + id + " 200", "PUT /v1/teams/" + id + " 200"}},
		{"nothing", nil, nil, nil},
	} {
		var err error
		if tc.refs != nil {
			err = k.WriteRefs(ctx, syncengine.Teams, id, tc.refs)
		} else {
			err = k.Update(ctx, syncengine.Teams, id, tc.fields)
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d := cmp.Diff(tc.calls, apiCalls(srv)); d != "" {
			t.Errorf("%s: calls (-want +got):\n%s", tc.name, d)
		}
	}
	if tm, _ := srv.Team(id); tm.Name != "Patisserie" || tm.IntegrationExternalID != "" || tm.ParentTeamID != parent {
		t.Errorf("after the updates %+v", tm)
	}
}

// What Learn Amp's team API cannot do is refused, naming it, before any call.
func TestConnectorTeamWritesRefused(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	tm := srv.SeedCompany().Teams
	srv.Log().Reset()
	for _, tc := range []struct {
		name string
		err  error
		says string
	}{
		{"no name", func() error {
			_, err := k.Create(ctx, syncengine.Teams, syncengine.Record{Fields: map[string]any{"integrationExternalId": "x"}})
			return err
		}(), `"name" is required`},
		{"members", func() error {
			_, err := k.Create(ctx, syncengine.Teams, syncengine.Record{Fields: map[string]any{"name": "X"},
				Refs: map[string][]syncengine.Ref{"members": userRef("1001")}})
			return err
		}(), `role "members"`},
		{"unknown field", k.Update(ctx, syncengine.Teams, tm["dept-1"], map[string]any{"description": "x"}), `"description" is not a Learn Amp team field`},
		{"clear name", k.Update(ctx, syncengine.Teams, tm["dept-1"], map[string]any{"name": nil}), `"name" cannot be cleared`},
		{"top level", k.WriteRefs(ctx, syncengine.Teams, tm["dept-4"], map[string][]syncengine.Ref{"parent": {}}), "parent cannot be removed"},
		{"deactivate", k.SetActive(ctx, syncengine.Teams, tm["dept-1"], false), "unsupported"},
		{"write record", k.Write(ctx, syncengine.Teams, syncengine.Write{ID: tm["dept-1"]}), "unsupported"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.says) {
			t.Errorf("%s: err = %v, want one saying %s", tc.name, tc.err, tc.says)
		}
	}
	if calls := apiCalls(srv); len(calls) != 0 {
		t.Errorf("refused writes made calls: %v", calls)
	}
	if err := k.SetActive(ctx, syncengine.Teams, tm["dept-1"], false); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("SetActive(teams): %v", err)
	}
}

// Find: email ignoring case and spaces in one request, deactivated users
// included; integrationExternalId exactly; team names whole, ignoring case.
func TestConnectorFind(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	ids := func(rs []syncengine.Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tc := range []struct {
		c     syncengine.Collection
		field string
		value any
		want  []string
		calls int
	}{
		{syncengine.Users, "email", " Ada.Lovelace@ACME.test ", []string{co.Users["HR-2"]}, 1},
		{syncengine.Users, "email", "dorothy.vaughan@acme.test", []string{co.Users["HR-6"]}, 1},
		{syncengine.Users, "email", "Nobody@acme.test", nil, 2},
		{syncengine.Users, "email", "", nil, 0},
		{syncengine.Users, "integrationExternalId", "HR-3", []string{co.Users["HR-3"]}, 1},
		{syncengine.Users, "integrationExternalId", "hr-3", nil, 1},
		{syncengine.Teams, "integrationExternalId", "dept-4", []string{co.Teams["dept-4"]}, 1},
		{syncengine.Teams, "name", "sales", []string{co.Teams["dept-2"]}, 1},
		{syncengine.Teams, "name", "Eng", nil, 1},
	} {
		srv.Log().Reset()
		got, err := k.Find(ctx, tc.c, tc.field, tc.value)
		if err != nil {
			t.Errorf("Find(%s, %s, %q): %v", tc.c, tc.field, tc.value, err)
			continue
		}
		if d := cmp.Diff(tc.want, ids(got)); d != "" {
			t.Errorf("Find(%s, %s, %q) (-want +got):\n%s", tc.c, tc.field, tc.value, d)
		}
		if n := len(apiEntries(srv)); n != tc.calls {
			t.Errorf("Find(%s, %s, %q) made %d calls, want %d", tc.c, tc.field, tc.value, n, tc.calls)
		}
	}
	if _, err := k.Find(ctx, syncengine.Users, "jobTitle", "CTO"); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Find by jobTitle: %v", err)
	}
	got, err := k.Find(ctx, syncengine.Users, "email", "dorothy.vaughan@acme.test")
	if err != nil || len(got) != 1 || got[0].Active {
		t.Errorf("a deactivated user found as %+v, %v; want Active false", got, err)
	}
}

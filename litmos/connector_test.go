package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func newConnector(t *testing.T) (*litmos.Connector, *litmostest.Server) {
	srv := litmostest.NewServer(t)
	return litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{}), srv
}

func TestConnectorConformance(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		k, _ := newConnector(t)
		return k
	}, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users, syncengine.Teams},
		NewRecord: func(c syncengine.Collection, i int) syncengine.Record {
			if c == syncengine.Teams {
				return syncengine.Record{Active: true, Fields: map[string]any{"Name": fmt.Sprintf("Team %d", i), "Description": fmt.Sprintf("Team number %d", i)}}
			}
			email := fmt.Sprintf("user%d@example.com", i)
			return syncengine.Record{Active: true, Fields: map[string]any{"UserName": email, "Email": email,
				"FirstName": fmt.Sprintf("First%d", i), "LastName": fmt.Sprintf("Last%d", i), "City": "Porto"}}
		},
		Change: func(c syncengine.Collection, i int) map[string]any {
			return map[string]any{"LastName": fmt.Sprintf("Last%d changed", i), "PhoneWork": "+351 22 000 0000"}
		},
		FindField: map[syncengine.Collection]string{syncengine.Users: "UserName", syncengine.Teams: "Name"},
		FindFold:  true,
	})
}

func TestConnectorUserRecords(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	mgr := seedUser(srv, "boss@example.com")
	id, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{
		"UserName": "ana.lima", "FirstName": "Ana", "LastName": "Lima", "Email": "ana@example.com",
		"PhoneMobile": "+351911111111", "PostalCode": 4000, "JobTitle": "Baker", "ExpirationDate": time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
	}})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.User(id)
	if !stored.IsCustomUsername || stored.PostalCode != "4000" || stored.JobTitle != "Baker" || !stored.Active {
		t.Errorf("stored %+v", stored)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("emails: %v", srv.Messages())
	}
	if err := k.WriteRefs(ctx, syncengine.Users, id, map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: mgr.ID}}}); err != nil {
		t.Fatal(err)
	}
	rec, err := k.Get(ctx, syncengine.Users, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields["UserName"] != "ana.lima" || rec.Fields["FullName"] != "Ana Lima" || rec.Fields["PostalCode"] != "4000" ||
		rec.Refs["manager"][0].ID != mgr.ID || !rec.Fields["ExpirationDate"].(time.Time).Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("record %+v", rec)
	}
	for _, hidden := range []string{"LoginKey", "Password", "Id", "ManagerId"} {
		if _, ok := rec.Fields[hidden]; ok {
			t.Errorf("record shows %s", hidden)
		}
	}
	var keys []string
	for f := range rec.Fields {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	want := slices.Clone(litmos.UserFields())
	slices.Sort(want)
	want = slices.DeleteFunc(want, func(f string) bool { return !slices.Contains(keys, f) && isOptional(f) })
	if d := cmp.Diff(want, keys); d != "" {
		t.Errorf("record fields vs UserFields (-want +got):\n%s", d)
	}
	for _, bad := range []map[string]any{{"FullName": "x"}, {"Nope": "x"}, {"Active": false}, {"DisableMessages": 3}, {"City": []string{"a"}}} {
		if err := k.Update(ctx, syncengine.Users, id, bad); err == nil {
			t.Errorf("Update(%v) accepted", bad)
		}
	}
	if _, err := k.Create(ctx, syncengine.Users, syncengine.Record{Fields: map[string]any{"FirstName": "No", "LastName": "Name"}}); err == nil {
		t.Error("a user without UserName was created")
	}
}

// isOptional: date fields absent when unset.
func isOptional(f string) bool {
	return f == "LastLogin" || f == "CreatedDate" || f == "ExpirationDate"
}

func TestConnectorFindByEmail(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	seedUser(srv, "ann@example.com")
	seedUser(srv, "joann@example.com")
	got, err := k.Find(ctx, syncengine.Users, "Email", " ANN@example.com")
	if err != nil || len(got) != 1 || got[0].Fields["UserName"] != "ann@example.com" {
		t.Errorf("Find Email = %+v, %v", got, err)
	}
	if got, err := k.Find(ctx, syncengine.Users, "UserName", "nobody@example.com"); err != nil || len(got) != 0 {
		t.Errorf("Find absent = %+v, %v", got, err)
	}
	if _, err := k.Find(ctx, syncengine.Users, "City", "Porto"); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Find by City: %v", err)
	}
}

func TestConnectorCreateOutcomeUnknown(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	srv.AddFault(litmostest.Fault{Method: "POST", Times: 1, ApplyThenDrop: true})
	_, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{"UserName": "x@example.com", "LastName": "X"}})
	if !errors.Is(err, syncengine.ErrOutcomeUnknown) || !errors.Is(err, litmos.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want both outcome-unknown sentinels", err)
	}
	got, err := k.Find(ctx, syncengine.Users, "UserName", "x@example.com")
	if err != nil || len(got) != 1 {
		t.Errorf("Find after unknown outcome = %+v, %v", got, err)
	}
}

func TestConnectorTeams(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	parent, err := k.Create(ctx, syncengine.Teams, syncengine.Record{Fields: map[string]any{"Name": "Kitchen"}})
	if err != nil {
		t.Fatal(err)
	}
	child, err := k.Create(ctx, syncengine.Teams, syncengine.Record{Fields: map[string]any{"Name": "Pastry", "Description": "Sweet"},
		Refs: map[string][]syncengine.Ref{"parent": {{Collection: syncengine.Teams, ID: parent}}}})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := seedUser(srv, "a@example.com"), seedUser(srv, "b@example.com"), seedUser(srv, "c@example.com")
	srv.AddTeamMember(child, c.ID)
	members := func(ids ...string) map[string][]syncengine.Ref {
		var refs []syncengine.Ref
		for _, id := range ids {
			refs = append(refs, syncengine.Ref{Collection: syncengine.Users, ID: id})
		}
		return map[string][]syncengine.Ref{"members": refs}
	}
	if err := k.WriteRefs(ctx, syncengine.Teams, child, members(a.ID, b.ID)); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{a.ID, b.ID}, srv.TeamMembers(child)); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	writes := srv.Log().Count(litmostest.IsWrite)
	if err := k.WriteRefs(ctx, syncengine.Teams, child, members(a.ID, b.ID)); err != nil {
		t.Fatal(err)
	}
	if n := srv.Log().Count(litmostest.IsWrite); n != writes {
		t.Errorf("rewriting the same members made %d writes", n-writes)
	}
	rec, err := k.Get(ctx, syncengine.Teams, child)
	if err != nil {
		t.Fatal(err)
	}
	want := syncengine.Record{ID: child, Active: true,
		Fields: map[string]any{"Name": "Pastry", "Description": "Sweet", "TeamCodeForBulkImport": ""},
		Refs: map[string][]syncengine.Ref{"parent": {{Collection: syncengine.Teams, ID: parent}},
			"members": members(a.ID, b.ID)["members"]}}
	if d := cmp.Diff(want, rec); d != "" {
		t.Errorf("team record (-want +got):\n%s", d)
	}
	if err := k.WriteRefs(ctx, syncengine.Teams, child, map[string][]syncengine.Ref{"leaders": nil}); err == nil {
		t.Error("unknown role accepted")
	}
}

func TestConnectorEnrollments(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	u1, u2 := seedUser(srv, "a@example.com"), seedUser(srv, "b@example.com")
	fs := srv.AddCourse(litmos.Course{Code: "FS", Name: "Food safety", Active: true})
	id, err := k.Create(ctx, syncengine.Enrollments, syncengine.Record{Active: true, Refs: map[string][]syncengine.Ref{
		"user": {{Collection: syncengine.Users, ID: u1.ID}}, "course": {{Collection: syncengine.Courses, ID: fs.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	if id != litmos.EnrollmentID(u1.ID, fs.ID) || len(srv.Messages()) != 0 {
		t.Errorf("id %q, messages %v", id, srv.Messages())
	}
	done := time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)
	srv.SetProgress(u2.ID, litmos.UserCourse{ID: fs.ID, Complete: true, PercentageComplete: 100, DateCompleted: litmos.NewTime(done),
		CompliantTill: litmos.NewTime(done.AddDate(1, 0, 0))})
	var got []syncengine.Record
	for r, err := range k.List(ctx, syncengine.Enrollments) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	// The course roster the listing reads has no completion date
	// (https://www.litmos.com/docs/litmos/apis/user-assignments-results-via-api), so
	// the record carries CompliantTill and no DateCompleted.
	if len(got) != 2 || got[1].ID != litmos.EnrollmentID(u2.ID, fs.ID) || got[1].Fields["Complete"] != true ||
		!got[1].Fields["CompliantTill"].(time.Time).Equal(done.AddDate(1, 0, 0)) || got[1].Fields["DateCompleted"] != nil ||
		got[1].Refs["course"][0].ID != fs.ID {
		t.Errorf("enrollments = %+v", got)
	}
	if err := k.SetActive(ctx, syncengine.Enrollments, id, false); err != nil {
		t.Fatal(err)
	}
	// An unassigned course reads back inactive (the syncengine contract: SetActive
	// toggles what Get reads), not absent.
	if rec, err := k.Get(ctx, syncengine.Enrollments, id); err != nil || rec.Active {
		t.Errorf("Get after unassign: %+v, %v", rec, err)
	}
	for _, active := range []bool{false, true, true} {
		if err := k.SetActive(ctx, syncengine.Enrollments, id, active); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Assignments(u1.ID)); n != 1 {
		t.Errorf("%d assignments, want 1", n)
	}
	if _, err := k.Get(ctx, syncengine.Enrollments, "garbage"); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("bad id: %v", err)
	}
	if err := k.Update(ctx, syncengine.Enrollments, id, map[string]any{"Complete": true}); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Update enrollment: %v", err)
	}
}

// TestConnectorClearsManager: an empty "manager" ref sends ManagerId "0",
// Litmos's own "no manager" (as captured by
// https://github.com/jackdog040506/litmos-api-integration), instead of leaving the field
// out of the PUT; a user already without one is not written.
func TestConnectorClearsManager(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	mgr := seedUser(srv, "boss@example.com")
	u := srv.AddUser(litmos.User{UserName: "cal@example.com", Email: "cal@example.com", LastName: "Cal", Active: true, ManagerID: mgr.ID})
	clear := map[string][]syncengine.Ref{"manager": {}}
	if err := k.WriteRefs(ctx, syncengine.Users, u.ID, clear); err != nil {
		t.Fatal(err)
	}
	var puts []string
	for _, e := range srv.Log().Entries() {
		if e.Method == http.MethodPut {
			puts = append(puts, string(e.Body))
		}
	}
	if len(puts) != 1 || !strings.Contains(puts[0], `"ManagerId":"0"`) {
		t.Fatalf("PUTs %q, want one carrying ManagerId \"0\"", puts)
	}
	rec, err := k.Get(ctx, syncengine.Users, u.ID)
	if err != nil || rec.Refs["manager"] != nil {
		t.Errorf("after clearing: refs %v, %v", rec.Refs, err)
	}
	if err := k.WriteRefs(ctx, syncengine.Users, u.ID, clear); err != nil {
		t.Fatal(err)
	}
	if n := srv.Log().Count(litmostest.IsWrite); n != 1 {
		t.Errorf("%d writes, want 1 (clearing again is a no-op)", n)
	}
}

// TestConnectorCreatesShareNothing: a create carries only its own record's
// fields, never one a create before it set (the connector reuses the User
// it fills).
func TestConnectorCreatesShareNothing(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	mgr := seedUser(srv, "boss@example.com")
	first, err := k.Create(ctx, syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{
		"UserName": "ana.lima", "FirstName": "Ana", "LastName": "Lima", "Email": "ana@example.com", "City": "Porto", "JobTitle": "Baker",
	}, Refs: map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: mgr.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	second, err := k.Create(ctx, syncengine.Users, syncengine.Record{Fields: map[string]any{"UserName": "rui@example.com", "LastName": "Sousa"}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := srv.User(first)
	b, _ := srv.User(second)
	if a.City != "Porto" || a.JobTitle != "Baker" || a.ManagerID != mgr.ID || !a.Active || !a.IsCustomUsername {
		t.Errorf("first stored %+v", a)
	}
	if b.City != "" || b.JobTitle != "" || b.FirstName != "" || (b.ManagerID != "" && b.ManagerID != "0") || b.Active || b.IsCustomUsername || b.Email != "rui@example.com" {
		t.Errorf("second stored %+v", b)
	}
}

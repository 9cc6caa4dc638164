package talenthr_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// employeeIDs returns the fake's employee ids in directory order.
func employeeIDs(srv *talenthrtest.Server) []string {
	var ids []string
	for _, e := range srv.Employees() {
		ids = append(ids, e.ID)
	}
	return ids
}

// failDetail makes every GET /v1/employees/{id} of id answer status.
func failDetail(srv *talenthrtest.Server, id string, status int) {
	srv.AddFault(talenthrtest.Fault{Method: http.MethodGet, Path: "/v1/employees/" + id, Status: status,
		Body: `{"error":{"message":"unavailable"}}`})
}

// TestListingGoesOnPastAFailedDetailRead: an employee whose detail read
// keeps failing (after the client's retries) is yielded from its
// directory row with an error wrapping ErrIncomplete, and the listing
// goes on to every other employee. Before, the listing ended there.
func TestListingGoesOnPastAFailedDetailRead(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{})
	seedDirectory(srv, 250)
	if err := k.ReadFields(syncengine.Users, []string{"email", "first_name", "city"}); err != nil {
		t.Fatal(err)
	}
	ids := employeeIDs(srv)
	bad := ids[130]
	failDetail(srv, bad, http.StatusServiceUnavailable)
	var whole, part int
	for r, err := range k.List(ctx, syncengine.Users) {
		switch {
		case err == nil:
			whole++
		case r.ID == bad && errors.Is(err, syncengine.ErrIncomplete):
			part++
			if !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "503") {
				t.Errorf("error %q, want it to name employee %s and the 503", err, bad)
			}
			if r.Fields["email"] != "staff130@acme.test" {
				t.Errorf("record read in part has email %v, want its directory row's", r.Fields["email"])
			}
		default:
			t.Fatalf("List: %v (record %q)", err, r.ID)
		}
	}
	if whole != 249 || part != 1 {
		t.Errorf("listed %d whole and %d in part, want 249 and 1", whole, part)
	}
	// FindMany still finds the employee: read in part, it exists.
	got, err := k.FindMany(ctx, syncengine.Users, "email", []any{"staff130@acme.test"})
	if err != nil || len(got) != 1 || got[0].ID != bad {
		t.Errorf("FindMany of the employee read in part: %v, %v", got, err)
	}
}

// TestListingEndsOnAnOutage: failures no employee gets past end the
// listing: a refused key at once, and maxFailingDetails reads in a row.
func TestListingEndsOnAnOutage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fail   int // employees whose reads fail, from the first
		status int
		want   error
		has    string
	}{
		{"key refused", 1, http.StatusUnauthorized, syncengine.ErrUnauthorized, "401"},
		{"eight in a row", 20, http.StatusServiceUnavailable, nil, "8 employee reads in a row failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, srv := newConnector(t, talenthr.ConnectorOptions{DetailReads: 1})
			seedDirectory(srv, 50)
			if err := k.ReadFields(syncengine.Users, []string{"email", "city"}); err != nil {
				t.Fatal(err)
			}
			for _, id := range employeeIDs(srv)[:tc.fail] {
				failDetail(srv, id, tc.status)
			}
			var last error
			n := 0
			for _, err := range k.List(ctx, syncengine.Users) {
				n++
				last = err
			}
			if last == nil || errors.Is(last, syncengine.ErrIncomplete) || !strings.Contains(last.Error(), tc.has) ||
				(tc.want != nil && !errors.Is(last, tc.want)) {
				t.Fatalf("listing ended with %v, want an error containing %q", last, tc.has)
			}
			if n != 1 {
				t.Errorf("%d yields, want only the error", n)
			}
			reads := srv.Log().Count(func(e talenthrtest.Entry) bool { return strings.HasPrefix(e.Path, "/v1/employees/") })
			if reads > 8*5 {
				t.Errorf("%d employee reads sent, want no more than 8 reads with their retries", reads)
			}
		})
	}
}

// TestHireHeldWhileItsEmployeeCannotBeRead: a learner whose employee
// exists in TalentHR but cannot be read in this run is not hired a second
// time (the employee is matched, not missed) and every other learner is
// hired; the next run, reading it, links it.
func TestHireHeldWhileItsEmployeeCannotBeRead(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"})
	seedDirectory(srv, 120)
	if err := k.ReadFields(syncengine.Users, []string{"email", "first_name", "last_name", "city"}); err != nil {
		t.Fatal(err)
	}
	eng := hireEngine(t, k, srv, []string{"staff007@acme.test", "new1@acme.test", "new2@acme.test"})
	bad := employeeIDs(srv)[7]
	failDetail(srv, bad, http.StatusBadGateway)
	rep, err := eng.Sync(ctx)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if !rep.Failed() || rep.Counts[syncengine.ResultCreated] != 2 {
		t.Errorf("report %v, want 2 hires and the held learner failed", rep.Counts)
	}
	if n := len(srv.Employees()); n != 122 {
		t.Errorf("%d employees, want 122 (staff007 not hired again)", n)
	}
	srv.ClearFaults()
	if rep, err = eng.Sync(ctx); err != nil || rep.Failed() {
		t.Fatalf("second Sync: %v, %v", rep.Counts, err)
	}
	if n := len(srv.Employees()); n != 122 {
		t.Errorf("%d employees after the second run, want 122", n)
	}
}

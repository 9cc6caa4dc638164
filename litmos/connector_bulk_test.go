package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// bulkRecord is a user record a bulk import row carries.
func bulkRecord(i int) syncengine.Record {
	name := fmt.Sprintf("bulk%02d@example.com", i)
	return syncengine.Record{Active: true, Fields: map[string]any{"UserName": name, "Email": name,
		"FirstName": "Bulk", "LastName": fmt.Sprintf("N%02d", i), "City": "Porto"}}
}

func bulkRecords(n int) []syncengine.Record {
	recs := make([]syncengine.Record, n)
	for i := range recs {
		recs[i] = bulkRecord(i)
	}
	return recs
}

// checkCreated fails unless res[i] is the id of record i's user on srv.
func checkCreated(t *testing.T, srv *litmostest.Server, recs []syncengine.Record, res []syncengine.BulkResult, i int) {
	t.Helper()
	name := recs[i].Fields["UserName"].(string)
	u, ok := srv.UserByUsername(name)
	if res[i].Err != nil || !ok || res[i].ID != u.ID {
		t.Errorf("record %d (%s): %+v; want the id of the user made (%q, there %v)", i, name, res[i], u.ID, ok)
	}
}

// TestCreateBulkRefusedWhole: an import Litmos refuses as a whole (413 on
// the POST) is CreateBulk's error, with no results, so the engine
// creates the records one by one; nothing was created.
func TestCreateBulkRefusedWhole(t *testing.T) {
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	srv.AddFault(litmostest.Fault{Method: http.MethodPost, Path: litmostest.ServicePath + "/bulkimports", Status: http.StatusRequestEntityTooLarge})
	res, err := k.CreateBulk(context.Background(), syncengine.Users, bulkRecords(3))
	if res != nil || !errors.Is(err, litmos.ErrBulkRefused) || !strings.Contains(err.Error(), "413") {
		t.Fatalf("CreateBulk = %+v, %v; want nil and ErrBulkRefused with the 413", res, err)
	}
	if n := len(srv.Users()); n != 0 {
		t.Errorf("%d users after a refused import", n)
	}
}

// TestCreateBulkRowRefused: a row the job refuses gets Litmos's reason
// (from usererrors); the rows it took get their new ids.
func TestCreateBulkRowRefused(t *testing.T) {
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	recs := bulkRecords(4)
	recs[1].Fields["Email"] = "not-an-email"
	recs[2].Refs = map[string][]syncengine.Ref{syncengine.RoleManager: {{Collection: syncengine.Users, ID: "noSuchUser1"}}}
	res, err := k.CreateBulk(context.Background(), syncengine.Users, recs)
	if err != nil || len(res) != len(recs) {
		t.Fatalf("CreateBulk = %+v, %v", res, err)
	}
	for i, want := range map[int]string{1: "Failed - Invalid Email", 2: "Failed - Manager noSuchUser1 not found"} {
		if res[i].Err == nil || res[i].ID != "" || !strings.Contains(res[i].Err.Error(), want) ||
			errors.Is(res[i].Err, syncengine.ErrOutcomeUnknown) || errors.Is(res[i].Err, syncengine.ErrUnsupported) {
			t.Errorf("refused row %d: %+v; want an error naming %q", i, res[i], want)
		}
	}
	checkCreated(t, srv, recs, res, 0)
	checkCreated(t, srv, recs, res, 3)
	if n := len(srv.Users()); n != 2 {
		t.Errorf("%d users, want the 2 rows taken", n)
	}
}

// TestCreateBulkPollFails: when the job cannot be followed (its polls
// fail past the retries), a row the listing then shows gets its id; when
// the listing fails too, every row is unconfirmed (ErrOutcomeUnknown,
// which makes the engine look before creating again), and the users do
// exist once the job has run.
func TestCreateBulkPollFails(t *testing.T) {
	polls := litmostest.Fault{Method: http.MethodGet, Path: litmostest.ServicePath + "/bulkimports/*", Status: http.StatusInternalServerError}
	t.Run("listing shows the rows", func(t *testing.T) {
		k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
		srv.AddFault(polls)
		recs := bulkRecords(3)
		res, err := k.CreateBulk(context.Background(), syncengine.Users, recs)
		if err != nil || len(res) != len(recs) {
			t.Fatalf("CreateBulk = %+v, %v", res, err)
		}
		for i := range recs {
			checkCreated(t, srv, recs, res, i)
		}
	})
	t.Run("listing fails too", func(t *testing.T) {
		k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
		srv.AddFault(polls)
		srv.AddFault(litmostest.Fault{Method: http.MethodGet, Status: http.StatusInternalServerError})
		recs := bulkRecords(3)
		res, err := k.CreateBulk(context.Background(), syncengine.Users, recs)
		if err != nil || len(res) != len(recs) {
			t.Fatalf("CreateBulk = %+v, %v", res, err)
		}
		for i, r := range res {
			if r.ID != "" || !errors.Is(r.Err, syncengine.ErrOutcomeUnknown) || !strings.Contains(r.Err.Error(), "500") {
				t.Errorf("record %d: %+v; want ErrOutcomeUnknown naming the 500", i, r)
			}
		}
		srv.FinishBulkImports()
		if n := len(srv.Users()); n != len(recs) {
			t.Errorf("%d users once the job ran, want %d", n, len(recs))
		}
	})
}

// TestCreateBulkUnsupportedField: a record with a field no import column
// takes (TimeZone), an access level the import cannot set, or without a
// column the import requires and Create does not (FirstName; Email, for
// a custom username) is ErrUnsupported alone, and is not sent, so the
// engine creates it alone; the others are imported.
func TestCreateBulkUnsupportedField(t *testing.T) {
	ctx := context.Background()
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	recs := bulkRecords(6)
	recs[1].Fields["TimeZone"] = "Europe/Lisbon"
	recs[2].Fields["AccessLevel"] = "Administrator"
	delete(recs[3].Fields, "FirstName")
	recs[4].Fields["UserName"] = "bulk04"
	delete(recs[4].Fields, "Email")
	res, err := k.CreateBulk(ctx, syncengine.Users, recs)
	if err != nil || len(res) != len(recs) {
		t.Fatalf("CreateBulk = %+v, %v", res, err)
	}
	for i, want := range map[int]string{1: "TimeZone", 2: "Administrator", 3: "FirstName", 4: "Email"} {
		if res[i].ID != "" || !errors.Is(res[i].Err, syncengine.ErrUnsupported) || !strings.Contains(res[i].Err.Error(), want) {
			t.Errorf("record %d: %+v; want ErrUnsupported naming %s", i, res[i], want)
		}
	}
	checkCreated(t, srv, recs, res, 0)
	checkCreated(t, srv, recs, res, 5)
	posted := string(srv.Log().Entries()[0].Body)
	if len(srv.Users()) != 2 || strings.Contains(posted, "bulk01@") || strings.Contains(posted, "bulk02@") ||
		strings.Contains(posted, "bulk03@") || strings.Contains(posted, "bulk04") {
		t.Errorf("%d users; posted %s", len(srv.Users()), posted)
	}
	for _, i := range []int{3, 4} {
		if _, err := k.Create(ctx, syncengine.Users, recs[i]); err != nil {
			t.Errorf("Create of record %d: %v", i, err)
		}
	}
}

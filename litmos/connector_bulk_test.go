package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
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

// postedImports is the bodies of the imports posted to srv, one after the other.
func postedImports(srv *litmostest.Server) string {
	var b strings.Builder
	for _, e := range srv.Log().Entries() {
		if e.Method == http.MethodPost && e.Path == litmostest.ServicePath+"/bulkimports" {
			b.Write(e.Body)
		}
	}
	return b.String()
}

// callsBeforeImport counts the calls made to srv before the first import was posted.
func callsBeforeImport(srv *litmostest.Server) int {
	for i, e := range srv.Log().Entries() {
		if e.Method == http.MethodPost && e.Path == litmostest.ServicePath+"/bulkimports" {
			return i
		}
	}
	return -1
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
		// Skip: the listing of the usernames taken, before the import.
		srv.AddFault(litmostest.Fault{Method: http.MethodGet, Skip: 1, Status: http.StatusInternalServerError})
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
	posted := postedImports(srv)
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

// TestCreateBulkTakenUsername: CreateBulk never imports a username Litmos
// has (an import row updates the user who has it): that record is
// answered ErrUnsupported and created alone, where Create's 409 and the
// engine's look-up decide, and the user who has it is left as it was.
// The usernames taken are those of the latest complete listing (of every
// user, out of UserScope too) if it began less than 15 minutes ago, with
// the users created or renamed alone since; otherwise CreateBulk lists
// them first (one call per 1000 users).
func TestCreateBulkTakenUsername(t *testing.T) {
	type state struct {
		Active                    bool
		FirstName, LastName, City string
	}
	old := litmos.User{UserName: "bulk01@example.com", Email: "bulk01@example.com", FirstName: "Old", LastName: "Owner", City: "Lisbon"}
	want := state{FirstName: "Old", LastName: "Owner", City: "Lisbon"}
	tests := []struct {
		name       string
		opts       litmos.ConnectorOptions
		before     func(t *testing.T, k *litmos.Connector, srv *litmostest.Server, now *time.Time)
		listsFirst bool
	}{{
		name: "listed",
		before: func(t *testing.T, k *litmos.Connector, srv *litmostest.Server, _ *time.Time) {
			srv.AddUser(old)
			listRecords(t, k, syncengine.Users)
		},
	}, {
		name: "listed, out of scope",
		opts: litmos.ConnectorOptions{UserScope: func(u litmos.User) bool { return u.Active }},
		before: func(t *testing.T, k *litmos.Connector, srv *litmostest.Server, _ *time.Time) {
			srv.AddUser(old)
			listRecords(t, k, syncengine.Users)
		},
	}, {
		name:       "not listed",
		before:     func(_ *testing.T, _ *litmos.Connector, srv *litmostest.Server, _ *time.Time) { srv.AddUser(old) },
		listsFirst: true,
	}, {
		name: "listing cut short",
		before: func(t *testing.T, k *litmos.Connector, srv *litmostest.Server, _ *time.Time) {
			srv.AddUser(old)
			for range k.List(context.Background(), syncengine.Users) {
				break
			}
		},
		listsFirst: true,
	}, {
		name: "listed 15 minutes ago",
		before: func(t *testing.T, k *litmos.Connector, srv *litmostest.Server, now *time.Time) {
			srv.AddUser(old)
			listRecords(t, k, syncengine.Users)
			*now = now.Add(15 * time.Minute)
		},
		listsFirst: true,
	}, {
		name: "created alone since the listing",
		before: func(t *testing.T, k *litmos.Connector, _ *litmostest.Server, _ *time.Time) {
			listRecords(t, k, syncengine.Users)
			rec := syncengine.Record{Fields: map[string]any{"UserName": old.UserName, "Email": old.Email,
				"FirstName": old.FirstName, "LastName": old.LastName, "City": old.City}}
			if _, err := k.Create(context.Background(), syncengine.Users, rec); err != nil {
				t.Fatal(err)
			}
		},
	}, {
		name: "renamed since the listing",
		before: func(t *testing.T, k *litmos.Connector, srv *litmostest.Server, _ *time.Time) {
			was := old
			was.UserName, was.Email = "old01@example.com", "old01@example.com"
			u := srv.AddUser(was)
			listRecords(t, k, syncengine.Users)
			if err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: u.ID,
				Fields: map[string]any{"UserName": old.UserName, "Email": old.Email}}); err != nil {
				t.Fatal(err)
			}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, srv := newSourceConnector(t, tc.opts)
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			litmos.SetNow(k, func() time.Time { return now })
			tc.before(t, k, srv, &now)
			srv.Log().Reset()
			recs := bulkRecords(3)
			res, err := k.CreateBulk(context.Background(), syncengine.Users, recs)
			if err != nil || len(res) != len(recs) {
				t.Fatalf("CreateBulk = %+v, %v", res, err)
			}
			if res[1].ID != "" || !errors.Is(res[1].Err, syncengine.ErrUnsupported) || !strings.Contains(res[1].Err.Error(), `"bulk01@example.com" is taken`) {
				t.Errorf("record 1: %+v; want ErrUnsupported: username taken", res[1])
			}
			checkCreated(t, srv, recs, res, 0)
			checkCreated(t, srv, recs, res, 2)
			u, _ := srv.UserByUsername(old.UserName)
			if diff := cmp.Diff(want, state{u.Active, u.FirstName, u.LastName, u.City}); diff != "" {
				t.Errorf("the user who had the username (-want +got):\n%s", diff)
			}
			if posted := postedImports(srv); strings.Contains(posted, "bulk01@") {
				t.Errorf("posted %s", posted)
			}
			if n, want := callsBeforeImport(srv), map[bool]int{true: 1}[tc.listsFirst]; n != want {
				t.Errorf("%d calls before the import, want %d (the listing of the usernames)", n, want)
			}
		})
	}
}

// TestCreateBulkListingFails: when the listing of the usernames taken, made
// before the import, fails, CreateBulk returns its error and no results,
// so the engine creates the records one by one; nothing is posted.
func TestCreateBulkListingFails(t *testing.T) {
	k, srv := newSourceConnector(t, litmos.ConnectorOptions{})
	srv.AddFault(litmostest.Fault{Method: http.MethodGet, Status: http.StatusInternalServerError})
	res, err := k.CreateBulk(context.Background(), syncengine.Users, bulkRecords(3))
	if res != nil || err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("CreateBulk = %+v, %v; want nil and the listing's 500", res, err)
	}
	if n := srv.Log().Count(litmostest.IsWrite); n != 0 {
		t.Errorf("%d writes after the listing failed", n)
	}
}

// A new hire whose username a linked colleague has, on a pair that
// matches on ExternalEmployeeId, is refused in bulk as one at a time
// (Create's 409, then the engine's look-up by employee id finds nobody):
// the row fails, and the colleague's learner is left as it was.
func TestBulkCreateOfTakenUsernameThroughEngine(t *testing.T) {
	for _, bulkMin := range []int{1 << 30, 2} {
		t.Run(fmt.Sprintf("BulkMin %d", bulkMin), func(t *testing.T) {
			ctx := context.Background()
			srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
			srv.SetBulkImportPolls(1)
			colleague := srv.AddUser(litmos.User{UserName: "john.smith", IsCustomUsername: true, Email: "john.smith@old.example",
				FirstName: "John", LastName: "Smith", Active: true, ExternalEmployeeID: "E1"})
			hr := syncenginetest.NewConnector("hr")
			person := func(name, email, first, last, id string) {
				hr.Put(syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{"UserName": name, "Email": email,
					"FirstName": first, "LastName": last, "ExternalEmployeeId": id}})
			}
			person("john.smith", "john.smith@old.example", "John", "Smith", "E1")
			eng, err := syncengine.New(syncengine.Config{
				A: hr, B: litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{}), Store: syncengine.NewMemoryStore(),
				Direction: syncengine.AToB, BulkMin: bulkMin,
				Collections: []syncengine.CollectionRules{{Collection: syncengine.Users,
					AToB: syncengine.Mirror(nil, syncengine.MatchOn("ExternalEmployeeId"))}},
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = eng.Close() })
			if _, err := eng.Sync(ctx); err != nil { // links E1 to the colleague
				t.Fatal(err)
			}
			person("john.smith", "jsmith@new.example", "Johnny", "Smith", "E2") // a different John Smith
			person("new0", "new0@new.example", "New", "Zero", "N0")
			person("new1", "new1@new.example", "New", "One", "N1")
			rep, err := eng.Sync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Counts[syncengine.ResultCreated] != 2 || rep.Counts[syncengine.ResultFailed] != 1 {
				t.Errorf("report: %s; want the 2 others created, the new John Smith failed", rep.Summary())
			}
			got, _ := srv.User(colleague.ID)
			if got.ExternalEmployeeID != "E1" || got.Email != "john.smith@old.example" || got.FirstName != "John" {
				t.Errorf("colleague's learner: employee id %q, email %q, first name %q; want E1, john.smith@old.example, John",
					got.ExternalEmployeeID, got.Email, got.FirstName)
			}
		})
	}
}

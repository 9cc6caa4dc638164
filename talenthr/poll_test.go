package talenthr_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func rowIDs(rows []talenthr.DirectoryRow) []string {
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestPollDirectory walks a company through hires, edits, a termination
// and a deletion, checking what each poll reports and what it costs.
func TestPollDirectory(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany() // 7 listed, 1 terminated and hidden
	c := srv.NewClient(t)
	params := talenthr.DirectoryParams{Limit: 3}

	first, err := c.PollDirectory(ctx, talenthr.DirectorySnapshot{}, params)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.New) != 7 || len(first.Changed)+first.Unchanged+len(first.Gone) != 0 || first.Requests != 3 {
		t.Fatalf("first poll: %d new, %d changed, %d unchanged, %d gone, %d requests; want 7 new in 3 requests",
			len(first.New), len(first.Changed), first.Unchanged, len(first.Gone), first.Requests)
	}
	// The snapshot survives being stored as JSON.
	b, err := json.Marshal(first.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	var stored talenthr.DirectorySnapshot
	if err := json.Unmarshal(b, &stored); err != nil || !cmp.Equal(stored, first.Snapshot) {
		t.Fatalf("snapshot round trip: %v", err)
	}

	// Nothing changed (photo_url differs on every reply, and must not count).
	same, err := c.PollDirectory(ctx, stored, params)
	if err != nil || same.Unchanged != 7 || len(same.New)+len(same.Changed)+len(same.Gone) != 0 || same.Requests != 3 {
		t.Fatalf("unchanged poll: %+v, %v", same, err)
	}

	srv.Edit(ids["sales_rep"], func(e *talenthrtest.Employee) { e.LastName = "Brooks-Hale" })
	hired := srv.AddEmployee(talenthrtest.Employee{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test"})
	srv.Terminate(ids["engineer"], "2025-06-30", "Resignation")
	srv.DeleteEmployee(ids["sales_manager"])
	srv.Log().Reset()
	next, err := c.PollDirectory(ctx, same.Snapshot, params)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{hired}, rowIDs(next.New)); diff != "" {
		t.Errorf("new (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{ids["sales_rep"]}, rowIDs(next.Changed)); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	var gone []string
	for _, g := range next.Gone {
		gone = append(gone, g.ID+" "+string(g.Reason))
	}
	want := []string{ids["engineer"] + " terminated", ids["sales_manager"] + " deleted"}
	if ids["engineer"] > ids["sales_manager"] {
		want[0], want[1] = want[1], want[0]
	}
	if diff := cmp.Diff(want, gone); diff != "" {
		t.Errorf("gone (-want +got):\n%s", diff)
	}
	// 6 rows listed in pages of 3: 3 requests, then one look-up per leaver.
	if next.Requests != 5 || srv.Log().Count(nil) != 5 || next.Unchanged != 4 {
		t.Errorf("requests %d (log %d), unchanged %d; want 5, 5, 4", next.Requests, srv.Log().Count(nil), next.Unchanged)
	}
	if _, kept := next.Snapshot.Employees[ids["engineer"]]; kept {
		t.Error("a leaver stays in the snapshot and would be looked up again")
	}
}

// TestPollDirectoryUnlisted: an employee moved out of the filter is
// reported unlisted and forgotten, not taken for a leaver.
func TestPollDirectoryUnlisted(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	athens := talenthr.DirectoryParams{Filter: talenthr.DirectoryFilter{Locations: []string{srv.LookupID(talenthr.Locations, "Athens")}}}
	first, err := c.PollDirectory(ctx, talenthr.DirectorySnapshot{}, athens)
	if err != nil {
		t.Fatal(err)
	}
	srv.Edit(ids["engineer"], func(e *talenthrtest.Employee) { e.LocationID = srv.LookupID(talenthr.Locations, "New York") })
	next, err := c.PollDirectory(ctx, first.Snapshot, athens)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Gone) != 1 || next.Gone[0].Reason != talenthr.GoneUnlisted || next.Gone[0].Employee.LocationName != "New York" {
		t.Fatalf("gone = %+v", next.Gone)
	}
	if _, kept := next.Snapshot.Employees[ids["engineer"]]; kept {
		t.Error("an unlisted employee stays in the snapshot")
	}
}

// TestPollDirectoryOneRequest: NoPaging reads everything in one request.
func TestPollDirectoryOneRequest(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	seedEmployees(srv, 250)
	c := srv.NewClient(t)
	poll, err := c.PollDirectory(ctx, talenthr.DirectorySnapshot{}, talenthr.DirectoryParams{Offset: talenthr.NoPaging})
	if err != nil || len(poll.New) != 250 || poll.Requests != 1 || srv.Log().Count(nil) != 1 {
		t.Fatalf("%d new in %d requests, %v", len(poll.New), poll.Requests, err)
	}
}

func TestPollDirectoryFailsWhole(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	seedEmployees(srv, 150)
	c := srv.NewClient(t)
	srv.AddFault(talenthrtest.Fault{Path: "/v1/directory", Skip: 1, Status: 500})
	if poll, err := c.PollDirectory(ctx, talenthr.DirectorySnapshot{}, talenthr.DirectoryParams{}); err == nil || poll != nil {
		t.Fatalf("poll with a failed page: %+v, %v", poll, err)
	}
}

func TestFingerprint(t *testing.T) {
	var base talenthr.DirectoryRow
	if err := json.Unmarshal([]byte(`{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28",
		"photo_url":"https://cdn/a.png?Signature=1","tshirt-size":"M","time_off_requests":[]}`), &base); err != nil {
		t.Fatal(err)
	}
	variant := func(s string) talenthr.Fingerprint {
		var r talenthr.DirectoryRow
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		return r.Fingerprint()
	}
	fp := base.Fingerprint()
	for name, s := range map[string]string{
		"id as a string":        `{"id":"19","first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"M"}`,
		"another photo link":    `{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"M","photo_url":"https://cdn/a.png?Signature=2"}`,
		"time off changed":      `{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"M","time_off_requests":[{"id":1}]}`,
		"spacing in extra keys": `{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size" :  "M"}`,
	} {
		if got := variant(s); got != fp {
			t.Errorf("%s: fingerprint changed", name)
		}
	}
	for name, s := range map[string]string{
		"name":                `{"id":19,"first_name":"Jon","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"M"}`,
		"custom column":       `{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"L"}`,
		"termination date":    `{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"M","termination_date":"2026-06-30"}`,
		"a key TalentHR adds": `{"id":19,"first_name":"John","email":"j@x.test","hire_date":"2023-11-28","tshirt-size":"M","pronouns":"he"}`,
	} {
		if got := variant(s); got == fp {
			t.Errorf("%s: fingerprint did not change", name)
		}
	}
	if len(fp) != 32 {
		t.Errorf("fingerprint %q is not 128 bits of hex", fp)
	}
}

// TestPollDirectoryUsesTheClientClock: a vanished employee whose
// termination date has come is terminated even when TalentHR still says
// is_terminated false; "today" is the client's clock (WithClock).
func TestPollDirectoryUsesTheClientClock(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/directory":
			_, _ = w.Write([]byte(`{"success":true,"data":{"total":0,"rows":[]}}`))
		case "/v1/employees/19":
			_, _ = w.Write([]byte(`{"success":true,"data":{"id":19,"is_terminated":false,"termination_date":"2030-01-01"}}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	prev := talenthr.DirectorySnapshot{Employees: map[string]talenthr.Fingerprint{"19": "x"}}
	for day, want := range map[int]talenthr.GoneReason{31: talenthr.GoneUnlisted, 32: talenthr.GoneTerminated} {
		clock := func() time.Time { return time.Date(2029, 12, day, 23, 0, 0, 0, time.UTC) }
		c, err := talenthr.New("k", talenthr.WithBaseURL(srv.URL+"/v1"), talenthr.WithHTTPClient(srv.Client()), talenthr.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		poll, err := c.PollDirectory(ctx, prev, talenthr.DirectoryParams{})
		if err != nil || len(poll.Gone) != 1 || poll.Gone[0].Reason != want {
			t.Errorf("on %s: gone = %+v, %v; want %s", clock().Format("2006-01-02"), poll, err, want)
		}
	}
	if _, err := talenthr.New("k", talenthr.WithClock(nil)); err == nil {
		t.Error("WithClock(nil) accepted")
	}
}

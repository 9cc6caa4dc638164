package litmos_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// rawFields reads a JSON object's members as the exact bytes sent.
func rawFields(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	return m
}

func lastWrite(t *testing.T, srv *litmostest.Server) litmostest.Entry {
	t.Helper()
	var last *litmostest.Entry
	for _, e := range srv.Log().Entries() {
		if litmostest.IsWrite(e) {
			e := e
			last = &e
		}
	}
	if last == nil {
		t.Fatal("no write was sent")
	}
	return *last
}

// TestPutSendsBackWhatWasRead: UpdateUser on a recorded-style user full of
// nulls PUTs every field it did not change byte for byte as read (null
// stays null, unknown fields keep their raw JSON), and only these differ:
// the two fields changed, the computed ones blanked or left out as
// before, and values Litmos would not take back in their read form.
func TestPutSendsBackWhatWasRead(t *testing.T) {
	srv, c := newFake(t)
	read, err := os.ReadFile(filepath.Join("testdata", "user_nulls.json"))
	if err != nil {
		t.Fatal(err)
	}
	const id = "aBcDeFgHiJk1"
	path := litmostest.ServicePath + "/users/" + id
	srv.AddFault(litmostest.Fault{Method: http.MethodGet, Path: path, Status: 200, Body: string(read)})
	srv.AddFault(litmostest.Fault{Method: http.MethodPut, Path: path, Status: 200})

	if _, err := c.UpdateUser(context.Background(), id, func(u *litmos.User) error {
		u.City, u.CustomField3 = "Leeds", "night shift"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	put := lastWrite(t, srv)
	goldenBytes(t, "user_nulls_put.golden.json", put.Body)

	in, out := rawFields(t, read), rawFields(t, put.Body)
	want := map[string]string{
		"City": `"Leeds"`, "CustomField3": `"night shift"`, // changed
		"FullName": `""`, "LoginKey": `""`, "LastLogin": `""`, // computed: blanked as before
		"PostalCode":             `"94583"`,                             // a number read into a string field goes as a string
		"FirstName":              `"Seán"`,                              // entities decoded, not written back doubled
		"ExpirationDate":         `"/Date(1801353600000)/"`,             // JSON requests take /Date(ms)/ only
		"EnableTextNotification": string(in["EnableTextNotifications"]), // the primary spelling
	}
	left := map[string]bool{"OriginalId": true, "CreatedDate": true, "Points": true, "ManagerName": true,
		"UpdatedDate": true, "EnableTextNotifications": true}
	for k, v := range in {
		if _, changed := want[k]; !changed && !left[k] {
			want[k] = string(v) // everything else exactly as read
		}
	}
	got := map[string]string{}
	for k, v := range out {
		got[k] = string(v)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("PUT body by field (-want +got):\n%s", d)
	}
	for _, k := range []string{"CustomField2", "SalesforceId", "SalesforceAccountId", "JobRole", "Website"} {
		if got[k] != "null" {
			t.Errorf("%s read as null went back as %s", k, got[k])
		}
	}
}

// TestPutClearsOptionalFieldsRead: an optional field (one not in every
// tenant's user object) the read had and the caller cleared goes out as
// its zero value ("", false, null for a date), as a PUT replaces the user
// whole; one the read did not have stays out.
func TestPutClearsOptionalFieldsRead(t *testing.T) {
	srv, c := newFake(t)
	const id = "aBcDeFgHiJk1"
	path := litmostest.ServicePath + "/users/" + id
	read := `{"Id":"` + id + `","UserName":"ana@example.com","FirstName":"Ana","LastName":"Lima","Email":"ana@example.com","Active":true,` +
		`"ExternalEmployeeId":"E1","EnableTextNotification":true,"Website":"https://ana.example","ExpirationDate":"/Date(1801353600000)/","JobRole":"Sales"}`
	srv.AddFault(litmostest.Fault{Method: http.MethodGet, Path: path, Status: 200, Body: read})
	srv.AddFault(litmostest.Fault{Method: http.MethodPut, Path: path, Status: 200})
	if _, err := c.UpdateUser(context.Background(), id, func(u *litmos.User) error {
		u.ExternalEmployeeID, u.EnableTextNotification, u.Website, u.ExpirationDate, u.JobRole = "", false, "", litmos.Time{}, ""
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := rawFields(t, lastWrite(t, srv).Body)
	want := map[string]string{"ExternalEmployeeId": `""`, "EnableTextNotification": "false", "Website": `""`, "ExpirationDate": "null", "JobRole": `""`}
	for k, v := range want {
		if string(got[k]) != v {
			t.Errorf("%s cleared went as %s, want %s", k, got[k], v)
		}
	}
	for _, k := range []string{"Twitter", "ProfileType", "ManagerId"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s, not read and not set, went as %s", k, v)
		}
	}
}

// TestNullRoundTripOnTheFake: a user seeded with empty fields reads back
// null there; an update of one field keeps the others null in the fake's
// state, while a client that sends "" turns them into "" (what the old
// client did), which the fake tells apart.
func TestNullRoundTripOnTheFake(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	u := seedUser(srv, "ana@example.com")
	if _, err := c.UpdateUser(ctx, u.ID, func(u *litmos.User) error { u.City = "Porto"; return nil }); err != nil {
		t.Fatal(err)
	}
	code, body, _ := rawGet(t, srv, "/users/"+u.ID)
	f := rawFields(t, []byte(body))
	if code != 200 || string(f["City"]) != `"Porto"` || string(f["CustomField2"]) != "null" || string(f["Skype"]) != "null" {
		t.Fatalf("after the update: %d City %s CustomField2 %s Skype %s", code, f["City"], f["CustomField2"], f["Skype"])
	}
	// A PUT that writes "" is stored as "".
	read, _ := c.GetUser(ctx, u.ID)
	b, _ := json.Marshal(map[string]any{"Id": u.ID, "UserName": read.UserName, "Email": read.Email,
		"FirstName": read.FirstName, "LastName": read.LastName, "Active": true, "CustomField2": ""})
	if code, msg := rawSend(t, srv, http.MethodPut, "/users/"+u.ID, b); code != 200 {
		t.Fatalf("raw PUT: %d %s", code, msg)
	}
	_, body, _ = rawGet(t, srv, "/users/"+u.ID)
	if got := string(rawFields(t, []byte(body))["CustomField2"]); got != `""` {
		t.Errorf("CustomField2 written as \"\" reads back %s", got)
	}
}

// TestUpdateUserFromWritesWithoutARead: users listed once are changed
// with one PUT each and no GET; an unchanged user costs nothing; the read
// object is left as it was.
func TestUpdateUserFromWritesWithoutARead(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	for _, n := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		seedUser(srv, n)
	}
	users := collect(t, c.ListUserDetails(ctx, litmos.ListParams{}))
	srv.Log().Reset()
	for i := range users {
		city := "Porto"
		if i == 2 {
			city = users[i].City // no change
		}
		got, err := c.UpdateUserFrom(ctx, &users[i], func(u *litmos.User) error { u.City = city; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if got.City != city || users[i].City != "" {
			t.Errorf("user %d: written %q, read object now %q", i, got.City, users[i].City)
		}
	}
	var calls []string
	for _, e := range srv.Log().Entries() {
		calls = append(calls, e.Method)
	}
	if d := cmp.Diff([]string{"PUT", "PUT"}, calls); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	stored, _ := srv.User(users[1].ID)
	if stored.City != "Porto" || stored.LastName != users[1].LastName {
		t.Errorf("stored %+v", stored)
	}
	tests := []struct {
		name   string
		read   *litmos.User
		change func(*litmos.User) error
		want   string
	}{
		{"nil read", nil, nil, "has no Id"},
		{"Id changed", &users[0], func(u *litmos.User) error { u.ID = "other"; return nil }, "altered the Id"},
		{"change fails", &users[0], func(*litmos.User) error { return errors.New("no city") }, "no city"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateUserFrom(ctx, tt.read, tt.change)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestUsersChangedSince: the guard names the users changed after the
// read (and, by its 14-hour margin, shortly before), in one call.
func TestUsersChangedSince(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	old := seedUser(srv, "old@example.com")
	seedUser(srv, "untouched@example.com") // two days before the read: not named
	now = now.Add(48 * time.Hour)
	readAt := now
	kept := seedUser(srv, "kept@example.com") // changed at the read: within the margin
	now = now.Add(time.Hour)
	if _, err := c.UpdateUser(ctx, old.ID, func(u *litmos.User) error { u.City = "Leeds"; return nil }); err != nil {
		t.Fatal(err)
	}
	srv.Log().Reset()
	ids, err := c.UsersChangedSince(ctx, readAt)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]bool{old.ID: true, kept.ID: true}, ids); d != "" {
		t.Errorf("changed (-want +got):\n%s", d)
	}
	if n := srv.Log().Count(nil); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// goldenBytes compares got with testdata/name exactly (rewritten with -update).
func goldenBytes(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if flag.Lookup("update").Value.String() == "true" {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(strings.TrimSuffix(string(want), "\n"), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, d)
	}
}

// rawGet sends GET path (under /v1.svc) to the fake as JSON and returns the reply as sent.
func rawGet(t *testing.T, srv *litmostest.Server, path string) (int, string, http.Header) {
	t.Helper()
	return rawDo(t, srv, http.MethodGet, path, nil, "")
}

// rawSend sends a JSON write to the fake and returns the status and body.
func rawSend(t *testing.T, srv *litmostest.Server, method, path string, body []byte) (int, string) {
	t.Helper()
	code, b, _ := rawDo(t, srv, method, path, body, "application/json")
	return code, b
}

func rawDo(t *testing.T, srv *litmostest.Server, method, path string, body []byte, contentType string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, srv.BaseURL()+path+"?source=test&format=json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", litmostest.APIKey)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

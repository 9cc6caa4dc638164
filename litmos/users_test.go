package litmos_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestListUsersPages(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	for i := 0; i < 2345; i++ {
		seedUser(srv, fmt.Sprintf("user%04d@example.com", i))
	}
	got := collect(t, c.ListUsers(ctx, litmos.ListUsersParams{}))
	if len(got) != 2345 || got[0].UserName != "user0000@example.com" || got[2344].UserName != "user2344@example.com" {
		t.Fatalf("got %d users", len(got))
	}
	var starts []string
	for _, e := range srv.Log().Entries() {
		starts = append(starts, e.Query.Get("start")+"/"+e.Query.Get("limit")+"/"+e.Query.Get("showInactive"))
	}
	if d := cmp.Diff([]string{"0/1000/true", "1000/1000/true", "2000/1000/true"}, starts); d != "" {
		t.Errorf("pages requested (-want +got):\n%s", d)
	}
	page, err := c.ListUsersPage(ctx, litmos.ListUsersParams{ListParams: litmos.ListParams{Start: 10, Limit: 5}})
	if err != nil || len(page) != 5 || page[0].UserName != "user0010@example.com" {
		t.Errorf("one page: %d users, %v", len(page), err)
	}
	if _, err := c.ListUsersPage(ctx, litmos.ListUsersParams{ListParams: litmos.ListParams{Limit: 1001}}); err == nil {
		t.Error("limit 1001 accepted")
	}
}

func TestListUsersActiveOnlyAndDetails(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	seedUser(srv, "on@example.com")
	off := seedUser(srv, "off@example.com")
	if err := c.DeactivateUser(ctx, off.ID); err != nil {
		t.Fatal(err)
	}
	all := collect(t, c.ListUsers(ctx, litmos.ListUsersParams{}))
	active := collect(t, c.ListUsers(ctx, litmos.ListUsersParams{ActiveOnly: true}))
	if len(all) != 2 || len(active) != 1 || active[0].UserName != "on@example.com" {
		t.Errorf("all %v, active %v", all, active)
	}
	details := collect(t, c.ListUserDetails(ctx, litmos.ListParams{}))
	if len(details) != 2 || details[1].Active || details[0].CreatedDate.IsZero() || details[0].OriginalID == 0 {
		t.Errorf("details = %+v", details)
	}
}

func TestSearchIsFuzzyFindIsExact(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	for _, n := range []string{"charlie.quinn", "charlie.quinn123", "charlie.quinn@pieshop.net", "dana@pieshop.net"} {
		seedUser(srv, n)
	}
	found := collect(t, c.SearchUsers(ctx, "charlie.quinn"))
	if len(found) != 3 {
		t.Errorf("search found %d users, want the 3 partial matches", len(found))
	}
	tests := []struct {
		name, lookup, want string
		fault              bool // GET /users/{username} answers 404, so the search path runs
	}{
		{"direct", "charlie.quinn", "charlie.quinn", false},
		{"case", "CHARLIE.Quinn@PieShop.net", "charlie.quinn@pieshop.net", false},
		{"search fallback", "charlie.quinn", "charlie.quinn", true},
		{"search fallback email", "charlie.quinn@pieshop.net", "charlie.quinn@pieshop.net", true},
		{"absent", "charlie", "", false},
		{"absent via search", "charlie.q", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ClearFaults()
			if tt.fault {
				srv.AddFault(litmostest.Fault{Method: http.MethodGet, Path: litmostest.ServicePath + "/users/" + tt.lookup, Status: 404, Body: `{"Detail":"User not found"}`})
			}
			u, err := c.FindUserByUsername(ctx, tt.lookup)
			if tt.want == "" {
				if !errors.Is(err, litmos.ErrNotFound) {
					t.Fatalf("got %v, %v; want ErrNotFound", u, err)
				}
				return
			}
			if err != nil || u.UserName != tt.want || u.OriginalID == 0 {
				t.Fatalf("got %+v, %v; want the full user %s", u, err, tt.want)
			}
		})
	}
}

func TestGetUser(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	seeded := srv.AddUser(litmos.User{UserName: "eve@example.com", Email: "eve@example.com", FirstName: "Eve", LastName: "Ng",
		Active: true, PhoneWork: "555", Extra: litmos.Extra{"Department": json.RawMessage(`"Ops"`)}})
	got, err := c.GetUser(ctx, seeded.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(seeded, *got); d != "" {
		t.Errorf("GetUser (-seeded +got):\n%s", d)
	}
	_, err = c.GetUser(ctx, "nobody")
	if !errors.Is(err, litmos.ErrNotFound) || !strings.Contains(err.Error(), "User not found") {
		t.Errorf("unknown user: %v", err)
	}
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	in := litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true, City: "Porto"}
	u, err := c.CreateUser(ctx, in, litmos.CreateUserParams{})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.UserByUsername("ana@example.com")
	if u.ID == "" || u.ID != stored.ID || stored.City != "Porto" || stored.FullName != "Ana Lima" || stored.AccessLevel != "Learner" {
		t.Errorf("created %+v, stored %+v", u, stored)
	}
	e := srv.Log().Entries()[0]
	if e.Query.Get("sendmessage") != "false" || e.Header.Get("Content-Type") != "application/json" {
		t.Errorf("create sent sendmessage=%q Content-Type %q", e.Query.Get("sendmessage"), e.Header.Get("Content-Type"))
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("emails sent: %v", srv.Messages())
	}
	// A taken username (any case) is a conflict carrying Litmos's message.
	in.UserName = "ANA@example.com"
	_, err = c.CreateUser(ctx, in, litmos.CreateUserParams{})
	const wantMsg = `litmos: create user "ANA@example.com": POST /v1.svc/users: 409 UserName already exists`
	if !errors.Is(err, litmos.ErrConflict) || err.Error() != wantMsg {
		t.Errorf("duplicate: %v, want ErrConflict saying %s", err, wantMsg)
	}
	// Asked to, Litmos sends the welcome email.
	if _, err := c.CreateUser(ctx, litmos.User{UserName: "bo@example.com", Email: "bo@example.com", LastName: "Bo"}, litmos.CreateUserParams{SendMessage: true}); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || m[0].Kind != "welcome" {
		t.Errorf("messages = %v", m)
	}
	for _, bad := range []litmos.User{{UserName: "ab", LastName: "X"}, {UserName: "abc@example.com"}} {
		if _, err := c.CreateUser(ctx, bad, litmos.CreateUserParams{}); err == nil {
			t.Errorf("CreateUser(%+v) succeeded", bad)
		}
	}
}

// TestCreateOutcomeUnknown: Litmos applies the create but the reply is lost;
// the client says so (never retrying a create blindly) and the user is found.
func TestCreateOutcomeUnknown(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	srv.AddFault(litmostest.Fault{Method: http.MethodPost, Times: 1, ApplyThenDrop: true})
	_, err := c.CreateUser(ctx, litmos.User{UserName: "cy@example.com", Email: "cy@example.com", LastName: "Cy"}, litmos.CreateUserParams{})
	if !errors.Is(err, litmos.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n := len(srv.Users()); n != 1 {
		t.Fatalf("%d users stored, want 1 (no blind retry)", n)
	}
	u, err := c.FindUserByUsername(ctx, "cy@example.com")
	if err != nil || u.UserName != "cy@example.com" {
		t.Errorf("find after unknown outcome: %v, %v", u, err)
	}
}

// TestUpdateUserIsReadModifyWrite: the fake treats PUT as full replacement,
// so every field the client did not send would be lost.
func TestUpdateUserIsReadModifyWrite(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	seeded := srv.AddUser(litmos.User{UserName: "eve@example.com", Email: "eve@example.com", FirstName: "Eve", LastName: "Ng",
		Active: true, PhoneWork: "555", CustomField7: "keep", Street1: "1 Main St",
		Extra: litmos.Extra{"Department": json.RawMessage(`"Ops"`)}})
	got, err := c.UpdateUser(ctx, seeded.ID, func(u *litmos.User) error { u.City = "Lisbon"; u.PhoneWork = ""; return nil })
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.User(seeded.ID)
	want := seeded
	want.City, want.PhoneWork = "Lisbon", ""
	if d := cmp.Diff(want, stored); d != "" {
		t.Errorf("stored after update (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, *got); d != "" {
		t.Errorf("returned (-want +got):\n%s", d)
	}
	puts := srv.Log().Count(func(e litmostest.Entry) bool { return e.Method == http.MethodPut })
	// No change, no write; an error from change, no write.
	if _, err := c.UpdateUser(ctx, seeded.ID, func(u *litmos.User) error { u.City = "Lisbon"; return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := c.UpdateUser(ctx, seeded.ID, func(u *litmos.User) error { u.City = "X"; return boom }); !errors.Is(err, boom) {
		t.Errorf("change error: %v", err)
	}
	if _, err := c.UpdateUser(ctx, seeded.ID, func(u *litmos.User) error { u.ID = "other"; return nil }); err == nil {
		t.Error("an Id change was accepted")
	}
	if n := srv.Log().Count(func(e litmostest.Entry) bool { return e.Method == http.MethodPut }); n != puts || puts != 1 {
		t.Errorf("PUTs: %d then %d, want 1 and no more", puts, n)
	}
	// Renaming onto a taken username is a conflict.
	seedUser(srv, "taken@example.com")
	if _, err := c.UpdateUser(ctx, seeded.ID, func(u *litmos.User) error { u.UserName = "taken@example.com"; return nil }); !errors.Is(err, litmos.ErrConflict) {
		t.Errorf("rename to taken: %v", err)
	}
	if _, err := c.UpdateUser(ctx, "nobody", func(*litmos.User) error { return nil }); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestSetActiveAndDelete(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	u := seedUser(srv, "fay@example.com")
	for _, step := range []struct {
		do   func(context.Context, string) error
		want bool
	}{{c.DeactivateUser, false}, {c.DeactivateUser, false}, {c.ReactivateUser, true}} {
		if err := step.do(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := srv.User(u.ID); got.Active != step.want || got.FirstName != "fay" {
			t.Errorf("Active = %v, want %v (user %+v)", got.Active, step.want, got)
		}
	}
	if n := srv.Log().Count(litmostest.IsWrite); n != 2 {
		t.Errorf("%d writes, want 2 (the second deactivation is a no-op)", n)
	}
	if err := c.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.User(u.ID); ok {
		t.Error("user still there after delete")
	}
	if err := c.DeleteUser(ctx, u.ID); !errors.Is(err, litmos.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestListUsersChanged(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	srv, c := newFake(t)
	srv.SetClock(func() time.Time { return now })
	old := seedUser(srv, "old@example.com")
	now = now.Add(2 * time.Hour)
	fresh := seedUser(srv, "new@example.com")
	now = now.Add(2 * time.Hour)
	if err := c.DeactivateUser(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 4, 1, 13, 0, 0, 0, time.UTC)
	var got []string
	for u, err := range c.ListUsersChanged(ctx, from, from.Add(90*time.Minute), litmos.ListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.UserName+" "+string(u.Extra["UpdatedDate"]))
	}
	if d := cmp.Diff([]string{`new@example.com "2026-04-01T14:00:00Z"`}, got); d != "" {
		t.Errorf("changed users (-want +got):\n%s", d)
	}
	e := srv.Log().Entries()[len(srv.Log().Entries())-1]
	if e.Query.Get("since") != "2026-04-01 13:00:00" || e.Query.Get("to") != "2026-04-01 14:30:00" {
		t.Errorf("sent since=%q to=%q", e.Query.Get("since"), e.Query.Get("to"))
	}
	for _, err := range c.ListUsersChanged(ctx, from, from, litmos.ListParams{}) {
		if err == nil {
			t.Error("an empty window was accepted")
		}
	}
	// The connector's Changes: from now, then what changed since.
	k := litmos.NewConnector(c, litmos.ConnectorOptions{Now: func() time.Time { return now }})
	ids, cursor, err := k.Changes(ctx, syncengine.Users, "")
	if err != nil || len(ids) != 0 || cursor != "2026-04-01T16:00:00Z" {
		t.Fatalf("Changes(\"\") = %v, %q, %v", ids, cursor, err)
	}
	ids, next, err := k.Changes(ctx, syncengine.Users, cursor)
	if err != nil || next != cursor || !slices.Contains(ids, old.ID) || !slices.Contains(ids, fresh.ID) {
		t.Errorf("Changes(cursor) = %v, %q, %v; want both users (the window overlaps)", ids, next, err)
	}
	if _, _, err := k.Changes(ctx, syncengine.Users, "yesterday"); err == nil {
		t.Error("a foreign cursor was accepted")
	}
}

// TestCreateReplyWithoutID: a create answered with no Id, or with JSON
// that breaks off (also after the Id, which the connector alone reads),
// is an unknown outcome, through the client and the connector.
func TestCreateReplyWithoutID(t *testing.T) {
	for _, body := range []string{"", `{"Id":""}`, "<html>oops</html>", `{"Id":"u1","UserName":`, `{"Id":"u1"} {}`} {
		srv, c := newFake(t)
		srv.AddFault(litmostest.Fault{Method: http.MethodPost, Status: http.StatusCreated, Body: body})
		_, err := c.CreateUser(context.Background(), litmos.User{UserName: "jo@example.com", LastName: "J"}, litmos.CreateUserParams{})
		if !errors.Is(err, litmos.ErrOutcomeUnknown) || !strings.HasPrefix(err.Error(), `litmos: create user "jo@example.com": created, but the reply is unreadable`) {
			t.Errorf("body %q: %v, want ErrOutcomeUnknown", body, err)
		}
		srv.AddFault(litmostest.Fault{Method: http.MethodPost, Status: http.StatusCreated, Body: body})
		k := litmos.NewConnector(c, litmos.ConnectorOptions{})
		id, err := k.Create(context.Background(), syncengine.Users, syncengine.Record{Active: true,
			Fields: map[string]any{"UserName": "jo@example.com", "LastName": "J"}})
		if !errors.Is(err, syncengine.ErrOutcomeUnknown) || id != "" {
			t.Errorf("connector, body %q: %q, %v, want ErrOutcomeUnknown", body, id, err)
		}
		_, err = c.CreateTeam(context.Background(), litmos.Team{Name: "T"})
		if !errors.Is(err, litmos.ErrOutcomeUnknown) {
			t.Errorf("team, body %q: %v, want ErrOutcomeUnknown", body, err)
		}
	}
}

// TestUpdateUserPutBody: the PUT UpdateUser sends carries no ISO date and no
// live LoginKey (single use:
// https://www.litmos.com/docs/litmos/apis/api-single-sign-on; ISO dates fail in
// JSON requests: https://github.com/charliequinn/python-litmos-api), and a date
// the change sets goes as "/Date(ms)/", also through the connector.
func TestUpdateUserPutBody(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	seeded := srv.AddUser(litmos.User{UserName: "ivy@example.com", Email: "ivy@example.com", LastName: "Ivy", Active: true})
	exp := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	k := litmos.NewConnector(c, litmos.ConnectorOptions{})
	if err := k.Update(ctx, syncengine.Users, seeded.ID, map[string]any{"ExpirationDate": exp}); err != nil {
		t.Fatal(err)
	}
	var put *litmostest.Entry
	for _, e := range srv.Log().Entries() {
		if e.Method == http.MethodPut {
			put = &e
		}
	}
	if put == nil {
		t.Fatal("no PUT sent")
	}
	body := string(put.Body)
	for _, bad := range []string{seeded.LoginKey, seeded.CreatedDate.Format("2006-01-02T"), `"OriginalId"`} {
		if strings.Contains(body, bad) {
			t.Errorf("PUT body carries %q: %s", bad, body)
		}
	}
	if !strings.Contains(body, `"ExpirationDate":"/Date(1801353600000)/"`) {
		t.Errorf("PUT body lacks the expiration date as /Date(ms)/: %s", body)
	}
	stored, _ := srv.User(seeded.ID)
	if !stored.ExpirationDate.Time.Equal(exp) || stored.LoginKey != seeded.LoginKey || !stored.CreatedDate.Equal(seeded.CreatedDate) {
		t.Errorf("stored %+v", stored)
	}
}

// TestEncodedQueriesPerClient: the query each client encodes once carries
// its own source and the create's own flags; two clients with different
// sources on one server never send each other's.
func TestEncodedQueriesPerClient(t *testing.T) {
	ctx := context.Background()
	srv := litmostest.NewServer(t)
	other, err := litmos.New(litmostest.APIKey, "other-app", litmos.WithBaseURL(srv.BaseURL()),
		litmos.WithHTTPClient(srv.Client()), litmos.WithRateLimit(litmos.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	clients := map[string]*litmos.Client{litmostest.Source: srv.NewClient(t), "other-app": other}
	type sent struct{ source, send, skip string }
	var want []sent
	for _, source := range []string{litmostest.Source, "other-app"} {
		c := clients[source]
		for _, p := range []litmos.CreateUserParams{{}, {SendMessage: true}, {SkipFirstLogin: true}, {SendMessage: true, SkipFirstLogin: true}} {
			name := fmt.Sprintf("%s.%t.%t@example.com", source, p.SendMessage, p.SkipFirstLogin)
			u, err := c.CreateUser(ctx, litmos.User{UserName: name, Email: name, FirstName: "A", LastName: "B", Active: true}, p)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, sent{source, strconv.FormatBool(p.SendMessage), strconv.FormatBool(p.SkipFirstLogin)})
			if _, err := c.UpdateUser(ctx, u.ID, func(u *litmos.User) error { u.City = "Porto"; return nil }); err != nil {
				t.Fatal(err)
			}
			want = append(want, sent{source, "", ""})
		}
	}
	var got []sent
	for _, e := range srv.Log().Entries() {
		if e.Method != http.MethodPost && e.Method != http.MethodPut {
			continue
		}
		if e.Query.Get("format") != "json" || len(e.Query["source"]) != 1 {
			t.Errorf("%s %s: query %v", e.Method, e.Path, e.Query)
		}
		got = append(got, sent{e.Query.Get("source"), e.Query.Get("sendmessage"), e.Query.Get("skipfirstlogin")})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("queries sent:\n%v\nwant\n%v", got, want)
	}
}

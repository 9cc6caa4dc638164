package litmos_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
)

// pagingServer serves GET /teams from n teams named t0..t(n-1). extra is
// how many items beyond limit each page carries (as
// https://github.com/Trifoia/litmos-sdk reports Litmos does);
// ignoreStart makes it serve the first page whatever start says.
func pagingServer(t *testing.T, n, extra int, ignoreStart bool, starts *[]string) *litmos.Client {
	return jsonClient(t, func(r *http.Request) string {
		q := r.URL.Query()
		*starts = append(*starts, q.Get("start"))
		start, _ := strconv.Atoi(q.Get("start"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		if ignoreStart {
			start = 0
		}
		var items []string
		for i := start; i < n && i < start+limit+extra; i++ {
			items = append(items, fmt.Sprintf(`{"Id":"id%d","Name":"t%d"}`, i, i))
		}
		return "[" + strings.Join(items, ",") + "]"
	})
}

// jsonClient returns a client whose every request is answered 200 with
// the JSON body reply returns.
func jsonClient(t *testing.T, reply func(*http.Request) string) *litmos.Client {
	t.Helper()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(reply(r))), Request: r}, nil
	})}
	c, err := litmos.New("k", "app", litmos.WithBaseURL("https://litmos.test/v1.svc"), litmos.WithHTTPClient(hc), litmos.WithRateLimit(litmos.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPagingLongerPagesSkipNothing: pages longer than limit advance start
// by what arrived, so no team is skipped or listed twice.
func TestPagingLongerPagesSkipNothing(t *testing.T) {
	var starts []string
	c := pagingServer(t, 10, 1, false, &starts)
	var got []string
	for tm, err := range c.ListTeams(context.Background(), litmos.ListParams{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tm.Name)
	}
	if d := cmp.Diff([]string{"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"}, got); d != "" {
		t.Errorf("teams (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"0", "4", "8"}, starts); d != "" {
		t.Errorf("starts requested (-want +got):\n%s", d)
	}
}

// TestPagingStopsWhenStartIsIgnored: a server that serves the same full
// page whatever start says ends the listing with an error, not a loop.
func TestPagingStopsWhenStartIsIgnored(t *testing.T) {
	var starts []string
	c := pagingServer(t, 10, 0, true, &starts)
	n, errs := 0, 0
	for _, err := range c.ListTeams(context.Background(), litmos.ListParams{Limit: 3}) {
		if err != nil {
			errs++
			if !strings.Contains(err.Error(), "repeats the previous page") {
				t.Errorf("err = %v", err)
			}
			continue
		}
		n++
		if n > 100 {
			t.Fatal("the listing does not end")
		}
	}
	if n != 3 || errs != 1 || len(starts) != 2 {
		t.Errorf("%d teams, %d errors, %d calls; want 3, 1 and 2", n, errs, len(starts))
	}
}

// recordingClient answers every request with an empty JSON list and
// records each request as "path?query".
func recordingClient(t *testing.T, got *[]string) *litmos.Client {
	return jsonClient(t, func(r *http.Request) string {
		*got = append(*got, r.URL.EscapedPath()+"?"+r.URL.Query().Encode())
		return "[]"
	})
}

// drain runs seq to its end and returns its first error.
func drain[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestListRequests pins the exact request each list call sends, and the
// error each names for options Litmos would refuse.
func TestListRequests(t *testing.T) {
	ctx := context.Background()
	opts := litmos.ListParams{Start: 5, Limit: 20, Search: "ann", Sort: "Name", Dir: "ASC"}
	bad := litmos.ListParams{Limit: 1001}
	since := time.Date(2026, 4, 1, 13, 0, 0, 0, time.FixedZone("X", 3600))
	until := since.Add(90 * time.Minute)
	for _, tc := range []struct {
		name         string
		call         func(*litmos.Client, litmos.ListParams) error
		want, badErr string
	}{
		{"ListUsersPage", func(c *litmos.Client, o litmos.ListParams) error {
			_, err := c.ListUsersPage(ctx, litmos.ListUsersParams{ListParams: o, ActiveOnly: true})
			return err
		}, "/v1.svc/users?dir=ASC&format=json&limit=20&search=ann&showInactive=false&sort=Name&source=app&start=5",
			"litmos: list users: limit 1001 is outside 0..1000"},
		{"ListUsers", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListUsers(ctx, litmos.ListUsersParams{ListParams: o}))
		}, "/v1.svc/users?dir=ASC&format=json&limit=20&search=ann&showInactive=true&sort=Name&source=app&start=5",
			"litmos: list users: limit 1001 is outside 0..1000"},
		{"ListUserDetails", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListUserDetails(ctx, o))
		}, "/v1.svc/users/details?dir=ASC&format=json&limit=20&search=ann&sort=Name&source=app&start=5",
			"litmos: list user details: limit 1001 is outside 0..1000"},
		{"ListUsersChanged", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListUsersChanged(ctx, since, until, o))
		}, "/v1.svc/org/users/details?dir=ASC&format=json&limit=20&search=ann&since=2026-04-01+12%3A00%3A00&sort=Name&source=app&start=5&to=2026-04-01+13%3A30%3A00",
			"litmos: list changed users: limit 1001 is outside 0..1000"},
		{"ListTeamsPage", func(c *litmos.Client, o litmos.ListParams) error {
			_, err := c.ListTeamsPage(ctx, o)
			return err
		}, "/v1.svc/teams?dir=ASC&format=json&limit=20&search=ann&sort=Name&source=app&start=5",
			"litmos: list teams: limit 1001 is outside 0..1000"},
		{"ListSubTeams", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListSubTeams(ctx, "t 1", o))
		}, "/v1.svc/teams/t%201/teams?dir=ASC&format=json&limit=20&search=ann&sort=Name&source=app&start=5",
			"litmos: list sub-teams of t 1: limit 1001 is outside 0..1000"},
		{"ListTeamMembers", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListTeamMembers(ctx, "t1", o))
		}, "/v1.svc/teams/t1/users?dir=ASC&format=json&limit=20&search=ann&sort=Name&source=app&start=5",
			"litmos: list members of team t1: limit 1001 is outside 0..1000"},
		{"ListCourses", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListCourses(ctx, o))
		}, "/v1.svc/courses?dir=ASC&format=json&limit=20&search=ann&sort=Name&source=app&start=5",
			"litmos: list courses: limit 1001 is outside 0..1000"},
		{"ListUserCourses", func(c *litmos.Client, o litmos.ListParams) error {
			return drain(c.ListUserCourses(ctx, "u1", o))
		}, "/v1.svc/users/u1/courses?dir=ASC&format=json&limit=20&search=ann&sort=Name&source=app&start=5",
			"litmos: list courses of user u1: limit 1001 is outside 0..1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			c := recordingClient(t, &got)
			if err := tc.call(c, opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]string{tc.want}, got); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
			got = nil
			err := tc.call(c, bad)
			if err == nil || err.Error() != tc.badErr || len(got) != 0 {
				t.Errorf("limit 1001: err %v, %d requests; want %q and none", err, len(got), tc.badErr)
			}
		})
	}
}

// TestGetEmptyID: a Get with no id names the call and sends nothing.
func TestGetEmptyID(t *testing.T) {
	var sent []string
	c := recordingClient(t, &sent)
	ctx := context.Background()
	for _, tc := range []struct {
		get  func(string) error
		want string
	}{
		{func(id string) error { _, err := c.GetUser(ctx, id); return err }, "litmos: get user: id is empty"},
		{func(id string) error { _, err := c.GetTeam(ctx, id); return err }, "litmos: get team: id is empty"},
		{func(id string) error { _, err := c.GetCourse(ctx, id); return err }, "litmos: get course: id is empty"},
	} {
		if err := tc.get(""); err == nil || err.Error() != tc.want {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
	if len(sent) != 0 {
		t.Errorf("sent %v", sent)
	}
}

// TestLongSearchIsCut: a lookup longer than Litmos's 50-character search
// searches for its first 50 characters.
func TestLongSearchIsCut(t *testing.T) {
	srv, c := newFake(t)
	name := strings.Repeat("é", 60) + "@example.com"
	if _, err := c.FindUserByUsername(context.Background(), name); !errors.Is(err, litmos.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var searches []string
	for _, e := range srv.Log().Entries() {
		if e.Query.Has("search") {
			searches = append(searches, e.Query.Get("search"))
		}
	}
	if d := cmp.Diff([]string{strings.Repeat("é", 50)}, searches); d != "" {
		t.Errorf("searches (-want +got):\n%s", d)
	}
}

// Pages and users are decoded from a reused body buffer: what one read
// returned stays as it was after later reads reuse the buffer.
func TestReadsKeepNothingOfTheBody(t *testing.T) {
	user := func(i int) string {
		return fmt.Sprintf(`{"Id":"u%d","UserName":"user%d@example.com","FirstName":"F%d","LastName":"L%d","Active":true,"LearnerSince":"%d","CreatedDate":"2016-11-10T13:50:11Z"}`, i, i, i, i, i)
	}
	c := jsonClient(t, func(r *http.Request) string {
		if strings.HasSuffix(r.URL.Path, "/users/details") {
			start, _ := strconv.Atoi(r.URL.Query().Get("start"))
			return "[" + user(start) + "," + user(start+1) + "]"
		}
		i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], "u"))
		return user(i)
	})
	ctx := context.Background()
	first, err := c.ListUserDetailsPage(ctx, litmos.ListParams{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	one, err := c.GetUser(ctx, "u7")
	if err != nil {
		t.Fatal(err)
	}
	encode := func(us ...litmos.User) string {
		b, err := json.Marshal(us)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want, wantOne := encode(first...), encode(*one)
	for i := 0; i < 20; i++ { // reads that reuse the buffers
		if _, err := c.ListUserDetailsPage(ctx, litmos.ListParams{Start: 100 + i, Limit: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetUser(ctx, "u"+strconv.Itoa(50+i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := encode(first...); got != want {
		t.Errorf("page changed after later reads:\n%s\nwant\n%s", got, want)
	}
	if got := encode(*one); got != wantOne {
		t.Errorf("user changed after later reads:\n%s\nwant\n%s", got, wantOne)
	}
	if first[0].Extra["LearnerSince"] == nil || first[1].UserName != "user1@example.com" || one.FirstName != "F7" {
		t.Errorf("unexpected decode: %+v %+v", first, one)
	}
}

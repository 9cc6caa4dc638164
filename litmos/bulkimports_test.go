package litmos_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// fastPolls waits a nanosecond between polls: the fake finishes a job
// after a number of polls, not of seconds.
var fastPolls = litmos.WaitParams{Interval: time.Nanosecond}

func importRow(i int) litmos.UserImport {
	name := fmt.Sprintf("user%05d@example.com", i)
	return litmos.UserImport{Username: name, Email: name, FirstName: "First", LastName: fmt.Sprintf("Last%05d", i),
		City: "Porto", Title: "Baker & Co"}
}

// callsByKind counts the log as "POST /bulkimports", "GET /bulkimports/{id}" and so on.
func callsByKind(srv *litmostest.Server) map[string]int {
	out := map[string]int{}
	for _, e := range srv.Log().Entries() {
		p := strings.TrimPrefix(e.Path, litmostest.ServicePath)
		parts := strings.Split(p, "/")
		if len(parts) > 2 {
			parts[2] = "{id}"
		}
		out[e.Method+" "+strings.Join(parts, "/")]++
	}
	return out
}

// TestImportUsersOneJob: 250 users in one job cost one POST and the
// polls (three on the fake), nothing else; both flags go explicitly.
func TestImportUsersOneJob(t *testing.T) {
	srv, c := newFake(t)
	rows := make([]litmos.UserImport, 250)
	for i := range rows {
		rows[i] = importRow(i)
	}
	res, err := c.ImportUsers(context.Background(), rows, litmos.ImportUsersParams{WaitParams: fastPolls})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"POST /bulkimports": 1, "GET /bulkimports/{id}": 3}
	if d := cmp.Diff(want, callsByKind(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	if len(res.Jobs) != 1 || res.Jobs[0].TotalUsersCreated != 250 || len(res.Errors) != 0 || len(res.Unapplied) != 0 {
		t.Errorf("result %+v", res)
	}
	post := srv.Log().Entries()[0]
	if post.Query.Get("sendmessage") != "false" || post.Query.Get("skipfirstlogin") != "false" ||
		post.Header.Get("Content-Type") != "application/xml" || !strings.Contains(string(post.Body), "Baker &amp; Co") {
		t.Errorf("POST query %v, Content-Type %q", post.Query, post.Header.Get("Content-Type"))
	}
	u, ok := srv.UserByUsername("user00249@example.com")
	if !ok || u.City != "Porto" || u.JobTitle != "Baker & Co" || !u.Active {
		t.Errorf("imported user %+v", u)
	}
}

// TestImportUsersSplitsUnderTheLimit: rows that do not fit in one body go
// in several jobs, each body within the limit, one after the other.
func TestImportUsersSplitsUnderTheLimit(t *testing.T) {
	tests := []struct {
		name     string
		rows     int
		pad      int // bytes of CustomField1 per row
		maxBytes int
		jobs     int
	}{
		{"small jobs", 200, 0, 20_000, 0},
		{"Litmos's limit", 3000, 700, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
			c := srv.NewClient(t)
			rows := make([]litmos.UserImport, tt.rows)
			for i := range rows {
				rows[i] = importRow(i)
				rows[i].CustomField1 = strings.Repeat("x", tt.pad)
			}
			res, err := c.ImportUsers(context.Background(), rows, litmos.ImportUsersParams{WaitParams: fastPolls, MaxJobBytes: tt.maxBytes})
			if err != nil {
				t.Fatal(err)
			}
			limit := tt.maxBytes
			if limit == 0 {
				limit = litmos.MaxBulkImportBytes
			}
			var posts, total int
			for _, e := range srv.Log().Entries() {
				if e.Method == http.MethodPost {
					posts++
					if len(e.Body) > limit {
						t.Errorf("a body of %d bytes, over %d", len(e.Body), limit)
					}
				}
			}
			for _, j := range res.Jobs {
				total += int(j.TotalUsersCreated)
			}
			wantJobs := tt.jobs
			if wantJobs == 0 {
				wantJobs = (tt.rows*len(postedRow(t, rows[0])) + limit - 1) / limit
			}
			if posts != wantJobs || len(res.Jobs) != posts || total != tt.rows || len(srv.Users()) != tt.rows {
				t.Errorf("%d posts, %d jobs, %d created, %d users; want %d jobs of %d users", posts, len(res.Jobs), total, len(srv.Users()), wantJobs, tt.rows)
			}
			if n := srv.Log().Count(nil); n != 4*posts {
				t.Errorf("%d calls, want %d (a POST and 3 polls a job)", n, 4*posts)
			}
		})
	}
}

// postedRow is the XML of one row as the client sends it.
func postedRow(t *testing.T, r litmos.UserImport) string {
	srv, c := newFake(t)
	if _, err := c.StartBulkImport(context.Background(), []litmos.UserImport{r}, litmos.BulkImportParams{}); err != nil {
		t.Fatal(err)
	}
	body := string(srv.Log().Entries()[0].Body)
	return strings.TrimSuffix(strings.TrimPrefix(body, "<UserImports>"), "</UserImports>")
}

// TestImportUsersRowErrors: rows the client can judge are not sent; rows
// Litmos refuses are read back in one call; the others are imported, an
// existing user keeping the fields the row does not give.
func TestImportUsersRowErrors(t *testing.T) {
	srv, c := newFake(t)
	srv.AddTeam(litmos.Team{Name: "Bakers", TeamCodeForBulkImport: "BAK"})
	old := srv.AddUser(litmos.User{UserName: "old@example.com", Email: "old@example.com", FirstName: "O", LastName: "Ld", City: "Leeds", Active: true})
	good := importRow(1)
	good.Teams = []string{"BAK"}
	update := litmos.UserImport{Username: "OLD@example.com", Email: "old@example.com", FirstName: "O", LastName: "Ld", Mobile: "+15554443333"}
	noLast := importRow(2)
	noLast.LastName = ""
	badEmail := importRow(3)
	badEmail.Email = "not-an-email"
	badTeam := importRow(4)
	badTeam.Teams = []string{"NOPE"}
	rows := []litmos.UserImport{good, update, noLast, badEmail, badTeam, importRow(1)}

	res, err := c.ImportUsers(context.Background(), rows, litmos.ImportUsersParams{WaitParams: fastPolls})
	if err != nil {
		t.Fatal(err)
	}
	want := []litmos.ImportError{
		{Username: noLast.Username, Message: "FirstName and LastName are required"},
		{Username: good.Username, Message: "username repeated in the import"},
		{Username: badEmail.Username, Message: "Failed - Invalid Email", FromLitmos: true},
		{Username: badTeam.Username, Message: "Failed - Team code NOPE not found", FromLitmos: true},
	}
	if d := cmp.Diff(want, res.Errors); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	calls := map[string]int{"POST /bulkimports": 1, "GET /bulkimports/{id}": 3, "GET /bulkimports/{id}/usererrors": 1}
	if d := cmp.Diff(calls, callsByKind(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	j := res.Jobs[0]
	if j.TotalRecords != 4 || j.TotalUsersCreated != 1 || j.Failed != 1 || j.InvalidEmail != 1 {
		t.Errorf("job %+v", j)
	}
	kept, _ := srv.User(old.ID)
	if kept.City != "Leeds" || kept.PhoneMobile != "+15554443333" {
		t.Errorf("updated user: City %q, PhoneMobile %q", kept.City, kept.PhoneMobile)
	}
	added, _ := srv.UserByUsername(good.Username)
	if d := cmp.Diff([]string{srv.Teams()[0].ID}, srv.UserTeams(added.ID)); d != "" {
		t.Errorf("teams of the new user (-want +got):\n%s", d)
	}
}

// TestImportUsersManagersFirst: a report listed before its manager is
// sent after it, so the manager exists when the report names it; the
// caller's rows stay as they were.
func TestImportUsersManagersFirst(t *testing.T) {
	srv, c := newFake(t)
	boss, report := importRow(1), importRow(2)
	report.Manager = strings.ToUpper(boss.Username)
	rows := []litmos.UserImport{report, boss}
	res, err := c.ImportUsers(context.Background(), rows, litmos.ImportUsersParams{WaitParams: fastPolls})
	if err != nil || len(res.Errors) != 0 {
		t.Fatalf("%v, %+v", err, res)
	}
	if !reflect.DeepEqual(rows, []litmos.UserImport{report, boss}) {
		t.Errorf("ImportUsers changed the caller's rows: %+v", rows)
	}
	var posted []string
	for _, e := range srv.Log().Entries() {
		if e.Method == http.MethodPost {
			posted = append(posted, string(e.Body))
		}
	}
	if len(posted) != 1 || strings.Index(posted[0], boss.Username) > strings.Index(posted[0], report.Username) {
		t.Errorf("posted %q: want the boss's row before the report's", posted)
	}
	b, _ := srv.UserByUsername(boss.Username)
	r, _ := srv.UserByUsername(report.Username)
	if r.ManagerID != b.ID || b.ID == "" {
		t.Errorf("report's manager %q, boss %q", r.ManagerID, b.ID)
	}
}

// TestImportUsersRefusedFallsBack: a refused job stops the import with an
// error matching ErrBulkRefused and hands back the rows not imported,
// which the caller then creates one by one.
func TestImportUsersRefusedFallsBack(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	rows := make([]litmos.UserImport, 6)
	for i := range rows {
		rows[i] = importRow(i)
	}
	// Two rows a job; the second POST is refused as too large.
	srv.AddFault(litmostest.Fault{Method: http.MethodPost, Path: litmostest.ServicePath + "/bulkimports", Skip: 1, Times: 1, Status: 413})
	max := len("<UserImports></UserImports>") + 2*len(postedRow(t, rows[0])) + 2
	res, err := c.ImportUsers(ctx, rows, litmos.ImportUsersParams{WaitParams: fastPolls, MaxJobBytes: max})
	if !errors.Is(err, litmos.ErrBulkRefused) || !strings.Contains(err.Error(), "413") {
		t.Fatalf("err = %v, want ErrBulkRefused with the 413", err)
	}
	var apiErr *litmos.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 413 {
		t.Errorf("err %v is not the *APIError", err)
	}
	if len(res.Jobs) != 1 || len(res.Unapplied) != 4 || res.Unapplied[0].Username != rows[2].Username {
		t.Fatalf("jobs %d, unapplied %+v", len(res.Jobs), res.Unapplied)
	}
	srv.Log().Reset()
	for _, r := range res.Unapplied {
		u := litmos.User{UserName: r.Username, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Active: true}
		if _, err := c.CreateUser(ctx, u, litmos.CreateUserParams{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Log().Count(nil); n != 4 || len(srv.Users()) != 6 {
		t.Errorf("fallback: %d calls, %d users", n, len(srv.Users()))
	}
}

// TestStartBulkImportChecks: what the client can tell is wrong is refused
// before sending, by name, and never with the password in the text.
func TestStartBulkImportChecks(t *testing.T) {
	srv, c := newFake(t)
	const secret = "hunter2-Secret!"
	tests := []struct {
		name string
		edit func(*litmos.UserImport)
		want string
	}{
		{"short username", func(r *litmos.UserImport) { r.Username = "ab" }, "at least 3"},
		{"no email", func(r *litmos.UserImport) { r.Email = "" }, "Email is required"},
		{"six teams", func(r *litmos.UserImport) { r.Teams = make([]string, 6) }, "at most 5"},
		{"four courses", func(r *litmos.UserImport) { r.Courses = make([]string, 4) }, "at most 3"},
		{"custom field 26", func(r *litmos.UserImport) { r.UserCustomFields = map[int]string{26: "x"} }, "UserCustomField26"},
		{"access level", func(r *litmos.UserImport) { r.AccessLevel = "Administrator" }, "AccessLevel"},
		{"too large", func(r *litmos.UserImport) { r.CustomField1 = strings.Repeat("x", litmos.MaxBulkImportBytes) }, "at most 2000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := importRow(1)
			r.Password = secret
			tt.edit(&r)
			_, err := c.StartBulkImport(context.Background(), []litmos.UserImport{r}, litmos.BulkImportParams{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(fmt.Sprintf("%v %+v", err, r), secret) {
				t.Errorf("err = %v, want %q and no password", err, tt.want)
			}
		})
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests sent for refused rows", n)
	}
}

// TestWaitBulkImportGivesUp: a job that does not finish within MaxPolls
// polls, or before ctx ends, is an error naming its last status.
func TestWaitBulkImportGivesUp(t *testing.T) {
	srv, c := newFake(t)
	srv.SetBulkImportPolls(10)
	job, err := c.StartBulkImport(context.Background(), []litmos.UserImport{importRow(1)}, litmos.BulkImportParams{SendMessage: true})
	if err != nil || job.Status != "Waiting" || !job.SendEmails {
		t.Fatalf("%+v, %v", job, err)
	}
	_, err = c.WaitBulkImport(context.Background(), job.ID, litmos.WaitParams{Interval: time.Nanosecond, MaxPolls: 4})
	if err == nil || !strings.Contains(err.Error(), `"Processing" after 4 polls`) {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.WaitBulkImport(ctx, job.ID, litmos.WaitParams{Interval: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	done, err := c.WaitBulkImport(context.Background(), job.ID, fastPolls)
	if err != nil || !done.Succeeded() || len(srv.Messages()) != 1 {
		t.Errorf("%+v, %v, messages %v", done, err, srv.Messages())
	}
	if _, err := c.GetBulkImport(context.Background(), "nope"); !errors.Is(err, litmos.ErrInvalid) {
		t.Errorf("unknown job: %v", err)
	}
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/internal/tempdircheck"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// TestMain fails the run when a test leaves something in the temporary
// directory. The program's clients of "real" accounts (the tests' fakes)
// neither pace themselves nor wait long between retries.
func TestMain(m *testing.M) {
	clientOptions = []litmos.Option{litmos.WithRateLimit(litmos.Limit{}),
		litmos.WithRetry(litmos.RetryPolicy{MaxRetries: 4, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond})}
	tempdircheck.Main(m)
}

// run runs the program as main does, closing the portal's database at the end.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	s := &session{getenv: getenv, stderr: stderr}
	defer func() {
		if s.portal != nil {
			s.portal.Close()
		}
	}()
	return runner.Run(ctx, program(s), args, getenv, stdout, stderr)
}

// result is one run of the program.
type result struct {
	code        int
	out, stderr string
	tmp         string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.stderr)
}

// runMain runs the program with env (plus a TMPDIR of its own) and args.
func runMain(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	if env["TMPDIR"] == "" {
		env["TMPDIR"] = t.TempDir()
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
	return result{code, out.String(), errb.String(), env["TMPDIR"]}
}

// The account's credentials in the tests that point the program at a
// fake of their own: values that appear nowhere else, so a leak is seen.
const (
	testKey    = "k3y-0f-N0rthw1nd-6a1f"
	testSource = "NorthwindPortalSrc42"
)

// account is a Litmos fake seeded with Northwind Robotics, the
// environment that points the program at it, and a portal database file
// with the portal's own groups, as the fakes start it.
type account struct {
	lms  *litmostest.Server
	env  map[string]string
	db   string
	dir  string
	team map[string]string // team id by name
	user map[string]string // user id by first name
}

func newAccount(t *testing.T, teams int) *account {
	t.Helper()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	srv.AddAPIKey(testKey)
	seedLitmos(srv, teams)
	dir := t.TempDir()
	a := &account{lms: srv, dir: dir, db: filepath.Join(dir, "portal.db"), team: map[string]string{}, user: map[string]string{},
		env: map[string]string{"LITMOS_API_KEY": testKey, "LITMOS_SOURCE": testSource, "LITMOS_BASE_URL": srv.BaseURL()}}
	for _, tm := range srv.Teams() {
		a.team[tm.Name] = tm.ID
	}
	for _, u := range srv.Users() {
		a.user[u.FirstName] = u.ID
	}
	db, err := portal.Open(a.db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := portal.CreateTables(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(seedSQL); err != nil {
		t.Fatal(err)
	}
	return a
}

// sync runs the program on the account's portal and state directory.
func (a *account) sync(t *testing.T, args ...string) result {
	t.Helper()
	r := runMain(t, a.env, append([]string{"-db", a.db, "-state", filepath.Join(a.dir, "state")}, args...)...)
	checkNoSecrets(t, r.out+r.stderr)
	return r
}

// dump is the portal's content, one line per row, sorted.
func dump(t *testing.T, path string) []string {
	t.Helper()
	db, err := portal.Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		"SELECT 'group', name, coalesce(litmos_team_id, '-'), coalesce(auto_sync, 'null') FROM groups",
		"SELECT 'member', group_name, email, '' FROM group_members",
		"SELECT 'user', email, integration_id, active FROM users",
		"SELECT 'course', name, coalesce(code, ''), integration_id FROM courses",
		"SELECT 'assignment', email, course_id, '' FROM assignments",
	} {
		out = append(out, rows(t, db, q)...)
	}
	sort.Strings(out)
	return out
}

func rows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var a, b, c, d any
		if err := rs.Scan(&a, &b, &c, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v %v %v %v", a, b, c, d))
	}
	return out
}

// select1 returns the lines of d that start with prefix.
func select1(d []string, prefix string) []string {
	var out []string
	for _, l := range d {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// checkNoSecrets fails when the test key or source shows in s.
func checkNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{testKey, testSource} {
		if strings.Contains(s, secret) {
			t.Errorf("a secret (%q) appears in:\n%s", secret, s)
		}
	}
}

// checkNoSecretsIn fails when the test key or source is in any file under dir.
func checkNoSecretsIn(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, secret := range []string{testKey, testSource} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds a secret (%q)", path, secret)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// assigned returns the course ids assigned to the Litmos user id.
func assigned(a *account, id string) []string {
	var out []string
	for _, uc := range a.lms.Assignments(id) {
		out = append(out, uc.ID)
	}
	sort.Strings(out)
	return out
}

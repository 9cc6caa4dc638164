// Command litmos-portal is jobs.LitmosPlatform on the examples' runner: Litmos courses, teams and users into a
// portal of your own on SQLite (package portal is its connector), and Litmos courses assigned to portal users as
// remediation. With no credentials in the environment it runs on an in-process Litmos fake; -h lists the flags.
package main

import (
	"cmp"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

func main() { runner.Main(program(&session{getenv: os.Getenv, stderr: os.Stderr})) }

func program(s *session) *runner.Program {
	return &runner.Program{
		Name: "litmos-portal", Source: "Litmos", Target: "Portal", Preset: mapping.PresetLitmosPlatform,
		Summary: "Syncs Litmos courses, teams (as groups) and users into the portal's SQLite database (-db);\n" +
			"assigns Litmos courses to portal users (-assign).",
		Nouns: runner.Nouns{Source: "user", Target: "portal user", Refs: "membership"},
		Vars: []runner.Var{
			{Name: "LITMOS_API_KEY", Usage: "Litmos API key (an Account Owner's)"},
			{Name: "LITMOS_SOURCE", Usage: "your application's name, sent on every Litmos call"},
			{Name: "LITMOS_BASE_URL", Usage: "optional: https://api.litmoseu.com/v1.svc (EU) and the like", Kind: runner.Optional},
		},
		Flags: s.flags, Real: s.realPair, Fakes: s.fakes,
		Modes: []runner.Mode{
			{Flag: "test-connection", Usage: "check the Litmos key, the source and that a team exists, then exit", Run: s.testConnection},
			{Flag: "assign", Arg: "EMAIL=COURSE_ID[,COURSE_ID]", Usage: "assign Litmos courses to the portal user EMAIL (writes only with -apply)",
				Takes: []string{"db", "state", "apply"}, Run: s.assign},
		},
	}
}

// session is one run: the example's flags and the portal database it opened.
type session struct {
	getenv  func(string) string
	stderr  io.Writer
	fs      *flag.FlagSet
	db      string
	content jobs.LitmosContent
	teams   []string // nil: all
	portal  *sql.DB
	lms     *litmos.Client
}

// flags registers the example's own flags.
func (s *session) flags(fs *flag.FlagSet) {
	s.fs, s.content = fs, jobs.LitmosCoursesAndUsers
	fs.Func("db", "the portal's SQLite `FILE` (default: a new temp file with -apply, printed; none for a plan run)", func(v string) error {
		if s.db != "" || strings.TrimSpace(v) == "" {
			return errors.New(map[bool]string{true: "given twice", false: "no file"}[s.db != ""])
		}
		s.db = strings.TrimSpace(v)
		return nil
	})
	fs.Func("content", "`WHAT` to sync: courses, or courses-and-users (default)", func(v string) (err error) {
		s.content, err = jobs.ParseLitmosContent(v)
		return err
	})
	fs.Func("teams", "all (default: every team, new ones included from then on), or `NAMES`: exact names or ids, comma-separated",
		func(v string) (err error) { s.teams, err = jobs.ParseLitmosTeams(v); return err })
}

// clientOptions are added to the real account's client options (the
// tests take pacing and long retries off, to run on a fake quickly).
var clientOptions []litmos.Option

// realPair builds the pair on the Litmos account of the environment.
func (s *session) realPair(ctx context.Context, env runner.Env, _ io.Writer) (*runner.Pair, error) {
	opts := clientOptions
	if u := env.Get("LITMOS_BASE_URL"); u != "" {
		opts = append([]litmos.Option{litmos.WithBaseURL(u)}, opts...)
	}
	lms, err := litmos.New(env.Get("LITMOS_API_KEY"), env.Get("LITMOS_SOURCE"), opts...)
	if err != nil {
		return nil, runner.Usagef("Litmos settings: %w", err)
	}
	pair, where, err := s.pair(ctx, lms, false)
	if err == nil {
		pair.About = "Litmos -> portal " + where
	}
	return pair, err
}

// fakes registers -fake-teams and returns the builder of the Litmos fake.
func (s *session) fakes(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
	n := fs.Int("fake-teams", len(seed().Teams), "`N` teams in the fake Litmos; over 250, team pickers search by name (fakes only)")
	return func(ctx context.Context) (*runner.Fake, error) {
		if least := len(seed().Teams); *n < least || *n > 5000 {
			return nil, runner.Usagef("-fake-teams: %d is out of range [%d, 5000]", *n, least)
		}
		srv := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
		seedLitmos(srv, *n)
		pair, where, err := s.pair(ctx, srv.NewClient(nil), true)
		if err != nil {
			srv.Close()
			return nil, err
		}
		pair.About = fmt.Sprintf("seeded with Northwind Robotics (%d Litmos users, %d teams, %d courses);\nportal: %s.",
			len(seed().Users), *n, len(seed().Courses), where)
		return &runner.Fake{Pair: *pair, Close: srv.Close}, nil
	}
}

// pair resolves -teams, opens the portal and wires the job; the job's
// finish notification (the seed emails it) goes to stderr.
func (s *session) pair(ctx context.Context, lms *litmos.Client, fake bool) (*runner.Pair, string, error) {
	s.lms = lms
	var ids []string
	var err error
	if s.teams != nil && s.content == jobs.LitmosCourses {
		return nil, "", runner.Usagef("-teams has no effect with -content courses (teams come with users)")
	} else if s.teams != nil {
		if ids, err = lms.ResolveTeamIDs(ctx, s.teams); errors.Is(err, litmos.ErrUnknownTeam) {
			return nil, "", runner.Usagef("-teams: %w", err)
		} else if err != nil {
			return nil, "", err
		}
	}
	where, err := s.openPortal(ctx, fake)
	return &runner.Pair{Config: func(m *mapping.Map) (syncengine.Config, error) {
		cfg, err := jobs.LitmosPlatform(lms, portal.New(s.portal), jobs.LitmosPlatformOptions{Content: s.content, TeamIDs: ids, Map: m})
		cfg.OnFinish = func(rep *syncengine.Report) {
			fmt.Fprintf(s.stderr, "notification: the Litmos -> portal sync finished: %s\n", rep.Summary())
		}
		return cfg, err
	}}, where, err
}

// openPortal opens the portal's database (portal.OpenRun), with -apply
// in a new temp file when there is no -db; on the fakes a new portal
// starts with groups of its own.
func (s *session) openPortal(ctx context.Context, fake bool) (where string, err error) {
	path, apply := s.db, s.fs.Lookup("apply").Value.String() == "true"
	if apply && path == "" {
		f, err := os.CreateTemp(cmp.Or(strings.TrimSpace(s.getenv("TMPDIR")), os.TempDir()), "litmos-portal-*.db")
		if err != nil {
			return "", err
		}
		path = f.Name()
		f.Close()
	}
	var isNew bool
	if s.portal, where, isNew, err = portal.OpenRun(ctx, path, apply); err != nil {
		return "", runner.Usagef("-db: %w", err)
	} else if !isNew || !fake {
		return where, nil
	}
	if _, err := s.portal.ExecContext(ctx, seedSQL); err != nil {
		return "", fmt.Errorf("seed the portal: %w", err)
	}
	return where + ", with groups of its own: Sales, Facilities", nil
}

// testConnection is -test-connection: what a setup screen calls before it
// saves the settings.
func (s *session) testConnection(ctx context.Context, m runner.ModeRun) error {
	if _, err := m.Pair(ctx); err != nil {
		return err
	}
	if err := s.lms.TestConnection(ctx); err != nil {
		return err
	}
	where := map[bool]string{true: "your Litmos account", false: "the built-in Litmos fake (no LITMOS_* variables set)"}[m.Real]
	fmt.Fprintf(m.Stdout, "Connection to %s: the API key and the source are accepted, and the account has teams.\n", where)
	return nil
}

// assign is -assign EMAIL=COURSE_ID[,COURSE_ID]: it assigns the Litmos
// courses the portal user lacks (without -apply, says which it would),
// and records each in the portal's assignments.
func (s *session) assign(ctx context.Context, m runner.ModeRun) error {
	email, courses, err := jobs.ParseAssignment(m.Value)
	if err != nil {
		return runner.Usagef("-assign: %w", err)
	}
	if _, err := os.Stat(s.db); s.db == "" || err != nil {
		return runner.Usagef("-assign needs -db FILE, the portal whose user %s is (%v)", email, err)
	}
	store, name, closeStore, err := m.Store(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	rem := &jobs.LitmosRemediation{Litmos: s.lms, Store: store, Pair: name, Platform: portal.New(s.portal)}
	r, err := rem.AssignByEmail(ctx, email, courses, !m.Apply)
	if errors.Is(err, syncengine.ErrNotFound) {
		return runner.Usagef("-assign: %w", err)
	} else if err != nil {
		return err
	}
	email, _ = r.User.Fields["email"].(string)
	fmt.Fprintf(m.Stdout, "Remediation for %s (%s)%s:\n", r.User.Fields["name"], email, map[bool]string{false: ", read from Litmos"}[m.Apply])
	for _, a := range r.Courses {
		fmt.Fprintf(m.Stdout, "  %-14s %-24s %s\n", a.CourseID, r.Names[a.CourseID],
			cmp.Or(a.State(), map[bool]string{true: "assigned (no email sent)", false: "would assign"}[m.Apply]))
		if a.Assigned {
			if err := portal.RecordAssignment(ctx, s.portal, email, a.CourseID); err != nil {
				return err
			}
		}
	}
	if !m.Apply {
		fmt.Fprintln(m.Stdout, "Nothing was written. Run again with -apply to assign (Litmos sends no email).")
	}
	return nil
}

// The fake company, Northwind Robotics: its Litmos account ("about" says
// which case is which) and what its portal had before Litmos.
var (
	//go:embed seed.json
	seedJSON []byte
	//go:embed seed.sql
	seedSQL string
)

func seed() *litmostest.Company {
	c, err := litmostest.LoadCompany(seedJSON)
	if err != nil {
		panic("litmos-portal: seed.json: " + err.Error()) // a file of this package: a bug, caught by every test
	}
	return c
}

// seedLitmos fills srv with Northwind Robotics, padded to teams teams
// ("Region 0001", … after the cast).
func seedLitmos(srv *litmostest.Server, teams int) {
	c := seed()
	srv.Seed(c)
	for i := len(c.Teams); i < teams; i++ {
		srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Region %04d", i-len(c.Teams)+1)})
	}
}

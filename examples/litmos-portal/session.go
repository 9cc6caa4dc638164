package main

import (
	"cmp"
	"context"
	"database/sql"
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

// session is one run: the example's flags and the portal database it opened.
type session struct {
	getenv  func(string) string
	stderr  io.Writer
	fs      *flag.FlagSet
	db      string
	content jobs.LitmosContent
	teams   []string // nil: all
	portal  *sql.DB
}

func (s *session) close() {
	if s.portal != nil {
		_ = s.portal.Close()
	}
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
	fs.Func("content", "`WHAT` to sync: courses, or courses-and-users (default)", func(v string) error {
		if s.content = jobs.LitmosContent(v); s.content != jobs.LitmosCourses && s.content != jobs.LitmosCoursesAndUsers {
			return errors.New("want courses or courses-and-users")
		}
		return nil
	})
	fs.Func("teams", "all (default: every team, new ones included from then on), or `NAMES`: exact names or ids, comma-separated",
		func(v string) error {
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" && v != "all" {
					s.teams = append(s.teams, t)
				}
			}
			if s.teams == nil && v != "all" {
				return errors.New("no team names (give all, or NAME,NAME)")
			}
			return nil
		})
}

// fakes registers -fake-teams and returns the builder of the Litmos fake.
func (s *session) fakes(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
	n := fs.Int("fake-teams", len(seed().Teams), "`N` teams in the fake Litmos; over 250, team pickers search by name (fakes only)")
	return func(ctx context.Context) (*runner.Fake, error) {
		if min := len(seed().Teams); *n < min || *n > 5000 {
			return nil, runner.Usagef("-fake-teams: %d is out of range [%d, 5000]", *n, min)
		}
		lms := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
		users := seedLitmos(lms, *n)
		pair, where, err := s.pair(ctx, lms.NewClient(nil), true)
		if err != nil {
			lms.Close()
			return nil, err
		}
		pair.About = fmt.Sprintf("seeded with Northwind Robotics (%d Litmos users, %d teams, %d courses);\nportal: %s.",
			users, *n, len(seed().Courses), where)
		return &runner.Fake{Pair: *pair, Close: lms.Close}, nil
	}
}

// realPair builds the pair on the Litmos account of the environment.
func (s *session) realPair(ctx context.Context, env runner.Env, _ io.Writer) (*runner.Pair, error) {
	lms, err := litmosClient(env)
	if err != nil {
		return nil, err
	}
	pair, where, err := s.pair(ctx, lms, false)
	if err != nil {
		return nil, err
	}
	pair.About = "Litmos -> portal " + where
	return pair, nil
}

// pair resolves -teams, opens the portal and wires the job; the job's
// finish notification (the seed emails it) goes to stderr.
func (s *session) pair(ctx context.Context, lms *litmos.Client, fake bool) (*runner.Pair, string, error) {
	var teamIDs []string
	if s.teams != nil {
		if s.content == jobs.LitmosCourses {
			return nil, "", runner.Usagef("-teams has no effect with -content courses (teams come with users)")
		}
		teams, err := jobs.ResolveLitmosTeams(ctx, lms, s.teams)
		if errors.Is(err, jobs.ErrUnknownTeam) {
			return nil, "", runner.Usagef("-teams: %w", err)
		} else if err != nil {
			return nil, "", err
		}
		for _, t := range teams {
			teamIDs = append(teamIDs, t.ID)
		}
	}
	where, err := s.openPortal(ctx, fake)
	if err != nil {
		return nil, "", err
	}
	return &runner.Pair{Config: func(m *mapping.Map) (syncengine.Config, error) {
		cfg, err := jobs.LitmosPlatform(lms, portal.New(s.portal), jobs.LitmosPlatformOptions{Content: s.content, TeamIDs: teamIDs, Map: m})
		cfg.OnFinish = func(rep *syncengine.Report) {
			fmt.Fprintf(s.stderr, "notification: the Litmos -> portal sync finished: %s\n", rep.Summary())
		}
		return cfg, err
	}}, where, nil
}

// openPortal opens the portal's database: read-write with -apply (the
// tables created when missing, in a new temp file without -db), read-only
// without it, or, when there is no database to read, an empty one in
// memory, so that a plan run writes nothing anywhere. On the fakes a new
// portal starts with groups of its own. It returns where the portal is.
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
	_, serr := os.Stat(path)
	has := false
	switch {
	case path == "":
		where = "none yet (a plan run writes no file; -apply creates one, or -db FILE)"
	case serr != nil && !apply:
		where = path + " (does not exist: a plan run creates no file)"
	case serr != nil:
		where = path + " (new)"
		s.portal, err = portal.Open(path, false)
	default:
		if s.portal, err = portal.Open(path, !apply); err == nil {
			if has, err = portal.HasTables(ctx, s.portal); err != nil {
				return "", runner.Usagef("-db %s is not a SQLite database: %w", path, err)
			}
		}
		where = path + map[bool]string{true: "", false: " (new tables)"}[has]
		if err == nil && !has && !apply {
			s.portal.Close()
			s.portal, where = nil, path+" (no portal tables yet: a plan run creates none)"
		}
	}
	if err != nil {
		return "", fmt.Errorf("-db %s: %w", path, err)
	}
	if s.portal == nil {
		if s.portal, err = portal.Open(":memory:", false); err != nil {
			return "", err
		}
	}
	if !has {
		if err := portal.CreateTables(ctx, s.portal); err != nil || !fake {
			return where, err
		}
		return where + ", with groups of its own: Sales, Facilities", seedPortal(ctx, s.portal)
	}
	return where, nil
}

// clientOptions are added to the real account's client options (the
// tests take pacing and long retries off, to run on a fake quickly).
var clientOptions []litmos.Option

// litmosClient builds the client of the real account.
func litmosClient(env runner.Env) (*litmos.Client, error) {
	var opts []litmos.Option
	if u := env.Get("LITMOS_BASE_URL"); u != "" {
		opts = append(opts, litmos.WithBaseURL(u))
	}
	c, err := litmos.New(env.Get("LITMOS_API_KEY"), env.Get("LITMOS_SOURCE"), append(opts, clientOptions...)...)
	if err != nil {
		return nil, runner.Usagef("Litmos settings: %w", err)
	}
	return c, nil
}

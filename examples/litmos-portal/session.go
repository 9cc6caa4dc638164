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

// litmos returns the client of the real account, or of a new fake seeded
// with n teams; stop stops it.
func (s *session) litmos(real bool, env runner.Env, n int) (c *litmos.Client, stop func(), err error) {
	if !real {
		srv := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
		seedLitmos(srv, n)
		return srv.NewClient(nil), srv.Close, nil
	}
	opts := clientOptions
	if u := env.Get("LITMOS_BASE_URL"); u != "" {
		opts = append([]litmos.Option{litmos.WithBaseURL(u)}, opts...)
	}
	if c, err = litmos.New(env.Get("LITMOS_API_KEY"), env.Get("LITMOS_SOURCE"), opts...); err != nil {
		return nil, nil, runner.Usagef("Litmos settings: %w", err)
	}
	return c, func() {}, nil
}

// fakes registers -fake-teams and returns the builder of the Litmos fake.
func (s *session) fakes(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
	n := fs.Int("fake-teams", len(seed().Teams), "`N` teams in the fake Litmos; over 250, team pickers search by name (fakes only)")
	return func(ctx context.Context) (*runner.Fake, error) {
		if least := len(seed().Teams); *n < least || *n > 5000 {
			return nil, runner.Usagef("-fake-teams: %d is out of range [%d, 5000]", *n, least)
		}
		lms, stop, _ := s.litmos(false, runner.Env{}, *n)
		pair, where, err := s.pair(ctx, lms, true)
		if err != nil {
			stop()
			return nil, err
		}
		pair.About = fmt.Sprintf("seeded with Northwind Robotics (%d Litmos users, %d teams, %d courses);\nportal: %s.",
			len(seed().Users), *n, len(seed().Courses), where)
		return &runner.Fake{Pair: *pair, Close: stop}, nil
	}
}

// realPair builds the pair on the Litmos account of the environment.
func (s *session) realPair(ctx context.Context, env runner.Env, _ io.Writer) (*runner.Pair, error) {
	lms, _, err := s.litmos(true, env, 0)
	if err != nil {
		return nil, err
	}
	pair, where, err := s.pair(ctx, lms, false)
	if err == nil {
		pair.About = "Litmos -> portal " + where
	}
	return pair, err
}

// pair resolves -teams, opens the portal and wires the job; the job's
// finish notification (the seed emails it) goes to stderr.
func (s *session) pair(ctx context.Context, lms *litmos.Client, fake bool) (*runner.Pair, string, error) {
	var ids []string
	if s.teams != nil && s.content == jobs.LitmosCourses {
		return nil, "", runner.Usagef("-teams has no effect with -content courses (teams come with users)")
	} else if s.teams != nil {
		teams, err := jobs.ResolveLitmosTeams(ctx, lms, s.teams)
		if errors.Is(err, jobs.ErrUnknownTeam) {
			err = runner.Usagef("-teams: %w", err)
		}
		if err != nil {
			return nil, "", err
		}
		for _, t := range teams {
			ids = append(ids, t.ID)
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

// openPortal opens the portal's database and says where it is: read-write
// with -apply (the tables created when missing, in a new temp file
// without -db), read-only without it, or, when there is no portal to
// read, an empty one in memory, so that a plan run writes nothing
// anywhere. On the fakes a new portal starts with groups of its own.
func (s *session) openPortal(ctx context.Context, fake bool) (string, error) {
	path, apply := s.db, s.fs.Lookup("apply").Value.String() == "true"
	if apply && path == "" {
		f, err := os.CreateTemp(cmp.Or(strings.TrimSpace(s.getenv("TMPDIR")), os.TempDir()), "litmos-portal-*.db")
		if err != nil {
			return "", err
		}
		path = f.Name()
		f.Close()
	}
	_, statErr := os.Stat(path)
	where, has := map[bool]string{true: path + " (new)", false: path}[statErr != nil], false
	if path != "" && (statErr == nil || apply) {
		db, err := portal.Open(path, !apply)
		if s.portal = db; err == nil {
			has, err = portal.HasTables(ctx, db)
		}
		if err != nil {
			return "", runner.Usagef("-db %s is not a SQLite database: %w", path, err)
		}
		if !has && !apply {
			s.portal, where = nil, path+" (no portal tables yet: a plan run creates none)"
			db.Close()
		} else if !has && statErr == nil {
			where = path + " (new tables)"
		}
	} else if path != "" {
		where = path + " (does not exist: a plan run creates no file)"
	} else {
		where = "none yet (a plan run writes no file; -apply creates one, or -db FILE)"
	}
	if s.portal == nil {
		s.portal, _ = portal.Open(":memory:", false) // sql.Open of a registered driver does not fail
	}
	if err := portal.CreateTables(ctx, s.portal); has || err != nil || !fake {
		return where, err
	}
	return where + ", with groups of its own: Sales, Facilities", seedPortal(ctx, s.portal)
}

package main

import (
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

// session is one sync run: the portal database it opened, closed at the end.
type session struct {
	own    *own
	env    environment
	apply  bool
	stderr io.Writer
	db     *sql.DB
}

func (s *session) close() {
	if s.db != nil {
		_ = s.db.Close()
	}
}

// fakes registers -fake-teams and returns the builder of the Litmos fake.
func (s *session) fakes(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
	n := fs.Int("fake-teams", len(seedTeams), "`N` teams in the fake Litmos; over 250, team pickers search by name (fakes only)")
	return func(ctx context.Context) (*runner.Fake, error) {
		if *n < len(seedTeams) || *n > 5000 {
			return nil, runner.Usagef("-fake-teams: %d is out of range [%d, 5000]", *n, len(seedTeams))
		}
		lms := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
		users := seedLitmos(lms, *n)
		pair, where, err := s.pair(ctx, lms.NewClient(nil), true)
		if err != nil {
			lms.Close()
			return nil, err
		}
		pair.About = fmt.Sprintf("seeded with Northwind Robotics (%d Litmos users, %d teams, %d courses);\nportal: %s.",
			users, *n, len(seedCourses), where)
		return &runner.Fake{Pair: *pair, Close: lms.Close}, nil
	}
}

// realPair builds the pair on the Litmos account of the environment.
func (s *session) realPair(ctx context.Context, env runner.Env, _ io.Writer) (*runner.Pair, error) {
	lms, err := litmosClient(env.Get)
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

// pair resolves -teams, opens the portal and wires the job.
func (s *session) pair(ctx context.Context, lms *litmos.Client, fake bool) (*runner.Pair, string, error) {
	var teamIDs []string
	if s.own.teams != nil {
		teams, err := jobs.ResolveLitmosTeams(ctx, lms, s.own.teams)
		if errors.Is(err, jobs.ErrUnknownTeam) {
			return nil, "", runner.Usagef("-teams: %w%s", err, suggest(ctx, lms, s.own.teams))
		}
		if err != nil {
			return nil, "", err
		}
		for _, t := range teams {
			teamIDs = append(teamIDs, t.ID)
		}
	}
	db, where, err := s.openPortal(ctx, fake)
	if err != nil {
		return nil, "", err
	}
	sink := portal.New(db)
	return &runner.Pair{Config: func(m *mapping.Map) (syncengine.Config, error) {
		cfg, err := jobs.LitmosPlatform(lms, sink, jobs.LitmosPlatformOptions{Content: s.own.content, TeamIDs: teamIDs, Map: m})
		cfg.OnFinish = s.notify
		return cfg, err
	}}, where, nil
}

// suggest names teams whose names contain the unknown ones, through the
// team picker's search (a search call when there are more than 250).
func suggest(ctx context.Context, lms *litmos.Client, names []string) string {
	k := litmos.NewConnector(lms, litmos.ConnectorOptions{})
	var out []string
	for _, n := range names {
		found, err := k.SearchTeams(ctx, n)
		if err != nil {
			return ""
		}
		for i, t := range found {
			if t.Name != n && i < 5 {
				out = append(out, fmt.Sprintf("%q", t.Name))
			}
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "; teams with a name like it: " + strings.Join(out, ", ")
}

// notify is the job's finish notification (the seed emails it).
func (s *session) notify(rep *syncengine.Report) {
	fmt.Fprintf(s.stderr, "notification: the Litmos -> portal sync finished: %s\n", rep.Summary())
}

// openPortal opens the portal's database: read-write with -apply (the
// tables created when missing, in a new temp file without -db), read-only
// without it, or, when there is no database to read, an empty one in
// memory, so that a plan run writes nothing anywhere. On the fakes a new
// portal starts with groups of its own.
func (s *session) openPortal(ctx context.Context, fake bool) (db *sql.DB, where string, err error) {
	path := s.own.db
	defer func() {
		if err != nil && db != nil {
			db.Close()
		}
	}()
	if s.apply && path == "" {
		f, err := os.CreateTemp(s.env.tempDir(), "litmos-portal-*.db")
		if err != nil {
			return nil, "", err
		}
		path = f.Name()
		f.Close()
	}
	_, serr := os.Stat(path)
	has := false
	switch {
	case path != "" && serr == nil:
		if db, err = portal.Open(path, !s.apply); err != nil {
			return nil, "", fmt.Errorf("-db %s: %w", path, err)
		}
		if has, err = portal.HasTables(ctx, db); err != nil {
			return db, "", runner.Usagef("-db %s is not a SQLite database: %w", path, err)
		}
		where = path
		if !has && !s.apply {
			db.Close()
			db, where = nil, path+" (no portal tables yet: a plan run creates none)"
		} else if !has {
			where = path + " (new tables)"
		}
	case path != "" && s.apply:
		if db, err = portal.Open(path, false); err != nil {
			return nil, "", fmt.Errorf("-db %s: %w", path, err)
		}
		where = path + " (new)"
	case path != "":
		where = path + " (does not exist: a plan run creates no file)"
	default:
		where = "none yet (a plan run writes no file; -apply creates one, or -db FILE)"
	}
	if db == nil {
		if db, err = portal.Open(":memory:", false); err != nil {
			return nil, "", err
		}
	}
	s.db = db
	if !has {
		if err := portal.CreateTables(ctx, db); err != nil {
			return db, "", err
		}
		if fake {
			where += ", with groups of its own: Sales, Facilities"
			return db, where, seedPortal(ctx, db)
		}
	}
	return db, where, nil
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// litmos returns the client of the real account, or of a new seeded fake
// (then stop stops it).
func (s *session) litmos(m runner.ModeRun) (c *litmos.Client, stop func(), err error) {
	if m.Real {
		c, err = litmosClient(m.Env)
		return c, func() {}, err
	}
	srv := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
	seedLitmos(srv, len(seed().Teams))
	return srv.NewClient(nil), srv.Close, nil
}

// testConnection is -test-connection: what a setup screen calls before it
// saves the settings.
func (s *session) testConnection(ctx context.Context, m runner.ModeRun) error {
	lms, stop, err := s.litmos(m)
	if err != nil {
		return err
	}
	defer stop()
	if err := lms.TestConnection(ctx); err != nil {
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
	if s.portal, err = portal.Open(s.db, !m.Apply); err != nil {
		return err
	}
	user, name, names, err := lookUp(ctx, s.portal, &email, courses)
	if err != nil {
		return err
	}
	lms, stop, err := s.litmos(m)
	if err != nil {
		return err
	}
	defer stop()
	store, closeStore, err := m.Store("litmos", "", "portal")
	if err != nil {
		return err
	}
	defer closeStore()
	rem := &jobs.LitmosRemediation{Litmos: lms, Store: store, Pair: "litmos<->portal", Platform: portal.New(s.portal)}
	do, pending := rem.Assign, "assigned (no email sent)"
	if !m.Apply {
		do, pending = rem.Plan, "would assign"
	}
	done, err := do(ctx, user, courses)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Remediation for %s (%s)%s:\n", name, email, map[bool]string{false: ", read from Litmos"}[m.Apply])
	now := time.Now().UTC().Format(time.RFC3339)
	for _, a := range done {
		state := fmt.Sprintf("already assigned, %.0f%% complete", a.PercentageComplete)
		if a.Complete {
			state = "already assigned, complete"
		}
		if a.Pending || a.Assigned {
			state = pending
		}
		fmt.Fprintf(m.Stdout, "  %-14s %-24s %s\n", a.CourseID, names[a.CourseID], state)
		if !a.Assigned {
			continue
		}
		if _, err := s.portal.ExecContext(ctx, "INSERT INTO assignments (email, course_id, assigned_at) VALUES (?, ?, ?)", email, a.CourseID, now); err != nil {
			return fmt.Errorf("record the assignment of %s: %w", a.CourseID, err)
		}
	}
	if !m.Apply {
		fmt.Fprintln(m.Stdout, "Nothing was written. Run again with -apply to assign (Litmos sends no email).")
	}
	return nil
}

// lookUp finds the portal user with email and checks the courses are the
// portal's; either failing is a usage error naming what is wrong.
// The email becomes the portal's spelling of it.
func lookUp(ctx context.Context, db *sql.DB, email *string, courses []string) (id, name string, names map[string]string, err error) {
	var first, last sql.NullString
	err = db.QueryRowContext(ctx, "SELECT integration_id, email, first_name, last_name FROM users WHERE email = ? COLLATE NOCASE", *email).
		Scan(&id, email, &first, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil, runner.Usagef("-assign: %s is not a portal user's email", *email)
	} else if err != nil {
		return "", "", nil, err
	}
	names = map[string]string{}
	for _, c := range courses {
		var n sql.NullString
		if err := db.QueryRowContext(ctx, "SELECT name FROM courses WHERE integration_id = ?", c).Scan(&n); err != nil {
			return "", "", nil, runner.Usagef("-assign: %s is not a course of the portal (give Litmos course ids, as courses.integration_id holds)", c)
		}
		names[c] = n.String
	}
	return id, first.String + " " + last.String, names, nil
}

package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
)

// testConnection is -test-connection: what a setup screen calls before it
// saves the settings.
func (s *session) testConnection(ctx context.Context, m runner.ModeRun) error {
	lms, stop, err := s.litmos(m.Real, m.Env, len(seed().Teams))
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
	lms, stop, err := s.litmos(m.Real, m.Env, len(seed().Teams))
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
	user, err := rem.PlatformUser(ctx, email)
	names, err2 := rem.CourseNames(ctx, courses)
	if err = cmp.Or(err, err2); errors.Is(err, syncengine.ErrNotFound) {
		return runner.Usagef("-assign: %w", err)
	} else if err != nil {
		return err
	}
	do, pending := rem.Assign, "assigned (no email sent)"
	if !m.Apply {
		do, pending = rem.Plan, "would assign"
	}
	done, err := do(ctx, user.ID, courses)
	if err != nil {
		return err
	}
	email, _ = user.Fields["email"].(string)
	fmt.Fprintf(m.Stdout, "Remediation for %s (%s)%s:\n", user.Fields["name"], email, map[bool]string{false: ", read from Litmos"}[m.Apply])
	for _, a := range done {
		fmt.Fprintf(m.Stdout, "  %-14s %-24s %s\n", a.CourseID, names[a.CourseID], cmp.Or(a.State(), pending))
		if _, err := s.portal.ExecContext(ctx, "INSERT INTO assignments (email, course_id, assigned_at) SELECT ?, ?, ? WHERE ?",
			email, a.CourseID, time.Now().UTC().Format(time.RFC3339), a.Assigned); a.Assigned && err != nil {
			return fmt.Errorf("record the assignment of %s: %w", a.CourseID, err)
		}
	}
	if !m.Apply {
		fmt.Fprintln(m.Stdout, "Nothing was written. Run again with -apply to assign (Litmos sends no email).")
	}
	return nil
}

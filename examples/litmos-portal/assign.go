package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
)

// pairName is the job's pair in the state store (the engine's default).
const pairName = "litmos<->portal"

// remediate is -assign EMAIL=COURSE_ID[,COURSE_ID]: it assigns the Litmos
// courses the portal user lacks (without -apply, says which it would).
func (o *own) remediate(ctx context.Context, env environment, rest []string, stdout, stderr io.Writer) int {
	if err := o.assignCourses(ctx, env, rest, stdout); err != nil {
		return usage(stderr, err)
	}
	return runner.ExitOK
}

func (o *own) assignCourses(ctx context.Context, env environment, rest []string, stdout io.Writer) error {
	email, courses := o.assignment()
	apply := applying(rest)
	if o.db == "" {
		return runner.Usagef("-assign needs -db FILE: the portal whose user %s is", email)
	}
	if _, err := os.Stat(o.db); err != nil {
		return runner.Usagef("-assign: -db %s: %w", o.db, err)
	}
	db, err := portal.Open(o.db, !apply)
	if err != nil {
		return err
	}
	defer db.Close()
	user, name, names, err := lookUp(ctx, db, &email, courses)
	if err != nil {
		return err
	}
	lms, fake, stop, err := env.litmos()
	if err != nil {
		return err
	}
	defer stop()
	store, closeStore, err := linkStore(stateFlag(rest), fake == nil)
	if err != nil {
		return err
	}
	defer closeStore()
	rem := &jobs.LitmosRemediation{Litmos: lms, Store: store, Pair: pairName, Platform: portal.New(db)}
	if !apply {
		plan, err := rem.Plan(ctx, user, courses)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Remediation for %s (%s), read from Litmos:\n", name, email)
		printAssignments(stdout, plan, names, "would assign")
		fmt.Fprintln(stdout, "Nothing was written. Run again with -apply to assign (Litmos sends no email).")
		return nil
	}
	done, err := rem.Assign(ctx, user, courses)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	for _, a := range done {
		if a.Assigned {
			if _, err := db.ExecContext(ctx, "INSERT INTO assignments (email, course_id, assigned_at) VALUES (?, ?, ?)", email, a.CourseID, now); err != nil {
				return fmt.Errorf("record the assignment of %s: %w", a.CourseID, err)
			}
		}
	}
	fmt.Fprintf(stdout, "Remediation for %s (%s):\n", name, email)
	printAssignments(stdout, done, names, "assigned (no email sent)")
	return nil
}

func printAssignments(w io.Writer, as []jobs.CourseAssignment, names map[string]string, pending string) {
	for _, a := range as {
		state := fmt.Sprintf("already assigned, %.0f%% complete", a.PercentageComplete)
		if a.Complete {
			state = "already assigned, complete"
		}
		if a.Pending || a.Assigned {
			state = pending
		}
		fmt.Fprintf(w, "  %-14s %-24s %s\n", a.CourseID, names[a.CourseID], state)
	}
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
	}
	if err != nil {
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

// linkStore opens the state directory whose link table says which Litmos
// user a portal user is: -state, or on a real account the default one;
// on the fake, whose ids are the same on every run, none is needed.
func linkStore(dir string, real bool) (syncengine.Store, func(), error) {
	if dir == "" && real {
		base, err := os.UserConfigDir()
		if err == nil {
			dir = syncengine.DefaultStateDir(base, "litmos", "", "portal")
		}
	}
	if _, err := os.Stat(dir); dir == "" || err != nil {
		return syncengine.NewMemoryStore(), func() {}, nil // no links yet: users are found by integration_id
	}
	fs, err := syncengine.OpenFileStore(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("-state %s: %w", dir, err)
	}
	return fs, func() { fs.Close() }, nil
}

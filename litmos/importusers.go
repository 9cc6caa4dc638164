package litmos

import (
	"bytes"
	"context"
	"fmt"
	"strings"
)

// ImportUsersParams configure ImportUsers.
type ImportUsersParams struct {
	BulkImportParams
	WaitParams
	// MaxJobBytes caps one job's body (0: MaxBulkImportBytes, the most).
	MaxJobBytes int
}

// ImportResult is what ImportUsers did.
type ImportResult struct {
	// Jobs are the import jobs, as they finished, in order.
	Jobs []BulkImport
	// Errors are the rows refused one by one: by the client before
	// sending (FromLitmos false: the row lacks a required field, say) or
	// by Litmos (its usererrors).
	Errors []ImportError
	// Unapplied are the rows Litmos did not confirm importing: their job
	// was refused, failed, or could not be followed to its end. Send them
	// one by one (CreateUser, UpdateUser); some may exist by then, so
	// look each up by username first.
	Unapplied []UserImport
}

// ImportError is a row that was not imported, and why.
type ImportError struct {
	Username   string
	Message    string
	FromLitmos bool
}

// ImportUsers creates or updates users in as few import jobs as the
// payload limit allows, one job after the other: each is posted, polled
// until it finishes, and, if it refused rows, asked which (one call, or
// one per 1000 refused rows). So N users that fit in one job cost 1 + P +
// (0 or 1) calls, P being the polls. Rows whose manager is another row
// come after it, so a manager is created before the users who report to
// it. A row the client can tell is bad is not sent (Errors); when Litmos
// refuses a job whole (the error matches ErrBulkRefused) or a job cannot
// be followed, ImportUsers stops and returns the rows not confirmed in
// Unapplied, with the result so far, so the caller can fall back to
// per-record calls.
func (c *Client) ImportUsers(ctx context.Context, rows []UserImport, p ImportUsersParams) (*ImportResult, error) {
	maxBytes := p.MaxJobBytes
	if maxBytes <= 0 || maxBytes > MaxBulkImportBytes {
		maxBytes = MaxBulkImportBytes
	}
	res := &ImportResult{}
	jobs, err := splitJobs(rows, managersFirst(rows, res.screen(rows)), maxBytes)
	if err != nil {
		return res, err
	}
	for i, job := range jobs {
		if err := c.runJob(ctx, rows, job, p, res); err != nil {
			for _, rest := range jobs[i:] {
				res.unapplied(rows, rest.rows)
			}
			return res, err
		}
	}
	return res, nil
}

// unapplied adds the rows at the indexes at to Unapplied.
func (res *ImportResult) unapplied(rows []UserImport, at []int) {
	for _, i := range at {
		res.Unapplied = append(res.Unapplied, rows[i])
	}
}

// screen returns the indexes of the rows worth sending and records the
// others: a row that fails check, or repeats a username (Litmos would count
// it a Duplicate and import only one).
func (res *ImportResult) screen(rows []UserImport) []int {
	seen := make(map[string]bool, len(rows))
	out := make([]int, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		key := strings.ToLower(strings.TrimSpace(r.Username))
		switch err := r.check(); {
		case err != nil:
			res.Errors = append(res.Errors, ImportError{Username: r.Username, Message: err.Error()})
		case seen[key]:
			res.Errors = append(res.Errors, ImportError{Username: r.Username, Message: "username repeated in the import"})
		default:
			seen[key] = true
			out = append(out, i)
		}
	}
	return out
}

// managersFirst returns the indexes in keep, ordered so that a row naming
// another row's username as Manager comes after it (otherwise keeping the
// given order). The rows stay where they are: indexes, not copies.
func managersFirst(rows []UserImport, keep []int) []int {
	index := make(map[string]int, len(keep))
	for i, at := range keep {
		index[strings.ToLower(strings.TrimSpace(rows[at].Username))] = i
	}
	out := make([]int, 0, len(keep))
	state := make([]uint8, len(keep)) // 0 new, 1 placing, 2 placed
	var place func(i int)
	place = func(i int) {
		if state[i] != 0 {
			return // placed, or a cycle: keep the given order
		}
		state[i] = 1
		if m, ok := index[strings.ToLower(strings.TrimSpace(rows[keep[i]].Manager))]; ok && m != i {
			place(m)
		}
		state[i] = 2
		out = append(out, keep[i])
	}
	for i := range keep {
		place(i)
	}
	return out
}

// importJob is the rows of one job (indexes in the rows split, a window
// of its order) and its body.
type importJob struct {
	rows []int
	body []byte
}

// splitJobs packs the rows at order, in that order, into bodies of at
// most maxBytes.
func splitJobs(rows []UserImport, order []int, maxBytes int) ([]importJob, error) {
	var (
		jobs  []importJob
		start int // the current job's first row
		buf   bytes.Buffer
		row   bytes.Buffer
	)
	flush := func(end int) {
		if end > start {
			buf.WriteString(importsClose)
			jobs = append(jobs, importJob{rows: order[start:end:end], body: bytes.Clone(buf.Bytes())})
		}
		start = end
		buf.Reset()
		buf.WriteString(importsOpen)
	}
	flush(0)
	for i, at := range order {
		r := &rows[at]
		row.Reset()
		r.appendXML(&row)
		fixed := len(importsOpen) + len(importsClose)
		if fixed+row.Len() > maxBytes {
			return nil, fmt.Errorf("litmos: bulk import: row %q alone makes %d bytes, over the %d a job takes", r.Username, fixed+row.Len(), maxBytes)
		}
		if buf.Len()+row.Len()+len(importsClose) > maxBytes {
			flush(i)
		}
		buf.Write(row.Bytes())
	}
	flush(len(order))
	return jobs, nil
}

// runJob posts one job, waits for it and collects its refused rows.
func (c *Client) runJob(ctx context.Context, rows []UserImport, job importJob, p ImportUsersParams, res *ImportResult) error {
	started, err := c.postImport(ctx, job.body, len(job.rows), p.BulkImportParams)
	if err != nil {
		return err
	}
	done, err := c.WaitBulkImport(ctx, started.ID, p.WaitParams)
	if err != nil {
		return err
	}
	res.Jobs = append(res.Jobs, *done)
	if !done.Succeeded() {
		res.unapplied(rows, job.rows)
		return nil
	}
	if done.refusedRows() == 0 {
		return nil
	}
	for e, err := range c.ListBulkImportErrors(ctx, done.ID, ListParams{}) {
		if err != nil {
			return err
		}
		res.Errors = append(res.Errors, ImportError{Username: e.Username, Message: e.ImportStatus, FromLitmos: true})
	}
	return nil
}

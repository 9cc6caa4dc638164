package talenthr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Fingerprint is a short digest of a directory row: equal rows have equal
// fingerprints, and a change to any key a sync reads (names, email,
// placement, manager, dates, phones, role, custom-field columns, keys
// TalentHR adds) changes it. It leaves out the keys that change without
// the employee changing: photo_url and resized_photo_url (CDN links that
// may be signed per request), time_off_requests and active_cycle.
type Fingerprint string

// volatileKeys are the row keys a Fingerprint leaves out.
var volatileKeys = []string{"photo_url", "resized_photo_url", "time_off_requests", "active_cycle"}

// Fingerprint returns the row's fingerprint: 128 bits of SHA-256 over the
// row's canonical JSON (sorted keys, ids as text, dates as YYYY-MM-DD).
func (r DirectoryRow) Fingerprint() Fingerprint {
	b, err := encodeObject(r, volatileKeys...)
	if err != nil {
		// Only an impossible Date can fail to encode; it still differs
		// from every well-formed row.
		b = []byte(fmt.Sprintf("%#v", r))
	}
	sum := sha256.Sum256(b)
	return Fingerprint(hex.EncodeToString(sum[:16]))
}

// DirectorySnapshot is what a poll of the directory saw: a fingerprint per
// employee id. Store it (it is plain JSON) and
// pass it to the next PollDirectory; the zero snapshot means "first poll".
type DirectorySnapshot struct {
	Employees map[string]Fingerprint `json:"employees"`
}

// GoneReason says why an employee the previous poll saw is not listed now.
type GoneReason string

// Why an employee left the directory, as GetEmployee tells it.
const (
	// GoneDeleted: TalentHR answers 404 for the employee.
	GoneDeleted GoneReason = "deleted"
	// GoneTerminated: the employee is terminated (is_terminated, or a
	// termination date not after today): the directory hides them.
	GoneTerminated GoneReason = "terminated"
	// GoneUnlisted: the employee exists and is not terminated, yet was not
	// listed: moved out of DirectoryParams.Filter, or skipped because the
	// directory changed between two pages. The snapshot forgets them, so a
	// skipped employee comes back as New on the next poll (a harmless
	// re-read) rather than ever being taken for a leaver.
	GoneUnlisted GoneReason = "unlisted"
)

// GoneEmployee is an employee of the previous snapshot that this poll did
// not list, confirmed with GetEmployee.
type GoneEmployee struct {
	ID       string
	Reason   GoneReason
	Employee *Employee // nil when GoneDeleted
}

// DirectoryPoll is what changed in the directory since a snapshot.
type DirectoryPoll struct {
	// Snapshot is the directory as this poll saw it: store it for the next.
	Snapshot DirectorySnapshot
	// New are rows whose id the previous snapshot did not have (every row
	// on a first poll).
	New []DirectoryRow
	// Changed are rows whose fingerprint differs from the previous one.
	Changed []DirectoryRow
	// Unchanged counts the rows with the same fingerprint as before.
	Unchanged int
	// Gone are the employees of the previous snapshot not listed now.
	Gone []GoneEmployee
	// Requests is how many requests the poll made: directory pages, then
	// one GetEmployee per gone employee.
	Requests int
}

// PollDirectory finds what changed in the directory since prev, the
// cheapest way TalentHR allows: it has no webhooks and no updated-since
// filter, so the poll reads the whole directory (params.Filter narrows it)
// a page of params.Limit (default MaxPageSize) at a time, N rows in
// N/100+1 requests, and compares each row's Fingerprint with prev. Only
// employees that vanished cost one more request each (GetEmployee, to tell
// a deletion from a termination from a paging artefact).
//
// params.Offset NoPaging reads the directory in one request instead
// (offset=-1, which turns paging off; documented by one client only). A
// row listed twice (the directory shifted between pages) counts once.
// The poll fails as a whole when any request fails; prev is then still
// the snapshot to poll from.
func (c *Client) PollDirectory(ctx context.Context, prev DirectorySnapshot, params DirectoryParams) (*DirectoryPoll, error) {
	poll := &DirectoryPoll{Snapshot: DirectorySnapshot{Employees: map[string]Fingerprint{}}}
	if params.Limit == 0 {
		params.Limit = MaxPageSize
	}
	for {
		page, err := c.ListDirectoryPage(ctx, params)
		if err != nil {
			return nil, wrapf(err, "poll directory")
		}
		poll.Requests++
		for _, row := range page.Rows {
			poll.see(prev, row)
		}
		if params.Offset == NoPaging || len(page.Rows) < params.Limit {
			break
		}
		params.Offset += len(page.Rows)
	}
	if err := c.confirmGone(ctx, prev, poll); err != nil {
		return nil, wrapf(err, "poll directory")
	}
	return poll, nil
}

// see files one listed row.
func (p *DirectoryPoll) see(prev DirectorySnapshot, row DirectoryRow) {
	if _, dup := p.Snapshot.Employees[row.ID]; dup {
		return
	}
	fp := row.Fingerprint()
	p.Snapshot.Employees[row.ID] = fp
	switch old, ok := prev.Employees[row.ID]; {
	case !ok:
		p.New = append(p.New, row)
	case old != fp:
		p.Changed = append(p.Changed, row)
	default:
		p.Unchanged++
	}
}

// confirmGone looks up every employee of prev the poll did not list.
func (c *Client) confirmGone(ctx context.Context, prev DirectorySnapshot, p *DirectoryPoll) error {
	today := c.today()
	for _, id := range sortedKeys(prev.Employees) {
		if _, listed := p.Snapshot.Employees[id]; listed {
			continue
		}
		p.Requests++
		e, err := c.GetEmployee(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound):
			p.Gone = append(p.Gone, GoneEmployee{ID: id, Reason: GoneDeleted})
		case err != nil:
			return err
		case e.Terminated(today):
			p.Gone = append(p.Gone, GoneEmployee{ID: id, Reason: GoneTerminated, Employee: e})
		default:
			p.Gone = append(p.Gone, GoneEmployee{ID: id, Reason: GoneUnlisted, Employee: e})
		}
	}
	return nil
}

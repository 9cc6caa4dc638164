// Package talenthr is a typed client for the TalentHR public REST API
// (https://apidocs.talenthr.io/): the employee directory, employees, hires
// and partial updates, and the lookup lists of the org structure.
//
//	c, err := talenthr.New(os.Getenv("TALENTHR_API_KEY"))
//	for row, err := range c.ListDirectory(ctx, talenthr.DirectoryParams{}) { ... }
//
// The client sends the API key as the Basic-auth user name, asks for JSON
// on every call (TalentHR answers errors in JSON only then), paces itself
// to TalentHR's 2,000 requests a minute (DefaultRateLimit), retries 429
// answers honouring Retry-After (and 500, 502, 503 and 504 on reads and
// updates), and never blindly retries a hire or a create: when one may or
// may not have happened its error wraps ErrOutcomeUnknown. Errors are
// *APIError values matched with errors.Is against ErrNotFound,
// ErrUnauthorized, ErrInvalid and the other sentinels; TalentHR's "error"
// key is read whether it is a text or an object with per-field messages.
// No error or log record carries the key. WithBaseURL takes the
// "https://…/v1" form, for proxies and the fake.
//
// # What it covers
//
//   - The directory, paged with limit and offset: ListDirectory,
//     ListDirectoryPage, DirectoryFilters. Rows carry termination_date;
//     whether the directory lists terminated employees by default is not
//     published, so DirectoryFilterOptions.AllEmploymentStates builds a
//     filter that asks for every employment state.
//   - One employee, the job history and the custom fields: GetEmployee,
//     GetJobInfo, ListCustomFields.
//   - Hire (first name, last name, email, hire date and employment status
//     required; no invitation email unless SendInvitationEmail) and
//     UpdateEmployee, a partial update whose Field values are unset (left
//     alone), null (cleared) or set.
//   - The lookups (departments, divisions, job titles, locations,
//     employment statuses, languages): ListLookups, CreateLookup, and
//     Lookups, which turns names into ids and creates a missing
//     department, division, job title or location only when
//     ResolveOptions.CreateMissing allows it; otherwise a *LookupError
//     names the missing value.
//   - UnverifiedTerminateEmployee: a guess. TalentHR publishes no
//     termination call; terminations are made in its web app and read
//     from the directory.
//
// Ids are strings of digits in Go (TalentHR sends numbers) and are checked
// before anything is sent; dates are Date, "2006-01-02" on the wire.
// Shapes TalentHR does not publish are read tolerantly, and keys a type
// does not name are kept in Extra.
//
// # Finding changes: polling
//
// TalentHR has no webhooks and the directory has no updated-since filter,
// and no row says when it last changed. Changes are found by reading the
// whole directory, which costs N/100+1 requests for N employees (51 for a
// company of 5,000, a fortieth of one minute's allowance), and comparing
// each row's Fingerprint with the previous poll's. PollDirectory does that
// from a stored DirectorySnapshot and reports New, Changed and Gone
// employees; only an employee who vanished from the list costs one more
// request (GetEmployee, to tell a deletion from a termination). A
// termination date in the future does not change the row on the day it
// arrives: compare DirectoryRow.Terminated(today) on every poll.
//
// # The syncengine connector
//
// NewConnector adapts the client to syncengine: users as a source (the
// directory, every employment state) and as a target that only hires
// (TalentHR publishes no termination call, so the connector never
// deactivates; UnverifiedTerminateEmployee is never called by it):
//
//	k := talenthr.NewConnector(c, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"})
//
// What a poll costs: Connector.Changes reads the whole directory, P =
// N/100+1 requests for N employees (51 for 5,000), and nothing else once
// the engine's Cache holds the employment-state ids (one more request the
// first time, GET /directory/filters) and, when custom fields are read,
// their definitions (two more the first time). It compares every row
// with the cursor, which holds the previous poll itself (about 10 bytes
// an employee), and reports new, changed, newly terminated and vanished
// employees; the engine then reads each with one GET /employees/{id}.
// Changes to fields the directory lacks (city, birth date) show only in a
// full sync. A full sync through the engine reads the directory once: P,
// plus N when the pair reads such detail fields; the change cursor comes
// from that listing (ListCursor). Connector documents every call's cost.
//
// # Training: no public endpoint
//
// TalentHR's public API has no training endpoint: no course, training
// record or progress appears in its reference or in any public client of
// it (checked: the reference's operation lists as MindCloud, Pipedream,
// Metorial and a catalogue built from TalentHR's Postman collection
// publish them). TalentHR's own TalentLMS integration shows training
// through a channel the public API does not offer. The connector
// therefore never writes training into TalentHR. With
// ConnectorOptions.Training it serves syncengine.Courses and
// syncengine.Enrollments from a Training store of yours (your database,
// or NewMemoryTraining): learning progress synced towards TalentHR lands
// there, in the engine's report, and in Training.PutEnrollment, the one
// place to act on it.
//
// Package talenthrtest is a strict in-memory fake of the API for tests.
package talenthr

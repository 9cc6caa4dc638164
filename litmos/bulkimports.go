package litmos

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The user bulk import (POST /bulkimports) creates or updates users by
// username in an asynchronous job: post the rows, poll the job, read the
// rows it refused. https://www.litmos.com/docs/litmos/apis/bulk-import-users-with-api

// MaxBulkImportBytes is the largest body one import takes. Litmos
// documents "2000KB"; the smaller reading (2,000,000 bytes) is used.
const MaxBulkImportBytes = 2_000_000

// ErrBulkRefused matches the error of an import Litmos refused as a whole
// (the POST answered 400, 403, 404, 405, 406, 413 or 415): nothing of it
// was imported, and the rows can be sent one by one instead (CreateUser,
// UpdateUser). The error also matches the status's own sentinel.
var ErrBulkRefused = errors.New("litmos: bulk import refused")

// Access levels a UserImport takes (the documented letters; Litmos also
// takes numbers, of which only 2, Account Owner, is documented).
const (
	ImportLearner    = "L"
	ImportTeamLeader = "TL"
	ImportTeamAdmin  = "TA"
)

// UserImport is one row of a bulk import. Username is the key: the row
// creates that user or updates the one who has it (an import cannot change
// a username). Fields left empty are not sent, and Litmos keeps the value
// of a field not sent, so an import never clears a field.
type UserImport struct {
	Username, Email, FirstName, LastName string // all four required
	Password                             Secret // write-only
	Phone, Mobile, Skype                 string
	Title                                string // the job title
	CompanyName, Website, Twitter        string
	// Teams are team codes (Team.TeamCodeForBulkImport), at most 5;
	// Courses are course codes (Course.CourseCodeForBulkImport), at most 3.
	Teams, Courses                                []string
	Address1, Address2, City, State, Zip, Country string
	CustomField1, CustomField2, CustomField3      string
	CustomField4, CustomField5, CustomField6      string
	CustomField7, CustomField8, CustomField9      string
	CustomField10                                 string
	SalesforceID                                  string
	SalesforceContactID, SalesforceAccountID      string
	Active                                        *bool     // nil: not sent
	InactiveDate                                  time.Time // zero: not sent
	AccessLevel                                   string    // ImportLearner, ImportTeamLeader, ImportTeamAdmin or Litmos's number
	Brand, Culture                                string
	Manager                                       string         // the manager's username or Id
	UserCustomFields                              map[int]string // UserCustomField1…25 by number
	JobRole, ExternalEmployeeID                   string
}

// check names the first thing wrong with r.
func (r *UserImport) check() error {
	switch {
	case len([]rune(strings.TrimSpace(r.Username))) < 3:
		//lint:ignore ST1005 the row messages are Litmos's own import wording (Username, Email are its column names), shown beside the rows Litmos refuses
		return errors.New("Username must have at least 3 characters")
	case strings.TrimSpace(r.Email) == "":
		//lint:ignore ST1005 Litmos's own import wording, as above
		return errors.New("Email is required")
	case strings.TrimSpace(r.FirstName) == "" || strings.TrimSpace(r.LastName) == "":
		return errors.New("FirstName and LastName are required")
	case len(r.Teams) > 5:
		return fmt.Errorf("%d teams, an import row takes at most 5", len(r.Teams))
	case len(r.Courses) > 3:
		return fmt.Errorf("%d courses, an import row takes at most 3", len(r.Courses))
	}
	for n := range r.UserCustomFields {
		if n < 1 || n > 25 {
			return fmt.Errorf("UserCustomField%d does not exist (1 to 25)", n)
		}
	}
	switch r.AccessLevel {
	case "", ImportLearner, ImportTeamLeader, ImportTeamAdmin, "2", "3", "4", "5":
	default:
		return fmt.Errorf("AccessLevel %q is not L, TL, TA or 2 to 5", r.AccessLevel)
	}
	return nil
}

// appendXML appends r as a <UserImport> element, its elements in the order
// Litmos reads them: the order of the UserImport schema in the SAP spec,
// which the element order of a working integration follows
// (https://github.com/ACMILabs/litmos-chris21-integration; the SAP spec calls
// the user field list "order sensitive",
// https://api.sap.com/api/LitmosAPIdetails/overview). Empty values are left
// out; text is escaped, so a raw "&" (which breaks the call, as
// https://github.com/fletcherg/litmos-client found) never goes out.
func (r *UserImport) appendXML(b *bytes.Buffer) {
	el := func(name, v string) {
		if v == "" {
			return
		}
		b.WriteByte('<')
		b.WriteString(name)
		b.WriteByte('>')
		escapeText(b, v)
		b.WriteString("</")
		b.WriteString(name)
		b.WriteByte('>')
	}
	at := func(s []string, i int) string {
		if i < len(s) {
			return s[i]
		}
		return ""
	}
	b.WriteString("<UserImport>")
	el("Username", r.Username)
	el("Email", r.Email)
	el("FirstName", r.FirstName)
	el("LastName", r.LastName)
	el("Password", r.Password.Reveal())
	el("Phone", r.Phone)
	el("Mobile", r.Mobile)
	el("Skype", r.Skype)
	el("Title", r.Title)
	el("CompanyName", r.CompanyName)
	el("WebSite", r.Website)
	el("Twitter", r.Twitter)
	for i, tag := range importTeamTags {
		el(tag, at(r.Teams, i))
	}
	for i, tag := range importCourseTags {
		el(tag, at(r.Courses, i))
	}
	el("Address1", r.Address1)
	el("Address2", r.Address2)
	el("City", r.City)
	el("State", r.State)
	el("Zip", r.Zip)
	el("Country", r.Country)
	for i, v := range [...]string{r.CustomField1, r.CustomField2, r.CustomField3, r.CustomField4, r.CustomField5,
		r.CustomField6, r.CustomField7, r.CustomField8, r.CustomField9, r.CustomField10} {
		el(importCustomTags[i], v)
	}
	el("SalesforceId", r.SalesforceID)
	el("SalesforceContactId", r.SalesforceContactID)
	el("SalesforceAccountId", r.SalesforceAccountID)
	if r.Active != nil {
		el("Active", strconv.FormatBool(*r.Active))
	}
	if !r.InactiveDate.IsZero() {
		el("InActiveDate", r.InactiveDate.UTC().Format("2006-01-02T15:04:05"))
	}
	el("AccessLevel", r.AccessLevel)
	el("Brand", r.Brand)
	el("Culture", r.Culture)
	el("Manager", r.Manager)
	for n, tag := range importUserCustomTags {
		if v, ok := r.UserCustomFields[n+1]; ok {
			el(tag, v)
		}
	}
	el("JobRole", r.JobRole)
	el("ExternalEmployeeId", r.ExternalEmployeeID)
	b.WriteString("</UserImport>")
}

// The numbered element names, built once.
var (
	importTeamTags       = numbered("Team", 5)
	importCourseTags     = numbered("Course", 3)
	importCustomTags     = numbered("CustomField", 10)
	importUserCustomTags = numbered("UserCustomField", 25)
)

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i+1)
	}
	return out
}

// escapeText writes s as XML text: as it is when it holds only printable
// ASCII that needs no escape, else through xml.EscapeText (which also
// replaces characters XML cannot carry).
func escapeText(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			_ = xml.EscapeText(b, []byte(s))
			return
		}
	}
	b.WriteString(s)
}

const (
	importsOpen  = "<UserImports>"
	importsClose = "</UserImports>"
)

// BulkImport is a user import job (POST /bulkimports, GET /bulkimports/{id}).
type BulkImport struct {
	ID         string `json:"Id"`
	ImportDate Time   `json:"ImportDate"`
	// Status is "Waiting" when posted and "Completed" when done; Litmos
	// documents no other value.
	Status            string `json:"Status"`
	TotalRecords      int64  `json:"TotalRecords"`
	TotalUsersCreated int64  `json:"TotalUsersCreated"`
	Failed            int64  `json:"Failed"`
	Duplicate         int64  `json:"Duplicate"`
	InvalidEmail      int64  `json:"InvalidEmail"`
	SendEmails        bool   `json:"SendEmails"`
	SkipFirstLogin    bool   `json:"SkipFirstLogin"`
	IsAPIImport       bool   `json:"IsAPIImport"`
	// Extra keeps fields this type does not name.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (j *BulkImport) UnmarshalJSON(b []byte) error { return decodeObject(b, j) }

// MarshalJSON writes the job with its Extra fields.
func (j BulkImport) MarshalJSON() ([]byte, error) { return encodeObject(j) }

// Finished reports whether the job is over: Status "Completed" (or
// "Complete"), or "Failed". An unknown status counts as still running, so
// a caller waits (to its deadline) rather than read a job half done.
func (j *BulkImport) Finished() bool { return j.Succeeded() || strings.EqualFold(j.Status, "Failed") }

// Succeeded reports whether the job completed (its rows may still have
// failed one by one: see Failed, Duplicate, InvalidEmail).
func (j *BulkImport) Succeeded() bool {
	return strings.EqualFold(j.Status, "Completed") || strings.EqualFold(j.Status, "Complete")
}

// refusedRows is how many rows the job did not import.
func (j *BulkImport) refusedRows() int64 { return j.Failed + j.Duplicate + j.InvalidEmail }

// BulkImportError is a row an import refused (GET /bulkimports/{id}/usererrors).
type BulkImportError struct {
	Username string `json:"Username" alt:"UserName"`
	// ImportStatus says why, e.g. "Failed - Unknown Error". The SAP schema
	// spells the key ImporStatus; both are read.
	ImportStatus string `json:"ImportStatus" alt:"ImporStatus"`
	// Extra keeps fields this type does not name.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (e *BulkImportError) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// MarshalJSON writes the record with its Extra fields.
func (e BulkImportError) MarshalJSON() ([]byte, error) { return encodeObject(e) }

// BulkImportParams are what StartBulkImport sends besides the rows; both
// query flags always go explicitly.
type BulkImportParams struct {
	// SendMessage emails new users their login (default: no email).
	SendMessage bool
	// SkipFirstLogin spares new users the forced password set at first login.
	SkipFirstLogin bool
}

// StartBulkImport posts rows as one import job and returns it (Status
// "Waiting"): the rows are imported asynchronously; see WaitBulkImport.
// The body must fit in MaxBulkImportBytes: ImportUsers splits larger
// sets. A refusal of the whole import matches ErrBulkRefused. Rows are
// keyed by username, so posting the same rows twice leaves the same users:
// the call is retried like an idempotent one.
func (c *Client) StartBulkImport(ctx context.Context, rows []UserImport, p BulkImportParams) (*BulkImport, error) {
	if len(rows) == 0 {
		return nil, errors.New("litmos: bulk import: no rows")
	}
	var body bytes.Buffer
	body.WriteString(importsOpen)
	for i := range rows {
		if err := rows[i].check(); err != nil {
			return nil, fmt.Errorf("litmos: bulk import: row %d (%q): %w", i, rows[i].Username, err)
		}
		rows[i].appendXML(&body)
	}
	body.WriteString(importsClose)
	if body.Len() > MaxBulkImportBytes {
		return nil, fmt.Errorf("litmos: bulk import: %d rows make %d bytes, Litmos takes at most %d: %w", len(rows), body.Len(), MaxBulkImportBytes, ErrBulkRefused)
	}
	return c.postImport(ctx, body.Bytes(), len(rows), p)
}

func (c *Client) postImport(ctx context.Context, body []byte, n int, p BulkImportParams) (*BulkImport, error) {
	q := c.query("sendmessage", strconv.FormatBool(p.SendMessage), "skipfirstlogin", strconv.FormatBool(p.SkipFirstLogin))
	resp, err := c.send(ctx, http.MethodPost, "bulkimports", q.Encode(), body, "application/xml", boolPtr(true))
	if err != nil {
		return nil, wrapf(refusal(err), "bulk import of %d users", n)
	}
	var job BulkImport
	if err := readCreated(resp, &job, &job.ID); err != nil {
		return nil, wrapf(err, "bulk import of %d users", n)
	}
	return &job, nil
}

// refusedStatuses are the answers that refuse an import as a whole.
var refusedStatuses = map[int]bool{400: true, 403: true, 404: true, 405: true, 406: true, 413: true, 415: true}

// refusal makes a refusing answer match ErrBulkRefused too.
func refusal(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && refusedStatuses[apiErr.StatusCode] {
		return &refusedError{err}
	}
	return err
}

type refusedError struct{ err error }

func (e *refusedError) Error() string   { return e.err.Error() }
func (e *refusedError) Unwrap() []error { return []error{ErrBulkRefused, e.err} }

// GetBulkImport returns the import job id. Litmos answers an unknown id
// with 400 "Bulk Import Id was not found." (an error matching ErrInvalid).
func (c *Client) GetBulkImport(ctx context.Context, id string) (*BulkImport, error) {
	return getRecord[BulkImport](ctx, c, "bulk import", "bulkimports", id)
}

// ListBulkImportErrors yields the rows the import job id refused, with
// Litmos's reason (GET /bulkimports/{id}/usererrors).
func (c *Client) ListBulkImportErrors(ctx context.Context, id string, p ListParams) iter.Seq2[BulkImportError, error] {
	path := "bulkimports/" + url.PathEscape(id) + "/usererrors"
	return listAll[BulkImportError](ctx, c, "list errors of bulk import "+id, path, p)
}

// WaitParams say how WaitBulkImport polls.
type WaitParams struct {
	// Interval is the wait before each poll (default: the client's
	// WithBulkPoll, 5s unless set: 12 of the 100 calls a minute Litmos allows).
	Interval time.Duration
	// MaxPolls bounds the polls (default 720, an hour at 5s); ctx bounds the time.
	MaxPolls int
}

// WaitBulkImport polls the job id until it is Finished and returns it:
// one call per poll. It gives up with an error naming the last status
// after MaxPolls polls, or when ctx ends.
func (c *Client) WaitBulkImport(ctx context.Context, id string, p WaitParams) (*BulkImport, error) {
	if p.Interval <= 0 {
		p.Interval = c.bulkPoll
	}
	if p.MaxPolls <= 0 {
		p.MaxPolls = 720
	}
	timer := time.NewTimer(p.Interval)
	defer timer.Stop()
	status := ""
	for n := 0; n < p.MaxPolls; n++ {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("litmos: wait for bulk import %s (status %q): %w", id, status, ctx.Err())
		case <-timer.C:
		}
		job, err := c.GetBulkImport(ctx, id)
		if err != nil {
			return nil, err
		}
		if job.Finished() {
			return job, nil
		}
		status = job.Status
		timer.Reset(p.Interval)
	}
	return nil, fmt.Errorf("litmos: bulk import %s still has status %q after %d polls", id, status, p.MaxPolls)
}

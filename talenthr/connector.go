package talenthr

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// ConnectorOptions configures NewConnector. The zero value reads every
// employee, hires nobody without an employment status, creates no lookup
// entry and emails nobody.
type ConnectorOptions struct {
	// EmploymentStatus is the employment status ("Full-Time"), by name,
	// that a hire gets when its record has no "employment_status" field.
	// TalentHR requires one on every hire; with neither, Create fails
	// naming the field.
	EmploymentStatus string
	// CreateMissingLookups lets Create add a job title, department,
	// division or location that TalentHR does not have yet. Off (the
	// default), a name TalentHR lacks fails that create with a
	// *LookupError naming it, and nothing is written.
	CreateMissingLookups bool
	// SendEmail lets TalentHR email a new hire its invitation. Off (the
	// default), hires are sent with prevent_email and nobody is emailed.
	SendEmail bool
	// IsExisting hires people as existing staff (is_existing): TalentHR
	// skips its automatic onboarding, as suits people who already work
	// there and are only new to TalentHR.
	IsExisting bool
	// Scope, when set, says which employees flow out: List and Find yield
	// only those it accepts, and InScope (which the engine applies to every
	// read) says the same. Nil: every employee.
	Scope func(syncengine.Record) bool
	// DetailReads is how many GET /employees/{id} a listing runs at once
	// when the pair reads fields the directory lacks; default 4.
	DetailReads int
	// Now is the clock that tells today's date (UTC), which decides who is
	// terminated; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings (a custom field that cannot be asked for, a
	// termination flag that disagrees with the date); nil logs nothing.
	Logger *slog.Logger
	// Training, when set, is where the connector keeps the courses and
	// enrollments it serves as syncengine.Courses and
	// syncengine.Enrollments: TalentHR's public API has no training
	// endpoint, so learning progress synced towards TalentHR goes there
	// (your database, or NewMemoryTraining) and is never written to
	// TalentHR. Nil: the connector serves users only.
	Training Training
}

// Connector is TalentHR as a syncengine source and target of users.
//
// As a source it lists the directory (GET /directory, every employment
// state, a page of 100 at a time) and reads one employee with GET
// /employees/{id}. As a target it only hires: Create is POST
// /employees/hire, Update a partial PUT /employees/{id}. TalentHR
// publishes no termination call, so the connector cannot deactivate or
// reactivate anyone (SetActive is unsupported, and Capabilities says so:
// the engine plans no deactivation of a TalentHR employee); terminations
// are made in TalentHR's web app and read back as Active false.
//
// Records: Record.ID is the employee id. Fields are keyed by TalentHR's
// own snake_case names (UserFields lists them with their types):
//
//   - from the directory, at no extra cost: "id", "first_name",
//     "last_name", "email", "hire_date" and "termination_date"
//     (time.Time at midnight UTC, nil when unset), "employment_status",
//     "job_title", "department", "division", "location" (names, nil when
//     unset), "reports_to_employee_id", "work_phone", "linked_in_url";
//   - "custom_fields": the company's custom fields, a map keyed by each
//     field's name, the value typed by the field's type (text, time.Time
//     for dates, []any for multiple choice, nil when empty);
//   - detail fields, one GET /employees/{id} per employee and read only
//     when the pair reads one of them (FieldReader): "employee_number",
//     "birth_date", "personal_email", "mobile_phone", "address", "city",
//     "postal_code", "country", "ssn", "hr_languages" (language names)
//     and the other keys of TalentHR's update call. A key TalentHR's reply
//     leaves out (ssn, which it does not return) is absent, never nil.
//     An employee whose detail read still fails after the client's
//     retries is yielded from its directory row with an error wrapping
//     syncengine.ErrIncomplete, and the listing goes on: the engine holds
//     that employee for the run (no write, no second hire, no
//     deactivation) and reads it again next time. A refused key (401,
//     403), or 8 detail reads failing in a row, ends the listing.
//
// Active is false once the termination date has come (the directory's
// termination_date, not after today). Refs["manager"] is the
// reports_to_employee_id. TalentHR has no interface-language field (only
// hr_languages, the languages spoken), so there is no "language".
//
// Courses and enrollments (syncengine.Courses, syncengine.Enrollments)
// are served from ConnectorOptions.Training, never from TalentHR, which
// has no training endpoint: a course has "name" and "code"; an enrollment
// (id EnrollmentID, refs "user" and "course") has the EnrollmentFields.
// They cost no TalentHR call: one call to the store per listing.
//
// Without ReadFields the records carry the directory fields and
// custom_fields; after it, just the fields asked for (plus id, names and
// email), and a field TalentHR does not have fails List, Get and Find
// with an error matching syncengine.ErrUnknownField that names it.
//
// Calls, for N employees and P = N/100+1 directory pages (rounded down
// before adding one): a full List costs P; one more the first time
// (GET /directory/filters, to ask for every employment state) and two
// more when custom fields are read (a directory row and GET
// /employees/{id}/custom-fields, for the definitions), all three kept in
// the engine's Cache (CacheUser) for its CacheFor, so a warm List costs
// exactly P (a custom field added in TalentHR since is read once the
// Cache expires, or at once when the pair names it). Reading detail
// fields adds N, and hr_languages one language list (kept for the
// connector's life). Get costs 1, plus 1 (GET
// /employees/{id}/job) when employment_status is read and the employee
// reply lacks it, plus 1 (GET /employees/{id}/custom-fields) when custom
// fields are read, the reply lists none and the Cache does not say the
// company has none. Find by email costs P (plus one per match for
// detail fields), and so does FindMany whatever the number of emails:
// the engine looks up the hires whose outcome was unknown with one
// FindMany after they were all sent, not one Find each. Changes costs P.
// A hire costs 1, plus 1 when the record has fields the hire call does
// not take (a PUT right after), plus one list per lookup kind named the
// first time (kept for the connector's life; a name it lacks is looked up
// again once before it is refused), plus the language list for
// hr_languages. An update or a manager change
// costs 1. Creates and updates are checked whole before anything is sent.
type Connector struct {
	client *Client
	opts   ConnectorOptions
	lk     *Lookups

	mu    sync.Mutex
	plan  readPlan // what records carry; see ReadFields
	cache syncengine.Cache
	// listCursor is the Changes cursor of the last complete List.
	listCursor string

	nmu   sync.Mutex
	names map[LookupKind]map[string]string // idNames

	train *training // ConnectorOptions.Training; nil without
}

var (
	_ syncengine.Connector    = (*Connector)(nil)
	_ syncengine.ChangeLister = (*Connector)(nil)
	_ syncengine.ListCursorer = (*Connector)(nil)
	_ syncengine.Finder       = (*Connector)(nil)
	_ syncengine.ManyFinder   = (*Connector)(nil)
	_ syncengine.RefWriter    = (*Connector)(nil)
	_ syncengine.Describer    = (*Connector)(nil)
	_ syncengine.Scoper       = (*Connector)(nil)
	_ syncengine.FieldReader  = (*Connector)(nil)
	_ syncengine.CacheUser    = (*Connector)(nil)
	_ syncengine.Schemer      = (*Connector)(nil)
)

// NewConnector returns a Connector on c.
func NewConnector(c *Client, opts ConnectorOptions) *Connector {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DetailReads <= 0 {
		opts.DetailReads = 4
	}
	k := &Connector{client: c, opts: opts, lk: c.NewLookups(), plan: defaultPlan()}
	if opts.Training != nil {
		k.train = newTraining(opts.Training)
	}
	return k
}

// Name returns "talenthr".
func (k *Connector) Name() string { return "talenthr" }

// Capabilities says what k serves: users can be listed, read, listed by change, found by
// email, hired (with their manager), updated and given a manager. They
// cannot be deactivated or reactivated: TalentHR has no such call. With
// ConnectorOptions.Training, courses and enrollments can be listed, read,
// created and updated in that store.
func (k *Connector) Capabilities(c syncengine.Collection) syncengine.Capability {
	if isTraining(c) && k.train != nil {
		caps := syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate
		if c == syncengine.Enrollments {
			// An enrollment's "user" and "course" are planned as
			// references, which the engine passes to Create; WriteRefs
			// only confirms them.
			caps |= syncengine.CanWriteRefs
		}
		return caps
	}
	if c != syncengine.Users {
		return 0
	}
	return syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate |
		syncengine.CanListChanges | syncengine.CanFind | syncengine.CanFindMany | syncengine.CanWriteRefs | syncengine.CanCreateRefs
}

// UseCache implements syncengine.CacheUser: the employment-state ids and
// the custom-field definitions are kept there between runs.
func (k *Connector) UseCache(c syncengine.Cache) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.cache = c
}

// Describe implements syncengine.Describer: the first and last name, or
// the email when both are empty; a course's name; an enrollment's
// employee and course ("Ana Lima in Security Awareness", as far as the
// connector has read them).
func (k *Connector) Describe(c syncengine.Collection, r syncengine.Record) syncengine.Label {
	if isTraining(c) && k.train != nil {
		return syncengine.Label{Name: k.train.label(c, r)}
	}
	text := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	name := strings.TrimSpace(text("first_name") + " " + text("last_name"))
	if name == "" {
		name = text("email")
	}
	return syncengine.Label{Name: name}
}

// InScope implements syncengine.Scoper with ConnectorOptions.Scope, for
// users; courses and enrollments are all in scope.
func (k *Connector) InScope(c syncengine.Collection, r syncengine.Record) bool {
	return c != syncengine.Users || k.opts.Scope == nil || k.opts.Scope(r)
}

// SetActive is unsupported: TalentHR publishes no termination (or
// rehire) call. Terminate in TalentHR's web app; the connector reads the
// termination back as Active false.
func (k *Connector) SetActive(_ context.Context, c syncengine.Collection, _ string, active bool) error {
	op := "deactivate"
	if active {
		op = "reactivate"
	}
	if isTraining(c) && k.train != nil {
		return fmt.Errorf("talenthr: %s %s: the Training store keeps training records without an active flag: %w", op, c, syncengine.ErrUnsupported)
	}
	if c != syncengine.Users {
		return unsupported(c, op)
	}
	return fmt.Errorf("talenthr: %s %s: TalentHR publishes no termination or rehire call; terminate in TalentHR's web app: %w",
		op, c, syncengine.ErrUnsupported)
}

// today is the connector's date in UTC.
func (k *Connector) today() Date { return DateOf(k.opts.Now().UTC()) }

func (k *Connector) warn(msg string, args ...any) {
	if k.opts.Logger != nil {
		k.opts.Logger.Warn(msg, args...)
	}
}

func unsupported(c syncengine.Collection, op string) error {
	if isTraining(c) {
		return noTraining(c, op)
	}
	return fmt.Errorf("talenthr: %s %s: %w (the connector serves users, and with ConnectorOptions.Training courses and enrollments)",
		op, c, syncengine.ErrUnsupported)
}

// employeeID checks an id's form for the engine: an id that cannot be a
// TalentHR employee id is one no employee has.
func employeeID(ctx context.Context, op, id string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("talenthr: %s: %w", op, err)
	}
	if err := checkID(id); err != nil {
		return fmt.Errorf("talenthr: %s: %w: %v", op, syncengine.ErrNotFound, err)
	}
	return nil
}

package talentlms

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// ConnectorOptions configures a Connector.
type ConnectorOptions struct {
	// Branch limits the connector to one branch, given by name (exact; a
	// unique case-insensitive match is accepted) or by id: List yields only
	// its users and their enrollments, InScope says the same of any user
	// read, and new users join it (usersignup's branch_id: no extra call).
	// A user of another branch whose signup is refused as a duplicate
	// joins it too (addusertobranch), so the engine, which then adopts
	// them by email, finds them in the branch from then on.
	// Empty: the whole portal.
	Branch string
	// Teams serves the portal's branches as syncengine.Teams and puts each
	// user's branches in Refs["teams"], written with addusertobranch and
	// removeuserfrombranch. It costs GET branches plus one GET
	// branches/id:{id} per branch on every users listing, which a pair that
	// does not sync teams should not pay, so it is off by default.
	Teams bool
	// SendEmail lets TalentLMS email the users the connector creates. v1
	// has no per-call switch for the signup email; restrict_email is the
	// user setting that stops TalentLMS emailing someone (usersignup's
	// restrict_email, https://github.com/Trifoia/talentlms-sdk
	// src/classes/resources/user.js). With SendEmail false (the default)
	// new users are created with restrict_email on, unless the record sets
	// restrict_email itself: TalentLMS sends them nothing, then or later,
	// until an administrator or a map turns it off.
	SendEmail bool
	// Now is the clock (nil: time.Now); it paces the reading of GET
	// ratelimit and the freshness of the custom field definitions.
	Now func() time.Time
	// Logger receives warnings (custom fields not carried) and debug
	// records (the hourly quota at the start of a listing). Nil: none.
	Logger *slog.Logger
}

// Connector adapts a Client to syncengine, for TalentLMS as a sink (HR to
// LMS) and as a source (LMS to HR, with training progress).
//
// Users (syncengine.Users): Record.ID is the TalentLMS user id; Active is
// status "active". Fields, by TalentLMS's own names (UserFields): "id"
// (the id again, for maps), "login", "first_name", "last_name", "email",
// "user_type", "timezone", "language", "status" ("active" or "inactive"),
// "bio", "restrict_email" (bool), "created_on", "last_updated" and
// "deactivation_date" (time.Time in UTC; nil when unset; the text as sent
// when the portal's date format cannot read it), and "custom_fields": the
// portal's custom user fields keyed by the NAME the portal gives them
// ("hireDate"), not by custom_field_N, which differs from portal to portal.
// Custom values are strings (text, dropdown), bools (checkbox) or
// time.Time at midnight UTC (date; the text as sent when it does not read
// as a date); nil when the portal has the field but the user has no value
// (a blank " " included). A field the portal does not define
// is absent, so maps name fields stably and a name the portal lacks reads
// as missing, never as emptied.
//
// "language" goes to usersignup as given: TalentLMS takes a language code
// there ("Optional, assign a specific language by providing the code",
// https://github.com/clintmasden/talentlms.client CreateUserCommand.cs)
// while users read back with the language's name ("English"), so a map
// that copies it should write the code.
//
// A nil value clears a field where TalentLMS allows it (bio, restrict_email,
// deactivation_date, a custom field; "custom_fields": nil clears every
// custom field); names, email, login, timezone and user type cannot be
// emptied, and id, status, created_on, last_updated (and, after signup,
// language, which edituser does not take) cannot be written: such a change
// is refused before any call with an error matching syncengine.ErrInvalid.
//
// Create signs the user up (usersignup, with a generated password that
// meets the portal's policy and the portal's mandatory custom fields);
// Update sends only the changed fields (edituser), custom fields resolved
// from their name to custom_field_N and written in the portal's forms
// (dates in its date format, dropdown values exactly, checkboxes on/off);
// SetActive is usersetstatus; Find looks up "email" (case-insensitive) or
// "login". A custom field the portal does not have under that name and
// type is not written (the TalentHR ⇔ TalentLMS job carries a custom
// field only where both sides have it: see Schema).
//
// Courses (syncengine.Courses): Fields "name" and "code"; Active is
// status "active". Read-only.
//
// Enrollments (syncengine.Enrollments): one record per user × course, id
// "userID:courseID" (EnrollmentID), refs "user" and "course"; see
// EnrollmentFields. Create is addusertocourse; SetActive(false) is
// removeuserfromcourse. Listing costs GET courses plus one GET
// courses/id:{id} per course, whose users list carries every learner's
// progress; right after a listing of courses (a sync lists courses,
// then enrollments) it reuses that listing's ids instead of GET courses.
//
// Teams (syncengine.Teams), with ConnectorOptions.Teams: the branches,
// Fields "name" and "description", read-only; users carry Refs["teams"].
type Connector struct {
	c    *Client
	opts ConnectorOptions
	now  func() time.Time

	mu       sync.Mutex
	read     map[syncengine.Collection]*readSet // ReadFields; absent: every field
	readErr  map[syncengine.Collection]error    // the unknown fields ReadFields was given
	defs     *CustomFields                      // the portal's custom fields, as last read
	defsAt   time.Time
	rateAt   time.Time         // when GET ratelimit was last read
	branchID string            // ConnectorOptions.Branch resolved to an id
	inBranch map[string]bool   // user id → member of the branch, from the last reads
	names    map[string]string // "users/7", "courses/101" → display name, for Describe
	warned   map[string]bool   // warnings given once
	// courseIDs are the course ids of the last whole courses listing, at
	// coursesAt: a listing of enrollments right after it (the same run)
	// reuses them instead of a second GET courses.
	courseIDs []string
	coursesAt time.Time
}

// NewConnector returns a Connector on c.
func NewConnector(c *Client, opts ConnectorOptions) *Connector {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Connector{c: c, opts: opts, now: now,
		read: map[syncengine.Collection]*readSet{}, readErr: map[syncengine.Collection]error{},
		inBranch: map[string]bool{}, names: map[string]string{}, warned: map[string]bool{}}
}

var (
	_ syncengine.Connector   = (*Connector)(nil)
	_ syncengine.Finder      = (*Connector)(nil)
	_ syncengine.RefWriter   = (*Connector)(nil)
	_ syncengine.Describer   = (*Connector)(nil)
	_ syncengine.Scoper      = (*Connector)(nil)
	_ syncengine.FieldReader = (*Connector)(nil)
	_ syncengine.Schemer     = (*Connector)(nil)
)

// Name returns "talentlms".
func (k *Connector) Name() string { return "talentlms" }

// Capabilities reports what the connector does with each collection.
func (k *Connector) Capabilities(c syncengine.Collection) syncengine.Capability {
	const read = syncengine.CanList | syncengine.CanGet
	switch c {
	case syncengine.Users:
		caps := read | syncengine.CanCreate | syncengine.CanUpdate | syncengine.CanSetActive | syncengine.CanFind
		if k.opts.Teams {
			caps |= syncengine.CanWriteRefs
		}
		return caps
	case syncengine.Courses:
		return read
	case syncengine.Enrollments:
		// CanWriteRefs: an enrollment's "user" and "course" are planned as
		// references, which the engine passes to Create (they are what the
		// enrollment is); WriteRefs only confirms them.
		return read | syncengine.CanCreate | syncengine.CanSetActive | syncengine.CanWriteRefs
	case syncengine.Teams:
		if k.opts.Teams {
			return read
		}
	}
	return 0
}

func unsupported(op string, c syncengine.Collection) error {
	return fmt.Errorf("talentlms: %s %s: %w", op, c, syncengine.ErrUnsupported)
}

// errStop ends a listing because the consumer stopped.
var errStop = errors.New("stop")

// List yields the scoped records of c.
func (k *Connector) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		var err error
		if k.Capabilities(c) == 0 {
			err = unsupported("list", c)
		} else if err = k.checkRead(c); err == nil {
			k.readRateLimit(ctx)
			switch c {
			case syncengine.Users:
				err = k.listUsers(ctx, yield)
			case syncengine.Courses:
				err = k.listCourses(ctx, yield)
			case syncengine.Enrollments:
				err = k.listEnrollments(ctx, yield)
			case syncengine.Teams:
				err = k.listTeams(ctx, yield)
			}
		}
		if err != nil && !errors.Is(err, errStop) {
			yield(syncengine.Record{}, err)
		}
	}
}

// Get reads one record; an absent one answers an error matching
// syncengine.ErrNotFound. An enrollment of a user and a course that both
// exist but are not enrolled reads as a record with Active false.
func (k *Connector) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	if k.Capabilities(c) == 0 {
		return syncengine.Record{}, unsupported("get", c)
	}
	if err := k.checkRead(c); err != nil {
		return syncengine.Record{}, err
	}
	if err := ctx.Err(); err != nil {
		return syncengine.Record{}, fmt.Errorf("talentlms: get %s %q: %w", c, clip(id, 40), err)
	}
	switch c {
	case syncengine.Users:
		return k.getUser(ctx, id)
	case syncengine.Courses:
		return k.getCourse(ctx, id)
	case syncengine.Enrollments:
		return k.getEnrollment(ctx, id)
	}
	return k.getTeam(ctx, id)
}

// Create creates rec and returns its new id.
func (k *Connector) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	switch c {
	case syncengine.Users:
		return k.createUser(ctx, rec)
	case syncengine.Enrollments:
		return k.createEnrollment(ctx, rec)
	}
	return "", unsupported("create", c)
}

// Update writes the changed fields of user id (edituser); fields not in
// changed are left as they are, and a change that leaves nothing to send
// (custom fields the portal does not have) makes no call.
func (k *Connector) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	if c != syncengine.Users {
		return unsupported("update", c)
	}
	return k.updateUser(ctx, id, changed)
}

// SetActive activates or deactivates a user (usersetstatus), or enrols a
// user in a course again or takes them out of it.
func (k *Connector) SetActive(ctx context.Context, c syncengine.Collection, id string, active bool) error {
	switch c {
	case syncengine.Users:
		return k.setUserActive(ctx, id, active)
	case syncengine.Enrollments:
		return k.setEnrollmentActive(ctx, id, active)
	}
	return unsupported("set-active", c)
}

// Find looks users up by "email" (case-insensitive) or "login" (GET
// users/email:… or users/username:…, one call). No match is an empty
// result, not an error.
func (k *Connector) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	if c != syncengine.Users || (field != "email" && field != "login") {
		return nil, fmt.Errorf("talentlms: find %s by %q: %w", c, field, syncengine.ErrUnsupported)
	}
	return k.findUser(ctx, field, value)
}

// WriteRefs writes a user's "teams" (branch memberships), with
// ConnectorOptions.Teams. For an enrollment it writes nothing: its "user"
// and "course" are the enrollment itself, so refs equal to them are
// accepted and any others refused (enrol the user anew instead).
func (k *Connector) WriteRefs(ctx context.Context, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	if c == syncengine.Enrollments {
		userID, courseID, err := SplitEnrollmentID(id)
		if err != nil {
			return err
		}
		if !sameEnrollmentRefs(refs, enrollmentRefs(userID, courseID)) {
			return fmt.Errorf("talentlms: write refs of enrollment %s: an enrollment cannot move to another user or course: %w",
				clip(id, 60), syncengine.ErrUnsupported)
		}
		return nil
	}
	if c != syncengine.Users || !k.opts.Teams {
		return unsupported("write refs of", c)
	}
	return k.writeUserTeams(ctx, id, refs)
}

// sameEnrollmentRefs reports whether refs names no role other than the
// enrollment's user and course, with their ids.
func sameEnrollmentRefs(refs, own map[string][]syncengine.Ref) bool {
	for role, rs := range refs {
		want, ok := own[role]
		if !ok || len(rs) != 1 || rs[0] != want[0] {
			return false
		}
	}
	return true
}

// Describe names records for reports: a user's first and last name, a
// course's or branch's name, an enrollment's user and course (as far as
// the connector has read them). It makes no call.
func (k *Connector) Describe(c syncengine.Collection, r syncengine.Record) syncengine.Label {
	text := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	switch c {
	case syncengine.Users:
		name := strings.TrimSpace(text("first_name") + " " + text("last_name"))
		if name == "" {
			name = k.nameOf(syncengine.Users, r.ID) // the fields read may not hold the names
		}
		if name == "" {
			name = text("email")
		}
		return syncengine.Label{Name: name}
	case syncengine.Enrollments:
		return syncengine.Label{Name: k.enrollmentLabel(r)}
	}
	return syncengine.Label{Name: text("name")}
}

// InScope implements syncengine.Scoper: with ConnectorOptions.Branch, a
// user (or a user's enrollment) is in scope when the connector's last read
// of them found them in the branch; without, everything is.
func (k *Connector) InScope(c syncengine.Collection, r syncengine.Record) bool {
	if k.opts.Branch == "" {
		return true
	}
	switch c {
	case syncengine.Users:
		return k.memberKnown(r.ID)
	case syncengine.Enrollments:
		if u := r.Refs[syncengine.RoleUser]; len(u) == 1 {
			return k.memberKnown(u[0].ID)
		}
		return false
	}
	return true
}

func (k *Connector) logger() *slog.Logger { return k.opts.Logger }

// warnOnce logs msg at warning level the first time key is seen.
func (k *Connector) warnOnce(key, msg string, args ...any) {
	k.mu.Lock()
	seen := k.warned[key]
	k.warned[key] = true
	k.mu.Unlock()
	if !seen && k.opts.Logger != nil {
		k.opts.Logger.Warn(msg, args...)
	}
}

// rateLimitEvery is how often a listing reads GET ratelimit: once per run
// in practice, as a run lists its collections within seconds.
const rateLimitEvery = time.Minute

// readRateLimit reads the portal's hourly quota (GET ratelimit, which
// does not count against it) before a listing, at most once a minute, so
// the client waits for the reset before the quota runs out even where
// replies carry no X-RateLimit headers. A failure only loses that.
func (k *Connector) readRateLimit(ctx context.Context) {
	k.mu.Lock()
	now := k.now()
	due := k.rateAt.IsZero() || now.Sub(k.rateAt) >= rateLimitEvery
	if due {
		k.rateAt = now
	}
	k.mu.Unlock()
	if !due {
		return
	}
	st, err := k.c.GetRateLimit(ctx)
	if l := k.logger(); l != nil {
		if err != nil {
			l.Debug("talentlms: reading the hourly quota failed", "error", err)
		} else {
			l.Debug("talentlms: hourly quota", "limit", st.Limit, "remaining", st.Remaining, "reset", st.Reset)
		}
	}
}

// remember keeps a display name for Describe.
func (k *Connector) remember(c syncengine.Collection, id, name string) {
	if name == "" {
		return
	}
	k.mu.Lock()
	k.names[string(c)+"/"+id] = name
	k.mu.Unlock()
}

func (k *Connector) nameOf(c syncengine.Collection, id string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.names[string(c)+"/"+id]
}

// notFoundID is the error for an id that cannot be a TalentLMS id: no
// record has it.
func notFoundID(kind, id string) error {
	return fmt.Errorf("talentlms: %s id %q is not a TalentLMS id (digits): %w", kind, clip(id, 40), ErrNotFound)
}

// invalidf is an error for bad input the connector refuses before sending.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("talentlms: "+format+": %w", append(args, syncengine.ErrInvalid)...)
}

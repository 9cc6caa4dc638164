package litmos

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// ConnectorOptions configures a Connector.
type ConnectorOptions struct {
	// UserScope limits the users List yields (nil: every user, active or not).
	UserScope func(User) bool
	// TeamIDs, when set, are the teams that flow out: List(Teams) yields
	// just these, a user's "teams" ref names just these, and reading
	// memberships costs one roster per chosen team instead of one per team
	// (nil: every team). Meant for a source (a picker's choice, see
	// SearchTeams): on a target, teams left out are invisible to matching.
	TeamIDs []string
	// ExcludeTeams, when set, is asked at the start of every listing of
	// teams, and of users with Memberships, for teams that do not flow out
	// this time, as if TeamIDs left them out (a platform whose admin paused
	// a team's group); Get, Find and InScope use the answer of the latest
	// listing. An error ends the listing.
	ExcludeTeams func(ctx context.Context) ([]string, error)
	// Memberships makes user records carry the "teams" ref (the teams the
	// user is in). Litmos has no bulk membership call, so List then costs
	// one call per team, or one per active user when there are fewer of
	// those, on top of the user pages; Get one more call. Off by default:
	// a pair that does not carry memberships pays nothing for them.
	Memberships bool
	// SendEmail lets Litmos email people: a welcome on create, a notice
	// on team add and course assignment. Default: no email is ever sent.
	SendEmail bool
	// SkipFirstLogin spares created users the forced password set (SSO tenants).
	SkipFirstLogin bool
	// Now is the clock Changes reads (nil: time.Now).
	Now func() time.Time
}

// Connector adapts a Client to syncengine.
//
// Users (syncengine.Users): Fields are keyed by the Litmos field names in
// UserFields, plus "Id" when ReadFields names it (a source map reading the
// Litmos id); Active is the Litmos flag; ref "manager" (ManagerId) and,
// with ConnectorOptions.Memberships, "teams": the teams an active user is
// in, sorted by id, an empty list for none. Inactive users carry no
// "teams" ref, as Litmos lists active members only
// (https://support.litmos.com/hc/en-us/articles/227734727). Create creates
// the user without emailing; Update applies the changed fields by
// read-modify-write; SetActive deactivates or reactivates; Find looks up
// "UserName" (exact, case-insensitive) or "Email" (exact,
// case-insensitive, among Litmos's fuzzy search results); WriteRefs writes
// the "manager" ref; Changes lists users created or updated since a cursor
// (GET /org/users/details; membership changes alone are not among them).
//
// Teams (syncengine.Teams): Fields "Name", "Description" (Get only: lists
// carry none), "TeamCodeForBulkImport", and "Id" when ReadFields names it;
// ref "parent" (the parent team, left out when TeamIDs leaves the parent
// out) and, from Get, "members" (active members). Create makes a team,
// under Refs["parent"] when given; Find looks up "Name" (exact,
// case-insensitive); WriteRefs sets "members" to exactly the given users.
// Teams cannot be updated or deactivated through the API. SearchTeams
// serves team pickers.
//
// Courses (syncengine.Courses): read-only; Fields are CourseFields, by the
// Litmos names ("Id", "Code", "Name", "Active", …); Active is the Litmos
// flag. List costs one call per 1000 courses, Get one call.
//
// Enrollments (syncengine.Enrollments): one record per user × assigned
// course, id "userID:courseID", refs "user" and "course", Fields
// EnrollmentFields ("Code" and "Name" of the course, "Complete",
// "PercentageComplete", and the dates "CompliantTill", "DueDate",
// "AccessTillDate" when set), read from the course roster (GET
// /courses/{id}/users). Create assigns the course, without email unless
// SendEmail, and adopts an assignment that exists; SetActive(false)
// unassigns it, SetActive(true) assigns it again. Get of a user and a
// course that exist but are not paired answers the record inactive.
// Listing costs the course pages plus one roster call per course (per
// 1000 learners).
type Connector struct {
	c    *Client
	opts ConnectorOptions
	// teamIn is TeamIDs as a set; nil: every team.
	teamIn map[string]bool
	// excluded holds the latest ExcludeTeams answer, as a set.
	excluded atomic.Pointer[map[string]bool]

	mu        sync.Mutex
	read      map[string]bool     // user fields records carry (ReadFields); nil: all of UserFields
	teamID    bool                // team records carry "Id" (ReadFields named it)
	users     map[string]Snapshot // each user as last read (a listing, a Get, a Find), by id: Write's bases
	touched   map[string]uint64   // users read or written alone, by id: the gen it happened at
	gen       uint64              // counts keepBase calls and names taken, so a listing keeps what came after it began
	manyTeams bool                // SearchTeams found more than TeamPickerMax teams
	// teamsRead holds the ids of every team the last whole List(Teams) read,
	// for the memberships of the users' listing that follows in the same
	// plan (the engine lists teams first): used once, it saves that listing
	// a second read of the teams.
	teamsRead []string
	// taken holds every user's id by username (usernameKey), from the
	// latest complete listing of all users, which began at takenAt (nil:
	// none yet); it is replaced whole, never changed. named holds the
	// usernames created or renamed to alone, or sent in an import, by the
	// gen it happened at, until a listing that began after it. Together:
	// the usernames a bulk import must not carry (CreateBulk).
	taken   map[string]string
	takenAt time.Time
	named   map[string]uint64
	now     func() time.Time // CreateBulk's clock; nil: time.Now
}

// NewConnector returns a Connector on c.
func NewConnector(c *Client, opts ConnectorOptions) *Connector {
	k := &Connector{c: c, opts: opts}
	if opts.TeamIDs != nil {
		// Each chosen team once, in the order given: one roster call each.
		k.opts.TeamIDs = make([]string, 0, len(opts.TeamIDs))
		k.teamIn = make(map[string]bool, len(opts.TeamIDs))
		for _, id := range opts.TeamIDs {
			if id = strings.TrimSpace(id); id != "" && !k.teamIn[id] {
				k.teamIn[id] = true
				k.opts.TeamIDs = append(k.opts.TeamIDs, id)
			}
		}
	}
	return k
}

var (
	_ syncengine.Connector    = (*Connector)(nil)
	_ syncengine.Finder       = (*Connector)(nil)
	_ syncengine.RefWriter    = (*Connector)(nil)
	_ syncengine.ChangeLister = (*Connector)(nil)
	_ syncengine.Describer    = (*Connector)(nil)
	_ syncengine.RecordWriter = (*Connector)(nil)
	_ syncengine.BulkCreator  = (*Connector)(nil)
	_ syncengine.FieldReader  = (*Connector)(nil)
	_ syncengine.Scoper       = (*Connector)(nil)
)

// Describe implements syncengine.Describer: a user's first and last name,
// a team's or a course's name, an enrollment's course name.
func (k *Connector) Describe(c syncengine.Collection, r syncengine.Record) syncengine.Label {
	text := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	if c == syncengine.Users {
		return syncengine.Label{Name: strings.TrimSpace(text("FirstName") + " " + text("LastName"))}
	}
	return syncengine.Label{Name: text("Name")}
}

// Name returns "litmos".
func (k *Connector) Name() string { return "litmos" }

// Capabilities reports what the connector does with each collection.
func (k *Connector) Capabilities(c syncengine.Collection) syncengine.Capability {
	switch c {
	case syncengine.Users:
		return syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate |
			syncengine.CanSetActive | syncengine.CanFind | syncengine.CanWriteRefs | syncengine.CanListChanges |
			syncengine.CanWriteRecord | syncengine.CanCreateRefs | syncengine.CanCreateBulk
	case syncengine.Teams:
		return syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanFind | syncengine.CanWriteRefs
	case syncengine.Courses:
		return syncengine.CanList | syncengine.CanGet
	case syncengine.Enrollments:
		return syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanSetActive
	}
	return 0
}

func unsupported(op string, c syncengine.Collection) error {
	return fmt.Errorf("litmos: %s %s: %w", op, c, syncengine.ErrUnsupported)
}

// List yields the scoped records of c.
func (k *Connector) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		var err error
		switch c {
		case syncengine.Users:
			err = k.listUsers(ctx, yield)
		case syncengine.Teams:
			err = k.listTeams(ctx, yield)
		case syncengine.Courses:
			err = k.listCourses(ctx, yield)
		case syncengine.Enrollments:
			err = k.listEnrollments(ctx, yield)
		default:
			err = unsupported("list", c)
		}
		if err != nil && !errors.Is(err, errStop) {
			yield(syncengine.Record{}, err)
		}
	}
}

// errStop ends a listing because the consumer stopped.
var errStop = errors.New("stop")

// Get reads one record; absent records answer an error wrapping syncengine.ErrNotFound.
func (k *Connector) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	var (
		rec syncengine.Record
		err error
	)
	switch c {
	case syncengine.Users:
		rec, err = k.getUser(ctx, id)
	case syncengine.Teams:
		rec, err = k.getTeam(ctx, id)
	case syncengine.Courses:
		rec, err = k.getCourse(ctx, id)
	case syncengine.Enrollments:
		rec, err = k.getEnrollment(ctx, id)
	default:
		return rec, unsupported("get", c)
	}
	return rec, err
}

// Create creates rec and returns its new id.
func (k *Connector) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	var (
		id  string
		err error
	)
	switch c {
	case syncengine.Users:
		id, err = k.createUser(ctx, rec)
	case syncengine.Teams:
		id, err = k.createTeam(ctx, rec)
	case syncengine.Enrollments:
		id, err = k.createEnrollment(ctx, rec)
	default:
		return "", unsupported("create", c)
	}
	return id, err
}

// Update writes the changed user fields (read-modify-write of the whole user).
func (k *Connector) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	if c != syncengine.Users {
		return unsupported("update", c)
	}
	defer k.keepBase(id, Snapshot{}) // written: the next write reads it
	if name, renamed := changed["UserName"]; renamed {
		defer k.nameTaken(name)
	}
	_, err := k.c.UpdateUser(ctx, id, func(u *User) error {
		if err := setUserFields(u, changed); err != nil {
			return err
		}
		if _, set := changed["IsCustomUsername"]; !set {
			if _, renamed := changed["UserName"]; renamed {
				u.IsCustomUsername = !strings.Contains(u.UserName, "@")
			}
		}
		return nil
	})
	return err
}

// changeOverlap widens each Changes window on both sides, as Litmos does not
// say in which zone it reads since and to (neither
// https://api.sap.com/api/LitmosAPIdetails/overview nor the support pages do).
const changeOverlap = 14 * time.Hour

// Changes lists the users created or updated since cursor (an RFC 3339
// time this method returned before). Each window is widened by 14 hours
// both ways, so a user may be listed again in a later window.
func (k *Connector) Changes(ctx context.Context, c syncengine.Collection, cursor string) ([]string, string, error) {
	if c != syncengine.Users {
		return nil, "", unsupported("list changes", c)
	}
	now := time.Now
	if k.opts.Now != nil {
		now = k.opts.Now
	}
	t := now().UTC()
	next := t.Format(time.RFC3339)
	if cursor == "" {
		return nil, next, nil
	}
	since, err := time.Parse(time.RFC3339, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("litmos: list changes: cursor %q is not one this connector made", cursor)
	}
	var ids []string
	for u, err := range k.c.ListUsersChanged(ctx, since.Add(-changeOverlap), t.Add(changeOverlap), ListParams{}) {
		if err != nil {
			return nil, "", err
		}
		if !slices.Contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	return ids, next, nil
}

// SetActive deactivates or reactivates a user, or unassigns or reassigns a course.
func (k *Connector) SetActive(ctx context.Context, c syncengine.Collection, id string, active bool) error {
	switch c {
	case syncengine.Users:
		defer k.keepBase(id, Snapshot{}) // written: the next write reads it
		return k.c.SetUserActive(ctx, id, active)
	case syncengine.Enrollments:
		return k.setEnrollmentActive(ctx, id, active)
	}
	return unsupported("set-active", c)
}

// Find looks records up by field value; see Connector for the fields.
// No match is an empty result, not an error.
func (k *Connector) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	s := strings.TrimSpace(fmt.Sprint(value))
	if value == nil || s == "" {
		return nil, nil
	}
	switch {
	case c == syncengine.Users && field == "UserName":
		start := k.readGen()
		u, err := k.c.FindUserByUsername(ctx, s)
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		k.keepRead(u.ID, u.Snapshot, start) // the engine may write on this read (an event's match)
		return []syncengine.Record{userRecord(u, k.fieldsRead())}, nil
	case c == syncengine.Users && field == "Email":
		return k.findUsersByEmail(ctx, s)
	case c == syncengine.Teams && field == "Name":
		return k.findTeams(ctx, s)
	}
	return nil, fmt.Errorf("litmos: find %s by %q: %w", c, field, syncengine.ErrUnsupported)
}

// WriteRefs writes a user's "manager" or a team's "members".
func (k *Connector) WriteRefs(ctx context.Context, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	switch c {
	case syncengine.Users:
		return k.writeUserRefs(ctx, id, refs)
	case syncengine.Teams:
		return k.writeTeamRefs(ctx, id, refs)
	}
	return unsupported("write refs", c)
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// recordFields reads the fields of struct v at idx (indexes into its
// typeInfo's fields; nil: all of them), by their Litmos names: strings,
// bools, int64 and float64 as they are, dates as time.Time (absent when
// unset). extra sizes the map for fields the caller adds.
func recordFields(v reflect.Value, idx []int, extra int) map[string]any {
	ti := infoOf(v.Type())
	if idx == nil {
		idx = ti.all
	}
	fields := make(map[string]any, len(idx)+extra)
	for _, i := range idx {
		f := &ti.fields[i]
		fv := v.Field(f.index)
		if fv.Type() == timeType {
			if t := fv.Interface().(Time); !t.IsZero() {
				fields[f.name] = t.Time
			}
			continue
		}
		if fv.Type() == stringType {
			fields[f.name] = fv.String() // boxes "" (a null) without allocating
			continue
		}
		fields[f.name] = fv.Interface()
	}
	return fields
}

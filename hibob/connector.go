package hibob

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// ConnectorOptions configures NewConnector.
type ConnectorOptions struct {
	// Scope, when set, says which employees flow out: List yields only
	// those it accepts, and InScope (which the engine applies to every
	// read, Get and Find included) says the same of any record. Nil:
	// every employee, leavers and future starters included. Teams are
	// always in scope.
	Scope func(syncengine.Record) bool
	// ExtraFields are more field IDs ("home.mobilePhone") to read besides
	// those the engine asks for; each is emitted under its own ID.
	ExtraFields []string
	// TeamField is the user record key whose value is a person's team
	// (the "teams" ref), and so what the teams are; default
	// "work.department.id", the departments. A list field's ".id"
	// ("work.custom.field_1712345678901.id" of a custom list field) makes
	// the items of that field's named list the teams; any other key (a
	// text field such as a sub-department, or a list field by name) makes
	// each value that employees in scope and active hold a team, whose ID
	// and name are the value. See Connector, "Teams".
	TeamField string
	// Now is the clock the active flag compares dates with; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings (fields the service user cannot see,
	// unreadable dates, rows without an ID); nil logs nothing.
	Logger *slog.Logger
}

// Connector is HiBob as a syncengine source (read only) of users (every
// employee, leavers and future starters included) and teams (the
// departments). The engine reads it; nothing is ever written to HiBob.
//
// # Users
//
// Record.ID is the employee's HiBob ID. Record.Fields are keyed by HiBob
// field IDs in dot notation, flat: "root.firstName", "work.department",
// "internal.terminationDate", "work.custom.field_1698036945383" (the keys
// the fields metadata lists, which mapping paths and match keys read as
// they are). A field asked for in the slashed spelling (a map's
// "/work/title") is emitted under that spelling, its ID under
// "/work/title/id". Values:
//
//   - list fields (type list, multi-list, hierarchy-list: work.department,
//     work.title) hold the item's name as Bob shows it, and the key plus
//     ".id" ("work.department.id") holds the list item ID, for maps that
//     want the stable ID (a reference transform to teams, say);
//   - date fields (work.startDate, internal.terminationDate) are
//     time.Time at midnight UTC, or nil;
//   - work.reportsTo is the manager as an object (id, displayName,
//     email...); a sub-path such as "work.reportsTo.email" may be read
//     and is emitted under that key;
//   - other fields are what HiBob sent: strings, float64 numbers, bools,
//     list item IDs for list_id fields (work.siteId) as strings;
//   - nil for an empty field. A field the service user may not see is
//     absent (HiBob leaves it out of the answer), so a permission change
//     never reads as "emptied", and List logs a warning naming it.
//
// Records carry the fields the engine asks for (ReadFields), else
// DefaultFields and every custom field of the metadata, plus ExtraFields
// and those the connector needs: root.id, root.email, root.firstName,
// root.surname, root.displayName, work.department, work.reportsTo,
// work.manager, work.startDate, internal.status, internal.lifecycleStatus
// and internal.terminationDate. Each field asked for is checked against
// HiBob's fields metadata (GET /company/people/fields, kept in the
// engine's cache): a field HiBob does not have fails List and Get with an
// error matching syncengine.ErrUnknownField that names it, since HiBob
// itself would silently leave it out.
//
// Refs: "manager" → the manager's user (work.reportsTo's id, else
// work.manager), "teams" → the employee's department's team (its list
// item ID; an employee of a child department belongs to that department's
// team only), or the team TeamField's value names. A role whose field is
// empty holds an empty list; one whose field the service user cannot see
// is absent.
//
// Active is false for a leaver: internal.terminationDate before today
// (Now, by UTC calendar date; the termination date is the last day of
// work, HiBob ends the employment at the midnight after it), or
// internal.lifecycleStatus "terminated", which HiBob sets at that midnight
// in the site's time zone, so whichever comes first. Otherwise internal.status "Active" is active; a status
// "Inactive" is active only for a hire who has not started yet (lifecycle
// "hired" or a start date after today), so a future starter can be
// created ahead of the first day and a future leaver stays active until
// the date, both with their dates in Fields for the engine's due times;
// any other inactive employee (on leave, say) is inactive. A record whose
// internal.status the service user cannot see fails the read: it would
// otherwise make every leaver look employed.
//
// # Teams
//
// One team per item of the department list, child departments by their
// own names and IDs (flat): Record.ID and Fields "id" are the list item
// ID, Fields "name" its name. A child department also has a "parent" ref
// to its parent's team; a flat sync leaves Rules.Refs off for teams.
// Active is false for an archived department. With a TeamField that is
// another list field's ".id", the items of that field's list, the same
// way. With a TeamField of values (a sub-department text field), one team
// per distinct value the employees in scope and active hold, trimmed:
// Record.ID, "id" and "name" are the value, always active, no parent;
// Get of such a team answers the value itself without a call.
//
// # Calls
//
// A full List of users is one people search (HiBob does not page it), plus
// the fields metadata when neither the connector nor the engine's cache
// holds it. A List of teams reads the department list (one call) each
// time: it is the snapshot. Get of a user is one read of that employee;
// Get of a team reads the department list only when the one in hand (from
// the last List, or the cache) lacks it. Find by root.email is one read
// (a second, in lower case, when the email as given is not found). With a
// TeamField of values, a List of teams is the people search itself: the
// List of users that follows within a minute (as in a sync, teams before
// users) takes its records instead of searching again, so a full run is
// still one search.
//
// # Changes
//
// HiBob has no "changed since" call, so the connector implements no
// ChangeLister: webhooks are the incremental path (Enqueue hands the
// employees they name to the engine's queue), and full runs the safety net.
type Connector struct {
	client *Client
	opts   ConnectorOptions

	mu      sync.Mutex
	asked   []string  // ReadFields(Users); nil: the default set
	plan    *readPlan // the checked read; nil until the first read after ReadFields
	meta    []FieldMeta
	teams   *NamedList // the team list (the departments) last read
	teamsOf string     // the named list teams is
	held    *heldUsers // the users a List of value teams read, for the next List of users
	cache   syncengine.Cache
}

var (
	_ syncengine.Connector   = (*Connector)(nil)
	_ syncengine.Finder      = (*Connector)(nil)
	_ syncengine.Scoper      = (*Connector)(nil)
	_ syncengine.Describer   = (*Connector)(nil)
	_ syncengine.FieldReader = (*Connector)(nil)
	_ syncengine.CacheUser   = (*Connector)(nil)
)

// ConnectorName is the connector's Name, the side Enqueue looks for.
const ConnectorName = "hibob"

// NewConnector returns a Connector reading through c.
func NewConnector(c *Client, opts ConnectorOptions) *Connector {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Connector{client: c, opts: opts}
}

// Name returns "hibob".
func (k *Connector) Name() string { return ConnectorName }

// Capabilities says what k serves: users can be listed, read by ID and found by email; teams
// listed and read. Nothing can be written.
func (k *Connector) Capabilities(c syncengine.Collection) syncengine.Capability {
	switch c {
	case syncengine.Users:
		return syncengine.CanList | syncengine.CanGet | syncengine.CanFind
	case syncengine.Teams:
		return syncengine.CanList | syncengine.CanGet
	}
	return 0
}

// ReadFields implements syncengine.FieldReader. For users, records carry
// exactly fields (plus ExtraFields and those the connector needs), by the
// spelling given; they are checked against HiBob's metadata by the next
// List or Get. Teams have only "id" and "name": any other is an error
// matching syncengine.ErrUnknownField.
func (k *Connector) ReadFields(c syncengine.Collection, fields []string) error {
	switch c {
	case syncengine.Users:
		k.mu.Lock()
		defer k.mu.Unlock()
		k.asked = append([]string{}, fields...)
		k.plan = nil
		return nil
	case syncengine.Teams:
		return checkTeamFields(fields)
	}
	return unsupported(c, "read fields of")
}

// UseCache implements syncengine.CacheUser: the fields metadata and the
// department list are kept there between runs. Without a cache they are
// kept in memory for the connector's life.
func (k *Connector) UseCache(c syncengine.Cache) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.cache = c
}

// Describe implements syncengine.Describer: an employee's display name
// (else first name and surname), a team's name.
func (k *Connector) Describe(c syncengine.Collection, r syncengine.Record) syncengine.Label {
	str := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	if c == syncengine.Teams {
		return syncengine.Label{Name: str(teamName)}
	}
	if name := str(FieldDisplayName); name != "" {
		return syncengine.Label{Name: name}
	}
	return syncengine.Label{Name: strings.TrimSpace(str(FieldFirstName) + " " + str(FieldSurname))}
}

// InScope implements syncengine.Scoper: ConnectorOptions.Scope for users
// (everyone without one); every team.
func (k *Connector) InScope(c syncengine.Collection, r syncengine.Record) bool {
	if c != syncengine.Users || k.opts.Scope == nil {
		return true
	}
	return k.opts.Scope(r)
}

// List yields the in-scope employees of one search, or every department.
func (k *Connector) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		var recs []syncengine.Record
		var err error
		switch c {
		case syncengine.Users:
			recs, err = k.listUsers(ctx)
		case syncengine.Teams:
			recs, err = k.listTeams(ctx)
		default:
			err = unsupported(c, "list")
		}
		if err != nil {
			yield(syncengine.Record{}, err)
			return
		}
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Get reads one employee (in scope or not) or one department. An unknown
// ID wraps syncengine.ErrNotFound.
func (k *Connector) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	switch c {
	case syncengine.Users:
		return k.getUser(ctx, id)
	case syncengine.Teams:
		return k.getTeam(ctx, id)
	}
	return syncengine.Record{}, unsupported(c, "get")
}

// Find implements syncengine.Finder for users by "root.email" (compared
// without regard to case or surrounding spaces) or "root.id", in one read
// of that employee. Leavers are found too.
func (k *Connector) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	if c != syncengine.Users {
		return nil, unsupported(c, "find")
	}
	return k.findUsers(ctx, field, value)
}

// Create is unsupported: the connector is a read-only source.
func (k *Connector) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	return "", unsupported(c, "create")
}

// Update is unsupported: the connector is a read-only source.
func (k *Connector) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	return unsupported(c, "update")
}

// SetActive is unsupported: employment is ended or resumed in Bob itself.
func (k *Connector) SetActive(ctx context.Context, c syncengine.Collection, id string, active bool) error {
	return unsupported(c, "set active")
}

func unsupported(c syncengine.Collection, op string) error {
	return fmt.Errorf("%w: hibob cannot %s %s", syncengine.ErrUnsupported, op, c)
}

func (k *Connector) warn(msg string, args ...any) {
	if k.opts.Logger != nil {
		k.opts.Logger.Warn(msg, args...)
	}
}

// today is Now's UTC calendar date, at midnight UTC like parsed dates.
func (k *Connector) today() time.Time {
	y, m, d := k.opts.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

package learnamp

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strings"
	"sync"

	"github.com/rostersync/rostersync/syncengine"
)

// ConnectorOptions configures a Connector.
type ConnectorOptions struct {
	// SendEmail lets Learn Amp email new users their invitation as they
	// are created (the "invite now" policy). Default: creates send
	// skipInvitation and nobody is emailed; invite from Learn Amp's People
	// page (the API has no call to invite later).
	SendEmail bool
	// SecondaryTeams makes the "teams" reference every team of a user, the
	// primary team first, and a write of it set the secondary teams
	// exactly (add and remove member calls). Default: "teams" is the
	// primary team alone, and secondary teams an admin gave in Learn Amp
	// are neither shown nor touched.
	SecondaryTeams bool
	// Scope limits the records that flow out of Learn Amp when it is the
	// source (nil: all). Leave it nil when Learn Amp is the target: a
	// record the scope hides cannot be matched, so the engine would try to
	// create it again.
	Scope func(c syncengine.Collection, r syncengine.Record) bool
	// Logger receives debug records about writes the connector leaves out
	// (team changes of deactivated users); nil logs nothing.
	Logger *slog.Logger
}

// Connector adapts a Client to syncengine: Learn Amp users and teams, as a
// target of an HR sync (and as a source).
//
// Users (syncengine.Users): Record.ID is the Learn Amp user id; Fields are
// keyed by Learn Amp's own names (UserFields); Active is false only for a
// deactivated user. Refs: "manager" (the effective manager: the override
// manager, else the primary team's) and "teams" (the primary team; see
// ConnectorOptions.SecondaryTeams). Create sends one POST carrying the
// fields, the primary team and the manager, without an invitation unless
// SendEmail. Write (syncengine.RecordWriter) sends one PUT with the
// changed fields, manager and primary team, taking email, firstName and
// lastName, which every Learn Amp update must carry, from Write.Base; only
// without a base does it read the user first. Find looks up "email"
// (ignoring case) and "integrationExternalId" (exactly).
//
// What Learn Amp cannot do is refused with an error, never dropped: a
// field it cannot empty (email, names, hireDate, language, role,
// occupationRole), occupationRole on create, removing a manager (the
// other changes are written first; the error matches
// syncengine.ErrUnsupported). Team changes of a user who is or becomes
// deactivated are left out: Learn Amp takes deactivated users out of
// every team.
//
// Teams (syncengine.Teams): Fields "name" and "integrationExternalId";
// ref "parent". Teams are always active and never list their members:
// memberships are the users' "teams" references.
type Connector struct {
	c    *Client
	opts ConnectorOptions

	mu   sync.Mutex
	read map[syncengine.Collection]map[string]bool // ReadFields; nil: every field
}

var (
	_ syncengine.Connector    = (*Connector)(nil)
	_ syncengine.Finder       = (*Connector)(nil)
	_ syncengine.RefWriter    = (*Connector)(nil)
	_ syncengine.RecordWriter = (*Connector)(nil)
	_ syncengine.Describer    = (*Connector)(nil)
	_ syncengine.Scoper       = (*Connector)(nil)
	_ syncengine.FieldReader  = (*Connector)(nil)
)

// NewConnector returns a Connector on c.
func NewConnector(c *Client, opts ConnectorOptions) *Connector {
	if opts.Logger == nil {
		opts.Logger = slog.New(discard{})
	}
	return &Connector{c: c, opts: opts}
}

// discard is a slog.Handler that drops every record.
type discard struct{}

func (discard) Enabled(context.Context, slog.Level) bool  { return false }
func (discard) Handle(context.Context, slog.Record) error { return nil }
func (d discard) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discard) WithGroup(string) slog.Handler           { return d }

// Name returns "learnamp".
func (k *Connector) Name() string { return "learnamp" }

// Capabilities reports what the connector does with each collection.
func (k *Connector) Capabilities(c syncengine.Collection) syncengine.Capability {
	const base = syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate |
		syncengine.CanFind | syncengine.CanWriteRefs | syncengine.CanCreateRefs
	switch c {
	case syncengine.Users:
		return base | syncengine.CanSetActive | syncengine.CanWriteRecord
	case syncengine.Teams:
		return base
	}
	return 0
}

func unsupported(op string, c syncengine.Collection) error {
	return fmt.Errorf("learnamp: %s %s: %w", op, c, syncengine.ErrUnsupported)
}

// errStop ends a listing because the consumer stopped.
var errStop = errors.New("stop")

// List yields every user (of every status, deactivated included) or every
// team, one request per page of DefaultPerPage, records in Scope only.
func (k *Connector) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		var err error
		switch c {
		case syncengine.Users:
			err = k.listUsers(ctx, yield)
		case syncengine.Teams:
			err = k.listTeams(ctx, yield)
		default:
			err = unsupported("list", c)
		}
		if err != nil && !errors.Is(err, errStop) {
			yield(syncengine.Record{}, err)
		}
	}
}

// Get reads one user or team; an id that is not a Learn Amp id (digits)
// is not found without a call.
func (k *Connector) Get(ctx context.Context, c syncengine.Collection, id string) (syncengine.Record, error) {
	if c != syncengine.Users && c != syncengine.Teams {
		return syncengine.Record{}, unsupported("get", c)
	}
	if err := k.checkID(ctx, c, "get", id); err != nil {
		return syncengine.Record{}, err
	}
	if c == syncengine.Teams {
		t, err := k.c.GetTeam(ctx, id)
		if err != nil {
			return syncengine.Record{}, err
		}
		return k.teamRecord(t), nil
	}
	u, err := k.c.GetUser(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	return k.userRecord(u), nil
}

// checkID answers a cancelled context, or ErrNotFound for an id no Learn
// Amp record can have, before any call.
func (k *Connector) checkID(ctx context.Context, c syncengine.Collection, op, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !validID(id) {
		return fmt.Errorf("learnamp: %s %s %q: not a Learn Amp id (digits): %w", op, c, clip(id), ErrNotFound)
	}
	return nil
}

// Create creates a user or a team with its references and returns its id.
func (k *Connector) Create(ctx context.Context, c syncengine.Collection, rec syncengine.Record) (string, error) {
	switch c {
	case syncengine.Users:
		return k.createUser(ctx, rec)
	case syncengine.Teams:
		return k.createTeam(ctx, rec)
	}
	return "", unsupported("create", c)
}

// Update writes the changed fields. A user update reads the user first
// (Learn Amp's update needs email, firstName and lastName): two calls; the
// engine writes users through Write instead, which takes them from the
// record it read. A team update reads the team for its name unless
// changed renames it.
func (k *Connector) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	switch c {
	case syncengine.Users:
		return k.writeUser(ctx, syncengine.Write{ID: id, Fields: changed})
	case syncengine.Teams:
		return k.updateTeam(ctx, id, changed, nil)
	}
	return unsupported("update", c)
}

// SetActive deactivates or reactivates a user: one call, a no-op when it
// is already so.
func (k *Connector) SetActive(ctx context.Context, c syncengine.Collection, id string, active bool) error {
	if c != syncengine.Users {
		return unsupported("set-active", c)
	}
	return k.writeUser(ctx, syncengine.Write{ID: id, Active: &active})
}

// Write implements syncengine.RecordWriter for users: fields, active flag
// and references in as few calls as Learn Amp allows (see Connector).
func (k *Connector) Write(ctx context.Context, c syncengine.Collection, w syncengine.Write) error {
	if c != syncengine.Users {
		return unsupported("write", c)
	}
	return k.writeUser(ctx, w)
}

// WriteRefs writes a user's "manager" and "teams" or a team's "parent".
// It has no record to start from, so it reads the user or team first.
func (k *Connector) WriteRefs(ctx context.Context, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	switch c {
	case syncengine.Users:
		return k.writeUser(ctx, syncengine.Write{ID: id, Refs: refs})
	case syncengine.Teams:
		return k.updateTeam(ctx, id, nil, refs)
	}
	return unsupported("write refs", c)
}

// Find looks records up by a field value; no match is an empty result.
// Users: "email" (case-insensitive, through Learn Amp's email filter) and
// "integrationExternalId" (exact). Teams: "integrationExternalId" (exact)
// and "name" (case-insensitive, whole name).
func (k *Connector) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	s, err := textValue(value)
	if err != nil {
		return nil, fmt.Errorf("learnamp: find %s by %q: %w", c, field, err)
	}
	if s = strings.TrimSpace(s); s == "" {
		return nil, nil
	}
	switch {
	case c == syncengine.Users && field == "email":
		return k.findUsersByEmail(ctx, s)
	case c == syncengine.Users && field == "integrationExternalId":
		u, err := k.c.GetUserByExternalID(ctx, s)
		return k.found(err, func() syncengine.Record { return k.userRecord(u) })
	case c == syncengine.Teams && field == "integrationExternalId":
		t, err := k.c.GetTeamByExternalID(ctx, s)
		return k.found(err, func() syncengine.Record { return k.teamRecord(t) })
	case c == syncengine.Teams && field == "name":
		return k.findTeamsByName(ctx, s)
	}
	return nil, fmt.Errorf("learnamp: find %s by %q: %w", c, field, syncengine.ErrUnsupported)
}

// found turns a lookup's answer into Find's: none for a 404.
func (k *Connector) found(err error, rec func() syncengine.Record) ([]syncengine.Record, error) {
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return []syncengine.Record{rec()}, nil
}

// Describe implements syncengine.Describer: a user's first and last name
// (else the email), a team's name.
func (k *Connector) Describe(c syncengine.Collection, r syncengine.Record) syncengine.Label {
	text := func(f string) string { s, _ := r.Fields[f].(string); return strings.TrimSpace(s) }
	if c == syncengine.Users {
		name := strings.TrimSpace(text("firstName") + " " + text("lastName"))
		if name == "" {
			name = text("email")
		}
		return syncengine.Label{Name: name}
	}
	return syncengine.Label{Name: text("name")}
}

// InScope implements syncengine.Scoper with ConnectorOptions.Scope.
func (k *Connector) InScope(c syncengine.Collection, r syncengine.Record) bool {
	return k.opts.Scope == nil || k.opts.Scope(c, r)
}

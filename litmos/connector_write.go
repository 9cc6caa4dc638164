package litmos

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// The calls that keep a sync at the minimum: one PUT per changed user on
// the object as last read (RecordWriter), creates that carry their
// manager (CanCreateRefs), and /bulkimports for many creates (BulkCreator).

// alwaysRead are the user fields a record carries whatever the engine
// asks: what Describe and Find read.
var alwaysRead = []string{"UserName", "Email", "FirstName", "LastName"}

// ReadFields implements syncengine.FieldReader. User records then carry
// just fields (those the pair's maps read or write and its match keys
// compare) and alwaysRead, instead of all of UserFields; "Id" is readable
// too (never written). Team records carry "Id" when fields names it.
// Course and enrollment records are small and carry all their fields.
// A name the collection lacks is an error matching
// syncengine.ErrUnknownField, naming it.
func (k *Connector) ReadFields(c syncengine.Collection, fields []string) error {
	var known []string
	switch c {
	case syncengine.Users:
		known = append(UserFields(), "Id")
		fields = append(slices.Clone(alwaysRead), fields...)
	case syncengine.Teams:
		known = teamFields
	case syncengine.Courses:
		known = CourseFields()
	case syncengine.Enrollments:
		known = EnrollmentFields()
	default:
		return unsupported("read fields of", c)
	}
	only := map[string]bool{}
	for _, f := range fields {
		if i := strings.IndexAny(f, "./"); i >= 0 {
			f = f[:i]
		}
		if !slices.Contains(known, f) {
			return fmt.Errorf("%w: %q is not a Litmos %s field", syncengine.ErrUnknownField, f, strings.TrimSuffix(string(c), "s"))
		}
		only[f] = true
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch c {
	case syncengine.Users:
		k.read = only
	case syncengine.Teams:
		k.teamID = only["Id"]
	}
	return nil
}

// teamFields are the field names of team records ("Id" on request).
var teamFields = []string{"Id", "Name", "Description", "TeamCodeForBulkImport"}

func (k *Connector) fieldsRead() map[string]bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.read
}

// listed returns the user the last listing read, if any, decoded afresh
// from what it was read as (a listing keeps no more than that of each).
func (k *Connector) listed(id string) *User {
	k.mu.Lock()
	snap, ok := k.users[id]
	k.mu.Unlock()
	if !ok || snap.IsZero() {
		return nil
	}
	u := new(User)
	if err := decodeObject([]byte(snap.raw), u); err != nil {
		return nil // it decoded when listed; without a base, Write reads the user
	}
	return u
}

// Write implements syncengine.RecordWriter for users: fields, the active
// flag and the manager in one PUT. With w.Base (the engine's word that its
// read is fresh) the PUT goes out on the user as the connector last read
// it (the listing, or a later Get or Find), with no GET; the window in
// which an admin's edit to a field the pair does not own is overwritten is
// the time between that read and the write (litmos.UpdateUserFrom).
// Without a base, or for a user written since, the user is read first.
func (k *Connector) Write(ctx context.Context, c syncengine.Collection, w syncengine.Write) error {
	if c != syncengine.Users {
		return unsupported("write", c)
	}
	for role := range w.Refs {
		if role != syncengine.RoleManager {
			return fmt.Errorf("litmos: write user %s: role %q is not supported (only \"manager\")", w.ID, role)
		}
	}
	change := func(u *User) error {
		if err := setUserFields(u, w.Fields); err != nil {
			return err
		}
		if _, set := w.Fields["IsCustomUsername"]; !set {
			if _, renamed := w.Fields["UserName"]; renamed {
				u.IsCustomUsername = !strings.Contains(u.UserName, "@")
			}
		}
		if w.Active != nil {
			u.Active = *w.Active
		}
		if mgr, ok := w.Refs[syncengine.RoleManager]; ok {
			return setManager(u, mgr)
		}
		return nil
	}
	if name, renamed := w.Fields["UserName"]; renamed {
		defer k.nameTaken(name) // a freed name still counted taken is safe: that row is created alone
	}
	var err error
	if base := k.listed(w.ID); w.Base != nil && base != nil {
		_, err = k.c.UpdateUserFrom(ctx, base, change)
	} else {
		_, err = k.c.UpdateUser(ctx, w.ID, change)
	}
	// The copy kept is now older than the user: a later write reads it.
	k.keepBase(w.ID, Snapshot{})
	return err
}

// keepBase makes snap the base of the next write to user id (the zero
// Snapshot: none, the write reads the user first). A Get or Find keeps
// what it read (keepRead), so a write after the engine reads a record
// again (a plan applied late, an event's match) goes out on that read,
// not on the older listing.
func (k *Connector) keepBase(id string, snap Snapshot) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keepLocked(id, snap)
}

// readGen is the gen a read alone begins at, for keepRead.
func (k *Connector) readGen() uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.gen
}

// keepRead is keepBase for snap, read alone (a Get, a Find) by a call
// that began at gen start: unless user id was read or written alone since
// (a write while the read was in flight), the read becomes the base.
func (k *Connector) keepRead(id string, snap Snapshot, start uint64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.touched[id] <= start {
		k.keepLocked(id, snap)
	}
}

// keepLocked is keepBase with k.mu held.
func (k *Connector) keepLocked(id string, snap Snapshot) {
	k.gen++
	if k.touched == nil {
		k.touched = map[string]uint64{}
	}
	k.touched[id] = k.gen
	switch {
	case !snap.IsZero() && k.users == nil:
		k.users = map[string]Snapshot{id: snap}
	case !snap.IsZero():
		k.users[id] = snap
	default:
		delete(k.users, id)
	}
}

// keepListing makes read, a listing's users that began at gen start, the
// bases of later writes, but for the users read or written alone since
// it began: a listing in progress while a user is written must not bring
// back the copy from before that write. All keeps them all; otherwise
// read is added to the bases kept. k.mu is held.
func (k *Connector) keepListing(read map[string]Snapshot, start uint64, all bool) {
	for id, g := range k.touched {
		if g <= start {
			continue
		}
		if s, ok := k.users[id]; ok {
			read[id] = s
		} else {
			delete(read, id)
		}
	}
	if all || len(k.users) == 0 {
		k.users = read
	} else {
		maps.Copy(k.users, read)
	}
}

// setManager puts the manager ref into u: one manager, or none.
func setManager(u *User, mgr []syncengine.Ref) error {
	switch {
	case len(mgr) > 1:
		return fmt.Errorf("%d managers, Litmos holds one", len(mgr))
	case len(mgr) == 0:
		// Litmos shows "no manager" as "0"; sending it rather than leaving
		// ManagerId out keeps a PUT from keeping the old manager.
		if u.ManagerID != "" {
			u.ManagerID = "0"
		}
	default:
		u.ManagerID = mgr[0].ID
	}
	return nil
}

// CreateBulk implements syncengine.BulkCreator: the users go out through
// /bulkimports (as few jobs as the payload limit allows, each polled to
// its end), then one listing (a call per 1000 users) reads the ids Litmos
// gave them. An import row updates the user who has its username, so a
// record whose username is taken is not imported but answered
// ErrUnsupported: the engine creates it alone, where Create's 409 and the
// engine's look-up by the pair's match keys adopt it or fail it. The
// usernames taken are those of the connector's latest complete listing
// of the users (List or this post-import listing) if it began less than
// takenFor ago, with the users created or renamed alone since; otherwise
// CreateBulk lists them first, and returns that listing's error, without
// results, if it fails (the engine then creates the records one by one).
// A user someone else gives the username after that listing began is
// still updated by the import, and counted created: the window is the
// listing's age, at most takenFor.
//
// A record a bulk row cannot carry (a field the import has no column for,
// or a column it requires missing) is answered ErrUnsupported and created
// alone too; a row the job refused gets Litmos's reason; a row whose job
// could not be followed is answered ErrOutcomeUnknown, so the engine
// looks it up before creating it.
func (k *Connector) CreateBulk(ctx context.Context, c syncengine.Collection, recs []syncengine.Record) ([]syncengine.BulkResult, error) {
	if c != syncengine.Users {
		return nil, unsupported("bulk create", c)
	}
	out := make([]syncengine.BulkResult, len(recs))
	rows, at := make([]UserImport, 0, len(recs)), make([]int, 0, len(recs))
	for i, rec := range recs {
		// The row is filled where it stays: a row returned by value
		// escapes (importFields' setters take its address) and is copied.
		rows = append(rows, UserImport{})
		if err := importRow(&rows[len(rows)-1], rec); err != nil {
			rows = rows[:len(rows)-1]
			out[i].Err = fmt.Errorf("litmos: %w: %v", syncengine.ErrUnsupported, err)
			continue
		}
		at = append(at, i)
	}
	if len(rows) == 0 {
		return out, nil
	}
	if !k.takenFresh() {
		if _, err := k.usernames(ctx); err != nil {
			return nil, err
		}
	}
	if rows, at = k.claimNames(rows, at, out); len(rows) == 0 {
		return out, nil
	}
	res, err := k.c.ImportUsers(ctx, rows, ImportUsersParams{
		BulkImportParams: BulkImportParams{SendMessage: k.opts.SendEmail, SkipFirstLogin: k.opts.SkipFirstLogin}})
	if res == nil {
		return nil, err
	}
	if errors.Is(err, ErrBulkRefused) && len(res.Unapplied) == len(rows) {
		return nil, err // nothing was imported: the engine creates them one at a time
	}
	failed := map[string]string{}
	for _, e := range res.Errors {
		failed[usernameKey(e.Username)] = e.Message
	}
	byName, lerr := k.usernames(ctx)
	for j, i := range at {
		name := usernameKey(rows[j].Username)
		switch id, ok := byName[name]; {
		case ok && failed[name] == "":
			out[i].ID = id
		case failed[name] != "" && !ok:
			out[i].Err = fmt.Errorf("litmos: bulk import refused %q: %s", rows[j].Username, failed[name])
		default: // not confirmed, or the listing failed: look before creating again
			out[i].Err = fmt.Errorf("litmos: bulk import of %q not confirmed (%v): %w", rows[j].Username, errors.Join(err, lerr), ErrOutcomeUnknown)
		}
	}
	return out, nil
}

// takenFor is how long the usernames of a listing stand for those Litmos
// has, for CreateBulk: the engine's default FreshFor, so a sync's own
// listing serves its bulk creates.
const takenFor = 15 * time.Minute

// takenFresh reports whether the usernames taken are known from a
// listing that began less than takenFor ago.
func (k *Connector) takenFresh() bool {
	now := k.clock()
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.taken != nil && now.Sub(k.takenAt) < takenFor
}

// claimNames drops from rows (and at, their records' indexes) the rows
// whose username is taken, answering their records in out, and counts
// the others taken: once posted, they may exist.
func (k *Connector) claimNames(rows []UserImport, at []int, out []syncengine.BulkResult) ([]UserImport, []int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for j, i := range at {
		name := usernameKey(rows[j].Username)
		_, listed := k.taken[name]
		if _, alone := k.named[name]; listed || alone {
			out[i].Err = fmt.Errorf("litmos: %w: username %q is taken in Litmos: created alone", syncengine.ErrUnsupported, rows[j].Username)
			continue
		}
		rows[n], at[n] = rows[j], i
		n++
	}
	for _, r := range rows[:n] {
		k.nameLocked(usernameKey(r.Username))
	}
	return rows[:n], at[:n]
}

// usernames lists every user's id by username (usernameKey), keeps the
// users as the bases of later writes and, when it read them all, their
// usernames as those taken.
func (k *Connector) usernames(ctx context.Context) (map[string]string, error) {
	k.mu.Lock()
	n, start := len(k.taken), k.gen // about how many there are
	k.mu.Unlock()
	at := k.clock()
	out, read := make(map[string]string, n), make(map[string]Snapshot, n)
	for u, err := range k.c.listUserDetailsRefs(ctx, ListParams{}) {
		if err != nil {
			return out, err
		}
		out[usernameKey(u.UserName)] = u.ID
		read[u.ID] = u.Snapshot
	}
	k.mu.Lock()
	k.keepListing(read, start, false)
	k.mu.Unlock()
	k.keepTaken(out, start, at)
	return out, nil
}

// usernameKey is a username as Litmos tells them apart: without case, trimmed.
func usernameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// clock is the time CreateBulk reads the age of the usernames taken by.
func (k *Connector) clock() time.Time {
	if k.now != nil {
		return k.now()
	}
	return time.Now()
}

// keepTaken makes names, the usernames of a complete listing of every
// user that began at gen start and time at, the usernames taken; a name
// taken alone before it began is in it, or was freed since.
func (k *Connector) keepTaken(names map[string]string, start uint64, at time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.taken, k.takenAt = names, at
	for name, g := range k.named {
		if g <= start {
			delete(k.named, name)
		}
	}
}

// nameTaken counts name (a username record value) taken: a user was
// created or renamed to it alone.
func (k *Connector) nameTaken(name any) {
	s, err := stringValue(name)
	if err != nil || strings.TrimSpace(s) == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.nameLocked(usernameKey(s))
}

// nameLocked is nameTaken for a usernameKey, with k.mu held.
func (k *Connector) nameLocked(key string) {
	k.gen++
	if k.named == nil {
		k.named = map[string]uint64{}
	}
	k.named[key] = k.gen
}

// importFields are the record fields a bulk import row carries, by the
// UserImport column they go to.
var importFields = map[string]func(*UserImport, string){
	"UserName": func(r *UserImport, v string) { r.Username = v }, "Email": func(r *UserImport, v string) { r.Email = v },
	"FirstName": func(r *UserImport, v string) { r.FirstName = v }, "LastName": func(r *UserImport, v string) { r.LastName = v },
	"PhoneWork": func(r *UserImport, v string) { r.Phone = v }, "PhoneMobile": func(r *UserImport, v string) { r.Mobile = v },
	"Skype": func(r *UserImport, v string) { r.Skype = v }, "JobTitle": func(r *UserImport, v string) { r.Title = v },
	"CompanyName": func(r *UserImport, v string) { r.CompanyName = v }, "Website": func(r *UserImport, v string) { r.Website = v },
	"Twitter": func(r *UserImport, v string) { r.Twitter = v }, "Street1": func(r *UserImport, v string) { r.Address1 = v },
	"Street2": func(r *UserImport, v string) { r.Address2 = v }, "City": func(r *UserImport, v string) { r.City = v },
	"State": func(r *UserImport, v string) { r.State = v }, "PostalCode": func(r *UserImport, v string) { r.Zip = v },
	"Country": func(r *UserImport, v string) { r.Country = v }, "Brand": func(r *UserImport, v string) { r.Brand = v },
	"Culture": func(r *UserImport, v string) { r.Culture = v }, "JobRole": func(r *UserImport, v string) { r.JobRole = v },
	"ExternalEmployeeId":  func(r *UserImport, v string) { r.ExternalEmployeeID = v },
	"SalesforceId":        func(r *UserImport, v string) { r.SalesforceID = v },
	"SalesforceContactId": func(r *UserImport, v string) { r.SalesforceContactID = v },
	"SalesforceAccountId": func(r *UserImport, v string) { r.SalesforceAccountID = v },
	"CustomField1":        func(r *UserImport, v string) { r.CustomField1 = v }, "CustomField2": func(r *UserImport, v string) { r.CustomField2 = v },
	"CustomField3": func(r *UserImport, v string) { r.CustomField3 = v }, "CustomField4": func(r *UserImport, v string) { r.CustomField4 = v },
	"CustomField5": func(r *UserImport, v string) { r.CustomField5 = v }, "CustomField6": func(r *UserImport, v string) { r.CustomField6 = v },
	"CustomField7": func(r *UserImport, v string) { r.CustomField7 = v }, "CustomField8": func(r *UserImport, v string) { r.CustomField8 = v },
	"CustomField9": func(r *UserImport, v string) { r.CustomField9 = v }, "CustomField10": func(r *UserImport, v string) { r.CustomField10 = v },
}

// importAccess maps the access levels a row can carry to their letters;
// others (Administrator, Account_Owner) are never set in bulk.
var importAccess = map[string]string{"Learner": ImportLearner, "Team_Leader": ImportTeamLeader}

// importRow fills r, a zero row, from a record, or says which field the
// import cannot carry, or which column it requires that the record lacks
// (FirstName, say, which Create does without): such a record is created
// alone, where Litmos itself takes or refuses it.
func importRow(r *UserImport, rec syncengine.Record) error {
	for f, v := range rec.Fields {
		s, err := stringValue(v)
		if err != nil {
			return fmt.Errorf("field %q: %v", f, err)
		}
		if s == "" {
			continue
		}
		switch set, ok := importFields[f]; {
		case ok:
			set(r, s)
		case f == "AccessLevel":
			letter, ok := importAccess[s]
			if !ok {
				return fmt.Errorf("access level %q has no bulk import form", s)
			}
			r.AccessLevel = letter
		default:
			return fmt.Errorf("a bulk import row has no column for %q", f)
		}
	}
	if r.Email == "" && strings.Contains(r.Username, "@") {
		r.Email = r.Username
	}
	active := rec.Active
	r.Active = &active
	if mgr := rec.Refs[syncengine.RoleManager]; len(mgr) == 1 {
		r.Manager = mgr[0].ID // the import takes the manager's username or Id
	}
	if err := r.check(); err != nil {
		return fmt.Errorf("not a bulk import row: %v", err)
	}
	return nil
}

// RefRoles implements syncengine.RefRoler: a user takes its "manager"
// (team memberships are written from the team's "members"), a team its
// "members".
func (k *Connector) RefRoles(c syncengine.Collection) []string {
	switch c {
	case syncengine.Users:
		return []string{syncengine.RoleManager}
	case syncengine.Teams:
		return []string{"members"}
	}
	return nil
}

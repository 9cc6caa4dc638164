package learnamp

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// User is a Learn Amp user (https://developers.learnamp.com/#users). Lists
// carry the short form (id, names, jobTitle, email, timeZone, language,
// role, integrationExternalId, hireDate, profileUrl, status); GetUser, the
// writes and lists with Expanded add the rest. Fields the type does not
// name, custom fields of an expanded user among them, are kept in Extra.
type User struct {
	ID                    string     `json:"id"`
	FirstName             string     `json:"firstName"`
	LastName              string     `json:"lastName"`
	JobTitle              string     `json:"jobTitle"`
	Email                 string     `json:"email"`
	TimeZone              string     `json:"timeZone"` // a Rails zone name, such as "London"
	Language              string     `json:"language"` // a language code, such as "en" or "pt-BR"
	Role                  string     `json:"role"`     // viewer, curator, reporter, learning_designer, hr, admin, owner
	IntegrationExternalID string     `json:"integrationExternalId"`
	OccupationRole        string     `json:"occupationRole"`
	HireDate              Date       `json:"hireDate"`
	ProfileURL            string     `json:"profileUrl"`
	Status                UserStatus `json:"status"`
	Avatar                string     `json:"avatar"`
	// Manager is the effective manager (the override manager, else the
	// primary team's); nil when there is none.
	Manager        *User  `json:"manager"`
	Location       string `json:"location"`
	Department     string `json:"department"`
	PrimaryTeam    *Team  `json:"primaryTeam"`
	SecondaryTeams []Team `json:"secondaryTeams"`
	// Extra keeps the fields this type does not name.
	Extra Extra `json:"-"`
}

var userKeys = jsonKeys(User{})

// UnmarshalJSON reads a user, tolerating ids as numbers or strings and an
// empty manager object ({}), which it reads as no manager.
func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	var w struct {
		*plain
		ID id `json:"id"`
	}
	w.plain = (*plain)(u)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	u.ID = string(w.ID)
	if u.Manager != nil && u.Manager.ID == "" {
		u.Manager = nil
	}
	if u.PrimaryTeam != nil && u.PrimaryTeam.ID == "" {
		u.PrimaryTeam = nil
	}
	var err error
	u.Extra, err = extraFields(b, userKeys)
	return err
}

// Status is a user's status as the list filter takes it
// (https://developers.learnamp.com/#view-all-users, filters[status]).
type Status string

// The statuses Learn Amp filters by.
const (
	StatusNotInvited      Status = "not_invited"      // created with the invitation skipped
	StatusInviteScheduled Status = "invite_scheduled" // an invitation will be sent later
	StatusInvitePending   Status = "invite_pending"   // invited, not yet accepted
	StatusConfirmed       Status = "confirmed"        // accepted the invitation
	StatusDeactivated     Status = "deactivated"      // cannot log in; data kept
)

var statusNames = map[string]Status{
	"not yet invited": StatusNotInvited, "not invited": StatusNotInvited,
	"invite scheduled": StatusInviteScheduled, "invite pending": StatusInvitePending,
	"confirmed": StatusConfirmed, "deactivated": StatusDeactivated,
}

// ParseStatus maps the status text Learn Amp shows ("Confirmed", "Invite
// pending", "Not yet invited", "Invite scheduled", "Deactivated", in any
// case, or the filter's own words) to a Status; "" for any other text,
// such as "External Contributor". The full set of texts is not documented
// (https://learnamp.atlassian.net/wiki/spaces/KB/pages/201097707 lists these five).
func ParseStatus(text string) Status {
	t := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(text, "_", " "))), " ")
	return statusNames[t]
}

// UserStatus is the status object of a user: the text Learn Amp shows and
// when it happened, as display strings ({"status": "Invite pending",
// "time": "Sent 25 Sep 19"}).
type UserStatus struct {
	Status string `json:"status"`
	Time   string `json:"time"`
}

// State is the Status the text stands for; "" when it is not one of the known texts.
func (s UserStatus) State() Status { return ParseStatus(s.Status) }

// UnmarshalJSON reads the status object, or a bare status string.
func (s *UserStatus) UnmarshalJSON(b []byte) error {
	var text string
	if json.Unmarshal(b, &text) == nil {
		*s = UserStatus{Status: text}
		return nil
	}
	type plain UserStatus
	return json.Unmarshal(b, (*plain)(s))
}

// CustomField is one custom field value, matched by the field's display
// name. On update an empty Value clears the field (unless Learn Amp
// validates its presence: then the call fails with ErrInvalid); a name
// Learn Amp does not know fails with ErrNotFound.
type CustomField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ListUsersParams selects and filters users (GET /v1/users). Empty fields
// do not filter. Learn Amp does not say whether deactivated users are
// listed when Statuses is empty: name the statuses you want.
type ListUsersParams struct {
	PageParams
	// Expanded asks for the full user objects (manager, teams, location,
	// department, custom fields).
	Expanded bool
	// Email and IntegrationExternalID match exactly.
	Email, IntegrationExternalID string
	// FirstName and LastName match part of the name, ignoring case.
	FirstName, LastName string
	// Role is one of viewer, curator, reporter, hr, admin, owner.
	Role string
	// NoTeam lists only users in no team.
	NoTeam bool
	// TeamIDs lists members of any of these teams.
	TeamIDs []string
	// Statuses lists users with any of these statuses.
	Statuses []Status
	// The date ranges match by calendar day, both ends included; Learn Amp
	// does not say in which time zone, so widen a range by a day where an
	// exact cut matters (UpdatedFrom: the day before the last sync).
	CreatedFrom, CreatedTo         Date
	UpdatedFrom, UpdatedTo         Date
	DeactivatedFrom, DeactivatedTo Date
}

func (p ListUsersParams) query() (url.Values, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set("filters["+k+"]", v)
		}
	}
	if p.Expanded {
		q.Set("expanded", "true")
	}
	set("email", p.Email)
	set("integration_external_id", p.IntegrationExternalID)
	set("first_name", p.FirstName)
	set("last_name", p.LastName)
	set("role", p.Role)
	if p.NoTeam {
		q.Set("filters[no_team]", "true")
	}
	if err := checkIDs("team", p.TeamIDs); err != nil {
		return nil, err
	}
	for _, t := range p.TeamIDs {
		q.Add("filters[team_ids][]", t)
	}
	for _, s := range p.Statuses {
		if ParseStatus(string(s)) != s {
			return nil, fmt.Errorf("status %q is not one of not_invited, invite_scheduled, invite_pending, confirmed, deactivated", string(s))
		}
		q.Add("filters[status][]", string(s))
	}
	for _, r := range []struct {
		name     string
		from, to Date
	}{{"created_at", p.CreatedFrom, p.CreatedTo}, {"updated_at", p.UpdatedFrom, p.UpdatedTo}, {"deactivated_at", p.DeactivatedFrom, p.DeactivatedTo}} {
		if !r.from.IsZero() && !r.to.IsZero() && r.to.Before(r.from) {
			return nil, fmt.Errorf("%s range ends (%s) before it starts (%s)", r.name, r.to, r.from)
		}
		set(r.name+"][from", r.from.String())
		set(r.name+"][to", r.to.String())
	}
	return q, nil
}

// ListUsersPage returns one page of users with Learn Amp's totals.
func (c *Client) ListUsersPage(ctx context.Context, p ListUsersParams) (*Page[User], error) {
	q, err := p.query()
	if err != nil {
		return nil, wrapf(err, "list users")
	}
	pg, err := getPage[User](ctx, c, "users", "users", q, p.PageParams)
	if err != nil {
		return nil, wrapf(err, "list users")
	}
	return pg, nil
}

// ListUsers yields every user p selects, from page p.Page on, fetching
// each page as it is reached and none after the last.
func (c *Client) ListUsers(ctx context.Context, p ListUsersParams) iter.Seq2[User, error] {
	return pages(ctx, p.PageParams, func(ctx context.Context, pp PageParams) (*Page[User], error) {
		p.PageParams = pp
		return c.ListUsersPage(ctx, p)
	})
}

// GetUser returns the user with Learn Amp id id (the full object); an
// error matching ErrNotFound when there is none.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	if err := checkID("user", id); err != nil {
		return nil, wrapf(err, "get user")
	}
	return c.getUser(ctx, "users/"+id, "get user "+id)
}

// GetUserByExternalID returns the user whose integrationExternalId is
// ext, matched exactly within the company; an error matching ErrNotFound
// when there is none. This is the natural key of an HR sync.
func (c *Client) GetUserByExternalID(ctx context.Context, ext string) (*User, error) {
	if err := checkExternalID("user", ext); err != nil {
		return nil, wrapf(err, "get user")
	}
	return c.getUser(ctx, "users/by_integration_external_id/"+segment(ext), fmt.Sprintf("get user %q", ext))
}

func (c *Client) getUser(ctx context.Context, path, op string) (*User, error) {
	var u User
	if _, err := c.do(ctx, call{method: http.MethodGet, path: path, out: &u}); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if u.ID == "" {
		return nil, fmt.Errorf("learnamp: %s: the reply has no user id", op)
	}
	return &u, nil
}

package litmos

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Team is a Litmos team
// (https://support.litmos.com/hc/en-us/articles/227734747-Teams-API-Get-a-list-of-teams-or-Create-Edit-and-Delete-teams).
// Lists carry no Description.
type Team struct {
	ID                    string `json:"Id"`
	Name                  string `json:"Name" html:"1"`
	Description           string `json:"Description" html:"1"`
	ParentTeamID          string `json:"ParentTeamId"` // empty for a top-level team
	TeamCodeForBulkImport string `json:"TeamCodeForBulkImport"`
	// Extra keeps fields this type does not name.
	Extra Extra `json:"-"`
}

// UnmarshalJSON decodes tolerantly.
func (t *Team) UnmarshalJSON(b []byte) error { return decodeObject(b, t) }

// MarshalJSON writes the team with its Extra fields.
func (t Team) MarshalJSON() ([]byte, error) { return encodeObject(t) }

// ListTeamsPage returns one page of teams (GET /teams): every team,
// sub-teams included; opts.Search matches the name partially.
func (c *Client) ListTeamsPage(ctx context.Context, opts ListParams) ([]Team, error) {
	return listPage[Team](ctx, c, "list teams", "teams", opts)
}

// ListTeams yields every team from opts.Start on; build the tree from ParentTeamID.
func (c *Client) ListTeams(ctx context.Context, opts ListParams) iter.Seq2[Team, error] {
	return pages(ctx, opts, c.ListTeamsPage)
}

// SearchTeams yields the teams whose name partially matches text.
func (c *Client) SearchTeams(ctx context.Context, text string) iter.Seq2[Team, error] {
	return c.ListTeams(ctx, ListParams{Search: text})
}

// GetTeam returns the team id, or an error matching ErrNotFound.
func (c *Client) GetTeam(ctx context.Context, id string) (*Team, error) {
	return getRecord[Team](ctx, c, "team", "teams", id)
}

// ListSubTeams yields the direct children of team id (GET /teams/{id}/teams).
func (c *Client) ListSubTeams(ctx context.Context, id string, opts ListParams) iter.Seq2[Team, error] {
	path := "teams/" + url.PathEscape(id) + "/teams"
	return listAll[Team](ctx, c, "list sub-teams of "+id, path, opts)
}

// ListTeamMembers yields the members of team id. Litmos lists active members
// only
// (https://support.litmos.com/hc/en-us/articles/227734727-Teams-API-Add-Remove-users-from-a-team).
func (c *Client) ListTeamMembers(ctx context.Context, id string, opts ListParams) iter.Seq2[UserSummary, error] {
	path := "teams/" + url.PathEscape(id) + "/users"
	return listAll[UserSummary](ctx, c, "list members of team "+id, path, opts)
}

// MessageParams says whether Litmos emails the people a call affects.
type MessageParams struct {
	// SendMessage emails them; the client always sends sendmessage explicitly,
	// false unless this is set (sendmessage,
	// https://api.sap.com/api/LitmosAPIdetails/overview).
	SendMessage bool
}

type idRef struct {
	ID string `json:"Id" xml:"Id"`
}

// AddTeamMembers adds users to team id (POST /teams/{id}/users). Litmos ignores
// users already in the team, so the call is idempotent and retried like one
// (https://support.litmos.com/hc/en-us/articles/227734727-Teams-API-Add-Remove-users-from-a-team).
func (c *Client) AddTeamMembers(ctx context.Context, teamID string, userIDs []string, opts MessageParams) error {
	if teamID == "" || len(userIDs) == 0 {
		return errors.New("litmos: add team members: team id and at least one user id are required")
	}
	refs := make([]idRef, len(userIDs))
	for i, id := range userIDs {
		if id == "" {
			return fmt.Errorf("litmos: add team members to %s: user id %d is empty", teamID, i)
		}
		refs[i] = idRef{id}
	}
	body, _ := json.Marshal(refs)
	q := c.query("sendmessage", strconv.FormatBool(opts.SendMessage))
	path := "teams/" + url.PathEscape(teamID) + "/users"
	if _, err := c.send(ctx, http.MethodPost, path, q.Encode(), body, "", boolPtr(true)); err != nil {
		return wrapf(err, "add team members to %s", teamID)
	}
	return nil
}

// ListUserTeamsPage returns one page of the teams a user is in (GET /users/{id}/teams).
func (c *Client) ListUserTeamsPage(ctx context.Context, userID string, p ListParams) ([]Team, error) {
	if userID == "" {
		return nil, errors.New("litmos: list user teams: user id is empty")
	}
	path := "users/" + url.PathEscape(userID) + "/teams"
	return listPage[Team](ctx, c, "list teams of user "+userID, path, p)
}

// ListUserTeams yields every team the user is in.
func (c *Client) ListUserTeams(ctx context.Context, userID string, p ListParams) iter.Seq2[Team, error] {
	return pages(ctx, p, func(ctx context.Context, lp ListParams) ([]Team, error) {
		return c.ListUserTeamsPage(ctx, userID, lp)
	})
}

// MaxTeamsPerUserAdd is the most teams AddUserToTeams takes in one call.
const MaxTeamsPerUserAdd = 25

type xmlTeams struct {
	XMLName xml.Name `xml:"Teams"`
	Teams   []idRef  `xml:"Team"`
}

// AddUserToTeams puts a user in up to 25 teams in one call (POST
// /users/{id}/teams). Litmos applies it whole or not at all: an unknown
// team id answers an error matching ErrNotFound, and a user already in
// any of the teams one matching ErrConflict ("The user already belongs to
// one or more of the teams", per the SAP spec). So it is not retried
// blindly; for one team at a time AddTeamMembers is idempotent. The body
// is the documented XML (<Teams><Team><Id>…</Id></Team></Teams>).
func (c *Client) AddUserToTeams(ctx context.Context, userID string, teamIDs []string, p MessageParams) error {
	switch {
	case userID == "" || len(teamIDs) == 0:
		return errors.New("litmos: add user to teams: user id and at least one team id are required")
	case len(teamIDs) > MaxTeamsPerUserAdd:
		return fmt.Errorf("litmos: add user %s to teams: %d team ids, Litmos takes at most %d", userID, len(teamIDs), MaxTeamsPerUserAdd)
	}
	doc := xmlTeams{Teams: make([]idRef, len(teamIDs))}
	for i, id := range teamIDs {
		if id == "" {
			return fmt.Errorf("litmos: add user %s to teams: team id %d is empty", userID, i)
		}
		doc.Teams[i] = idRef{id}
	}
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).Encode(doc); err != nil {
		return wrapf(err, "add user %s to teams", userID)
	}
	q := c.query("sendmessage", strconv.FormatBool(p.SendMessage))
	path := "users/" + url.PathEscape(userID) + "/teams"
	if _, err := c.send(ctx, http.MethodPost, path, q.Encode(), buf.Bytes(), "application/xml", nil); err != nil {
		return wrapf(err, "add user %s to teams", userID)
	}
	return nil
}

// RemoveTeamMember removes one user from team id.
func (c *Client) RemoveTeamMember(ctx context.Context, teamID, userID string) error {
	if teamID == "" || userID == "" {
		return errors.New("litmos: remove team member: team id and user id are required")
	}
	path := "teams/" + url.PathEscape(teamID) + "/users/" + url.PathEscape(userID)
	if _, err := c.send(ctx, http.MethodDelete, path, c.plainQuery, nil, "", nil); err != nil {
		return wrapf(err, "remove %s from team %s", userID, teamID)
	}
	return nil
}

// CreateTeam creates t, as a sub-team of t.ParentTeamID when that is set,
// and returns the team Litmos stored. A taken name answers an error
// matching ErrConflict.
func (c *Client) CreateTeam(ctx context.Context, t Team) (*Team, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return nil, errors.New("litmos: create team: name is empty")
	}
	if n := len([]rune(t.Name)); n > 100 {
		return nil, fmt.Errorf("litmos: create team %q: name is %d characters, Litmos allows at most 100", t.Name, n)
	}
	t.ID = ""
	path := "teams"
	if t.ParentTeamID != "" {
		path = "teams/" + url.PathEscape(t.ParentTeamID) + "/teams"
	}
	body, err := encodeRequest(t)
	if err != nil {
		return nil, wrapf(err, "create team %q", t.Name)
	}
	resp, err := c.send(ctx, http.MethodPost, path, c.plainQuery, body, "", nil)
	if err != nil {
		return nil, wrapf(err, "create team %q", t.Name)
	}
	var out Team
	if err := readCreated(resp, &out, &out.ID); err != nil {
		return nil, wrapf(err, "create team %q", t.Name)
	}
	return &out, nil
}

// ErrUnknownTeam marks a chosen team that Litmos does not have.
var ErrUnknownTeam = errors.New("no such Litmos team")

// ResolveTeams returns the teams chosen by exact name (as Litmos shows
// it, case-sensitive) or id, in the order given, each once: one listing of
// the account's teams (a call per 1,000). A choice that matches no team
// fails with an error matching ErrUnknownTeam that names it, and the
// teams whose names contain it (Connector.SearchTeams: the team picker's
// search).
func (c *Client) ResolveTeams(ctx context.Context, namesOrIDs []string) ([]Team, error) {
	byName, byID := map[string]Team{}, map[string]Team{}
	for t, err := range c.ListTeams(ctx, ListParams{}) {
		if err != nil {
			return nil, err
		}
		byName[t.Name], byID[t.ID] = t, t
	}
	var out []Team
	var unknown []string
	seen := map[string]bool{}
	for _, choice := range namesOrIDs {
		t, ok := byName[choice]
		if !ok {
			t, ok = byID[choice]
		}
		switch {
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%q", choice))
		case !seen[t.ID]:
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("litmos: %w named or with id %s (names are exact and case-sensitive)%s", ErrUnknownTeam,
			strings.Join(unknown, ", "), c.teamsLike(ctx, unknown))
	}
	return out, nil
}

// teamsLike names up to five teams whose names contain each unknown choice
// (quoted), through the team picker's search: a search call each when the
// account has more than TeamPickerMax teams, one listing otherwise.
func (c *Client) teamsLike(ctx context.Context, unknown []string) string {
	k := NewConnector(c, ConnectorOptions{})
	var like []string
	for _, q := range unknown {
		found, err := k.SearchTeams(ctx, strings.Trim(q, `"`))
		if err != nil {
			return ""
		}
		for _, t := range found[:min(len(found), 5)] {
			like = append(like, fmt.Sprintf("%q", t.Name))
		}
	}
	if len(like) == 0 {
		return ""
	}
	return "; teams with a name like it: " + strings.Join(like, ", ")
}

// ResolveTeamIDs is ResolveTeams returning the teams' ids (for
// jobs.LitmosPlatformOptions.TeamIDs).
func (c *Client) ResolveTeamIDs(ctx context.Context, namesOrIDs []string) ([]string, error) {
	teams, err := c.ResolveTeams(ctx, namesOrIDs)
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = t.ID
	}
	return ids, err
}

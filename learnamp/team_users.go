package learnamp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
)

// Membership is one user's place in one team, as Learn Amp answers an add.
type Membership struct {
	ID     string `json:"id"`
	TeamID string `json:"teamId"`
	UserID string `json:"userId"`
}

// UnmarshalJSON reads the ids as numbers or strings.
func (m *Membership) UnmarshalJSON(b []byte) error {
	var w struct {
		ID     id `json:"id"`
		TeamID id `json:"teamId"`
		UserID id `json:"userId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = Membership{ID: string(w.ID), TeamID: string(w.TeamID), UserID: string(w.UserID)}
	return nil
}

// ListTeamUsersPage returns one page of the users of the team with Learn
// Amp id teamID (https://developers.learnamp.com/#view-all-team-users).
func (c *Client) ListTeamUsersPage(ctx context.Context, teamID string, p PageParams) (*Page[User], error) {
	if err := checkID("team", teamID); err != nil {
		return nil, wrapf(err, "list team users")
	}
	return c.teamUsersPage(ctx, "teams/"+teamID, "list users of team "+teamID, p)
}

// ListTeamUsers yields every user of the team with Learn Amp id teamID.
func (c *Client) ListTeamUsers(ctx context.Context, teamID string, p PageParams) iter.Seq2[User, error] {
	return pages(ctx, p, func(ctx context.Context, pp PageParams) (*Page[User], error) {
		return c.ListTeamUsersPage(ctx, teamID, pp)
	})
}

// ListTeamUsersByExternalIDPage returns one page of the users of the team
// whose integrationExternalId is ext.
func (c *Client) ListTeamUsersByExternalIDPage(ctx context.Context, ext string, p PageParams) (*Page[User], error) {
	if err := checkExternalID("team", ext); err != nil {
		return nil, wrapf(err, "list team users")
	}
	return c.teamUsersPage(ctx, teamByExt(ext), fmt.Sprintf("list users of team %q", clip(ext)), p)
}

// ListTeamUsersByExternalID yields every user of the team whose
// integrationExternalId is ext.
func (c *Client) ListTeamUsersByExternalID(ctx context.Context, ext string, p PageParams) iter.Seq2[User, error] {
	return pages(ctx, p, func(ctx context.Context, pp PageParams) (*Page[User], error) {
		return c.ListTeamUsersByExternalIDPage(ctx, ext, pp)
	})
}

// teamUsersPage reads a page of {team}/users: the team object, whose users
// member is the page.
func (c *Client) teamUsersPage(ctx context.Context, team, op string, p PageParams) (*Page[User], error) {
	pg, err := getPage[User](ctx, c, team+"/users", "users", nil, p)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	return pg, nil
}

// AddTeamUserParams names a team and a user for AddTeamUser: exactly one
// of TeamID, TeamName and TeamIntegrationExternalID, and exactly one of
// UserID and UserEmail.
type AddTeamUserParams struct {
	TeamID                    string `json:"teamId,omitempty"`
	TeamName                  string `json:"teamName,omitempty"`
	TeamIntegrationExternalID string `json:"teamIntegrationExternalId,omitempty"`
	UserID                    string `json:"userId,omitempty"`
	UserEmail                 string `json:"userEmail,omitempty"`
}

// MarshalJSON writes the body with ids as numbers.
func (p AddTeamUserParams) MarshalJSON() ([]byte, error) {
	type plain AddTeamUserParams
	return marshal(struct {
		plain
		TeamID id `json:"teamId,omitempty"`
		UserID id `json:"userId,omitempty"`
	}{plain(p), id(p.TeamID), id(p.UserID)})
}

func (p AddTeamUserParams) validate() error {
	teams := 0
	for _, v := range []string{p.TeamID, p.TeamName, p.TeamIntegrationExternalID} {
		if v != "" {
			teams++
		}
	}
	if teams != 1 {
		return fmt.Errorf("exactly one of teamId, teamName and teamIntegrationExternalId must be set, got %d", teams)
	}
	if (p.UserID == "") == (p.UserEmail == "") {
		return errors.New("exactly one of userId and userEmail must be set")
	}
	if p.TeamID != "" {
		if err := checkID("team", p.TeamID); err != nil {
			return err
		}
	}
	if p.UserID != "" {
		return checkID("user", p.UserID)
	}
	return nil
}

// AddTeamUser adds one user to one team, each named by id, name, email or
// integrationExternalId (POST /v1/teams/users,
// https://developers.learnamp.com/#add-a-user-to-a-team-alternative-method).
func (c *Client) AddTeamUser(ctx context.Context, p AddTeamUserParams) (*Membership, error) {
	op := "add user to team"
	if err := p.validate(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	var m Membership
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "teams/users", in: p, out: &m}); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if m.ID == "" {
		return nil, wrapf(fmt.Errorf("added, but the reply has no membership id: %w", ErrOutcomeUnknown), "%s", op)
	}
	return &m, nil
}

// AddTeamUsersParams lists the users AddTeamUsers adds.
type AddTeamUsersParams struct {
	UserIDs []string `json:"userIds"`
	// IsPrimary makes the team the users' primary team.
	IsPrimary bool `json:"isPrimary,omitempty"`
}

// MarshalJSON writes the body with ids as numbers.
func (p AddTeamUsersParams) MarshalJSON() ([]byte, error) {
	type plain AddTeamUsersParams
	return marshal(struct {
		plain
		UserIDs []id `json:"userIds"`
	}{plain(p), ids(p.UserIDs)})
}

// AddTeamUsers adds many users to the team with Learn Amp id teamID in one
// call (POST /v1/teams/{id}/bulk/users,
// https://developers.learnamp.com/#add-users-to-a-team). Learn Amp does
// not document the reply; any 2xx is success.
func (c *Client) AddTeamUsers(ctx context.Context, teamID string, p AddTeamUsersParams) error {
	if err := checkID("team", teamID); err != nil {
		return wrapf(err, "add users to team")
	}
	return c.addTeamUsers(ctx, "teams/"+teamID, "add users to team "+teamID, p)
}

// AddTeamUsersByExternalID is AddTeamUsers for the team whose
// integrationExternalId is ext.
func (c *Client) AddTeamUsersByExternalID(ctx context.Context, ext string, p AddTeamUsersParams) error {
	if err := checkExternalID("team", ext); err != nil {
		return wrapf(err, "add users to team")
	}
	return c.addTeamUsers(ctx, teamByExt(ext), fmt.Sprintf("add users to team %q", clip(ext)), p)
}

func (c *Client) addTeamUsers(ctx context.Context, team, op string, p AddTeamUsersParams) error {
	if len(p.UserIDs) == 0 {
		return wrapf(errors.New("no user ids"), "%s", op)
	}
	if err := checkIDs("user", p.UserIDs); err != nil {
		return wrapf(err, "%s", op)
	}
	if _, err := c.do(ctx, call{method: http.MethodPost, path: team + "/bulk/users", in: p}); err != nil {
		return wrapf(err, "%s", op)
	}
	return nil
}

// RemoveTeamUser removes the user userID from the team with Learn Amp id
// teamID; an error matching ErrNotFound when the user is not in it.
func (c *Client) RemoveTeamUser(ctx context.Context, teamID, userID string) error {
	if err := checkID("team", teamID); err != nil {
		return wrapf(err, "remove team user")
	}
	return c.removeTeamUser(ctx, "teams/"+teamID, "team "+teamID, userID)
}

// RemoveTeamUserByExternalID removes the user userID from the team whose
// integrationExternalId is ext.
func (c *Client) RemoveTeamUserByExternalID(ctx context.Context, ext, userID string) error {
	if err := checkExternalID("team", ext); err != nil {
		return wrapf(err, "remove team user")
	}
	return c.removeTeamUser(ctx, teamByExt(ext), fmt.Sprintf("team %q", clip(ext)), userID)
}

func (c *Client) removeTeamUser(ctx context.Context, team, which, userID string) error {
	if err := checkID("user", userID); err != nil {
		return wrapf(err, "remove user from %s", which)
	}
	if _, err := c.do(ctx, call{method: http.MethodDelete, path: team + "/users/" + userID}); err != nil {
		return wrapf(err, "remove user %s from %s", userID, which)
	}
	return nil
}

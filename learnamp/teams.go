package learnamp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// Team is a Learn Amp team (https://developers.learnamp.com/#teams). Lists
// and updates carry the simple form; GetTeam and CreateTeam add Users,
// SubTeams, ParentTeam and Tags.
type Team struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	IntegrationExternalID string `json:"integrationExternalId"`
	TeamUsersCount        int    `json:"teamUsersCount"`
	APITeamPath           string `json:"apiTeamPath"`
	APITeamUsersPath      string `json:"apiTeamUsersPath"`
	// ParentTeamID is "" for a top-level team.
	ParentTeamID      string `json:"parentTeamId"`
	Manager           *User  `json:"manager"` // nil when the team has none
	SecondaryManagers []User `json:"secondaryManagers"`

	Users      []User   `json:"users"`
	SubTeams   []Team   `json:"subTeams"`
	ParentTeam *Team    `json:"parentTeam"`
	Tags       []string `json:"tags"`
	// Extra keeps the fields this type does not name.
	Extra Extra `json:"-"`
}

var teamKeys = jsonKeys(Team{})

// UnmarshalJSON reads a team, tolerating ids as numbers or strings and an
// empty manager object ({}), which it reads as no manager.
func (t *Team) UnmarshalJSON(b []byte) error {
	type plain Team
	var w struct {
		*plain
		ID           id `json:"id"`
		ParentTeamID id `json:"parentTeamId"`
	}
	w.plain = (*plain)(t)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t.ID, t.ParentTeamID = string(w.ID), string(w.ParentTeamID)
	if t.Manager != nil && t.Manager.ID == "" {
		t.Manager = nil
	}
	if t.ParentTeam != nil && t.ParentTeam.ID == "" {
		t.ParentTeam = nil
	}
	var err error
	t.Extra, err = extraFields(b, teamKeys)
	return err
}

// ListTeamsParams selects and filters teams (GET /v1/teams).
type ListTeamsParams struct {
	PageParams
	// Name matches the team name; Learn Amp does not say whether exactly
	// or in part, so compare the names you get.
	Name string
	// Tags lists teams with any of these tags.
	Tags []string
}

func (p ListTeamsParams) query() (url.Values, error) {
	q := url.Values{}
	if p.Name != "" {
		q.Set("filters[name]", p.Name)
	}
	if len(p.Tags) > 0 {
		tags, err := joinTags(p.Tags)
		if err != nil {
			return nil, err
		}
		q.Set("filters[tags]", tags)
	}
	return q, nil
}

// joinTags writes tags as Learn Amp takes them: one comma-separated string.
func joinTags(tags []string) (string, error) {
	for _, t := range tags {
		if strings.Contains(t, ",") || strings.TrimSpace(t) == "" {
			return "", fmt.Errorf("tag %q is empty or contains a comma (Learn Amp separates tags with commas)", clip(t))
		}
	}
	return strings.Join(tags, ","), nil
}

// ListTeamsPage returns one page of teams with Learn Amp's totals.
func (c *Client) ListTeamsPage(ctx context.Context, p ListTeamsParams) (*Page[Team], error) {
	q, err := p.query()
	if err != nil {
		return nil, wrapf(err, "list teams")
	}
	pg, err := getPage[Team](ctx, c, "teams", "teams", q, p.PageParams)
	if err != nil {
		return nil, wrapf(err, "list teams")
	}
	return pg, nil
}

// ListTeams yields every team p selects, fetching each page as it is
// reached and none after the last. Build the tree from ParentTeamID.
func (c *Client) ListTeams(ctx context.Context, p ListTeamsParams) iter.Seq2[Team, error] {
	return pages(ctx, p.PageParams, func(ctx context.Context, pp PageParams) (*Page[Team], error) {
		p.PageParams = pp
		return c.ListTeamsPage(ctx, p)
	})
}

// GetTeam returns the team with Learn Amp id id, with its users, sub-teams,
// parent and tags; an error matching ErrNotFound when there is none.
func (c *Client) GetTeam(ctx context.Context, id string) (*Team, error) {
	if err := checkID("team", id); err != nil {
		return nil, wrapf(err, "get team")
	}
	return c.teamCall(ctx, call{method: http.MethodGet, path: "teams/" + id}, "get team "+id)
}

// GetTeamByExternalID returns the team whose integrationExternalId is ext.
func (c *Client) GetTeamByExternalID(ctx context.Context, ext string) (*Team, error) {
	if err := checkExternalID("team", ext); err != nil {
		return nil, wrapf(err, "get team")
	}
	return c.teamCall(ctx, call{method: http.MethodGet, path: teamByExt(ext)}, fmt.Sprintf("get team %q", clip(ext)))
}

func teamByExt(ext string) string { return "teams/by_external_id/" + segment(ext) }

// teamCall sends cl and reads the team it answers.
func (c *Client) teamCall(ctx context.Context, cl call, op string) (*Team, error) {
	var t Team
	cl.out = &t
	if _, err := c.do(ctx, cl); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if t.ID == "" {
		err := errors.New("the reply has no team id")
		if cl.method == http.MethodPost {
			err = fmt.Errorf("created, but the reply has no team id: %w", ErrOutcomeUnknown)
		}
		return nil, wrapf(err, "%s", op)
	}
	return &t, nil
}

// CreateTeamParams is the body of POST /v1/teams
// (https://developers.learnamp.com/#create-a-team). Of each pair (manager
// by id or email, parent by id or name, sub-teams by ids or names) at most
// one may be set.
type CreateTeamParams struct {
	Name string `json:"name"`
	// IntegrationExternalID is your system's id for the team, unique in the company.
	IntegrationExternalID string   `json:"integrationExternalId,omitempty"`
	ManagerID             string   `json:"managerId,omitempty"`
	ManagerEmail          string   `json:"managerEmail,omitempty"`
	SecondaryManagerIDs   []string `json:"secondaryManagerIds,omitempty"`
	ParentTeamID          string   `json:"parentTeamId,omitempty"`
	ParentTeamName        string   `json:"parentTeamName,omitempty"`
	SubTeamIDs            []string `json:"subTeamIds,omitempty"`
	SubTeamNames          []string `json:"subTeamNames,omitempty"`
	// Tags are sent as one comma-separated string.
	Tags []string `json:"tags,omitempty"`
}

// MarshalJSON writes the body as Learn Amp documents it: ids as numbers,
// tags as a comma-separated string.
func (p CreateTeamParams) MarshalJSON() ([]byte, error) {
	tags, err := joinTags(p.Tags)
	if err != nil {
		return nil, err
	}
	type plain CreateTeamParams
	return marshal(struct {
		plain
		ManagerID           id     `json:"managerId,omitempty"`
		SecondaryManagerIDs []id   `json:"secondaryManagerIds,omitempty"`
		ParentTeamID        id     `json:"parentTeamId,omitempty"`
		SubTeamIDs          []id   `json:"subTeamIds,omitempty"`
		Tags                string `json:"tags,omitempty"`
	}{plain(p), id(p.ManagerID), ids(p.SecondaryManagerIDs), id(p.ParentTeamID), ids(p.SubTeamIDs), tags})
}

func (p CreateTeamParams) validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("name is required")
	}
	for _, pair := range []struct {
		a, b       string
		aSet, bSet bool
	}{
		{"managerId", "managerEmail", p.ManagerID != "", p.ManagerEmail != ""},
		{"parentTeamId", "parentTeamName", p.ParentTeamID != "", p.ParentTeamName != ""},
		{"subTeamIds", "subTeamNames", len(p.SubTeamIDs) > 0, len(p.SubTeamNames) > 0},
	} {
		if pair.aSet && pair.bSet {
			return fmt.Errorf("%s and %s are mutually exclusive: set one", pair.a, pair.b)
		}
	}
	for _, one := range []struct{ kind, v string }{{"manager", p.ManagerID}, {"parent team", p.ParentTeamID}} {
		if one.v != "" {
			if err := checkID(one.kind, one.v); err != nil {
				return err
			}
		}
	}
	if err := checkIDs("secondary manager", p.SecondaryManagerIDs); err != nil {
		return err
	}
	if err := checkIDs("sub-team", p.SubTeamIDs); err != nil {
		return err
	}
	_, err := joinTags(p.Tags)
	return err
}

// CreateTeam creates a team and returns it as Learn Amp stored it. A taken
// integrationExternalId answers an error matching ErrInvalid.
func (c *Client) CreateTeam(ctx context.Context, p CreateTeamParams) (*Team, error) {
	op := fmt.Sprintf("create team %q", clip(p.Name))
	if err := p.validate(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	return c.teamCall(ctx, call{method: http.MethodPost, path: "teams", in: p}, op)
}

// UpdateTeamParams is the body of PUT /v1/teams/{id} and its
// by_external_id twin (https://developers.learnamp.com/#update-a-team).
// Name is always sent: Learn Amp's validation example answers "name is
// missing" on update. A nil field is left out and left unchanged.
type UpdateTeamParams struct {
	Name string `json:"name"`
	// IntegrationExternalID renames the team's external id; Ptr("") clears it.
	IntegrationExternalID *string `json:"integrationExternalId,omitempty"`
	ManagerID             *string `json:"managerId,omitempty"`
	ParentTeamID          *string `json:"parentTeamId,omitempty"`
	// Tags, when not nil, are sent as one comma-separated string.
	Tags []string `json:"tags,omitempty"`
}

// MarshalJSON writes the body as Learn Amp documents it.
func (p UpdateTeamParams) MarshalJSON() ([]byte, error) {
	type plain UpdateTeamParams
	w := struct {
		plain
		ManagerID    *id     `json:"managerId,omitempty"`
		ParentTeamID *id     `json:"parentTeamId,omitempty"`
		Tags         *string `json:"tags,omitempty"`
	}{plain: plain(p), ManagerID: (*id)(p.ManagerID), ParentTeamID: (*id)(p.ParentTeamID)}
	if p.Tags != nil {
		tags, err := joinTags(p.Tags)
		if err != nil {
			return nil, err
		}
		w.Tags = &tags
	}
	return marshal(w)
}

func (p UpdateTeamParams) validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("name is required")
	}
	for _, one := range []struct {
		kind string
		v    *string
	}{{"manager", p.ManagerID}, {"parent team", p.ParentTeamID}} {
		if one.v != nil {
			if err := checkID(one.kind, *one.v); err != nil {
				return err
			}
		}
	}
	_, err := joinTags(p.Tags)
	return err
}

// UpdateTeam changes the team with Learn Amp id id and returns it (simple form).
func (c *Client) UpdateTeam(ctx context.Context, id string, p UpdateTeamParams) (*Team, error) {
	if err := checkID("team", id); err != nil {
		return nil, wrapf(err, "update team")
	}
	return c.updateTeam(ctx, "teams/"+id, "update team "+id, p)
}

// UpdateTeamByExternalID changes the team whose integrationExternalId is ext.
func (c *Client) UpdateTeamByExternalID(ctx context.Context, ext string, p UpdateTeamParams) (*Team, error) {
	if err := checkExternalID("team", ext); err != nil {
		return nil, wrapf(err, "update team")
	}
	return c.updateTeam(ctx, teamByExt(ext), fmt.Sprintf("update team %q", clip(ext)), p)
}

func (c *Client) updateTeam(ctx context.Context, path, op string, p UpdateTeamParams) (*Team, error) {
	if err := p.validate(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	return c.teamCall(ctx, call{method: http.MethodPut, path: path, in: p}, op)
}

// DeleteTeam deletes the team with Learn Amp id id; its users stay, only
// their membership of it goes.
func (c *Client) DeleteTeam(ctx context.Context, id string) error {
	if err := checkID("team", id); err != nil {
		return wrapf(err, "delete team")
	}
	return c.deleteTeam(ctx, "teams/"+id, "delete team "+id)
}

// DeleteTeamByExternalID deletes the team whose integrationExternalId is ext.
func (c *Client) DeleteTeamByExternalID(ctx context.Context, ext string) error {
	if err := checkExternalID("team", ext); err != nil {
		return wrapf(err, "delete team")
	}
	return c.deleteTeam(ctx, teamByExt(ext), fmt.Sprintf("delete team %q", clip(ext)))
}

func (c *Client) deleteTeam(ctx context.Context, path, op string) error {
	if _, err := c.do(ctx, call{method: http.MethodDelete, path: path}); err != nil {
		return wrapf(err, "%s", op)
	}
	return nil
}

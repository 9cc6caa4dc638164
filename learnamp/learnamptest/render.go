package learnamptest

import (
	"encoding/json"
	"slices"

	"github.com/rostersync/rostersync/learnamp"
)

// The reply shapes, in the field order of the reference's examples
// (https://developers.learnamp.com/#users, #teams). Ids are JSON numbers.

type statusJSON struct {
	Status string `json:"status"`
	Time   string `json:"time"`
}

type shortUserJSON struct {
	ID                    json.Number `json:"id"`
	FirstName             string      `json:"firstName"`
	LastName              string      `json:"lastName"`
	JobTitle              string      `json:"jobTitle"`
	Email                 string      `json:"email"`
	TimeZone              string      `json:"timeZone"`
	Language              string      `json:"language"`
	Role                  string      `json:"role"`
	IntegrationExternalID *string     `json:"integrationExternalId"`
	HireDate              *string     `json:"hireDate"`
	ProfileURL            string      `json:"profileUrl"`
	Status                statusJSON  `json:"status"`
}

type userJSON struct {
	shortUserJSON
	OccupationRole *string        `json:"occupationRole"`
	Avatar         *string        `json:"avatar"`
	Manager        *shortUserJSON `json:"manager"`
	Location       *string        `json:"location"`
	Department     *string        `json:"department"`
	PrimaryTeam    *teamJSON      `json:"primaryTeam"`
	SecondaryTeams []teamJSON     `json:"secondaryTeams"`
}

// memberJSON is a user in a team's detail: the short form and its removal link.
type memberJSON struct {
	shortUserJSON
	Remove string `json:"removeFromTeamUrl"`
}

type teamJSON struct {
	ID                    json.Number     `json:"id"`
	Name                  string          `json:"name"`
	IntegrationExternalID *string         `json:"integrationExternalId"`
	TeamUsersCount        int             `json:"teamUsersCount"`
	APITeamPath           string          `json:"apiTeamPath"`
	APITeamUsersPath      string          `json:"apiTeamUsersPath"`
	ParentTeamID          *json.Number    `json:"parentTeamId"`
	Manager               *shortUserJSON  `json:"manager"`
	SecondaryManagers     []shortUserJSON `json:"secondaryManagers"`
}

type teamDetailJSON struct {
	teamJSON
	Users      []memberJSON `json:"users"`
	SubTeams   []teamJSON   `json:"subTeams"`
	ParentTeam *teamJSON    `json:"parentTeam"`
	Tags       []string     `json:"tags"`
}

type teamUsersJSON struct {
	teamJSON
	Users []userJSON `json:"users"`
}

type membershipJSON struct {
	ID     json.Number `json:"id"`
	TeamID json.Number `json:"teamId"`
	UserID json.Number `json:"userId"`
}

// statusText is the text Learn Amp shows for a status
// (https://learnamp.atlassian.net/wiki/spaces/KB/pages/201097707).
var statusText = map[learnamp.Status]string{
	learnamp.StatusNotInvited: "Not yet invited", learnamp.StatusInviteScheduled: "Invite scheduled",
	learnamp.StatusInvitePending: "Invite pending", learnamp.StatusConfirmed: "Confirmed",
	learnamp.StatusDeactivated: "Deactivated",
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (st *state) shortUser(u *userRec) shortUserJSON {
	var hire *string
	if !u.HireDate.IsZero() {
		hire = nullable(u.HireDate.String())
	}
	when := ""
	switch u.Status {
	case learnamp.StatusInvitePending:
		when = "Sent " + u.since.Format("2 Jan 06")
	case learnamp.StatusConfirmed, learnamp.StatusDeactivated:
		when = "On " + u.since.Format("2 Jan 06")
	}
	return shortUserJSON{
		ID: json.Number(u.ID), FirstName: u.FirstName, LastName: u.LastName, JobTitle: u.JobTitle,
		Email: u.Email, TimeZone: u.TimeZone, Language: u.Language, Role: u.Role,
		IntegrationExternalID: nullable(u.IntegrationExternalID), HireDate: hire,
		ProfileURL: "https://" + Subdomain + ".learnamp.com/en/users/" + u.ID,
		Status:     statusJSON{Status: statusText[u.Status], Time: when},
	}
}

func (st *state) shortUserOf(id string) *shortUserJSON {
	u := st.users[id]
	if u == nil {
		return nil
	}
	s := st.shortUser(u)
	return &s
}

// fullUser is the expanded user object of GET /v1/users/{id} and the writes.
func (st *state) fullUser(u *userRec) userJSON {
	out := userJSON{
		shortUserJSON: st.shortUser(u), OccupationRole: nullable(u.OccupationRole),
		Location: nullable(u.Location), Department: nullable(u.Department), SecondaryTeams: []teamJSON{},
	}
	if m := st.effectiveManager(u); m != nil {
		s := st.shortUser(m)
		out.Manager = &s
	}
	if t := st.teams[u.PrimaryTeamID]; t != nil {
		tj := st.team(t)
		out.PrimaryTeam = &tj
	}
	for _, tid := range u.view().SecondaryTeamIDs {
		out.SecondaryTeams = append(out.SecondaryTeams, st.team(st.teams[tid]))
	}
	return out
}

// team is the simple team object of lists and updates.
func (st *state) team(t *Team) teamJSON {
	out := teamJSON{
		ID: json.Number(t.ID), Name: t.Name, IntegrationExternalID: nullable(t.IntegrationExternalID),
		TeamUsersCount: len(st.members[t.ID]),
		APITeamPath:    "/v1/teams/" + t.ID + ".json", APITeamUsersPath: "/v1/teams/" + t.ID + "/users.json",
		Manager: st.shortUserOf(t.ManagerID), SecondaryManagers: []shortUserJSON{},
	}
	if t.ParentTeamID != "" {
		p := json.Number(t.ParentTeamID)
		out.ParentTeamID = &p
	}
	for _, id := range t.SecondaryManagerIDs {
		if m := st.shortUserOf(id); m != nil {
			out.SecondaryManagers = append(out.SecondaryManagers, *m)
		}
	}
	return out
}

// teamDetail is the extended team object of GET /v1/teams/{id} and create.
func (st *state) teamDetail(t *Team) teamDetailJSON {
	out := teamDetailJSON{teamJSON: st.team(t), Users: []memberJSON{}, SubTeams: []teamJSON{}, Tags: slices.Clone(t.Tags)}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	for _, u := range st.teamMembers(t.ID) {
		out.Users = append(out.Users, memberJSON{st.shortUser(u), "/v1/teams/" + t.ID + "/users/" + u.ID + ".json"})
	}
	for _, c := range st.subTeams(t.ID) {
		out.SubTeams = append(out.SubTeams, st.team(c))
	}
	if p := st.teams[t.ParentTeamID]; p != nil {
		pj := st.team(p)
		out.ParentTeam = &pj
	}
	return out
}

// teamMembers lists a team's users in id order.
func (st *state) teamMembers(teamID string) []*userRec {
	ids := make([]string, 0, len(st.members[teamID]))
	for uid := range st.members[teamID] {
		ids = append(ids, uid)
	}
	slices.SortFunc(ids, compareIDs)
	out := make([]*userRec, len(ids))
	for i, id := range ids {
		out[i] = st.users[id]
	}
	return out
}

func membership(id, teamID, userID string) membershipJSON {
	return membershipJSON{ID: json.Number(id), TeamID: json.Number(teamID), UserID: json.Number(userID)}
}

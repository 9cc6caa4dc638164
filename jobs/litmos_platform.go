package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
)

// LitmosContent says what the Litmos → platform job carries.
type LitmosContent string

// Content options of the Litmos → platform job.
const (
	// LitmosCourses carries the course catalogue only.
	LitmosCourses LitmosContent = "courses"
	// LitmosCoursesAndUsers carries courses, teams as groups, and users
	// with their memberships (the default).
	LitmosCoursesAndUsers LitmosContent = "courses-and-users"
)

// LitmosPlatformOptions are the Litmos → platform job's choices; the zero
// value is the seed integration's behaviour.
type LitmosPlatformOptions struct {
	// Content is what flows; default LitmosCoursesAndUsers.
	Content LitmosContent
	// TeamIDs are the chosen teams (ResolveLitmosTeams turns names into
	// them); nil: every team, new teams included from then on.
	TeamIDs []string
	// Map maps a Litmos user to a platform user; default the
	// "litmos-platform" preset. Whatever the map, "email" must come out a
	// valid address (ValidEmail) or the user is skipped, naming the field.
	Map *mapping.Map
	// OutOfScope says what happens to a platform user whose Litmos user
	// leaves every synced team or Litmos; default deactivate (never delete).
	OutOfScope syncengine.OutOfScopePolicy
	// Threshold caps deactivations per run; the zero value is
	// DefaultPlatformThreshold.
	Threshold syncengine.Threshold
	// Instance names the Litmos account, for the default state directory.
	Instance string
}

// DefaultPlatformThreshold stops a run that would deactivate more than 10
// platform users at once: a team unticked by mistake must not switch off
// its people. A reviewed plan goes through with Plan.AllowDeactivations.
var DefaultPlatformThreshold = syncengine.Threshold{MaxCount: 10}

// The platform-side field names the job writes and reads: the preset
// map's user targets, and these for groups and courses.
const (
	// PlatformID is the field that holds the Litmos id of a platform group,
	// user or course, and matches it to its Litmos record.
	PlatformID = "integration_id"
	// PlatformTeamID is the field of a platform group holding its team's id.
	PlatformTeamID = "litmos_team_id"
	// PlatformAutoSync is the field of a platform group that pauses it
	// when false (absent or nil: on).
	PlatformAutoSync = "auto_sync"
)

// LitmosPlatform is the Litmos → your-own-platform job, for any sink
// connector (the platform is code you write; examples/litmos-portal has
// one on SQLite). It carries, one way:
//
//   - Courses: every Litmos course, matched by its id in the platform's
//     "integration_id"; fields integration_id, name, code. Inactive
//     courses are not created, and a platform course is never deactivated.
//   - Teams, as groups (with LitmosCoursesAndUsers): one group per synced
//     team, named as the team, matched by the team id in "litmos_team_id";
//     fields name, litmos_team_id. A team renamed in Litmos renames its
//     group. The sink's Create takes a same-named group of the platform's
//     own over; groups that match no Litmos team are not the job's. A sink
//     pauses a group with its field auto_sync false: its team then stays
//     out of the run (unless chosen in TeamIDs), the group is left as it
//     is, and so are the memberships of the platform users in it.
//   - Users (with LitmosCoursesAndUsers): active users who belong to at
//     least one synced team and have a valid email, through the map,
//     matched by integration_id, with their "teams" refs (direct, active
//     memberships: a sub-team is a group of its own). The sink's "teams"
//     refs may name every group with a team id the user is in: those in
//     groups whose teams are not synced this run (paused, not chosen, gone
//     from Litmos) are kept as they are (Rules.KeepUnmanagedRefs). A user
//     who leaves every synced team, or Litmos, falls to the out-of-scope policy; one
//     deactivated in Litmos is deactivated; one the platform has in a
//     paused team stays (their fields kept up to date). Users the platform
//     has that never came from Litmos are never matched, so never touched.
//
// Reading costs the Litmos pages of 1,000 (users, teams, courses) plus,
// with users, one roster call per synced team (or one per active user
// when there are fewer), and two per paused team. The client it is given decides where calls go;
// the job makes none until a run. Add a Store or StateDir to the returned
// Config and hand it to syncengine.New.
func LitmosPlatform(lms *litmos.Client, sink syncengine.Connector, o LitmosPlatformOptions) (syncengine.Config, error) {
	if lms == nil || sink == nil {
		return syncengine.Config{}, errors.New("jobs: LitmosPlatform needs a Litmos client and a sink connector")
	}
	switch o.Content {
	case "":
		o.Content = LitmosCoursesAndUsers
	case LitmosCourses, LitmosCoursesAndUsers:
	default:
		return syncengine.Config{}, fmt.Errorf("jobs: LitmosPlatform: content %q (want %q or %q)", o.Content, LitmosCourses, LitmosCoursesAndUsers)
	}
	if o.TeamIDs != nil && len(o.TeamIDs) == 0 {
		return syncengine.Config{}, errors.New("jobs: LitmosPlatform: TeamIDs is empty (nil means every team)")
	}
	users, err := platformUserMap(o.Map)
	if err != nil {
		return syncengine.Config{}, err
	}
	if o.OutOfScope == "" {
		o.OutOfScope = syncengine.DeactivateOutOfScope
	}
	if o.Threshold == (syncengine.Threshold{}) {
		o.Threshold = DefaultPlatformThreshold
	}
	p := &paused{lms: lms, sink: sink, chosen: o.TeamIDs}
	src := litmos.NewConnector(lms, litmos.ConnectorOptions{
		TeamIDs: o.TeamIDs, Memberships: o.Content == LitmosCoursesAndUsers, ExcludeTeams: p.teams})
	cols := []syncengine.CollectionRules{{Collection: syncengine.Courses, AToB: syncengine.Rules{Map: courseMap,
		Match: []syncengine.MatchKey{{Field: PlatformID}}, Create: true, Update: true}}}
	if o.Content == LitmosCoursesAndUsers {
		cols = []syncengine.CollectionRules{{Collection: syncengine.Teams, AToB: syncengine.Rules{Map: groupMap,
			Match: []syncengine.MatchKey{{Field: PlatformTeamID}}, Create: true, Update: true}},
			cols[0],
			{Collection: syncengine.Users, AToB: syncengine.Rules{Map: users, Scope: p.inScope,
				Match:  []syncengine.MatchKey{{Field: PlatformID}},
				Create: true, Update: true, Deactivate: true, Reactivate: true, Refs: true, KeepUnmanagedRefs: true}}}
	}
	return syncengine.Config{
		A: src, B: sink, Instance: o.Instance, Direction: syncengine.AToB, Collections: cols,
		OutOfScope: o.OutOfScope, Threshold: o.Threshold, Words: platformWords,
		Columns: syncengine.Columns{AID: "litmos_id", Key: "key", BID: sink.Name() + "_id"},
	}, nil
}

var platformWords = syncengine.Words{
	syncengine.ReasonInactive:    "inactive in Litmos",
	syncengine.ReasonLeftScope:   "left the synced teams",
	syncengine.ReasonSourceGone:  "removed from Litmos",
	syncengine.ReasonOutOfScope:  "outside the synced teams",
	syncengine.ReasonReactivated: "active in a synced team again",
	syncengine.ReasonBlocked:     "left as it is (paused, not chosen, or inactive or gone in Litmos)",
}

// paused tells, for each run, which teams the sink has paused and which
// users it holds only through them.
type paused struct {
	lms    *litmos.Client
	sink   syncengine.Connector
	chosen []string
	held   atomic.Pointer[map[string]bool] // Litmos ids of platform users in a paused team
}

// teams is the Litmos connector's ExcludeTeams: the teams whose groups the
// sink has paused (auto_sync false), less the chosen ones. It reads the
// sink's groups, and, when some are paused, their rosters and the sink's
// users, so that a platform user in a paused team is left as they are
// rather than taken for one who left every synced team.
func (p *paused) teams(ctx context.Context) ([]string, error) {
	var ids []string
	for g, err := range p.sink.List(ctx, syncengine.Teams) {
		if err != nil {
			return nil, fmt.Errorf("read %s groups: %w", p.sink.Name(), err)
		}
		id, _ := g.Fields[PlatformTeamID].(string)
		if on, set := g.Fields[PlatformAutoSync].(bool); set && !on && id != "" && !slices.Contains(p.chosen, id) {
			ids = append(ids, id)
		}
	}
	held := map[string]bool{}
	if len(ids) > 0 {
		in := map[string]bool{}
		for _, team := range ids {
			for m, err := range p.lms.ListTeamMembers(ctx, team, litmos.ListParams{}) {
				if errors.Is(err, litmos.ErrNotFound) {
					break // the team is gone: no one is held by it
				}
				if err != nil {
					return nil, err
				}
				in[m.ID] = true
			}
		}
		for u, err := range p.sink.List(ctx, syncengine.Users) {
			if err != nil {
				return nil, fmt.Errorf("read %s users: %w", p.sink.Name(), err)
			}
			if id, _ := u.Fields[PlatformID].(string); in[id] {
				held[id] = true
			}
		}
	}
	p.held.Store(&held)
	return ids, nil
}

// inScope scopes users: active ones in a synced team, or held by a paused
// one; inactive ones flow too, so that a user deactivated in Litmos is
// deactivated (Litmos lists no memberships for them).
func (p *paused) inScope(r syncengine.Record) bool {
	if !r.Active || len(r.Refs[syncengine.RoleTeams]) > 0 {
		return true
	}
	held := p.held.Load()
	return held != nil && (*held)[r.ID]
}

// groupMap and courseMap are the job's fixed maps of teams and courses.
var groupMap, courseMap = mustCompile(mapping.Spec{Name: "litmos-platform-group", Rules: []mapping.Rule{
	{Target: PlatformTeamID, Source: "Id", Transforms: []mapping.Step{mapping.T("to-string"), mapping.T("trim")}, Required: true},
	{Target: "name", Source: "Name", Transforms: []mapping.Step{mapping.T("trim")}, Required: true},
}}), mustCompile(mapping.Spec{Name: "litmos-platform-course", Rules: []mapping.Rule{
	{Target: PlatformID, Source: "Id", Transforms: []mapping.Step{mapping.T("to-string"), mapping.T("trim")}, Required: true},
	{Target: "name", Source: "Name", Transforms: []mapping.Step{mapping.T("trim")}, Required: true},
	{Target: "code", Source: "Code", Transforms: []mapping.Step{mapping.T("trim")}},
}})

func mustCompile(s mapping.Spec) *mapping.Map {
	m, err := mapping.Compile(s)
	if err != nil {
		panic("jobs: " + err.Error()) // a fixed spec of this package: a bug, caught by every test
	}
	return m
}

// ErrUnknownTeam marks a chosen team that Litmos does not have.
var ErrUnknownTeam = errors.New("no such Litmos team")

// ResolveLitmosTeams returns the teams chosen by exact name (as Litmos
// shows it, case-sensitive) or id, in the order given, each once: one
// listing of the account's teams (a call per 1,000). A choice that matches
// no team fails with an error naming it, and the teams whose names contain
// it (the team picker's search), matching ErrUnknownTeam.
func ResolveLitmosTeams(ctx context.Context, lms *litmos.Client, namesOrIDs []string) ([]litmos.Team, error) {
	byName, byID := map[string]litmos.Team{}, map[string]litmos.Team{}
	for t, err := range lms.ListTeams(ctx, litmos.ListParams{}) {
		if err != nil {
			return nil, err
		}
		byName[t.Name], byID[t.ID] = t, t
	}
	var out []litmos.Team
	var unknown []string
	seen := map[string]bool{}
	for _, c := range namesOrIDs {
		t, ok := byName[c]
		if !ok {
			t, ok = byID[c]
		}
		switch {
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%q", c))
		case !seen[t.ID]:
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("jobs: %w named or with id %s (names are exact and case-sensitive)%s", ErrUnknownTeam,
			strings.Join(unknown, ", "), likeThem(ctx, lms, unknown))
	}
	return out, nil
}

// likeThem names up to five teams whose names contain each unknown choice
// (quoted), through the team picker's search: a search call each when the
// account has more than litmos.TeamPickerMax teams, one listing otherwise.
func likeThem(ctx context.Context, lms *litmos.Client, unknown []string) string {
	k := litmos.NewConnector(lms, litmos.ConnectorOptions{})
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

// ResolveLitmosTeamIDs is ResolveLitmosTeams returning the teams' ids,
// for LitmosPlatformOptions.TeamIDs.
func ResolveLitmosTeamIDs(ctx context.Context, lms *litmos.Client, namesOrIDs []string) ([]string, error) {
	teams, err := ResolveLitmosTeams(ctx, lms, namesOrIDs)
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = t.ID
	}
	return ids, err
}

// LitmosPlatformTask is the job's daily automatic sync, for a
// schedule.Scheduler: eng.Sync every 24 hours, the first a day after it
// is switched on. Give the Scheduler eng.Store() and eng.Pair().
func LitmosPlatformTask(eng *syncengine.Engine) schedule.Task {
	return schedule.Task{Name: "litmos-platform", Run: eng.Sync, Every: 24 * time.Hour}
}

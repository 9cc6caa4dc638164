package jobs

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/mapping"
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
	Content LitmosContent // what flows; default LitmosCoursesAndUsers
	// TeamIDs are the chosen teams (litmos.Client.ResolveTeamIDs turns
	// names into them); nil: every team, new teams included from then on.
	TeamIDs []string
	// Map maps a Litmos user to a platform user; default the "litmos-platform"
	// preset. A user whose "email" is not ValidEmail is skipped, naming it.
	Map *mapping.Map
	// OutOfScope is what happens to a platform user whose Litmos user
	// leaves every synced team or Litmos; default deactivate, never delete.
	OutOfScope syncengine.OutOfScopePolicy
	Threshold  syncengine.Threshold // deactivations per run; zero: DefaultPlatformThreshold
	Instance   string               // the Litmos account, for the default state directory
}

// DefaultPlatformThreshold stops a run that would deactivate more than 10
// platform users at once: a team unticked by mistake must not switch off
// its people. A reviewed plan goes through with Plan.AllowDeactivations.
var DefaultPlatformThreshold = syncengine.Threshold{MaxCount: 10}

// The platform-side fields the job matches and pauses by.
const (
	PlatformID       = "integration_id" // a platform group's, user's or course's Litmos id: its match key
	PlatformTeamID   = "litmos_team_id" // a platform group's team id
	PlatformAutoSync = "auto_sync"      // false pauses a group (absent or nil: on)
)

// LitmosPlatform is the Litmos → your-own-platform job, one way, for any
// sink connector (examples/litmos-portal has one on SQLite): courses, and
// with LitmosCoursesAndUsers a group per synced team and its active users
// with a valid email, with their memberships; the package doc has the
// details and the cost. Add a Store or StateDir to the returned Config and
// hand it to syncengine.New.
func LitmosPlatform(lms *litmos.Client, sink syncengine.Connector, o LitmosPlatformOptions) (syncengine.Config, error) {
	if lms == nil || sink == nil {
		return syncengine.Config{}, errors.New("jobs: LitmosPlatform needs a Litmos client and a sink connector")
	}
	if o.Content = cmp.Or(o.Content, LitmosCoursesAndUsers); o.Content != LitmosCourses && o.Content != LitmosCoursesAndUsers {
		return syncengine.Config{}, fmt.Errorf("jobs: LitmosPlatform: content %q (want %q or %q)", o.Content, LitmosCourses, LitmosCoursesAndUsers)
	}
	if o.TeamIDs != nil && len(o.TeamIDs) == 0 {
		return syncengine.Config{}, errors.New("jobs: LitmosPlatform: TeamIDs is empty (nil means every team)")
	}
	users, err := platformUserMap(o.Map)
	if err != nil {
		return syncengine.Config{}, err
	}
	groups, courses := mapping.MustPreset(mapping.PresetLitmosPlatformGroup), mapping.MustPreset(mapping.PresetLitmosPlatformCourse)
	withUsers := o.Content == LitmosCoursesAndUsers
	p := &paused{lms: lms, sink: sink, chosen: o.TeamIDs}
	cols := []syncengine.CollectionRules{{Collection: syncengine.Courses, AToB: syncengine.Upsert(courses, syncengine.MatchOn(PlatformID))}}
	if withUsers {
		u := syncengine.Mirror(users, syncengine.MatchOn(PlatformID))
		u.Scope, u.Refs, u.KeepUnmanagedRefs = p.inScope, true, true
		cols = []syncengine.CollectionRules{{Collection: syncengine.Teams, AToB: syncengine.Upsert(groups, syncengine.MatchOn(PlatformTeamID))},
			cols[0], {Collection: syncengine.Users, AToB: u}}
	}
	return syncengine.Config{
		A: litmos.NewConnector(lms, litmos.ConnectorOptions{TeamIDs: o.TeamIDs, Memberships: withUsers, ExcludeTeams: p.teams}),
		B: sink, Instance: o.Instance, Direction: syncengine.AToB, Collections: cols,
		OutOfScope: cmp.Or(o.OutOfScope, syncengine.DeactivateOutOfScope),
		Threshold:  cmp.Or(o.Threshold, DefaultPlatformThreshold),
		Words: syncengine.Words{
			syncengine.ReasonInactive:    "inactive in Litmos",
			syncengine.ReasonLeftScope:   "left the synced teams",
			syncengine.ReasonSourceGone:  "removed from Litmos",
			syncengine.ReasonOutOfScope:  "outside the synced teams",
			syncengine.ReasonReactivated: "active in a synced team again",
			syncengine.ReasonBlocked:     "left as it is (paused, not chosen, or inactive or gone in Litmos)",
		},
		Columns: syncengine.Columns{AID: "litmos_id", Key: "key", BID: sink.Name() + "_id"},
	}, nil
}

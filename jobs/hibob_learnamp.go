package jobs

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// HiBobLearnAmpOptions are the HiBob → Learn Amp job's choices; the zero
// value is the seed integration's behaviour.
type HiBobLearnAmpOptions struct {
	// Map maps an employee to a Learn Amp user; default the "hibob-learnamp"
	// preset. The one key its "teams" rule reads is where teams come from
	// (the hibob connector's TeamField): work.department.id in the preset,
	// a sub-department field's key, a custom list field's ".id".
	Map *mapping.Map
	// TeamsMap maps a team (fields "id" and "name") to a Learn Amp team;
	// default the "hibob-learnamp-teams" preset.
	TeamsMap *mapping.Map
	Invite   InvitePolicy // when Learn Amp invites new users; default InviteOnStartDate
	// Scope, when set, says which employees flow (hibob.ConnectorOptions.Scope);
	// default every employee, leavers and future starters included.
	Scope func(syncengine.Record) bool
	// OutOfScope is what happens to a Learn Amp user whose employee is
	// deleted from HiBob or leaves Scope; default deactivate, never delete.
	OutOfScope syncengine.OutOfScopePolicy
	Threshold  syncengine.Threshold // deactivations per run; zero: DefaultLearnAmpThreshold
	Instance   string               // the company, for the default state directory (a service user ID)
	Now        func() time.Time     // the active flag's and due times' clock; default time.Now
}

// DefaultLearnAmpThreshold stops a run that would deactivate more than 10
// Learn Amp users at once: a service user that loses sight of the company
// must not switch it off. A reviewed plan goes through with
// Plan.AllowDeactivations.
var DefaultLearnAmpThreshold = syncengine.Threshold{MaxCount: 10}

// HiBobLearnAmp is the HiBob → Learn Amp job, as Learn Amp's built-in HiBob
// integration does it: every HiBob employee becomes a Learn Amp user,
// matched by integrationExternalId (the HiBob ID), then by email, with
// their manager and a flat team per department; a leaver is deactivated
// the day after their last day (the engine keeps the date), and new users
// are invited as o.Invite says. Nothing is deleted, nothing written to
// HiBob; the package doc has the details. Add a Store or StateDir to the
// returned Config (or neither, for the default state directory) and hand
// it to syncengine.New.
func HiBobLearnAmp(hr *hibob.Client, lms *learnamp.Client, o HiBobLearnAmpOptions) (syncengine.Config, error) {
	if hr == nil || lms == nil {
		return syncengine.Config{}, errors.New("jobs: HiBobLearnAmp needs a HiBob and a Learn Amp client")
	}
	users, err := mapping.PresetOr(o.Map, mapping.PresetHiBobLearnAmp)
	teams, err2 := mapping.PresetOr(o.TeamsMap, mapping.PresetHiBobLearnAmpTeams)
	invite, err3 := ParseInvitePolicy(string(o.Invite))
	if err = errors.Join(err, err2, err3); err != nil {
		return syncengine.Config{}, fmt.Errorf("jobs: HiBobLearnAmp: %w", err)
	}
	teamField, err := hibobTeamField(users)
	if err != nil {
		return syncengine.Config{}, fmt.Errorf("jobs: HiBobLearnAmp: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	// The HiBob employee ID first: it survives an email change.
	u := syncengine.Mirror(users, syncengine.MatchOn("integrationExternalId"), syncengine.MatchFold("email"))
	u.KeyField, u.Refs = "email", true // the hibob_id column shows the first key
	// The termination date is the last day of work
	// (https://apidocs.hibob.com/docs/additional-employee-data).
	u.LeaveField, u.LeaveIsLastDay = hibob.FieldTerminationDate, true
	invite.apply(&u)
	return syncengine.Config{
		A:         hibob.NewConnector(hr, hibob.ConnectorOptions{Scope: o.Scope, Now: o.Now, TeamField: teamField}),
		B:         learnamp.NewConnector(lms, learnamp.ConnectorOptions{SendEmail: invite.sends()}),
		Instance:  o.Instance,
		Direction: syncengine.AToB,
		// Teams are flat: no Refs, so a child department's parent is not written.
		Collections: []syncengine.CollectionRules{
			{Collection: syncengine.Teams, AToB: syncengine.Upsert(teams, syncengine.MatchOn("integrationExternalId"))},
			{Collection: syncengine.Users, AToB: u}},
		OutOfScope: cmp.Or(o.OutOfScope, syncengine.DeactivateOutOfScope),
		Threshold:  cmp.Or(o.Threshold, DefaultLearnAmpThreshold),
		Now:        o.Now,
		Words: syncengine.Words{
			syncengine.ReasonInactive:    "left HiBob (terminated or inactive)",
			syncengine.ReasonLeftScope:   "out of the job's scope now",
			syncengine.ReasonSourceGone:  "deleted from HiBob (or hidden from the service user)",
			syncengine.ReasonOutOfScope:  "out of the job's scope",
			syncengine.ReasonReactivated: "employed in HiBob again",
			syncengine.ReasonNotStarted:  "starts later",
		},
		Columns: syncengine.Columns{AID: "hibob_id", Key: "email", BID: "learnamp_id"},
	}, nil
}

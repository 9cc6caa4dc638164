package jobs

import (
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
	// Map maps an employee (a hibob connector record) to a Learn Amp user;
	// default the "hibob-learnamp" preset. Its "teams" rule also says
	// where the teams come from: the key it reads is the hibob
	// connector's TeamField — work.department.id in the preset (a team
	// per department), a sub-department custom field's key for a team per
	// value it holds, a custom list field's ".id" for a team per item.
	Map *mapping.Map
	// TeamsMap maps a team record of the hibob connector (fields "id" and
	// "name") to a Learn Amp team; default: name → name, id →
	// integrationExternalId, both required.
	TeamsMap *mapping.Map
	// Invite says when Learn Amp invites new users; default
	// InviteOnStartDate.
	Invite InvitePolicy
	// Scope, when set, says which employees flow (hibob.ConnectorOptions.Scope);
	// default every employee, leavers and future starters included.
	Scope func(syncengine.Record) bool
	// OutOfScope says what happens to a Learn Amp user whose employee is
	// deleted from HiBob or leaves Scope; default deactivate (never delete).
	OutOfScope syncengine.OutOfScopePolicy
	// Threshold caps deactivations per run; the zero value is
	// DefaultLearnAmpThreshold.
	Threshold syncengine.Threshold
	// Instance names the company in the default state directory (a HiBob
	// service user ID, say); default none.
	Instance string
	// Now is the clock of the connector's active flag and the engine's
	// due times; default time.Now.
	Now func() time.Time
}

// DefaultLearnAmpThreshold stops a run that would deactivate more than 10
// Learn Amp users at once: a service user that loses sight of the company
// must not switch it off. A reviewed plan goes through with
// Plan.AllowDeactivations.
var DefaultLearnAmpThreshold = syncengine.Threshold{MaxCount: 10}

// HiBobLearnAmp is the HiBob → Learn Amp job, as Learn Amp's built-in HiBob
// integration does it: every HiBob employee, leavers included, becomes a
// Learn Amp user, matched by integrationExternalId (the HiBob employee ID)
// and then by email (case-insensitively), so an existing account is
// adopted, never duplicated. Names, email, job title (the title's name),
// site (location), department, start date (hire date) and manager
// (override manager) are kept up to date; Learn Amp has no display name,
// so reports show it. The manager is written by its Learn Amp id, which
// the link table gives once the manager is linked: managers are created
// before their reports, each create carrying its manager; a manager who
// already had an account is linked through the email match; a manager
// created later in the run, or in a cycle, is written in the references
// pass; one not in Learn Amp at all (a leaver never created) is reported,
// not written. Each HiBob department is one flat Learn Amp team
// (child departments by their own names, no hierarchy), matched by
// integrationExternalId (the department's list item ID), created once
// and set as its people's primary team.
//
// A leaver — a termination date in the past, or HiBob's lifecycle
// "terminated" — is deactivated, or never created. A future termination
// date leaves the user active: Learn Amp has no leave date, so the
// engine keeps the due time (the plan shows "deactivates on …", the day
// after the last day of work) and deactivates the user on the first run,
// SyncDue or queued event after it. New users are invited as Invite says
// (see InvitePolicy). Users and teams of Learn Amp with no HiBob
// counterpart are never touched; nothing is deleted, nothing is written to
// HiBob.
//
// Add a Store or StateDir to the returned Config (or leave both empty for
// the default state directory) and hand it to syncengine.New.
func HiBobLearnAmp(hr *hibob.Client, lms *learnamp.Client, o HiBobLearnAmpOptions) (syncengine.Config, error) {
	if hr == nil || lms == nil {
		return syncengine.Config{}, errors.New("jobs: HiBobLearnAmp needs a HiBob and a Learn Amp client")
	}
	if err := o.defaults(); err != nil {
		return syncengine.Config{}, fmt.Errorf("jobs: HiBobLearnAmp: %w", err)
	}
	teamField, err := hibobTeamField(o.Map)
	if err != nil {
		return syncengine.Config{}, fmt.Errorf("jobs: HiBobLearnAmp: %w", err)
	}
	users := syncengine.Rules{
		Map: o.Map,
		// The HiBob employee ID first: it survives an email change.
		Match:    []syncengine.MatchKey{{Field: "integrationExternalId"}, {Field: "email", Fold: true}},
		KeyField: "email", // the first key is the HiBob id, which the hibob_id column shows
		Create:   true, Update: true, Deactivate: true, Reactivate: true, Refs: true,
		// The termination date is the last day of work
		// (https://apidocs.hibob.com/docs/additional-employee-data).
		LeaveField: hibob.FieldTerminationDate, LeaveIsLastDay: true,
	}
	o.Invite.apply(&users)
	return syncengine.Config{
		A:         hibob.NewConnector(hr, hibob.ConnectorOptions{Scope: o.Scope, Now: o.Now, TeamField: teamField}),
		B:         learnamp.NewConnector(lms, learnamp.ConnectorOptions{SendEmail: o.Invite.sends()}),
		Instance:  o.Instance,
		Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{
			Collection: syncengine.Teams,
			// Flat: Refs off, so a child department's parent is not written.
			AToB: syncengine.Rules{Map: o.TeamsMap, Create: true, Update: true,
				Match: []syncengine.MatchKey{{Field: "integrationExternalId"}}},
		}, {
			Collection: syncengine.Users,
			AToB:       users,
		}},
		OutOfScope: o.OutOfScope,
		Threshold:  o.Threshold,
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

// defaults fills in the zero options.
func (o *HiBobLearnAmpOptions) defaults() error {
	if o.Map == nil {
		m, err := mapping.Preset(mapping.PresetHiBobLearnAmp)
		if err != nil {
			return err
		}
		o.Map = m
	}
	if o.TeamsMap == nil {
		m, err := learnAmpTeamsMap()
		if err != nil {
			return err
		}
		o.TeamsMap = m
	}
	if o.Invite == "" {
		o.Invite = InviteOnStartDate
	}
	if _, err := ParseInvitePolicy(string(o.Invite)); err != nil {
		return err
	}
	if o.OutOfScope == "" {
		o.OutOfScope = syncengine.DeactivateOutOfScope
	}
	if o.Threshold == (syncengine.Threshold{}) {
		o.Threshold = DefaultLearnAmpThreshold
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// learnAmpTeamsMap maps a HiBob team (a department) to a Learn Amp team.
func learnAmpTeamsMap() (*mapping.Map, error) {
	return mapping.Compile(mapping.Spec{
		Name:        "hibob-learnamp-teams",
		Description: "A HiBob team (a department, or a value of the users map's team field) to a flat Learn Amp team: its name, and its HiBob ID as integrationExternalId, the match key.",
		Rules: []mapping.Rule{
			{Target: "name", Source: "name", Transforms: []mapping.Step{mapping.T("trim")}, Required: true},
			{Target: "integrationExternalId", Source: "id", Transforms: []mapping.Step{mapping.T("to-string"), mapping.T("trim")}, Required: true},
		},
	})
}

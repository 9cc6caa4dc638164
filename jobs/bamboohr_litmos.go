package jobs

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// LitmosAccess is the BambooHR checkbox Litmos's own integration scopes
// on: only employees with it ticked get a learner.
const LitmosAccess = "Litmos Access"

// BambooHRLitmosOptions are the BambooHR → Litmos job's choices; the zero
// value is the seed integration's behaviour.
type BambooHRLitmosOptions struct {
	// AccessField is the checkbox that puts an employee in scope, by label,
	// alias or numeric id; default LitmosAccess.
	AccessField string
	// Map maps an employee to a learner; default the "bamboohr-litmos"
	// preset (work email → UserName and Email, names, phones, address, job
	// title, employee id → ExternalEmployeeId, AccessLevel Learner on create
	// only). The connector reads exactly the fields the map names.
	Map *mapping.Map
	// OutOfScope says what happens to a learner whose employee loses the
	// access checkbox or leaves BambooHR; default deactivate (never delete).
	OutOfScope syncengine.OutOfScopePolicy
	// Threshold caps deactivations per run; the zero value stops a run that
	// would deactivate more than 10 learners.
	Threshold syncengine.Threshold
	// SendEmail lets Litmos email new learners a welcome message; default none.
	SendEmail bool
	// SkipFirstLogin spares new learners the forced password set (SSO).
	SkipFirstLogin bool
}

// DefaultLitmosThreshold stops a run that would deactivate more than 10
// learners at once: a checkbox filter gone wrong must not switch off the
// company. A reviewed plan goes through with Plan.AllowDeactivations.
var DefaultLitmosThreshold = syncengine.Threshold{MaxCount: 10}

// BambooHRLitmos is the BambooHR → Litmos job, as Litmos's built-in
// integration does it: a learner for every employee whose "Litmos Access"
// box is ticked, matched by work email (the Litmos username, compared
// case-insensitively), kept up to date, deactivated (never deleted) when
// the employee is inactive, terminated or loses access, with the manager
// set once both are in Litmos. An employee without a work email fails
// alone, naming the field. Add a Store or StateDir to the returned Config
// (or leave both empty for the default state directory) and hand it to
// syncengine.New.
func BambooHRLitmos(hr *bamboohr.Client, lms *litmos.Client, o BambooHRLitmosOptions) (syncengine.Config, error) {
	if hr == nil || lms == nil {
		return syncengine.Config{}, errors.New("jobs: BambooHRLitmos needs a BambooHR and a Litmos client")
	}
	o.AccessField = cmp.Or(o.AccessField, LitmosAccess)
	m, err := mapping.PresetOr(o.Map, mapping.PresetBambooHRLitmos)
	if err != nil {
		return syncengine.Config{}, fmt.Errorf("jobs: BambooHRLitmos: %w", err)
	}
	// The work email is the username, matched case-insensitively.
	users := syncengine.Mirror(m, syncengine.MatchFold("UserName"))
	users.Refs = true
	return syncengine.Config{
		A:           bamboohr.NewConnector(hr, bamboohr.ConnectorOptions{AccessField: o.AccessField}),
		B:           litmos.NewConnector(lms, litmos.ConnectorOptions{SendEmail: o.SendEmail, SkipFirstLogin: o.SkipFirstLogin}),
		Instance:    hr.Subdomain(),
		Direction:   syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: users}},
		OutOfScope:  cmp.Or(o.OutOfScope, syncengine.DeactivateOutOfScope),
		Threshold:   cmp.Or(o.Threshold, DefaultLitmosThreshold),
		Words: syncengine.Words{
			syncengine.ReasonInactive:    "inactive or terminated in BambooHR",
			syncengine.ReasonLeftScope:   "no " + o.AccessField + " any more",
			syncengine.ReasonSourceGone:  "no " + o.AccessField + " any more (or removed from BambooHR)",
			syncengine.ReasonOutOfScope:  "no " + o.AccessField,
			syncengine.ReasonReactivated: "active in BambooHR with " + o.AccessField,
		},
		Columns: syncengine.Columns{AID: "employee_id", Key: "username", BID: "litmos_id"},
	}, nil
}

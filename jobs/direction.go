package jobs

import (
	"fmt"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// Direction is which way a job between an HR system (the Config's A side)
// and a learning platform (B) carries people, in the words of TalentHR's
// own integration; TalentHRTalentLMS takes one.
type Direction string

// The directions of an HR ⇔ learning platform job.
const (
	// HRToLMS: active employees get a learning platform user (created when
	// none matches, updated otherwise); terminated or deleted ones
	// deactivate theirs, and are never created.
	HRToLMS Direction = "hr-to-lms"
	// LMSToHR: active platform users missing from the HR system (by the
	// link, then the match keys) are hired; employees are updated from
	// their user.
	LMSToHR Direction = "lms-to-hr"
	// TwoWay: both, except that the platform never overwrites the HR
	// system: it only adds the employees the HR system lacks, and the
	// platform is updated from the HR system.
	TwoWay Direction = "two-way"
)

// Directions lists the directions.
func Directions() []Direction { return []Direction{HRToLMS, LMSToHR, TwoWay} }

// engine is the engine's direction for d, the HR system being A.
func (d Direction) engine() (syncengine.Direction, error) {
	switch d {
	case HRToLMS:
		return syncengine.AToB, nil
	case LMSToHR:
		return syncengine.BToA, nil
	case TwoWay:
		return syncengine.TwoWay, nil
	case "":
		return "", fmt.Errorf("no direction (want %q, %q or %q)", HRToLMS, LMSToHR, TwoWay)
	}
	return "", fmt.Errorf("direction %q (want %q, %q or %q)", d, HRToLMS, LMSToHR, TwoWay)
}

// outOfScope is d's out-of-scope policy: an employee who leaves the HR
// system deactivates their platform user; towards the HR system, the
// record of employment, a record gone from the platform is left as it is.
func (d Direction) outOfScope() syncengine.OutOfScopePolicy {
	if d == LMSToHR {
		return syncengine.IgnoreOutOfScope
	}
	return syncengine.DeactivateOutOfScope
}

// users is the users collection's rules for d, with the match keys on
// both sides: towards the platform (A to B) the HR system's people are
// mirrored; towards the HR system (B to A) the platform's users are hired,
// and updated one way only: in two-way every field of toHR is create-only
// (mapping.Map.OnlyOnCreate), so a value the platform holds differently
// is neither written nor reported on every run.
func (d Direction) users(toLMS, toHR *mapping.Map, match ...syncengine.MatchKey) (syncengine.CollectionRules, error) {
	if d == TwoWay {
		var err error
		if toHR, err = toHR.OnlyOnCreate(); err != nil {
			return syncengine.CollectionRules{}, err
		}
	}
	return syncengine.CollectionRules{Collection: syncengine.Users, AToB: syncengine.Mirror(toLMS, match...),
		BToA: syncengine.Rules{Map: toHR, Match: match, Create: true, Update: d == LMSToHR}}, nil
}

// words are d's reason words, naming the HR system hr and the platform
// lms; a pair overrides those its vendors word differently.
func (d Direction) words(hr, lms string) syncengine.Words {
	switch d {
	case LMSToHR:
		return syncengine.Words{
			syncengine.ReasonInactive:   "inactive in " + lms,
			syncengine.ReasonSourceGone: "no longer in " + lms,
			syncengine.ReasonOutOfScope: "not in the job's scope in " + lms,
			// The one difference the rules hold back: an active user
			// whose employee is terminated.
			syncengine.ReasonBlocked: "terminated in " + hr + ", active in " + lms,
		}
	case TwoWay:
		return syncengine.Words{
			syncengine.ReasonInactive:    "terminated in " + hr + ", or inactive in " + lms,
			syncengine.ReasonLeftScope:   "out of the job's scope",
			syncengine.ReasonSourceGone:  "removed from " + hr + ", or from " + lms,
			syncengine.ReasonReactivated: "employed again in " + hr,
			syncengine.ReasonBlocked:     lms + " never overwrites " + hr,
		}
	}
	return syncengine.Words{
		syncengine.ReasonInactive:    "terminated in " + hr,
		syncengine.ReasonLeftScope:   "out of the job's scope in " + hr,
		syncengine.ReasonSourceGone:  "removed from " + hr,
		syncengine.ReasonOutOfScope:  "not in the job's scope",
		syncengine.ReasonReactivated: "employed again in " + hr,
	}
}

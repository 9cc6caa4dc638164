package jobs

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talentlms"
)

// Direction is which way the TalentHR ⇔ TalentLMS job carries people, in
// the words of TalentHR's own integration.
type Direction string

// The job's directions.
const (
	// HRToLMS: active employees get a TalentLMS user (created when no user
	// has their email, updated otherwise); terminated or deleted ones
	// deactivate theirs, and are never created.
	HRToLMS Direction = "hr-to-lms"
	// LMSToHR: active TalentLMS users missing from TalentHR (by the link,
	// then the email) are hired; employees are updated from their user.
	LMSToHR Direction = "lms-to-hr"
	// TwoWay: both, except that TalentLMS never overwrites TalentHR: it
	// only adds the employees TalentHR lacks, and TalentLMS is updated
	// from TalentHR.
	TwoWay Direction = "two-way"
)

// Directions lists the job's directions.
func Directions() []Direction { return []Direction{HRToLMS, LMSToHR, TwoWay} }

// TalentHRTalentLMSOptions are the TalentHR ⇔ TalentLMS job's choices.
// Only Direction is required.
type TalentHRTalentLMSOptions struct {
	// Direction is HRToLMS, LMSToHR or TwoWay.
	Direction Direction
	// Branch limits the job to one TalentLMS branch, by name or id: only
	// its users flow, and new users join it. Empty: the whole portal.
	Branch string
	// Training keeps the courses and enrollments on the TalentHR side,
	// which TalentHR's public API cannot hold (see talenthr.Training).
	// With it the job syncs courses and training progress too: TalentLMS
	// progress lands there (its PutEnrollment is the place to act on it),
	// and enrollments kept there are created in TalentLMS. Nil: people only.
	Training talenthr.Training
	// HRToLMSMap and LMSToHRMap replace the presets "talenthr-talentlms"
	// and "talentlms-talenthr".
	HRToLMSMap, LMSToHRMap *mapping.Map
	// EmploymentStatus is what people hired from TalentLMS get (TalentHR
	// requires one); default "Full-Time".
	EmploymentStatus string
	// CreateMissingLookups lets a hire add a job title, department,
	// division or location TalentHR lacks; off, such a hire fails alone,
	// naming the value.
	CreateMissingLookups bool
	// Onboarding runs TalentHR's onboarding for people hired from
	// TalentLMS; off (the default) they are hired as existing staff.
	Onboarding bool
	// SendEmail lets TalentLMS and TalentHR email the people the job
	// creates (a welcome, an invitation); default: nobody is emailed.
	SendEmail bool
	// Sensitive names more fields whose values are never shown, in either
	// system's spelling ("custom_fields.salary", "salary"); the SSN and
	// the date of birth always are.
	Sensitive []string
	// ShowSensitive shows them in plans and reports (for a person allowed
	// to see them).
	ShowSensitive bool
	// Threshold caps deactivations per run; the zero value stops a run
	// that would deactivate more than 10 TalentLMS users.
	Threshold syncengine.Threshold
	// Now is the connectors' clock; nil: time.Now.
	Now func() time.Time
	// Logger receives the connectors' warnings; nil: none.
	Logger *slog.Logger
}

// The named custom fields of TalentHR's integration, carried only where
// the other side has a field of the same name and type: TalentLMS's
// custom fields by name, and the TalentHR fields the preset reads or
// writes for each.
var (
	hrToLMSSameSchema = []string{"custom_fields.hireDate", "custom_fields.dateOfBirth", "custom_fields.ssn",
		"custom_fields.city", "custom_fields.country", "custom_fields.jobTitle", "custom_fields.department",
		"custom_fields.location", "custom_fields.division"}
	// The hire date is not among them: TalentHR cannot hire without one,
	// so it falls back to the user's creation date where TalentLMS has no
	// hireDate date field.
	lmsToHRSameSchema = []string{"birth_date", "ssn", "city", "country", "job_title", "department", "location", "division"}
	hrToLMSSensitive  = []string{"custom_fields.ssn", "custom_fields.dateOfBirth"}
	lmsToHRSensitive  = []string{"ssn", "birth_date"}
)

// TalentHRTalentLMS is the TalentHR ⇔ TalentLMS job, as TalentHR's own
// integration does it, in the direction o names. People are matched by
// email (case-insensitively) after the link table; first name, last name
// and email always flow, and the named custom fields (hireDate,
// dateOfBirth, ssn, city, country, jobTitle, department, location,
// division) only where the other side has a field of the same name and
// type: the plan's Fields notes say which were carried and why not. The
// SSN and the date of birth are never shown in plans, reports or logs
// unless o.ShowSensitive.
//
// Towards TalentLMS: new users join o.Branch; the language is not sent
// (TalentHR has no interface language, and TalentLMS's edituser takes
// none). Towards TalentHR: hires get the hire date from hireDate when it
// is a date, else the user's creation date; the hire date, job title,
// department, location and division are set by the hire only (TalentHR
// has no call that changes them); the TalentLMS language is added to the
// employee's languages (hr_languages), never replacing one; TalentHR is
// never asked to terminate anyone (it has no such call).
//
// With o.Training, courses (matched by code, then name) and enrollments
// (by user and course) flow too: TalentLMS enrollments are kept on the
// TalentHR side, kept ones are created in TalentLMS (addusertocourse),
// never twice, and where both sides have progress the further one wins
// field by field (the higher percentage, a completion over none).
//
// Add a Store or StateDir to the returned Config and hand it to
// syncengine.New; TalentHRTalentLMSTasks schedules it.
func TalentHRTalentLMS(hr *talenthr.Client, lms *talentlms.Client, o TalentHRTalentLMSOptions) (syncengine.Config, error) {
	if hr == nil || lms == nil {
		return syncengine.Config{}, errors.New("jobs: TalentHRTalentLMS needs a TalentHR and a TalentLMS client")
	}
	dir, err := engineDirection(o.Direction)
	if err != nil {
		return syncengine.Config{}, err
	}
	if err := o.defaults(); err != nil {
		return syncengine.Config{}, err
	}
	hrConn := talenthr.NewConnector(hr, talenthr.ConnectorOptions{EmploymentStatus: o.EmploymentStatus,
		CreateMissingLookups: o.CreateMissingLookups, SendEmail: o.SendEmail, IsExisting: !o.Onboarding,
		Training: o.Training, Now: o.Now, Logger: o.Logger})
	lmsConn := talentlms.NewConnector(lms, talentlms.ConnectorOptions{Branch: o.Branch, SendEmail: o.SendEmail,
		Now: o.Now, Logger: o.Logger})
	var colls []syncengine.CollectionRules
	if o.Training != nil {
		colls = append(colls, courseRules())
	}
	colls = append(colls, o.userRules())
	if o.Training != nil {
		colls = append(colls, enrollmentRules())
	}
	return syncengine.Config{
		A: hrConn, B: lmsConn, Instance: lms.Domain(), Direction: dir, Collections: colls,
		// TalentHR is the record of people: where both sides changed a
		// field, TalentLMS gets TalentHR's value.
		Conflict:      syncengine.AWins,
		OutOfScope:    outOfScope(o.Direction),
		Threshold:     o.Threshold,
		ShowSensitive: o.ShowSensitive,
		Words:         words(o.Direction),
		Columns:       syncengine.Columns{AID: "talenthr_id", Key: "email", BID: "talentlms_id"},
	}, nil
}

// outOfScope: an employee who leaves TalentHR deactivates their
// TalentLMS user; towards TalentHR, which can neither terminate anyone
// nor holds training it would drop, a record gone from TalentLMS is left
// as it is.
func outOfScope(d Direction) syncengine.OutOfScopePolicy {
	if d == LMSToHR {
		return syncengine.IgnoreOutOfScope
	}
	return syncengine.DeactivateOutOfScope
}

func engineDirection(d Direction) (syncengine.Direction, error) {
	switch d {
	case HRToLMS:
		return syncengine.AToB, nil
	case LMSToHR:
		return syncengine.BToA, nil
	case TwoWay:
		return syncengine.TwoWay, nil
	case "":
		return "", fmt.Errorf("jobs: TalentHRTalentLMS: no direction (want %q, %q or %q)", HRToLMS, LMSToHR, TwoWay)
	}
	return "", fmt.Errorf("jobs: TalentHRTalentLMS: direction %q (want %q, %q or %q)", d, HRToLMS, LMSToHR, TwoWay)
}

func (o *TalentHRTalentLMSOptions) defaults() error {
	for _, p := range []struct {
		m    **mapping.Map
		name string
	}{{&o.HRToLMSMap, mapping.PresetTalentHRTalentLMS}, {&o.LMSToHRMap, mapping.PresetTalentLMSTalentHR}} {
		if *p.m != nil {
			continue
		}
		m, err := mapping.Preset(p.name)
		if err != nil {
			return fmt.Errorf("jobs: TalentHRTalentLMS: %w", err)
		}
		*p.m = m
	}
	if o.EmploymentStatus == "" {
		o.EmploymentStatus = "Full-Time"
	}
	if o.Threshold == (syncengine.Threshold{}) {
		o.Threshold = DefaultTalentLMSThreshold
	}
	if o.Direction == TwoWay {
		// TalentLMS only adds the employees TalentHR lacks: every field
		// it maps is written by the hire and never compared afterwards,
		// so a value TalentLMS holds differently is neither written nor
		// reported on every run.
		m, err := createOnly(o.LMSToHRMap)
		if err != nil {
			return fmt.Errorf("jobs: TalentHRTalentLMS: %w", err)
		}
		o.LMSToHRMap = m
	}
	return nil
}

// createOnly returns m with every rule applied only on create.
func createOnly(m *mapping.Map) (*mapping.Map, error) {
	spec := m.Spec()
	for i := range spec.Rules {
		spec.Rules[i].When = mapping.WhenCreate
	}
	return mapping.Compile(spec)
}

// DefaultTalentLMSThreshold stops a run that would deactivate more than
// 10 TalentLMS users at once. A reviewed plan goes through with
// Plan.AllowDeactivations.
var DefaultTalentLMSThreshold = syncengine.Threshold{MaxCount: 10}

// emailKey matches people by email, case-insensitively (the field has the
// same name on both sides).
var emailKey = []syncengine.MatchKey{{Field: "email", Fold: true}}

// userRules: HR to LMS creates, updates, deactivates and reactivates;
// LMS to HR hires and, one way only, updates.
func (o *TalentHRTalentLMSOptions) userRules() syncengine.CollectionRules {
	return syncengine.CollectionRules{
		Collection: syncengine.Users,
		AToB: syncengine.Rules{Map: o.HRToLMSMap, Match: emailKey,
			Create: true, Update: true, Deactivate: true, Reactivate: true,
			SameSchema: hrToLMSSameSchema, Sensitive: slices.Concat(o.Sensitive, hrToLMSSensitive)},
		BToA: syncengine.Rules{Map: o.LMSToHRMap, Match: emailKey,
			// Two-way: TalentLMS never overwrites TalentHR, it only adds
			// the employees TalentHR lacks.
			Create: true, Update: o.Direction == LMSToHR,
			SameSchema: lmsToHRSameSchema, Sensitive: slices.Concat(o.Sensitive, lmsToHRSensitive),
			Merge: map[string]syncengine.Merge{"hr_languages": MergeLanguages},
		},
	}
}

// courseRules match courses by code, then name. TalentLMS's courses are
// read-only through its API: only the TalentHR side (the Training store)
// gets new ones, and their new names.
func courseRules() syncengine.CollectionRules {
	match := []syncengine.MatchKey{{Field: "code", Fold: true}, {Field: "name", Fold: true}}
	return syncengine.CollectionRules{
		Collection: syncengine.Courses,
		AToB:       syncengine.Rules{Match: match},
		BToA:       syncengine.Rules{Match: match, Create: true, Update: true},
	}
}

// enrollmentRules match enrollments by user and course. Towards TalentLMS
// an enrollment is created (its progress is TalentLMS's own); towards
// TalentHR progress is kept, the further one winning field by field.
// Nobody is taken out of a course.
func enrollmentRules() syncengine.CollectionRules {
	match := []syncengine.MatchKey{{Refs: []string{syncengine.RoleUser, syncengine.RoleCourse}}}
	return syncengine.CollectionRules{
		Collection: syncengine.Enrollments,
		// Refs: the user and course are references, carried by the create.
		AToB: syncengine.Rules{Match: match, Create: true, Refs: true, Fields: []string{"role"}},
		BToA: syncengine.Rules{Match: match, Create: true, Update: true, Refs: true, Merge: map[string]syncengine.Merge{
			"completion_percentage": syncengine.MergeMax(),
			"completion_status":     syncengine.MergeRank(talenthr.NotAttempted, talenthr.Incomplete, talenthr.Completed),
			"completed_on":          syncengine.MergeMax(),
			"total_time_seconds":    syncengine.MergeMax(),
		}},
	}
}

// words name the reasons as the direction's people would.
func words(d Direction) syncengine.Words {
	switch d {
	case LMSToHR:
		return syncengine.Words{
			syncengine.ReasonInactive:   "inactive in TalentLMS",
			syncengine.ReasonSourceGone: "no longer in TalentLMS (or its branch)",
			syncengine.ReasonOutOfScope: "not in the TalentLMS branch",
			// The only difference the rules hold back: an active learner
			// whose employee is terminated.
			syncengine.ReasonBlocked: "terminated in TalentHR, active in TalentLMS: TalentHR has no rehire call",
		}
	case TwoWay:
		return syncengine.Words{
			syncengine.ReasonInactive:    "terminated in TalentHR, or inactive in TalentLMS",
			syncengine.ReasonLeftScope:   "out of the job's scope",
			syncengine.ReasonSourceGone:  "removed from TalentHR, or from TalentLMS",
			syncengine.ReasonReactivated: "employed again in TalentHR",
			syncengine.ReasonBlocked:     "TalentLMS never overwrites TalentHR",
		}
	}
	return syncengine.Words{
		syncengine.ReasonInactive:    "terminated in TalentHR",
		syncengine.ReasonLeftScope:   "out of the job's scope in TalentHR",
		syncengine.ReasonSourceGone:  "removed from TalentHR",
		syncengine.ReasonOutOfScope:  "not in the job's scope",
		syncengine.ReasonReactivated: "employed again in TalentHR",
	}
}

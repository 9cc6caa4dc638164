package jobs

import (
	"cmp"
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

// TalentHRTalentLMSOptions are the TalentHR ⇔ TalentLMS job's choices.
// Only Direction is required.
type TalentHRTalentLMSOptions struct {
	Direction Direction // HRToLMS, LMSToHR or TwoWay
	// Branch limits the job to one TalentLMS branch, by name or id: only
	// its users flow, and new users join it. Empty: the whole portal.
	Branch string
	// Training keeps courses and progress on the TalentHR side (see
	// talenthr.Training), and makes them flow; nil: people only.
	Training               talenthr.Training
	HRToLMSMap, LMSToHRMap *mapping.Map // nil: the "talenthr-talentlms" and "talentlms-talenthr" presets
	EmploymentStatus       string       // what hires from TalentLMS get (TalentHR needs one); default "Full-Time"
	// CreateMissingLookups lets a hire add a job title, department,
	// division or location TalentHR lacks; off, that hire fails alone.
	CreateMissingLookups bool
	Onboarding           bool // TalentHR's onboarding for hires; off: hired as existing staff
	SendEmail            bool // lets both systems email the people the job creates; off: nobody is
	// Sensitive names more fields never shown, in either side's spelling
	// ("custom_fields.salary", "salary"), besides the SSN and date of birth.
	Sensitive     []string
	ShowSensitive bool                 // shows them all in plans and reports
	Threshold     syncengine.Threshold // deactivations per run; zero: DefaultTalentLMSThreshold
	Now           func() time.Time     // the connectors' clock; nil: time.Now
	Logger        *slog.Logger         // the connectors' warnings; nil: none
}

// DefaultTalentLMSThreshold stops a run that would deactivate more than 10
// TalentLMS users at once; a reviewed plan goes through with Plan.AllowDeactivations.
var DefaultTalentLMSThreshold = syncengine.Threshold{MaxCount: 10}

// TalentHRTalentLMS is the TalentHR ⇔ TalentLMS job, as TalentHR's own
// integration does it, in the direction o names: people matched by email;
// names and email always, the named custom fields where both sides have
// them; with o.Training, courses and progress too (see the package doc).
// Add a Store or StateDir to the returned Config and hand it to
// syncengine.New; TalentHRTalentLMSTasks schedules it.
func TalentHRTalentLMS(hr *talenthr.Client, lms *talentlms.Client, o TalentHRTalentLMSOptions) (syncengine.Config, error) {
	if hr == nil || lms == nil {
		return syncengine.Config{}, errors.New("jobs: TalentHRTalentLMS needs a TalentHR and a TalentLMS client")
	}
	dir, err := o.Direction.engine()
	toLMS, err2 := mapping.PresetOr(o.HRToLMSMap, mapping.PresetTalentHRTalentLMS)
	toHR, err3 := mapping.PresetOr(o.LMSToHRMap, mapping.PresetTalentLMSTalentHR)
	users, err4 := o.Direction.users(toLMS, toHR, syncengine.MatchFold("email")) // the same name on both sides
	if err = errors.Join(err, err2, err3, err4); err != nil {
		return syncengine.Config{}, fmt.Errorf("jobs: TalentHRTalentLMS: %w", err)
	}
	users.BToA.Merge = map[string]syncengine.Merge{"hr_languages": MergeLanguages}
	// TalentHR's named custom fields, by each side's name (towards TalentHR the hire date has a fallback).
	users.AToB.SameSchema = []string{"custom_fields.hireDate", "custom_fields.dateOfBirth", "custom_fields.ssn",
		"custom_fields.city", "custom_fields.country", "custom_fields.jobTitle", "custom_fields.department",
		"custom_fields.location", "custom_fields.division"}
	users.BToA.SameSchema = []string{"birth_date", "ssn", "city", "country", "job_title", "department", "location", "division"}
	users.AToB.Sensitive = slices.Concat(o.Sensitive, []string{"custom_fields.ssn", "custom_fields.dateOfBirth"})
	users.BToA.Sensitive = slices.Concat(o.Sensitive, []string{"ssn", "birth_date"})
	words := o.Direction.words("TalentHR", "TalentLMS")
	if o.Direction == LMSToHR { // a branch's users only; TalentHR cannot rehire
		words[syncengine.ReasonSourceGone] = "no longer in TalentLMS (or its branch)"
		words[syncengine.ReasonOutOfScope] = "not in the TalentLMS branch"
		words[syncengine.ReasonBlocked] = "terminated in TalentHR, active in TalentLMS: TalentHR has no rehire call"
	}
	colls := []syncengine.CollectionRules{users}
	if o.Training != nil { // TalentLMS's courses are read-only in its API; nobody is taken out of a course
		course := []syncengine.MatchKey{syncengine.MatchFold("code"), syncengine.MatchFold("name")}
		progress := syncengine.Enroll()
		progress.Update, progress.Merge = true, talenthr.MergeProgress()
		colls = []syncengine.CollectionRules{
			{Collection: syncengine.Courses, AToB: syncengine.Rules{Match: course}, BToA: syncengine.Upsert(nil, course...)},
			users,
			{Collection: syncengine.Enrollments, AToB: syncengine.Enroll("role"), BToA: progress}}
	}
	return syncengine.Config{
		A: talenthr.NewConnector(hr, talenthr.ConnectorOptions{EmploymentStatus: cmp.Or(o.EmploymentStatus, "Full-Time"),
			CreateMissingLookups: o.CreateMissingLookups, SendEmail: o.SendEmail, IsExisting: !o.Onboarding,
			Training: o.Training, Now: o.Now, Logger: o.Logger}),
		B:        talentlms.NewConnector(lms, talentlms.ConnectorOptions{Branch: o.Branch, SendEmail: o.SendEmail, Now: o.Now, Logger: o.Logger}),
		Instance: lms.Domain(), Direction: dir, Collections: colls,
		Conflict:   syncengine.AWins, // TalentHR is the record of people
		OutOfScope: o.Direction.outOfScope(), Threshold: cmp.Or(o.Threshold, DefaultTalentLMSThreshold),
		ShowSensitive: o.ShowSensitive, Words: words,
		Columns: syncengine.Columns{AID: "talenthr_id", Key: "email", BID: "talentlms_id"},
	}, nil
}

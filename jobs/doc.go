// Package jobs holds the presets of the integrations rostersync replaces:
// one function per seed job, each returning the syncengine.Config that
// wires its two connectors, its field map, its match keys and its rules.
// A pair is configuration, so a preset is a few dozen lines; any HR system
// can feed any learning platform through the canonical-person maps of
// package mapping without a preset at all.
//
//	hr, _ := bamboohr.New("acme", apiKey)
//	lms, _ := litmos.New(litmosKey, "my-app")
//	cfg, err := jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{})
//	cfg.StateDir = "state" // or leave it empty for the default state directory
//	eng, err := syncengine.New(cfg)
//	defer eng.Close()
//	plan, err := eng.Plan(ctx)             // writes nothing; print it, review it
//	eng.Preview(plan).WriteText(os.Stdout) // the staged list, one line per employee
//	report, err := eng.Apply(ctx, plan)    // or plan.Select("1042") for chosen employees
//	report.WriteCSV(w)                     // created / updated / deactivated / failed, with reasons
//
// Litmos → a platform of your own (any sink connector: you write it),
// with remediation assignments back into Litmos and a daily schedule:
//
//	cfg, err := jobs.LitmosPlatform(lms, myPlatform, jobs.LitmosPlatformOptions{})
//	eng, err := syncengine.New(cfg)
//	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Notify: mail},
//		jobs.LitmosPlatformTask(eng))
//	go s.Run(ctx)
//	rem := &jobs.LitmosRemediation{Litmos: lms, Store: eng.Store(), Pair: eng.Pair(), Platform: myPlatform}
//	rem.Assign(ctx, platformUserID, []string{courseID}) // no email, never twice
//
// The TalentHR ⇔ TalentLMS job runs in the direction its options name,
// with courses and progress kept on the TalentHR side in a Training store
// (TalentHR's API has no training endpoint), and on a schedule:
//
//	cfg, err := jobs.TalentHRTalentLMS(thr, tlms, jobs.TalentHRTalentLMSOptions{
//		Direction: jobs.TwoWay, Branch: "Sales", Training: myTrainingStore})
//	eng, err := syncengine.New(cfg)
//	tasks, err := jobs.TalentHRTalentLMSTasks(eng, cfg, jobs.TalentHRTalentLMSSchedule{Poll: 5 * time.Minute})
//	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Notify: notify}, tasks...)
//	go s.Run(ctx)
//	s.Trigger(ctx, jobs.TalentLMSTask) // a manual sync, through the same path
//
// Webhooks go through the engine's durable queue:
//
//	q := eng.NewQueue(syncengine.QueueOptions{})
//	go q.Run(ctx)
//	verifier := &bamboohr.WebhookVerifier{PrivateKey: key}
//	http.Handle("/webhooks/bamboohr", verifier.Handler(bamboohr.Enqueue(q)))
//
// Example_embed (readme_example_test.go) runs this on the fakes.
//
// The jobs:
//
//   - BambooHRLitmos: employees with "Litmos Access" ticked become Litmos
//     learners, matched by work email (the username).
//   - HiBobLearnAmp: every HiBob employee becomes a Learn Amp user, matched
//     by integrationExternalId then email, with a flat team per department;
//     leavers are deactivated the day after their last day (the engine keeps
//     the date), and new users are invited as InvitePolicy says.
//   - TalentHRTalentLMS: TalentHR ⇔ TalentLMS in a Direction, matched by
//     email, with courses and progress when a Training store is given.
//   - LitmosPlatform: Litmos courses, teams as groups, and users with their
//     memberships, into a platform of your own (any sink connector).
//
// # How a preset is made
//
// A preset is one file, <source>_<sink>.go, under 100 lines: its Options
// type, the function returning the syncengine.Config, and its defaults
// (mapping.PresetOr for a map, cmp.Or for the rest). The parts any pair
// shares live where the next pair finds them: match keys and rules in
// syncengine (MatchOn, MatchFold, MatchEnrollment, Upsert, Mirror,
// Enroll), maps as mapping presets (mapping.Preset, MustPreset,
// Map.OnlyOnCreate), a vendor's helpers in its package
// (litmos.Client.ResolveTeams, talenthr.MergeProgress), and an HR ⇔
// learning platform job's directions in Direction (direction.go). A
// feature of one pair that is not its configuration has a file named
// after it: <source>_<sink>_<feature>.go (a schedule, remediation
// assignments, paused groups, a field's merge rule).
//
// # HiBob → Learn Amp
//
// Names, email, job title (the title's name), site (location), department,
// start date (hire date) and manager (override manager) are kept up to
// date; Learn Amp has no display name, so reports show it. An existing
// account is adopted through the email match, never duplicated. The
// manager is written by its Learn Amp id, which the link table gives once
// the manager is linked: managers are created before their reports, each
// create carrying its manager; a manager who already had an account is
// linked through the email match; a manager created later in the run, or
// in a cycle, is written in the references pass; one not in Learn Amp at
// all (a leaver never created) is reported, not written. Each HiBob
// department is one flat Learn Amp team (child departments by their own
// names, no hierarchy), matched by integrationExternalId (the department's
// list item ID), created once and set as its people's primary team.
//
// A leaver — a termination date in the past, or HiBob's lifecycle
// "terminated" — is deactivated, or never created. A future termination
// date leaves the user active: Learn Amp has no leave date, so the engine
// keeps the due time (the plan shows "deactivates on …", the day after the
// last day of work) and deactivates the user on the first run, SyncDue or
// queued event after it. New users are invited as
// HiBobLearnAmpOptions.Invite says (see InvitePolicy). Users and teams of
// Learn Amp with no HiBob counterpart are never touched.
//
// # TalentHR ⇔ TalentLMS
//
// People are matched by email (case-insensitively) after the link table;
// first name, last name and email always flow, and the named custom fields
// (hireDate, dateOfBirth, ssn, city, country, jobTitle, department,
// location, division) only where the other side has a field of the same
// name and type: the plan's Fields notes say which were carried and why
// not. The SSN and the date of birth are never shown in plans, reports or
// logs unless ShowSensitive.
//
// Towards TalentLMS: new users join the Branch; the language is not sent
// (TalentHR has no interface language, and TalentLMS's edituser takes
// none). Towards TalentHR: hires get the hire date from hireDate when it
// is a date, else the user's creation date; the hire date, job title,
// department, location and division are set by the hire only (TalentHR has
// no call that changes them); the TalentLMS language is added to the
// employee's languages (hr_languages, MergeLanguages), never replacing
// one; TalentHR is never asked to terminate anyone (it has no such call).
// Where both sides changed a field, TalentLMS gets TalentHR's value.
//
// With a Training store, courses (matched by code, then name) and
// enrollments (by user and course) flow too: TalentLMS's courses are
// read-only through its API, so only the TalentHR side gets new ones;
// TalentLMS enrollments are kept on the TalentHR side, kept ones are
// created in TalentLMS (addusertocourse), never twice, and where both
// sides have progress the further one wins field by field
// (talenthr.MergeProgress: the higher percentage, a completion over none).
// Nobody is taken out of a course.
//
// # Litmos → your platform
//
// LitmosPlatform carries, one way:
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
//     who leaves every synced team, or Litmos, falls to the out-of-scope
//     policy; one deactivated in Litmos is deactivated; one the platform
//     has in a paused team stays (their fields kept up to date). Users the
//     platform has that never came from Litmos are never matched, so never
//     touched.
//
// Reading costs the Litmos pages of 1,000 (users, teams, courses) plus,
// with users, one roster call per synced team (or one per active user
// when there are fewer), and two per paused team. The client it is given
// decides where calls go; the job makes none until a run.
//
// The HiBob → Learn Amp job, with its webhooks and due times:
//
//	hr, _ := hibob.New(serviceUserID, token)
//	lms, _ := learnamp.New(clientID, clientSecret, learnamp.WithBaseURL("https://api.learnamp.com"))
//	cfg, err := jobs.HiBobLearnAmp(hr, lms, jobs.HiBobLearnAmpOptions{Invite: jobs.InviteOnStartDate})
//	eng, err := syncengine.New(cfg)
//	q := eng.NewQueue(syncengine.QueueOptions{})
//	go q.Run(ctx) // HiBob's deliveries, and the due times: leave and start dates
//	http.Handle("/webhooks/hibob", (&hibob.WebhookVerifier{Secret: hibob.Secret(secret)}).Handler(hibob.Enqueue(q)))
package jobs

// Package bamboohrlitmos is the BambooHR → Litmos job: it keeps a Litmos
// learner for every BambooHR employee whose "Litmos Access" checkbox is
// ticked, the way Litmos's built-in BambooHR integration does, as a library
// you can run from a command, a scheduler or your own webhook receiver.
//
//	job, err := bamboohrlitmos.New(bamboohrlitmos.Config{
//		BambooHR: hr,      // bamboohr.New("acme", apiKey)
//		Litmos:   lms,     // litmos.New(litmosKey, "my-app")
//		StateDir: "state", // the file store: links, run history, a lock
//	})
//	plan, err := job.Plan(ctx)        // writes nothing; print it, review it
//	report, err := job.Apply(ctx, plan) // or job.Apply(ctx, plan, "1042") for one employee
//	err = report.WriteCSV(w)          // one row per employee
//
// or job.Sync(ctx) in one call, and job.WebhookHandler for BambooHR's
// webhooks.
//
// # Rules
//
//   - Scope: only employees with the access checkbox ticked
//     (Config.AccessField, by label or alias, default "Litmos Access").
//     Webhook-driven runs (SyncEmployees) read each employee afresh and
//     apply the same scope.
//   - Matching: the work email, trimmed and lower-cased, is the Litmos
//     username; an existing learner with that username (in any case) is
//     adopted, never duplicated. Links are kept in the Store, so a changed
//     work email renames the learner.
//   - Fields: the "bamboohr-litmos" mapping preset (names, work email,
//     phones, address, job title, employee id as ExternalEmployeeId,
//     AccessLevel Learner), and the manager (supervisor) once both are in
//     Litmos. An employee without a valid work email fails alone, with a
//     reason naming workEmail; the others go on.
//   - Inactive or terminated employees: their learner is deactivated
//     (never deleted); one who was never synced is skipped. Rehired or
//     reactivated employees get their learner reactivated.
//   - Losing Litmos Access: by default (Config.OutOfScope) the learner is
//     deactivated too; syncengine.IgnoreOutOfScope leaves it alone.
//   - Safety: a run that would deactivate more learners than
//     Config.Threshold allows (default 10) deactivates none and returns an
//     error wrapping syncengine.ErrThresholdExceeded; the plan says what it
//     held back. Creating a learner sends no email unless
//     Config.SendWelcome is set.
//   - Faults: every write commits its link at once, and a create whose
//     answer was lost is resolved by looking the username up before
//     trying again, so an interrupted run resumes with no duplicate and
//     nothing lost. Litmos's limit of 100 requests a minute is respected by
//     the client; a first sync of N employees costs about N+N/1000 calls
//     (more with managers), so plan for N/100 minutes.
//
// # Reports
//
// Apply, Sync and SyncEmployees return a Report: one Row per employee with
// the BambooHR id, name, Litmos username and id, the action (created,
// updated, deactivated, reactivated, skipped, failed), the Litmos fields
// written and the reason. Preview turns a plan into the same rows: the
// staged employee list to review before importing.
//
// Tests can run the job on the fakes in bamboohr/bamboohrtest and
// litmos/litmostest, as the examples here do.
package bamboohrlitmos

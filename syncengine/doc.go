// Package syncengine reconciles the records of two systems: an HR system
// and a learning platform, or any two connectors.
//
// It works the way HR-driven provisioning services do: read each side's
// scoped snapshot, match records (the link table first, then match keys in
// precedence order), evaluate what differs, and act. The plan is a value
// (print it, save it as JSON, compare it with go-cmp) that can be applied
// exactly as reviewed, or in part:
//
//	eng, err := syncengine.New(syncengine.Config{
//		A: hr, B: lms, Store: store, Direction: syncengine.AToB,
//		Collections: []syncengine.CollectionRules{{
//			Collection: syncengine.Users,
//			AToB: syncengine.Rules{Map: fieldMap, Create: true, Update: true, Deactivate: true,
//				Match: []syncengine.MatchKey{{Field: "email", Fold: true}}},
//		}},
//		Threshold: syncengine.Threshold{MaxCount: 20, MaxPercent: 5},
//	})
//	plan, err := eng.Plan(ctx)      // writes nothing
//	fmt.Print(plan)                 // + create, ~ update, - deactivate, summary line
//	report, err := eng.Apply(ctx, plan.Only("1042", "1043")) // import selected employees
//
// or in one call, eng.Sync(ctx); webhooks use eng.SyncIDs, schedulers
// eng.SyncChanges. A pair preset writes the usual rules in a word each:
// Upsert (teams, courses), Mirror (people), Enroll (enrollments), with
// the match keys MatchOn, MatchFold and MatchEnrollment.
//
// Safety: every successful write commits its link (and the values last
// synced) at once, so a run stopped at any point resumes with no
// duplicate; a create whose outcome is unknown (ErrOutcomeUnknown, a
// timeout) is resolved by looking the record up by its match key before
// any retry (where a look-up reads the whole target, a ManyFinder or a
// connector without Finder, the look-ups of a level of creates are made
// in one read after the level); one record's failure never stops the others; a run that
// would deactivate more than Config.Threshold allows deactivates nothing;
// the store's lock keeps two processes off the same pair.
//
// A FieldMap that implements FieldMapValues (mapping.Map does when every
// target is a top-level field) maps each linked record of a one-way pair
// into reused slices, compared with the target field by field: the plan is
// the one Apply gives, at less cost. The engine uses ApplyTo and
// ApplyValues only on a FieldMap that owns them (FastPathOwner): a type
// that embeds *mapping.Map and overrides Apply is mapped with its Apply,
// unless it overrides all three and says so with its own OwnsFastPaths.
//
// A FieldMap that implements CreateOnlyMap (mapping.Map does, for rules
// with "when": "create") has targets written only when the target record
// is created: updates neither compare nor write them, so a value the
// target's admins change later (a learner promoted to team leader) stays.
// Likewise a create-only target that fails to map (an error implementing
// FieldTargetError, as *mapping.FieldError does) stops only creates: an
// update of a linked or matched record goes ahead without it. A record
// skipped for a map error (ReasonMissingField) lists the targets of those
// errors in Change.Failures and Outcome.Failures, with their sources when
// the errors implement FieldSourceError, so reports need not parse error text.
//
// Duplicates are never created silently: records planned for create that
// share a value of any match key, with each other or with the new value of
// an already linked record, are reported as conflicts and none is created.
//
// A deactivation says why (Change.Reason): the source is inactive
// (ReasonInactive), was read and left the scope (ReasonLeftScope), or is
// gone from the source's snapshot (ReasonSourceGone).
//
// Two-way sync keeps the last synced value of every field in the link: a
// field changed on one side flows to the other; a field changed on both
// is a conflict, settled by Config.Conflict and always reported.
//
// References (a manager, team memberships) translate ids through the link
// table. A collection's writes to existing records go first, while the
// plan's reads are fresh (a pair matched in the run before the writes
// naming it), then its creates, then the writes naming a record just
// created. Where the connector allows it (CanCreateRefs, a RecordWriter),
// records are created and written in reference order, each carrying its
// references in the same call: a manager is created before the people who
// report to them. What that order cannot carry (a cycle of managers, a
// connector without those capabilities) is written in a second pass, once
// the records it points to exist. Collections run in the order configured
// (teams, users), and enrollments after the references. Config.OnPhase
// announces each pass and Config.OnProgress counts the steps of all of
// them.
package syncengine

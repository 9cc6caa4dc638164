// Package runner is the command-line runner every rostersync example
// shares, so an example's own code is its pair's wiring and its fake
// company. An example fills a Program and hands it to Main:
//
//	func main() {
//		runner.Main(&runner.Program{
//			Name: "bamboohr-litmos", Source: "BambooHR", Target: "Litmos",
//			Nouns:   runner.Nouns{Source: "employee", Target: "learner", Refs: "manager"},
//			Preset:  mapping.PresetBambooHRLitmos,
//			Vars:    vars,    // the real accounts' environment
//			Webhook: webhook, // the source's receiver, for -serve and the tour
//			Real:    realPair,
//			Fakes:   fakes,   // in-process fakes seeded with a company, and the tour
//		})
//	}
//
// Tests call Run with arguments, an environment and writers of their own.
//
// The runner owns what every example does the same way:
//
//   - Flags: -apply, -allow-deactivations, -only IDS, -state DIR,
//     -report PATH|-, -plan-out FILE, -plan FILE, -json,
//     -detailed-exitcode, -print-map, -map FILE, -serve ADDR, -v,
//     -state-repair, -fake-leavers N, the program's own flags
//     (Program.Flags: -invite) and its fake-only flags (-employees N).
//     Flags that contradict each other or would do nothing are refused.
//   - Real accounts or fakes: with none of the program's required
//     variables set the run uses its fakes; with some, a usage error names
//     the missing ones; an optional variable set alone is refused.
//   - The plan: the staged list (Engine.Preview), its summary line, or
//     "No changes." with what only a fix in the source can solve; -v adds
//     the engine's field-by-field plan and failures' full errors.
//   - Writes: a plan run writes nothing; -apply writes the plan; -serve
//     writes each webhook delivery's changes, without -apply. The report's
//     file is created before the first write.
//   - Damaged state: the file store's refusal (syncengine.ErrStateCorrupt,
//     naming the file) ends the run before any write and says to run
//     -state-repair, which shows what syncengine.RepairFileStore would do
//     and, with -apply, moves the pair's files aside so that the next run
//     links records again by matching.
//   - Progress on stderr during long applies: a bar on a terminal, a line
//     at every tenth otherwise.
//   - Optional features a Program turns on: named directions
//     (Program.Directions: -direction NAME, required, each with its own
//     systems, nouns and preset), -show-sensitive (Program.Sensitive:
//     syncengine.Config.ShowSensitive) and the automatic sync
//     (Program.Watch: -watch runs a schedule until interrupted, printing
//     each run, with -poll DURATION), and modes (Program.Modes: a flag
//     that runs something other than a sync, such as litmos-portal's
//     -test-connection and -assign, with the flags it takes checked and
//     the pair built only when the mode asks for it).
//   - Fake companies: CSVRows, FixtureDate, EmployeesFlag and LeaveLast
//     read and size them; OptionIf and InstanceName build real clients.
//   - Exit statuses: ExitOK, ExitError, ExitUsage, ExitPending.
package runner

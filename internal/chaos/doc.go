// Package chaos is the chaos suite of rostersync: every job the SDK ships
// (BambooHR → Litmos, HiBob → Learn Amp, TalentHR ⇔ TalentLMS in its
// three directions, Litmos → a platform of your own) runs on the vendors'
// fakes with 20% of the requests on both sides failing (5xx, 429 with
// Retry-After, connection resets, timeouts, and writes applied whose
// reply is lost), and is killed with SIGKILL at a random point. At most
// two more runs, faults still on, must reach the state a clean run
// reaches: nothing lost, no duplicate, and a third plan with no change.
//
// The package holds the random fault set ([Faults]); the suite is its
// test, TestChaos, run by `go test ./...` at 200 employees per pair. At
// 10,000 employees:
//
//	go test ./internal/chaos -run TestChaos -chaos.n=10000 -timeout 60m -v
//
// Other flags: -chaos.seed (the random source; each pair derives its
// own from it), -chaos.rate (default 0.2) and -chaos.timeout (how long
// the clients wait for a reply; a timeout fault holds a request longer).
package chaos

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
//	go test ./internal/chaos -run TestChaos -chaos.n=10000 -timeout 90m -v
//
// Other flags: -chaos.seed (the random source; each pair derives its
// own from it), -chaos.rate (default 0.2) and -chaos.timeout (how long
// the clients wait for a reply, default 500ms, 1s above 1,000 employees;
// a timeout fault holds a request until the client gives up, so each
// costs that long).
//
// The suite found that a 500 on a read ended a run (one among a
// listing's thousands made convergence impossible): the HTTP core now
// retries 500 like 502, 503 and 504 on idempotent requests.
package chaos

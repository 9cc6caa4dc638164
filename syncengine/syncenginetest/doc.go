// Package syncenginetest helps test code built on syncengine.
//
// It offers three things:
//
//   - Connector, an in-memory syncengine.Connector serving users, teams and
//     enrollments with every capability (list, get, create, update,
//     set-active, changes since a cursor, find by field, write references),
//     with seed and inspection helpers, a call log, a scope filter, a
//     capability mask and fault injection (plain errors, unknown outcomes
//     with and without the write applied, timeouts after the write,
//     cancellation after the k-th write, and a seeded random fault mode).
//
//   - RunConnectorTests, a conformance suite a custom connector runs
//     against itself to check the contract the engine relies on.
//
//   - RunStoreTests, the same for a syncengine.Store: the memory, file and
//     PostgreSQL (syncengine/pgstore) stores run it, and so must any other;
//     and RunStoreBenchmarks, which measures a store where a run spends
//     its time (a link commit, the plan-time load of every link, a plan).
//
// A typical engine test seeds two connectors and inspects the sink:
//
//	hr := syncenginetest.NewConnector("hr")
//	hr.Put(syncengine.Users, syncengine.Record{ID: "e1", Active: true,
//		Fields: map[string]any{"email": "ana@example.com"}})
//	lms := syncenginetest.NewConnector("lms",
//		syncenginetest.WithFindFold("email"))
//	// ... run the engine ...
//	users := lms.Records(syncengine.Users)
//	writes := lms.Writes()
//
// A custom connector checks itself with:
//
//	func TestConformance(t *testing.T) {
//		syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
//			return newConnectorOnFakeServer(t)
//		}, syncenginetest.ConformanceOptions{NewRecord: myRecord})
//	}
//
// A store checks itself with:
//
//	func TestStoreContract(t *testing.T) {
//		syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
//			New:    func(t *testing.T) syncengine.Store { return newStore(t) },
//			Reopen: func(t *testing.T, s syncengine.Store) syncengine.Store { return reopen(t, s) },
//		})
//	}
package syncenginetest

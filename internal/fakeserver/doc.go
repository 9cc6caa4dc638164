// Package fakeserver is the kit the vendor fakes (bamboohrtest, litmostest and
// their siblings) are built on: an [httptest.Server] on 127.0.0.1 with a request
// log, rate-limit emulation, fault injection and reply helpers.
//
// A vendor fake is an http.Handler that serves the vendor's documented API from
// memory; [New] puts the kit's middleware in front of it, in this order:
//
//	request log → rate-limit emulation → fault rules → handler
//
// So every request is logged (with the status the client actually got), a
// rate-limited request never reaches the fault rules or the handler, and a fault
// that replies or drops the connection keeps the handler from running, except
// [Fault.ApplyThenDrop], which runs it and then loses the reply.
//
// A fake usually embeds *Server so its users get the controls directly:
//
//	type Server struct {
//		*fakeserver.Server
//		mu    sync.Mutex
//		users map[string]User
//	}
//
//	func NewServer(tb testing.TB) *Server {
//		s := &Server{users: map[string]User{}}
//		mux := http.NewServeMux()
//		mux.HandleFunc("GET /v1/users/{id}", s.getUser)
//		s.Server = fakeserver.New(tb, mux)
//		return s
//	}
//
// Tests then script failures without sleeping:
//
//	srv.AddFault(fakeserver.Fault{Method: "POST", Path: "/v1/users", Times: 1, ApplyThenDrop: true})
//	srv.SetRateLimit(fakeserver.RateLimit{Requests: 100, Per: time.Minute, Status: 503})
//	srv.SetClock(clock.Now) // move time by hand to reset the window
//
// Users outside this module cannot import an internal package, so a vendor fake
// re-exports the kit's types with aliases (type Fault = fakeserver.Fault, and
// likewise RateLimit, Entry, RequestLog, and var IsWrite = fakeserver.IsWrite);
// the controls then reach users through the embedded *Server.
//
// The kit is for tests and examples only; it keeps everything it sees,
// credentials included, in memory.
package fakeserver

// Package litmos is a typed client for the SAP Litmos REST API (v1.svc)
// and a syncengine connector for it.
//
// A Client sends the API key in the apikey header, the required source
// parameter and format=json on every call, paces itself to Litmos's 100
// requests a minute per key, and treats 503 and 429 as rate limiting:
//
//	c, err := litmos.New(os.Getenv("LITMOS_API_KEY"), "my-app", litmos.WithRegion(litmos.EU))
//	for u, err := range c.ListUsers(ctx, litmos.ListUsersParams{}) { ... }
//
// What the client handles so callers need not:
//   - Dates come as "/Date(ms±hhmm)/" or ISO 8601 (with or without a zone,
//     "" or null); Time reads them all and writes each back as it came.
//   - Numbers may come as strings and booleans as "true"; fields Litmos
//     spells two ways (Complete/Completed, DateCompleted/CompletedDate) are
//     both read; fields a type does not name are kept in Extra.
//   - A user update PUTs the whole object, since a partial PUT may clear
//     what it omits: UpdateUser reads it first, UpdateUserFrom writes one
//     the caller already read (from ListUserDetails, say) in one call. A
//     user keeps what it was read as (Snapshot), so fields the caller did
//     not change go back exactly as Litmos sent them: a null stays null.
//   - Pages are decoded in one pass, on the order of encoding/json's
//     speed, keeping the tolerance above.
//   - Many users are created or updated in a few asynchronous bulk import
//     jobs (ImportUsers: split under the 2000 KB limit, polled, refused
//     rows reported; ErrBulkRefused says when to fall back to per-record calls).
//   - Search is fuzzy; FindUserByUsername matches exactly.
//   - Course assignment emails learners by default in Litmos; this client
//     sends sendmessage=false unless asked.
//   - Errors are *APIError values that match ErrNotFound, ErrConflict,
//     ErrRateLimited and the other sentinels with errors.Is; the API key
//     never appears in an error or a log line, nor does the source.
//
// Public documentation: https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API
// and https://www.litmos.com/docs/litmos/apis/bulk-import-users-with-api.
//
// Before saving credentials, a setup screen calls TestConnection: it tells
// a refused key, a refused source and an account without teams apart.
//
// Package litmostest serves a strict in-memory fake of the API for tests;
// Connector adapts a Client to syncengine (users with their manager and,
// on request, their teams; teams; courses; enrollments with progress),
// as a source or a target, and serves team pickers (SearchTeams).
package litmos

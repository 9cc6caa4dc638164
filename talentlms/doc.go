// Package talentlms is a typed client for the TalentLMS REST API (v1).
//
// A Client authenticates with the portal's API key (HTTP Basic, the key as
// user, no password), sends writes form-encoded and reads in the
// key:value path style v1 uses:
//
//	c, err := talentlms.New("acme.talentlms.com", os.Getenv("TALENTLMS_API_KEY"))
//	for u, err := range c.ListUsers(ctx, talentlms.ListUsersParams{}) { ... }
//
// It covers users (paged lists, lookups by id, email and username,
// usersignup, edituser, usersetstatus, deleteuser), custom user fields
// (getcustomregistrationfields, resolved from a name and type to
// custom_field_N), branches (list, get, members, add and remove a user),
// courses (list, get with every user's progress, addusertocourse,
// getuserstatusincourse, removeuserfromcourse), siteinfo and ratelimit.
//
// What the client handles so callers need not:
//   - Path values are percent-encoded ("+" as %2B, spaces as %20, "@"
//     kept); a value with a comma, colon or slash, which the v1 path
//     syntax cannot carry, is refused before sending.
//   - Values come as strings or numbers, "" or null; dates in the portal's
//     date format (a siteinfo setting the client reads once) beside unix
//     timestamps. Time keeps both; unknown fields stay in Extra.
//   - Custom fields are found by name (case-sensitive) and type and written
//     in the portal's forms: dropdown options, on/off, dates in its format.
//   - Pacing: 200 calls per 5 seconds, and the hourly plan quota read from
//     the X-RateLimit-* headers and GET ratelimit: when it is used up the
//     client waits for the reset. 429 is retried after Retry-After or the
//     reset. A signup is never retried blindly.
//   - Errors are *APIError values matching ErrNotFound, ErrConflict,
//     ErrAlreadyEnrolled and the others with errors.Is, by TalentLMS's
//     message as well as the status; the API key never appears in an error
//     or a log line.
//
// v1 is documented in the TalentLMS API PDF
// (https://www.talentlms.com/pages/docs/TalentLMS-API-Documentation.pdf)
// and the official PHP library
// (https://github.com/epignosis/talentlms-wordpress, TalentLMSLib). The
// newer v2 API (https://developers.talentlms.io/api/talentlms-public-api)
// is not used: each call must name an X-API-Version date that the public
// documentation does not list.
//
// NewConnector adapts a Client to package syncengine: users (custom fields
// keyed by the name the portal gives them), courses, enrollments (one call
// per course lists every learner's progress) and, optionally, branches as
// teams, scoped to one branch if need be:
//
//	k := talentlms.NewConnector(c, talentlms.ConnectorOptions{Branch: "Sales"})
//
// Package talentlmstest serves a strict in-memory fake of the API for tests.
package talentlms

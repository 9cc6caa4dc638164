// Package learnamp is a typed client for the Learn Amp REST API: users,
// teams and team memberships (https://developers.learnamp.com/).
//
// Connect with the API key's client ID and secret (Company Settings → API →
// Generate New API Key; only the account Owner can) and the company's API
// host from the same page:
//
//	c, err := learnamp.New(clientID, clientSecret,
//		learnamp.WithBaseURL("https://api.learnamp.com"), // the "API Base URL", with https://
//		learnamp.WithScopes(learnamp.SyncScopes()...))   // for keys provisioned with scopes
//	for u, err := range c.ListUsers(ctx, learnamp.ListUsersParams{Statuses: []learnamp.Status{learnamp.StatusConfirmed}}) { ... }
//
// # The base URL
//
// WithBaseURL takes the bare API host, the {API_BASE_URL} of Learn Amp's
// reference with https:// in front (LEARNAMP_BASE_URL in the examples).
// The client derives both endpoints from it: the token URL
// {base}/oauth/token and the resources under {base}/v1. A path prefix is
// kept (a proxy at https://proxy.example/learnamp gives
// https://proxy.example/learnamp/oauth/token and .../learnamp/v1/users); a
// base ending in /v1 is refused, as it would double the version. The
// default is DefaultBaseURL.
//
// # Authentication
//
// Learn Amp uses the OAuth2 client-credentials flow: the client posts
// client_id, client_secret and grant_type=client_credentials (and scope,
// with WithScopes) to the token URL, through the same rate limiter, retries
// and redaction as every call, and sends the token as a Bearer token. The
// token (valid two hours) is fetched on the first call, shared by all
// calls, renewed a minute before it expires, and renewed once more when
// Learn Amp answers 401, after which the call is sent again once. Neither
// the client secret nor a token appears in an error or a log record.
//
// # What the client handles
//
//   - Lists page with page and perPage; the Total, Per-Page and Total-Pages
//     headers come back on Page, and the iterators stop at the last page
//     without asking for one more.
//   - Ids are strings in Go and numbers on the wire; dates are Date values
//     ("2021-01-15"); an empty manager object reads as no manager; fields
//     the types do not name (custom fields among them) are kept in Extra.
//   - Creates send skipInvitation: true unless CreateUserParams.SendInvitation
//     is set, so nobody is emailed by accident. Learn Amp has no call to
//     invite a user later; invite from its People page.
//   - Learn Amp has no leave date: deactivate the user on the day (DeactivateUser).
//   - Errors are *APIError values (Message is Learn Amp's "error" text,
//     FullErrors its per-field messages) matching ErrNotFound, ErrInvalid
//     (400 and 422: validation, duplicates), ErrUnauthorized, ErrForbidden
//     (a missing scope), ErrRateLimited and the other sentinels; a create
//     whose outcome is unknown matches ErrOutcomeUnknown.
//
// # The connector
//
// NewConnector adapts a Client to package syncengine: Learn Amp users and
// teams as the target of an HR sync (HiBob → Learn Amp) or a source.
// User records use Learn Amp's field names (UserFields), the references
// "manager" and "teams" (the primary team), and cost one call per new or
// changed user; see Connector.
//
// Package learnamptest serves a strict in-memory fake of the API for tests.
package learnamp

// Package bamboohr is a typed client for the BambooHR REST API, a webhook
// receiver, and a syncengine connector that makes BambooHR a source of
// users.
//
// # Connecting
//
// The normal way in is an API key the company's admin creates in BambooHR
// (user menu, "API Keys") and pastes into your product:
//
//	client, err := bamboohr.New("acme", apiKey) // https://acme.bamboohr.com
//
// The key acts with its user's permissions: fields and employees that user
// cannot see are silently left out of every answer, so use a dedicated
// integration user who can see everything the sync needs. Login exchanges
// an admin's username and password for a key, but only with a partner
// application key from BambooHR; the password is used once and never kept.
//
// The client sends the key with HTTP Basic auth on the first request, asks
// for JSON on every call (BambooHR answers XML otherwise), retries 429 and
// 503 answers honouring Retry-After, and never retries an add whose outcome
// is unknown: it returns ErrOutcomeUnknown instead. Errors are *APIError
// values matched with errors.Is against ErrNotFound, ErrUnauthorized,
// ErrForbidden, ErrRateLimited and ErrConflict. No error or log line
// carries a credential.
//
// # Reading employees
//
// GetEmployee reads one employee; CustomReport reads every employee in one
// answer using classic field aliases; Dataset pages through the datasets
// API, which has its own field names. ChangedEmployees lists what changed
// since a time. Fields and ResolveField find a custom field by its label,
// such as "Litmos Access". Values arrive as Value, which reads BambooHR's
// strings, numbers, booleans and nulls, its "0000-00-00" empty dates and
// its loosely spelled checkboxes.
//
// # Webhooks
//
// WebhookVerifier checks BambooHR's HMAC-SHA256 signature over the raw
// body followed by the timestamp header, the timestamp's age and the body
// size; ParseWebhook reads both payload families; Handler puts it all
// behind an http.Handler that answers BambooHR the way its retry policy
// expects.
//
// # Syncing
//
// NewConnector adapts a Client to syncengine: the users in scope are those
// with the "Litmos Access" checkbox (or another) ticked; terminated and
// inactive employees are not Active; the supervisor is the "manager"
// reference; Changes reads employees/changed.
//
// Package bamboohrtest is an in-memory fake of the API for tests.
package bamboohr

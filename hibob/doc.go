// Package hibob is a typed client for HiBob's ("Bob") public REST API and a
// receiver for its webhooks, for syncing people out of HiBob.
//
// # Connecting
//
// A Bob admin creates a service user (Settings → Integrations → Service
// users), gives it a permission group that may view the categories the sync
// reads (and Terminated employees, or leavers stay invisible), and hands
// over its ID and token:
//
//	client, err := hibob.New(os.Getenv("HIBOB_SERVICE_USER_ID"), os.Getenv("HIBOB_TOKEN"))
//	people, err := client.SearchPeople(ctx, hibob.SearchParams{})
//
// The client sends HTTP Basic auth on every request to
// https://api.hibob.com/v1 (WithBaseURL for the sandbox, a proxy or a fake;
// the URL includes /v1), asks for JSON, and sends a Content-Type only with a
// body. NewWithAccessToken sends a legacy personal token instead; HiBob has
// switched those off.
//
// # Reading people
//
// SearchPeople reads every employee in one call: HiBob does not page it. By
// default it asks for DefaultFields, includes inactive employees (leavers,
// and hires who have not started) and asks for display values beside the
// machine ones (humanReadable "APPEND"). GetEmployee reads one employee by
// ID or email. Employee reads both shapes HiBob answers in, nested
// ("work": {"title": ...}) and slash keys ("/work/title": {"value": ...}),
// keeps every key, custom fields included, and has typed accessors.
// NamedList turns list item IDs (departments, sites, titles) into names and
// back, child departments included; Fields reads the fields metadata.
//
// # Writing
//
// CreateEmployee adds an employee; UpdateEmployee patches non-historical
// fields and reports a 304 as "unchanged"; AddWorkEntry changes the
// historical ones (title, department, site, manager) from a date on.
//
// # Limits and errors
//
// HiBob limits each endpoint per minute, people search to 50. The client
// paces three groups on their own limiters (SearchEndpoint, ReadEndpoint,
// WriteEndpoint; see WithEndpointRateLimit), retries 429, 500, 502, 503
// and 504 honouring Retry-After (the 5xx on idempotent calls only), and
// never blindly retries a create: it returns
// ErrOutcomeUnknown instead. Errors are *APIError values matched with
// errors.Is against ErrNotFound, ErrUnauthorized, ErrForbidden,
// ErrRateLimited and the other sentinels. No error or log record carries a
// credential.
//
// # Webhooks
//
// WebhookVerifier checks the Bob-Signature header (Base64 HMAC-SHA512 of the
// raw body) in constant time and caps the body; ParseWebhook reads v2
// events, legacy v1 ones and the connection test; Handler answers HiBob at
// once and hands each event's employee IDs to a callback, which should queue
// a fresh read: v2 events carry IDs, not data.
//
// # Syncing
//
// Connector adapts the client to package syncengine as a read-only source
// of users (every employee, leavers and future starters included, fields
// keyed by HiBob field IDs such as "work.department") and teams (the
// departments); Enqueue hands the employees webhook events name to an
// engine's queue, which reads each afresh:
//
//	source := hibob.NewConnector(client, hibob.ConnectorOptions{})
//	http.Handle("/webhooks/hibob", verifier.Handler(hibob.Enqueue(queue)))
//
// HiBob's documentation: https://apidocs.hibob.com/docs/getting-started,
// https://apidocs.hibob.com/reference/people,
// https://apidocs.hibob.com/docs/people-read-api-contract,
// https://apidocs.hibob.com/docs/working-with-webhooks.
//
// Package hibobtest is a strict in-memory fake of the API for tests.
package hibob

// Package httpx is the HTTP core every rostersync vendor client stands on:
// one Client per vendor credential, with a shared rate limiter, retries that
// know idempotency, size-capped bodies, JSON and form helpers, one error
// type, and redaction of credentials everywhere.
//
// It is built on github.com/hashicorp/go-retryablehttp (the retry loop, with
// this package's CheckRetry and Backoff) and golang.org/x/time/rate (a token
// bucket per Client, waited on by the transport before every attempt, retry
// and redirect hop, honouring the request context). A Sliding Limit is a
// window log of this package's own instead (window.go): at most Requests
// in any interval of length Per as the vendor receives them, each attempt
// counted from its send until Per after its answer. On Linux, limiter
// waits under 100ms are timed by a timerfd through the runtime's poller
// (golang.org/x/sys/unix), since Go's own timers wake on the millisecond
// there (golang/go#44343): at a high rate that millisecond, repeated for
// every slot of every window, would cost a sixtieth of the throughput at
// 100 requests per 60ms.
//
// # Retry policy
//
// A request is idempotent by method (GET, HEAD, PUT, DELETE, OPTIONS) unless
// Request.Idempotent says otherwise.
//
//   - 2xx: done. The body is read in full, up to Config.MaxResponseBytes;
//     a larger body is ErrResponseTooLarge, never truncated.
//   - Rate-limit statuses (Config.RateLimitStatuses, default 429) and 503
//     with Retry-After: retried for every method, since the vendor rejected
//     the request without applying it.
//   - 500, 502, 503 and 504: retried when idempotent.
//   - Connection errors: retried when idempotent, or when nothing was sent.
//   - Any other status: *APIError at once (4xx, 500, ...).
//   - When retries run out on a status: *APIError with RetryAfter set.
//
// A non-idempotent request (a create) that may have reached the vendor and
// got no answer saying it was rejected — a connection reset or EOF after the
// request was written, a timeout or cancelled context while it was in flight,
// a 5xx other than those above (501 and 505 excepted), a 2xx whose body
// cannot be read or decoded — returns an error wrapping both
// ErrOutcomeUnknown and its cause (an *APIError for a status), so the caller
// can look before it creates again instead of duplicating.
//
// "Nothing was sent" is decided per attempt with net/http/httptrace: if the
// transport traced the attempt (GetConn fired) but WroteHeaders never did, no
// complete request head left the client and the vendor cannot have acted on
// it; dial errors (net.OpError with Op "dial", ECONNREFUSED, DNS errors)
// count as unsent whatever the trace says. A custom transport that reports
// nothing to httptrace gives no such evidence, so its failures count as sent.
// Once the headers are written the request counts as sent, even if writing
// the body then fails: conservative, since a duplicate is worse than a look-up.
//
// # Backoff
//
// The wait before a retry is Retry-After (delay seconds or an HTTP-date),
// else Config.ResetAfter (vendor reset headers), else MinWait·2ⁿ plus up to
// half of that again as jitter; always capped by MaxWait. On a Sliding
// Limit, a call's first rate-limit answer without either header waits only
// for the window, which holds every request until the first it still
// counts leaves it; a second one backs off. Waits end at once
// when the context does, returning the context's error. A retry that would
// start after the context's deadline is not waited for: Do returns the last
// answer at once (for a 429, an *APIError matching ErrRateLimited with its
// RetryAfter). A rate-limiter wait that cannot end before the context's
// deadline fails at once with an error wrapping context.DeadlineExceeded.
//
// # Redaction
//
// Errors and log records carry URLs without userinfo and with credential
// query values (apikey=, api_key=, key=, token=, access_token=, password=,
// client_secret=, ...) replaced by "REDACTED"; every Config.Secrets value
// and every credential Authorize put on the request (Authorization and
// API-key headers, Basic-auth parts, credential query values) is redacted
// from vendor messages echoed back. Client, Config and Request print without
// credentials; Secret prints "REDACTED" under fmt, encoding/json and slog.
// A redirect to another host carries no credential header (Authorization,
// Cookie, or any header named like a key, token or secret).
//
// # Logging
//
// With Config.Logger set, each attempt writes exactly one Debug record
// "http attempt" with vendor, method, redacted url, attempt (from 1), status
// or error, retry and the wait before the next attempt.
package httpx

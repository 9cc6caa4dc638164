package syncengine

import (
	"context"
	"errors"
)

// Errors a connector returns (wrapped, or matched through an Is method) so
// the engine can act on them. The vendor clients' errors match them with
// errors.Is directly: a Litmos 404 is errors.Is(err, syncengine.ErrNotFound),
// with no translation in the connector.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("syncengine: not found")
	// ErrOutcomeUnknown: a create or write was sent and may or may not have
	// been applied (timeout, connection lost after the request was written).
	// The engine looks the record up by its match key before it creates again.
	ErrOutcomeUnknown = errors.New("syncengine: outcome unknown")
	// ErrUnsupported: the connector cannot do this operation on this collection.
	ErrUnsupported = errors.New("syncengine: unsupported")
	// ErrConflict: the system refused a write because it clashes with a
	// record it holds (a taken username, a duplicate name). On a create the
	// engine looks the record up by its match keys and adopts it when it is
	// the same record; otherwise the change fails with the system's words.
	ErrConflict = errors.New("syncengine: conflict")
	// ErrInvalid: the system refused the data (a 400 or 422: a field it does
	// not accept). Not retried.
	ErrInvalid = errors.New("syncengine: invalid")
	// ErrUnauthorized: the credentials were refused (401).
	ErrUnauthorized = errors.New("syncengine: unauthorized")
	// ErrForbidden: the credentials may not do this (403).
	ErrForbidden = errors.New("syncengine: forbidden")
	// ErrRateLimited: the system asked to slow down and retries did not get
	// past it. Retryable.
	ErrRateLimited = errors.New("syncengine: rate limited")
	// ErrUnknownField: the pair's map reads a field the source system does
	// not have (or the credentials may not see). Connectors that read only
	// the fields asked for (FieldReader) wrap it, naming the field; a
	// command-line tool treats it as a usage error.
	ErrUnknownField = errors.New("syncengine: unknown field")
	// ErrIncomplete: List could read a record only in part (its row, not
	// its detail). List yields the record, with its ID and at least its
	// match keys, together with an error wrapping ErrIncomplete, and goes
	// on. The engine keeps the record for linking and matching, so it is
	// neither taken for gone nor created a second time, plans no write to
	// or from it in this run, and reports it as an error; the next run
	// reads it again. One unreadable employee never ends a listing.
	ErrIncomplete = errors.New("syncengine: record read in part")
	// ErrUnavailable: the system failed or could not be reached (a 5xx, a
	// refused or reset connection) and the request was not applied.
	// Retryable.
	ErrUnavailable = errors.New("syncengine: unavailable")
)

// Retryable reports whether err may pass if the same call is made again:
// it wraps ErrRateLimited, ErrUnavailable or context.DeadlineExceeded, or
// it has a Temporary() bool
// method that says so. Everything else (ErrNotFound, ErrConflict,
// ErrInvalid, ErrUnauthorized, a cancelled context, an unknown error) is
// final, and the engine does not retry it: the HTTP layer of every client
// in this module has already retried what can be retried.
func Retryable(err error) bool {
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, ErrOutcomeUnknown):
		return false
	case errors.Is(err, ErrRateLimited), errors.Is(err, ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		// A call's own deadline passed; the caller checks whether its run's
		// context is still alive before trying again.
		return true
	}
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

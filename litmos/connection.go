package litmos

import (
	"context"
	"errors"
	"strings"
)

// The three ways TestConnection fails on an answer from Litmos. Each
// wraps the APIError as well (errors.Is(err, ErrUnauthorized) still holds).
var (
	// ErrKeyRefused: Litmos refused the API key: it is wrong, belongs to
	// another region, or its user lacks API access (Account Owners only).
	ErrKeyRefused = errors.New("the API key was refused")
	// ErrSourceRefused: Litmos refused the source value while it accepts
	// the key with another one.
	ErrSourceRefused = errors.New("the source was refused")
	// ErrNoTeams: the key and source work, but the account has no team.
	ErrNoTeams = errors.New("the account has no teams")
)

// probeSource is the source TestConnection retries with to tell a refused
// source from a refused key. Litmos takes any short free text here
// (https://support.litmos.com/hc/en-us/articles/227734667-Overview-Developer-API).
const probeSource = "rostersync-connection-test"

// TestConnection checks what a setup screen must know before it saves the
// credentials, in one call when all is well (GET /teams?limit=1): the API
// key is accepted, the source is accepted, and the account has at least one
// team. It fails with an error matching ErrKeyRefused, ErrSourceRefused or
// ErrNoTeams. A 401 or 403 is told apart by a second call with another
// source: if that one passes, the source was at fault, else the key. Any
// other failure (no answer, rate limit, 5xx) is returned as it is. Neither
// the key nor the source is in any error.
func (c *Client) TestConnection(ctx context.Context) error {
	teams, err := c.ListTeamsPage(ctx, ListParams{Limit: 1})
	switch {
	case err == nil && len(teams) == 0:
		return &connectionError{kind: ErrNoTeams, hint: "create one in Litmos first"}
	case err == nil:
		return nil
	case !refused(err):
		return wrapf(err, "test connection")
	}
	_, perr := listPage[Team](ctx, c, "list teams", "teams", ListParams{Limit: 1}, "source", probeSource)
	switch {
	case perr == nil:
		return &connectionError{kind: ErrSourceRefused, hint: "the key works with another source", err: err}
	case refused(perr):
		return &connectionError{kind: ErrKeyRefused, err: err,
			hint: "check it, its region, and that its user is an Account Owner with API access"}
	}
	return wrapf(perr, "test connection")
}

func refused(err error) bool { return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) }

// connectionError is a TestConnection failure: its kind, what to do, and
// Litmos's answer (nil for ErrNoTeams).
type connectionError struct {
	kind error
	hint string
	err  error
}

func (e *connectionError) Error() string {
	s := "litmos: test connection: " + e.kind.Error() + " (" + e.hint + ")"
	if e.err != nil {
		s += ": " + strings.TrimPrefix(e.err.Error(), "litmos: ")
	}
	return s
}

func (e *connectionError) Unwrap() []error {
	if e.err == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.err}
}

package talenthr

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrUnverifiedCall is wrapped by every error of UnverifiedTerminateEmployee,
// so a caller can tell "the guessed endpoint did not work" from ordinary
// failures of verified calls.
var ErrUnverifiedCall = errors.New("talenthr: the call is not in TalentHR's public API (unverified guess)")

// UnverifiedTerminateParams is the guessed body of
// UnverifiedTerminateEmployee.
type UnverifiedTerminateParams struct {
	TerminationDate     Date   // required
	TerminationReasonID string // optional
	TerminationTypeID   string // optional
	RehireEligible      *bool  // optional
	Note                string // optional
}

// UnverifiedTerminateEmployee sends POST /employees/{id}/terminate with
// {"termination_date", "termination_reason_id", "termination_type_id",
// "rehire_eligible", "note"}.
//
// UNVERIFIED: TalentHR publishes no termination endpoint; no client, the
// vendor's own Make app or any catalogue of its 52 documented operations
// has one. This path and body are a guess in TalentHR's naming style and
// may answer 404 or 405, or do something else entirely on a real tenant.
// No sync path may depend on it: terminations are made in TalentHR's web
// app and read back from the directory (DirectoryRow.TerminationDate,
// Employee.IsTerminated). Every error it returns wraps ErrUnverifiedCall.
func (c *Client) UnverifiedTerminateEmployee(ctx context.Context, id string, p UnverifiedTerminateParams) error {
	fail := func(err error) error {
		return wrapf(fmt.Errorf("%w (%w)", err, ErrUnverifiedCall), "terminate employee %s (unverified call)", id)
	}
	if err := checkID(id); err != nil {
		return fail(err)
	}
	if p.TerminationDate.IsZero() || !p.TerminationDate.valid() {
		return fail(errors.New("termination_date is required"))
	}
	body := map[string]any{"termination_date": p.TerminationDate}
	for k, v := range map[string]string{"termination_reason_id": p.TerminationReasonID, "termination_type_id": p.TerminationTypeID} {
		if v == "" {
			continue
		}
		if err := checkID(v); err != nil {
			return fail(fmt.Errorf("%s: %w", k, err))
		}
		body[k] = numID(v)
	}
	if p.RehireEligible != nil {
		body["rehire_eligible"] = *p.RehireEligible
	}
	if strings.TrimSpace(p.Note) != "" {
		body["note"] = p.Note
	}
	if err := c.call(ctx, "POST", "employees/"+url.PathEscape(id)+"/terminate", nil, body, nil); err != nil {
		return fail(err)
	}
	return nil
}

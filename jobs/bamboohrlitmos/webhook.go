package bamboohrlitmos

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/syncengine"
)

// WebhookHandler returns an http.Handler for BambooHR webhook deliveries:
// it verifies the signature with v, parses either payload family, and syncs
// the employees the delivery names through SyncEmployees, which reads each
// one afresh (the payload's values are not trusted). It answers as
// bamboohr's handler does: 401 for a bad signature or stale timestamp,
// 400 for a malformed body, 200 when the sync ran. A run that could not
// finish for a reason that may pass (Litmos or BambooHR failing, another
// sync holding the lock, an employee that failed to write) answers 503, so
// BambooHR delivers again later; a run held back by the deactivation
// threshold answers 422, as retrying cannot fix it.
//
// The sync runs before the answer: a delivery names one employee or a few,
// a handful of API calls. Services that receive large batches can instead
// call SyncEmployees from their own queue.
func (j *Job) WebhookHandler(v bamboohr.WebhookVerifier) http.Handler {
	return v.Handler(func(ctx context.Context, p *bamboohr.WebhookPayload) error {
		ids := p.EmployeeIDs()
		if len(ids) == 0 {
			return nil // company events name no employee
		}
		rep, err := j.SyncEmployees(ctx, ids)
		switch {
		case errors.Is(err, syncengine.ErrThresholdExceeded):
			return err
		case err != nil:
			return fmt.Errorf("%w: %w", bamboohr.ErrRetryWebhook, err)
		case rep.Run != nil && rep.Run.Failed():
			return fmt.Errorf("%w: bamboohrlitmos: %s", bamboohr.ErrRetryWebhook, rep.Summary())
		}
		return nil
	})
}

package hibob

import (
	"context"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// SignatureHeader carries the signature of every webhook delivery
// (https://apidocs.hibob.com/docs/working-with-webhooks).
const SignatureHeader = "Bob-Signature"

// DefaultWebhookMaxBodyBytes caps a delivery's body; v2 payloads carry IDs
// only and are far smaller.
const DefaultWebhookMaxBodyBytes = 1 << 20

// Webhook errors; Verify, VerifyRequest and ParseWebhook wrap one of them.
var (
	// ErrWebhookSignature: the Bob-Signature header is missing, malformed
	// or wrong (Handler: 401).
	ErrWebhookSignature = errors.New("hibob: webhook signature does not match")
	// ErrWebhookTooLarge: the body exceeds the limit (Handler: 413).
	ErrWebhookTooLarge = errors.New("hibob: webhook body too large")
	// ErrWebhookPayload: the body is not a HiBob event (Handler: 400).
	ErrWebhookPayload = errors.New("hibob: webhook payload malformed")
	// ErrRetryWebhook, returned (wrapped) by a Handler callback, makes the
	// handler answer 503 so HiBob delivers the event again later.
	ErrRetryWebhook = errors.New("hibob: webhook should be retried")
)

// Sign computes HiBob's webhook signature: standard, padded Base64 of the
// HMAC-SHA512 of the raw body, keyed by the webhook's secret as its bytes
// (https://apidocs.hibob.com/docs/working-with-webhooks). Nothing else is
// signed: no timestamp, no prefix.
func Sign(secret string, body []byte) string {
	return base64.StdEncoding.EncodeToString(mac(secret, body))
}

func mac(secret string, body []byte) []byte {
	m := hmac.New(sha512.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// WebhookVerifier checks deliveries from one HiBob webhook.
type WebhookVerifier struct {
	// Secret is the webhook's secret, shown in Bob's webhook settings.
	Secret Secret
	// MaxBodyBytes caps the body; zero means DefaultWebhookMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives one record per rejected, failed or unsigned-ping
	// delivery, never a secret or a signature; nil logs nothing.
	Logger *slog.Logger
}

// Verify checks body against the Bob-Signature value, in constant time. It
// returns nil or an error wrapping ErrWebhookTooLarge or ErrWebhookSignature.
// The signature is read as standard Base64, padded or not.
func (v *WebhookVerifier) Verify(body []byte, signature string) error {
	if int64(len(body)) > v.maxBody() {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrWebhookTooLarge, len(body), v.maxBody())
	}
	if v.Secret.Reveal() == "" {
		return fmt.Errorf("%w: the verifier has no secret", ErrWebhookSignature)
	}
	signature = strings.TrimSpace(signature)
	if signature == "" {
		return fmt.Errorf("%w: no %s header", ErrWebhookSignature, SignatureHeader)
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		got, err = base64.RawStdEncoding.DecodeString(signature)
	}
	if err != nil {
		return fmt.Errorf("%w: %s is not Base64", ErrWebhookSignature, SignatureHeader)
	}
	if !hmac.Equal(mac(v.Secret.Reveal(), body), got) {
		return ErrWebhookSignature
	}
	return nil
}

// VerifyRequest reads r's body (up to the limit) and verifies it against
// its Bob-Signature header. It returns the raw body on success.
func (v *WebhookVerifier) VerifyRequest(r *http.Request) ([]byte, error) {
	body, err := v.readBody(r)
	if err != nil {
		return nil, err
	}
	if err := v.Verify(body, r.Header.Get(SignatureHeader)); err != nil {
		return nil, err
	}
	return body, nil
}

func (v *WebhookVerifier) readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, v.maxBody()+1))
	if err != nil {
		return nil, fmt.Errorf("hibob: read webhook body: %w", err)
	}
	if int64(len(body)) > v.maxBody() {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrWebhookTooLarge, v.maxBody())
	}
	return body, nil
}

func (v *WebhookVerifier) maxBody() int64 {
	if v.MaxBodyBytes > 0 {
		return v.MaxBodyBytes
	}
	return DefaultWebhookMaxBodyBytes
}

// WebhookFunc handles one verified, parsed event. It should be quick: put
// the employee IDs on a queue and return, since HiBob waits for the answer
// and counts a slow one as a failure. The payload carries IDs, not data:
// read the employee afresh. Return an error wrapping ErrRetryWebhook to have
// HiBob deliver the event again later.
type WebhookFunc func(ctx context.Context, p *WebhookPayload) error

// Handler returns an http.Handler for webhook deliveries. It answers:
//
//   - 405 for a method other than POST;
//   - 413 for a body over the limit;
//   - 200 for the connection test ("Ping test", or {"text":"Ping test"}),
//     without calling fn, signed or not: HiBob's docs do not say that the
//     test is signed, it must succeed for the webhook to be saved, and it
//     triggers nothing;
//   - 401 for a missing or wrong signature;
//   - 400 for a body that is not a HiBob event;
//   - 503 when fn returns an error wrapping ErrRetryWebhook;
//   - 200 otherwise, also when fn fails in another way (the error is
//     logged): HiBob retries every other answer for days and then switches
//     the webhook off (https://apidocs.hibob.com/docs/working-with-webhooks).
func (v *WebhookVerifier) Handler(fn WebhookFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			v.reject(w, http.StatusMethodNotAllowed, errors.New("hibob: webhook method must be POST"))
			return
		}
		body, err := v.readBody(r)
		if err != nil {
			v.reject(w, verifyStatus(err), err)
			return
		}
		if isPing(body) {
			v.answerPing(w, body, r.Header.Get(SignatureHeader))
			return
		}
		if err := v.Verify(body, r.Header.Get(SignatureHeader)); err != nil {
			v.reject(w, verifyStatus(err), err)
			return
		}
		p, err := ParseWebhook(body)
		if err != nil {
			v.reject(w, http.StatusBadRequest, err)
			return
		}
		v.dispatch(w, r, fn, p)
	})
}

func (v *WebhookVerifier) dispatch(w http.ResponseWriter, r *http.Request, fn WebhookFunc, p *WebhookPayload) {
	if err := fn(r.Context(), p); err != nil {
		if errors.Is(err, ErrRetryWebhook) {
			v.reject(w, http.StatusServiceUnavailable, err)
			return
		}
		if v.Logger != nil {
			v.Logger.Error("hibob webhook callback failed; answered 200 so HiBob does not retry",
				"type", p.Type, "employee", p.EmployeeID, "error", err.Error())
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (v *WebhookVerifier) answerPing(w http.ResponseWriter, body []byte, signature string) {
	if v.Logger != nil {
		switch err := v.Verify(body, signature); {
		case strings.TrimSpace(signature) == "":
			v.Logger.Info("hibob webhook connection test answered (unsigned)")
		case err != nil:
			v.Logger.Warn("hibob webhook connection test answered, but its signature does not match: check the secret")
		}
	}
	w.WriteHeader(http.StatusOK)
}

func verifyStatus(err error) int {
	switch {
	case errors.Is(err, ErrWebhookTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrWebhookSignature):
		return http.StatusUnauthorized
	}
	return http.StatusBadRequest
}

func (v *WebhookVerifier) reject(w http.ResponseWriter, status int, err error) {
	if v.Logger != nil {
		v.Logger.Warn("hibob webhook rejected", "status", status, "error", err.Error())
	}
	http.Error(w, http.StatusText(status), status)
}

// Enqueue returns the WebhookFunc that hands the employees a delivery
// names to q, the event queue of an engine with a hibob side, as users to
// sync with a fresh read: the employee of employee.* events, and the
// employee whose row changed for table.entry.* events. employee.deleted is
// queued too: the read then finds nobody, and the engine's out-of-scope
// policy decides what happens to the linked record. The connection test
// and other modules' events (time off, tasks) queue nothing.
//
// A delivery is answered 200 only once the queue has recorded it; when it
// could not, the answer is 503 and HiBob delivers it again.
func Enqueue(q syncengine.EventQueue) WebhookFunc {
	return func(ctx context.Context, p *WebhookPayload) error {
		ids := p.EmployeeIDs()
		if len(ids) == 0 {
			return nil
		}
		side, ok := q.Engine().SideNamed(ConnectorName)
		if !ok {
			return fmt.Errorf("hibob: enqueue: the queue's pair %s has no %s side", q.Engine().Pair(), ConnectorName)
		}
		if err := q.Add(ctx, side, syncengine.Users, ids...); err != nil {
			return fmt.Errorf("%w: %w", ErrRetryWebhook, err)
		}
		return nil
	}
}

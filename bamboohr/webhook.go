package bamboohr

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// Webhook headers BambooHR sends with every delivery
// (https://documentation.bamboohr.com/docs/webhooks#security).
const (
	SignatureHeader = "X-BambooHR-Signature"
	TimestampHeader = "X-BambooHR-Timestamp"
)

// Defaults for WebhookVerifier.
const (
	DefaultWebhookTolerance    = 5 * time.Minute
	DefaultWebhookMaxBodyBytes = 1 << 20
)

// Webhook verification errors; Verify and VerifyRequest wrap one of them.
var (
	// ErrWebhookSignature: the signature is missing or wrong (Handler: 401).
	ErrWebhookSignature = errors.New("bamboohr: webhook signature does not match")
	// ErrWebhookTimestamp: the timestamp is missing, unreadable or outside
	// the tolerance, in either direction (Handler: 401).
	ErrWebhookTimestamp = errors.New("bamboohr: webhook timestamp missing or outside the tolerance")
	// ErrWebhookTooLarge: the body exceeds the limit (Handler: 413).
	ErrWebhookTooLarge = errors.New("bamboohr: webhook body too large")
	// ErrWebhookPayload: the body is neither payload family (Handler: 400).
	ErrWebhookPayload = errors.New("bamboohr: webhook payload malformed")
	// ErrRetryWebhook, returned (wrapped) by a Handler callback, makes the
	// handler answer 503 so BambooHR delivers the webhook again later.
	ErrRetryWebhook = errors.New("bamboohr: webhook should be retried")
)

// Sign computes BambooHR's webhook signature: lowercase hex of
// HMAC-SHA256 keyed by the webhook's private key (used as-is, not
// hex-decoded) over the raw body followed directly by the timestamp
// header's text, no separator (the PHP sample in
// https://documentation.bamboohr.com/docs/webhooks#security).
func Sign(privateKey string, body []byte, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(privateKey))
	mac.Write(body)
	mac.Write([]byte(timestamp))
	return hex.EncodeToString(mac.Sum(nil))
}

// WebhookVerifier checks deliveries from one BambooHR webhook.
type WebhookVerifier struct {
	// PrivateKey is the webhook's private key, shown once when the webhook
	// is created (https://documentation.bamboohr.com/reference/create-webhook).
	PrivateKey Secret
	// Tolerance is how far the timestamp header may be from Now; zero means
	// DefaultWebhookTolerance and a negative value turns the check off.
	Tolerance time.Duration
	// MaxBodyBytes caps the body; zero means DefaultWebhookMaxBodyBytes.
	MaxBodyBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives one record per rejected or failed delivery; nil logs nothing.
	Logger *slog.Logger
}

// Verify checks body, the X-BambooHR-Timestamp value and the
// X-BambooHR-Signature value. It returns nil or an error wrapping
// ErrWebhookTooLarge, ErrWebhookSignature or ErrWebhookTimestamp.
func (v *WebhookVerifier) Verify(body []byte, timestamp, signature string) error {
	if int64(len(body)) > v.maxBody() {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrWebhookTooLarge, len(body), v.maxBody())
	}
	if v.PrivateKey.Reveal() == "" {
		return fmt.Errorf("%w: verifier has no private key", ErrWebhookSignature)
	}
	want := Sign(v.PrivateKey.Reveal(), body, timestamp)
	got := strings.ToLower(strings.TrimSpace(signature))
	if !hmac.Equal([]byte(want), []byte(got)) {
		return ErrWebhookSignature
	}
	return v.checkTimestamp(timestamp)
}

// VerifyRequest reads r's body (up to the limit) and verifies it against
// r's headers. It returns the raw body on success.
func (v *WebhookVerifier) VerifyRequest(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, v.maxBody()+1))
	if err != nil {
		return nil, fmt.Errorf("bamboohr: read webhook body: %w", err)
	}
	if err := v.Verify(body, r.Header.Get(TimestampHeader), r.Header.Get(SignatureHeader)); err != nil {
		return nil, err
	}
	return body, nil
}

func (v *WebhookVerifier) maxBody() int64 {
	if v.MaxBodyBytes > 0 {
		return v.MaxBodyBytes
	}
	return DefaultWebhookMaxBodyBytes
}

func (v *WebhookVerifier) checkTimestamp(ts string) error {
	tol := v.Tolerance
	if tol < 0 {
		return nil
	}
	if tol == 0 {
		tol = DefaultWebhookTolerance
	}
	sent, err := parseWebhookTimestamp(ts)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWebhookTimestamp, err)
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if d := now.Sub(sent); d > tol || d < -tol {
		return fmt.Errorf("%w: sent %s, now %s", ErrWebhookTimestamp,
			sent.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// parseWebhookTimestamp reads epoch seconds, falling back to ISO 8601:
// the docs say only "the timestamp when the request was sent"
// (https://documentation.bamboohr.com/docs/webhooks#security); fixtures in
// https://github.com/fusebit/integrations show epoch seconds.
func parseWebhookTimestamp(ts string) (time.Time, error) {
	ts = strings.TrimSpace(ts)
	if ts == "" {
		return time.Time{}, errors.New("no timestamp header")
	}
	if n, err := strconv.ParseInt(ts, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := ParseTime(ts)
	if err != nil || t.IsZero() {
		return time.Time{}, fmt.Errorf("timestamp %q is neither epoch seconds nor ISO 8601", truncate(ts, 40))
	}
	return t, nil
}

// WebhookFunc handles one verified, parsed delivery. It should be quick
// (record the work, as Enqueue does): BambooHR waits for the answer.
// Return an error wrapping ErrRetryWebhook to have BambooHR deliver again
// later.
type WebhookFunc func(ctx context.Context, p *WebhookPayload) error

// Handler returns an http.Handler for webhook deliveries. It answers:
//
//	405  a method other than POST
//	413  a body over the limit
//	401  a bad signature, or a timestamp outside the tolerance
//	400  a body that does not parse, or an employee id that is not a
//	     BambooHR id (a positive integer)
//	503  fn returned ErrRetryWebhook: the delivery was not recorded, and
//	     BambooHR delivers it again (it retries only 5xx answers,
//	     https://documentation.bamboohr.com/docs/webhooks#webhook-retries)
//	422  fn failed otherwise (retrying cannot help)
//	202  fn accepted the delivery; the body says which employees were
//	     queued and which events were ignored (company events, types a
//	     sync does not act on)
//
// Each delivery is logged once through Logger, as key=value pairs: the
// outcome, the status, the event types, the employee ids, the ignored
// events and the duration, and for a rejection the reason. The signature,
// the key and the body are never logged.
func (v *WebhookVerifier) Handler(fn WebhookFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := delivery{v: v, w: w, start: time.Now()}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			d.reject(http.StatusMethodNotAllowed, errors.New("bamboohr: webhook method must be POST"))
			return
		}
		body, err := v.VerifyRequest(r)
		if err != nil {
			d.reject(verifyStatus(err), err)
			return
		}
		p, err := ParseWebhook(body)
		if err != nil {
			d.reject(http.StatusBadRequest, err)
			return
		}
		d.p = p
		if err := fn(r.Context(), p); err != nil {
			status := http.StatusUnprocessableEntity
			if errors.Is(err, ErrRetryWebhook) {
				status = http.StatusServiceUnavailable
			}
			d.reject(status, err)
			return
		}
		d.accept()
	})
}

// delivery answers and logs one webhook delivery.
type delivery struct {
	v     *WebhookVerifier
	w     http.ResponseWriter
	p     *WebhookPayload
	start time.Time
}

func (d *delivery) attrs(outcome string, status int) []any {
	a := []any{"outcome", outcome, "status", status}
	if d.p != nil {
		a = append(a, "events", strings.Join(d.p.Types(), ","), "employees", strings.Join(d.p.EmployeeIDs(), ","))
		if ig := d.p.Ignored(); len(ig) > 0 {
			types := make([]string, len(ig))
			for i, e := range ig {
				types[i] = e.Type
			}
			a = append(a, "ignored", strings.Join(types, ","))
		}
	}
	return append(a, "duration", time.Since(d.start).Round(time.Microsecond))
}

func (d *delivery) reject(status int, err error) {
	if d.v.Logger != nil {
		d.v.Logger.Warn("bamboohr webhook", append(d.attrs("rejected", status), "reason", err.Error())...)
	}
	http.Error(d.w, http.StatusText(status)+": "+reason(status, err), status)
}

// reason is what a rejected sender is told: the kind of failure, never
// the values compared.
func reason(status int, err error) string {
	switch status {
	case http.StatusUnauthorized:
		if errors.Is(err, ErrWebhookTimestamp) {
			return "timestamp missing or outside the tolerance"
		}
		return "signature does not match"
	case http.StatusRequestEntityTooLarge:
		return "body over the limit"
	case http.StatusBadRequest:
		return strings.TrimPrefix(err.Error(), "bamboohr: ")
	case http.StatusServiceUnavailable:
		return "not recorded; deliver again later"
	}
	return "not processed"
}

func (d *delivery) accept() {
	if d.v.Logger != nil {
		d.v.Logger.Info("bamboohr webhook", d.attrs("accepted", http.StatusAccepted)...)
	}
	d.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	d.w.WriteHeader(http.StatusAccepted)
	msg := "queued no employee"
	if ids := d.p.EmployeeIDs(); len(ids) > 0 {
		msg = "queued employees " + strings.Join(ids, ", ")
	}
	if n := len(d.p.Ignored()); n > 0 {
		msg += fmt.Sprintf("; ignored %d event(s) a sync does not act on", n)
	}
	fmt.Fprintln(d.w, msg)
}

// Enqueue returns the WebhookFunc that hands the employees a delivery
// names to q, the event queue (a syncengine.Queue, or a fleet's queue
// shared by many instances) of an engine whose pair has the bamboohr
// connector on one side: each is recorded durably before the 202, and
// synced afresh (the payload's values are not trusted) by q's worker
// (Queue.Run, or the fleet's jobs). A queue that cannot record them makes
// the handler answer 503, so BambooHR delivers again.
func Enqueue(q syncengine.EventQueue) WebhookFunc {
	return func(ctx context.Context, p *WebhookPayload) error {
		side, ok := q.Engine().SideNamed("bamboohr")
		if !ok {
			return fmt.Errorf("bamboohr: enqueue: the queue's pair %s has no bamboohr side", q.Engine().Pair())
		}
		ids := p.EmployeeIDs()
		if len(ids) == 0 {
			return nil
		}
		if err := q.Add(ctx, side, syncengine.Users, ids...); err != nil {
			return fmt.Errorf("%w: %w", ErrRetryWebhook, err)
		}
		return nil
	}
}

func verifyStatus(err error) int {
	if errors.Is(err, ErrWebhookTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	if errors.Is(err, ErrWebhookSignature) || errors.Is(err, ErrWebhookTimestamp) {
		return http.StatusUnauthorized
	}
	return http.StatusBadRequest
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

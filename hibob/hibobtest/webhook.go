package hibobtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/hibob"
)

// triggeredAtLayout is v2's triggeredAt: microseconds, no zone
// (https://apidocs.hibob.com/reference/employee-data-webhooks).
const triggeredAtLayout = "2006-01-02T15:04:05.000000"

// SendWebhook delivers events to url one POST each, in order, as HiBob's v2
// webhooks do: the v2 envelope with companyId CompanyID, triggeredAt from
// the fake's clock when zero, triggeredBy "system" when empty, and the
// data of each event type; signed with secret in Bob-Signature. It returns
// the receiver's status for each delivery and stops at a transport error.
func (s *Server) SendWebhook(ctx context.Context, url, secret string, events ...hibob.WebhookPayload) ([]int, error) {
	var statuses []int
	for _, ev := range events {
		body, err := json.Marshal(s.webhookBody(ev))
		if err != nil {
			return statuses, fmt.Errorf("hibobtest: webhook body: %w", err)
		}
		status, err := s.SendWebhookBody(ctx, url, secret, body)
		if err != nil {
			return statuses, err
		}
		statuses = append(statuses, status)
	}
	return statuses, nil
}

// SendEvent delivers one event as SendWebhook does and returns the
// receiver's status.
func (s *Server) SendEvent(ctx context.Context, url, secret string, event hibob.WebhookPayload) (int, error) {
	statuses, err := s.SendWebhook(ctx, url, secret, event)
	if err != nil {
		return 0, err
	}
	return statuses[0], nil
}

// SendPing sends the connection test Bob sends when a webhook is saved: the
// text "Ping test", signed with secret unless it is "".
func (s *Server) SendPing(ctx context.Context, url, secret string) (int, error) {
	return s.send(ctx, url, secret, []byte("Ping test"), "text/plain")
}

// SendWebhookBody delivers a raw body to url, signed with secret (unsigned
// when secret is ""), so tests can send any shape: v1 payloads, quirks,
// garbage.
func (s *Server) SendWebhookBody(ctx context.Context, url, secret string, body []byte) (int, error) {
	return s.send(ctx, url, secret, body, "application/json")
}

func (s *Server) send(ctx context.Context, url, secret string, body []byte, contentType string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("hibobtest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	if secret != "" {
		req.Header.Set(hibob.SignatureHeader, hibob.Sign(secret, body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("hibobtest: deliver webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// webhookBody renders ev in the v2 envelope.
func (s *Server) webhookBody(ev hibob.WebhookPayload) map[string]any {
	at := ev.TriggeredAt
	if at.IsZero() {
		at = s.Now()
	}
	company := any(CompanyID)
	if ev.CompanyID != "" {
		if n, err := strconv.ParseInt(ev.CompanyID, 10, 64); err == nil {
			company = n
		} else {
			company = ev.CompanyID
		}
	}
	return map[string]any{
		"companyId":   company,
		"type":        ev.Type,
		"triggeredBy": orDefault(ev.TriggeredBy, "system"),
		"triggeredAt": at.UTC().Format(triggeredAtLayout),
		"version":     hibob.WebhookV2,
		"data":        s.webhookData(ev),
	}
}

// webhookData is each event type's data: IDs, never values.
func (s *Server) webhookData(ev hibob.WebhookPayload) map[string]any {
	data := map[string]any{"employeeId": ev.EmployeeID}
	switch {
	case ev.Type == hibob.EventEmployeeUpdated:
		updates := []map[string]string{}
		for _, f := range ev.ChangedFields {
			updates = append(updates, map[string]string{"fieldId": f})
		}
		data["fieldUpdates"] = updates
	case ev.Type == hibob.EventEmployeeDeleted:
		data["email"] = ev.Email
	case strings.HasPrefix(ev.Type, "table.entry."):
		data["tableId"] = orDefault(ev.TableID, "work")
		if ev.EntryID != "" {
			data["id"] = ev.EntryID
		} else {
			at := ev.EffectiveDate
			if at.IsZero() {
				at = s.Now()
			}
			data["effectiveDate"] = at.Format(dateLayout)
		}
	}
	return data
}

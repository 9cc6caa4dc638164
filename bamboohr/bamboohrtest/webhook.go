package bamboohrtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/bamboohr"
)

// WebhookUserAgent is the User-Agent BambooHR's deliveries carry (not in the
// docs; observed by https://github.com/fusebit/integrations).
const WebhookUserAgent = "BambooHR-WebHooks/1.0 (+https://www.bamboohr.com)"

// SendWebhook delivers ev to url as BambooHR would: rendered in family's JSON
// shape (https://documentation.bamboohr.com/docs/event-based-webhooks,
// https://documentation.bamboohr.com/docs/field-based-webhooks; field-based
// values wrapped in {"value": ...} as Botpress and Fusebit saw them), signed
// with privateKey over the body followed by the X-BambooHR-Timestamp header
// (epoch seconds from the fake's clock). It returns the receiver's status code.
//
// For event-based deliveries ev.Type defaults to "employee." plus the
// lower-cased Action and CompanyID to the fake's subdomain.
func (s *Server) SendWebhook(ctx context.Context, url, privateKey string, family bamboohr.WebhookFamily, ev bamboohr.WebhookEvent) (int, error) {
	body, err := s.webhookBody(family, ev)
	if err != nil {
		return 0, err
	}
	return s.SendWebhookBody(ctx, url, privateKey, body)
}

// SendWebhookBody delivers a raw JSON body to url, signed correctly, so
// tests can send any shape (plain values, several employees, quirks).
func (s *Server) SendWebhookBody(ctx context.Context, url, privateKey string, body []byte) (int, error) {
	ts := strconv.FormatInt(s.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("bamboohrtest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", WebhookUserAgent)
	req.Header.Set(bamboohr.TimestampHeader, ts)
	req.Header.Set(bamboohr.SignatureHeader, bamboohr.Sign(privateKey, body, ts))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("bamboohrtest: deliver webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func (s *Server) webhookBody(family bamboohr.WebhookFamily, ev bamboohr.WebhookEvent) ([]byte, error) {
	action := ev.Action
	if action == "" {
		action = "Updated"
	}
	ts := ev.Timestamp
	if ts.IsZero() {
		ts = s.Now()
	}
	stamp := ts.UTC().Format("2006-01-02T15:04:05-0700")
	switch family {
	case bamboohr.EventBased:
		typ := ev.Type
		if typ == "" {
			typ = "employee." + strings.ToLower(action)
		}
		company := ev.CompanyID
		if company == "" {
			company = s.Subdomain
		}
		data := map[string]any{"companyId": company, "employeeId": ev.EmployeeID}
		if strings.HasSuffix(typ, ".updated") {
			data["changedFields"] = nonNil(ev.ChangedFields)
		}
		return json.Marshal(map[string]any{"type": typ, "timestamp": stamp, "data": data})
	case bamboohr.FieldBased:
		fields := map[string]any{}
		for k, v := range ev.Fields {
			fields[k] = map[string]any{"value": v}
		}
		emp := map[string]any{"id": ev.EmployeeID, "action": action, "timestamp": stamp,
			"changedFields": nonNil(ev.ChangedFields), "fields": fields}
		return json.Marshal(map[string]any{"employees": []any{emp}})
	}
	return nil, fmt.Errorf("bamboohrtest: unknown webhook family %v", family)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

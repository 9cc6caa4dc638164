package hibob

import (
	"fmt"
	"strings"
	"time"
)

// DateLayout is HiBob's machine date form, "2025-09-01"
// (https://apidocs.hibob.com/docs/fields-metadata).
const DateLayout = "2006-01-02"

// timeLayouts are the timestamp forms HiBob sends: webhooks' triggeredAt
// has microseconds and no zone ("2025-01-08T13:06:26.915906",
// https://apidocs.hibob.com/reference/employee-data-webhooks), "time"
// fields likewise; a zone is honoured when present.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// ParseDate reads a machine date ("2025-09-01") as midnight UTC. A timestamp
// is accepted too and keeps its calendar date. Display forms ("01/09/2025",
// the service user's locale) are refused: read the machine value.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(DateLayout, s); err == nil {
		return t, nil
	}
	if t, err := ParseTime(s); err == nil {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", truncate(s, 40))
}

// ParseTime reads a HiBob timestamp. One without a zone is taken as UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 timestamp", truncate(s, 40))
}

// formatDate writes t's calendar date as HiBob wants it.
func formatDate(t time.Time) string { return t.Format(DateLayout) }

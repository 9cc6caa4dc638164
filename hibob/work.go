package hibob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// WorkEntry is a row of an employee's work history: how HiBob changes the
// historical fields title, department, site and manager, each row taking
// effect on its date (https://apidocs.hibob.com/reference/put_people-id-work-entry-id).
// Columns left empty are not sent; HiBob copies them from the row dated
// before.
type WorkEntry struct {
	// EffectiveDate is the day the row takes effect (required). A future
	// row changes nothing until its date arrives.
	EffectiveDate time.Time
	// Title is a job title list item ID (list "title").
	Title string
	// Department is a department list item ID (list "department").
	Department string
	// Site is a site's name; SiteID its list item ID (list "site"). Send one.
	Site, SiteID string
	// ManagerID is the manager's employee ID (sent as reportsTo.id).
	ManagerID string
	// Reason says why the row was added.
	Reason string
	// CustomColumns holds the table's custom columns by their IDs.
	CustomColumns map[string]any
}

type workEntryBody struct {
	EffectiveDate string         `json:"effectiveDate"`
	Title         string         `json:"title,omitempty"`
	Department    string         `json:"department,omitempty"`
	Site          string         `json:"site,omitempty"`
	SiteID        json.Number    `json:"siteId,omitempty"` // an integer on the wire
	ReportsTo     *personRef     `json:"reportsTo,omitempty"`
	Reason        string         `json:"reason,omitempty"`
	CustomColumns map[string]any `json:"customColumns,omitempty"`
}

type personRef struct {
	ID string `json:"id"`
}

var listItemIDRe = regexp.MustCompile(`^[0-9]{1,19}$`)

// AddWorkEntry adds a row to employeeID's work history (POST
// /people/{id}/work). It reports whether HiBob stored anything: a 304 means
// it did not.
func (c *Client) AddWorkEntry(ctx context.Context, employeeID string, w WorkEntry) (changed bool, err error) {
	if err := checkEmployeeID(employeeID); err != nil {
		return false, wrapf(err, "add work entry")
	}
	body, err := w.body()
	if err != nil {
		return false, wrapf(err, "add work entry for %s", employeeID)
	}
	_, err = c.do(ctx, call{ep: WriteEndpoint, method: http.MethodPost, path: "people/" + url.PathEscape(employeeID) + "/work", in: body})
	switch {
	case notModified(err):
		return false, nil
	case err != nil:
		return false, wrapf(err, "add work entry for %s", employeeID)
	}
	return true, nil
}

func (w WorkEntry) body() (*workEntryBody, error) {
	if w.EffectiveDate.IsZero() {
		return nil, errors.New("EffectiveDate is required")
	}
	if w.SiteID != "" && !listItemIDRe.MatchString(w.SiteID) {
		return nil, fmt.Errorf("SiteID %q is not a list item ID (digits)", truncate(w.SiteID, 40))
	}
	if w.ManagerID != "" {
		if err := checkEmployeeID(w.ManagerID); err != nil {
			return nil, fmt.Errorf("ManagerID: %w", err)
		}
	}
	b := &workEntryBody{
		EffectiveDate: formatDate(w.EffectiveDate), Title: w.Title, Department: w.Department,
		Site: w.Site, SiteID: json.Number(w.SiteID), Reason: w.Reason, CustomColumns: w.CustomColumns,
	}
	if w.ManagerID != "" {
		b.ReportsTo = &personRef{ID: w.ManagerID}
	}
	return b, nil
}

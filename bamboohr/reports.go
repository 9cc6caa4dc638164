package bamboohr

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// CustomReportParams selects what CustomReport reads.
type CustomReportParams struct {
	// Title names the report; default "rostersync".
	Title string
	// Fields are classic aliases or numeric field ids, at most MaxFields; "id" is
	// added when missing. Unknown or hidden fields are dropped by BambooHR without
	// an error
	// (https://documentation.bamboohr.com/reference/request-custom-report): check
	// them against Fields first (see FindField).
	Fields []string
	// ChangedSince, when set, keeps employees changed at or after it
	// (filters.lastChanged, with includeNull "no").
	ChangedSince time.Time
	// EmployeeIDs, when set, keeps only these employees.
	EmployeeIDs []int
	// IncludeFuture includes future-dated values (onlyCurrent=false).
	IncludeFuture bool
}

// CustomReport is the answer of a custom report.
type CustomReport struct {
	Title     string        `json:"title"`
	Fields    []ReportField `json:"fields"`
	Employees []Employee    `json:"employees"`
}

// ReportField describes one report column.
type ReportField struct {
	ID   Value  `json:"id"` // the alias or numeric id as requested
	Type string `json:"type"`
	Name string `json:"name"`
}

type reportBody struct {
	Title   string         `json:"title"`
	Fields  []string       `json:"fields"`
	Filters *reportFilters `json:"filters,omitempty"`
}

type reportFilters struct {
	LastChanged *lastChangedFilter `json:"lastChanged,omitempty"`
	EmployeeIDs []int              `json:"employeeIds,omitempty"`
}

type lastChangedFilter struct {
	Value       string `json:"value"`
	IncludeNull string `json:"includeNull"`
}

// CustomReport runs a custom report (POST v1/reports/custom?format=JSON):
// every employee, Active and Inactive, in one answer with no paging
// (https://documentation.bamboohr.com/reference/request-custom-report).
// Deprecated by BambooHR in favour of datasets but
// documented and widely used; it speaks the classic field aliases.
func (c *Client) CustomReport(ctx context.Context, p CustomReportParams) (*CustomReport, error) {
	var r CustomReport
	if err := c.customReport(ctx, p, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// customReport runs the report p asks for and decodes it into out.
func (c *Client) customReport(ctx context.Context, p CustomReportParams, out any) error {
	fields := p.Fields
	if !slices.Contains(fields, "id") {
		fields = append([]string{"id"}, fields...)
	}
	if err := checkFields(fields); err != nil {
		return fmt.Errorf("bamboohr: custom report: %w", err)
	}
	body := reportBody{Title: p.Title, Fields: fields}
	if body.Title == "" {
		body.Title = "rostersync"
	}
	if !p.ChangedSince.IsZero() || len(p.EmployeeIDs) > 0 {
		body.Filters = &reportFilters{EmployeeIDs: p.EmployeeIDs}
		if !p.ChangedSince.IsZero() {
			body.Filters.LastChanged = &lastChangedFilter{
				Value: p.ChangedSince.UTC().Format(time.RFC3339), IncludeNull: "no",
			}
		}
	}
	// Without format the Accept header decides, and */* is a 404
	// (https://documentation.bamboohr.com/reference/request-custom-report).
	q := url.Values{"format": {"JSON"}, "onlyCurrent": {"true"}}
	if p.IncludeFuture {
		q.Set("onlyCurrent", "false")
	}
	// A report is a read: safe to retry although it is a POST.
	_, err := c.do(ctx, call{method: http.MethodPost, path: "v1/reports/custom", query: q, in: body, out: out, idempotent: retrySafe()})
	return err
}

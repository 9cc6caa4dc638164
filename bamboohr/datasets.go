package bamboohr

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// EmployeeDataset is the dataset of employees.
const EmployeeDataset = "employee"

// MaxDatasetPageSize is the largest page the datasets API serves
// (https://documentation.bamboohr.com/reference/get-data-from-dataset-v2).
const MaxDatasetPageSize = 1000

// DatasetQuery selects rows of a dataset. Dataset field names differ from
// the classic aliases: "eeid" is the employee id (request it, rows carry
// none otherwise), "email" the work email, custom fields are
// "customField{id}" (names are per tenant and not listed in BambooHR's
// public docs; observed in https://github.com/NangoHQ/integration-templates
// recorded fixtures). List them with DatasetFields.
type DatasetQuery struct {
	Fields []string
	// Filter is an OData-style expression: status eq 'Active'.
	Filter string
	// OrderBy sorts: "lastName asc". Sort fields must be in Fields.
	OrderBy string
	// PageSize is rows per page, at most MaxDatasetPageSize; 0 means the maximum.
	PageSize int
}

// DatasetPage is one page of dataset rows.
type DatasetPage struct {
	Rows       []map[string]Value
	Page       int
	PageSize   int
	TotalPages int
	TotalItems int
	// HasNext reports whether a further page follows.
	HasNext bool
}

type datasetBody struct {
	Fields   []string `json:"fields"`
	Filter   string   `json:"filter,omitempty"`
	OrderBy  string   `json:"orderBy,omitempty"`
	Page     int      `json:"page"`
	PageSize int      `json:"pageSize"`
}

type datasetReply struct {
	Data []struct {
		Fields map[string]Value `json:"fields"`
	} `json:"data"`
	Links struct {
		Next Value `json:"next"`
	} `json:"links"`
	Meta struct {
		Page       Value `json:"page"`
		PageSize   Value `json:"pageSize"`
		TotalPages Value `json:"totalPages"`
		TotalItems Value `json:"totalItems"`
	} `json:"meta"`
}

// DatasetPage reads page (from 1) of a dataset (POST v2/datasets/{name}/data).
func (c *Client) DatasetPage(ctx context.Context, dataset string, q DatasetQuery, page int) (*DatasetPage, error) {
	if len(q.Fields) == 0 {
		return nil, fmt.Errorf("bamboohr: dataset %q: no fields requested", dataset)
	}
	if q.PageSize < 0 || q.PageSize > MaxDatasetPageSize || page < 1 {
		return nil, fmt.Errorf("bamboohr: dataset %q: page %d size %d out of range (size 1..%d)", dataset, page, q.PageSize, MaxDatasetPageSize)
	}
	size := q.PageSize
	if size == 0 {
		size = MaxDatasetPageSize
	}
	body := datasetBody{Fields: q.Fields, Filter: q.Filter, OrderBy: q.OrderBy, Page: page, PageSize: size}
	var r datasetReply
	_, err := c.do(ctx, call{
		method: http.MethodPost, path: "v2/datasets/" + url.PathEscape(dataset) + "/data",
		in: body, out: &r, idempotent: retrySafe(),
	})
	if err != nil {
		return nil, err
	}
	p := &DatasetPage{Rows: make([]map[string]Value, 0, len(r.Data))}
	for _, d := range r.Data {
		p.Rows = append(p.Rows, d.Fields)
	}
	p.Page, _ = r.Meta.Page.Int()
	p.PageSize, _ = r.Meta.PageSize.Int()
	p.TotalPages, _ = r.Meta.TotalPages.Int()
	p.TotalItems, _ = r.Meta.TotalItems.Int()
	// Stop on an empty page or page >= totalPages (meta of
	// https://documentation.bamboohr.com/reference/get-data-from-dataset-v2).
	p.HasNext = len(p.Rows) > 0 && (page < p.TotalPages || (p.TotalPages == 0 && !r.Links.Next.IsEmpty()))
	return p, nil
}

// Dataset yields every row of a dataset, reading pages lazily.
func (c *Client) Dataset(ctx context.Context, dataset string, q DatasetQuery) iter.Seq2[map[string]Value, error] {
	return func(yield func(map[string]Value, error) bool) {
		for page := 1; ; page++ {
			p, err := c.DatasetPage(ctx, dataset, q, page)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, row := range p.Rows {
				if !yield(row, nil) {
					return
				}
			}
			if !p.HasNext {
				return
			}
		}
	}
}

// DatasetField describes one field of a dataset.
type DatasetField struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	ParentType string `json:"parentType"`
	ParentName string `json:"parentName"`
	EntityName string `json:"entityName"`
}

type datasetFieldsReply struct {
	Pagination struct {
		TotalPages  Value `json:"total_pages"`
		CurrentPage Value `json:"current_page"`
	} `json:"pagination"`
	Fields []DatasetField `json:"fields"`
}

// DatasetFields lists the fields of a dataset (GET v1_2/datasets/{name}/fields),
// reading every page.
func (c *Client) DatasetFields(ctx context.Context, dataset string) ([]DatasetField, error) {
	var all []DatasetField
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(MaxDatasetPageSize)}}
		var r datasetFieldsReply
		_, err := c.do(ctx, call{method: http.MethodGet, path: "v1_2/datasets/" + url.PathEscape(dataset) + "/fields", query: q, out: &r})
		if err != nil {
			return nil, err
		}
		all = append(all, r.Fields...)
		total, _ := r.Pagination.TotalPages.Int()
		if len(r.Fields) == 0 || page >= total {
			return all, nil
		}
	}
}

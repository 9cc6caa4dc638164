package bamboohrtest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/internal/fakeserver"
)

type reportIn struct {
	Title   string   `json:"title"`
	Fields  []string `json:"fields"`
	Filters struct {
		LastChanged *struct {
			Value       string `json:"value"`
			IncludeNull string `json:"includeNull"`
		} `json:"lastChanged"`
		EmployeeIDs []int `json:"employeeIds"`
	} `json:"filters"`
}

// handleReport serves POST v1/reports/custom
// (https://documentation.bamboohr.com/reference/request-custom-report).
func (s *Server) handleReport(rq *request) {
	if !s.reportFormatOK(rq) {
		return
	}
	var in reportIn
	if !rq.decodeBody(&in) {
		return
	}
	if len(in.Fields) > bamboohr.MaxFields {
		rq.fail(http.StatusBadRequest, fmt.Sprintf("Too many fields: %d", len(in.Fields)))
		return
	}
	var since time.Time
	if lc := in.Filters.LastChanged; lc != nil {
		t, err := bamboohr.ParseTime(lc.Value)
		if err != nil {
			rq.fail(http.StatusBadRequest, "Invalid lastChanged filter")
			return
		}
		since = t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names, cols := s.reportFields(in.Fields, rq.key)
	var emps []*employee
	for _, e := range s.sortedEmployees(rq.key) {
		if len(in.Filters.EmployeeIDs) > 0 && !slices.Contains(in.Filters.EmployeeIDs, e.id) {
			continue
		}
		if !since.IsZero() && e.lastChanged.Before(since) {
			continue
		}
		emps = append(emps, e)
	}
	if strings.EqualFold(rq.r.URL.Query().Get("format"), "xml") || (!rq.hasFormat() && !rq.wantsJSON()) {
		rows := []map[string]any{}
		for _, e := range emps {
			rows = append(rows, s.render(e, names, rq.key))
		}
		rq.xml(http.StatusOK, map[string]any{"title": in.Title, "fields": cols, "employees": rows})
		return
	}
	rq.jsonBody(s.reportJSON(in.Title, cols, emps, s.reportColumns(names)))
}

// reportFields are the requested names k may see and the report's
// columns. Unknown and hidden fields vanish silently, still 200
// (https://documentation.bamboohr.com/reference/request-custom-report).
// Must hold s.mu.
func (s *Server) reportFields(fields []string, k *Key) (names []string, cols []map[string]string) {
	for _, n := range fields {
		key, f, ok := s.storageKey(n)
		if !ok || k.hidden(key, f) {
			continue
		}
		names = append(names, n)
		cols = append(cols, map[string]string{"id": n, "type": f.Type, "name": f.Name})
	}
	return names, cols
}

func (rq *request) hasFormat() bool { return rq.r.URL.Query().Get("format") != "" }

// reportFormatOK: with format, only known formats; without, Accept decides
// and anything but the listed types, */* included, is 404
// (https://documentation.bamboohr.com/reference/request-custom-report).
func (s *Server) reportFormatOK(rq *request) bool {
	if f := strings.ToUpper(rq.r.URL.Query().Get("format")); f != "" {
		if f != "JSON" && f != "XML" {
			rq.fail(http.StatusBadRequest, "The fake serves only JSON and XML reports")
			return false
		}
		return true
	}
	accept := rq.r.Header.Get("Accept")
	if accept != "application/json" && accept != "text/xml" {
		rq.fail(http.StatusNotFound, "Unsupported report format")
		return false
	}
	return true
}

type datasetIn struct {
	Fields   []string `json:"fields"`
	Filter   string   `json:"filter"`
	OrderBy  string   `json:"orderBy"`
	Page     int      `json:"page"`
	PageSize int      `json:"pageSize"`
}

// handleDataset serves POST v2/datasets/employee/data
// (https://documentation.bamboohr.com/reference/get-data-from-dataset-v2).
func (s *Server) handleDataset(rq *request) {
	var in datasetIn
	if !rq.decodeBody(&in) {
		return
	}
	if in.Page == 0 {
		in.Page = 1
	}
	if in.PageSize == 0 {
		in.PageSize = 100
	}
	if in.Page < 1 || in.PageSize < 1 || in.PageSize > bamboohr.MaxDatasetPageSize {
		rq.problem(http.StatusUnprocessableEntity, "Invalid pagination")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := map[string]string{}
	for _, n := range in.Fields {
		k, ok := s.datasetKey(n)
		if !ok {
			rq.problem(http.StatusBadRequest, fmt.Sprintf("Unknown field %q", n))
			return
		}
		keys[n] = k
	}
	match, err := s.parseFilter(in.Filter)
	if err != nil {
		rq.problem(http.StatusUnprocessableEntity, err.Error())
		return
	}
	var rows []map[string]any
	for _, e := range s.sortedEmployees(rq.key) {
		if match(e) {
			rows = append(rows, s.datasetRow(e, in.Fields, keys, rq.key))
		}
	}
	s.replyDatasetPage(rq, rows, in.Page, in.PageSize)
}

func (s *Server) datasetRow(e *employee, names []string, keys map[string]string, k *Key) map[string]any {
	row := map[string]any{}
	for _, n := range names {
		key := keys[n]
		_, f, _ := s.storageKey(key)
		if k.hidden(key, f) {
			row[n] = nil // the datasets API nulls what it hides
			continue
		}
		if key == "id" {
			row[n] = strconv.Itoa(e.id)
			continue
		}
		row[n] = s.value(e, key, f)
	}
	return map[string]any{"fields": row}
}

func (s *Server) replyDatasetPage(rq *request, rows []map[string]any, page, size int) {
	total := len(rows)
	pages := (total + size - 1) / size
	data := fakeserver.Page(rows, (page-1)*size, size)
	var next any
	if page < pages {
		next = rq.apiURL("v2/datasets/employee/data?page=" + strconv.Itoa(page+1))
	}
	rq.json(http.StatusOK, map[string]any{
		"data":  data,
		"links": map[string]any{"next": next, "prev": nil},
		"meta":  map[string]any{"page": page, "pageSize": size, "totalPages": pages, "totalItems": total},
	})
}

var filterTermRe = regexp.MustCompile(`^\s*(\w+)\s+eq\s+'([^']*)'\s*$`)

// parseFilter supports "a eq 'x' and b eq 'y'", enough for the fake; any
// other expression is 422, as a bad filter is
// (https://documentation.bamboohr.com/reference/get-data-from-dataset-v2). Must hold s.mu.
func (s *Server) parseFilter(filter string) (func(*employee) bool, error) {
	if strings.TrimSpace(filter) == "" {
		return func(*employee) bool { return true }, nil
	}
	type term struct{ key, value string }
	var terms []term
	for _, part := range strings.Split(filter, " and ") {
		m := filterTermRe.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("unsupported filter %q", filter)
		}
		k, ok := s.datasetKey(m[1])
		if !ok {
			return nil, fmt.Errorf("unknown filter field %q", m[1])
		}
		terms = append(terms, term{k, m[2]})
	}
	return func(e *employee) bool {
		for _, t := range terms {
			_, f, _ := s.storageKey(t.key)
			if fmt.Sprint(s.value(e, t.key, f)) != t.value {
				return false
			}
		}
		return true
	}, nil
}

// handleDatasetFields serves GET v1_2/datasets/employee/fields.
func (s *Server) handleDatasetFields(rq *request) {
	names := make([]string, 0, len(datasetNames))
	for n := range datasetNames {
		names = append(names, n)
	}
	s.mu.Lock()
	for _, f := range s.fields {
		if strings.HasPrefix(f.Alias, "custom") || f.Alias == "" {
			names = append(names, "customField"+f.ID.String())
		}
	}
	s.mu.Unlock()
	sort.Strings(names)
	fields := make([]map[string]string, 0, len(names))
	for _, n := range names {
		fields = append(fields, map[string]string{"name": n, "label": n, "parentType": "employee", "parentName": "employee", "entityName": "employee"})
	}
	rq.json(http.StatusOK, map[string]any{
		"pagination": map[string]any{"total_records": len(fields), "current_page": 1, "total_pages": 1, "next_page": nil, "prev_page": nil},
		"name":       "employee", "label": "Employee", "fields": fields,
	})
}

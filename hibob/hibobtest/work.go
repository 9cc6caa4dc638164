package hibobtest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"
)

type workJSON struct {
	EffectiveDate string          `json:"effectiveDate"`
	Title         *string         `json:"title"`
	Department    *string         `json:"department"`
	Site          *string         `json:"site"`
	SiteID        json.RawMessage `json:"siteId"`
	ReportsTo     *struct {
		ID string `json:"id"`
	} `json:"reportsTo"`
	Reason        string         `json:"reason"`
	CustomColumns map[string]any `json:"customColumns"`
}

// handleAddWork serves POST /people/{id}/work: a dated row of the work
// table; columns not sent are copied from the row dated before
// (https://apidocs.hibob.com/reference/put_people-id-work-entry-id).
func (s *Server) handleAddWork(rq *request, id string) {
	if !rq.writable() {
		return
	}
	var body workJSON
	if !rq.decode(&body, false) {
		return
	}
	if _, err := time.Parse(dateLayout, body.EffectiveDate); err != nil {
		rq.fail(http.StatusBadRequest, "badRequest", "effectiveDate is required, as YYYY-MM-DD")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.employees[id]
	if e == nil {
		rq.fail(http.StatusNotFound, "notFound", "Employee not found")
		return
	}
	row, msg := s.workRowFrom(e, body)
	if msg != "" {
		rq.fail(http.StatusBadRequest, "badRequest", msg)
		return
	}
	s.nextEntry++
	row.id = s.nextEntry
	e.work = append(e.work, row)
	sort.Slice(e.work, func(i, j int) bool { return e.work[i].effectiveDate < e.work[j].effectiveDate })
	rq.w.WriteHeader(http.StatusOK)
}

// workRowFrom checks a new row and fills what it leaves out from the row
// dated before it. Must hold s.mu.
func (s *Server) workRowFrom(e *employee, b workJSON) (*workRow, string) {
	var base *workRow
	for _, r := range e.work {
		if r.effectiveDate == b.EffectiveDate {
			return nil, "Duplicate effective date " + b.EffectiveDate + " for work entry"
		}
		if r.effectiveDate < b.EffectiveDate {
			base = r
		}
	}
	row := &workRow{effectiveDate: b.EffectiveDate, reason: b.Reason, custom: b.CustomColumns}
	if base != nil {
		row.title, row.department, row.siteID, row.managerID = base.title, base.department, base.siteID, base.managerID
	}
	for _, c := range []struct {
		list string
		v    *string
		dst  *string
	}{{"title", b.Title, &row.title}, {"department", b.Department, &row.department}} {
		if c.v == nil {
			continue
		}
		if s.lists[c.list].byID[*c.v] == nil {
			return nil, c.list + " must be the ID of an item of list " + c.list + ", got " + *c.v
		}
		*c.dst = *c.v
	}
	site, msg := s.workSite(b, base != nil)
	if msg != "" {
		return nil, msg
	}
	if site != "" {
		row.siteID = site
	}
	if b.ReportsTo != nil {
		if s.employees[b.ReportsTo.ID] == nil || b.ReportsTo.ID == e.id {
			return nil, "reportsTo.id must be another employee's ID"
		}
		row.managerID = b.ReportsTo.ID
	}
	return row, ""
}

// workSite reads site (a name) or siteId (an integer item ID); one is needed
// unless an earlier row gives it. Must hold s.mu.
func (s *Server) workSite(b workJSON, inherited bool) (string, string) {
	var byID, byName string
	if len(b.SiteID) > 0 && string(b.SiteID) != "null" {
		raw := strings.TrimSpace(string(b.SiteID))
		if raw == "" || raw[0] < '0' || raw[0] > '9' || s.lists["site"].byID[raw] == nil {
			return "", "siteId must be the integer ID of an item of list site"
		}
		byID = raw
	}
	if b.Site != nil {
		it, ok := s.itemByName("site", *b.Site)
		if !ok {
			return "", "site " + *b.Site + " is not a site"
		}
		byName = it.id
	}
	switch {
	case byID != "" && byName != "" && byID != byName:
		return "", "site and siteId name different sites"
	case byID == "" && byName == "" && !inherited:
		return "", "site or siteId is required"
	}
	if byID != "" {
		return byID, ""
	}
	return byName, ""
}

package litmostest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/litmos"
)

// The user bulk import, as https://www.litmos.com/docs/litmos/apis/bulk-import-users-with-api
// and the SAP spec of LitmosAPIdetails describe it; where they say
// nothing, the fake is strict (see the package doc).

// maxImportBytes is the documented body limit, "2000KB", read the strict way.
const maxImportBytes = 2_000_000

// importElements is the UserImport element order of the SAP schema.
// DataContract XML reads elements in order and drops the others, so the
// fake refuses a row out of order or with an element it does not know.
var importElements = func() map[string]int {
	names := []string{"Username", "Email", "FirstName", "LastName", "Password", "Phone", "Mobile", "Skype",
		"Title", "CompanyName", "WebSite", "Twitter", "Team1", "Team2", "Team3", "Team4", "Team5",
		"Course1", "Course2", "Course3", "Address1", "Address2", "City", "State", "Zip", "Country"}
	for i := 1; i <= 10; i++ {
		names = append(names, "CustomField"+strconv.Itoa(i))
	}
	names = append(names, "SalesforceId", "SalesforceContactId", "SalesforceAccountId", "Active",
		"InActiveDate", "AccessLevel", "Brand", "Culture", "Manager")
	for i := 1; i <= 25; i++ {
		names = append(names, "UserCustomField"+strconv.Itoa(i))
	}
	names = append(names, "JobRole", "ExternalEmployeeId")
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	return m
}()

// importRow is one UserImport element: its fields by element name.
type importRow map[string]string

// bulkJob is an import job and its rows, applied when it finishes.
type bulkJob struct {
	job    litmos.BulkImport
	rows   []importRow
	polls  int // status polls so far
	errors []litmos.BulkImportError
}

// SetBulkImportPolls sets how many status polls (GET /bulkimports/{id}) a
// job takes to finish: the first n-1 answer "Processing", the n-th applies
// the rows and answers "Completed" (default 3; at least 1). Any other
// request the fake serves finishes it sooner (see finishOthers).
func (s *Server) SetBulkImportPolls(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.importPolls = max(n, 1)
}

// BulkImports returns the import jobs in the order posted, as they stand.
func (s *Server) BulkImports() []litmos.BulkImport {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]litmos.BulkImport, 0, len(s.st.importOrder))
	for _, id := range s.st.importOrder {
		out = append(out, s.st.imports[id].job)
	}
	return out
}

// FinishBulkImports finishes every job not finished yet, in the order
// posted, as Litmos does whether or not anyone polls them.
func (s *Server) FinishBulkImports() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finishPending("")
}

// finishOthers finishes the jobs still pending when r arrives, except the
// job r polls (GET /bulkimports/{id}), which advances by its poll count.
// Litmos runs an accepted job to its end even when its client stops
// polling, so a client must not count on a job it lost sight of staying
// undone: the fake lets it be done by the very next call.
func (s *Server) finishOthers(r *http.Request) {
	var polled string
	id, ok := strings.CutPrefix(strings.TrimSuffix(r.URL.Path, "/"), ServicePath+"/bulkimports/")
	if r.Method == http.MethodGet && ok && !strings.Contains(id, "/") {
		polled = id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finishPending(polled)
}

// finishPending finishes the pending jobs but keep, in the order posted.
// The caller holds s.mu.
func (s *Server) finishPending(keep string) {
	still := s.st.pendingImports[:0]
	for _, id := range s.st.pendingImports {
		if id == keep {
			still = append(still, id)
			continue
		}
		s.finishImport(s.st.imports[id])
	}
	s.st.pendingImports = still
}

// finishImport applies j's rows and marks it Completed. The caller holds
// s.mu and takes j off pendingImports.
func (s *Server) finishImport(j *bulkJob) {
	s.applyImport(j)
	j.job.Status = "Completed"
}

func (s *Server) routeBulkImports(w http.ResponseWriter, r *http.Request, seg []string) {
	switch {
	case len(seg) == 0 && r.Method == http.MethodPost:
		s.postImport(w, r)
	case len(seg) == 1 && r.Method == http.MethodGet:
		s.getImport(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "usererrors" && r.Method == http.MethodGet:
		s.importErrors(w, r, seg[0])
	case len(seg) <= 2:
		methodNotAllowed(w, r)
	default:
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
	}
}

// postImport checks the whole body (size, XML, element order) and queues
// the job: 200 with Status "Waiting", as documented.
func (s *Server) postImport(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxImportBytes+1))
	if err != nil {
		replyError(w, r, http.StatusBadRequest, "The request body could not be read")
		return
	}
	if len(body) > maxImportBytes {
		// WCF answers an over-size message 413 with no body (400 before .NET 4.5).
		replyEmpty(w, http.StatusRequestEntityTooLarge)
		return
	}
	if bodyKind(r) != "xml" {
		replyError(w, r, http.StatusBadRequest, "litmostest: send bulk imports as XML; the JSON shape is undocumented")
		return
	}
	rows, err := parseImport(body)
	if err != nil {
		replyError(w, r, http.StatusBadRequest, "The request body is not a valid UserImports document: "+err.Error())
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := s.st.newID()
	j := &bulkJob{rows: rows, job: litmos.BulkImport{ID: id, Status: "Waiting", TotalRecords: int64(len(rows)),
		ImportDate:     litmos.Time{Time: s.Now().UTC().Truncate(10 * time.Millisecond), Form: litmos.DateISOLocal},
		SendEmails:     strings.EqualFold(q.Get("sendmessage"), "true"),
		SkipFirstLogin: strings.EqualFold(q.Get("skipfirstlogin"), "true"), IsAPIImport: true}}
	s.st.imports[id] = j
	s.st.importOrder = append(s.st.importOrder, id)
	s.st.pendingImports = append(s.st.pendingImports, id)
	reply(w, r, http.StatusOK, j.job, "UserBulkImport", "")
}

// parseImport reads <UserImports><UserImport>…</UserImport>…</UserImports>.
func parseImport(body []byte) ([]importRow, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	root, err := nextStart(dec)
	if err != nil || root.Name.Local != "UserImports" {
		return nil, errors.New("the root element must be UserImports")
	}
	var rows []importRow
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if len(rows) == 0 {
				return nil, errors.New("no UserImport element")
			}
			return rows, nil
		case xml.StartElement:
			if t.Name.Local != "UserImport" {
				return nil, fmt.Errorf("unexpected element %s in UserImports", t.Name.Local)
			}
			row, err := parseRow(dec)
			if err != nil {
				return nil, fmt.Errorf("UserImport %d: %w", len(rows)+1, err)
			}
			rows = append(rows, row)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside UserImport")
			}
		}
	}
}

func nextStart(dec *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t, nil
		}
	}
}

// parseRow reads one UserImport's elements, in the schema's order.
func parseRow(dec *xml.Decoder) (importRow, error) {
	row := importRow{}
	last := -1
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return row, nil
		case xml.StartElement:
			pos, known := importElements[t.Name.Local]
			switch {
			case !known:
				return nil, fmt.Errorf("unknown element %s", t.Name.Local)
			case pos <= last:
				return nil, fmt.Errorf("element %s is out of order (Litmos would drop it)", t.Name.Local)
			}
			last = pos
			var text string
			if err := dec.DecodeElement(&text, &t); err != nil {
				return nil, err
			}
			row[t.Name.Local] = text
		}
	}
}

// getImport answers the job, advancing it one poll; 400 for an unknown id,
// as the SAP spec says.
func (s *Server) getImport(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	j := s.st.imports[id]
	if j == nil {
		s.mu.Unlock()
		replyError(w, r, http.StatusBadRequest, "Bulk Import Id was not found.")
		return
	}
	if !j.job.Finished() {
		j.polls++
		j.job.Status = "Processing"
		if j.polls >= s.importPolls {
			s.finishImport(j)
			s.st.pendingImports = slices.DeleteFunc(s.st.pendingImports, func(p string) bool { return p == id })
		}
	}
	out := j.job
	s.mu.Unlock()
	reply(w, r, http.StatusOK, out, "UserBulkImport", "")
}

// importErrors answers the rows a finished job refused (none before then).
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request, id string) {
	start, limit, _, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	j := s.st.imports[id]
	var out []litmos.BulkImportError
	if j != nil {
		out = append(out, j.errors...)
	}
	s.mu.Unlock()
	if j == nil {
		replyError(w, r, http.StatusBadRequest, "Bulk Import Id was not found.")
		return
	}
	reply(w, r, http.StatusOK, nonNil(fakeserver.Page(out, start, limit)), "UserImportErrors", "UserImportError")
}

// applyImport imports j's rows in order, counting and recording refusals.
func (s *Server) applyImport(j *bulkJob) {
	seen := map[string]bool{}
	for _, row := range j.rows {
		name := nameKey(row["Username"])
		var status string
		switch {
		case seen[name] && name != "":
			j.job.Duplicate++
			status = "Failed - Duplicate Username"
		case row["Email"] != "" && !isEmail(row["Email"]):
			j.job.InvalidEmail++
			status = "Failed - Invalid Email"
		default:
			if msg := s.importRow(row, &j.job); msg != "" {
				j.job.Failed++
				status = "Failed - " + msg
			}
		}
		seen[name] = true
		if status != "" {
			j.errors = append(j.errors, litmos.BulkImportError{Username: row["Username"], ImportStatus: status})
		}
	}
}

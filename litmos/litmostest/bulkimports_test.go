package litmostest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

var xmlCT = http.Header{"Content-Type": {"application/xml"}}

func importsBody(rows ...string) string {
	return "<UserImports>" + strings.Join(rows, "") + "</UserImports>"
}

const goodRow = "<UserImport><Username>ana@example.com</Username><Email>ana@example.com</Email>" +
	"<FirstName>Ana</FirstName><LastName>Lima</LastName></UserImport>"

// TestBulkImportStrictness: the fake refuses an import whole for what
// Litmos's XML reader cannot take, and for more than the documented size.
func TestBulkImportStrictness(t *testing.T) {
	srv := litmostest.NewServer(t)
	tests := []struct {
		name       string
		call       call
		wantStatus int
		wantBody   string
	}{
		{"JSON body", call{method: "POST", path: "/bulkimports", header: jsonCT, body: `[{"Username":"a@b.com"}]`}, 400, "XML"},
		{"out of order", call{method: "POST", path: "/bulkimports", header: xmlCT,
			body: importsBody("<UserImport><Email>a@b.com</Email><Username>a@b.com</Username></UserImport>")}, 400, "out of order"},
		{"unknown element", call{method: "POST", path: "/bulkimports", header: xmlCT,
			body: importsBody("<UserImport><Username>a@b.com</Username><Department>Ops</Department></UserImport>")}, 400, "unknown element"},
		{"raw ampersand", call{method: "POST", path: "/bulkimports", header: xmlCT,
			body: importsBody("<UserImport><Username>a@b.com</Username><Title>Baker & Co</Title></UserImport>")}, 400, "not a valid"},
		{"wrong root", call{method: "POST", path: "/bulkimports", header: xmlCT, body: "<Users>" + goodRow + "</Users>"}, 400, "root"},
		{"no rows", call{method: "POST", path: "/bulkimports", header: xmlCT, body: importsBody()}, 400, "no UserImport"},
		{"over 2000 KB", call{method: "POST", path: "/bulkimports", header: xmlCT,
			body: importsBody(strings.Repeat(goodRow, 2_000_000/len(goodRow)+1))}, 413, ""},
		{"unknown job", call{method: "GET", path: "/bulkimports/nope"}, 400, "Bulk Import Id was not found."},
		{"unknown job errors", call{method: "GET", path: "/bulkimports/nope/usererrors"}, 400, "Bulk Import Id was not found."},
		{"no source", call{method: "POST", path: "/bulkimports", header: xmlCT, body: importsBody(goodRow), query: map[string][]string{"format": {"json"}}}, 403, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := do(t, srv, tt.call)
			if status != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Errorf("got %d %.200s, want %d containing %q", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
	if len(srv.BulkImports()) != 0 || len(srv.Users()) != 0 {
		t.Errorf("a refused import left %d jobs, %d users", len(srv.BulkImports()), len(srv.Users()))
	}
}

// TestBulkImportIsAsynchronous: the POST answers "Waiting" and imports
// nothing; the job runs over its polls and only the last one applies it.
func TestBulkImportIsAsynchronous(t *testing.T) {
	srv := litmostest.NewServer(t)
	srv.SetBulkImportPolls(2)
	status, body, _ := do(t, srv, call{method: "POST", path: "/bulkimports", header: xmlCT, body: importsBody(goodRow)})
	var job litmos.BulkImport
	if err := json.Unmarshal([]byte(body), &job); status != 200 || err != nil || job.Status != "Waiting" || job.TotalRecords != 1 {
		t.Fatalf("POST: %d %s", status, body)
	}
	var seen []string
	for i := 0; i < 3; i++ {
		_, body, _ = do(t, srv, call{method: "GET", path: "/bulkimports/" + job.ID})
		if err := json.Unmarshal([]byte(body), &job); err != nil {
			t.Fatal(err)
		}
		_, there := srv.UserByUsername("ana@example.com")
		seen = append(seen, job.Status+map[bool]string{true: "+user", false: ""}[there])
	}
	if got := strings.Join(seen, ","); got != "Processing,Completed+user,Completed+user" || job.TotalUsersCreated != 1 {
		t.Errorf("polls saw %s, created %d", got, job.TotalUsersCreated)
	}
}

// TestBulkImportFinishesUnpolled: a job nobody polls still finishes, as
// on Litmos: any other request applies it first (a listing sees its
// users, a later job runs after it), its own polls keep their count, and
// FinishBulkImports finishes what is left.
func TestBulkImportFinishesUnpolled(t *testing.T) {
	srv := litmostest.NewServer(t)
	srv.SetBulkImportPolls(5)
	post := func(row string) litmos.BulkImport {
		t.Helper()
		status, body, _ := do(t, srv, call{method: "POST", path: "/bulkimports", header: xmlCT, body: importsBody(row)})
		var job litmos.BulkImport
		if err := json.Unmarshal([]byte(body), &job); status != 200 || err != nil || job.Status != "Waiting" {
			t.Fatalf("POST: %d %s", status, body)
		}
		return job
	}
	poll := func(id string) string {
		t.Helper()
		_, body, _ := do(t, srv, call{method: "GET", path: "/bulkimports/" + id})
		var job litmos.BulkImport
		if err := json.Unmarshal([]byte(body), &job); err != nil {
			t.Fatal(err)
		}
		return job.Status
	}
	ana := post(goodRow)
	if got := poll(ana.ID); got != "Processing" {
		t.Errorf("own first poll: %s", got)
	}
	if _, there := srv.UserByUsername("ana@example.com"); there {
		t.Fatal("the job ran before any other request")
	}
	_, body, _ := do(t, srv, call{method: "GET", path: "/users"})
	if !strings.Contains(body, "ana@example.com") {
		t.Errorf("a listing after the job does not show its user: %.300s", body)
	}
	if got := poll(ana.ID); got != "Completed" {
		t.Errorf("poll after the listing: %s", got)
	}

	// A second job, then a third naming the second's user as manager: the
	// second finishes before the third is taken, so the manager exists.
	bo := post(strings.Replace(goodRow, "ana@", "bo@", 2))
	cy := post(strings.Replace(strings.Replace(goodRow, "ana@", "cy@", 2), "</LastName>", "</LastName><Manager>bo@example.com</Manager>", 1))
	if got := srv.BulkImports()[1]; got.ID != bo.ID || got.Status != "Completed" || got.TotalUsersCreated != 1 {
		t.Errorf("the job before a new POST: %+v", got)
	}
	srv.FinishBulkImports()
	b, _ := srv.UserByUsername("bo@example.com")
	c, ok := srv.UserByUsername("cy@example.com")
	if !ok || c.ManagerID != b.ID || srv.BulkImports()[2].Status != "Completed" {
		t.Errorf("after FinishBulkImports: %+v, manager %q want %q", srv.BulkImports()[2], c.ManagerID, b.ID)
	}
	if got := poll(cy.ID); got != "Completed" || len(srv.Users()) != 3 {
		t.Errorf("finished job polls %s, %d users", got, len(srv.Users()))
	}
}

// FuzzBulkImportBody: whatever body a client posts, the fake answers
// 200 (a job), 400 or 413, and a job it took finishes on its polls.
func FuzzBulkImportBody(f *testing.F) {
	f.Add(importsBody(goodRow))
	f.Add(importsBody(goodRow, strings.Replace(goodRow, "ana@", "bo@", 2)))
	f.Add("<UserImports><UserImport><Username>a</Username><Active>maybe</Active><AccessLevel/></UserImport></UserImports>")
	f.Add("<UserImports><UserImport><Username>x@y.z</Username><Manager>x@y.z</Manager><InActiveDate>2026-01-01T00:00:00</InActiveDate></UserImport></UserImports>")
	srv := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
	defer srv.Close()
	srv.SetBulkImportPolls(1)
	f.Fuzz(func(t *testing.T, body string) {
		status, reply, _ := do(t, srv, call{method: "POST", path: "/bulkimports", header: xmlCT, body: body})
		switch status {
		case 400, 413:
			return
		case 200:
		default:
			t.Fatalf("POST %q: %d %s", body, status, reply)
		}
		var job litmos.BulkImport
		if err := json.Unmarshal([]byte(reply), &job); err != nil {
			t.Fatalf("POST answered %s: %v", reply, err)
		}
		_, reply, _ = do(t, srv, call{method: "GET", path: "/bulkimports/" + job.ID})
		if err := json.Unmarshal([]byte(reply), &job); err != nil || !job.Succeeded() ||
			job.TotalUsersCreated+job.Failed+job.Duplicate+job.InvalidEmail > job.TotalRecords {
			t.Fatalf("job after its poll: %s (%v)", reply, err)
		}
	})
}

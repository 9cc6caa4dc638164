package hibobtest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
)

// AddWorkEntry adds a row as the API's work entry does: the new title (a
// missing one added to the list), the other columns from the row before;
// no request is logged; a duplicate date or an unknown employee panics.
func TestAddWorkEntry(t *testing.T) {
	srv, ids := newSeeded(t)
	before := len(srv.Log().Entries())
	srv.AddWorkEntry(ids["engineer"], "2026-05-01", "Staff Engineer")
	rows := srv.WorkHistory(ids["engineer"])
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	want := rows[0]
	want.ID, want.EffectiveDate, want.Title, want.TitleID = rows[1].ID, "2026-05-01", "Staff Engineer", rows[1].TitleID
	if diff := cmp.Diff(want, rows[1]); diff != "" || want.TitleID == rows[0].TitleID {
		t.Errorf("the new row is not the one before with the new title (-want +got):\n%s", diff)
	}
	if e, _ := srv.Employee(ids["engineer"]); e.Title != "Staff Engineer" {
		t.Errorf("current title %q", e.Title)
	}
	if n := len(srv.Log().Entries()); n != before {
		t.Errorf("%d requests logged", n-before)
	}
	for _, bad := range [][2]string{{ids["engineer"], "2026-05-01"}, {"nobody", "2026-06-01"}} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, "AddWorkEntry") {
					t.Errorf("AddWorkEntry(%q, %q): panic %q", bad[0], bad[1], r)
				}
			}()
			srv.AddWorkEntry(bad[0], bad[1], "Staff Engineer")
		}()
	}
}

// SendEvent answers the receiver's status for one signed event, and the
// transport's error when there is no receiver.
func TestSendEvent(t *testing.T) {
	srv, ids := newSeeded(t)
	var n int
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if r.Header.Get("Bob-Signature") != hibob.Sign("s3cret", readAll(r)) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer receiver.Close()
	ev := hibob.WebhookPayload{Type: hibob.EventEmployeeLeft, EmployeeID: ids["engineer"]}
	if status, err := srv.SendEvent(context.Background(), receiver.URL, "s3cret", ev); status != http.StatusAccepted || err != nil || n != 1 {
		t.Errorf("SendEvent: %d, %v after %d deliveries; want 202 after 1", status, err, n)
	}
	if status, err := srv.SendEvent(context.Background(), "http://127.0.0.1:1/", "s3cret", ev); status != 0 || err == nil {
		t.Errorf("no receiver: %d, %v", status, err)
	}
}

func readAll(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

package jobs_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// A company of 120 synced in bulk: the leader; 51 in the first job (the
// leader's reports); 68 in the second.
const cutCompany = 120

func bulk(s *setup) { s.BulkMin = 10 }

// uncutState is Litmos after one plain bulk first sync of cutCompany.
func uncutState(t *testing.T) map[string]string {
	clean := newEnv(t, bulk)
	staffCompany(clean, cutCompany)
	clean.sync(t)
	return learnerState(clean)
}

// TestBulkJobFinishesAfterCutOff: a first sync in bulk is cancelled while
// it polls its first import job; Litmos runs the job anyway. The next
// sync finds the users that job made and links them (no second create),
// creates the rest, and leaves Litmos as an uncut sync does: each
// username once, managers right; a third sync writes nothing.
func TestBulkJobFinishesAfterCutOff(t *testing.T) {
	want := uncutState(t)

	for _, finish := range []string{"by the next request", "by FinishBulkImports"} {
		t.Run(finish, func(t *testing.T) {
			e := newEnv(t, bulk)
			staffCompany(e, cutCompany)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// The first poll of the first job cuts the sync off; the poll
			// itself is served (the job stays "Processing").
			e.lms.AddFault(litmostest.Fault{Method: http.MethodGet, Path: litmostest.ServicePath + "/bulkimports/*", Times: 1,
				Match: func(*http.Request) bool { cancel(); return false }})
			if _, err := e.job.Sync(ctx); err == nil {
				t.Log("the cut-off sync reported no error")
			}
			jobs := e.lms.BulkImports()
			if len(jobs) != 1 || jobs[0].Finished() || jobs[0].TotalRecords != 51 {
				t.Fatalf("after the cut: jobs %+v; want one of 51 rows, unfinished", jobs)
			}
			if finish == "by FinishBulkImports" {
				e.lms.FinishBulkImports()
			}
			e.lms.Log().Reset()
			rep := e.sync(t)
			if got := e.lms.BulkImports()[0]; !got.Succeeded() || got.TotalUsersCreated != 51 {
				t.Errorf("the cut-off job: %+v; want it completed with its 51 users", got)
			}
			// The cut-off job's 51 users are linked, not created again:
			// only the second level (68) is posted.
			if jobs := e.lms.BulkImports(); len(jobs) != 2 || jobs[1].TotalRecords != 68 {
				t.Errorf("second sync posted %d jobs (%+v); want one more, of the 68 not yet made", len(jobs)-1, jobs[1:])
			}
			if rep.Counts[syncengine.ResultFailed] != 0 {
				t.Errorf("second sync: %s", rep.Summary())
			}
			for name, k := range usernames(e.lms) {
				if k != 1 {
					t.Errorf("%d learners named %s", k, name)
				}
			}
			if d := cmp.Diff(want, learnerState(e)); d != "" {
				t.Errorf("Litmos after the cut and a second sync (-uncut +got):\n%s", d)
			}
			e.lms.Log().Reset()
			if rep := e.sync(t); e.writes() != 0 {
				t.Errorf("third sync wrote %d times: %s", e.writes(), rep.Summary())
			}
		})
	}
}

// TestBulkRefusedCreatesOneByOne: when Litmos refuses every import whole
// (413), the first sync creates each learner alone and leaves Litmos as a
// bulk sync does, in one run; a second sync writes nothing.
func TestBulkRefusedCreatesOneByOne(t *testing.T) {
	want := uncutState(t)
	e := newEnv(t, bulk)
	staffCompany(e, cutCompany)
	e.lms.AddFault(litmostest.Fault{Method: http.MethodPost, Path: litmostest.ServicePath + "/bulkimports", Status: http.StatusRequestEntityTooLarge})
	if rep := e.sync(t); rep.Counts[syncengine.ResultCreated] != cutCompany {
		t.Errorf("first sync: %s", rep.Summary())
	}
	posts := e.lms.Log().Count(func(en litmostest.Entry) bool {
		return en.Method == http.MethodPost && en.Path == litmostest.ServicePath+"/users"
	})
	if len(e.lms.BulkImports()) != 0 || posts != cutCompany {
		t.Errorf("%d jobs, %d single creates; want 0, %d", len(e.lms.BulkImports()), posts, cutCompany)
	}
	if d := cmp.Diff(want, learnerState(e)); d != "" {
		t.Errorf("Litmos after refused imports (-bulk +one by one):\n%s", d)
	}
	e.lms.Log().Reset()
	if rep := e.sync(t); e.writes() != 0 {
		t.Errorf("second sync wrote %d times: %s", e.writes(), rep.Summary())
	}
}

package jobs_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

const (
	lmsSignup = talentlmstest.APIPath + "/usersignup"
	lmsEdit   = talentlmstest.APIPath + "/edituser"
	hrHire    = talenthrtest.VersionPath + "/employees/hire"
	hrOne     = talenthrtest.VersionPath + "/employees/*"
	hrDir     = talenthrtest.VersionPath + "/directory"
)

// However the calls fail on either side (5xx, 429, cut connections, a
// create applied but its reply lost), after at most two runs every
// employee has exactly one TalentLMS user and every learner one TalentHR
// employee, nothing is lost, and the next plan is empty.
func TestTHRFaults(t *testing.T) {
	tests := []struct {
		name string
		dir  jobs.Direction
		hr   []talenthrtest.Fault
		lms  []talentlmstest.Fault
	}{
		{"HR to LMS: 5xx on reads", jobs.HRToLMS,
			[]talenthrtest.Fault{{Method: "GET", Path: hrDir, Status: http.StatusInternalServerError, Times: 1},
				{Method: "GET", Path: hrOne, Status: http.StatusBadGateway, Times: 2}},
			[]talentlmstest.Fault{{Method: "GET", Status: http.StatusInternalServerError, Skip: 3, Times: 1},
				{Method: "GET", Status: http.StatusServiceUnavailable, Times: 2}}},
		{"HR to LMS: 5xx on writes", jobs.HRToLMS, nil,
			[]talentlmstest.Fault{{Method: "POST", Path: lmsEdit, Status: http.StatusInternalServerError, Times: 2},
				{Method: "POST", Path: lmsSignup, Status: http.StatusBadGateway, Skip: 1, Times: 1}}},
		{"HR to LMS: 429", jobs.HRToLMS,
			[]talenthrtest.Fault{{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 2, Times: 3}},
			[]talentlmstest.Fault{{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 3, Times: 4}}},
		{"HR to LMS: dropped connections", jobs.HRToLMS,
			[]talenthrtest.Fault{{Method: "GET", Path: hrOne, Drop: true, Skip: 1, Times: 2}},
			[]talentlmstest.Fault{{Method: "GET", Drop: true, Skip: 2, Times: 2}, {Method: "POST", Path: lmsSignup, Drop: true, Times: 1},
				{Method: "POST", Path: lmsEdit, Drop: true, Times: 1}}},
		{"HR to LMS: signups applied, replies lost", jobs.HRToLMS, nil,
			[]talentlmstest.Fault{{Method: "POST", Path: lmsSignup, ApplyThenDrop: true, Times: 2}}},
		{"LMS to HR: 5xx", jobs.LMSToHR,
			[]talenthrtest.Fault{{Method: "PUT", Path: hrOne, Status: http.StatusInternalServerError, Times: 1},
				{Method: "POST", Path: hrHire, Status: http.StatusBadGateway, Times: 1},
				{Method: "GET", Path: hrDir, Status: http.StatusServiceUnavailable, Times: 2}},
			[]talentlmstest.Fault{{Method: "GET", Status: http.StatusInternalServerError, Skip: 2, Times: 1}}},
		{"LMS to HR: 429", jobs.LMSToHR,
			[]talenthrtest.Fault{{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 4, Times: 4}},
			[]talentlmstest.Fault{{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 1, Times: 2}}},
		{"LMS to HR: dropped connections", jobs.LMSToHR,
			[]talenthrtest.Fault{{Method: "POST", Path: hrHire, Drop: true, Times: 1}, {Method: "PUT", Path: hrOne, Drop: true, Times: 2}},
			[]talentlmstest.Fault{{Method: "GET", Drop: true, Skip: 1, Times: 2}}},
		{"LMS to HR: hires applied, replies lost", jobs.LMSToHR,
			[]talenthrtest.Fault{{Method: "POST", Path: hrHire, ApplyThenDrop: true, Times: 2}}, nil},
		{"two-way: all of them", jobs.TwoWay,
			[]talenthrtest.Fault{{Method: "POST", Path: hrHire, ApplyThenDrop: true, Times: 1},
				{Method: "POST", Path: hrHire, Drop: true, Times: 1},
				{Method: "PUT", Path: hrOne, Status: http.StatusInternalServerError, Times: 1},
				{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 5, Times: 2},
				{Method: "GET", Path: hrOne, Drop: true, Skip: 2, Times: 2}},
			[]talentlmstest.Fault{{Method: "POST", Path: lmsSignup, ApplyThenDrop: true, Times: 1},
				{Method: "POST", Path: lmsSignup, Drop: true, Times: 1},
				{Method: "POST", Path: lmsEdit, Status: http.StatusInternalServerError, Times: 2},
				{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 7, Times: 2},
				{Method: "GET", Status: http.StatusBadGateway, Skip: 4, Times: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTHREnv(t, tt.dir)
			for _, f := range tt.hr {
				e.hr.AddFault(f)
			}
			for _, f := range tt.lms {
				e.lms.AddFault(f)
			}
			ctx := context.Background()
			// Run 1 may fail part-way where a client cannot retry; run 2
			// must finish the job.
			rep, err := e.eng.Sync(ctx)
			if rep != nil {
				t.Logf("run 1: %v; %s", err, rep.Summary())
			} else {
				t.Logf("run 1: %v", err)
			}
			if rep, err = e.eng.Sync(ctx); err != nil {
				t.Fatalf("second run: %v", err)
			}
			t.Logf("run 2: %s", rep.Summary())
			thrFired(t, e, tt.hr, tt.lms)
			e.hr.ClearFaults()
			e.lms.ClearFaults()
			if tt.dir == jobs.TwoWay {
				e.sync(t) // the hire dates TalentHR gave flow back (see TestTHRFirstSyncTwoWay)
			}
			hr, lms := e.emails()
			for email, n := range hr {
				if n != 1 {
					t.Errorf("%s: %d TalentHR employees", email, n)
				}
			}
			for email, n := range lms {
				if n != 1 {
					t.Errorf("%s: %d TalentLMS users", email, n)
				}
			}
			thrNothingLost(t, e, tt.dir)
			if p := e.plan(t); p.HasChanges() {
				t.Errorf("the plan after the faults still has changes:\n%s", p)
			}
		})
	}
}

// thrNothingLost checks that the direction's people all arrived.
func thrNothingLost(t *testing.T, e *thrEnv, dir jobs.Direction) {
	t.Helper()
	if dir != jobs.LMSToHR {
		for _, who := range []string{"Ana", "Bo", "Zoë", "Nia"} {
			if u := e.lmsUser(t, who); u.Status != talentlms.Active {
				t.Errorf("%s is %s in TalentLMS", who, u.Status)
			}
		}
		if ed := e.lmsUser(t, "Ed"); ed.Status != talentlms.Inactive {
			t.Errorf("Ed is %s in TalentLMS", ed.Status)
		}
		if zoe := e.lmsUser(t, "Zoë"); e.custom(zoe, "jobTitle") != "Engineering Manager" {
			t.Errorf("Zoë's job title %q", e.custom(zoe, "jobTitle"))
		}
	}
	if dir != jobs.HRToLMS {
		if lena := e.employee(t, "Lena"); lena.HireDate != "2023-09-04" || lena.Profile["city"] != "Berlin" {
			t.Errorf("Lena in TalentHR: %+v", lena)
		}
		if omar := e.employee(t, "Omar"); omar.HireDate != "2025-11-03" {
			t.Errorf("Omar in TalentHR: %+v", omar)
		}
	}
}

// thrFired fails the test when a kind of fault never reached a client.
func thrFired(t *testing.T, e *thrEnv, hr []talenthrtest.Fault, lms []talentlmstest.Fault) {
	t.Helper()
	match := func(method, path, fm, fp string) bool {
		return (fm == "" || method == fm) && (fp == "" || path == fp || strings.HasSuffix(fp, "*") && strings.HasPrefix(path, strings.TrimSuffix(fp, "*")))
	}
	for _, f := range hr {
		if e.hr.Log().Count(func(x talenthrtest.Entry) bool {
			return match(x.Method, x.Path, f.Method, f.Path) && x.Status == f.Status
		}) == 0 {
			t.Errorf("TalentHR fault %+v never fired", f)
		}
	}
	for _, f := range lms {
		if e.lms.Log().Count(func(x talentlmstest.Entry) bool {
			return match(x.Method, x.Path, f.Method, f.Path) && x.Status == f.Status
		}) == 0 {
			t.Errorf("TalentLMS fault %+v never fired", f)
		}
	}
}

package talenthr_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// fakeClock is the fixed day the connector tests run on.
var fakeClock = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// newConnector returns a connector on a fresh fake, both on fakeClock.
func newConnector(t *testing.T, opts talenthr.ConnectorOptions) (*talenthr.Connector, *talenthrtest.Server) {
	t.Helper()
	srv := talenthrtest.NewServer(t)
	srv.SetClock(func() time.Time { return fakeClock })
	if opts.Now == nil {
		opts.Now = srv.Now
	}
	return talenthr.NewConnector(srv.NewClient(t), opts), srv
}

// conformanceRecord is the i-th new employee: the fields the hire takes,
// a job title (created on first use) and a work phone, which the hire
// does not take (so every create also checks the PUT after it).
func conformanceRecord(_ syncengine.Collection, i int) syncengine.Record {
	return syncengine.Record{Active: true, Fields: map[string]any{
		"first_name": fmt.Sprintf("First%d", i), "last_name": fmt.Sprintf("Last%d", i),
		"email":     fmt.Sprintf("user%d@example.com", i),
		"hire_date": time.Date(2024, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		"job_title": "Engineer", "work_phone": fmt.Sprintf("+30 210 555 %04d", i),
	}}
}

// TestConnectorConformance runs the engine's contract suite. TalentHR
// cannot deactivate (no termination call), so SetActive is not declared:
// the suite skips its SetActive case and seeds terminated employees
// through the fake (Seed) to check that List and Find yield them with
// Active false.
func TestConnectorConformance(t *testing.T) {
	var mu sync.Mutex
	servers := map[syncengine.Connector]*talenthrtest.Server{}
	factory := func(t *testing.T) syncengine.Connector {
		k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time", CreateMissingLookups: true})
		mu.Lock()
		servers[k] = srv
		mu.Unlock()
		return k
	}
	syncenginetest.RunConnectorTests(t, factory, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users},
		NewRecord:   conformanceRecord,
		Change: func(_ syncengine.Collection, i int) map[string]any {
			return map[string]any{"last_name": fmt.Sprintf("Last%d changed", i), "work_phone": "+30 210 000 9999"}
		},
		FindField: map[syncengine.Collection]string{syncengine.Users: "email"},
		FindFold:  true,
		Seed: func(t *testing.T, k syncengine.Connector, _ syncengine.Collection, rec syncengine.Record) string {
			mu.Lock()
			srv := servers[k]
			mu.Unlock()
			return seedEmployee(t, srv, rec)
		},
	})
}

// seedEmployee stores rec in the fake as TalentHR's web app would; an
// inactive rec is terminated the day before fakeClock.
func seedEmployee(t *testing.T, srv *talenthrtest.Server, rec syncengine.Record) string {
	t.Helper()
	text := func(f string) string { s, _ := rec.Fields[f].(string); return s }
	e := talenthrtest.Employee{FirstName: text("first_name"), LastName: text("last_name"), Email: text("email")}
	if phone := text("work_phone"); phone != "" {
		e.Profile = map[string]any{"work_phone": phone}
	}
	if d, ok := rec.Fields["hire_date"].(time.Time); ok {
		e.HireDate = d.Format(time.DateOnly)
	}
	if title := text("job_title"); title != "" {
		if e.JobTitleID = srv.LookupID(talenthr.JobTitles, title); e.JobTitleID == "" {
			e.JobTitleID = srv.AddJobTitle(title)
		}
	}
	if !rec.Active {
		e.TerminationDate = fakeClock.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return srv.AddEmployee(e)
}

package learnamp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// hibobLearnAmpMap is the hibob-learnamp preset: its two references
// name the connector's roles, "teams" and "manager".
func hibobLearnAmpMap(t *testing.T) *mapping.Map {
	t.Helper()
	m, err := mapping.Preset("hibob-learnamp")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func teamMap(t *testing.T) *mapping.Map {
	t.Helper()
	m, err := mapping.Load([]byte(`{"name": "hibob-learnamp-teams", "rules": [
		{"target": "name", "source": "name", "transforms": ["trim"], "required": true},
		{"target": "integrationExternalId", "source": "id", "transforms": ["to-string"], "required": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// hrPerson is an employee as the hibob connector's records carry it:
// flat keys that are HiBob field IDs, list fields by name with their IDs
// under ".id".
func hrPerson(id, first, last, title, dept, manager string) syncengine.Record {
	f := map[string]any{"root.id": id, "root.firstName": first, "root.surname": last,
		"root.email": strings.ToLower(first) + "@acme.test", "work.title": title, "work.site": "London",
		"work.department": strings.ToUpper(dept[:1]) + dept[1:], "work.department.id": dept,
		"work.startDate": time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), "work.reportsTo.id": nil, "work.manager": nil}
	if manager != "" {
		f["work.reportsTo.id"], f["work.manager"] = manager, manager
	}
	return syncengine.Record{ID: id, Active: true, Fields: f}
}

// syncEnv is an HR system (in memory) feeding the fake Learn Amp through
// the engine, as the HiBob → Learn Amp job does.
type syncEnv struct {
	hr  *syncenginetest.Connector
	srv *learnamptest.Server
	eng *syncengine.Engine
}

func newSyncEnv(t *testing.T, cfg func(*syncengine.Config)) *syncEnv {
	t.Helper()
	e := &syncEnv{hr: syncenginetest.NewConnector("hr"), srv: learnamptest.NewServer(t)}
	c := syncengine.Config{
		A: e.hr, B: learnamp.NewConnector(e.srv.NewClient(t), learnamp.ConnectorOptions{}),
		Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{
			{Collection: syncengine.Teams, AToB: syncengine.Rules{Map: teamMap(t), Create: true, Update: true,
				Match: []syncengine.MatchKey{{Field: "integrationExternalId"}}}},
			{Collection: syncengine.Users, AToB: syncengine.Rules{Map: hibobLearnAmpMap(t),
				Match:  []syncengine.MatchKey{{Field: "integrationExternalId"}, {Field: "email", Fold: true}},
				Create: true, Update: true, Deactivate: true, Reactivate: true, Refs: true}},
		},
	}
	if cfg != nil {
		cfg(&c)
	}
	eng, err := syncengine.New(c)
	if err != nil {
		t.Fatal(err)
	}
	e.eng = eng
	return e
}

// seed puts a company of n people in three departments in the HR
// system: person 1 manages everyone.
func (e *syncEnv) seed(n int) {
	for _, d := range []string{"eng", "sales", "ops"} {
		e.hr.Put(syncengine.Teams, syncengine.Record{ID: d, Active: true, Fields: map[string]any{"id": d, "name": strings.ToUpper(d[:1]) + d[1:]}})
	}
	for i := 1; i <= n; i++ {
		mgr := "p1"
		if i == 1 {
			mgr = ""
		}
		id := fmt.Sprintf("p%d", i)
		e.hr.Put(syncengine.Users, hrPerson(id, fmt.Sprintf("Ann%d", i), "Lee", "Engineer", []string{"eng", "sales", "ops"}[i%3], mgr))
	}
}

// run syncs and returns the API calls it made (token requests apart),
// failing the test on any failed outcome.
func (e *syncEnv) run(t *testing.T) []string {
	t.Helper()
	e.srv.Log().Reset()
	rep, err := e.eng.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	for _, o := range rep.Outcomes {
		if o.Status == syncengine.StatusFailed {
			t.Errorf("%s %s failed: %s", o.Collection, o.AID, o.Error)
		}
	}
	var out []string
	for _, en := range e.srv.Log().Entries() {
		if !learnamptest.IsTokenRequest(en) {
			out = append(out, en.Method+" "+en.Path)
		}
	}
	return out
}

func count(calls []string, prefix string) int {
	n := 0
	for _, c := range calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// The HiBob → Learn Amp job on the connector, in calls: a first sync of
// 150 people is the two listings (one page each: both are empty) plus
// one POST per team and per person, each person's carrying its primary
// team and manager; a sync with nothing changed lists (users on two pages
// of 100 now) and a sync with
// nothing changed writes nothing; one changed person is one PUT; a
// department move is one PUT; a leaver is one deactivation.
func TestConnectorSyncCalls(t *testing.T) {
	e := newSyncEnv(t, nil)
	e.seed(150)
	calls := e.run(t)
	want := map[string]int{"GET /v1/teams": 1, "GET /v1/users": 1, "POST /v1/teams": 3, "POST /v1/users": 150}
	got := map[string]int{}
	for p := range want {
		got[p] = count(calls, p)
	}
	if d := cmp.Diff(want, got); d != "" || len(calls) != 155 {
		t.Errorf("first sync: %d calls (-want +got):\n%s", len(calls), d)
	}
	if n := len(e.srv.Invitations()); n != 0 {
		t.Errorf("%d invitations sent", n)
	}
	lee := mustUser(t, e.srv, "p2")
	boss := mustUser(t, e.srv, "p1")
	eng, _ := e.srv.TeamByExternalID("eng")
	ops, _ := e.srv.TeamByExternalID("ops")
	if lee.ManagerID != boss.ID || lee.PrimaryTeamID != ops.ID || lee.JobTitle != "Engineer" || lee.Location != "London" ||
		lee.HireDate != (learnamp.Date{Year: 2024, Month: 2, Day: 1}) || lee.Status != learnamp.StatusNotInvited {
		t.Errorf("p2 in Learn Amp: %+v", lee)
	}

	if calls := e.run(t); len(calls) != 3 || count(calls, "GET /v1/users") != 2 {
		t.Errorf("unchanged sync: %v, want the two listings (users on two pages) and no write", calls)
	}

	p := hrPerson("p2", "Ann2", "Lee", "Staff Engineer", "ops", "p1")
	e.hr.Put(syncengine.Users, p)
	if calls := e.run(t); len(calls) != 4 || calls[3] != "PUT /v1/users/"+lee.ID {
		t.Errorf("one title change: %v, want the listings and one PUT", calls)
	}

	p = hrPerson("p2", "Ann2", "Lee", "Staff Engineer", "eng", "p1")
	e.hr.Put(syncengine.Users, p)
	if calls := e.run(t); len(calls) != 4 || calls[3] != "PUT /v1/users/"+lee.ID {
		t.Errorf("department move: %v, want the listings and one PUT", calls)
	}
	if got := mustUser(t, e.srv, "p2"); got.PrimaryTeamID != eng.ID || len(got.SecondaryTeamIDs) != 0 {
		t.Errorf("after the move: primary %s, secondary %v; want %s alone", got.PrimaryTeamID, got.SecondaryTeamIDs, eng.ID)
	}

	p.Active = false
	e.hr.Put(syncengine.Users, p)
	if calls := e.run(t); len(calls) != 4 || calls[3] != "PUT /v1/users/"+lee.ID+"/deactivate" {
		t.Errorf("leaver: %v, want the listings and one deactivation", calls)
	}
	if calls := e.run(t); len(calls) != 3 {
		t.Errorf("after the leaver: %v, want the listings and no write", calls)
	}
}

func mustUser(t *testing.T, srv *learnamptest.Server, ext string) learnamptest.User {
	t.Helper()
	u, ok := srv.UserByExternalID(ext)
	if !ok {
		t.Fatalf("no Learn Amp user %s", ext)
	}
	return u
}

// A token that dies in the middle of a run (Learn Amp revoked it, or its
// two hours ran out) is renewed on the 401 and the call sent again: the
// run has no failure and creates every person once.
func TestConnectorSyncTokenDiesMidRun(t *testing.T) {
	var srv *learnamptest.Server
	steps := 0
	e := newSyncEnv(t, func(c *syncengine.Config) {
		c.Concurrency = 1
		c.OnProgress = func(int, int, syncengine.Outcome) {
			if steps++; steps == 10 {
				srv.ExpireTokens()
			}
		}
	})
	srv = e.srv
	e.seed(30)
	calls := e.run(t)
	if n := count(calls, "POST /v1/users"); n != 31 { // one refused with 401, then sent again
		t.Errorf("%d user creates sent, want 31 (30 and one resent after the 401)", n)
	}
	if got := len(srv.Users()); got != 30 {
		t.Errorf("%d users in Learn Amp, want 30", got)
	}
	if n := srv.Log().Count(learnamptest.IsTokenRequest); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	unauthorized := 0
	for _, en := range srv.Log().Entries() {
		if en.Status == 401 {
			unauthorized++
		}
	}
	if unauthorized != 1 {
		t.Errorf("%d requests answered 401, want 1", unauthorized)
	}
}

// A map that names a reference by Learn Amp's body field
// ("primaryTeamId") instead of the connector's role is refused when the
// engine is built, naming the role to use, instead of failing every write.
func TestConnectorRefusesBodyFieldReferenceNames(t *testing.T) {
	m, err := mapping.Load([]byte(`{"name": "wrong-roles", "rules": [
		{"target": "integrationExternalId", "source": "id", "required": true},
		{"target": "primaryTeamId", "source": "department", "transforms": [{"name": "reference", "args": {"collection": "teams"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv := learnamptest.NewServer(t)
	_, err = syncengine.New(syncengine.Config{
		A: syncenginetest.NewConnector("hr"), B: learnamp.NewConnector(srv.NewClient(t), learnamp.ConnectorOptions{}),
		Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{Map: m,
			Match: []syncengine.MatchKey{{Field: "integrationExternalId"}}, Create: true, Update: true, Refs: true}}},
	})
	if !errors.Is(err, syncengine.ErrConfig) || !strings.Contains(err.Error(), "unknown field") ||
		!strings.Contains(err.Error(), `"primaryTeamId"`) || !strings.Contains(err.Error(), `"teams" reference`) {
		t.Errorf("New with a primaryTeamId reference target: %v", err)
	}
}

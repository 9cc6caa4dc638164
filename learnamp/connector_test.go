package learnamp_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// newConnector starts a fake Learn Amp (under a path prefix) and returns a
// connector on it.
func newConnector(t *testing.T, opts learnamp.ConnectorOptions) (*learnamp.Connector, *learnamptest.Server) {
	t.Helper()
	srv, c := newFake(t)
	return learnamp.NewConnector(c, opts), srv
}

func conformanceRecord(c syncengine.Collection, i int) syncengine.Record {
	if c == syncengine.Teams {
		return syncengine.Record{Active: true, Fields: map[string]any{
			"name": fmt.Sprintf("Team %d", i), "integrationExternalId": fmt.Sprintf("dept-%d", i)}}
	}
	return syncengine.Record{Active: true, Fields: map[string]any{
		"email": fmt.Sprintf("user%d@example.com", i), "firstName": fmt.Sprintf("First%d", i),
		"lastName": fmt.Sprintf("Last%d", i), "integrationExternalId": fmt.Sprintf("HR-%d", i),
		"jobTitle": "Baker", "location": "Porto", "department": "Kitchen",
		"hireDate": time.Date(2024, 3, 1+i%28, 0, 0, 0, 0, time.UTC),
	}}
}

func conformanceOptions(find map[syncengine.Collection]string, fold bool) syncenginetest.ConformanceOptions {
	return syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users, syncengine.Teams},
		NewRecord:   conformanceRecord,
		Change: func(c syncengine.Collection, i int) map[string]any {
			if c == syncengine.Teams {
				return map[string]any{"name": fmt.Sprintf("Team %d renamed", i), "integrationExternalId": fmt.Sprintf("dept-%d-new", i)}
			}
			return map[string]any{"jobTitle": fmt.Sprintf("Chef %d", i), "location": "Lisbon"}
		},
		Refs: func(c syncengine.Collection, target string) map[string][]syncengine.Ref {
			if c == syncengine.Teams {
				return map[string][]syncengine.Ref{syncengine.RoleParent: {{Collection: syncengine.Teams, ID: target}}}
			}
			return map[string][]syncengine.Ref{syncengine.RoleManager: {{Collection: syncengine.Users, ID: target}}}
		},
		FindField: find,
		FindFold:  fold,
	}
}

// The contract, with Find checked by the lookups the engine uses: email
// and team name (case-insensitive, trimmed), then integrationExternalId
// (the HR sync's match key, exact).
func TestConnectorConformance(t *testing.T) {
	factory := func(t *testing.T) syncengine.Connector {
		k, _ := newConnector(t, learnamp.ConnectorOptions{})
		return k
	}
	t.Run("ByEmail", func(t *testing.T) {
		syncenginetest.RunConnectorTests(t, factory, conformanceOptions(map[syncengine.Collection]string{
			syncengine.Users: "email", syncengine.Teams: "name"}, true))
	})
	t.Run("ByExternalID", func(t *testing.T) {
		syncenginetest.RunConnectorTests(t, factory, conformanceOptions(map[syncengine.Collection]string{
			syncengine.Users: "integrationExternalId", syncengine.Teams: "integrationExternalId"}, false))
	})
}

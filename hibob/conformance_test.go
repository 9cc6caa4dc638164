package hibob_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestConnectorConformance(t *testing.T) {
	var mu sync.Mutex
	servers := map[syncengine.Connector]*hibobtest.Server{}
	factory := func(t *testing.T) syncengine.Connector {
		srv := newFake(t)
		k := newConnector(t, srv, hibob.ConnectorOptions{})
		mu.Lock()
		servers[k] = srv
		mu.Unlock()
		return k
	}
	syncenginetest.RunConnectorTests(t, factory, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users, syncengine.Teams},
		NewRecord: func(c syncengine.Collection, i int) syncengine.Record {
			if c == syncengine.Teams {
				return syncengine.Record{Active: true, Fields: map[string]any{"name": fmt.Sprintf("Team %d", i)}}
			}
			return syncengine.Record{Active: true, Fields: map[string]any{
				"root.firstName": fmt.Sprintf("First%d", i), "root.surname": fmt.Sprintf("Last%d", i),
				"root.email": fmt.Sprintf("user%d@example.com", i),
			}}
		},
		FindField: map[syncengine.Collection]string{syncengine.Users: hibob.FieldEmail},
		FindFold:  true,
		Seed: func(t *testing.T, k syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string {
			mu.Lock()
			srv := servers[k]
			mu.Unlock()
			return seedRecord(srv, c, rec)
		},
	})
}

// seedRecord adds rec to the fake: an employee (a leaver when inactive)
// or a department (archived when inactive).
func seedRecord(srv *hibobtest.Server, c syncengine.Collection, rec syncengine.Record) string {
	str := func(f string) string { s, _ := rec.Fields[f].(string); return s }
	if c == syncengine.Teams {
		id := srv.AddDepartment(str("name"), "")
		if !rec.Active {
			srv.ArchiveListItem(hibob.ListDepartment, id)
		}
		return id
	}
	e := hibobtest.Employee{FirstName: str("root.firstName"), Surname: str("root.surname"), Email: str("root.email")}
	if !rec.Active {
		e.TerminationDate = "2026-01-15"
	}
	return srv.AddEmployee(e)
}

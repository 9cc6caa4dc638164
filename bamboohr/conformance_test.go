package bamboohr_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestConnectorConformance(t *testing.T) {
	var mu sync.Mutex
	servers := map[syncengine.Connector]*bamboohrtest.Server{}
	factory := func(t *testing.T) syncengine.Connector {
		srv := bamboohrtest.NewServer(t)
		k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
		mu.Lock()
		servers[k] = srv
		mu.Unlock()
		return k
	}
	syncenginetest.RunConnectorTests(t, factory, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users},
		NewRecord: func(c syncengine.Collection, i int) syncengine.Record {
			return syncengine.Record{Active: true, Fields: map[string]any{
				"firstName": fmt.Sprintf("First%d", i), "lastName": fmt.Sprintf("Last%d", i),
				"workEmail": fmt.Sprintf("user%d@example.com", i), bamboohr.AccessField: true,
			}}
		},
		FindField: map[syncengine.Collection]string{},
		Seed: func(t *testing.T, k syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string {
			mu.Lock()
			srv := servers[k]
			mu.Unlock()
			return seedRecord(srv)(t, k, c, rec)
		},
	})
}

package syncenginetest_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestConnectorConformance(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		return syncenginetest.NewConnector("mem", syncenginetest.WithFindFold("email", "name", "course"),
			syncenginetest.WithUnique(syncengine.Users, "email"))
	}, syncenginetest.ConformanceOptions{
		FindFold: true,
		FindField: map[syncengine.Collection]string{
			syncengine.Users: "email", syncengine.Teams: "name", syncengine.Enrollments: "course",
		},
		Refs: func(c syncengine.Collection, target string) map[string][]syncengine.Ref {
			return map[string][]syncengine.Ref{"related": {{Collection: c, ID: target}}}
		},
	})
}

func TestMaskedConnectorConformance(t *testing.T) {
	masks := map[string]syncengine.Capability{
		"read-only":   syncengine.CanList | syncengine.CanGet,
		"no-optional": syncengine.CanList | syncengine.CanGet | syncengine.CanCreate | syncengine.CanUpdate | syncengine.CanSetActive,
	}
	for name, caps := range masks {
		t.Run(name, func(t *testing.T) {
			syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
				return syncenginetest.NewConnector("mem",
					syncenginetest.WithCapabilities(syncengine.Users, caps),
					syncenginetest.WithCapabilities(syncengine.Teams, 0),
					syncenginetest.WithCapabilities(syncengine.Courses, 0),
					syncenginetest.WithCapabilities(syncengine.Enrollments, 0))
			}, syncenginetest.ConformanceOptions{Seed: seed})
		})
	}
}

func seed(t *testing.T, k syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string {
	return k.(*syncenginetest.Connector).Put(c, rec)
}

// With every capability (one write per record, creates with references,
// bulk creates) the in-memory connector keeps the contract too.
func TestEveryCapabilityConformance(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		return syncenginetest.NewConnector("mem", syncenginetest.WithFindFold("email"),
			syncenginetest.WithUnique(syncengine.Users, "email"),
			syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability),
			syncenginetest.WithCapabilities(syncengine.Teams, 0), syncenginetest.WithCapabilities(syncengine.Courses, 0),
			syncenginetest.WithCapabilities(syncengine.Enrollments, 0))
	}, syncenginetest.ConformanceOptions{FindFold: true})
}

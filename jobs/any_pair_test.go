package jobs_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// Any HR system feeds any learning platform with no preset of its own:
// BambooHR into a sink that is not Litmos, through the canonical person.
func TestAnyHRToAnySink(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	sink := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
	m, err := mapping.Compose(must(mapping.Preset(mapping.PresetBambooHRPerson)), must(mapping.Preset(mapping.PresetPersonLearnAmp)))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := syncengine.New(syncengine.Config{
		A: bamboohr.NewConnector(e.hr.NewClient(t), bamboohr.ConnectorOptions{}), B: sink,
		Store: syncengine.NewMemoryStore(), Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{Map: m,
			Match: []syncengine.MatchKey{{Field: "email", Fold: true}}, Create: true, Update: true, Deactivate: true, Refs: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	byEmail := map[string]syncengine.Record{}
	for _, r := range sink.Records(syncengine.Users) {
		byEmail[r.Fields["email"].(string)] = r
	}
	bo, boss := byEmail["bo.chen@acme.example"], byEmail["zoe.nunez@acme.example"]
	if bo.Fields["integrationExternalId"] != c.report || bo.Fields["jobTitle"] != "Engineer" || bo.Fields["lastName"] != "Chen" {
		t.Fatalf("Bo in the sink = %+v", bo)
	}
	if m := bo.Refs["manager"]; len(m) != 1 || m[0].ID != boss.ID {
		t.Errorf("Bo's manager = %v, want %s", m, boss.ID)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

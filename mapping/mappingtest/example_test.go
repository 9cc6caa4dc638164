package mappingtest_test

import (
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/mapping/mappingtest"
)

// In a test, assert a map in one call; on failure the test log shows the
// go-cmp diff and the explanation of every rule.
func ExampleAssertMap() {
	var t *testing.T // in a real test: func TestLitmosMap(t *testing.T)
	m, _ := mapping.Preset(mapping.PresetLitmosPlatform)
	mappingtest.AssertMap(t, m, map[string]any{
		"Id": "rnjx2WaQOEY1", "Email": "janine.butcher@pieshop.net", "FirstName": "Janine", "LastName": "Butcher",
	}, map[string]any{
		"integration_id": "rnjx2WaQOEY1", "email": "janine.butcher@pieshop.net", "first_name": "Janine", "last_name": "Butcher",
		"name": nil, "phone_business": nil, "phone_mobile": nil, "address_one": nil, "address_two": nil, "city": nil,
		"state": nil, "zip": nil, "country": nil, "company": nil, "title": nil, "timezone": nil,
		"language": nil, "manager": nil, "optional_1": nil, "optional_2": nil, "optional_3": nil,
	})
}

// Explain shows which rule wrote each field from which value.
func ExampleExplain() {
	m, _ := mapping.Preset(mapping.PresetBambooHRLitmos)
	e := mappingtest.Explain(m, map[string]any{
		"id": "4", "firstName": "Charlotte", "lastName": "Abbott", "workEmail": "Charlotte.Abbott@Example.com",
		"zipcode": "84042",
	})
	for _, l := range e.Lines[:4] {
		fmt.Printf("%s ← %s %v → %v (%s)\n", l.Target, l.Source, l.In, l.Out, l.Result)
	}
	// Output:
	// UserName ← workEmail Charlotte.Abbott@Example.com → charlotte.abbott@example.com (written)
	// Email ← workEmail Charlotte.Abbott@Example.com → charlotte.abbott@example.com (written)
	// FirstName ← firstName Charlotte → Charlotte (written)
	// LastName ← lastName Abbott → Abbott (written)
}

package mapping_test

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/rostersync/rostersync/mapping"
)

func printFields(fields map[string]any) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s: %v\n", k, fields[k])
	}
}

// Load a map from JSON and apply it to a record.
func Example() {
	m, err := mapping.Load([]byte(`{
	  "name": "hr-to-lms",
	  "rules": [
	    {"target": "UserName", "source": "workEmail", "transforms": ["trim", "lower", "email"], "required": true},
	    {"target": "FullName", "sources": ["firstName", "lastName"], "transforms": [{"name": "join", "args": {"sep": " "}}]},
	    {"target": "Department", "source": "work.department", "transforms": ["ignore-if-empty"]},
	    {"target": "HireDate", "source": "hireDate", "transforms": [{"name": "date", "args": {"from": "date", "to": "wcf"}}]},
	    {"target": "AccessLevel", "constant": "Learner", "when": "create"}
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, err := m.Apply(map[string]any{
		"workEmail": " Ana.Cruz@Example.com ",
		"firstName": "Ana",
		"lastName":  "Cruz",
		"work":      map[string]any{"department": ""},
		"hireDate":  "2024-03-01",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	printFields(fields)
	// Output:
	// AccessLevel: Learner
	// FullName: Ana Cruz
	// HireDate: /Date(1709251200000)/
	// UserName: ana.cruz@example.com
}

// A failing rule is one FieldError; the other fields still map.
func ExampleMap_Apply_errors() {
	m, _ := mapping.Preset(mapping.PresetBambooHRLitmos)
	fields, err := m.Apply(map[string]any{"id": "12", "firstName": "Zoë", "lastName": "Núñez", "workEmail": nil})
	var errs mapping.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e)
		}
	}
	fmt.Println("LastName:", fields["LastName"])
	// Output:
	// mapping "bamboohr-litmos": rule 0 → UserName (from workEmail (empty)): required value is empty
	// mapping "bamboohr-litmos": rule 1 → Email (from workEmail (empty)): required value is empty
	// LastName: Núñez
}

// Presets are data: read one, change it, and compile your own.
func ExamplePreset() {
	m, err := mapping.Preset(mapping.PresetHiBobLearnAmp)
	if err != nil {
		fmt.Println(err)
		return
	}
	spec := m.Spec()
	// Map HiBob's sub-department custom field to the primary team instead
	// (the hibob connector's records are keyed by HiBob field IDs).
	for i, r := range spec.Rules {
		if r.Target == "teams" {
			spec.Rules[i].Source = "work.custom.field_1698036945383"
		}
	}
	custom, err := mapping.Compile(spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, _ := custom.Apply(map[string]any{
		"root.id": "3332883884017713238", "root.firstName": "Ada", "root.surname": "Lovelace",
		"root.email": "ada@example.com", "work.custom.field_1698036945383": "Platform",
	})
	fmt.Println(fields["teams"])
	// Output: teams/Platform
}

// Register a transform of your own and compile against that registry.
func ExampleRegistry_Register() {
	reg := mapping.DefaultRegistry()
	err := reg.Register("initials", func(args mapping.Args) (mapping.Transform, error) {
		return mapping.Func(func(v any) (any, error) {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("want text")
			}
			var b strings.Builder
			for _, w := range strings.Fields(s) {
				b.WriteString(strings.ToUpper(w[:1]))
			}
			return b.String(), nil
		}), nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := mapping.Compile(mapping.Spec{Name: "initials", Rules: []mapping.Rule{
		{Target: "Initials", Source: "name", Transforms: []mapping.Step{mapping.T("initials")}},
	}}, mapping.WithRegistry(reg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, _ := m.Apply(map[string]any{"name": "ada king lovelace"})
	fmt.Println(fields["Initials"])
	// Output: AKL
}

// Load validates the whole map and names the rule, the target and the problem.
func ExampleLoad_validation() {
	_, err := mapping.Load([]byte(`{"name": "broken", "rules": [
	  {"target": "Email", "source": "workEmail", "transforms": ["lowercase"]},
	  {"target": "Email", "source": "homeEmail"}
	]}`))
	fmt.Println(err)
	// Output: mapping "broken": rule 0 (target "Email"): transforms[0] lowercase: unknown transform "lowercase" (did you mean "lower"?); rule 1 (target "Email"): target: duplicate target: rule 0 writes it too
}

// Reverse a map of renames and one-to-one lookups for the other direction.
func ExampleMap_Reverse() {
	m, _ := mapping.Compile(mapping.Spec{Name: "lms-status", Rules: []mapping.Rule{
		{Target: "email", Source: "Email", Transforms: []mapping.Step{mapping.T("trim"), mapping.T("lower")}},
		{Target: "status", Source: "Active", Transforms: []mapping.Step{
			mapping.T("lookup", "table", map[string]any{"true": "active", "false": "inactive"}),
		}},
	}})
	rev, err := m.Reverse()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(rev)
	fields, _ := rev.Apply(map[string]any{"email": "ana@example.com", "status": "inactive"})
	printFields(fields)
	// Output:
	// map "lms-status-reversed" (2 rules)
	//   0  Email  ← email
	//   1  Active ← status | lookup{"table":{"active":"true","inactive":"false"}}
	// Active: false
	// Email: ana@example.com
}

// Save writes a map as JSON, one rule a line.
func ExampleMap_Save() {
	m, _ := mapping.Compile(mapping.Spec{Name: "tiny", Rules: []mapping.Rule{
		{Target: "login", Source: "email", Transforms: []mapping.Step{mapping.T("lower")}, When: mapping.WhenCreate},
		{Target: "hired", Source: "hire_date", Transforms: []mapping.Step{mapping.T("date", "from", "date", "to", "talentlms")}},
	}})
	_ = m.Save(os.Stdout)
	// Output:
	// {
	//   "name": "tiny",
	//   "rules": [
	//     {"target": "login", "source": "email", "transforms": ["lower"], "when": "create"},
	//     {"target": "hired", "source": "hire_date", "transforms": [{"name": "date", "args": {"from": "date", "to": "talentlms"}}]}
	//   ]
	// }
}

// Any HR system to any learning platform: compose the HR system's map
// into the canonical person with the person's map out to the platform.
func ExampleCompose() {
	hr, _ := mapping.Preset(mapping.PresetHiBobPerson)     // HiBob → person
	lms, _ := mapping.Preset(mapping.PresetPersonLearnAmp) // person → Learn Amp
	m, err := mapping.Compose(hr, lms)
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, err := m.Apply(map[string]any{
		// A hibob connector record: flat keys that are HiBob field IDs.
		"root.id": "3332883884017713238", "root.firstName": "Ada", "root.surname": "Lovelace",
		"root.email": "Ada@Example.com", "work.title": "Engineer", "work.department": "Engineering",
		"work.department.id": "216874211", "work.site": "London", "work.startDate": "2025-09-01",
		"work.reportsTo.id": "3332883804594373380",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	printFields(fields)
	fmt.Println("reads:", strings.Join(m.SourceFields(), " "))
	// Output:
	// department: Engineering
	// email: ada@example.com
	// firstName: Ada
	// hireDate: 2025-09-01
	// integrationExternalId: 3332883884017713238
	// jobTitle: Engineer
	// lastName: Lovelace
	// location: London
	// manager: users/3332883804594373380
	// teams: teams/216874211
	// reads: root.email root.firstName root.id root.surname work.department work.department.id work.manager work.reportsTo.id work.site work.startDate work.title
}

// A seed pair's preset refines the composition: talenthr-talentlms also
// carries the date of birth, which is no person field. Refine the two
// maps the same way (a field of your own, written on one side and read on
// the other) and compose again.
func ExampleCompose_refine() {
	hr, _ := mapping.Preset(mapping.PresetTalentHRPerson)
	lms, _ := mapping.Preset(mapping.PresetPersonTalentLMS)
	in, out := hr.Spec(), lms.Spec()
	in.Rules = append(in.Rules, mapping.Rule{Target: "birth_date", Source: "birth_date",
		Transforms: []mapping.Step{mapping.T("date", "from", "date")}})
	out.Rules = append(out.Rules, mapping.Rule{Target: "custom_fields.dateOfBirth", Source: "birth_date"})
	hr, _ = mapping.Compile(in)
	lms, _ = mapping.Compile(out)
	m, err := mapping.Compose(hr, lms)
	if err != nil {
		fmt.Println(err)
		return
	}
	seed, _ := mapping.Preset(mapping.PresetTalentHRTalentLMS)
	employee := map[string]any{"id": 19, "first_name": "John", "last_name": "Doe", "email": "JDoe@Example.com",
		"hire_date": "2023-11-28", "birth_date": "1990-05-17", "city": "Athens"}
	got, _ := m.Apply(employee)
	want, _ := seed.Apply(employee)
	born := func(fields map[string]any) string {
		return fields["custom_fields"].(map[string]any)["dateOfBirth"].(time.Time).Format(time.DateOnly)
	}
	fmt.Println("composed:", born(got), "seed:", born(want))
	fmt.Println(m.CreateOnly("login"), got["login"])
	// Output:
	// composed: 1990-05-17 seed: 1990-05-17
	// true jdoe@example.com
}

// Compose checks, when the maps are put together, that every field the
// second map reads is one the first writes or declares absent.
func ExampleCompose_errors() {
	hr, _ := mapping.Preset(mapping.PresetHiBobPerson)
	lms, _ := mapping.Compile(mapping.Spec{Name: "my-lms", Rules: []mapping.Rule{
		{Target: "login", Source: "email.wrok"},
		{Target: "phone", Source: "phone.work"},
		{Target: "postcode", Source: "address.postal_code", Required: true},
	}})
	_, err := mapping.Compose(hr, lms)
	var se *mapping.SpecError
	if errors.As(err, &se) {
		for _, p := range se.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// rule 0 (target "login"): source: "hibob-person" neither writes "email.wrok" nor declares it absent (did you mean "email.work"?)
	// rule 2 (target "postcode"): source: required, but "hibob-person" declares every field it reads absent: it would fail for every record
}

// SourceFields is what a connector must fetch: for a composed map, the
// HR system's own fields.
func ExampleMap_SourceFields() {
	hr, _ := mapping.Preset(mapping.PresetBambooHRPerson)
	lms, _ := mapping.Preset(mapping.PresetPersonTalentLMS)
	m, _ := mapping.Compose(hr, lms)
	fmt.Println(m.SourceFields())
	fmt.Println(m.SourceFieldsOf("custom_fields.hireDate"))
	// Output:
	// [city country department division firstName hireDate jobTitle lastName location workEmail]
	// [hireDate]
}

// ApplyTo maps many records into one output map, which it clears each time.
func ExampleMap_ApplyTo() {
	m, _ := mapping.Preset(mapping.PresetBambooHRLitmos)
	employees := []map[string]any{
		{"id": "4", "firstName": "Charlotte", "lastName": "Abbott", "workEmail": "charlotte@example.com"},
		{"id": "12", "firstName": "Zoë", "lastName": "Núñez", "workEmail": "zoe@example.com"},
	}
	user := map[string]any{} // one output map for every record
	for _, e := range employees {
		if err := m.ApplyTo(user, e); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(user["UserName"], user["ExternalEmployeeId"])
	}
	// Output:
	// charlotte@example.com 4
	// zoe@example.com 12
}

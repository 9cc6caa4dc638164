package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadValidation(t *testing.T) {
	cases := []struct {
		name string
		json string
		want []string // each must appear in the error
	}{
		{"not json", `{"name":`, []string{"mapping: load:", "unexpected EOF"}},
		{"trailing data", `{"name":"m","rules":[]} {}`, []string{"mapping: load: data after the JSON value"}},
		{"wrong type", `{"name":"m","rules":[{"target":"a","source":"b"},{"target":"City","source":"city","required":"yes"}]}`,
			[]string{`mapping "m": rule 1 (target "City"): decode: json: cannot unmarshal string into Go struct field Rule.required of type bool`}},
		{"rule not object", `{"name":"m","rules":["trim"]}`, []string{`rule 0 (target ""): decode: json: cannot unmarshal string`}},
		{"unknown key", `{"name":"m","rules":[{"target":"a","source":"b","transfroms":["trim"]}]}`, []string{`unknown field "transfroms"`}},
		{"unknown step key", `{"name":"m","rules":[{"target":"a","source":"b","transforms":[{"name":"trim","arg":{}}]}]}`, []string{`unknown field "arg"`}},
		{"step not name", `{"name":"m","rules":[{"target":"a","source":"b","transforms":[3]}]}`, []string{`rule 0 (target "a"): decode: transform step: want a name or an object, got 3`}},
		{"unknown transform", `{"name":"m","rules":[{"target":"a","source":"b"},{"target":"Email","source":"workEmail","transforms":["trim","lowercase"]}]}`,
			[]string{`mapping "m": rule 1 (target "Email"): transforms[1] lowercase: unknown transform "lowercase"`}},
		{"bad args", `{"name":"m","rules":[{"target":"HireDate","source":"hireDate","transforms":[{"name":"date","args":{"from":"dd/mm/yyyy"}}]}]}`,
			[]string{`rule 0 (target "HireDate"): transforms[0] date: layout "dd/mm/yyyy" has no date or time elements`}},
		{"duplicate target", `{"name":"m","rules":[{"target":"Email","source":"a"},{"target":"City","source":"c"},{"target":"Email","source":"b"}]}`,
			[]string{`rule 2 (target "Email"): target: duplicate target: rule 0 writes it too`}},
		{"duplicate nested target", `{"name":"m","rules":[{"target":"work.site","source":"a"},{"target":"/work/site","source":"b"}]}`,
			[]string{`rule 1 (target "/work/site"): target: duplicate target: rule 0 writes it too`}},
		{"target under target", `{"name":"m","rules":[{"target":"work","source":"a"},{"target":"work.site","source":"b"}]}`,
			[]string{`rule 1 (target "work.site"): target: nested under rule 0's target "work"`}},
		{"empty target", `{"name":"m","rules":[{"target":"","source":"a"}]}`, []string{`rule 0 (target ""): target: empty path`}},
		{"empty path", `{"name":"m","rules":[{"target":"a","source":"work..title"}]}`, []string{`rule 0 (target "a"): source: empty segment in path "work..title"`}},
		{"empty sources entry", `{"name":"m","rules":[{"target":"a","sources":["x",""]}]}`, []string{`rule 0 (target "a"): sources[1]: empty path`}},
		{"empty sources", `{"name":"m","rules":[{"target":"a","sources":[]}]}`, []string{`rule 0 (target "a"): sources: empty list`}},
		{"no source", `{"name":"m","rules":[{"target":"a"}]}`, []string{`rule 0 (target "a"): source: no source: set source, sources or constant`}},
		{"two sources", `{"name":"m","rules":[{"target":"a","source":"b","constant":"c"}]}`, []string{`set only one of source, sources and constant`}},
		{"bad when", `{"name":"m","rules":[{"target":"a","source":"b","when":"update"}]}`, []string{`rule 0 (target "a"): when: want "always" or "create", got "update"`}},
		{"required and ignore", `{"name":"m","rules":[{"target":"a","source":"b","transforms":["ignore-if-empty"],"required":true}]}`,
			[]string{`transforms[0] ignore-if-empty: ignore-if-empty conflicts with required`}},
		{"empty secret field", `{"name":"m","options":{"secret_fields":[" "]},"rules":[]}`, []string{`options.secret_fields: empty field name`}},
		{"all problems at once", `{"name":"m","rules":[{"target":"a"},{"target":"b","source":"x","transforms":["nope"]}]}`,
			[]string{`rule 0 (target "a")`, `rule 1 (target "b")`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.json))
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n does not contain %q", err, w)
				}
			}
		})
	}
}

func TestSpecErrorIsInspectable(t *testing.T) {
	_, err := Load([]byte(`{"name":"m","rules":[{"target":"a","source":"b"},{"target":"c","source":"d","transforms":["nope"]}]}`))
	var se *SpecError
	if !errors.As(err, &se) {
		t.Fatalf("want *SpecError, got %T", err)
	}
	var re *RuleError
	if !errors.As(err, &re) || re.Rule != 1 || re.Target != "c" || re.Part != "transforms[0] nope" {
		t.Fatalf("first RuleError = %+v", re)
	}
}

const sampleJSON = `{
  "name": "sample",
  "description": "Every kind of rule.",
  "options": {"omit_empty": true, "secret_fields": ["pin"]},
  "rules": [
    {"target": "UserName", "source": "workEmail", "transforms": ["trim", "lower", "email"], "required": true},
    {"target": "FullName", "sources": ["firstName", "lastName"], "transforms": [{"name": "join", "args": {"sep": " "}}]},
    {"target": "AccessLevel", "constant": "Learner", "when": "create"},
    {"target": "DisableMessages", "constant": false},
    {"target": "Active", "source": "status", "transforms": [{"name": "lookup", "args": {"default": false, "table": {"Active": true}}}], "default": false, "when": "always"},
    {"target": "custom.hireDate", "source": "/work/startDate", "transforms": [{"name": "date", "args": {"from": ["date", "rfc3339"], "to": "wcf"}}]}
  ]
}
`

// JSON → Map → JSON is stable, and the Spec survives the trip.
func TestJSONRoundTrip(t *testing.T) {
	m, err := Load([]byte(sampleJSON))
	if err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := m.Save(&first); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(first.Bytes())
	if err != nil {
		t.Fatalf("reload: %v\n%s", err, first.String())
	}
	var second bytes.Buffer
	if err := m2.Save(&second); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first.String(), second.String()); diff != "" {
		t.Errorf("Save not stable (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(m.Spec(), m2.Spec()); diff != "" {
		t.Errorf("Spec changed (-first +second):\n%s", diff)
	}
	// MarshalJSON / UnmarshalJSON let a *Map sit inside a config struct.
	type config struct{ Map *Map }
	b, err := json.Marshal(config{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	var c config
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m.Spec(), c.Map.Spec()); diff != "" {
		t.Errorf("through a struct (-want +got):\n%s", diff)
	}
}

// A Spec built in Go and the same map loaded from JSON compare equal
// (arguments are normalised to their JSON types).
func TestCompileGoSpecEqualsLoaded(t *testing.T) {
	spec := Spec{Name: "m", Rules: []Rule{
		{Target: "Initials", Source: "firstName", Transforms: []Step{T("substring", "start", 0, "length", 1), T("upper")}},
	}}
	m, err := Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load([]byte(`{"name":"m","rules":[{"target":"Initials","source":"firstName","transforms":[{"name":"substring","args":{"start":0,"length":1}},"upper"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m.Spec(), loaded.Spec()); diff != "" {
		t.Errorf("(-go +json):\n%s", diff)
	}
	// The map keeps its own copy: changing the caller's spec changes nothing.
	spec.Rules[0].Transforms[0].Args["length"] = 5
	if got, _ := m.Apply(map[string]any{"firstName": "ada"}); got["Initials"] != "A" {
		t.Errorf("Initials = %v", got["Initials"])
	}
}

func TestMapAccessors(t *testing.T) {
	m, err := Load([]byte(sampleJSON))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/work/startDate", "firstName", "lastName", "status", "workEmail"}, m.SourceFields()); diff != "" {
		t.Errorf("SourceFields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"UserName", "FullName", "AccessLevel", "DisableMessages", "Active", "custom.hireDate"}, m.Targets()); diff != "" {
		t.Errorf("Targets (-want +got):\n%s", diff)
	}
	if !m.CreateOnly("AccessLevel") || m.CreateOnly("Active") || m.CreateOnly("nope") || m.CreateOnly("custom.hireDate") {
		t.Error("CreateOnly wrong")
	}
	want := `map "sample" (6 rules)
  0  UserName        ← workEmail | trim | lower | email  required
  1  FullName        ← [firstName, lastName] | join{"sep":" "}
  2  AccessLevel     ← "Learner"  on create
  3  DisableMessages ← false
  4  Active          ← status | lookup{"default":false,"table":{"Active":true}}  default false
  5  custom.hireDate ← /work/startDate | date{"from":["date","rfc3339"],"to":"wcf"}
`
	if diff := cmp.Diff(want, m.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if m.Name() != "sample" {
		t.Errorf("Name = %q", m.Name())
	}
}

func TestCustomTransformRegistry(t *testing.T) {
	reg := DefaultRegistry()
	err := reg.Register("initials", func(args Args) (Transform, error) {
		if len(args) != 0 {
			return nil, errors.New("no arguments")
		}
		return Func(func(v any) (any, error) {
			s, _ := v.(string)
			var out []rune
			for _, w := range strings.Fields(s) {
				out = append(out, []rune(w)[0])
			}
			return string(out), nil
		}), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"initials", "Bad_Name", ""} {
		if err := reg.Register(bad, func(Args) (Transform, error) { return nil, nil }); err == nil {
			t.Errorf("Register(%q): want an error", bad)
		}
	}
	if err := reg.Register("nil-factory", nil); err == nil {
		t.Error("Register with nil factory: want an error")
	}
	doc := []byte(`{"name":"m","rules":[{"target":"i","source":"n","transforms":["initials"]}]}`)
	m, err := Load(doc, WithRegistry(reg))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Apply(map[string]any{"n": "Ada King Lovelace"}); got["i"] != "AKL" {
		t.Errorf("i = %v", got["i"])
	}
	// The default registry is untouched.
	if _, err := Load(doc); err == nil || !strings.Contains(err.Error(), `unknown transform "initials"`) {
		t.Errorf("default registry: want unknown transform, got %v", err)
	}
	if len(NewRegistry().Names()) != 0 {
		t.Error("NewRegistry must be empty")
	}
	if len(DefaultRegistry().Names()) != 20 {
		t.Errorf("built-ins: %v", DefaultRegistry().Names())
	}
}

func TestStepJSON(t *testing.T) {
	steps := []Step{T("trim"), T("date", "to", "date")}
	b, err := json.Marshal(steps)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `["trim",{"name":"date","args":{"to":"date"}}]` {
		t.Errorf("got %s", b)
	}
	var back []Step
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(steps, back); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Map.String is for logs: a secret-looking rule's constant and default are
// not printed.
func TestMapStringRedactsSecrets(t *testing.T) {
	m := mustCompile(t, Spec{Name: "signup", Rules: []Rule{
		{Target: "password", Constant: "Welcome-2026!"},
		{Target: "apiToken", Source: "tok", Default: "tok-default-123"},
		{Target: "pin", Source: "p", Transforms: []Step{T("constant", "value", "4321")}},
		{Target: "level", Constant: "Learner"},
	}})
	s := m.String()
	for _, secret := range []string{"Welcome-2026!", "tok-default-123"} {
		if strings.Contains(s, secret) {
			t.Errorf("String() shows %q:\n%s", secret, s)
		}
	}
	if !strings.Contains(s, `"Learner"`) {
		t.Errorf("String() hides a plain constant:\n%s", s)
	}
	m2 := mustCompile(t, Spec{Name: "x", Options: Options{SecretFields: []string{"pin"}}, Rules: []Rule{
		{Target: "pin", Source: "p", Transforms: []Step{T("constant", "value", "4321")}},
	}})
	if strings.Contains(m2.String(), "4321") {
		t.Errorf("String() shows a secret constant step:\n%s", m2.String())
	}
}

// OnlyOnCreate makes every rule create-only in a copy, keeping the map's
// registry (a custom transform still compiles) and leaving m as it was.
func TestOnlyOnCreate(t *testing.T) {
	reg, _ := countingRegistry(t)
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "email", Source: "email", Transforms: []Step{T("count"), T("trim")}, Required: true},
		{Target: "level", Constant: "learner", When: WhenCreate},
	}}, WithRegistry(reg))
	c, err := m.OnlyOnCreate()
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"email", "level"} {
		if !c.CreateOnly(target) {
			t.Errorf("copy: %s is not create-only", target)
		}
	}
	if m.CreateOnly("email") {
		t.Error("OnlyOnCreate changed the original map")
	}
	src := map[string]any{"email": " a@b.co "}
	got, err := c.Apply(src)
	if diff := cmp.Diff(map[string]any{"email": "a@b.co", "level": "learner"}, got); err != nil || diff != "" {
		t.Errorf("create: %v (-want +got):\n%s", err, diff)
	}
	if got, err := c.ApplyMode(src, Update); err != nil || len(got) != 0 {
		t.Errorf("update = %v, %v; want nothing", got, err)
	}
	if c.Name() != "m" {
		t.Errorf("name %q", c.Name())
	}
}

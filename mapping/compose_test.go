package mapping

import (
	"errors"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// outcome is what a map did to each of its targets: the value written
// (absent targets are left out) and the failed targets.
type outcome struct {
	Fields map[string]any
	Failed []string
}

// flatten reads each target of m out of out (nested targets by path).
func flatten(m *Map, out map[string]any) map[string]any {
	f := map[string]any{}
	for _, t := range m.Targets() {
		p, _ := parsePath(t)
		if v, ok := p.lookup(out); ok {
			f[t] = v
		}
	}
	return f
}

func outcomeOf(m *Map, src map[string]any, mode Mode) outcome {
	out, err := m.ApplyMode(src, mode)
	failed := targetsOf(err)
	sort.Strings(failed)
	return outcome{Fields: flatten(m, out), Failed: failed}
}

// twoStep is what Compose promises, computed the slow way: apply first,
// then second to its output. A create-only rule (its own When, or made so
// by Compose) writes nothing on update; otherwise a second rule reading a
// target first failed fails too.
func twoStep(first, second, composed *Map, src map[string]any, mode Mode) outcome {
	mid, err1 := first.ApplyMode(src, mode)
	failedMid := map[string]bool{}
	for _, t := range targetsOf(err1) {
		p, _ := parsePath(t)
		failedMid[p.key()] = true
	}
	out, err2 := second.ApplyMode(mid, mode)
	failed2 := map[string]bool{}
	for _, t := range targetsOf(err2) {
		failed2[t] = true
	}
	got := flatten(second, out)
	want := outcome{Fields: map[string]any{}}
	for _, r := range second.Spec().Rules {
		reads := append([]string{r.Source}, r.Sources...)
		upstream := false
		for _, s := range reads {
			if p, err := parsePath(s); err == nil && failedMid[p.key()] {
				upstream = true
			}
		}
		switch {
		case mode == Update && composed.CreateOnly(r.Target):
		case upstream:
			want.Failed = append(want.Failed, r.Target)
		case failed2[r.Target]:
			want.Failed = append(want.Failed, r.Target)
		default:
			if v, ok := got[r.Target]; ok {
				want.Fields[r.Target] = v
			}
		}
	}
	sort.Strings(want.Failed)
	return want
}

// composeFirst and composeSecond exercise every feature a rule has:
// defaults, Required, ignore-if-empty, failing steps, constants, several
// sources, create-only rules, nested targets and Absent fields.
var composeFirst = Spec{Name: "first", Absent: []string{"z"}, Rules: []Rule{
	{Target: "a", Source: "a", Transforms: []Step{T("trim")}},
	{Target: "b", Source: "b", Transforms: []Step{T("trim")}, Default: "B0"},
	{Target: "c", Source: "c", Transforms: []Step{T("trim")}, Required: true},
	{Target: "d", Source: "d", Transforms: []Step{T("trim"), T("ignore-if-empty")}},
	{Target: "e", Source: "e", Transforms: []Step{T("trim"), T("email")}},
	{Target: "f", Constant: "F"},
	{Target: "g", Sources: []string{"g1", "g2"}, Transforms: []Step{T("coalesce")}},
	{Target: "h", Source: "h", When: WhenCreate},
	{Target: "n.x", Source: "nx", Transforms: []Step{T("to-string")}},
	{Target: "unread", Source: "unread", Required: true},
}}

var composeSecond = Spec{Name: "second", Rules: []Rule{
	{Target: "A", Source: "a", Transforms: []Step{T("prefix", "value", "A:")}},
	{Target: "B", Source: "b", Default: "Bd"},
	{Target: "C", Source: "c", Required: true},
	{Target: "D", Source: "d", Default: "Dd"},
	{Target: "E", Source: "e"},
	{Target: "F", Source: "f", Transforms: []Step{T("lower")}},
	{Target: "G", Source: "g", Transforms: []Step{T("upper")}},
	{Target: "H", Source: "h"},
	{Target: "HA", Sources: []string{"h", "a"}, Transforms: []Step{T("join", "sep", "-")}},
	{Target: "K", Constant: "K", When: WhenCreate},
	{Target: "CC", Source: "c", When: WhenCreate},
	{Target: "NX", Source: "/n/x"},
	{Target: "Z", Source: "z", Default: "Zd"},
	{Target: "M", Sources: []string{"z", "root.a"}, Transforms: []Step{T("coalesce")}},
	{Target: "R", Source: "a", Transforms: []Step{T("upper")}, Required: true},
	{Target: "out.deep", Source: "b", Transforms: []Step{T("trim")}},
}}

// palette is what a source field holds in the generated records;
// "absent" leaves it out.
var palette = []any{"absent", nil, "", " \t", " Ab Cd ", "ana@example.com", "x@", 42.0,
	map[string]any{"value": " w "}, []any{"l", nil}}

func composeRecords(n int) []map[string]any {
	fields := []string{"a", "b", "c", "d", "e", "g1", "g2", "h", "nx", "z"}
	rng := rand.New(rand.NewPCG(7, 11))
	var recs []map[string]any
	for _, v := range palette { // every value in every field at once
		rec := map[string]any{}
		for _, f := range fields {
			if v != "absent" {
				rec[f] = v
			}
		}
		recs = append(recs, rec)
	}
	for range n {
		rec := map[string]any{}
		for _, f := range fields {
			if v := palette[rng.IntN(len(palette))]; v != "absent" {
				rec[f] = v
			}
		}
		recs = append(recs, rec)
	}
	return recs
}

// Compose(first, second) gives what applying first, then second gives,
// for every combination of both maps' options, in both modes.
func TestComposeMatchesTwoStep(t *testing.T) {
	recs := composeRecords(400)
	for _, o1 := range []Options{{}, {SkipMissing: true}, {OmitEmpty: true}, {SkipMissing: true, OmitEmpty: true}} {
		for _, o2 := range []Options{{}, {SkipMissing: true}, {OmitEmpty: true}, {SkipMissing: true, OmitEmpty: true}} {
			s1, s2 := composeFirst, composeSecond
			s1.Options, s2.Options = o1, o2
			first, second := mustCompile(t, s1), mustCompile(t, s2)
			composed, err := Compose(first, second)
			if err != nil {
				t.Fatal(err)
			}
			for i, rec := range recs {
				for _, mode := range []Mode{Create, Update} {
					want := twoStep(first, second, composed, rec, mode)
					got := outcomeOf(composed, rec, mode)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("first %+v, second %+v, mode %d, record %d %v (-two steps +composed):\n%s", o1, o2, mode, i, rec, diff)
					}
				}
			}
		}
	}
}

// A failure names the final target and the original source, whichever
// map's rule failed, and keeps secrets out.
func TestComposeFieldErrors(t *testing.T) {
	first := mustCompile(t, Spec{Name: "hr", Rules: []Rule{
		{Target: "email.work", Source: "workEmail", Transforms: []Step{T("trim"), T("email")}},
		{Target: "first_name", Source: "firstName", Transforms: []Step{T("trim")}},
		{Target: "tax", Source: "taxNumber", Transforms: []Step{T("trim"), T("regex-replace", "pattern", "x", "replacement", "y")}},
		{Target: "id", Source: "id", Required: true},
	}})
	second := mustCompile(t, Spec{Name: "lms", Rules: []Rule{
		{Target: "UserName", Source: "email.work", Required: true},
		{Target: "FirstName", Source: "first_name", Required: true},
		{Target: "Code", Source: "tax", Transforms: []Step{T("date")}},
		{Target: "Both", Sources: []string{"first_name", "id"}, Transforms: []Step{T("join", "sep", " ")}},
	}})
	m, err := Compose(first, second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Apply(map[string]any{"workEmail": " ana@ ", "firstName": " ", "taxNumber": "12-34"})
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	type fe struct{ Target, Source, Value, Step, FieldTarget, FieldSource string }
	var got []fe
	for _, e := range errs {
		got = append(got, fe{e.Target, e.Source, e.Value, e.Step, e.FieldTarget(), e.FieldSource()})
	}
	want := []fe{
		{"UserName", "workEmail", `" ana@ "`, "email", "UserName", "workEmail"}, // first's step failed
		{"FirstName", "firstName", `" "`, "", "FirstName", "firstName"},         // second's Required failed
		{"Code", "taxNumber", Redacted, "date", "Code", "taxNumber"},            // first's field looks secret
		{"Both", "id", "(empty)", "", "Both", "id"},                             // first's Required failed
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("field errors (-want +got):\n%s", diff)
	}
	if !errors.Is(errs[1], ErrRequired) || !errors.Is(errs[3], ErrRequired) {
		t.Error("Required failures must wrap ErrRequired")
	}
	if strings.Contains(err.Error(), "12-34") {
		t.Errorf("secret value in error: %v", err)
	}
	wantMsg := `mapping "hr+lms": rule 0 → UserName (from workEmail " ana@ "): email: invalid email address: nothing after @`
	if errs[0].Error() != wantMsg {
		t.Errorf("message\n got %s\nwant %s", errs[0].Error(), wantMsg)
	}
}

func TestComposeCreateOnly(t *testing.T) {
	first := mustCompile(t, Spec{Name: "hr", Rules: []Rule{
		{Target: "level", Source: "level", When: WhenCreate},
		{Target: "start", Source: "start", When: WhenCreate},
		{Target: "name", Source: "name"},
	}, Absent: []string{"nick"}})
	second := mustCompile(t, Spec{Name: "lms", Options: Options{SkipMissing: true}, Rules: []Rule{
		{Target: "Level", Source: "level"}, // only create-only input
		{Target: "Both", Sources: []string{"level", "start"}, Transforms: []Step{T("join", "sep", "/")}}, // all create-only
		{Target: "Mixed", Sources: []string{"level", "name"}, Transforms: []Step{T("join", "sep", "/")}}, // one always
		{Target: "WithAbsent", Sources: []string{"level", "nick"}, Transforms: []Step{T("coalesce")}},    // absent does not count
		{Target: "Name", Source: "name"},
		{Target: "Own", Source: "name", When: WhenCreate},
	}})
	m, err := Compose(first, second)
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]bool{"Level": true, "Both": true, "Mixed": false, "WithAbsent": true, "Name": false, "Own": true} {
		if m.CreateOnly(target) != want {
			t.Errorf("CreateOnly(%s) = %v, want %v", target, !want, want)
		}
	}
	var when []When
	for _, r := range m.Spec().Rules {
		when = append(when, r.When)
	}
	if diff := cmp.Diff([]When{WhenCreate, WhenCreate, "", WhenCreate, "", WhenCreate}, when); diff != "" {
		t.Errorf("composed Spec says which rules are create-only (-want +got):\n%s", diff)
	}
	rec := map[string]any{"level": "L", "start": "S", "name": "N"}
	got, err := m.ApplyMode(rec, Update)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"Mixed": "N", "Name": "N"}, got); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	got, _ = m.Apply(rec)
	if diff := cmp.Diff(map[string]any{"Level": "L", "Both": "L/S", "Mixed": "L/N", "WithAbsent": "L", "Name": "N", "Own": "N"}, got); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}
}

func TestComposeErrors(t *testing.T) {
	person := mustCompile(t, Spec{Name: "hr-person", Absent: []string{"phone.work"}, Rules: []Rule{
		{Target: "email.work", Source: "mail"},
		{Target: "address.city", Source: "city"},
		{Target: "address.country", Source: "country"},
		{Target: "manager", Source: "boss", Transforms: []Step{T("reference", "collection", "users")}},
	}})
	cases := []struct {
		name string
		rule Rule
		want string
	}{
		{"typo", Rule{Target: "Email", Source: "email.wrok"},
			`mapping "hr-person+lms": rule 0 (target "Email"): source: "hr-person" neither writes "email.wrok" nor declares it absent (did you mean "email.work"?)`},
		{"unknown among several", Rule{Target: "X", Sources: []string{"email.work", "department"}, Transforms: []Step{T("coalesce")}},
			`rule 0 (target "X"): sources[1]: "hr-person" neither writes "department" nor declares it absent`},
		{"an object made of parts", Rule{Target: "Address", Source: "address"},
			`source: reads "address", which "hr-person" writes only in parts (address.city, address.country): read each part`},
		{"inside a target", Rule{Target: "Boss", Source: "manager.key"},
			`source: reads "manager.key", inside "hr-person"'s target "manager": read the target itself`},
		{"required from absent only", Rule{Target: "Phone", Source: "phone.work", Required: true},
			`source: required, but "hr-person" declares every field it reads absent: it would fail for every record`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			second := mustCompile(t, Spec{Name: "lms", Rules: []Rule{tc.rule}})
			m, err := Compose(person, second)
			if err == nil {
				t.Fatalf("want an error, got map %v", m)
			}
			var se *SpecError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant a *SpecError containing %q", err, tc.want)
			}
		})
	}
	if _, err := Compose(nil, person); err == nil {
		t.Error("Compose(nil, m) must fail")
	}
	// A leading "root" names the top level, as in lookups.
	second := mustCompile(t, Spec{Name: "lms", Rules: []Rule{{Target: "Email", Source: "root.email.work"}}})
	m, err := Compose(person, second)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Apply(map[string]any{"mail": "a@b.co"}); got["Email"] != "a@b.co" {
		t.Errorf("root.email.work: got %v", got)
	}
}

// The composed map is data: it saves, loads back to the same Spec and
// maps the same; a From map written by hand links the same way.
func TestComposeSaveLoad(t *testing.T) {
	first, second := mustCompile(t, composeFirst), mustCompile(t, composeSecond)
	m, err := Compose(first, second)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load([]byte(buf.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(m.Spec(), loaded.Spec()); diff != "" {
		t.Errorf("Spec after Save and Load (-composed +loaded):\n%s", diff)
	}
	var again strings.Builder
	_ = loaded.Save(&again)
	if again.String() != buf.String() {
		t.Errorf("Save is not stable:\n%s\n%s", buf.String(), again.String())
	}
	if m.Spec().From == nil || len(m.Spec().From.Rules) != 9 {
		t.Errorf("From holds the first rules second reads (all but unread), got %+v", m.Spec().From)
	}
	for i, rec := range composeRecords(50) {
		if diff := cmp.Diff(outcomeOf(m, rec, Create), outcomeOf(loaded, rec, Create)); diff != "" {
			t.Fatalf("record %d (-composed +loaded):\n%s", i, diff)
		}
	}
	_, err = Load([]byte(`{"name": "x", "rules": [{"target": "A", "source": "nope"}], "from": {"name": "y", "rules": [{"target": "a", "source": "a"}]}}`))
	if err == nil || !strings.Contains(err.Error(), `"y" neither writes "nope"`) {
		t.Errorf("a From map links its sources at load: %v", err)
	}
	_, err = Load([]byte(`{"name": "x", "rules": [], "from": {"name": "y", "rules": [{"target": "a", "source": "a", "transforms": ["nope"]}]}}`))
	if err == nil || !strings.Contains(err.Error(), `from: mapping "y": rule 0 (target "a"): transforms[0] nope`) {
		t.Errorf("a bad From map is reported under from: %v", err)
	}
}

func TestAbsentValidation(t *testing.T) {
	cases := map[string]string{
		`{"name": "m", "rules": [{"target": "a", "source": "a"}], "absent": ["a"]}`:   `absent[0] "a": written and declared absent: rule 0 has it too`,
		`{"name": "m", "rules": [{"target": "a.b", "source": "a"}], "absent": ["a"]}`: `nested under absent[0]'s target "a"`,
		`{"name": "m", "rules": [], "absent": ["x", "x"]}`:                            `absent[1] "x": written and declared absent: absent[0] has it too`,
		`{"name": "m", "rules": [], "absent": [""]}`:                                  `absent[0] "": empty path`,
	}
	for in, want := range cases {
		_, err := Load([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\n got %v\nwant %q", in, err, want)
		}
	}
}

// Compose is associative, and each way equals three steps.
func TestComposeNested(t *testing.T) {
	a := mustCompile(t, Spec{Name: "a", Rules: []Rule{
		{Target: "x", Source: "x", Transforms: []Step{T("trim")}, Required: true},
		{Target: "y", Source: "y", When: WhenCreate},
		{Target: "w", Source: "w"},
	}})
	b := mustCompile(t, Spec{Name: "b", Options: Options{SkipMissing: true}, Rules: []Rule{
		{Target: "p", Source: "x", Transforms: []Step{T("upper")}},
		{Target: "q", Sources: []string{"y", "x"}, Transforms: []Step{T("join", "sep", "+")}},
	}})
	c := mustCompile(t, Spec{Name: "c", Rules: []Rule{
		{Target: "P", Source: "p", Transforms: []Step{T("prefix", "value", ">")}},
		{Target: "Q", Source: "q"},
	}})
	ab, err := Compose(a, b)
	if err != nil {
		t.Fatal(err)
	}
	left, err := Compose(ab, c)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := Compose(b, c)
	if err != nil {
		t.Fatal(err)
	}
	right, err := Compose(a, bc)
	if err != nil {
		t.Fatal(err)
	}
	if left.Name() != "a+b+c" || right.Name() != "a+b+c" {
		t.Errorf("names %q, %q", left.Name(), right.Name())
	}
	if diff := cmp.Diff([]string{"x", "y"}, right.SourceFields()); diff != "" {
		t.Errorf("SourceFields (-want +got):\n%s", diff)
	}
	for _, rec := range []map[string]any{{"x": " a ", "y": "b", "w": 1.0}, {"y": "b"}, {"x": nil}, {}} {
		for _, mode := range []Mode{Create, Update} {
			want := twoStep(ab, c, left, rec, mode)
			for name, m := range map[string]*Map{"(a+b)+c": left, "a+(b+c)": right} {
				if diff := cmp.Diff(want, outcomeOf(m, rec, mode)); diff != "" {
					t.Errorf("%s on %v, mode %d (-three steps +composed):\n%s", name, rec, mode, diff)
				}
			}
		}
	}
}

func TestComposeReverse(t *testing.T) {
	hr := mustCompile(t, Spec{Name: "hr-person", Rules: []Rule{
		{Target: "email.work", Source: "Email", Transforms: []Step{T("trim"), T("lower")}},
		{Target: "hire_date", Source: "Hired", Transforms: []Step{T("date", "from", "date", "to", "date")}},
	}})
	lms := mustCompile(t, Spec{Name: "person-lms", Rules: []Rule{
		{Target: "login", Source: "email.work", Transforms: []Step{T("email")}},
		{Target: "hired", Source: "hire_date", Transforms: []Step{T("date", "from", "date", "to", "talentlms")}},
	}})
	m, err := Compose(hr, lms)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := m.Reverse()
	if err != nil {
		t.Fatal(err)
	}
	if rev.Name() != "hr-person+person-lms-reversed" {
		t.Errorf("name %q", rev.Name())
	}
	in := map[string]any{"Email": "ana@example.com", "Hired": "2024-02-29"}
	fwd, err := m.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	back, err := rev.Apply(fwd)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, back); diff != "" {
		t.Errorf("round trip (-in +back):\n%s", diff)
	}
	// A rule that cannot be undone is named, in whichever map it is.
	lossy := mustCompile(t, Spec{Name: "person-lossy", Rules: []Rule{{Target: "login", Source: "email.work", Default: "x"}}})
	m, _ = Compose(hr, lossy)
	var re *ReverseError
	if _, err := m.Reverse(); !errors.As(err, &re) || re.Map != "hr-person+person-lossy" || re.Rules[0].Target != "login" {
		t.Errorf("want a ReverseError for rule login, got %v", err)
	}
	lossyHR := mustCompile(t, Spec{Name: "hr-lossy", Rules: []Rule{
		{Target: "email.work", Sources: []string{"a", "b"}, Transforms: []Step{T("coalesce")}},
		{Target: "hire_date", Source: "h"},
	}})
	if m, err = Compose(lossyHR, lms); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Reverse(); !errors.As(err, &re) || re.Map != "hr-lossy" {
		t.Errorf("want a ReverseError for hr-lossy, got %v", err)
	}
}

func TestComposeTrace(t *testing.T) {
	m, err := Compose(mustPreset(t, PresetBambooHRPerson), mustPreset(t, PresetPersonLitmos))
	if err != nil {
		t.Fatal(err)
	}
	tr := m.Trace(map[string]any{"workEmail": " Ana@Example.com ", "id": "7"}, Create)[0]
	want := Trace{Rule: 0, Target: "UserName", Source: "workEmail", In: " Ana@Example.com ", Out: "ana@example.com",
		Steps: []string{"trim", "lower", "email", "trim", "lower", "email"}, Via: []string{"email.work"}}
	if diff := cmp.Diff(want, tr); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if s := m.String(); !strings.Contains(s, `reading the output of map "bamboohr-person"`) {
		t.Errorf("String does not show the map read from:\n%s", s)
	}
}

// A composed map pools its per-Apply state; concurrent Applies on
// different records never see each other's values.
func TestComposeConcurrent(t *testing.T) {
	m, err := Compose(mustCompile(t, composeFirst), mustCompile(t, composeSecond))
	if err != nil {
		t.Fatal(err)
	}
	recs := composeRecords(40)
	want := make([]outcome, len(recs))
	for i, rec := range recs {
		want[i] = outcomeOf(m, rec, Create)
	}
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		go func() {
			for round := 0; round < 5; round++ {
				for i, rec := range recs {
					if diff := cmp.Diff(want[i], outcomeOf(m, rec, Create)); diff != "" {
						errs <- diff
						return
					}
					_ = m.Trace(rec, Update)
				}
			}
			errs <- ""
		}()
	}
	for w := 0; w < 4; w++ {
		if diff := <-errs; diff != "" {
			t.Errorf("concurrent Apply (-sequential +concurrent):\n%s", diff)
		}
	}
}

package mapping

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSourceFieldsExact(t *testing.T) {
	hibobLearnAmp := []string{"root.email", "root.firstName", "root.id", "root.surname", "work.department",
		"work.department.id", "work.manager", "work.reportsTo.id", "work.site", "work.startDate", "work.title"}
	composed, err := Compose(mustPreset(t, PresetHiBobPerson), mustPreset(t, PresetPersonLearnAmp))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		m    *Map
		want []string
	}{
		{"several sources and references", mustPreset(t, PresetHiBobLearnAmp), hibobLearnAmp},
		// The composition reads the HiBob fields, not the person's.
		{"composed", composed, hibobLearnAmp},
		{"constants read nothing, paths as written", mustCompile(t, Spec{Name: "m", Rules: []Rule{
			{Target: "a", Constant: "x"},
			{Target: "b", Source: "/work/title"},
			{Target: "c", Source: "root.email"},
			{Target: "d", Sources: []string{"x.0.y", "work.title"}, Transforms: []Step{T("coalesce")}},
			{Target: "e", Source: "boss", Transforms: []Step{T("reference", "collection", "users")}},
		}}), []string{"/work/title", "boss", "root.email", "work.title", "x.0.y"}},
		{"empty map", mustCompile(t, Spec{Name: "m"}), []string{}},
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, tc.m.SourceFields()); diff != "" {
			t.Errorf("%s: SourceFields (-want +got):\n%s", tc.name, diff)
		}
	}

	of := map[string][]string{
		"manager": {"work.manager", "work.reportsTo.id"},
		"teams":   {"work.department.id"},
		"email":   {"root.email"},
		"nope":    nil,
	}
	for target, want := range of {
		if diff := cmp.Diff(want, composed.SourceFieldsOf(target)); diff != "" {
			t.Errorf("SourceFieldsOf(%s) (-want +got):\n%s", target, diff)
		}
	}
	m := mustPreset(t, PresetBambooHRLitmos)
	if got := m.SourceFieldsOf("AccessLevel"); got != nil {
		t.Errorf("a constant reads nothing, got %v", got)
	}
	if got := mustPreset(t, PresetTalentHRTalentLMS).SourceFieldsOf("/custom_fields/hireDate"); !cmp.Equal(got, []string{"hire_date"}) {
		t.Errorf("slash notation target: %v", got)
	}
}

// sampleRecords are a realistic record for each map, by the system the
// map reads.
func sampleRecords(t *testing.T) map[string]map[string]any {
	var bamboo, lms []map[string]any
	var bob, thr, litmos map[string]any
	readJSON(t, "bamboohr_employees.json", &bamboo)
	readJSON(t, "hibob_record.json", &bob)
	readJSON(t, "talenthr_employee.json", &thr)
	readJSON(t, "talentlms_users.json", &lms)
	readJSON(t, "litmos_user.json", &litmos)
	recs := map[string]map[string]any{"bamboohr": bamboo[0], "hibob": bob, "talenthr": thr, "talentlms": lms[0], "litmos": litmos}
	person, err := mustPreset(t, PresetBambooHRPerson).Apply(bamboo[0])
	if err != nil {
		t.Fatal(err)
	}
	recs["person"] = person
	return recs
}

// mapsUnderTest are every preset and every composition of the person
// presets, each with the record it reads.
func mapsUnderTest(t *testing.T) map[string]struct {
	m   *Map
	rec map[string]any
} {
	recs := sampleRecords(t)
	out := map[string]struct {
		m   *Map
		rec map[string]any
	}{}
	for _, name := range PresetNames() {
		system := strings.SplitN(name, "-", 2)[0]
		out[name] = struct {
			m   *Map
			rec map[string]any
		}{mustPreset(t, name), recs[system]}
	}
	for _, hr := range intoPerson {
		for _, lms := range outOfPerson {
			m, err := Compose(mustPreset(t, hr), mustPreset(t, lms))
			if err != nil {
				t.Fatal(err)
			}
			out[m.Name()] = struct {
				m   *Map
				rec map[string]any
			}{m, recs[strings.SplitN(hr, "-", 2)[0]]}
		}
	}
	return out
}

// SourceFields is exactly what a map reads: a probe value put at any
// listed path reaches a rule (its source value, output or error), and a
// record holding
// only the listed paths maps exactly like the whole record.
func TestSourceFieldsAreWhatTheMapReads(t *testing.T) {
	for name, tc := range mapsUnderTest(t) {
		if tc.rec == nil {
			t.Fatalf("%s: no sample record", name)
		}
		fields := tc.m.SourceFields()
		_, baseErr := tc.m.Apply(tc.rec)
		for _, f := range fields {
			const probe = "§probe§"
			rec := deepCopy(tc.rec).(map[string]any)
			p, _ := parsePath(f)
			if _, flat := rec[f]; flat {
				rec[f] = probe // a key equal to the whole path is what the path reads
			} else {
				p.set(rec, probe)
			}
			// Secret-looking fields are redacted in traces: then the probe
			// shows in the output, or changes the errors.
			out, err := tc.m.Apply(rec)
			seen := traceShows(tc.m.Trace(rec, Create), probe) || strings.Contains(fmt.Sprint(out), probe) ||
				fmt.Sprint(err) != fmt.Sprint(baseErr)
			if !seen {
				t.Errorf("%s: SourceFields lists %q, but no rule read the probe put there", name, f)
			}
		}
		only := map[string]any{}
		for _, f := range fields {
			p, _ := parsePath(f)
			v, ok := p.lookup(tc.rec)
			switch _, flat := tc.rec[f]; {
			case flat:
				only[f] = tc.rec[f] // flat keys stay flat: "work.department" beside "work.department.id"
			case ok:
				p.set(only, v)
			}
		}
		for _, mode := range []Mode{Create, Update} {
			want, wantErr := tc.m.ApplyMode(tc.rec, mode)
			got, gotErr := tc.m.ApplyMode(only, mode)
			if diff := cmp.Diff(want, got); diff != "" || fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
				t.Errorf("%s: the listed fields alone map differently (-whole record +listed only):\n%s\n%v\n%v", name, diff, wantErr, gotErr)
			}
		}
	}
}

func traceShows(trs []Trace, probe string) bool {
	for _, tr := range trs {
		if strings.Contains(fmt.Sprint(tr.In), probe) {
			return true
		}
	}
	return false
}

package mapping

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	intoPerson  = []string{PresetBambooHRPerson, PresetHiBobPerson, PresetTalentHRPerson, PresetTalentLMSPerson}
	outOfPerson = []string{PresetPersonLitmos, PresetPersonLearnAmp, PresetPersonTalentLMS, PresetPersonTalentHR}
)

// Every map into the person accounts for every person field, writing it
// or declaring it absent, and nothing else; every map out of it reads
// person fields only and skips missing ones. So any pair composes.
func TestPersonPresetsCoverTheVocabulary(t *testing.T) {
	vocab := PersonFields()
	sort.Strings(vocab)
	for _, name := range intoPerson {
		m := mustPreset(t, name)
		s := m.Spec()
		got := append(m.Targets(), s.Absent...)
		sort.Strings(got)
		if diff := cmp.Diff(vocab, got); diff != "" {
			t.Errorf("%s: targets and absent fields (-person fields +got):\n%s", name, diff)
		}
		if !s.Options.SkipMissing {
			t.Errorf("%s: person maps skip missing sources", name)
		}
	}
	in := map[string]bool{}
	for _, f := range vocab {
		in[f] = true
	}
	for _, name := range outOfPerson {
		m := mustPreset(t, name)
		for _, f := range m.SourceFields() {
			if !in[f] {
				t.Errorf("%s reads %q, which is not a person field", name, f)
			}
		}
		if !m.Spec().Options.SkipMissing {
			t.Errorf("%s: person maps skip missing sources", name)
		}
	}
}

func TestAllPersonPairsCompose(t *testing.T) {
	for _, hr := range intoPerson {
		for _, lms := range outOfPerson {
			m, err := Compose(mustPreset(t, hr), mustPreset(t, lms))
			if err != nil {
				t.Errorf("Compose(%s, %s): %v", hr, lms, err)
				continue
			}
			if m.Name() != hr+"+"+lms {
				t.Errorf("name %q", m.Name())
			}
			// Every target of the out map is written or, when it reads only
			// what the HR system lacks, declared absent.
			got := append(m.Targets(), m.Spec().Absent...)
			want := mustPreset(t, lms).Targets()
			sort.Strings(got)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: targets and absent (-%s targets +got):\n%s", m.Name(), lms, diff)
			}
		}
	}
}

// seedCase compares Compose(in, out) with a seed pair's preset.
type seedCase struct {
	in, out, seed string
	records       func(t *testing.T) []map[string]any
	// seedOnly are the seed's refinements: targets it writes that the
	// composition does not. composedOnly are targets only the
	// composition writes.
	seedOnly, composedOnly []string
	// seedSkipsMissing: the seed has skip_missing like every person map,
	// so even an absent source maps the same. Otherwise an absent source
	// may leave the composed target absent where the seed writes it empty.
	seedSkipsMissing bool
	// seedCreateOnly are targets the seed writes on create only where the
	// composition always does: an update leaves them out.
	seedCreateOnly []string
	// seedKeepsOnEmpty are targets the seed leaves unwritten for an empty
	// value (ignore-if-empty) where the composition writes it empty.
	seedKeepsOnEmpty []string
}

var seedCases = []seedCase{{
	in: PresetBambooHRPerson, out: PresetPersonLitmos, seed: PresetBambooHRLitmos,
	records: func(t *testing.T) []map[string]any {
		var emps []map[string]any
		readJSON(t, "bamboohr_employees.json", &emps)
		return emps
	},
	seedSkipsMissing: true,
}, {
	in: PresetHiBobPerson, out: PresetPersonLearnAmp, seed: PresetHiBobLearnAmp,
	records: func(t *testing.T) []map[string]any {
		var emp, other map[string]any
		readJSON(t, "hibob_record.json", &emp)
		readJSON(t, "hibob_record.json", &other)
		// The manager as work.manager alone, a leaver with a termination date.
		other["work.reportsTo"], other["work.reportsTo.id"] = nil, nil
		other["internal.terminationDate"], other["internal.status"] = "2026-01-31", "Inactive"
		return []map[string]any{emp, other}
	},
	seedSkipsMissing: true,
}, {
	in: PresetTalentHRPerson, out: PresetPersonTalentLMS, seed: PresetTalentHRTalentLMS,
	records: func(t *testing.T) []map[string]any {
		var emp map[string]any
		readJSON(t, "talenthr_employee.json", &emp)
		return []map[string]any{emp}
	},
	seedOnly:         []string{"custom_fields.dateOfBirth", "custom_fields.ssn"},
	seedSkipsMissing: true,
}, {
	in: PresetTalentLMSPerson, out: PresetPersonTalentHR, seed: PresetTalentLMSTalentHR,
	records: func(t *testing.T) []map[string]any {
		var users []map[string]any
		readJSON(t, "talentlms_users.json", &users)
		return users
	},
	seedOnly:         []string{"birth_date", "hr_languages", "ssn"},
	seedSkipsMissing: true,
	// TalentHR sets these only when it hires: no public call changes them.
	seedCreateOnly: []string{"department", "division", "hire_date", "job_title", "location"},
	// TalentLMS fills TalentHR in, never empties it.
	seedKeepsOnEmpty: []string{"birth_date", "city", "country"},
}}

// variants are the records of the testdata, then each with one field the
// seed reads changed to an absent, null, blank, padded, bad-address or
// numeric value.
func variants(recs []map[string]any, fields []string) []map[string]any {
	out := append([]map[string]any(nil), recs...)
	values := []any{"absent", nil, "", " \t", "  Ab Cd  ", "x@", 7.0}
	for _, rec := range recs {
		for _, f := range fields {
			p, _ := parsePath(f)
			for _, v := range values {
				c := deepCopy(rec).(map[string]any)
				if _, flat := c[f]; flat {
					// A key equal to the whole path (the hibob connector's
					// "work.department.id") is the value the path reads.
					setFlat(c, f, v)
				} else if !setExisting(c, p.segs, v) {
					continue
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// setFlat replaces (or, for "absent", deletes) the value of key k.
func setFlat(m map[string]any, k string, v any) {
	if v == "absent" {
		delete(m, k)
	} else {
		m[k] = v
	}
}

// setExisting replaces (or, for "absent", deletes) the value at segs in
// m when every object on the way exists.
func setExisting(m map[string]any, segs []string, v any) bool {
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s].(map[string]any)
		if !ok {
			return false
		}
		m = next
	}
	last := segs[len(segs)-1]
	if v == "absent" {
		delete(m, last)
	} else {
		m[last] = v
	}
	return true
}

// fieldFailure is what a test compares of a FieldError.
type fieldFailure struct {
	Required            bool
	Source, Value, Step string
}

func failures(err error) map[string]fieldFailure {
	out := map[string]fieldFailure{}
	var errs Errors
	errors.As(err, &errs)
	for _, e := range errs {
		out[e.Target] = fieldFailure{errors.Is(e, ErrRequired), e.Source, e.Value, e.Step}
	}
	return out
}

// Compose(<hr>-person, person-<lms>) gives exactly what the seed pair's
// preset gives, for every target both write, on the testdata records and
// variants of them, in both modes, failures included (same target, same
// original source, same value, same step). The seeds' refinements are
// listed in seedOnly.
func TestComposeEqualsSeedPresets(t *testing.T) {
	for _, tc := range seedCases {
		t.Run(tc.seed, func(t *testing.T) {
			seed := mustPreset(t, tc.seed)
			composed, err := Compose(mustPreset(t, tc.in), mustPreset(t, tc.out))
			if err != nil {
				t.Fatal(err)
			}
			common := checkTargetSets(t, seed, composed, tc)
			recs := variants(tc.records(t), seed.SourceFields())
			for i, rec := range recs {
				for _, mode := range []Mode{Create, Update} {
					label := fmt.Sprintf("record %d, mode %d: %v", i, mode, rec)
					compared := common
					if mode == Update {
						compared = slices.DeleteFunc(slices.Clone(common), func(x string) bool { return slices.Contains(tc.seedCreateOnly, x) })
					}
					compareOnCommon(t, label, seed, composed, rec, mode, compared, tc)
				}
			}
			if len(recs) < 50 {
				t.Errorf("only %d records compared", len(recs))
			}
		})
	}
}

func checkTargetSets(t *testing.T, seed, composed *Map, tc seedCase) []string {
	t.Helper()
	in := func(m *Map) map[string]bool {
		set := map[string]bool{}
		for _, x := range m.Targets() {
			set[x] = true
		}
		return set
	}
	s, c := in(seed), in(composed)
	var common, seedOnly, composedOnly []string
	for x := range s {
		if c[x] {
			common = append(common, x)
		} else {
			seedOnly = append(seedOnly, x)
		}
	}
	for x := range c {
		if !s[x] {
			composedOnly = append(composedOnly, x)
		}
	}
	for _, l := range [][]string{common, seedOnly, composedOnly, tc.seedOnly, tc.composedOnly} {
		sort.Strings(l)
	}
	if diff := cmp.Diff(tc.seedOnly, seedOnly); diff != "" {
		t.Errorf("targets only the seed writes, its refinements (-documented +got):\n%s", diff)
	}
	if diff := cmp.Diff(tc.composedOnly, composedOnly); diff != "" {
		t.Errorf("targets only the composition writes (-documented +got):\n%s", diff)
	}
	for _, x := range common {
		if slices.Contains(tc.seedCreateOnly, x) {
			if !seed.CreateOnly(x) || composed.CreateOnly(x) {
				t.Errorf("%s: documented create-only in the seed only, but %v in the seed, %v composed", x, seed.CreateOnly(x), composed.CreateOnly(x))
			}
			continue
		}
		if seed.CreateOnly(x) != composed.CreateOnly(x) {
			t.Errorf("%s: create-only %v in the seed, %v composed", x, seed.CreateOnly(x), composed.CreateOnly(x))
		}
	}
	return common
}

func compareOnCommon(t *testing.T, label string, seed, composed *Map, rec map[string]any, mode Mode, common []string, tc seedCase) {
	t.Helper()
	skips := tc.seedSkipsMissing
	so, serr := seed.ApplyMode(rec, mode)
	co, cerr := composed.ApplyMode(rec, mode)
	sf, cf := flatten(seed, so), flatten(composed, co)
	sfail, cfail := failures(serr), failures(cerr)
	for _, x := range common {
		sv, sok := sf[x]
		cv, cok := cf[x]
		if !skips && sok && !cok && IsEmpty(sv) && len(composed.SourceFieldsOf(x)) > 0 && allAbsent(rec, composed.SourceFieldsOf(x)) {
			continue // the documented difference: an absent source leaves the target alone
		}
		if !sok && cok && IsEmpty(cv) && slices.Contains(tc.seedKeepsOnEmpty, x) {
			continue // the documented refinement: an empty value leaves the target alone
		}
		if diff := cmp.Diff(sv, cv); diff != "" || sok != cok {
			t.Errorf("%s\n%s: seed %v (written %v), composed %v (written %v)", label, x, sv, sok, cv, cok)
		}
		if diff := cmp.Diff(sfail[x], cfail[x]); diff != "" {
			t.Errorf("%s\n%s failure (-seed +composed):\n%s", label, x, diff)
		}
	}
}

func allAbsent(rec map[string]any, paths []string) bool {
	for _, s := range paths {
		p, _ := parsePath(s)
		if _, ok := p.lookup(rec); ok {
			return false
		}
	}
	return true
}

// The person presets on the testdata: what a person looks like.
func TestPersonPresets(t *testing.T) {
	var emps []map[string]any
	readJSON(t, "bamboohr_employees.json", &emps)
	got, err := mustPreset(t, PresetBambooHRPerson).Apply(emps[0])
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": "4", "employee_number": "1", "first_name": "Charlotte", "last_name": "Abbott",
		"email":     map[string]any{"work": "charlotte.abbott@efficientoffice.com"},
		"phone":     map[string]any{"work": "+1 801 724 6600", "mobile": nil},
		"address":   map[string]any{"line1": "123 Main St", "line2": "", "city": "Lindon", "state": "Utah", "postal_code": "84042", "country": "United States"},
		"job_title": "Sr. HR Administrator", "manager": Reference{Collection: "users", Key: "9"},
		"hire_date": date(2016, 4, 12), "leave_date": nil, "active": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bamboohr employee 4 (-want +got):\n%s", diff)
	}
	emps[0]["supervisorEId"], emps[0]["status"] = "0", "Inactive"
	got, _ = mustPreset(t, PresetBambooHRPerson).Apply(emps[0])
	if got["manager"] != nil || got["active"] != false {
		t.Errorf("supervisorEId 0 is no manager, Inactive is not active: %v %v", got["manager"], got["active"])
	}

	var bob map[string]any
	readJSON(t, "hibob_record.json", &bob)
	got, err = mustPreset(t, PresetHiBobPerson).Apply(bob)
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]any{
		"id": "3332883884017713238", "first_name": "Ada", "last_name": "Lovelace", "display_name": "Ada Lovelace",
		"email":     map[string]any{"work": "ada.lovelace@example.com"},
		"job_title": "Engineer", "department": "Engineering", "location": "London",
		"team":      Reference{Collection: "teams", Key: "216874211"},
		"manager":   Reference{Collection: "users", Key: "3332883804594373380"},
		"hire_date": date(2025, 9, 1), "leave_date": nil, "active": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hibob employee (-want +got):\n%s", diff)
	}

	var users []map[string]any
	readJSON(t, "talentlms_users.json", &users)
	got, err = mustPreset(t, PresetTalentLMSPerson).Apply(users[1])
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]any{
		"id": "40458", "first_name": "Maria", "last_name": "Rossi",
		"email":     map[string]any{"work": "m.rossi@example.org"},
		"address":   map[string]any{"city": nil},
		"hire_date": date(2024, 2, 3), "active": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("talentlms user 40458, hire date from created_on (-want +got):\n%s", diff)
	}
}

func TestPersonLearnAmpLanguage(t *testing.T) {
	m := mustPreset(t, PresetPersonLearnAmp)
	base := map[string]any{"id": "1", "first_name": "A", "last_name": "B", "email": map[string]any{"work": "a@b.co"}}
	for in, want := range map[any]any{"en-us": "en-US", "DE": "de", "Klingon": nil, "": nil, nil: nil} {
		rec := deepCopy(base).(map[string]any)
		rec["language"] = in
		got, err := m.Apply(rec)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := got["language"]
		if want == nil && ok || want != nil && v != want {
			t.Errorf("language %q: got %v (written %v), want %v", in, v, ok, want)
		}
	}
}

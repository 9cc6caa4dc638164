package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzLoad: any bytes either fail to load with an error or load into a
// map whose Save reloads to the same Spec and the same bytes.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(sampleJSON))
	for _, name := range PresetNames() {
		b, _ := PresetJSON(name)
		f.Add(b)
	}
	f.Add([]byte(`{"name":"m","rules":[{"target":"a","source":"b","transforms":[{"name":"substring","args":{"start":1e300}}]}]}`))
	f.Add([]byte(`{"name":"m","options":{"secret_fields":[]},"rules":[{"target":"a","source":"b","transforms":[]},{"target":"c","source":"d","transforms":[{"name":"trim","args":{}}]}]}`))
	f.Add([]byte(`{"name":"m","rules":[{"target":"a.b","sources":["/x/y","z.0"],"transforms":["coalesce",{"name":"regex-replace","args":{"pattern":"(a)","replacement":"$1$1"}}]}]}`))
	f.Add([]byte(`{"name":"p","rules":[{"target":"A","sources":["a","z"],"transforms":["coalesce"]}],"absent":["q"],"from":{"name":"f","rules":[{"target":"a","source":"x"}],"absent":["z"]}}`))
	for _, pair := range [][2]string{{PresetBambooHRPerson, PresetPersonLitmos}, {PresetTalentLMSPerson, PresetPersonTalentHR}} {
		m, err := Compose(mustPreset(f, pair[0]), mustPreset(f, pair[1]))
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		_ = m.Save(&b)
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(data)
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := m.Save(&first); err != nil {
			t.Fatalf("Save: %v", err)
		}
		m2, err := Load(first.Bytes())
		if err != nil {
			t.Fatalf("reload of saved map: %v\n%s", err, first.String())
		}
		var second bytes.Buffer
		if err := m2.Save(&second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("Save not stable:\n%s\n%s", first.String(), second.String())
		}
		if diff := cmp.Diff(m.Spec(), m2.Spec()); diff != "" {
			t.Fatalf("Spec changed (-first +second):\n%s", diff)
		}
		_ = m.String()
		_, _ = m.Reverse()
	})
}

// FuzzApply: random records through every preset and a map using every
// transform never panic, and every failure is a FieldError for a target
// absent from the output. Every composition of the person presets maps as
// applying its two maps one after the other does, and ApplyTo as Apply. A record gives each source field of every map a
// value picked by sel: one of the fuzzed strings, the number, a bool, nil,
// a list, an object or a {"value": ...} wrapper.
func FuzzApply(f *testing.F) {
	f.Add("Charlotte.Abbott@Efficientoffice.com", "2016-04-12", 1597989900.0, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(" Zoë Ñúñez ", "0000-00-00", 0.5, []byte{1, 1, 1, 0, 0, 0})
	f.Add("/Date(1497801750508+0200)/", "21/08/2020, 07:05:00", -1e300, []byte{0, 1, 0, 1})
	f.Add("yes", "checkbox", 1.0, []byte{7, 6, 5, 4, 3, 2, 1})
	f.Add("a@b", "", 3e18, []byte{})
	maps := []*Map{}
	fieldSet := map[string]bool{}
	for _, name := range PresetNames() {
		maps = append(maps, mustPreset(f, name))
	}
	all, err := Load([]byte(everyTransformJSON))
	if err != nil {
		f.Fatal(err)
	}
	maps = append(maps, all)
	type pair struct{ first, second, composed *Map }
	var pairs []pair
	for _, hr := range []string{PresetBambooHRPerson, PresetHiBobPerson, PresetTalentHRPerson, PresetTalentLMSPerson} {
		for _, lms := range []string{PresetPersonLitmos, PresetPersonLearnAmp, PresetPersonTalentLMS, PresetPersonTalentHR} {
			first, second := mustPreset(f, hr), mustPreset(f, lms)
			c, err := Compose(first, second)
			if err != nil {
				f.Fatal(err)
			}
			pairs = append(pairs, pair{first, second, c})
			maps = append(maps, c)
		}
	}
	for _, m := range maps {
		for _, s := range m.SourceFields() {
			fieldSet[s] = true
		}
	}
	var paths []path
	for s := range fieldSet {
		p, err := parsePath(s)
		if err != nil {
			f.Fatal(err)
		}
		paths = append(paths, p)
	}
	f.Fuzz(func(t *testing.T, s1, s2 string, num float64, sel []byte) {
		rec := map[string]any{}
		for i := range paths {
			k := byte(i)
			if len(sel) > 0 {
				k = sel[i%len(sel)] + byte(i/len(sel))
			}
			paths[i].set(rec, pick9(k, s1, s2, num))
		}
		dst := map[string]any{}
		for _, p := range pairs {
			for _, mode := range []Mode{Create, Update} {
				if diff := cmp.Diff(twoStep(p.first, p.second, p.composed, rec, mode), outcomeOf(p.composed, rec, mode)); diff != "" {
					t.Fatalf("%s, mode %d (-two steps +composed):\n%s", p.composed.Name(), mode, diff)
				}
			}
		}
		for _, m := range maps {
			out, err := m.Apply(rec)
			errTo := m.ApplyTo(dst, rec)
			if diff := cmp.Diff(out, dst); diff != "" || fmt.Sprint(err) != fmt.Sprint(errTo) {
				t.Fatalf("%s: ApplyTo differs from Apply:\n%s\n%v\n%v", m.Name(), diff, err, errTo)
			}
			if err == nil {
				continue
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("%s: error is %T, want Errors", m.Name(), err)
			}
			for _, fe := range errs {
				if _, present := out[fe.Target]; present {
					t.Fatalf("%s: failed target %q present in output", m.Name(), fe.Target)
				}
			}
		}
	})
}

func pick9(k byte, s1, s2 string, num float64) any {
	switch k % 9 {
	case 0:
		return s1
	case 1:
		return s2
	case 2:
		return num
	case 3:
		return num > 0
	case 4:
		return nil
	case 5:
		return []any{s1, num, nil}
	case 6:
		return map[string]any{"id": s1, "x": s2}
	case 7:
		return map[string]any{"value": s2}
	}
	return s1 + s2
}

const everyTransformJSON = `{"name": "every", "rules": [
 {"target": "a", "source": "x", "transforms": ["trim", "lower", "upper", "title", "normalize-diacritics"]},
 {"target": "b", "source": "x", "transforms": [{"name": "split", "args": {"sep": ","}}, {"name": "join", "args": {"sep": "-"}}]},
 {"target": "c", "source": "x", "transforms": [{"name": "substring", "args": {"start": 2, "length": 3}}, {"name": "regex-replace", "args": {"pattern": "[aeiou]+", "replacement": "<$0>"}}]},
 {"target": "d", "source": "x", "transforms": [{"name": "prefix", "args": {"value": "p"}}, {"name": "suffix", "args": {"value": "s"}}]},
 {"target": "e", "source": "x", "transforms": [{"name": "date", "args": {"from": ["date", "rfc3339", "wcf", "unix", "unixms", "talentlms"], "to": "wcf"}}]},
 {"target": "f", "source": "x", "transforms": [{"name": "lookup", "args": {"table": {"a": 1}, "ignore_case": true, "default": 0}}]},
 {"target": "g", "sources": ["x", "y"], "transforms": ["coalesce", "to-string", "email"]},
 {"target": "h", "source": "x", "transforms": ["to-bool"]},
 {"target": "i", "source": "x", "transforms": ["ignore-if-empty", {"name": "reference", "args": {"collection": "users"}}]},
 {"target": "j", "source": "x", "transforms": [{"name": "constant", "args": {"value": [1, "two"]}}]},
 {"target": "k", "source": "x", "transforms": [{"name": "split", "args": {"sep": " ", "index": -1}}, "to-string"]}
]}`

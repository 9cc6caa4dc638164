package mapping

import (
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/cputime"
)

// startCPU resets the benchmark's timer and returns the process's CPU
// time, for reportCPU.
func startCPU(b *testing.B) time.Duration {
	b.ReportAllocs()
	b.ResetTimer()
	return cputime.Process()
}

// reportCPU adds cpu-ns/op, the process's CPU time per op since startCPU:
// on a shared, loaded machine it is steadier than ns/op, which counts the
// time the benchmark waits for a core.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkApplyBambooHRLitmos maps one realistic BambooHR employee with
// the 15-rule preset.
func BenchmarkApplyBambooHRLitmos(b *testing.B) {
	m := mustPreset(b, PresetBambooHRLitmos)
	rec := cleanEmployee(b)
	benchApply(b, m, rec)
}

// BenchmarkApplyUnchangedStrings measures rules whose transforms leave
// string values unchanged: after the output map, no allocation per field.
func BenchmarkApplyUnchangedStrings(b *testing.B) {
	var rules []Rule
	rec := map[string]any{}
	for _, f := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"} {
		rules = append(rules, Rule{Target: f, Source: f, Transforms: []Step{T("trim"), T("lower")}})
		rec[f] = "value-" + f
	}
	m := mustCompile(b, Spec{Name: "unchanged", Rules: rules})
	benchApply(b, m, rec)
}

// BenchmarkApplyToBambooHRLitmos is BenchmarkApplyBambooHRLitmos into a
// reused output map (Map.ApplyTo), as a sync mapping many records does.
func BenchmarkApplyToBambooHRLitmos(b *testing.B) {
	m := mustPreset(b, PresetBambooHRLitmos)
	rec := cleanEmployee(b)
	dst := make(map[string]any, 16)
	cpu0 := startCPU(b)
	for i := 0; i < b.N; i++ {
		if err := m.ApplyTo(dst, rec); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkApplyComposedBambooHRLitmos maps the same employee with
// Compose(bamboohr-person, person-litmos), the generic route the seed
// preset refines.
func BenchmarkApplyComposedBambooHRLitmos(b *testing.B) {
	m, err := Compose(mustPreset(b, PresetBambooHRPerson), mustPreset(b, PresetPersonLitmos))
	if err != nil {
		b.Fatal(err)
	}
	rec := cleanEmployee(b)
	benchApply(b, m, rec)
}

// cleanEmployee is the first employee of the BambooHR sample with a first
// name already clean: trim changes nothing.
func cleanEmployee(tb testing.TB) map[string]any {
	var emps []map[string]any
	readJSON(tb, "bamboohr_employees.json", &emps)
	emps[0]["firstName"] = "Charlotte"
	return emps[0]
}

// benchApply times m.Apply on rec.
func benchApply(b *testing.B, m *Map, rec map[string]any) {
	b.Helper()
	cpu0 := startCPU(b)
	for i := 0; i < b.N; i++ {
		if _, err := m.Apply(rec); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkFloor is the bare cost Apply cannot avoid for a 15-field record:
// 15 reads and a 15-entry output map. Compare it with the benchmarks above
// on the same machine.
func BenchmarkFloor(b *testing.B) {
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"}
	rec := map[string]any{}
	for _, k := range keys {
		rec[k] = "value-" + k
	}
	cpu0 := startCPU(b)
	for i := 0; i < b.N; i++ {
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			out[k] = rec[k]
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkApplyValuesBambooHRLitmos is BenchmarkApplyToBambooHRLitmos
// into reused slices (Map.ApplyValues), as the planner maps linked
// records: no map insert per field.
func BenchmarkApplyValuesBambooHRLitmos(b *testing.B) {
	m := mustPreset(b, PresetBambooHRLitmos)
	rec := cleanEmployee(b)
	vals, set := make([]any, len(m.Targets())), make([]bool, len(m.Targets()))
	cpu0 := startCPU(b)
	for i := 0; i < b.N; i++ {
		if err := m.ApplyValues(vals, set, rec); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

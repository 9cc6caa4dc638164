package runner

import (
	"encoding/json"
	"os"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// loadMap reads -map FILE; nil without it (the preset's map).
func (r *run) loadMap() (*mapping.Map, error) {
	if r.o.mapFile == "" {
		return nil, nil
	}
	b, err := os.ReadFile(r.o.mapFile)
	if err != nil {
		return nil, Usagef("-map: %w", err)
	}
	m, err := mapping.Load(b)
	if err != nil {
		return nil, Usagef("-map %s: %w", r.o.mapFile, err)
	}
	return m, nil
}

// printMap prints the map a run would use: -map FILE's, or the preset's.
func (r *run) printMap() error {
	m := r.users
	if m == nil {
		var err error
		if m, err = mapping.Preset(r.p.Preset); err != nil {
			return err
		}
	}
	return m.Save(r.stdout)
}

// loadPlan reads -plan FILE and refuses a plan for another pair.
func (r *run) loadPlan() (*syncengine.Plan, error) {
	b, err := os.ReadFile(r.o.planIn)
	if err != nil {
		return nil, Usagef("-plan: %w", err)
	}
	var p syncengine.Plan
	if err := json.Unmarshal(b, &p); err != nil || p.Pair == "" {
		return nil, Usagef("-plan %s is not a saved plan (want the JSON -plan-out writes)", r.o.planIn)
	}
	if p.Version != syncengine.PlanVersion {
		return nil, Usagef("-plan %s is a plan of format %d, and this build applies format %d: plan again", r.o.planIn, p.Version, syncengine.PlanVersion)
	}
	if p.Pair != r.eng.Pair() {
		return nil, Usagef("-plan %s is a plan for %s, and this run syncs %s: nothing was applied",
			r.o.planIn, p.Pair, r.eng.Pair())
	}
	return &p, nil
}

// savePlan writes p to -plan-out FILE, mode 0600 (names and emails).
func (r *run) savePlan(p *syncengine.Plan) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(r.o.planOut, append(b, '\n'), 0o600); err != nil {
		return Usagef("-plan-out: %w", err)
	}
	return nil
}

package runner

import (
	"flag"
	"slices"
	"strings"
	"time"
)

// Direction is one of the ways a program with several directions syncs
// (Program.Directions): a run takes the chosen direction's Source, Target,
// Nouns and Preset in place of the Program's, and the usage text the
// first direction's.
type Direction struct {
	// Name is -direction's value: "hr-to-lms".
	Name string
	// Usage says what the direction does, for -h: "TalentHR to TalentLMS".
	Usage          string
	Source, Target string
	Nouns          Nouns
	Preset         string
}

// features are the flags of the runner's optional features.
type features struct {
	direction, poll string
	showSensitive   bool
	watch           bool
	every           time.Duration // -poll, parsed
	core            []string      // the runner's flags, before the program's
}

// defaultDirection gives a program with directions its first one, for
// the usage text, until -direction picks one.
func (r *run) defaultDirection() {
	if ds := r.p.Directions; len(ds) > 0 && r.p.Source == "" {
		r.p = r.p.with(ds[0])
	}
}

// with returns a copy of p that syncs in direction d.
func (p *Program) with(d Direction) *Program {
	cp := *p
	cp.Source, cp.Target, cp.Nouns, cp.Preset = d.Source, d.Target, d.Nouns, d.Preset
	return &cp
}

// featureFlags registers -direction, -show-sensitive, -watch and -poll,
// for the programs that have them, and notes the runner's flags.
func (r *run) featureFlags(fs *flag.FlagSet, o *options) {
	if ds := r.p.Directions; len(ds) > 0 {
		uses := make([]string, len(ds))
		for i, d := range ds {
			uses[i] = d.Usage
		}
		fs.StringVar(&o.direction, "direction", "", "which way records flow (required), `"+strings.Join(directionNames(ds), "|")+
			"`: "+strings.Join(uses, "; "))
	}
	if r.p.Sensitive != "" {
		fs.BoolVar(&o.showSensitive, "show-sensitive", false, "show "+r.p.Sensitive+" in plans and reports (hidden by default)")
	}
	if w := r.p.Watch; w != nil {
		fs.BoolVar(&o.watch, "watch", false, w.Usage)
		if w.Poll > 0 {
			fs.Func("poll", w.PollUsage, func(s string) error { o.poll = s; return nil })
		}
	}
	o.core = names(fs)
}

// checkFeatures checks -direction, -watch and -poll, and takes the
// direction chosen.
func (r *run) checkFeatures(o *options) error {
	if ds := r.p.Directions; len(ds) > 0 {
		words := directionNames(ds)[0]
		if n := len(ds); n > 1 {
			words = strings.Join(directionNames(ds[:n-1]), ", ") + " or " + ds[n-1].Name
		}
		if o.direction == "" {
			return Usagef("-direction is required: %s (run %s -h for the flags)", words, r.p.Name)
		}
		i := slices.IndexFunc(ds, func(d Direction) bool { return d.Name == o.direction })
		if i < 0 {
			return Usagef("-direction %q: want %s", o.direction, words)
		}
		r.p = r.p.with(ds[i])
		if r.prog != nil {
			r.prog.nouns = ds[i].Nouns
		}
		if r.p.OnDirection != nil {
			r.p.OnDirection(ds[i].Name)
		}
	}
	if r.p.Watch != nil {
		return r.checkWatch(o)
	}
	return nil
}

func directionNames(ds []Direction) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}

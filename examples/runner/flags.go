package runner

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// options are the parsed flags.
type options struct {
	apply, allowDeac, verbose, json, detailed, printMap, repair bool
	state, report, serve, planOut, planIn, mapFile              string
	leavers                                                     int
	only                                                        []string
	set                                                         map[string]bool // the flags given
	fakeOnly                                                    []string        // the flags Program.Fakes registered
	features                                                                    // -direction, -show-sensitive, -watch, -poll
}

// flags registers the runner's flags, then the program's fake-only ones.
func (r *run) flags(o *options) *flag.FlagSet {
	r.defaultDirection()
	fs := flag.NewFlagSet(r.p.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, by Run
	fs.Usage = func() {}
	src, tgt := r.p.Nouns.Source, r.p.Nouns.Target
	fs.BoolVar(&o.apply, "apply", false, "apply the plan: write to "+r.p.Target+" (default: print the plan, write nothing)")
	fs.BoolVar(&o.allowDeac, "allow-deactivations", false,
		"also apply the deactivations the threshold holds back, after reviewing them")
	fs.Func("only", "apply only these `IDS` ("+r.p.Source+" "+src+" ids, comma-separated); an id not in the plan is an error",
		func(s string) error { return o.setOnly(s) })
	fs.StringVar(&o.state, "state", "", "state `DIR`: the links between "+src+"s and "+tgt+"s, run history, the lock")
	fs.StringVar(&o.report, "report", "", "write the CSV report to `PATH` (- for stdout); a plan run writes the plan's")
	fs.StringVar(&o.planOut, "plan-out", "", "save the reviewed plan as JSON to `FILE`, for a later -plan FILE -apply")
	fs.StringVar(&o.planIn, "plan", "", "use the plan saved in `FILE` instead of planning; with -apply, apply exactly it")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON on stdout, and nothing else there")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "a plan run exits 3 when changes are pending, 0 when there are none")
	fs.BoolVar(&o.printMap, "print-map", false, "print the field map as JSON and exit")
	fs.BoolVar(&o.repair, "state-repair", false, "show what repairing damaged state files would do; with -apply, move them aside "+
		"(nothing is deleted) so the next run links records again by matching")
	fs.StringVar(&o.mapFile, "map", "", "use the field map in `FILE` (JSON, as -print-map prints) instead of the preset's")
	if r.p.Webhook != nil {
		fs.StringVar(&o.serve, "serve", "", "run the webhook receiver on `ADDR` (it writes to "+r.p.Target+" as deliveries arrive)")
	}
	fs.BoolVar(&o.verbose, "v", false, "also print the full plan, field by field, and failures' full errors")
	r.featureFlags(fs, o)
	if r.p.Flags != nil {
		r.p.Flags(fs)
	}
	r.modeFlags(fs)
	if r.p.Fakes != nil {
		before := names(fs)
		fs.IntVar(&o.leavers, "fake-leavers", 0, "`N` people leave the fake company after the tour's webhooks, so the "+
			"re-run is held by the deactivation threshold unless -allow-deactivations (fakes, with -apply)")
		r.fakes = r.p.Fakes(fs)
		for _, n := range names(fs) {
			if !slices.Contains(before, n) {
				o.fakeOnly = append(o.fakeOnly, n)
			}
		}
	}
	return fs
}

func names(fs *flag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) { out = append(out, f.Name) })
	return out
}

func (o *options) setOnly(s string) error {
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			o.only = append(o.only, id)
		}
	}
	if len(o.only) == 0 {
		return errors.New("no ids")
	}
	return nil
}

// parse parses args and refuses flags that contradict each other or
// would have no effect together.
func (r *run) parse(args []string) (*options, error) {
	o := &options{set: map[string]bool{}}
	fs := r.flags(o)
	r.fs = fs
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, Usagef("%v (run %s -h for the flags)", err, r.p.Name)
	}
	if fs.NArg() > 0 {
		return nil, Usagef("unexpected argument %q (flags only; run %s -h for the flags)", fs.Arg(0), r.p.Name)
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if err := r.checkFeatures(o); err != nil {
		return nil, err
	}
	return o, o.check()
}

// conflicts lists pairs of flags that cannot go together, and why.
var conflicts = []struct{ a, b, why string }{
	{"serve", "apply", "-serve writes each delivery as it arrives; -apply is for plan runs"},
	{"serve", "only", "-serve syncs the records each delivery names"},
	{"serve", "plan", "-serve plans each delivery afresh"},
	{"serve", "plan-out", "-serve makes no plan to save"},
	{"serve", "report", "-serve prints each delivery's rows and writes no report"},
	{"serve", "json", "-serve prints each delivery's rows"},
	{"serve", "detailed-exitcode", "-serve is not a plan run"},
	{"serve", "allow-deactivations", "-serve never releases the threshold"},
	{"plan", "plan-out", "the plan in -plan FILE is already saved"},
	{"plan", "map", "a saved plan holds the mapped values; plan again with -map instead"},
	{"plan-out", "apply", "save the plan, review it, then apply it with -plan FILE -apply"},
	{"detailed-exitcode", "apply", "-detailed-exitcode is for plan runs"},
	{"print-map", "apply", "-print-map only prints the map"},
	{"print-map", "serve", "-print-map only prints the map"},
	{"print-map", "plan", "-print-map only prints the map"},
	{"state-repair", "serve", "-state-repair only repairs the state"},
	{"state-repair", "only", "-state-repair only repairs the state"},
	{"state-repair", "plan", "-state-repair only repairs the state; plan after it"},
	{"state-repair", "plan-out", "-state-repair makes no plan"},
	{"state-repair", "report", "-state-repair writes no report"},
	{"state-repair", "json", "-state-repair prints what it finds for a person"},
	{"state-repair", "detailed-exitcode", "-state-repair is not a plan run"},
	{"state-repair", "allow-deactivations", "-state-repair applies no plan"},
	{"state-repair", "print-map", "-print-map only prints the map"},
	{"state-repair", "map", "the map does not change which state is repaired"},
}

func (o *options) check() error {
	for _, c := range conflicts {
		if o.set[c.a] && o.set[c.b] {
			return Usagef("-%s and -%s do not go together: %s", c.a, c.b, c.why)
		}
	}
	switch {
	case o.json && o.report == "-":
		return Usagef("-json and -report - both want stdout: give -report a file")
	case o.set["report"] && o.report == "":
		return Usagef("-report: no path (give a file, or - for stdout)")
	case o.set["state"] && o.state == "":
		return Usagef("-state: no directory")
	case o.set["plan"] && o.planIn == "", o.set["plan-out"] && o.planOut == "", o.set["map"] && o.mapFile == "":
		return Usagef("-plan, -plan-out and -map need a file")
	}
	return nil
}

// machine reports whether stdout carries a report (-json, -report -):
// the human text then goes to stderr.
func (o *options) machine() bool { return o.json || o.report == "-" }

// usage writes the usage text: every flag in the usage line, what each
// mode writes, the variables and the exit codes.
func (r *run) usage(w io.Writer) {
	var line []string
	r.fs.VisitAll(func(f *flag.Flag) {
		arg, _ := flag.UnquoteUsage(f)
		if arg == "" {
			line = append(line, "[-"+f.Name+"]")
		} else {
			if !strings.Contains(arg, "|") { // a choice is spelt as typed
				arg = strings.ToUpper(arg)
			}
			line = append(line, "[-"+f.Name+" "+arg+"]")
		}
	})
	fmt.Fprintf(w, "usage: %s %s\n\n%s\n\n", r.p.Name, strings.Join(line, " "), r.p.Summary)
	fmt.Fprintf(w, "What writes: a plan run (the default) writes nothing to either system; -apply writes the\n"+
		"plan to %s; -serve writes what each webhook delivery changes to %s, without -apply.\n"+
		"-state-repair writes to neither: alone it shows what it would do, and with -apply it moves\n"+
		"damaged state files aside.\n\n", r.p.Target, r.p.Target)
	fmt.Fprintln(w, "Flags:")
	r.fs.SetOutput(w)
	r.fs.PrintDefaults()
	r.fs.SetOutput(io.Discard)
	fmt.Fprintf(w, "\nEnvironment: with none of these set, the run uses in-process fakes of %s and %s.\n", r.p.Source, r.p.Target)
	for _, v := range r.p.Vars {
		fmt.Fprintf(w, "  %-26s %s\n", v.Name, v.Usage)
	}
	fmt.Fprintf(w, "\nExit status: 0 done; 1 error (also: a write failed, or a plan held by the deactivation\n"+
		"threshold was not applied); 2 usage or configuration error; 3 changes pending (plan run\n"+
		"with -detailed-exitcode).\n")
}

// FlagNames lists the flags p's command line takes, runner's and
// program's, for tests that keep a program's documentation in step.
func FlagNames(p *Program) []string {
	r := &run{p: p}
	return names(r.flags(&options{}))
}

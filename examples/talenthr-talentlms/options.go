package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/jobs"
)

// options are the program's own flags; the rest go to the runner.
type options struct {
	direction     jobs.Direction
	showSensitive bool
	watch         bool
	poll          time.Duration
	help          bool
}

// ownFlags are the program's flags: name → usage (for -h and the README).
var ownFlags = []struct{ name, arg, usage string }{
	{"direction", "hr-to-lms|lms-to-hr|two-way", "which way people flow (required): HR to LMS, LMS to HR, or both, TalentLMS never overwriting TalentHR"},
	{"show-sensitive", "", "show SSNs and dates of birth in plans and reports (hidden by default)"},
	{"watch", "", "run the automatic sync until interrupted: a manual sync first, then TalentHR polled every -poll, a full sync 12 hours later and every 24 hours"},
	{"poll", "DURATION", "with -watch: how often TalentHR is polled for changes (default 5m)"},
}

// parseOptions takes the program's own flags out of args, wherever they
// are (-direction two-way, -direction=two-way, -watch, -watch=false), and
// returns the rest for the runner.
func parseOptions(args []string) (options, []string, error) {
	o := options{poll: 5 * time.Minute}
	var rest []string
	pollSet := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		key, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			rest = append(rest, a)
			continue
		}
		value := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("flag -%s needs a value", key)
			}
			i++
			return args[i], nil
		}
		switch key {
		case "direction":
			v, err := value()
			if err != nil {
				return o, nil, err
			}
			o.direction = jobs.Direction(v)
			if d := o.direction; d != jobs.HRToLMS && d != jobs.LMSToHR && d != jobs.TwoWay {
				return o, nil, fmt.Errorf("-direction %q: want hr-to-lms, lms-to-hr or two-way", v)
			}
		case "poll":
			v, err := value()
			if err != nil {
				return o, nil, err
			}
			if o.poll, err = time.ParseDuration(v); err != nil || o.poll <= 0 {
				return o, nil, fmt.Errorf("-poll %q: want a positive duration such as 5m", v)
			}
			pollSet = true
		case "show-sensitive", "watch":
			b := true
			if hasVal {
				var err error
				if b, err = strconv.ParseBool(val); err != nil {
					return o, nil, fmt.Errorf("-%s=%q: want true or false", key, val)
				}
			}
			if key == "watch" {
				o.watch = b
			} else {
				o.showSensitive = b
			}
		case "h", "help":
			o.help = true
		default:
			rest = append(rest, a)
		}
	}
	if pollSet && !o.watch {
		return o, nil, fmt.Errorf("-poll applies to -watch only")
	}
	return o, rest, nil
}

// ownUsage describes the program's own flags, before the runner's usage.
func ownUsage(w io.Writer) {
	fmt.Fprintf(w, "%s's own flags:\n", name)
	for _, f := range ownFlags {
		arg := ""
		if f.arg != "" {
			arg = " " + f.arg
		}
		fmt.Fprintf(w, "  -%s%s\n    \t%s\n", f.name, arg, f.usage)
	}
	fmt.Fprintln(w)
}

package main

import (
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
)

// own are the example's flags; the runner parses the rest.
type own struct {
	db             string
	content        jobs.LitmosContent
	teams          []string // nil: all
	testConnection bool
	assign         string
	set            map[string]bool
}

// ownFlags lists the example's flags and whether each takes a value.
var ownFlags = map[string]bool{"db": true, "content": true, "teams": true, "test-connection": false, "assign": true}

// parseOwn takes the example's flags out of args and leaves the runner's.
func parseOwn(args []string) (*own, []string, error) {
	o := &own{content: jobs.LitmosCoursesAndUsers, set: map[string]bool{}}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takes, ours := ownFlags[name]
		if !strings.HasPrefix(a, "-") || a == "--" || !ours {
			rest = append(rest, a)
			continue
		}
		if o.set[name] {
			return nil, nil, runner.Usagef("-%s given twice", name)
		}
		o.set[name] = true
		if !takes {
			b, err := strconv.ParseBool(val)
			if hasVal && err != nil {
				return nil, nil, runner.Usagef("-%s: %q is not true or false", name, val)
			}
			o.testConnection = !hasVal || b
			continue
		}
		if !hasVal {
			if i+1 == len(args) {
				return nil, nil, runner.Usagef("-%s needs a value", name)
			}
			i++
			val = args[i]
		}
		if err := o.setValue(name, strings.TrimSpace(val)); err != nil {
			return nil, nil, err
		}
	}
	return o, rest, o.check(rest)
}

func (o *own) setValue(name, val string) error {
	switch name {
	case "db":
		if val == "" {
			return runner.Usagef("-db: no file")
		}
		o.db = val
	case "content":
		o.content = jobs.LitmosContent(val)
		if o.content != jobs.LitmosCourses && o.content != jobs.LitmosCoursesAndUsers {
			return runner.Usagef("-content %q: want courses or courses-and-users", val)
		}
	case "teams":
		if val == "all" {
			return nil
		}
		for _, t := range strings.Split(val, ",") {
			if t = strings.TrimSpace(t); t != "" {
				o.teams = append(o.teams, t)
			}
		}
		if len(o.teams) == 0 {
			return runner.Usagef("-teams: no team names (give all, or NAME,NAME)")
		}
	case "assign":
		email, courses, ok := strings.Cut(val, "=")
		if !ok || strings.TrimSpace(email) == "" || strings.Trim(courses, ", ") == "" {
			return runner.Usagef("-assign %q: want EMAIL=COURSE_ID[,COURSE_ID]", val)
		}
		o.assign = val
	}
	return nil
}

// check refuses flags that would do nothing together.
func (o *own) check(rest []string) error {
	switch {
	case o.testConnection && (o.assign != "" || o.set["db"] || o.set["content"] || o.set["teams"] || len(rest) > 0):
		return runner.Usagef("-test-connection only checks the Litmos account: it takes no other flag")
	case o.assign != "" && (o.set["content"] || o.set["teams"]):
		return runner.Usagef("-assign assigns courses; -content and -teams are for syncs")
	case o.content == jobs.LitmosCourses && o.teams != nil:
		return runner.Usagef("-teams has no effect with -content courses (teams come with users)")
	}
	if o.assign != "" {
		for _, a := range rest {
			if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && n != "apply" && n != "state" {
				return runner.Usagef("-assign takes -db, -state and -apply only, not %s", a)
			}
		}
	}
	return nil
}

// assignment splits -assign into the email and the course ids.
func (o *own) assignment() (string, []string) {
	email, courses, _ := strings.Cut(o.assign, "=")
	var ids []string
	for _, c := range strings.Split(courses, ",") {
		if c = strings.TrimSpace(c); c != "" {
			ids = append(ids, c)
		}
	}
	return strings.TrimSpace(email), ids
}

// stateFlag returns the value of -state among the runner's arguments.
func stateFlag(rest []string) string {
	for i, a := range rest {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case name != "state" || !strings.HasPrefix(a, "-"):
		case hasVal:
			return val
		case i+1 < len(rest):
			return rest[i+1]
		}
	}
	return ""
}

// applying reports whether the runner's arguments ask to apply.
func applying(rest []string) bool {
	for _, a := range rest {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "apply" && strings.HasPrefix(a, "-") {
			b, err := strconv.ParseBool(val)
			return !hasVal || (err == nil && b)
		}
	}
	return false
}

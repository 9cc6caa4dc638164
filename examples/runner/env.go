package runner

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUsage marks errors the user fixes by changing the command line or the
// environment: Run exits 2 on them.
var ErrUsage = errors.New("usage error")

type usageError struct{ err error }

func (u usageError) Error() string        { return u.err.Error() }
func (u usageError) Unwrap() error        { return u.err }
func (u usageError) Is(target error) bool { return target == ErrUsage }

// Usagef returns an error that makes Run exit 2, formatted like fmt.Errorf
// (%w wraps).
func Usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// realAccounts reports whether the environment names real accounts: false
// when no required variable is set (the fakes), an error naming what is
// missing when some are. Only names are ever put in an error, never values.
func realAccounts(vars []Var, env Env) (bool, error) {
	isSet := func(v Var) bool { return env.Get(v.Name) != "" }
	var set, missing, lone []string
	var alts []string // the alternatives, in order
	altSet := map[string][]string{}
	altMissing := map[string][]string{}
	for _, v := range vars {
		switch {
		case v.Kind == Optional && isSet(v):
			lone = append(lone, v.Name)
		case v.Kind != Required:
		case v.Alt != "":
			if !slices.Contains(alts, v.Alt) {
				alts = append(alts, v.Alt)
			}
			if isSet(v) {
				altSet[v.Alt] = append(altSet[v.Alt], v.Name)
			} else {
				altMissing[v.Alt] = append(altMissing[v.Alt], v.Name)
			}
		case isSet(v):
			set = append(set, v.Name)
		default:
			missing = append(missing, v.Name)
		}
	}
	var chosen []string
	for _, a := range alts {
		if len(altSet[a]) > 0 {
			chosen = append(chosen, a)
		}
	}
	if len(set) == 0 && len(chosen) == 0 {
		if len(lone) > 0 {
			return false, Usagef("%s set, but no credentials: set the real accounts' variables too (%s), "+
				"or unset %s to run on the built-in fakes", strings.Join(lone, ", "), requirement(vars, alts), strings.Join(lone, ", "))
		}
		return false, nil
	}
	switch {
	case len(chosen) > 1:
		return false, Usagef("both %s and %s are set: give one of %s, not both",
			strings.Join(altSet[chosen[0]], ", "), strings.Join(altSet[chosen[1]], ", "), alternatives(vars, alts))
	case len(chosen) == 1:
		set = append(set, altSet[chosen[0]]...)
		missing = append(missing, altMissing[chosen[0]]...)
	case len(alts) > 0:
		missing = append(missing, altMissing[alts[0]]...)
	}
	if len(missing) > 0 {
		return false, Usagef("missing environment variables %s (%s set): to use real accounts set %s; "+
			"set none of them to run on the built-in fakes",
			strings.Join(missing, ", "), strings.Join(set, ", "), requirement(vars, alts))
	}
	return true, nil
}

// requirement words what real accounts need: "all of A, B, and either C
// or all of D, E".
func requirement(vars []Var, alts []string) string {
	var plain []string
	for _, v := range vars {
		if v.Kind == Required && v.Alt == "" {
			plain = append(plain, v.Name)
		}
	}
	s := "all of " + strings.Join(plain, ", ")
	if len(alts) > 0 {
		s += ", and either " + alternatives(vars, alts)
	}
	return s
}

func alternatives(vars []Var, alts []string) string {
	words := make([]string, len(alts))
	for i, a := range alts {
		var group []string
		for _, v := range vars {
			if v.Alt == a {
				group = append(group, v.Name)
			}
		}
		words[i] = strings.Join(group, ", ")
		if len(group) > 1 {
			words[i] = "all of " + words[i]
		}
	}
	return strings.Join(words, " or ")
}

package jobs

import (
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

var _ syncengine.Merge = MergeLanguages

// MergeLanguages is the TalentHR ⇔ TalentLMS job's rule for TalentHR's
// hr_languages (the languages an employee speaks): the TalentLMS
// interface language (want, a name) is added to the languages TalentHR
// lists (have), which keeps every one it had. A language TalentHR lists
// already, in any case, writes nothing.
func MergeLanguages(want, have any) any {
	langs := languageList(have)
	add := languageList(want)
	out := slices.Clone(langs)
	for _, l := range add {
		if !slices.ContainsFunc(out, func(x any) bool { return strings.EqualFold(langText(x), langText(l)) }) {
			out = append(out, l)
		}
	}
	if len(out) == len(langs) {
		return have
	}
	return out
}

// languageList reads a language value: a name, or a list of names.
func languageList(v any) []any {
	var out []any
	add := func(x any) {
		if langText(x) != "" {
			out = append(out, strings.TrimSpace(langText(x)))
		}
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			add(e)
		}
	case []string:
		for _, e := range x {
			add(e)
		}
	case nil:
	default:
		add(x)
	}
	return out
}

func langText(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

package main

import (
	"strings"
	"testing"
	"time"
)

// secrets are every SSN and date of birth the fakes hold, in the forms
// either system prints a date.
func secrets() []string {
	out := []string{"321-54-9876", "23/04/1995", "1995-04-23"} // Lena's, in TalentLMS only
	for _, p := range readCompany(testNow).TalentHR.People {
		for _, k := range []string{"ssn", "birth_date"} {
			s, _ := p.Profile[k].(string)
			if s == "" {
				continue
			}
			out = append(out, s)
			if d, err := time.Parse("2006-01-02", s); err == nil {
				out = append(out, d.Format("02/01/2006"))
			}
		}
	}
	return out
}

// No SSN or date of birth reaches stdout, stderr or the report, in any
// direction and mode, unless -show-sensitive asks for them.
func TestSensitiveNeverPrinted(t *testing.T) {
	for _, dir := range []string{"hr-to-lms", "lms-to-hr", "two-way"} {
		for _, args := range [][]string{
			{"-v"}, {"-apply", "-v", "-report", "-"}, {"-apply", "-json"}, {"-v", "-plan-out", "PLAN"},
		} {
			args = append([]string{"-direction", dir}, args...)
			for i, a := range args {
				if a == "PLAN" {
					args[i] = t.TempDir() + "/plan.json" // the saved plan holds values: it is written 0600, never printed
				}
			}
			r := runMain(t, nil, args...)
			if r.code != 0 {
				t.Errorf("%v: %s", args, r)
				continue
			}
			for _, s := range secrets() {
				if strings.Contains(r.out+r.stderr, s) {
					t.Errorf("%v: %q is printed", args, s)
				}
			}
			if strings.Contains(strings.Join(args, " "), "-v") && !strings.Contains(r.out+r.stderr, "(hidden: sensitive)") {
				t.Errorf("%v: nothing is hidden: the test would not see a leak", args)
			}
		}
	}
	r := runMain(t, nil, "-direction", "lms-to-hr", "-v", "-show-sensitive")
	if r.code != 0 || !strings.Contains(r.out, `talenthr.ssn = "321-54-9876"`) {
		t.Errorf("-show-sensitive: Lena's SSN is not shown:\n%s", r)
	}
}

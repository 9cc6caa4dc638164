package mapping

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// A date pair that drops information (a time to a bare date, a zone-less
// layout) cannot be reversed: the reversed value would differ from the input.
func TestReverseRefusesLossyDatePairs(t *testing.T) {
	m := mustCompile(t, Spec{Name: "dates", Rules: []Rule{
		{Target: "a", Source: "a", Transforms: []Step{T("date", "from", "date", "to", "talentlms")}},
		{Target: "b", Source: "b", Transforms: []Step{T("date", "from", "rfc3339", "to", "date")}},
		{Target: "c", Source: "c", Transforms: []Step{T("date", "from", "talentlms", "to", "date")}},
		{Target: "d", Source: "d", Transforms: []Step{T("date", "from", "wcf", "to", "date")}},
		{Target: "e", Source: "e", Transforms: []Step{T("date", "from", "rfc3339", "to", "unix")}},
		{Target: "f", Source: "f", Transforms: []Step{T("date", "from", "date", "to", "2006-01")}},
		{Target: "g", Source: "g", Transforms: []Step{T("date", "from", "rfc3339")}},
	}})
	_, err := m.Reverse()
	var re *ReverseError
	if !errors.As(err, &re) {
		t.Fatalf("want *ReverseError, got %v", err)
	}
	var got []string
	for _, r := range re.Rules {
		got = append(got, r.Target)
		if !strings.Contains(r.Reason, "loses") {
			t.Errorf("rule %d reason %q does not say what is lost", r.Rule, r.Reason)
		}
	}
	if diff := cmp.Diff([]string{"b", "c", "d", "f"}, got); diff != "" {
		t.Errorf("not invertible (-want +got):\n%s", diff)
	}
}

// For every rule Reverse accepts, the reversed map applied to the forward
// map's output gives the input back.
func TestReverseRoundTrip(t *testing.T) {
	m := mustCompile(t, Spec{Name: "rt", Rules: []Rule{
		{Target: "email", Source: "mail", Transforms: []Step{T("email")}},
		{Target: "hired", Source: "hire", Transforms: []Step{T("date", "from", "date", "to", "talentlms")}},
		{Target: "born", Source: "dob", Transforms: []Step{T("date", "from", "02/01/2006", "to", "date")}},
		{Target: "wcf", Source: "when", Transforms: []Step{T("date", "from", "date", "to", "wcf")}},
		{Target: "stamp", Source: "at", Transforms: []Step{T("date", "from", "unix", "to", "rfc3339")}},
		{Target: "status", Source: "state", Transforms: []Step{T("lookup", "table", map[string]any{"A": "active", "I": "inactive"})}},
		{Target: "tags", Source: "tagList", Transforms: []Step{T("join", "sep", ";")}},
	}})
	rev, err := m.Reverse()
	if err != nil {
		t.Fatal(err)
	}
	inputs := []map[string]any{
		{"mail": "ana@x.co", "hire": "2024-02-29", "dob": "17/05/1990", "when": "2017-06-18", "at": "1597989900", "state": "I", "tagList": []any{"a", "b"}},
		{"mail": nil, "hire": "1999-12-31", "dob": "01/01/1970", "when": "2038-01-19", "at": "0", "state": "A", "tagList": []any{"x"}},
	}
	for _, in := range inputs {
		fwd, err := m.Apply(in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := rev.Apply(fwd)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := back["at"].(int64); ok { // unix goes back as a number
			back["at"] = formatFloat(float64(s))
		}
		if diff := cmp.Diff(in, back); diff != "" {
			t.Errorf("round trip (-in +back):\n%s", diff)
		}
	}
}

func TestDiacriticsBeyondLatin1(t *testing.T) {
	runTransformCases(t, []transformCase{
		{"romanian comma below", T("normalize-diacritics"), "Ștefan Țăranu și Țara", "Stefan Taranu si Tara", ""},
		{"romanian cedilla", T("normalize-diacritics"), "Şerban Ţepeş", "Serban Tepes", ""},
		{"vietnamese", T("normalize-diacritics"), "Nguyễn Văn Đức Trần Thị Hồng Ưng Ơn", "Nguyen Van Duc Tran Thi Hong Ung On", ""},
		{"pinyin caron", T("normalize-diacritics"), "Lǚ Ǎ ǐ ǒ ǔ", "Lu A i o u", ""},
		{"capital sharp s", T("normalize-diacritics"), "GROẞ", "GROSS", ""},
		{"africa hooks kept", T("normalize-diacritics"), "Ɓ", "Ɓ", ""},
	})
}

// Map.String is for logs: a secret-looking rule's constant and default are
// not printed.
func TestMapStringRedactsSecrets(t *testing.T) {
	m := mustCompile(t, Spec{Name: "signup", Rules: []Rule{
		{Target: "password", Constant: "Welcome-2026!"},
		{Target: "apiToken", Source: "tok", Default: "tok-default-123"},
		{Target: "pin", Source: "p", Transforms: []Step{T("constant", "value", "4321")}},
		{Target: "level", Constant: "Learner"},
	}})
	s := m.String()
	for _, secret := range []string{"Welcome-2026!", "tok-default-123"} {
		if strings.Contains(s, secret) {
			t.Errorf("String() shows %q:\n%s", secret, s)
		}
	}
	if !strings.Contains(s, `"Learner"`) {
		t.Errorf("String() hides a plain constant:\n%s", s)
	}
	m2 := mustCompile(t, Spec{Name: "x", Options: Options{SecretFields: []string{"pin"}}, Rules: []Rule{
		{Target: "pin", Source: "p", Transforms: []Step{T("constant", "value", "4321")}},
	}})
	if strings.Contains(m2.String(), "4321") {
		t.Errorf("String() shows a secret constant step:\n%s", m2.String())
	}
}

// split reads numbers as text like the other text transforms.
func TestSplitReadsNumbersAsText(t *testing.T) {
	runTransformCases(t, []transformCase{
		{"split number pick", T("split", "sep", ".", "index", 0), 4340.5, "4340", ""},
		{"split bool", T("split", "sep", "r"), true, []any{"t", "ue"}, ""},
		{"split object", T("split", "sep", ","), map[string]any{}, nil, "want text, got object"},
	})
}

// A long value in an error is cut on a character boundary.
func TestDisplayCutsOnRuneBoundary(t *testing.T) {
	s := strings.Repeat("a", 63) + "ééé"
	if got := display(s); !utf8.ValidString(got) || strings.Contains(got, `\x`) {
		t.Errorf("display = %s", got)
	}
	long := []any{strings.Repeat("b", 60) + "ééé"}
	if got := display(long); !utf8.ValidString(got) {
		t.Errorf("display = %q", got)
	}
}

// TalentLMS custom date fields follow the portal's date format
// (talentlms.md §3), which need not pad day and month. An unpadded hire
// date must not silently fall back to the creation date.
func TestPresetTalentLMSTalentHRUnpaddedDates(t *testing.T) {
	m := mustPreset(t, PresetTalentLMSTalentHR)
	got, err := m.Apply(map[string]any{
		"email": "ana@example.org", "first_name": "Ana", "last_name": "Cruz",
		"created_on":    "12/11/2015, 07:06:53",
		"custom_fields": map[string]any{"hireDate": "5/3/2021", "dateOfBirth": "7-9-1990"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["hire_date"] != "2021-03-05" || got["birth_date"] != "1990-09-07" {
		t.Errorf("hire_date = %v, birth_date = %v; want 2021-03-05 and 1990-09-07", got["hire_date"], got["birth_date"])
	}
}

// Several sources that are all empty count as empty: ignore-if-empty leaves
// the target untouched, a default applies and Required fails, instead of
// writing a list of nulls.
func TestAllEmptySourcesAreEmpty(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "ignored", Sources: []string{"a", "b"}, Transforms: []Step{T("ignore-if-empty"), T("join", "sep", " ")}},
		{Target: "defaulted", Sources: []string{"a", "b"}, Default: "none"},
		{Target: "required", Sources: []string{"a", "b"}, Required: true},
		{Target: "kept", Sources: []string{"a", "c"}, Transforms: []Step{T("ignore-if-empty"), T("join", "sep", "+")}},
	}})
	got, err := m.Apply(map[string]any{"a": " ", "c": "x"})
	if diff := cmp.Diff([]string{"required"}, targetsOf(err)); diff != "" {
		t.Errorf("failed targets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"defaulted": "none", "kept": "x"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if IsEmpty([]any{nil, []any{""}}) != true || IsEmpty([]any{nil, false}) != false {
		t.Error("IsEmpty on lists")
	}
}

func targetsOf(err error) []string {
	var errs Errors
	if !errors.As(err, &errs) {
		return nil
	}
	return errs.Targets()
}

// An epoch timestamp outside years 0000..9999 is an error, not a date that
// wrapped around (milliseconds read as seconds, an int64 overflow).
func TestDateEpochOutOfRange(t *testing.T) {
	runTransformCases(t, []transformCase{
		{"unixms overflow", T("date", "from", "unixms", "to", "rfc3339"), 9.3e18, nil, "timestamp out of range"},
		{"ms read as seconds", T("date", "from", "unix", "to", "date"), 1497801750508.0, nil, "timestamp out of range"},
		{"ms text read as seconds", T("date", "from", "unix", "to", "date"), "1497801750508", nil, "cannot parse"},
		{"huge text", T("date", "from", "unix"), "1e300", nil, "cannot parse"},
		{"max", T("date", "from", "unix", "to", "rfc3339"), 253402300799.0, "9999-12-31T23:59:59Z", ""},
		{"negative", T("date", "from", "unixms", "to", "date"), -86400000.0, "1969-12-31", ""},
	})
}

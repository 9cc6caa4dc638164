package mapping

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// transformCase runs one step on one value.
type transformCase struct {
	name    string
	step    Step
	in      any
	want    any
	wantErr string // substring of the error; "" means success
}

func runTransformCases(t *testing.T, cases []transformCase) {
	t.Helper()
	reg := DefaultRegistry()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.step
			if err := normalizeArgs(&st); err != nil {
				t.Fatal(err)
			}
			tr, err := reg.build(st)
			if err != nil {
				t.Fatalf("build %s: %v", tc.step.Name, err)
			}
			got, err := tr.Apply(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %v (value %v)", tc.wantErr, err, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTextTransforms(t *testing.T) {
	runTransformCases(t, []transformCase{
		{"lower", T("lower"), "Ana@X.COM", "ana@x.com", ""},
		{"lower unicode", T("lower"), "ÉMILE", "émile", ""},
		{"lower nil", T("lower"), nil, nil, ""},
		{"lower number", T("lower"), 42.0, "42", ""},
		{"lower list", T("lower"), []any{"A", nil, "b"}, []any{"a", nil, "b"}, ""},
		{"lower object", T("lower"), map[string]any{"a": 1}, nil, "want text, got object"},
		{"upper", T("upper"), "gb", "GB", ""},
		{"upper bool", T("upper"), true, "TRUE", ""},
		{"upper time", T("upper"), time.Time{}, nil, "want text, got time"},
		{"trim", T("trim"), " \tAda \n", "Ada", ""},
		{"trim empty", T("trim"), "   ", "", ""},
		{"trim list in list", T("trim"), []any{[]any{" a"}}, []any{[]any{"a"}}, ""},
		{"title", T("title"), "mary-jane o'NEIL", "Mary-Jane O'Neil", ""},
		{"title custom seps", T("title", "separators", " "), "mary-jane", "Mary-jane", ""},
		{"title accents", T("title"), "élodie", "Élodie", ""},
		{"diacritics", T("normalize-diacritics"), "Zoë Ñúñez-Øster Straße Œuvre Łódź", "Zoe Nunez-Oster Strasse OEuvre Lodz", ""},
		{"diacritics combining", T("normalize-diacritics"), "e\u0301cole", "ecole", ""},
		{"diacritics untouched", T("normalize-diacritics"), "plain ASCII × ÷ 日本", "plain ASCII × ÷ 日本", ""},
		{"diacritics wrong type", T("normalize-diacritics"), []any{map[string]any{}}, nil, "element 0: want text, got object"},
		{"split list", T("split", "sep", ","), "a,b,,c", []any{"a", "b", "", "c"}, ""},
		{"split index", T("split", "sep", "@"), "ana@x.com", []any{"ana", "x.com"}, ""},
		{"split pick", T("split", "sep", "@", "index", 0), "ana@x.com", "ana", ""},
		{"split pick last", T("split", "sep", " ", "index", -1), "Ana de la Cruz", "Cruz", ""},
		{"split pick out of range", T("split", "sep", " ", "index", 5), "Ana", nil, ""},
		{"split number", T("split", "sep", ","), 12.0, []any{"12"}, ""},
		{"split nil", T("split", "sep", ","), nil, nil, ""},
		{"join", T("join", "sep", " "), []any{"Ana", "", nil, "Cruz"}, "Ana Cruz", ""},
		{"join numbers", T("join", "sep", "-"), []any{1.0, "x", true}, "1-x-true", ""},
		{"join all empty", T("join", "sep", " "), []any{"", nil}, nil, ""},
		{"join text passes", T("join", "sep", " "), "Ana", "Ana", ""},
		{"join object element", T("join"), []any{map[string]any{"a": 1}}, nil, "element 0: want text, got object"},
		{"join object", T("join"), map[string]any{"a": 1}, nil, "want list or text, got object"},
		{"substring", T("substring", "start", 0, "length", 3), "Zoë-Ann", "Zoë", ""},
		{"substring to end", T("substring", "start", 4), "Zoë-Ann", "Ann", ""},
		{"substring past end", T("substring", "start", 10, "length", 2), "short", "", ""},
		{"substring length past end", T("substring", "start", 2, "length", 20), "short", "ort", ""},
		{"substring zero length", T("substring", "start", 1, "length", 0), "short", "", ""},
		{"regex-replace", T("regex-replace", "pattern", `[^0-9+]`, "replacement", ""), "+1 (801) 724-6600", "+18017246600", ""},
		{"regex-replace groups", T("regex-replace", "pattern", `^(\w+), (\w+)$`, "replacement", "$2 $1"), "Caldwell, Jennifer", "Jennifer Caldwell", ""},
		{"regex-replace bool", T("regex-replace", "pattern", "t", "replacement", "T"), false, "false", ""},
		{"prefix", T("prefix", "value", "dept-"), "6", "dept-6", ""},
		{"prefix number", T("prefix", "value", "dept-"), 6.0, "dept-6", ""},
		{"prefix empty", T("prefix", "value", "dept-"), "", "", ""},
		{"suffix", T("suffix", "value", "@example.com"), "ana", "ana@example.com", ""},
		{"suffix nil", T("suffix", "value", "x"), nil, nil, ""},
	})
}

func TestDateTransform(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	plus2 := time.FixedZone("", 2*3600)
	runTransformCases(t, []transformCase{
		{"date to time", T("date", "from", "date"), "2023-11-28", utc(2023, 11, 28, 0, 0, 0), ""},
		{"date to date", T("date", "from", "date", "to", "date"), "2023-11-28", "2023-11-28", ""},
		{"bamboohr zero date", T("date", "from", "date", "to", "date"), "0000-00-00", nil, ""},
		{"bamboohr zero timestamp", T("date"), "0000-00-00T00:00:00+00:00", nil, ""},
		{"empty", T("date"), "", nil, ""},
		{"blank", T("date"), "  ", nil, ""},
		{"nil", T("date", "to", "date"), nil, nil, ""},
		{"default rfc3339", T("date"), "2024-04-12T19:33:50+00:00", utc(2024, 4, 12, 19, 33, 50), ""},
		{"default Z", T("date", "to", "rfc3339"), "2026-05-29T14:29:44Z", "2026-05-29T14:29:44Z", ""},
		{"default litmos no colon", T("date", "to", "rfc3339"), "2021-09-20T20:50:36.000+0000", "2021-09-20T20:50:36Z", ""},
		{"default no zone", T("date", "to", "rfc3339"), "2021-07-15T15:44:46.84", "2021-07-15T15:44:46.84Z", ""},
		{"default date only", T("date", "to", "date"), "2016-04-12", "2016-04-12", ""},
		{"default wcf", T("date", "to", "rfc3339"), "/Date(1497801750508)/", "2017-06-18T16:02:30.508Z", ""},
		{"wcf with zone", T("date", "from", "wcf", "to", "rfc3339"), "/Date(1497801750508+0200)/", "2017-06-18T18:02:30.508+02:00", ""},
		{"wcf negative zone", T("date", "from", "wcf", "to", "date"), "/Date(1497801750508-2000)/", "2017-06-17", ""},
		{"wcf escaped", T("date", "from", "wcf", "to", "unixms"), `\/Date(1497801750508)\/`, int64(1497801750508), ""},
		{"wcf out", T("date", "from", "date", "to", "wcf"), "2017-06-18", "/Date(1497744000000)/", ""},
		{"wcf bad", T("date", "from", "wcf"), "/Date(abc)/", nil, "cannot parse as a date"},
		{"wcf bad zone", T("date", "from", "wcf"), "/Date(1497801750508+99)/", nil, "cannot parse"},
		{"unix number", T("date", "from", "unix", "to", "rfc3339"), 1597989900.0, "2020-08-21T06:05:00Z", ""},
		{"unix text", T("date", "from", "unix", "to", "date"), "1597989900", "2020-08-21", ""},
		{"unix int out", T("date", "from", "date", "to", "unix"), "2020-08-21", int64(1597968000), ""},
		{"unixms", T("date", "from", "unixms", "to", "rfc3339"), 1497801750508.0, "2017-06-18T16:02:30.508Z", ""},
		{"number without unix", T("date", "from", "date"), 1597989900.0, nil, "only with from \"unix\""},
		{"talentlms", T("date", "from", "talentlms", "to", "rfc3339"), "21/08/2020, 07:05:00", "2020-08-21T07:05:00Z", ""},
		{"talentlms out", T("date", "from", "date", "to", "talentlms"), "2020-08-21", "21/08/2020, 00:00:00", ""},
		{"go layout", T("date", "from", "02/01/2006", "to", "date"), "17/05/1990", "1990-05-17", ""},
		{"layout list", T("date", "from", []any{"date", "talentlms"}, "to", "date"), "12/11/2015, 07:06:53", "2015-11-12", ""},
		{"keeps zone for civil date", T("date", "to", "date"), "2024-01-01T23:30:00-07:00", "2024-01-01", ""},
		{"time input", T("date", "to", "date"), time.Date(2024, 1, 2, 3, 4, 5, 0, plus2), "2024-01-02", ""},
		{"zero time is empty", T("date", "to", "date"), time.Time{}, nil, ""},
		{"unparsable", T("date", "from", "date"), "12/31/2024", nil, "cannot parse as a date with layouts date"},
		{"bad month", T("date", "from", "date"), "2024-13-01", nil, "cannot parse"},
		{"on_error empty", T("date", "from", "date", "on_error", "empty"), "soon", nil, ""},
		{"wrong type", T("date"), map[string]any{}, nil, "want date text, got object"},
		{"bool", T("date"), true, nil, "want date text, got bool"},
		{"list", T("date", "from", "date", "to", "date"), []any{"2024-01-02", nil}, []any{"2024-01-02", nil}, ""},
		{"list bad element", T("date", "from", "date"), []any{"x"}, nil, "element 0: cannot parse"},
	})
}

func TestValueTransforms(t *testing.T) {
	status := T("lookup", "table", map[string]any{"Active": true, "Inactive": false})
	runTransformCases(t, []transformCase{
		{"lookup", status, "Inactive", false, ""},
		{"lookup trims", status, " Active ", true, ""},
		{"lookup miss", status, "Terminated", nil, "value not in the lookup table and no default"},
		{"lookup case-sensitive", status, "active", nil, "not in the lookup table"},
		{"lookup ignore_case", T("lookup", "table", map[string]any{"Active": true}, "ignore_case", true), "ACTIVE", true, ""},
		{"lookup default", T("lookup", "table", map[string]any{"yes": "on"}, "default", "off"), "maybe", "off", ""},
		{"lookup null default", T("lookup", "table", map[string]any{"yes": "on"}, "default", nil), "maybe", nil, ""},
		{"lookup number key", T("lookup", "table", map[string]any{"1": "Full-Time"}), 1.0, "Full-Time", ""},
		{"lookup empty", status, "", nil, ""},
		{"lookup object", status, map[string]any{"a": "b"}, nil, "want text, got object"},
		{"lookup list", status, []any{"Active", "Inactive"}, []any{true, false}, ""},
		{"coalesce", T("coalesce"), []any{nil, " ", "", "b", "c"}, "b", ""},
		{"coalesce none", T("coalesce"), []any{nil, ""}, nil, ""},
		{"coalesce scalar", T("coalesce"), "a", "a", ""},
		{"coalesce empty scalar", T("coalesce"), " ", nil, ""},
		{"coalesce keeps false", T("coalesce"), []any{nil, false}, false, ""},
		{"constant", T("constant", "value", "Learner"), "ignored", "Learner", ""},
		{"constant on nil", T("constant", "value", false), nil, false, ""},
		{"to-bool yes", T("to-bool"), "Yes", true, ""},
		{"to-bool checkbox", T("to-bool"), "checkbox", true, ""},
		{"to-bool on", T("to-bool"), "ON", true, ""},
		{"to-bool checked", T("to-bool"), "checked", true, ""},
		{"to-bool 1", T("to-bool"), "1", true, ""},
		{"to-bool 0", T("to-bool"), "0", false, ""},
		{"to-bool off", T("to-bool"), "off", false, ""},
		{"to-bool no", T("to-bool"), " no ", false, ""},
		{"to-bool bool", T("to-bool"), false, false, ""},
		{"to-bool number", T("to-bool"), 1.0, true, ""},
		{"to-bool number 2", T("to-bool"), 2.0, nil, "only when 0 or 1"},
		{"to-bool empty", T("to-bool"), "", nil, ""},
		{"to-bool nil", T("to-bool"), nil, nil, ""},
		{"to-bool unknown", T("to-bool"), "sometimes", nil, "not a recognised yes/no value"},
		{"to-bool object", T("to-bool"), map[string]any{}, nil, "want bool or text, got object"},
		{"to-bool list", T("to-bool"), []any{"yes", "off"}, []any{true, false}, ""},
		{"to-string int", T("to-string"), 4138947.0, "4138947", ""},
		{"to-string fraction", T("to-string"), 0.5, "0.5", ""},
		{"to-string big", T("to-string"), 1e20, "100000000000000000000", ""},
		{"to-string go int", T("to-string"), 42, "42", ""},
		{"to-string bool", T("to-string"), true, "true", ""},
		{"to-string text", T("to-string"), "00123", "00123", ""},
		{"to-string time", T("to-string"), time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02T03:04:05Z", ""},
		{"to-string reference", T("to-string"), Reference{Collection: "users", Key: "9"}, "9", ""},
		{"to-string nil", T("to-string"), nil, nil, ""},
		{"to-string object", T("to-string"), map[string]any{}, nil, "want text, number, bool or time, got object"},
		{"email ok", T("email"), "ana.o'neil+hr@sub.example.co.uk", "ana.o'neil+hr@sub.example.co.uk", ""},
		{"email unicode domain", T("email"), "zoe@bücher.de", "zoe@bücher.de", ""},
		{"email empty", T("email"), "", "", ""},
		{"email nil", T("email"), nil, nil, ""},
		{"email no at", T("email"), "ana.example.com", nil, "no @"},
		{"email no local", T("email"), "@example.com", nil, "nothing before @"},
		{"email no domain", T("email"), "ana@", nil, "nothing after @"},
		{"email no dot", T("email"), "ana@localhost", nil, "domain has no dot"},
		{"email space", T("email"), "ana maria@example.com", nil, "forbidden character before @"},
		{"email double at", T("email"), "a@b@example.com", nil, "forbidden character before @"},
		{"email dots", T("email"), "ana..b@example.com", nil, "misplaced dot"},
		{"email bad domain", T("email"), "ana@-example.com", nil, "malformed domain"},
		{"email empty label", T("email"), "ana@example..com", nil, "malformed domain"},
		{"email domain char", T("email"), "ana@exa_mple.com", nil, "forbidden character in domain"},
		{"email tld", T("email"), "ana@example.c", nil, "top-level domain too short"},
		{"email number", T("email"), 12.0, nil, "no @"},
		{"email object", T("email"), map[string]any{}, nil, "want text, got object"},
		{"email too long", T("email"), strings.Repeat("a", 250) + "@x.com", nil, "longer than 254"},
		{"ignore-if-empty empty", T("ignore-if-empty"), " ", Omit{}, ""},
		{"ignore-if-empty nil", T("ignore-if-empty"), nil, Omit{}, ""},
		{"ignore-if-empty value", T("ignore-if-empty"), "x", "x", ""},
		{"ignore-if-empty false", T("ignore-if-empty"), false, false, ""},
		{"reference", T("reference", "collection", "users"), " 9 ", Reference{Collection: "users", Key: "9"}, ""},
		{"reference number", T("reference", "collection", "users"), 9.0, Reference{Collection: "users", Key: "9"}, ""},
		{"reference empty", T("reference", "collection", "users"), "", nil, ""},
		{"reference list", T("reference", "collection", "teams"), []any{"1", "2"}, []any{Reference{"teams", "1"}, Reference{"teams", "2"}}, ""},
		{"reference object", T("reference", "collection", "users"), map[string]any{"id": "9"}, nil, "want an id as text or number, got object"},
		{"reference re-collection", T("reference", "collection", "teams"), Reference{"users", "3"}, Reference{"teams", "3"}, ""},
	})
}

// Bad arguments fail when the map is built, not when it runs.
func TestTransformArgErrors(t *testing.T) {
	cases := []struct {
		step Step
		want string
	}{
		{T("lowr"), `unknown transform "lowr" (did you mean "lower"?)`},
		{T("frobnicate"), `unknown transform "frobnicate"`},
		{T("lower", "x", 1), "lower takes no arguments"},
		{T("title", "separators", 3), `argument "separators": want string, got number`},
		{T("split"), `argument "sep" is required`},
		{T("split", "sep", ""), `argument "sep" is required`},
		{T("split", "sep", ",", "idx", 1), `unknown argument "idx"`},
		{T("split", "sep", ",", "index", "one"), `argument "index": want int, got string`},
		{T("substring"), `argument "start" is required`},
		{T("substring", "start", -1), `must be >= 0`},
		{T("substring", "start", 0, "length", -2), `argument "length" must be >= 0`},
		{T("substring", "start", 1.5), `argument "start": want int, got number 1.5`},
		{T("regex-replace"), `argument "pattern" is required`},
		{T("regex-replace", "pattern", "(["), "argument \"pattern\": error parsing regexp"},
		{T("prefix"), `argument "value" is required`},
		{T("suffix", "value", 3), `argument "value": want string`},
		{T("date", "from", "yesterday"), `layout "yesterday" has no date or time elements`},
		{T("date", "to", "nope"), `layout "nope" has no date or time elements`},
		{T("date", "from", ""), `argument "from": empty layout`},
		{T("date", "from", []any{}), `argument "from": want a layout or a non-empty list`},
		{T("date", "from", 3), `argument "from": want a layout or a non-empty list`},
		{T("date", "on_error", "ignore"), `argument "on_error": want "fail" or "empty", got "ignore"`},
		{T("lookup"), `argument "table" is required`},
		{T("lookup", "table", "x"), `argument "table": want map[string]interface {}, got string`},
		{T("lookup", "table", map[string]any{"A": 1, "a": 2}, "ignore_case", true), `collide when case is ignored`},
		{T("constant"), `constant takes exactly one argument, "value"`},
		{T("constant", "value", 1, "other", 2), `constant takes exactly one argument`},
		{T("reference"), `argument "collection" is required`},
		{T("reference", "collection", "users", "key", "id"), `unknown argument "key"`},
	}
	reg := DefaultRegistry()
	for _, tc := range cases {
		t.Run(tc.step.Name, func(t *testing.T) {
			st := tc.step
			if err := normalizeArgs(&st); err != nil {
				t.Fatal(err)
			}
			_, err := reg.build(st)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
		})
	}
}

// An unchanged string keeps its interface value: no allocation.
func TestUnchangedStringDoesNotAllocate(t *testing.T) {
	reg := DefaultRegistry()
	var v any = "ana@example.com"
	for _, name := range []string{"trim", "lower", "email", "normalize-diacritics"} {
		tr, err := reg.build(T(name))
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := tr.Apply(v); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.0f allocations for an unchanged string", name, allocs)
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

// split reads numbers as text like the other text transforms.
func TestSplitReadsNumbersAsText(t *testing.T) {
	runTransformCases(t, []transformCase{
		{"split number pick", T("split", "sep", ".", "index", 0), 4340.5, "4340", ""},
		{"split bool", T("split", "sep", "r"), true, []any{"t", "ue"}, ""},
		{"split object", T("split", "sep", ","), map[string]any{}, nil, "want text, got object"},
	})
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

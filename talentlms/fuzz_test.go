package talentlms

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseDate: Parse never panics; what it reads is a real instant that
// FormatDateTime writes back to text Parse reads to the same instant, in
// every portal format; a value with no time part reads at midnight.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"21/08/2020, 07:05:00", "5/2/2024, 9:15:00", "08/21/2020, 07:05:00 PM", "2020/08/21", "2023-11-28",
		"23/08/2020, 06:30", "29/02/2024", "31/04/2024", "12:00 AM", "", "Never", "1/1/0001", "99/99/9999, 99:99:99",
	} {
		for _, df := range []DateFormat{DDMMYYYY, MMDDYYYY, YYYYMMDD} {
			f.Add(string(df), s)
		}
	}
	f.Fuzz(func(t *testing.T, format, s string) {
		df := DateFormat(format)
		got, err := df.Parse(s)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("error with a time: %v", got)
			}
			return
		}
		if !df.valid() || got.Location() != time.UTC || got.Year() < 1 || got.Year() > 9999 {
			t.Fatalf("Parse(%q, %q) = %v", format, s, got)
		}
		back, err := df.Parse(df.FormatDateTime(got))
		if err != nil || !back.Equal(got) {
			t.Fatalf("round trip of %v via %q: %v, %v", got, df.FormatDateTime(got), back, err)
		}
		if !strings.Contains(s, ":") && (got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0) {
			t.Fatalf("date-only %q read with a time: %v", s, got)
		}
	})
}

// FuzzDecode: the lenient decoder never panics on any reply, and what it
// decodes without error keeps every field it did not name.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	for _, s := range []string{`{}`, `[]`, `null`, `{"id":1e400}`, `{"id":{"a":1}}`, `[{"id":1.5}]`, `{"last_updated_timestamp":"12x"}`,
		`{"custom_field_1":[1]}`, `{"courses":{"1":{"id":"1"}}}`, `"x"`, `{"9":{"id":"9"},"x":{"id":"x"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		users, err := decodeArray(b, DDMMYYYY, decodeUser)
		if err == nil {
			for _, u := range users {
				for k, v := range u.Extra {
					if strings.HasPrefix(k, "custom_field_") || !json.Valid(v) {
						t.Fatalf("Extra %s = %s", k, v)
					}
				}
			}
		}
		if u, err := readUser(b, MMDDYYYY); err == nil {
			for k := range u.Custom {
				if !strings.HasPrefix(k, "custom_field_") {
					t.Fatalf("Custom key %q", k)
				}
			}
		}
		if o, err := decodeObject(b, YYYYMMDD); err == nil {
			_ = decodeCourse(o)
			_ = decodeCourseStatus(o)
		}
		_, _ = decodeArray(b, "", decodeCustomField)
	})
}

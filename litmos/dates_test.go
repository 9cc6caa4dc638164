package litmos

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeUnmarshal(t *testing.T) {
	pdt := time.FixedZone("", -7*3600)
	tests := []struct {
		in       string
		want     time.Time
		form     DateForm
		wantText string // re-encoded
	}{
		{`"/Date(1497801750508)/"`, time.UnixMilli(1497801750508), DateWCF, `"/Date(1497801750508)/"`},
		{`"\/Date(1497801750508)\/"`, time.UnixMilli(1497801750508), DateWCF, `"/Date(1497801750508)/"`},
		{`"/Date(1497801750508+0000)/"`, time.UnixMilli(1497801750508), DateWCF, `"/Date(1497801750508)/"`},
		{`"/Date(1497801750508-0700)/"`, time.UnixMilli(1497801750508).In(pdt), DateWCF, `"/Date(1497801750508)/"`},
		{`"/Date(-1000)/"`, time.UnixMilli(-1000), DateWCF, `"/Date(-1000)/"`},
		{`"2016-12-09T07:54:27Z"`, time.Date(2016, 12, 9, 7, 54, 27, 0, time.UTC), DateISO, `"2016-12-09T07:54:27Z"`},
		{`"2021-09-20T20:50:36.000+0000"`, time.Date(2021, 9, 20, 20, 50, 36, 0, time.UTC), DateISO, `"2021-09-20T20:50:36Z"`},
		{`"2021-09-20T13:50:36-07:00"`, time.Date(2021, 9, 20, 13, 50, 36, 0, pdt), DateISO, `"2021-09-20T13:50:36-07:00"`},
		{`"2021-07-15T15:44:46.84"`, time.Date(2021, 7, 15, 15, 44, 46, 840e6, time.UTC), DateISOLocal, `"2021-07-15T15:44:46.84"`},
		{`"2021-07-15"`, time.Date(2021, 7, 15, 0, 0, 0, 0, time.UTC), DateISOLocal, `"2021-07-15T00:00:00"`},
		{`""`, time.Time{}, DateEmpty, `""`},
		{`null`, time.Time{}, DateNull, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got Time
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !got.Time.Equal(tt.want) || got.Form != tt.form {
				t.Errorf("got %v form %d, want %v form %d", got.Time, got.Form, tt.want, tt.form)
			}
			if _, off := got.Zone(); off != func() int { _, o := tt.want.Zone(); return o }() {
				t.Errorf("zone offset %d, want the one sent", off)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(b) != tt.wantText {
				t.Errorf("re-encoded %s, want %s", b, tt.wantText)
			}
		})
	}
}

func TestTimeUnmarshalRejects(t *testing.T) {
	for _, in := range []string{`"/Date(abc)/"`, `"/Date(123"`, `"/Date(123+07)/"`, `"yesterday"`, `12`, `"2021-13-45"`} {
		var got Time
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", in, got)
		}
	}
}

func TestTimeSetByCallerIsWrittenWCF(t *testing.T) {
	// Dates sent in JSON need /Date(ms)/ (recorded:
	// https://github.com/charliequinn/python-litmos-api).
	got, err := json.Marshal(NewTime(time.Date(2017, 6, 5, 15, 0, 17, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	if want := `"/Date(1496674817000)/"`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, _ := json.Marshal(Time{}); string(got) != "null" {
		t.Errorf("zero Time: got %s, want null", got)
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"/Date(1497801750508-0700)/", "2021-09-20T20:50:36.000+0000", "", "/Date(-5)/", "2021-07-15",
		"2016-12-09T07:54:27Z", "2016-02-30T07:54:27Z", "2016-12-09T24:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The decoder's fast path agrees with ParseTime wherever it answers.
		if fast, ok := parseISOFast([]byte(s)); ok {
			slow, err := ParseTime(s)
			if err != nil || !slow.Time.Equal(fast.Time) || slow.Form != fast.Form || slow.Location() != fast.Location() {
				t.Fatalf("parseISOFast(%q) = %v (form %d), ParseTime = %v (form %d), %v", s, fast, fast.Form, slow, slow.Form, err)
			}
		}
		v, err := ParseTime(s)
		if err != nil {
			return
		}
		// What was read must re-read to the same instant.
		again, err := ParseTime(v.String())
		if err != nil {
			t.Fatalf("ParseTime(%q) = %q, which does not re-parse: %v", s, v.String(), err)
		}
		if !again.Time.Equal(v.Time) && !(v.IsZero() && again.IsZero()) {
			t.Fatalf("ParseTime(%q) = %v; re-read %v", s, v.Time, again.Time)
		}
	})
}

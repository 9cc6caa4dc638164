package bamboohr

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestValueUnmarshal(t *testing.T) {
	tests := []struct {
		in        string
		want      string
		null      bool
		empty     bool
		expectErr bool
	}{
		{in: `"4"`, want: "4"},
		{in: `4`, want: "4"},
		{in: `-38`, want: "-38"},
		{in: `4340.4`, want: "4340.4"},
		{in: `true`, want: "true"},
		{in: `false`, want: "false"},
		{in: `null`, null: true, empty: true},
		{in: `""`, empty: true},
		{in: `"0000-00-00"`, want: "0000-00-00", empty: true},
		{in: `"65000.00 USD"`, want: "65000.00 USD"},
		{in: `{"value":"x"}`, expectErr: true},
		{in: `[1]`, expectErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var v Value
			err := json.Unmarshal([]byte(tt.in), &v)
			if (err != nil) != tt.expectErr {
				t.Fatalf("err = %v, want error %v", err, tt.expectErr)
			}
			if err != nil {
				return
			}
			if v.String() != tt.want || v.IsNull() != tt.null || v.IsEmpty() != tt.empty {
				t.Errorf("got %q null=%v empty=%v, want %q null=%v empty=%v",
					v.String(), v.IsNull(), v.IsEmpty(), tt.want, tt.null, tt.empty)
			}
		})
	}
}

func TestValueRoundTrip(t *testing.T) {
	in := map[string]Value{"a": String("1"), "b": Value{}, "c": String("")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"a":"1","b":null,"c":""}` {
		t.Fatalf("marshal = %s", b)
	}
	var out map[string]Value
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out, cmp.AllowUnexported(Value{})); diff != "" {
		t.Error(diff)
	}
}

func TestValueInt(t *testing.T) {
	if n, err := String("121").Int(); err != nil || n != 121 {
		t.Errorf("Int = %d, %v", n, err)
	}
	for _, s := range []string{"", "x", "1.5"} {
		if _, err := String(s).Int(); err == nil {
			t.Errorf("Int(%q) gave no error", s)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-03-01", want: Date{2026, time.March, 1}},
		{in: "", want: Date{}},
		{in: "0000-00-00", want: Date{}},
		{in: "2026-02-30", wantErr: true},
		{in: "03/01/2026", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if s := (Date{2026, time.March, 1}).String(); s != "2026-03-01" {
		t.Errorf("String = %q", s)
	}
	var d Date
	if err := json.Unmarshal([]byte(`"0000-00-00"`), &d); err != nil || !d.IsZero() {
		t.Errorf("unmarshal zero date = %v, %v", d, err)
	}
	b, _ := json.Marshal(struct{ D, E Date }{D: Date{2026, 1, 2}})
	if string(b) != `{"D":"2026-01-02","E":null}` {
		t.Errorf("marshal = %s", b)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 5, 29, 14, 29, 44, 0, time.UTC)
	for _, s := range []string{
		"2026-05-29T14:29:44Z", "2026-05-29T14:29:44+00:00", "2026-05-29T14:29:44+0000",
		"2026-05-29 14:29:44", "2026-05-29T16:29:44+02:00",
	} {
		got, err := ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "0000-00-00T00:00:00+00:00"} {
		if got, err := ParseTime(s); err != nil || !got.IsZero() {
			t.Errorf("ParseTime(%q) = %v, %v; want zero", s, got, err)
		}
	}
	if _, err := ParseTime("last tuesday"); err == nil {
		t.Error("ParseTime(garbage) gave no error")
	}
}

func TestParseCheckbox(t *testing.T) {
	tests := []struct {
		in          string
		checked, ok bool
	}{
		{"1", true, true}, {"true", true, true}, {"Yes", true, true}, {"checkbox", true, true}, {"ON", true, true},
		{"0", false, true}, {"false", false, true}, {"no", false, true}, {"", false, true}, {"off", false, true},
		{"maybe", false, false},
	}
	for _, tt := range tests {
		checked, ok := ParseCheckbox(tt.in)
		if checked != tt.checked || ok != tt.ok {
			t.Errorf("ParseCheckbox(%q) = %v, %v; want %v, %v", tt.in, checked, ok, tt.checked, tt.ok)
		}
	}
	if (Value{}).Checked() || !String("yes").Checked() {
		t.Error("Value.Checked wrong")
	}
}

func TestValueUnmarshalDirect(t *testing.T) {
	var v Value
	for _, in := range []string{`"`, `"abc`} {
		if err := v.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("UnmarshalJSON(%s) accepted a broken string", in)
		}
	}
	if err := v.UnmarshalJSON([]byte(`"\u00e9"`)); err != nil || v.String() != "é" {
		t.Errorf("unicode escape = %q, %v", v.String(), err)
	}
	if err := v.UnmarshalJSON([]byte(`"a\"b"`)); err != nil || v.String() != `a"b` {
		t.Errorf("escaped = %q, %v", v.String(), err)
	}
}

func TestDateTimeHelpers(t *testing.T) {
	a, b := Date{2026, time.January, 31}, Date{2026, time.February, 1}
	if !a.Before(b) || b.Before(a) || a.Before(a) {
		t.Error("Before wrong")
	}
	if got := b.In(time.UTC); !got.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("In = %v", got)
	}
	e := Employee{ID: 4, Fields: map[string]Value{"id": String("4"), "x": {}}}
	out, err := json.Marshal(e)
	if err != nil || string(out) != `{"id":"4","x":null}` {
		t.Errorf("Employee JSON = %s, %v", out, err)
	}
	if EventBased.String() != "event-based" || FieldBased.String() != "field-based" || WebhookFamily(9).String() != "WebhookFamily(9)" {
		t.Error("WebhookFamily.String")
	}
}

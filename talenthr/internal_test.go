package talenthr

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDefaultRateLimit: the client paces itself to TalentHR's documented
// 2,000 requests a minute unless told otherwise; Requests 0 turns it off.
func TestDefaultRateLimit(t *testing.T) {
	cfg, _, err := config("k", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Limit{Requests: 2000, Per: time.Minute, Burst: 1}); cfg.Limit != want {
		t.Errorf("default limit %+v, want %+v", cfg.Limit, want)
	}
	cfg, _, err = config("k", []Option{WithRateLimit(Limit{})})
	if err != nil || cfg.Limit.Requests != 0 {
		t.Errorf("WithRateLimit(Limit{}) = %+v, %v; want pacing off", cfg.Limit, err)
	}
	if cfg.BaseURL != DefaultBaseURL || DefaultBaseURL != "https://pubapi.talenthr.io/v1" {
		t.Errorf("base URL %q", cfg.BaseURL)
	}
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name, body, code, msg string
	}{
		{"error as text", `{"success":false,"error":"Unauthenticated."}`, "", "Unauthenticated."},
		{"error as object", `{"success":false,"error":{"message":"The given data was invalid.","errors":{"first_name":["The first name field is required."],"email":["The email has already been taken."]}}}`,
			"", "The given data was invalid. (email: The email has already been taken.; first_name: The first name field is required.)"},
		{"error object with code", `{"error":{"code":"E_LIMIT","message":"Plan limit"}}`, "E_LIMIT", "Plan limit"},
		{"error object only field errors", `{"error":{"errors":{"hire_date":"bad"}}}`, "", "hire_date: bad"},
		{"Laravel", `{"message":"The given data was invalid.","errors":{"email":["taken","invalid"]}}`, "", "The given data was invalid. (email: taken invalid)"},
		{"error list", `{"error":["one","two"]}`, "", "one two"},
		{"numeric code", `{"code":404,"error":"Not found."}`, "404", "Not found."},
		{"JSON string", `"Server Error"`, "", "Server Error"},
		{"plain text first line", "Bad Gateway\nnginx", "", "Bad Gateway"},
		{"HTML page", "<!DOCTYPE html><html><body>Oops</body></html>", "", ""},
		{"empty", "  ", "", ""},
		{"line breaks in a message", `{"error":"a\nb\rc"}`, "", "a b c"},
		{"many field errors", `{"errors":{"a":["1"],"b":["2"],"c":["3"],"d":["4"],"e":["5"],"f":["6"],"g":["7"]}}`, "", "a: 1; b: 2; c: 3; d: 4; e: 5; and 2 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := decodeError(nil, []byte(tt.body))
			if diff := cmp.Diff([2]string{tt.code, tt.msg}, [2]string{code, msg}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"success":false,"error":"x"}`, `{"error":{"message":"m","errors":{"e":["a"]}}}`,
		`{"message":"m","errors":{"f":"g"}}`, `"text"`, "plain\ntext", "<html>", `{"error":{"error":{"error":"deep"}}}`, `[1,2]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		code, msg := decodeError(nil, body)
		for _, s := range []string{code, msg} {
			for _, r := range s {
				if r < 0x20 || r == 0x7f {
					t.Fatalf("decodeError(%q) = %q, %q: holds control character %q", body, code, msg, r)
				}
			}
		}
		if c2, m2 := decodeError(nil, body); c2 != code || m2 != msg {
			t.Fatalf("decodeError is not deterministic on %q", body)
		}
	})
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2023-11-28", Date{2023, 11, 28}, false},
		{" 2023-11-28 ", Date{2023, 11, 28}, false},
		{"2023-11-28T00:00:00.000000Z", Date{2023, 11, 28}, false},
		{"2023-11-28T23:30:00-05:00", Date{2023, 11, 28}, false}, // the date as written, not UTC's
		{"2023-11-28 09:00:00", Date{2023, 11, 28}, false},
		{"2023-11-28 09:00", Date{2023, 11, 28}, false},
		{"", Date{}, false},
		{"0000-00-00", Date{}, false},
		{"2023-02-30", Date{}, true},
		{"28/11/2023", Date{}, true},
		{"2023-11", Date{}, true},
		{"0000-01-01", Date{}, true}, // found by FuzzDecodeDirectoryRow: year 0 cannot be written back
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDateJSON(t *testing.T) {
	for _, tt := range []struct {
		d    Date
		want string
	}{{Date{2026, 3, 1}, `"2026-03-01"`}, {Date{}, "null"}} {
		b, err := tt.d.MarshalJSON()
		if err != nil || string(b) != tt.want {
			t.Errorf("%v.MarshalJSON() = %s, %v; want %s", tt.d, b, err, tt.want)
		}
	}
	if _, err := (Date{2026, 2, 30}).MarshalJSON(); err == nil {
		t.Error("February 30 encoded")
	}
	var d Date
	if err := d.UnmarshalJSON([]byte("19")); err == nil {
		t.Error("a number read as a date")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-11-28", "2023-11-28T00:00:00Z", "0000-00-00", "", "2023-11-28 09:00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil || d.IsZero() {
			return
		}
		// What was read must print as YYYY-MM-DD and re-read to itself.
		again, err := ParseDate(d.String())
		if err != nil || again != d || len(d.String()) != 10 {
			t.Fatalf("ParseDate(%q) = %v, printed %q, re-read %v, %v", s, d, d.String(), again, err)
		}
	})
}

func FuzzDecodeDirectoryRow(f *testing.F) {
	for _, s := range []string{
		`{"id":19,"first_name":"John","hire_date":"2023-11-28","termination_date":null,"user_role":{"id":3}}`,
		`{"id":"20","division_id":null,"tshirt-size":"M","time_off_requests":[{}]}`,
		`{"id":{"x":1},"hire_date":12,"user_role":"admin"}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r DirectoryRow
		if json.Unmarshal(b, &r) != nil {
			return
		}
		// A row that was read writes out and reads back to the same fingerprint.
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("row read from %q does not encode: %v", b, err)
		}
		var again DirectoryRow
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-read of %s: %v", out, err)
		}
		if again.Fingerprint() != r.Fingerprint() {
			t.Fatalf("fingerprint changed over a round trip of %q: %s", b, out)
		}
	})
}

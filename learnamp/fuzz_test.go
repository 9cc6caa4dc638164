package learnamp

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// FuzzParseDate: any text parses or fails cleanly, and a parsed date
// prints back to itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-01-15", "", "2021-01-15T10:00:00Z", "2021-01-15T23:30:00-05:00", "2021-02-30", "15/01/2021", "0000-00-00", "9999-12-31T23:59:59.999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) failed with a non-zero date %v", s, d)
			}
			return
		}
		if d.IsZero() {
			return
		}
		again, err := ParseDate(d.String())
		if err != nil || again != d {
			t.Errorf("ParseDate(%q) = %v, which reads back as %v, %v", s, d, again, err)
		}
		if b, err := d.MarshalJSON(); err == nil {
			var back Date
			if err := json.Unmarshal(b, &back); err != nil || back != d {
				t.Errorf("JSON round trip of %v: %s → %v, %v", d, b, back, err)
			}
		}
	})
}

// FuzzDecodeError: any error body gives a code and message without
// panicking; fullErrors holds only what the body had.
func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"error":"email is missing, email is empty","fullErrors":{"email":["is missing","is empty"]}}`,
		`{"error":"Not found"}`, `{"error":"invalid_client","error_description":"nope"}`,
		`{"error":{"nested":1}}`, `{"fullErrors":{"a":"one","b":[1,2]}}`, "Retry later\n", "<html></html>", "", "null", `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		code, msg := decodeError(&http.Response{StatusCode: 400, Header: http.Header{}}, body)
		// Every text comes from the body (JSON unescaping may widen a bad byte to U+FFFD).
		if len(code)+len(msg) > 3*len(body) {
			t.Errorf("code %q and message %q are longer than the body %q", code, msg, body)
		}
		if code != "" && !json.Valid(body) {
			t.Errorf("code %q from a body that is not JSON: %q", code, body)
		}
		for field, msgs := range decodeFullErrors(body) {
			if msgs == nil {
				t.Errorf("field %q has a nil message list", field)
			}
		}
	})
}

// FuzzDecodeUser: any JSON decodes into a User (or fails) without panicking,
// and a decoded id is either empty or a Learn Amp id.
func FuzzDecodeUser(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"firstName":"A","hireDate":"2021-01-15","status":{"status":"Confirmed","time":"On 29 Nov 16"},"manager":{},"primaryTeam":{"id":"15","parentTeamId":null},"custom":[1]}`,
		`{"id":"17","status":"confirmed","hireDate":null}`, `{"id":1.5}`, `{"id":-3}`, `[]`, `{"manager":{"id":2,"manager":{"id":3}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var u User
		if json.Unmarshal(b, &u) != nil {
			return
		}
		for k := range u.Extra {
			if userKeys[k] {
				t.Errorf("known key %q kept in Extra", k)
			}
		}
		var team Team
		_ = json.Unmarshal(b, &team)
		var m Membership
		_ = json.Unmarshal(b, &m)
	})
}

// FuzzPageHeaders: any header values give sane totals, and HasNext never
// promises a page past Total-Pages.
func FuzzPageHeaders(f *testing.F) {
	f.Add("1032", "10", "103", 3, 10, 100)
	f.Add("", "", "", 1, 3, 100)
	f.Add("x", "-1", " 7 ", 7, 0, 100)
	f.Fuzz(func(t *testing.T, total, per, pages string, page, items, asked int) {
		if asked <= 0 || asked > 1000 || items < 0 || items > 1000 || page < 1 {
			return
		}
		h := http.Header{"Total": {total}, "Per-Page": {per}, "Total-Pages": {pages}}
		p := &Page[int]{Items: make([]int, items), Page: page}
		p.PerPage, p.Total, p.TotalPages = pageHeaders(h, asked)
		if p.PerPage <= 0 || p.Total < -1 || p.TotalPages < -1 {
			t.Fatalf("headers %q %q %q gave %+v", total, per, pages, p)
		}
		if p.HasNext() && p.TotalPages >= 0 && page >= p.TotalPages {
			t.Errorf("HasNext past Total-Pages: %+v", p)
		}
		if p.HasNext() && p.TotalPages < 0 && items < p.PerPage {
			t.Errorf("HasNext on a short page without totals: %+v", p)
		}
	})
}

// FuzzParseStatus: any text maps to a known status or to "".
func FuzzParseStatus(f *testing.F) {
	for _, s := range []string{"Confirmed", "Invite pending", "Not yet invited", "External Contributor", "invite_scheduled"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch st := ParseStatus(s); st {
		case "", StatusNotInvited, StatusInviteScheduled, StatusInvitePending, StatusConfirmed, StatusDeactivated:
		default:
			t.Errorf("ParseStatus(%q) = %q", s, st)
		}
	})
}

// TestPageWithoutHeaders: without Total-Pages a full page has a next one.
func TestPageWithoutHeaders(t *testing.T) {
	per, total, pages := pageHeaders(http.Header{}, 3)
	full := &Page[int]{Items: []int{1, 2, 3}, Page: 1, PerPage: per, Total: total, TotalPages: pages}
	short := &Page[int]{Items: []int{1}, Page: 2, PerPage: per, Total: total, TotalPages: pages}
	if !full.HasNext() || short.HasNext() || total != -1 || pages != -1 {
		t.Errorf("full %+v short %+v", full, short)
	}
}

// TestIDWire: ids read from numbers and strings, write as numbers.
func TestIDWire(t *testing.T) {
	for in, want := range map[string]string{`15`: "15", `"15"`: "15", `null`: "", `" 7 "`: "7"} {
		var i id
		if err := json.Unmarshal([]byte(in), &i); err != nil || string(i) != want {
			t.Errorf("%s → %q, %v", in, i, err)
		}
	}
	for _, bad := range []string{`1.5`, `-1`, `0`, `true`, `{}`} {
		var i id
		if err := json.Unmarshal([]byte(bad), &i); err == nil {
			t.Errorf("%s accepted as id %q", bad, i)
		}
	}
	if b, err := json.Marshal(id("42")); err != nil || string(b) != "42" {
		t.Errorf("marshal: %s %v", b, err)
	}
	if _, err := json.Marshal(id("4x")); err == nil {
		t.Error("bad id marshalled")
	}
	if !validID("9223372036854775807") || validID("9223372036854775808") {
		t.Error("int64 bound")
	}
}

// TestDateOfKeepsTheZone: the date is the day in t's own location.
func TestDateOfKeepsTheZone(t *testing.T) {
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("X", -5*3600))
	if d := DateOf(at); d.String() != "2026-03-01" {
		t.Errorf("DateOf %v", d)
	}
	if d, _ := ParseDate("2026-03-01T23:30:00-05:00"); d.String() != "2026-03-01" {
		t.Errorf("ParseDate %v", d)
	}
}

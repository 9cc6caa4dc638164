package litmos

import (
	"encoding/json"
	"html"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestDecodePageMatchesStdlib: on a realistic page the one-pass decoder
// gives what plain encoding/json gives (names with entities aside, which
// it decodes), and makes Extra only for the users with an unknown key.
func TestDecodePageMatchesStdlib(t *testing.T) {
	page := userDetailsPage(1000)
	got, err := decodeList[User](page)
	if err != nil {
		t.Fatal(err)
	}
	var plain []plainUser
	if err := json.Unmarshal(page, &plain); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(plain) {
		t.Fatalf("%d users, stdlib %d", len(got), len(plain))
	}
	for i := range plain {
		want := User(plain[i])
		want.LastName, want.FullName = html.UnescapeString(want.LastName), html.UnescapeString(want.FullName)
		if i%10 == 0 {
			want.Extra = Extra{"LearnerSince": json.RawMessage(`"2016"`)}
		}
		if d := cmp.Diff(want, got[i]); d != "" {
			t.Fatalf("user %d (-stdlib +got):\n%s", i, d)
		}
		if i%10 != 0 && got[i].Extra != nil {
			t.Fatalf("user %d has no unknown key but an Extra %v", i, got[i].Extra)
		}
		if got[i].Snapshot.IsZero() {
			t.Fatalf("user %d has no Snapshot", i)
		}
	}
}

// TestDecodeKeys: which key sets a field when Litmos spells it several
// ways, and what goes to Extra.
func TestDecodeKeys(t *testing.T) {
	tests := []struct {
		in        string
		name      string // UserName
		first     string // FirstName
		city      string
		extraKeys []string
	}{
		{in: `{"Username":"a"}`, name: "a"},
		{in: `{"UserName":"a","Username":"b"}`, name: "a", extraKeys: []string{"Username"}},
		{in: `{"Username":"b","UserName":"a"}`, name: "a", extraKeys: []string{"Username"}},
		{in: `{"username":"c"}`, name: "c"},
		{in: `{"USERNAME":"c","UserName":"a"}`, name: "a", extraKeys: []string{"USERNAME"}},
		{in: `{"City":"x","City":"y"}`, city: "y"},
		{in: `{"Cit\u0079":"x"}`, city: "x"},
		{in: `{"cITY":"x","Department":"Ops"}`, city: "x", extraKeys: []string{"Department"}},
		{in: `{"FirstName":"Se\u00e1n &amp; co"}`, first: "Seán & co"},
		{in: `{"FirstName":"\ud83d\ude00\/"}`, first: "😀/"},
		{in: "{\"FirstName\":\"a\xffb\"}", first: "a\ufffdb"},
		{in: ` { "City" : "x" } `, city: "x"},
		{in: `null`},
		{in: `{}`},
	}
	for _, tt := range tests {
		var u User
		if err := decodeObject([]byte(tt.in), &u); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		var keys []string
		for k := range u.Extra {
			keys = append(keys, k)
		}
		if u.UserName != tt.name || u.FirstName != tt.first || u.City != tt.city ||
			!cmp.Equal(tt.extraKeys, keys, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()) {
			t.Errorf("%s: UserName %q FirstName %q City %q Extra %v", tt.in, u.UserName, u.FirstName, u.City, keys)
		}
	}
}

// TestDecodeRejectsInvalidJSON: every input encoding/json calls invalid is
// refused, whatever part of it the decoder would skip.
func TestDecodeRejectsInvalidJSON(t *testing.T) {
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	for _, in := range []string{
		``, `{`, `nul`, `{"a":}`, `{"a":1,}`, `{"a" 1}`, `{"City":"x"} x`, `{"City":"x"}{}`,
		"{\"City\":\"\x01\"}", `{"City":"\q"}`, `{"City":"\u12"}`, `{"City":"abc`, `{"Points":01}`,
		`{"Points":1.}`, `{"Points":-}`, `{"Points":1e}`, `{"Active":tru}`, `{"X":[1,2}`, `{"X":{"a"}}`,
		`{"X":[1 2]}`, `{"X":` + deep + `}`, `{"City":`, `{"UsernAme":`, `{"City":}`, `{"Active":`, `{"LastLogin":`, `{1:2}`, `[{}]`, `"x"`,
	} {
		if json.Valid([]byte(in)) && in != `[{}]` && in != `"x"` {
			t.Fatalf("test input %q is valid JSON", in)
		}
		var u User
		if err := decodeObject([]byte(in), &u); err == nil {
			t.Errorf("decodeObject(%.40q) succeeded, want an error", in)
		}
		if _, err := decodeList[User]([]byte("[" + in + "]")); err == nil && in != "" {
			t.Errorf("decodeList of [%.40q] succeeded, want an error", in)
		}
	}
}

// TestDecodeNumbers: integers are exact to int64, also when written as
// strings or with an exponent; what is not an integer is refused.
func TestDecodeNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{`9007199254740993`, 9007199254740993, true},
		{`"5091912"`, 5091912, true},
		{`"5e3"`, 5000, true},
		{`-0`, 0, true},
		{`" 7 "`, 7, true},
		{`""`, 0, true},
		{`1.5`, 0, false},
		{`1e400`, 0, false},
		{`"12a"`, 0, false},
		{`true`, 0, false},
	}
	for _, tt := range tests {
		var u User
		err := decodeObject([]byte(`{"OriginalId":`+tt.in+`}`), &u)
		if (err == nil) != tt.ok || u.OriginalID != tt.want {
			t.Errorf("OriginalId %s: %d, %v", tt.in, u.OriginalID, err)
		}
	}
}

// FuzzDecodeMatchesStdlib: the decoder accepts only valid JSON, and where
// plain encoding/json decodes an object strictly, each field named by
// exactly one key of its exact name gets the same value.
func FuzzDecodeMatchesStdlib(f *testing.F) {
	for _, name := range []string{"user_get.json", "user_sap.json", "user_nulls.json"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(userDetailsPage(2)[1 : len(userDetailsPage(2))-1])
	for _, s := range []string{`{"City":"a","city":"b"}`, `{"OriginalId":1e2}`, `{"X":[{"y":[null]}]}`, `{"LastLogin":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got User
		err := decodeObject(data, &got)
		if err == nil && !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		var plain plainUser
		if json.Unmarshal(data, &plain) != nil || !strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
			return
		}
		if err != nil {
			t.Fatalf("encoding/json decodes %q, the decoder says %v", data, err)
		}
		counts := keyCounts(t, data)
		want := User(plain)
		for i, fi := range infoOf(userType).fields {
			if counts[fi.name] != 1 || counts[strings.ToLower(fi.name)+"~"] != 1 {
				continue // several keys name it: the rules differ on purpose
			}
			g, w := fieldOf(&got, i), fieldOf(&want, i)
			if s, ok := w.(string); ok && fi.html {
				w = html.UnescapeString(s)
			}
			if !cmp.Equal(g, w) {
				t.Fatalf("field %s of %q: %#v, encoding/json %#v", fi.name, data, g, w)
			}
		}
	})
}

// keyCounts counts the top-level keys of an object, by exact name and by
// name in any case (under lower case + "~", for the fields' names only).
func keyCounts(t *testing.T, data []byte) map[string]int {
	d := newDecoder(data, infoOf(userType))
	counts := map[string]int{}
	if d.expect('{') != nil || d.peek() == '}' {
		return counts
	}
	for {
		if d.peek() != '"' {
			t.Fatal("want a key")
		}
		m := member{keyStart: d.pos + 1}
		_, slow, err := d.str()
		if err != nil {
			t.Fatal(err)
		}
		m.keyEnd, m.keyEscaped = d.pos-1, slow
		k, _ := d.key(m)
		counts[k]++
		if fi, _ := d.ti.find([]byte(k)); fi >= 0 {
			counts[strings.ToLower(d.ti.fields[fi].name)+"~"]++
		}
		if d.expect(':') != nil {
			t.Fatal("bad object")
		}
		if _, err := d.value(); err != nil {
			t.Fatal(err)
		}
		if d.peek() != ',' {
			return counts
		}
		d.pos++
	}
}

var userType = reflect.TypeOf(User{})

// fieldOf returns the i-th named field of u.
func fieldOf(u *User, i int) any {
	return reflect.ValueOf(u).Elem().Field(infoOf(userType).fields[i].index).Interface()
}

// A decoded user shares nothing with the bytes it came from (a pooled
// body is reused): its strings and Snapshot outlive the buffer.
func TestDecodeUserOutlivesInput(t *testing.T) {
	in := `[{"Id":"u1","UserName":"ana@example.com","FirstName":"An\u00e1","City":"Chicago","Bogus":"x"},{"Id":"u2","UserName":"bo@example.com"}]`
	buf := []byte(in)
	users, err := decodeList[User](buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = '#'
	}
	got := []string{users[0].ID, users[0].UserName, users[0].FirstName, users[0].City, string(users[0].Extra["Bogus"]),
		users[0].Snapshot.raw, users[1].ID, users[1].UserName, users[1].Snapshot.raw}
	want := []string{"u1", "ana@example.com", "Aná", "Chicago", `"x"`,
		`{"Id":"u1","UserName":"ana@example.com","FirstName":"An\u00e1","City":"Chicago","Bogus":"x"}`,
		"u2", "bo@example.com", `{"Id":"u2","UserName":"bo@example.com"}`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("after the input was overwritten (-want +got):\n%s", d)
	}
}

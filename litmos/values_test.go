package litmos

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// readTestdata reads testdata/name, for tests, benchmarks and fuzz seeds.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, got, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), buf.String()); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, d)
	}
}

func TestDecodeRecordedUser(t *testing.T) {
	var got User
	if err := json.Unmarshal(readTestdata(t, "user_get.json"), &got); err != nil {
		t.Fatal(err)
	}
	want := User{
		ID: "rnjx2WaQOEY1", UserName: "janine.butcher@pieshop.net", FirstName: "Janine", LastName: "Butcher",
		FullName: "Janine Butcher", Email: "janine.butcher@pieshop.net", AccessLevel: "Learner", Active: true,
		PhoneWork:      "+44 20 7946 0000",
		LastLogin:      Time{Time: time.Date(2016, 12, 9, 7, 54, 27, 0, time.UTC), Form: DateISO},
		LoginKey:       "https://pieshop.litmos.com/login.aspx?loginkey=0f6c2a6e-0000-4000-8000-000000000000",
		SkipFirstLogin: true, TimeZone: "UTC", OriginalID: 4138947, City: "London", PostalCode: "EC1A 1BB",
		Country: "United Kingdom", CompanyName: "Pie Shop", JobTitle: "Baker", CustomField1: "bakery", Culture: "en-US",
		CreatedDate: Time{Time: time.Date(2016, 11, 10, 13, 50, 11, 0, time.UTC), Form: DateISO},
		Brand:       "Default", ManagerID: "0", ProfileType: "Internal",
		Extra: Extra{"LearnerSince": json.RawMessage(`"2016"`), "Badges": json.RawMessage(`[{"Name":"Starter"}]`)},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("decoded user (-want +got):\n%s", d)
	}
	if got.LastLogin.Form != DateISO || got.Skype != "" {
		t.Errorf("LastLogin form %d, Skype %q", got.LastLogin.Form, got.Skype)
	}
}

// TestDecodeTolerant: numbers as strings and back, "true" strings, the SAP
// spelling Username, HTML entities, both ISO variants.
func TestDecodeTolerant(t *testing.T) {
	var got User
	if err := json.Unmarshal(readTestdata(t, "user_sap.json"), &got); err != nil {
		t.Fatal(err)
	}
	want := User{
		ID: "aBcDeFgHiJk1", UserName: "o&#39;brien@example.com", FirstName: "Seán", LastName: "O'Brien",
		FullName: "Seán O'Brien", Email: "o'brien@example.com", AccessLevel: "Team_Leader", Active: true,
		LastLogin: Time{Form: DateEmpty}, SkipFirstLogin: true, TimeZone: "Pacific Standard Time",
		OriginalID: 5091912, PostalCode: "90210", ExternalEmployeeID: "12345",
		CreatedDate:            Time{Time: time.Date(2021, 9, 20, 20, 50, 36, 0, time.UTC), Form: DateISO},
		ExpirationDate:         Time{Time: time.Date(2021, 7, 15, 15, 44, 46, 840e6, time.UTC), Form: DateISOLocal},
		EnableTextNotification: true, Points: 7,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("decoded user (-want +got):\n%s", d)
	}
}

func TestDecodeUserCoursesBothSpellings(t *testing.T) {
	got, err := decodeList[UserCourse](readTestdata(t, "user_courses.json"))
	if err != nil {
		t.Fatal(err)
	}
	ms := func(n int64) Time { return Time{Time: time.UnixMilli(n).UTC()} }
	want := []UserCourse{{
		ID: "wBC7BPbNJ2Q1", Code: "FS-101", Name: "Food safety & hygiene", Active: true, Complete: true,
		PercentageComplete: 100, AssignedDate: ms(1497801750508), StartDate: ms(1497801750508),
		DateCompleted: ms(1497888150508), UpToDate: true, CompliantTill: ms(1529337750508),
		CourseCreatedDate: ms(1480000000000), CourseCreator: "Janine Butcher", OriginalID: 77015, ResultID: "10511",
		AccessTillDate: Time{Form: DateNull},
	}, {
		ID: "xBC7BPbNJ2Q1", Code: "FS-102", Name: "Allergens", Active: true, PercentageComplete: 50,
		AssignedDate: ms(1497801750508), StartDate: Time{Form: DateNull}, DateCompleted: Time{Form: DateNull},
		Overdue: true, CompliantTill: Time{Form: DateEmpty}, CourseCreatedDate: ms(1480000000000),
		OriginalID: 77016, ResultID: "10512", Extra: Extra{"DueDate": json.RawMessage(`"/Date(1500000000000)/"`)},
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("decoded courses (-want +got):\n%s", d)
	}
	// The -0700 zone is kept for display.
	if _, off := got[0].DateCompleted.Zone(); off != -7*3600 {
		t.Errorf("DateCompleted zone offset %d, want -25200", off)
	}
	// The second record spelled Completed/CompletedDate/CompliantTillDate: none may leak into Extra.
	for _, k := range []string{"Completed", "CompletedDate", "CompliantTillDate"} {
		if _, ok := got[1].Extra[k]; ok {
			t.Errorf("alternative spelling %s kept in Extra", k)
		}
	}
}

func TestDecodeListsAndCourse(t *testing.T) {
	users, err := decodeList[UserSummary](readTestdata(t, "users_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[1].Active || users[1].Brand != "" || users[0].Brand != "Default" || users[2].UserName != "charlie.quinn@pieshop.net" {
		t.Errorf("users = %+v", users)
	}
	teams, err := decodeList[Team](readTestdata(t, "teams_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantTeams := []Team{
		{ID: "t1Ab2Cd3Ef41", Name: "Bakers", TeamCodeForBulkImport: "BAK"},
		{ID: "t5Ab2Cd3Ef41", Name: "Night shift & weekends", ParentTeamID: "t1Ab2Cd3Ef41"},
	}
	if d := cmp.Diff(wantTeams, teams); d != "" {
		t.Errorf("teams (-want +got):\n%s", d)
	}
	var c Course
	if err := json.Unmarshal(readTestdata(t, "course_get.json"), &c); err != nil {
		t.Fatal(err)
	}
	wantCourse := Course{ID: "wBC7BPbNJ2Q1", Code: "FS-101", Name: "Food safety", Active: true, OriginalID: 77015,
		Description: "The basics.", CourseCodeForBulkImport: "FS101", AccessTillDate: Time{Form: DateNull},
		CreatedBy: "Janine Butcher", Tags: "safety"}
	if d := cmp.Diff(wantCourse, c); d != "" {
		t.Errorf("course (-want +got):\n%s", d)
	}
}

func TestDecodeRejectsWrongTypes(t *testing.T) {
	for _, in := range []string{
		`{"Active":"maybe"}`, `{"OriginalId":"12a"}`, `{"OriginalId":1.5}`, `{"UserName":{"a":1}}`, `{"CreatedDate":5}`, `[1]`,
	} {
		var u User
		if err := json.Unmarshal([]byte(in), &u); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", in)
		}
	}
}

// TestUserRoundTrip: what UpdateUser PUTs back is the object it read,
// unknown fields and date forms included.
func TestUserRoundTrip(t *testing.T) {
	var u User
	if err := json.Unmarshal(readTestdata(t, "user_get.json"), &u); err != nil {
		t.Fatal(err)
	}
	u.PhoneMobile = "+15554443333"
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "user_put_request.golden.json", b)
	var again User
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(u, again); d != "" {
		t.Errorf("round trip (-sent +re-read):\n%s", d)
	}
}

func TestCreateUserBody(t *testing.T) {
	var u User
	if err := json.Unmarshal(readTestdata(t, "user_get.json"), &u); err != nil {
		t.Fatal(err)
	}
	u.AccessLevel = ""
	b, err := createUserBody(u, CreateUserParams{SkipFirstLogin: true})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "user_create_request.golden.json", b)
}

func BenchmarkDecodeUser(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "user_get.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var u User
		if err := json.Unmarshal(data, &u); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeUser(b *testing.B) {
	var u User
	if err := json.Unmarshal(readTestdata(b, "user_get.json"), &u); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(u); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecode: decoding never panics, and whatever decodes encodes and
// decodes again to the same values (names with HTML entities aside: they
// are unescaped once per read).
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"user_get.json", "user_sap.json", "course_get.json"} {
		f.Add(readTestdata(f, name))
	}
	for _, s := range []string{`{"PercentageComplete":"NaN"}`, `{"OriginalId":"1e400"}`, `{"Complete":"1","DateCompleted":"/Date(0)/"}`, `{"ExpirationDate":"1969-12-31T23:59:59.9985Z"}`} {
		f.Add([]byte(s))
	}
	ignore := cmpopts.IgnoreFields(User{}, "FirstName", "LastName", "FullName")
	// json.Marshal re-escapes Extra values (& as \u0026): compare them as values.
	rawAsValue := cmp.Transformer("raw", func(r json.RawMessage) any {
		var v any
		_ = json.Unmarshal(r, &v)
		return v
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		var u User
		if json.Unmarshal(data, &u) == nil {
			b, err := json.Marshal(u)
			if err != nil {
				t.Fatalf("decoded %s but cannot encode it: %v", data, err)
			}
			var again User
			if err := json.Unmarshal(b, &again); err != nil {
				t.Fatalf("re-decoding %s: %v", b, err)
			}
			if d := cmp.Diff(u, again, ignore, rawAsValue); d != "" {
				t.Fatalf("round trip of %s (-first +again):\n%s", data, d)
			}
			// The PUT body of the same user encodes and reads back too.
			body, err := userWriteBody(u)
			if err != nil {
				t.Fatalf("decoded %s but cannot build its PUT body: %v", data, err)
			}
			var sent User
			if err := json.Unmarshal(body, &sent); err != nil {
				t.Fatalf("PUT body %s does not decode: %v", body, err)
			}
			// "/Date(ms)/" keeps milliseconds only.
			if exp := u.ExpirationDate; !exp.IsZero() && !sent.ExpirationDate.Time.Equal(time.UnixMilli(exp.UnixMilli())) {
				t.Fatalf("PUT body changed ExpirationDate %v to %v", u.ExpirationDate, sent.ExpirationDate)
			}
		}
		var uc UserCourse
		if json.Unmarshal(data, &uc) == nil {
			if _, err := json.Marshal(uc); err != nil {
				t.Fatalf("decoded %s but cannot encode it: %v", data, err)
			}
		}
	})
}

// BenchmarkCreateUserBody encodes a create request for a user that was
// never read, as a first sync does for every learner.
func BenchmarkCreateUserBody(b *testing.B) {
	u := User{UserName: "emp00042@acme.example", Email: "emp00042@acme.example", FirstName: "Emp", LastName: "N00042",
		JobTitle: "Associate", City: "Chicago", Country: "United States", Active: true, ManagerID: "m00000000001"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := createUserBody(u, CreateUserParams{SkipFirstLogin: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateUserBody encodes the PUT of a read user with one field
// changed, as a re-sync does.
func BenchmarkUpdateUserBody(b *testing.B) {
	var u User
	if err := json.Unmarshal(readTestdata(b, "user_get.json"), &u); err != nil {
		b.Fatal(err)
	}
	u.JobTitle = "Head Baker"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := userWriteBody(u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeCreatedUser decodes one user object the way a create's
// answer is read.
func BenchmarkDecodeCreatedUser(b *testing.B) {
	data := readTestdata(b, "user_get.json")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var u User
		if err := decodeObject(data, &u); err != nil {
			b.Fatal(err)
		}
	}
}

// writeJSONString writes what encoding/json writes, on its fast path and off it.
func TestWriteJSONStringMatchesStdlib(t *testing.T) {
	for _, s := range []string{"", "plain", "O'Brien", `a"b`, `back\slash`, "<b>&amp;</b>", "tab\there", "nl\n",
		"\x00\x1f\x7f", "Zoë", "\u2028\u2029", "bad \xff utf-8", "emoji 🙂"} {
		var buf bytes.Buffer
		writeJSONString(&buf, s)
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if buf.String() != string(want) {
			t.Errorf("writeJSONString(%q) = %s, encoding/json %s", s, buf.String(), want)
		}
	}
}

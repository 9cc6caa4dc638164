package talentlmstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

type call struct {
	method, path string // path after /api/v1/, still escaped
	body, ct     string
	user, pass   string // Basic credentials; user "-" sends none
}

func do(t *testing.T, srv *talentlmstest.Server, c call) (int, string, http.Header) {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodGet
	}
	req, err := http.NewRequest(c.method, srv.BaseURL()+"/"+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	switch c.user {
	case "":
		req.SetBasicAuth(talentlmstest.APIKey, c.pass)
	case "-":
	default:
		req.SetBasicAuth(c.user, c.pass)
	}
	if c.ct != "" {
		req.Header.Set("Content-Type", c.ct)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

const form = "application/x-www-form-urlencoded"

// TestStrictness sends what the real service refuses and checks the fake
// refuses it the same way: status and v1 error message.
func TestStrictness(t *testing.T) {
	srv := talentlmstest.NewServer(t)
	co := srv.SeedCompany()
	ana := co.Users["ana.lima"]
	signup := "first_name=A&last_name=B&email=new%40example.com&login=new&password=Passw0rd1"
	tests := []struct {
		name   string
		c      call
		status int
		has    string
	}{
		{"no credentials: an HTML page", call{path: "siteinfo", user: "-"}, 401, "<html>"},
		{"wrong key", call{path: "siteinfo", user: "nope"}, 401, "Invalid API key"},
		{"a password beside the key", call{path: "siteinfo", pass: "x"}, 401, "Invalid API key"},
		{"unknown action", call{path: "getusers"}, 404, "The requested API action does not exist"},
		{"action names are lower case", call{path: "SiteInfo"}, 404, "API action does not exist"},
		{"a write GET sent as POST", call{method: "POST", path: "usersetstatus/user_id:1,status:active", ct: form}, 400, "Invalid arguments provided"},
		{"a POST action sent as GET", call{path: "usersignup"}, 400, "Invalid arguments provided"},
		{"JSON body", call{method: "POST", path: "usersignup", ct: "application/json", body: `{"first_name":"A"}`}, 400, "Invalid arguments provided"},
		{"no content type", call{method: "POST", path: "usersignup", body: signup}, 400, "Invalid arguments"},
		{"unknown form parameter", call{method: "POST", path: "usersignup", ct: form, body: signup + "&nickname=x"}, 400, "Invalid arguments"},
		{"parameter given twice", call{method: "POST", path: "usersignup", ct: form, body: signup + "&login=again"}, 400, "Invalid arguments"},
		{"missing required field", call{method: "POST", path: "usersignup", ct: form, body: strings.Replace(signup, "&login=new", "", 1)}, 400, "Invalid arguments"},
		{"weak password", call{method: "POST", path: "usersignup", ct: form, body: strings.Replace(signup, "Passw0rd1", "password", 1)}, 400, "Password is not strong enough"},
		{"restrict_email yes/no", call{method: "POST", path: "usersignup", ct: form, body: signup + "&restrict_email=yes"}, 400, "Invalid arguments"},
		{"taken email in another case", call{method: "POST", path: "usersignup", ct: form, body: strings.Replace(signup, "new%40example.com", "ANA.LIMA%40northwind.example", 1)}, 400, "same email address already exists"},
		{"unknown custom field key", call{method: "POST", path: "usersignup", ct: form, body: signup + "&custom_field_3=x"}, 400, "Invalid arguments"},
		{"dropdown value not an option", call{method: "POST", path: "usersignup", ct: form, body: signup + "&custom_field_2=sales"}, 400, "Invalid arguments"},
		{"checkbox value 1", call{method: "POST", path: "usersignup", ct: form, body: signup + "&custom_field_5=1"}, 400, "Invalid arguments"},
		{"date in another format", call{method: "POST", path: "usersignup", ct: form, body: signup + "&custom_field_4=2024-01-02"}, 400, "Invalid arguments"},
		{"unpadded date", call{method: "POST", path: "usersignup", ct: form, body: signup + "&custom_field_4=2%2F1%2F2024"}, 400, "Invalid arguments"},
		{"deactivation in the past", call{method: "POST", path: "edituser", ct: form, body: "user_id=" + ana + "&deactivation_date=01%2F01%2F2000"}, 400, "Invalid arguments"},
		{"deactivation of an inactive user", call{method: "POST", path: "edituser", ct: form, body: "user_id=" + co.Users["ed.silva"] + "&deactivation_date=01%2F01%2F2099"}, 400, "Invalid arguments"},
		{"edit of no one", call{method: "POST", path: "edituser", ct: form, body: "user_id=999&first_name=X"}, 404, "The requested user does not exist"},
		{"deleteuser permanent=true", call{method: "POST", path: "deleteuser", ct: form, body: "user_id=" + ana + "&permanent=true"}, 400, "Invalid arguments"},
		{"a raw + reads as a space", call{path: "users/email:margaret.okonkwo+lms@northwind.example"}, 404, "The requested user does not exist"},
		{"a comma in a value", call{path: "users/username:ana%2Clima"}, 400, "Invalid arguments"},
		{"a slash in a value", call{path: "users/username:ana%2Flima"}, 400, "Invalid arguments"},
		{"a further segment", call{path: "users/id:1/extra"}, 400, "Invalid arguments"},
		{"an unknown path parameter", call{path: "users/name:ana"}, 400, "Invalid arguments"},
		{"two lookups at once", call{path: "users/id:1,email:ana.lima@northwind.example"}, 400, "Invalid arguments"},
		{"page_size above 1000", call{path: "users/page_size:1001,page_number:1"}, 400, "Invalid arguments"},
		{"page_number 0", call{path: "users/page_size:10,page_number:0"}, 400, "Invalid arguments"},
		{"page_number alone", call{path: "users/page_number:2"}, 400, "Invalid arguments"},
		{"usersetstatus without status", call{path: "usersetstatus/user_id:1"}, 400, "Invalid arguments"},
		{"status deleted", call{path: "usersetstatus/user_id:1,status:deleted"}, 400, "Invalid arguments"},
		{"enrol twice", call{method: "POST", path: "addusertocourse", ct: form, body: "course_id=" + co.Courses["Security Awareness"] + "&user_id=" + ana}, 400, "already enrolled"},
		{"enrol by id and email", call{method: "POST", path: "addusertocourse", ct: form, body: "course_id=101&user_id=1&user_email=a%40b.c"}, 400, "Invalid arguments"},
		{"enrol as admin", call{method: "POST", path: "addusertocourse", ct: form, body: "course_id=101&user_id=6&role=admin"}, 400, "Invalid arguments"},
		{"status in a course not enrolled", call{path: "getuserstatusincourse/course_id:" + co.Courses["Sales Playbook"] + ",user_id:" + co.Users["noor.haddad"]}, 400, "not enrolled"},
		{"no such branch", call{path: "branches/id:99"}, 404, "The requested branch does not exist"},
		{"add to a branch twice", call{path: "addusertobranch/user_id:" + ana + ",branch_id:" + co.Branches["Sales"]}, 400, "already a member"},
	}
	for _, tt := range tests {
		status, body, _ := do(t, srv, tt.c)
		if status != tt.status || !strings.Contains(body, tt.has) {
			t.Errorf("%s: %d %s; want %d with %q", tt.name, status, body, tt.status, tt.has)
		}
		if status != 401 && status != 200 && !strings.HasPrefix(body, `{"error":{"message":`) {
			t.Errorf("%s: body %s is not a v1 error", tt.name, body)
		}
	}
	if _, ok := srv.UserByEmail("new@example.com"); ok {
		t.Error("a refused signup was stored")
	}
	if st, _, _ := do(t, srv, call{path: "users/email:margaret.okonkwo%2Blms@northwind.example"}); st != 200 {
		t.Errorf("%%2B: status %d", st)
	}
}

// The signup reply carries the id and last_updated_timestamp as numbers;
// GET replies carry them as strings; formatted dates are in the portal's format.
func TestWireTypes(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithDateFormat(talentlms.MMDDYYYY))
	srv.SetClock(func() time.Time { return time.Date(2024, 2, 3, 9, 15, 0, 0, time.UTC) })
	co := srv.SeedCompany()
	_, body, _ := do(t, srv, call{method: "POST", path: "usersignup", ct: form,
		body: "first_name=A&last_name=B&email=new%40example.com&login=new&password=Passw0rd1&custom_field_4=12%2F31%2F2023"})
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(body)
	}
	if _, ok := m["id"].(float64); !ok {
		t.Errorf("signup id %T", m["id"])
	}
	if _, ok := m["last_updated_timestamp"].(float64); !ok || m["created_on"] != "02/03/2024, 09:15:00" || m["custom_field_4"] != "12/31/2023" {
		t.Errorf("signup reply %v", m)
	}
	if _, has := m["created_on_timestamp"]; has {
		t.Error("created_on has a timestamp beside it")
	}
	_, body, _ = do(t, srv, call{path: "users/id:" + co.Users["ana.lima"]})
	m = nil
	_ = json.Unmarshal([]byte(body), &m)
	if m["id"] != co.Users["ana.lima"] || m["last_updated_timestamp"] != strconv.FormatInt(time.Date(2024, 2, 3, 9, 15, 0, 0, time.UTC).Unix(), 10) ||
		m["custom_field_4"] != "03/01/2021" || m["restrict_email"] != "0" {
		t.Errorf("detail %v", m)
	}
	_, body, _ = do(t, srv, call{method: "POST", path: "addusertocourse", ct: form, body: "course_id=" + co.Courses["Sales Playbook"] + "&user_email=BO.CHEN%40northwind.example"})
	if !strings.HasPrefix(body, `[{"course_id":`) {
		t.Errorf("addusertocourse reply %s is not an array", body)
	}
	_, body, _ = do(t, srv, call{path: "siteinfo"})
	if !strings.Contains(body, `"date_format":"MMDDYYYY"`) || !strings.Contains(body, `"total_users":"9"`) {
		t.Errorf("siteinfo %s", body)
	}
}

// The hourly quota: headers on every reply, 429 past the budget with no
// Retry-After, GET ratelimit uncounted, a new window after the hour.
func TestHourlyLimit(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	srv := talentlmstest.NewServer(t, talentlmstest.WithHourlyLimit(2))
	srv.SetClock(func() time.Time { return now })
	reset := strconv.FormatInt(now.Add(time.Hour).Unix(), 10)
	for i, want := range []struct {
		path      string
		status    int
		remaining string
	}{{"siteinfo", 200, "1"}, {"ratelimit", 200, "1"}, {"siteinfo", 200, "0"}, {"siteinfo", 429, "0"}, {"ratelimit", 200, "0"}} {
		status, body, h := do(t, srv, call{path: want.path})
		if status != want.status || h.Get("X-RateLimit-Limit") != "2" || h.Get("X-RateLimit-Remaining") != want.remaining || h.Get("X-RateLimit-Reset") != reset {
			t.Errorf("call %d (%s): %d, headers %v", i, want.path, status, h)
		}
		if status == 429 && (h.Get("Retry-After") != "" || !strings.Contains(body, "rate limit")) {
			t.Errorf("429: Retry-After %q, body %s", h.Get("Retry-After"), body)
		}
		if want.path == "ratelimit" && !strings.Contains(body, `"remaining":`+want.remaining) {
			t.Errorf("ratelimit body %s", body)
		}
	}
	now = now.Add(time.Hour)
	if status, _, h := do(t, srv, call{path: "siteinfo"}); status != 200 || h.Get("X-RateLimit-Remaining") != "1" {
		t.Errorf("after the hour: %d %v", status, h)
	}
	if srv.HourlyUsed() != 1 {
		t.Errorf("HourlyUsed = %d", srv.HourlyUsed())
	}
}

func TestUserPagingModes(t *testing.T) {
	for _, paged := range []bool{true, false} {
		var opts []talentlmstest.Option
		if !paged {
			opts = append(opts, talentlmstest.WithoutUserPaging())
		}
		srv := talentlmstest.NewServer(t, opts...)
		srv.SeedCompany()
		_, body, _ := do(t, srv, call{path: "users/page_size:3,page_number:2"})
		var users []map[string]any
		_ = json.Unmarshal([]byte(body), &users)
		want := 3
		if !paged {
			want = 8
		}
		if len(users) != want || (paged && users[0]["login"] != "kwame.mensah") {
			t.Errorf("paged=%v: %d users %v", paged, len(users), users)
		}
		if _, has := users[0]["courses"]; has {
			t.Error("list items are not abridged")
		}
	}
}

// Seed helpers refuse bad seeds by failing the test.
func TestSeedMisuseFails(t *testing.T) {
	srv := talentlmstest.NewServer(nil)
	defer srv.Close()
	for name, f := range map[string]func(){
		"taken email": func() { srv.AddUser(talentlmstest.User{Login: "x", FirstName: "X", LastName: "Y", Email: "a@b.c"}) },
		"unknown field": func() {
			srv.AddUser(talentlmstest.User{Login: "z", FirstName: "X", LastName: "Y", Email: "z@b.c", Custom: map[string]string{"custom_field_9": "v"}})
		},
		"bad type":           func() { srv.AddCustomField(talentlms.CustomField{Name: "n", Type: "number"}) },
		"no options":         func() { srv.AddCustomField(talentlms.CustomField{Name: "n", Type: talentlms.FieldDropdown}) },
		"enrol no one":       func() { srv.Enroll("99", "101", talentlmstest.Progress{}) },
		"language of no one": func() { srv.SetLanguage("99", "Greek") },
	} {
		if name == "taken email" {
			srv.AddUser(talentlmstest.User{Login: "a", FirstName: "A", LastName: "B", Email: "a@b.c"})
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no failure", name)
				}
			}()
			f()
		}()
	}
}

// SetLanguage changes what reads of the user show, without a request in the log.
func TestSetLanguage(t *testing.T) {
	srv := talentlmstest.NewServer(t)
	co := srv.SeedCompany()
	srv.Log().Reset()
	srv.SetLanguage(co.Users["ana.lima"], "Greek")
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("SetLanguage logged %d requests", n)
	}
	if u, _ := srv.User(co.Users["ana.lima"]); u.Language != "Greek" {
		t.Errorf("language = %q after SetLanguage", u.Language)
	}
	if status, body, _ := do(t, srv, call{path: "users/id:" + co.Users["ana.lima"]}); status != 200 || !strings.Contains(body, `"language":"Greek"`) {
		t.Errorf("GET users/id: %d %s", status, body)
	}
}

package talentlms_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// serveGolden makes the fake answer GET path with testdata/file.
func serveGolden(t *testing.T, srv *talentlmstest.Server, path, file string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(talentlmstest.Fault{Method: "GET", Path: talentlmstest.APIPath + "/" + path, Status: 200, Body: string(b)})
}

// compactJSON compares raw JSON by content, not spacing.
var compactJSON = cmp.Transformer("compact", func(r json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, r); err != nil {
		return "invalid: " + string(r)
	}
	return b.String()
})

func utc(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

func tm(t time.Time, raw string) talentlms.Time { return talentlms.Time{Time: t, Raw: raw} }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func TestDecodeUserDetail(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "users/id:40457", "user_detail.json")
	got, err := c.GetUser(ctx, "40457")
	if err != nil {
		t.Fatal(err)
	}
	want := &talentlms.User{
		ID: "40457", Login: "jdoe", FirstName: "John", LastName: "Doe", Email: "jdoe@example.org",
		UserType: "Learner-Type", Timezone: "(GMT +02:00) Athens", Language: "English", Status: talentlms.Active,
		Level: "1", Points: "250", Credits: "0",
		CreatedOn:   tm(utc(2015, 11, 12, 7, 6, 53), "12/11/2015, 07:06:53"), // no timestamp: read in DDMMYYYY
		LastUpdated: tm(utc(2020, 8, 21, 7, 5, 0), "21/08/2020, 07:05:00"),
		Avatar:      "https://acme.talentlms.com/pages/images/default_user.png",
		LoginKey:    "https://acme.talentlms.com/index/autologin/key:0123456789abcdef",
		Custom: talentlms.Extra{
			"custom_field_1": raw(`"Business Analyst"`), "custom_field_2": raw(`"on"`),
			"custom_field_4": raw(`"28/11/2023"`), "custom_field_7": raw(`null`),
		},
		Courses: []talentlms.UserCourse{
			{ID: "123", Name: "Security & Privacy", Role: "learner",
				EnrolledOn:       tm(utc(2020, 5, 15, 4, 25, 35), "15/05/2020, 04:25:35"),
				CompletionStatus: talentlms.Incomplete, CompletionStatusText: "incomplete", CompletionStatusFormatted: "In progress",
				CompletionPercentage: 40, TotalTime: "3m 17s", TotalTimeSeconds: 197,
				LastAccessedUnitURL: "https://acme.talentlms.com/unit/view/id:3163"},
			{ID: "124", Name: "Onboarding", Role: "learner",
				EnrolledOn:       tm(utc(2020, 2, 1, 9, 0, 0), "01/02/2020, 09:00:00"),
				CompletedOn:      tm(utc(2020, 2, 3, 10, 30, 0), "03/02/2020, 10:30:00"),
				CompletionStatus: talentlms.Completed, CompletionStatusText: "completed", CompletionStatusFormatted: "Completed",
				CompletionPercentage: 100, TotalTime: "1h 2m 3s", TotalTimeSeconds: 3723},
			{ID: "125", Name: "Sales Playbook", Role: "instructor",
				EnrolledOn:       tm(utc(2020, 2, 1, 9, 0, 0), "01/02/2020, 09:00:00"),
				CompletionStatus: talentlms.NotAttempted, CompletionStatusText: "not_attempted", CompletionStatusFormatted: "Not attempted"},
		},
		Branches: []talentlms.Ref{{ID: "76", Name: "Sales"}},
		Groups:   []talentlms.Ref{{ID: "49", Name: "Sample group"}},
		Extra: talentlms.Extra{
			"certifications": raw(`[{"course_id":"124","course_name":"Onboarding","unique_id":"5c45-aa01","issued_date":"03/02/2020","issued_date_timestamp":"1580688000","expiration_date":"Never","expiration_date_timestamp":null,"download_url":"https://acme.talentlms.com/cert/download/5c45-aa01","public_url":""}]`),
			"badges":         raw(`[]`),
		},
	}
	if d := cmp.Diff(want, got, compactJSON); d != "" {
		t.Errorf("user (-want +got):\n%s", d)
	}
	if v, ok := got.CustomValue("custom_field_1"); !ok || v != "Business Analyst" {
		t.Errorf("CustomValue(custom_field_1) = %q, %v", v, ok)
	}
	if _, ok := got.CustomValue("custom_field_7"); ok {
		t.Error("a null custom field reads as set")
	}
}

// A signup reply carries the id and timestamp as numbers.
func TestDecodeSignupReply(t *testing.T) {
	srv, c := newFake(t)
	b, _ := os.ReadFile("testdata/user_signup.json")
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", Status: 200, Body: string(b)})
	got, err := c.CreateUser(ctx, talentlms.CreateUserParams{FirstName: "Maria", LastName: "Rossi", Email: "m.rossi@example.org", Login: "mrossi", Password: "Passw0rd!x"})
	if err != nil {
		t.Fatal(err)
	}
	want := &talentlms.User{
		ID: "40458", Login: "mrossi", FirstName: "Maria", LastName: "Rossi", Email: "m.rossi@example.org",
		RestrictEmail: true, UserType: "Learner-Type", Timezone: "(GMT +01:00) Rome", Language: "Italian",
		Status: talentlms.Inactive, Level: "1", Points: "0",
		CreatedOn:   tm(utc(2024, 2, 3, 9, 15, 0), "03/02/2024, 09:15:00"),
		LastUpdated: tm(utc(2024, 2, 3, 9, 15, 0), "03/02/2024, 09:15:00"),
		Avatar:      "https://acme.talentlms.com/pages/images/default_user.png",
		LoginKey:    "https://acme.talentlms.com/index/autologin/key:fedcba9876543210",
		Custom:      talentlms.Extra{"custom_field_1": raw(`"Controller"`), "custom_field_2": raw(`null`)},
	}
	if d := cmp.Diff(want, got, compactJSON); d != "" {
		t.Errorf("user (-want +got):\n%s", d)
	}
}

// List items wobble: ids and flags as numbers, nulls, unpadded dates, an
// unreadable date (kept in Raw), a custom value that is a number.
func TestDecodeUsersList(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "users", "users_list.json")
	got, err := c.ListUsersPage(ctx, talentlms.ListUsersParams{Unpaged: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []talentlms.User{
		{ID: "1", Login: "ana", FirstName: "Ana", LastName: "Lima", Email: "ana@example.org",
			UserType: "Admin-Type", Timezone: "(GMT +00:00) UTC", Language: "English", Status: talentlms.Active,
			DeactivationDate: tm(utc(2031, 6, 30, 0, 0, 0), "30/06/2031"),
			Level:            "3", Points: "1200",
			CreatedOn:   tm(utc(2024, 2, 5, 9, 15, 0), "5/2/2024, 9:15:00"),
			LastUpdated: tm(utc(2024, 2, 5, 9, 15, 0), "5/2/2024, 9:15:00"),
			Bio:         "Sales lead",
			Custom:      talentlms.Extra{"custom_field_1": raw(`"Account Executive"`), "custom_field_2": raw(`"off"`)}},
		{ID: "2", Login: "bo", FirstName: "Bo", LastName: "Chen", Email: "bo@example.org", RestrictEmail: true,
			UserType: "Learner-Type", Language: "English", Status: talentlms.Inactive, Level: "1", Points: "0",
			LastUpdated: tm(time.Time{}, "not a date"),
			Custom:      talentlms.Extra{"custom_field_1": raw(`null`), "custom_field_2": raw(`null`), "custom_field_9": raw(`12`)}},
	}
	if d := cmp.Diff(want, got, compactJSON); d != "" {
		t.Errorf("users (-want +got):\n%s", d)
	}
	if v, ok := got[1].CustomValue("custom_field_9"); !ok || v != "12" {
		t.Errorf("numeric custom value = %q, %v", v, ok)
	}
}

// An object keyed by id, as some v1 calls answer, reads as a list in id order.
func TestDecodeKeyedList(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "users", "users_keyed.json")
	got, err := c.ListUsersPage(ctx, talentlms.ListUsersParams{Unpaged: true})
	if err != nil || len(got) != 2 || got[0].ID != "9" || got[1].ID != "10" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestDecodeCourseDetail(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "courses/id:126", "course_detail.json")
	got, err := c.GetCourse(ctx, "126")
	if err != nil {
		t.Fatal(err)
	}
	want := &talentlms.Course{
		ID: "126", Name: "Onboarding & Culture", Code: "ONB-100", CategoryID: "5", Description: "<p>Welcome</p>",
		Price: "$49.00", Status: "active",
		CreationDate: tm(utc(2019, 11, 24, 9, 52, 37), "24/11/2019, 09:52:37"),
		LastUpdateOn: tm(utc(2019, 11, 25, 10, 0, 0), "25/11/2019, 10:00:00"),
		CreatorID:    "1", HideFromCatalog: true, TimeLimit: "0",
		ExpirationDatetime: tm(utc(2030, 12, 31, 23, 59, 59), "31/12/2030, 23:59:59"),
		Shared:             "0", Avatar: "https://acme.talentlms.com/pages/images/unknown_small.png",
		BigAvatar:     "https://acme.talentlms.com/pages/images/unknown_large.png",
		Certification: "Classic", CertificationDuration: "Forever",
		Custom: talentlms.Extra{"custom_field_1": raw(`"HR"`)},
		Users: []talentlms.CourseUser{
			{ID: "40457", Name: "J. Doe", Role: "learner", EnrolledOn: tm(utc(2019, 11, 24, 9, 52, 37), "24/11/2019, 09:52:37")},
			{ID: "40458", Name: "M. Rossi", Role: "learner", EnrolledOn: tm(utc(2019, 11, 25, 8, 0, 0), "25/11/2019, 08:00:00"),
				CompletedOn: tm(utc(2019, 11, 26, 8, 30, 0), "26/11/2019, 08:30:00"), CompletionPercentage: 100,
				TotalTime: "30m 0s", TotalTimeSeconds: 1800},
		},
		Units: []talentlms.Unit{{ID: "3163", Type: "SCORM | xAPI | cmi5", Name: "Introduction", URL: "https://acme.talentlms.com/unit/view/id:3163"}},
		Extra: talentlms.Extra{"rules": raw(`[]`), "prerequisites": raw(`[]`)},
	}
	if d := cmp.Diff(want, got, compactJSON); d != "" {
		t.Errorf("course (-want +got):\n%s", d)
	}
	if got.Users[0].Completed() || !got.Users[1].Completed() {
		t.Errorf("Completed: %v %v", got.Users[0].Completed(), got.Users[1].Completed())
	}
}

func TestDecodeUserStatusInCourse(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "getuserstatusincourse/course_id:126,user_id:40457", "user_status_in_course.json")
	got, err := c.GetUserStatusInCourse(ctx, "40457", "126")
	if err != nil {
		t.Fatal(err)
	}
	done := tm(utc(2019, 12, 25, 3, 58, 50), "25/12/2019, 03:58:50")
	want := &talentlms.CourseStatus{
		Role: "learner", EnrolledOn: tm(utc(2019, 12, 25, 3, 58, 40), "25/12/2019, 03:58:40"),
		CompletionStatus: talentlms.Completed, CompletionStatusText: "Completed", CompletionPercentage: 100,
		CompletedOn: done, TotalTime: "0s",
		Units: []talentlms.UnitStatus{
			{ID: "3163", Name: "Introduction", Type: "SCORM | xAPI | cmi5", CompletionStatus: talentlms.Completed,
				CompletionStatusText: "Completed", CompletedOn: done, TotalTime: "0s"},
			{ID: "3164", Name: "Quiz", Type: "Test", CompletionStatus: talentlms.NotAttempted, CompletionStatusText: "Not attempted"},
		},
	}
	if d := cmp.Diff(want, got, compactJSON); d != "" {
		t.Errorf("status (-want +got):\n%s", d)
	}
}

func TestDecodeCustomFields(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "getcustomregistrationfields", "custom_fields.json")
	got, err := c.ListCustomFields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	null := raw(`null`)
	want := []talentlms.CustomField{
		{Key: "custom_field_1", Name: "jobTitle", Type: talentlms.FieldText, VisibleOnReports: true, Order: 1,
			Extra: talentlms.Extra{"branch": null, "main_domain_availability": null, "previous_key": null}},
		{Key: "custom_field_2", Name: "remote", Type: talentlms.FieldCheckbox, CheckboxDefault: true, Order: 2,
			Extra: talentlms.Extra{"branch": null, "main_domain_availability": null, "previous_key": null}},
		{Key: "custom_field_4", Name: "hireDate", Type: talentlms.FieldDate, Mandatory: true, VisibleOnReports: true,
			SelectiveAvailability: true, Order: 3,
			Extra: talentlms.Extra{"branch": raw(`"76"`), "main_domain_availability": raw(`"no"`), "previous_key": raw(`"custom_field_3"`)}},
		{Key: "custom_field_7", Name: "department", Type: talentlms.FieldDropdown, VisibleOnReports: true, Order: 4,
			Options: []string{"Engineering", "Sales", "People & Culture", "Finance"}, DefaultOption: "Sales",
			Extra: talentlms.Extra{"branch": null, "main_domain_availability": null, "previous_key": null}},
	}
	if d := cmp.Diff(want, got.All(), compactJSON); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	if got.DateFormat != talentlms.DDMMYYYY {
		t.Errorf("DateFormat = %q", got.DateFormat)
	}
}

func TestDecodeBranchSiteInfoRateLimitEnrollment(t *testing.T) {
	srv, c := newFake(t)
	serveGolden(t, srv, "branches/id:76", "branch_detail.json")
	serveGolden(t, srv, "siteinfo", "siteinfo.json")
	serveGolden(t, srv, "ratelimit", "ratelimit.json")
	b, err := c.GetBranch(ctx, "76")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "Sales & Marketing" || !b.DisallowGlobalLogin || b.UserType != "Learner-Type" ||
		!cmp.Equal(b.Users, []talentlms.Ref{{ID: "40457", Name: "J. Doe"}, {ID: "40458", Name: "M. Rossi"}}) ||
		!cmp.Equal(b.Courses, []talentlms.Ref{{ID: "126", Name: "Onboarding & Culture"}}) ||
		string(b.Extra["currency"]) != `"USD"` {
		t.Errorf("branch = %+v", b)
	}
	si, err := c.GetSiteInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantSI := &talentlms.SiteInfo{TotalUsers: 1520, TotalCourses: 34, TotalCategories: 6, TotalGroups: 4, TotalBranches: 3,
		MonthlyActiveUsers: 412, SignupMethod: "manual", DomainMap: "learn.acme.example",
		DateFormat: talentlms.MMDDYYYY, DateFormatRaw: "MMDDYYYY",
		Extra: talentlms.Extra{"signup_type": raw(`"direct"`), "verification": raw(`"none"`)}}
	if d := cmp.Diff(wantSI, si, compactJSON); d != "" {
		t.Errorf("siteinfo (-want +got):\n%s", d)
	}
	rl, err := c.GetRateLimit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantRL := &talentlms.RateLimitStatus{Limit: 10000, Remaining: 9986, Reset: time.Unix(1598160603, 0).UTC(), FormattedReset: "23/08/2020, 06:30"}
	if d := cmp.Diff(wantRL, rl); d != "" {
		t.Errorf("ratelimit (-want +got):\n%s", d)
	}
	body, _ := os.ReadFile("testdata/addusertocourse.json")
	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/addusertocourse", Status: 200, Body: string(body)})
	e, err := c.AddUserToCourse(ctx, talentlms.AddUserToCourseParams{CourseID: "126", UserID: "40457"})
	if err != nil || *e != (talentlms.Enrollment{UserID: "40457", CourseID: "126", Role: "learner"}) {
		t.Errorf("enrolment = %+v, %v", e, err)
	}
}

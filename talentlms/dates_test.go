package talentlms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func TestDateFormatParse(t *testing.T) {
	d := func(y int, m time.Month, day, h, mi, s int) time.Time { return utc(y, m, day, h, mi, s) }
	tests := []struct {
		f    talentlms.DateFormat
		in   string
		want time.Time // zero: an error
	}{
		{talentlms.DDMMYYYY, "21/08/2020, 07:05:00", d(2020, 8, 21, 7, 5, 0)},
		{talentlms.DDMMYYYY, "21/08/2020", d(2020, 8, 21, 0, 0, 0)},
		{talentlms.DDMMYYYY, "5/2/2024, 9:15:00", d(2024, 2, 5, 9, 15, 0)},
		{talentlms.DDMMYYYY, "23/08/2020, 06:30", d(2020, 8, 23, 6, 30, 0)},
		{talentlms.DDMMYYYY, "21-08-2020 07:05", d(2020, 8, 21, 7, 5, 0)},
		{talentlms.DDMMYYYY, "21.08.2020", d(2020, 8, 21, 0, 0, 0)},
		{talentlms.DDMMYYYY, "21/08/2020, 07:05:00 PM", d(2020, 8, 21, 19, 5, 0)},
		{talentlms.DDMMYYYY, "21/08/2020, 12:05:00 am", d(2020, 8, 21, 0, 5, 0)},
		{talentlms.DDMMYYYY, "21/08/2020, 12:05:00 PM", d(2020, 8, 21, 12, 5, 0)},
		{talentlms.DDMMYYYY, "2023-11-28", d(2023, 11, 28, 0, 0, 0)}, // ISO, year first, read whatever the portal says
		{talentlms.DDMMYYYY, "  28/11/2023  ", d(2023, 11, 28, 0, 0, 0)},
		{talentlms.MMDDYYYY, "08/21/2020, 07:05:00", d(2020, 8, 21, 7, 5, 0)},
		{talentlms.MMDDYYYY, "2/5/2024", d(2024, 2, 5, 0, 0, 0)},
		{talentlms.MMDDYYYY, "21/08/2020", time.Time{}}, // month 21
		{talentlms.YYYYMMDD, "2020/08/21, 07:05:00", d(2020, 8, 21, 7, 5, 0)},
		{talentlms.YYYYMMDD, "2024/2/5", d(2024, 2, 5, 0, 0, 0)},
		{talentlms.YYYYMMDD, "21/08/2020", time.Time{}}, // the format writes the year first
		{talentlms.DDMMYYYY, "29/02/2023", time.Time{}},
		{talentlms.DDMMYYYY, "29/02/2024", d(2024, 2, 29, 0, 0, 0)},
		{talentlms.DDMMYYYY, "31/04/2024", time.Time{}},
		{talentlms.DDMMYYYY, "21/08/20", time.Time{}},
		{talentlms.DDMMYYYY, "21/08/2020, 24:00:00", time.Time{}},
		{talentlms.DDMMYYYY, "21/08/2020, 13:05 PM", time.Time{}},
		{talentlms.DDMMYYYY, "21/08/2020 PM", time.Time{}},
		{talentlms.DDMMYYYY, "21/08-2020", time.Time{}},
		{talentlms.DDMMYYYY, "21/08/2020, 07:05:00 UTC", time.Time{}},
		{talentlms.DDMMYYYY, "", time.Time{}},
		{talentlms.DDMMYYYY, "Never", time.Time{}},
		{talentlms.DDMMYYYY, "123456789/1/2020", time.Time{}},
		{"DD.MM.YY", "21/08/2020", time.Time{}},
	}
	for _, tt := range tests {
		got, err := tt.f.Parse(tt.in)
		switch {
		case tt.want.IsZero() && err == nil:
			t.Errorf("%s.Parse(%q) = %v, want an error", tt.f, tt.in, got)
		case !tt.want.IsZero() && (err != nil || !got.Equal(tt.want)):
			t.Errorf("%s.Parse(%q) = %v, %v; want %v", tt.f, tt.in, got, err, tt.want)
		case err != nil && !strings.Contains(err.Error(), string(tt.f)):
			t.Errorf("error %q does not name the format", err)
		}
	}
}

func TestDateFormatFormat(t *testing.T) {
	at := utc(2023, 3, 5, 9, 7, 2)
	for f, want := range map[talentlms.DateFormat][2]string{
		talentlms.DDMMYYYY: {"05/03/2023", "05/03/2023, 09:07:02"},
		talentlms.MMDDYYYY: {"03/05/2023", "03/05/2023, 09:07:02"},
		talentlms.YYYYMMDD: {"2023/03/05", "2023/03/05, 09:07:02"},
	} {
		if got := f.FormatDate(at); got != want[0] {
			t.Errorf("%s.FormatDate = %q, want %q", f, got, want[0])
		}
		if got := f.FormatDateTime(at); got != want[1] {
			t.Errorf("%s.FormatDateTime = %q, want %q", f, got, want[1])
		}
		if back, err := f.Parse(want[1]); err != nil || !back.Equal(at) {
			t.Errorf("%s round trip: %v, %v", f, back, err)
		}
	}
	for _, s := range []string{"ddmmyyyy", " MMDDYYYY ", "YYYYMMDD"} {
		if _, err := talentlms.ParseDateFormat(s); err != nil {
			t.Errorf("ParseDateFormat(%q): %v", s, err)
		}
	}
	if _, err := talentlms.ParseDateFormat("DD-MM-YYYY"); err == nil || !strings.Contains(err.Error(), "DD-MM-YYYY") {
		t.Errorf("unknown format: %v", err)
	}
}

// TestPortalDateFormats runs the same reads and writes on portals in each
// date format: the client learns the format from siteinfo once, reads
// created_on (no timestamp beside it) in it, and writes date custom fields
// and deactivation_date in it, which the fake accepts in no other form.
func TestPortalDateFormats(t *testing.T) {
	created := utc(2021, 3, 4, 17, 8, 9) // day and month differ, so an order mistake shows
	for _, f := range []talentlms.DateFormat{talentlms.DDMMYYYY, talentlms.MMDDYYYY, talentlms.YYYYMMDD} {
		t.Run(string(f), func(t *testing.T) {
			srv, c := newFake(t, talentlmstest.WithDateFormat(f))
			srv.SetClock(func() time.Time { return created })
			co := srv.SeedCompany()
			id := co.Users["bo.chen"]
			u, err := c.GetUser(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !u.CreatedOn.Equal(created) || u.CreatedOn.Raw != f.FormatDateTime(created) {
				t.Errorf("CreatedOn = %v (%q), want %v", u.CreatedOn.Time, u.CreatedOn.Raw, created)
			}
			fields, err := c.ListCustomFields(ctx)
			if err != nil {
				t.Fatal(err)
			}
			hired, ok, err := fields.Value(u, "hireDate", talentlms.FieldDate)
			if err != nil || !ok || !hired.(time.Time).Equal(utc(2020, 11, 16, 0, 0, 0)) {
				t.Errorf("hireDate = %v, %v, %v", hired, ok, err)
			}
			key, val, err := fields.Encode("hireDate", talentlms.FieldDate, utc(2024, 1, 2, 15, 0, 0))
			if err != nil || val != f.FormatDate(utc(2024, 1, 2, 0, 0, 0)) {
				t.Fatalf("Encode = %q, %v", val, err)
			}
			deact := utc(2031, 12, 1, 0, 0, 0)
			u, err = c.EditUser(ctx, talentlms.EditUserParams{UserID: id, Custom: map[string]string{key: val}, DeactivationDate: &deact})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := u.CustomValue(key); got != val || !u.DeactivationDate.Equal(deact) {
				t.Errorf("after edit: %s=%q, deactivation %v", key, got, u.DeactivationDate)
			}
			// A date in another order is refused by the portal.
			other := map[talentlms.DateFormat]string{talentlms.DDMMYYYY: "2024/01/02", talentlms.MMDDYYYY: "2024/01/02", talentlms.YYYYMMDD: "02/01/2024"}[f]
			if _, err := c.EditUser(ctx, talentlms.EditUserParams{UserID: id, Custom: map[string]string{key: other}}); err == nil {
				t.Errorf("the portal took %q", other)
			}
			if n := srv.Log().Count(func(e talentlmstest.Entry) bool { return strings.HasSuffix(e.Path, "/siteinfo") }); n != 1 {
				t.Errorf("siteinfo called %d times, want 1", n)
			}
		})
	}
}

// WithDateFormat pins the format: no siteinfo call.
func TestWithDateFormatSkipsSiteInfo(t *testing.T) {
	srv := talentlmstest.NewServer(t, talentlmstest.WithDateFormat(talentlms.MMDDYYYY))
	c := srv.NewClient(t, talentlms.WithDateFormat(talentlms.MMDDYYYY))
	srv.SeedCompany()
	collect(t, c.ListUsers(ctx, talentlms.ListUsersParams{}))
	if got := paths(srv); len(got) != 1 || got[0] != "GET users/page_size:100,page_number:1" {
		t.Errorf("requests = %v", got)
	}
	if _, err := talentlms.New("acme", "k", talentlms.WithDateFormat("DMY")); err == nil {
		t.Error("WithDateFormat(DMY) accepted")
	}
}

// A portal reporting a date format the client does not know fails the
// calls that need it, naming the value, instead of guessing.
func TestUnknownPortalDateFormat(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/siteinfo", Status: 200, Body: `{"date_format":"DD.MM.YYYY"}`})
	_, err := c.GetUser(ctx, "1")
	if err == nil || !strings.Contains(err.Error(), "DD.MM.YYYY") || !strings.Contains(err.Error(), "WithDateFormat") {
		t.Errorf("err = %v", err)
	}
}

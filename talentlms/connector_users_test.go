package talentlms_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// seedClock is the fake's clock in the connector tests: SeedCompany stamps
// created_on with it.
var seedClock = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// newConnector starts a fake portal on seedClock and a connector on it.
func newConnector(t *testing.T, opts talentlms.ConnectorOptions, fake ...talentlmstest.Option) (*talentlms.Connector, *talentlmstest.Server) {
	t.Helper()
	srv := talentlmstest.NewServer(t, fake...)
	srv.SetClock(func() time.Time { return seedClock })
	return talentlms.NewConnector(srv.NewClient(t), opts), srv
}

// listAll lists c, failing the test on an error.
func listAll(t *testing.T, k *talentlms.Connector, c syncengine.Collection) []syncengine.Record {
	t.Helper()
	return collect(t, k.List(ctx, c))
}

// byID indexes records.
func byID(recs []syncengine.Record) map[string]syncengine.Record {
	m := make(map[string]syncengine.Record, len(recs))
	for _, r := range recs {
		m[r.ID] = r
	}
	return m
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The record of a user read in full, from a golden v1 payload: TalentLMS's
// own field names, dates as times (the timestamp where there is one),
// custom fields by their portal name with typed values, nil for an unset
// one, and nothing of the SSO login key.
func TestConnectorUserRecordGolden(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	serveGolden(t, srv, "users/id:40457", "user_detail.json")
	serveGolden(t, srv, "getcustomregistrationfields", "custom_fields.json")
	got, err := k.Get(ctx, syncengine.Users, "40457")
	if err != nil {
		t.Fatal(err)
	}
	want := syncengine.Record{ID: "40457", Active: true, Fields: map[string]any{
		"id": "40457", "login": "jdoe", "first_name": "John", "last_name": "Doe", "email": "jdoe@example.org",
		"user_type": "Learner-Type", "timezone": "(GMT +02:00) Athens", "language": "English", "status": "active",
		"bio": "", "restrict_email": false, "deactivation_date": nil,
		"created_on":   utc(2015, 11, 12, 7, 6, 53),    // no timestamp: read in the portal's format (DDMMYYYY)
		"last_updated": time.Unix(1597993500, 0).UTC(), // the timestamp wins
		"custom_fields": map[string]any{
			"jobTitle": "Business Analyst", "remote": true, "hireDate": day(2023, 11, 28), "department": nil,
		},
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("record (-want +got):\n%s", d)
	}
}

// The same from a golden users page with v1's wobbles: a numeric id, a
// capitalised status, unpadded and unreadable dates, a custom field the
// portal no longer defines.
func TestConnectorUserListGolden(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	serveGolden(t, srv, "users/page_size:100,page_number:1", "users_list.json")
	serveGolden(t, srv, "getcustomregistrationfields", "custom_fields.json")
	got := listAll(t, k, syncengine.Users)
	want := []syncengine.Record{
		{ID: "1", Active: true, Fields: map[string]any{
			"id": "1", "login": "ana", "first_name": "Ana", "last_name": "Lima", "email": "ana@example.org",
			"user_type": "Admin-Type", "timezone": "(GMT +00:00) UTC", "language": "English", "status": "active",
			"bio": "Sales lead", "restrict_email": false, "deactivation_date": day(2031, 6, 30),
			"created_on": utc(2024, 2, 5, 9, 15, 0), "last_updated": time.Unix(1707124500, 0).UTC(),
			"custom_fields": map[string]any{"jobTitle": "Account Executive", "remote": false, "hireDate": nil, "department": nil},
		}},
		{ID: "2", Active: false, Fields: map[string]any{
			"id": "2", "login": "bo", "first_name": "Bo", "last_name": "Chen", "email": "bo@example.org",
			"user_type": "Learner-Type", "timezone": "", "language": "English", "status": "inactive",
			"bio": "", "restrict_email": true, "deactivation_date": nil,
			"created_on": nil, "last_updated": "not a date", // kept as sent: the portal's format cannot read it
			"custom_fields": map[string]any{"jobTitle": nil, "remote": nil, "hireDate": nil, "department": nil},
		}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
}

// On a seeded portal every user reads the same from List and from Get, so
// the engine sees no change between a full run and a run by id; Find by
// email (any case) and login gives the same record too.
func TestConnectorUserReadsAgree(t *testing.T) {
	for _, opts := range []talentlms.ConnectorOptions{{}, {Teams: true}} {
		k, srv := newConnector(t, opts)
		srv.SeedCompany()
		listed := listAll(t, k, syncengine.Users)
		if len(listed) != 8 {
			t.Fatalf("listed %d users, want 8", len(listed))
		}
		for _, r := range listed {
			got, err := k.Get(ctx, syncengine.Users, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(r, got); d != "" {
				t.Errorf("Teams %v: user %s: List and Get differ (-list +get):\n%s", opts.Teams, r.ID, d)
			}
			for field, q := range map[string]any{"email": "  " + upper(r.Fields["email"]) + " ", "login": r.Fields["login"]} {
				found, err := k.Find(ctx, syncengine.Users, field, q)
				if err != nil || len(found) != 1 {
					t.Fatalf("Find %s %q = %v, %v", field, q, found, err)
				}
				if d := cmp.Diff(r, found[0]); d != "" {
					t.Errorf("Find by %s differs from List (-list +find):\n%s", field, d)
				}
			}
		}
	}
}

func upper(v any) string {
	s, _ := v.(string)
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// One seeded user, field by field, with her branches as teams.
func TestConnectorSeededUser(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{Teams: true})
	co := srv.SeedCompany()
	got := byID(listAll(t, k, syncengine.Users))[co.Users["zoe.nunez"]]
	u, _ := srv.User(co.Users["zoe.nunez"])
	want := syncengine.Record{ID: co.Users["zoe.nunez"], Active: true, Fields: map[string]any{
		"id": co.Users["zoe.nunez"], "login": "zoe.nunez", "first_name": "Zoë", "last_name": "Ñúñez-O'Brien",
		"email": "zoe.nunez@northwind.example", "user_type": "Learner-Type", "timezone": "(GMT +00:00) UTC",
		"language": "English", "status": "active", "bio": "", "restrict_email": false, "deactivation_date": nil,
		"created_on": seedClock, "last_updated": u.LastUpdated.Time,
		"custom_fields": map[string]any{"jobTitle": "Engineering Manager", "department": "Engineering",
			"hireDate": day(2019, 1, 7), "remote": false},
	}, Refs: map[string][]syncengine.Ref{"teams": {{Collection: syncengine.Teams, ID: co.Branches["Engineering"]}}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("record (-want +got):\n%s", d)
	}
	noor := byID(listAll(t, k, syncengine.Users))[co.Users["noor.haddad"]]
	if d := cmp.Diff([]syncengine.Ref{}, noor.Refs["teams"]); d != "" || noor.Fields["custom_fields"].(map[string]any)["hireDate"] != nil {
		t.Errorf("a user in no branch with no hire date: refs %v, fields %v", noor.Refs, noor.Fields)
	}
	if name := k.Describe(syncengine.Users, got).Name; name != "Zoë Ñúñez-O'Brien" {
		t.Errorf("Describe = %q", name)
	}
}

// Unknown ids and unknown users answer ErrNotFound; an empty Find value
// finds nothing without a call; Find by another field is unsupported.
func TestConnectorUserLookups(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	for _, id := range []string{"999", "abc", "", "1,2"} {
		if _, err := k.Get(ctx, syncengine.Users, id); !errors.Is(err, syncengine.ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", id, err)
		}
	}
	srv.Log().Reset()
	for _, v := range []any{nil, "", "  "} {
		if got, err := k.Find(ctx, syncengine.Users, "email", v); err != nil || len(got) != 0 {
			t.Errorf("Find(%v) = %v, %v", v, got, err)
		}
	}
	if got, err := k.Find(ctx, syncengine.Users, "email", "nobody@example.com"); err != nil || len(got) != 0 {
		t.Errorf("Find(absent) = %v, %v", got, err)
	}
	if n := len(srv.Log().Entries()); n != 1 {
		t.Errorf("%d requests, want 1 (only the non-empty look-up)", n)
	}
	if _, err := k.Find(ctx, syncengine.Users, "first_name", "Ana"); !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Find by first_name: %v", err)
	}
}

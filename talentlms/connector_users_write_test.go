package talentlms_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// forms returns the bodies of the POSTs to action, in order.
func forms(t *testing.T, srv *talentlmstest.Server, action string) []url.Values {
	t.Helper()
	var out []url.Values
	for _, e := range srv.Log().Entries() {
		if e.Method == http.MethodPost && e.Path == talentlmstest.APIPath+"/"+action {
			v, err := url.ParseQuery(string(e.Body))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
	}
	return out
}

// maskPassword checks the generated password meets the policy and
// replaces it, so the body can be compared.
func maskPassword(t *testing.T, f url.Values) string {
	t.Helper()
	pw := f.Get("password")
	var up, low, digit bool
	for _, r := range pw {
		up, low, digit = up || unicode.IsUpper(r), low || unicode.IsLower(r), digit || unicode.IsDigit(r)
	}
	if len(pw) < 8 || !up || !low || !digit {
		t.Errorf("generated password %q breaks the policy", pw)
	}
	f.Set("password", "GENERATED")
	return pw
}

func ana(extra map[string]any) syncengine.Record {
	f := map[string]any{"email": "ana.souza@example.com", "login": "ana.souza", "first_name": "Ana", "last_name": "Souza"}
	for k, v := range extra {
		f[k] = v
		if v == nil {
			delete(f, k)
		}
	}
	return syncengine.Record{Active: true, Fields: f}
}

// TestConnectorCreateUser checks the exact requests a create makes: one
// usersignup carrying the custom fields by key in the portal's forms, no
// email unless SendEmail, the branch when scoped, and follow-up calls only
// for what usersignup cannot take.
func TestConnectorCreateUser(t *testing.T) {
	custom := map[string]any{"custom_fields": map[string]any{
		"jobTitle": "Baker", "department": "People", "hireDate": day(2024, 2, 29), "remote": true,
		"ssn": "123-45-6789", // not a field of this portal: not sent
	}}
	tests := []struct {
		name   string
		opts   talentlms.ConnectorOptions
		fake   []talentlmstest.Option
		rec    syncengine.Record
		golden string   // the usersignup body, password masked
		calls  []string // after the custom field definitions
	}{
		{name: "custom fields, no email", rec: ana(custom), golden: "connector_usersignup.form",
			calls: []string{"POST usersignup"}},
		{name: "SendEmail", opts: talentlms.ConnectorOptions{SendEmail: true}, rec: ana(nil),
			golden: "connector_usersignup_sendemail.form", calls: []string{"POST usersignup"}},
		{name: "restrict_email off in the record", rec: ana(map[string]any{"restrict_email": false, "language": "Português", "login": nil}),
			golden: "connector_usersignup_email_login.form", calls: []string{"POST usersignup"}},
		{name: "restrict_email emptied: the default", rec: syncengine.Record{Active: true, Fields: map[string]any{
			"email": "ana.souza@example.com", "login": "ana.souza", "first_name": "Ana", "last_name": "Souza", "restrict_email": nil}},
			golden: "connector_usersignup_plain.form", calls: []string{"POST usersignup"}},
		{name: "inactive", rec: syncengine.Record{Fields: ana(nil).Fields}, golden: "connector_usersignup_plain.form",
			calls: []string{"POST usersignup", "GET usersetstatus/user_id:1,status:inactive"}},
		{name: "portal signs up inactive", fake: []talentlmstest.Option{talentlmstest.WithSignupStatus(talentlms.Inactive)},
			rec: ana(nil), golden: "connector_usersignup_plain.form",
			calls: []string{"POST usersignup", "GET usersetstatus/user_id:1,status:active"}},
		{name: "fields usersignup does not take", rec: ana(map[string]any{"timezone": "(GMT +01:00) Lisbon", "bio": "Bakes"}),
			golden: "connector_usersignup_plain.form", calls: []string{"POST usersignup", "POST edituser"}},
		{name: "empty fields usersignup does not take", rec: ana(map[string]any{"bio": "", "deactivation_date": time.Time{}}),
			golden: "connector_usersignup_plain.form", calls: []string{"POST usersignup"}},
		{name: "branch", opts: talentlms.ConnectorOptions{Branch: "Sales"}, rec: ana(nil),
			golden: "connector_usersignup_branch.form", calls: []string{"GET branches", "POST usersignup"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, tt.opts, tt.fake...)
			portalFields(srv)
			srv.AddBranch(talentlms.Branch{Name: "Sales"})
			if _, err := k.Schema(ctx, syncengine.Users); err != nil { // reads the definitions
				t.Fatal(err)
			}
			srv.Log().Reset()
			id, err := k.Create(ctx, syncengine.Users, tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.calls, paths(srv)); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			f := forms(t, srv, "usersignup")[0]
			pw := maskPassword(t, f)
			golden(t, tt.golden, []byte(f.Encode()))
			if srv.Password(id) != pw {
				t.Error("the stored password is not the one sent")
			}
			got, err := k.Get(ctx, syncengine.Users, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Active != tt.rec.Active || got.Fields["email"] != "ana.souza@example.com" {
				t.Errorf("created %+v", got)
			}
			if tt.opts.Branch != "" && !k.InScope(syncengine.Users, got) {
				t.Error("a user created in the branch is out of scope")
			}
		})
	}
}

// A created user reads back with what was written.
func TestConnectorCreateUserReadsBack(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	portalFields(srv)
	id, err := k.Create(ctx, syncengine.Users, ana(map[string]any{"timezone": "(GMT +01:00) Lisbon", "bio": "Bakes",
		"custom_fields": map[string]any{"jobTitle": "Baker", "hireDate": day(2024, 2, 29), "remote": true}}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(ctx, syncengine.Users, id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"timezone": "(GMT +01:00) Lisbon", "bio": "Bakes", "restrict_email": true, "login": "ana.souza",
		"custom_fields": map[string]any{"jobTitle": "Baker", "hireDate": day(2024, 2, 29), "remote": true, "department": nil}}
	for f, v := range want {
		if d := cmp.Diff(v, got.Fields[f]); d != "" {
			t.Errorf("%s (-want +got):\n%s", f, d)
		}
	}
}

// The portal's mandatory custom fields: a blank for text and date (as the
// official integration sends), the default option of a dropdown; one
// without a default, or a checkbox, is refused before any write.
func TestConnectorCreateMandatoryFields(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.AddCustomField(talentlms.CustomField{Name: "costCenter", Type: talentlms.FieldText, Mandatory: true})
	srv.AddCustomField(talentlms.CustomField{Name: "startDate", Type: talentlms.FieldDate, Mandatory: true})
	srv.AddCustomField(talentlms.CustomField{Name: "site", Type: talentlms.FieldDropdown, Mandatory: true,
		Options: []string{"Porto", "Lisbon"}, DefaultOption: "Lisbon"})
	srv.AddCustomField(talentlms.CustomField{Name: "team", Type: talentlms.FieldText, Mandatory: true})
	id, err := k.Create(ctx, syncengine.Users, ana(map[string]any{"custom_fields": map[string]any{"team": "Ovens"}}))
	if err != nil {
		t.Fatal(err)
	}
	f := forms(t, srv, "usersignup")[0]
	got := map[string]string{}
	for _, key := range []string{"custom_field_1", "custom_field_2", "custom_field_3", "custom_field_4"} {
		got[key] = f.Get(key)
	}
	if d := cmp.Diff(map[string]string{"custom_field_1": " ", "custom_field_2": " ", "custom_field_3": "Lisbon", "custom_field_4": "Ovens"}, got); d != "" {
		t.Errorf("signup custom fields (-want +got):\n%s", d)
	}
	rec, _ := k.Get(ctx, syncengine.Users, id)
	if cf := rec.Fields["custom_fields"].(map[string]any); cf["costCenter"] != nil || cf["startDate"] != nil {
		t.Errorf("blank mandatory fields read back as %v, want nil", cf)
	}

	for _, def := range []talentlms.CustomField{
		{Name: "zone", Type: talentlms.FieldDropdown, Mandatory: true, Options: []string{"A", "B"}},
		{Name: "terms", Type: talentlms.FieldCheckbox, Mandatory: true},
	} {
		k, srv := newConnector(t, talentlms.ConnectorOptions{})
		srv.AddCustomField(def)
		_, err := k.Create(ctx, syncengine.Users, ana(nil))
		if !errors.Is(err, syncengine.ErrInvalid) || !strings.Contains(err.Error(), def.Name) {
			t.Errorf("mandatory %s without a value: %v", def.Type, err)
		}
		if n := srv.Log().Count(talentlmstest.IsMutation); n != 0 {
			t.Errorf("mandatory %s: %d writes", def.Type, n)
		}
	}
}

// Bad records are refused before any write, with an error naming the field.
func TestConnectorCreateUserRefused(t *testing.T) {
	for _, tt := range []struct {
		name string
		rec  syncengine.Record
		want string
	}{
		{"no first name", ana(map[string]any{"first_name": nil}), "first_name"},
		{"blank last name", ana(map[string]any{"last_name": "  "}), "last_name"},
		{"no email", syncengine.Record{Fields: map[string]any{"first_name": "A", "last_name": "B"}}, "email"},
		{"status", ana(map[string]any{"status": "active"}), "status"},
		{"unknown field", ana(map[string]any{"nickname": "Aninha"}), "nickname"},
		{"number as text", ana(map[string]any{"first_name": 7}), "first_name"},
		{"dropdown value", ana(map[string]any{"custom_fields": map[string]any{"department": "Legal"}}), "department"},
		{"custom fields not a map", ana(map[string]any{"custom_fields": "Baker"}), "custom_fields"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, talentlms.ConnectorOptions{})
			portalFields(srv)
			_, err := k.Create(ctx, syncengine.Users, tt.rec)
			if !errors.Is(err, syncengine.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid naming %s", err, tt.want)
			}
			if n := srv.Log().Count(talentlmstest.IsMutation); n != 0 {
				t.Errorf("%d writes", n)
			}
		})
	}
}

// A taken email answers ErrConflict (the engine then looks the user up to
// adopt it); a reply lost after the signup answers ErrOutcomeUnknown, and
// Find by email then finds the one user created; a follow-up call that
// fails after the signup also answers ErrOutcomeUnknown. No error carries
// the API key or the generated password.
func TestConnectorCreateUserFailures(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	_, err := k.Create(ctx, syncengine.Users, ana(map[string]any{"email": "ana.lima@northwind.example"}))
	if !errors.Is(err, syncengine.ErrConflict) || !errors.Is(err, talentlms.ErrConflict) {
		t.Errorf("taken email: %v", err)
	}
	checkNoSecrets(t, srv, err)

	srv.AddFault(talentlmstest.Fault{Method: "POST", Path: talentlmstest.APIPath + "/usersignup", Times: 1, ApplyThenDrop: true})
	_, err = k.Create(ctx, syncengine.Users, ana(nil))
	if !errors.Is(err, syncengine.ErrOutcomeUnknown) {
		t.Fatalf("lost reply: %v", err)
	}
	checkNoSecrets(t, srv, err)
	found, err := k.Find(ctx, syncengine.Users, "email", "ana.souza@example.com")
	if err != nil || len(found) != 1 {
		t.Fatalf("Find after a lost reply = %v, %v", found, err)
	}

	srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/usersetstatus*", Status: http.StatusInternalServerError})
	_, err = k.Create(ctx, syncengine.Users, syncengine.Record{Fields: ana(map[string]any{"email": "ivo@example.com", "login": "ivo"}).Fields})
	if !errors.Is(err, syncengine.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "signed up as user") {
		t.Fatalf("failed follow-up: %v", err)
	}
	checkNoSecrets(t, srv, err)
	if _, ok := srv.UserByEmail("ivo@example.com"); !ok {
		t.Error("the user signed up is gone")
	}
}

// checkNoSecrets fails when err holds the API key or a password sent.
func checkNoSecrets(t *testing.T, srv *talentlmstest.Server, err error) {
	t.Helper()
	msg := err.Error()
	if strings.Contains(msg, talentlmstest.APIKey) {
		t.Errorf("error holds the API key: %s", msg)
	}
	for _, f := range forms(t, srv, "usersignup") {
		if pw := f.Get("password"); pw != "" && strings.Contains(msg, pw) {
			t.Errorf("error holds the password: %s", msg)
		}
	}
}

// TestConnectorUpdateUser checks that Update sends exactly the changed
// fields in one edituser (custom fields by key, dates in the portal's
// format, dropdown values exactly, nil clearing), sends nothing when only
// fields the portal lacks changed, and refuses what TalentLMS cannot take
// before sending.
func TestConnectorUpdateUser(t *testing.T) {
	tests := []struct {
		name    string
		changed map[string]any
		form    url.Values // nil: no request
		err     string     // the field a refusal names
	}{
		{name: "standard field", changed: map[string]any{"last_name": "Lima-Souza"},
			form: url.Values{"last_name": {"Lima-Souza"}}},
		{name: "custom fields", changed: map[string]any{"custom_fields": map[string]any{
			"department": "Finance", "hireDate": day(2021, 3, 1), "remote": true, "jobTitle": nil}},
			form: url.Values{"custom_field_2": {"Finance"}, "custom_field_4": {"01/03/2021"}, "custom_field_5": {"on"}, "custom_field_1": {""}}},
		{name: "dotted custom field", changed: map[string]any{"custom_fields.jobTitle": "CFO"},
			form: url.Values{"custom_field_1": {"CFO"}}},
		{name: "date as ISO text", changed: map[string]any{"custom_fields": map[string]any{"hireDate": "2021-03-01"}},
			form: url.Values{"custom_field_4": {"01/03/2021"}}},
		{name: "clear bio, set restrict_email", changed: map[string]any{"bio": nil, "restrict_email": true},
			form: url.Values{"bio": {""}, "restrict_email": {"on"}}},
		{name: "deactivation date", changed: map[string]any{"deactivation_date": day(2030, 1, 31)},
			form: url.Values{"deactivation_date": {"31/01/2030"}}},
		{name: "clear deactivation date", changed: map[string]any{"deactivation_date": nil},
			form: url.Values{"deactivation_date": {""}}},
		{name: "field the portal lacks", changed: map[string]any{"custom_fields": map[string]any{"ssn": "123-45-6789"}}},
		{name: "names are case-sensitive", changed: map[string]any{"custom_fields": map[string]any{"JobTitle": "CFO"}}},
		{name: "another type", changed: map[string]any{"custom_fields": map[string]any{"jobTitle": day(2020, 1, 1), "remote": "yes"}}},
		{name: "nothing", changed: map[string]any{}},
		{name: "dropdown value not offered", changed: map[string]any{"custom_fields": map[string]any{"department": "Legal"}}, err: "department"},
		{name: "unreadable date", changed: map[string]any{"custom_fields": map[string]any{"hireDate": "soon"}}, err: "hireDate"},
		{name: "clear a required field", changed: map[string]any{"first_name": nil}, err: "first_name"},
		{name: "language", changed: map[string]any{"language": "Português"}, err: "language"},
		{name: "status", changed: map[string]any{"status": "inactive"}, err: "status"},
		{name: "id", changed: map[string]any{"id": "9"}, err: "id"},
		{name: "unknown field", changed: map[string]any{"nickname": "x"}, err: "nickname"},
		{name: "date as text", changed: map[string]any{"deactivation_date": "2030-01-31"}, err: "deactivation_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, talentlms.ConnectorOptions{})
			co := srv.SeedCompany()
			id := co.Users["ana.lima"]
			if _, err := k.Schema(ctx, syncengine.Users); err != nil {
				t.Fatal(err)
			}
			srv.Log().Reset()
			err := k.Update(ctx, syncengine.Users, id, tt.changed)
			if tt.err != "" {
				if !errors.Is(err, syncengine.ErrInvalid) || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want ErrInvalid naming %s", err, tt.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			sent := forms(t, srv, "edituser")
			if n := len(srv.Log().Entries()); n != len(sent) {
				t.Errorf("%d requests, want only the edituser (%d)", n, len(sent))
			}
			if tt.form == nil {
				if len(sent) != 0 {
					t.Errorf("sent %v, want no request", sent)
				}
				return
			}
			tt.form.Set("user_id", id)
			if len(sent) != 1 {
				t.Fatalf("%d edituser, want 1", len(sent))
			}
			if d := cmp.Diff(tt.form, sent[0]); d != "" {
				t.Errorf("edituser form (-want +got):\n%s", d)
			}
		})
	}
}

// Updates read back: a custom field set and one cleared.
func TestConnectorUpdateUserReadsBack(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	id := co.Users["bo.chen"]
	err := k.Update(ctx, syncengine.Users, id, map[string]any{"email": "bo@northwind.example",
		"custom_fields": map[string]any{"department": "Finance", "jobTitle": nil, "hireDate": day(2021, 3, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := k.Get(ctx, syncengine.Users, id)
	want := map[string]any{"jobTitle": nil, "department": "Finance", "hireDate": day(2021, 3, 1), "remote": false}
	if d := cmp.Diff(want, got.Fields["custom_fields"]); d != "" || got.Fields["email"] != "bo@northwind.example" {
		t.Errorf("custom fields (-want +got):\n%s\nemail %v", d, got.Fields["email"])
	}
	if err := k.Update(ctx, syncengine.Users, "999", map[string]any{"last_name": "X"}); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Update of an absent user: %v", err)
	}
	if err := k.Update(ctx, syncengine.Users, id, map[string]any{"email": "kwame.mensah@northwind.example"}); !errors.Is(err, syncengine.ErrConflict) {
		t.Errorf("Update to a taken email: %v", err)
	}
}

// Dates are written and read in the portal's date format, whichever it is.
func TestConnectorDateFormats(t *testing.T) {
	for f, want := range map[talentlms.DateFormat]string{
		talentlms.DDMMYYYY: "28/11/2023", talentlms.MMDDYYYY: "11/28/2023", talentlms.YYYYMMDD: "2023/11/28",
	} {
		t.Run(string(f), func(t *testing.T) {
			k, srv := newConnector(t, talentlms.ConnectorOptions{}, talentlmstest.WithDateFormat(f))
			co := srv.SeedCompany()
			id := co.Users["laura.rossi"]
			hire := day(2023, 11, 28)
			if err := k.Update(ctx, syncengine.Users, id, map[string]any{"custom_fields": map[string]any{"hireDate": hire}}); err != nil {
				t.Fatal(err)
			}
			if got := forms(t, srv, "edituser")[0].Get("custom_field_4"); got != want {
				t.Errorf("sent %q, want %q", got, want)
			}
			for _, r := range listAll(t, k, syncengine.Users) {
				if r.ID == id && (!r.Fields["custom_fields"].(map[string]any)["hireDate"].(time.Time).Equal(hire) ||
					!r.Fields["created_on"].(time.Time).Equal(seedClock)) {
					t.Errorf("read back %v", r.Fields)
				}
			}
		})
	}
}

// Two custom fields with one name cannot be told apart: records and the
// schema leave the name out, and a write to it is refused naming both keys.
func TestConnectorAmbiguousCustomField(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	srv.SeedCompany()
	srv.AddCustomField(talentlms.CustomField{Name: "region", Type: talentlms.FieldText})
	srv.AddCustomField(talentlms.CustomField{Name: "region", Type: talentlms.FieldDropdown, Options: []string{"EU"}})
	for _, r := range listAll(t, k, syncengine.Users) {
		if _, ok := r.Fields["custom_fields"].(map[string]any)["region"]; ok {
			t.Fatalf("user %s carries the ambiguous field", r.ID)
		}
	}
	schema, err := k.Schema(ctx, syncengine.Users)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range schema {
		if f.Name == "custom_fields.region" {
			t.Error("the schema names the ambiguous field")
		}
	}
	err = k.Update(ctx, syncengine.Users, "1", map[string]any{"custom_fields.region": "EU"})
	if !errors.Is(err, syncengine.ErrInvalid) || !strings.Contains(err.Error(), "custom_field_6 and custom_field_7") {
		t.Errorf("write to an ambiguous name: %v", err)
	}
}

// SetActive is one usersetstatus, repeatable.
func TestConnectorSetUserActive(t *testing.T) {
	k, srv := newConnector(t, talentlms.ConnectorOptions{})
	co := srv.SeedCompany()
	id := co.Users["ed.silva"]
	srv.Log().Reset()
	for _, active := range []bool{true, true, false} {
		if err := k.SetActive(ctx, syncengine.Users, id, active); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"GET usersetstatus/user_id:" + id + ",status:active", "GET usersetstatus/user_id:" + id + ",status:active",
		"GET usersetstatus/user_id:" + id + ",status:inactive"}
	if d := cmp.Diff(want, paths(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	if u, _ := srv.User(id); u.Status != talentlms.Inactive {
		t.Errorf("status %s", u.Status)
	}
	for _, id := range []string{"999", "x"} {
		if err := k.SetActive(ctx, syncengine.Users, id, false); !errors.Is(err, syncengine.ErrNotFound) {
			t.Errorf("SetActive(%q): %v", id, err)
		}
	}
}

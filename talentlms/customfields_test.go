package talentlms_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func testFields(t *testing.T) *talentlms.CustomFields {
	t.Helper()
	s, err := talentlms.NewCustomFields(talentlms.DDMMYYYY, []talentlms.CustomField{
		{Key: "custom_field_3", Name: "hireDate", Type: talentlms.FieldDate},
		{Key: "custom_field_1", Name: "jobTitle", Type: talentlms.FieldText},
		{Key: "custom_field_8", Name: "JobTitle", Type: talentlms.FieldText}, // another field: names are case-sensitive
		{Key: "custom_field_2", Name: "department", Type: talentlms.FieldDropdown, Options: []string{"Engineering", "Sales"}},
		{Key: "custom_field_5", Name: "remote", Type: talentlms.FieldCheckbox},
		{Key: "custom_field_6", Name: "location", Type: talentlms.FieldText},
		{Key: "custom_field_7", Name: "location", Type: talentlms.FieldDropdown, Options: []string{"HQ"}},
		{Key: "custom_field_9", Name: "ssn", Type: talentlms.FieldText},
		{Key: "custom_field_10", Name: "ssn", Type: talentlms.FieldText},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLookupByNameAndType resolves names to custom_field_N keys exactly as
// written and by type, as the vendor's own integration matches them.
func TestLookupByNameAndType(t *testing.T) {
	s := testFields(t)
	tests := []struct {
		name    string
		typ     talentlms.CustomFieldType
		key     string
		wantErr error
		errHas  string
	}{
		{"hireDate", talentlms.FieldDate, "custom_field_3", nil, ""},
		{"jobTitle", talentlms.FieldText, "custom_field_1", nil, ""},
		{"JobTitle", talentlms.FieldText, "custom_field_8", nil, ""},
		{"location", talentlms.FieldText, "custom_field_6", nil, ""},
		{"location", talentlms.FieldDropdown, "custom_field_7", nil, ""},
		{"hiredate", talentlms.FieldDate, "", talentlms.ErrNoCustomField, `there is "hireDate": names are case-sensitive`},
		{"hireDate", talentlms.FieldText, "", talentlms.ErrNoCustomField, "is date, not text"},
		{"location", talentlms.FieldDate, "", talentlms.ErrNoCustomField, "is text, dropdown, not date"},
		{"city", talentlms.FieldText, "", talentlms.ErrNoCustomField, `no custom field named "city"`},
		{"hireDate ", talentlms.FieldDate, "", talentlms.ErrNoCustomField, "no custom field"},
		{"ssn", talentlms.FieldText, "", talentlms.ErrAmbiguousCustomField, "custom_field_9 and custom_field_10"},
	}
	for _, tt := range tests {
		f, err := s.Lookup(tt.name, tt.typ)
		if tt.wantErr == nil {
			if err != nil || f.Key != tt.key {
				t.Errorf("Lookup(%q, %s) = %s, %v; want %s", tt.name, tt.typ, f.Key, err, tt.key)
			}
			continue
		}
		if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("Lookup(%q, %s) error %v; want %v containing %q", tt.name, tt.typ, err, tt.wantErr, tt.errHas)
		}
	}
	if f, ok := s.ByKey("custom_field_5"); !ok || f.Name != "remote" {
		t.Errorf("ByKey = %+v, %v", f, ok)
	}
}

func TestCustomFieldEncode(t *testing.T) {
	s := testFields(t)
	tests := []struct {
		name   string
		typ    talentlms.CustomFieldType
		v      any
		want   string
		errHas string
	}{
		{"jobTitle", talentlms.FieldText, "Engineer", "Engineer", ""},
		{"jobTitle", talentlms.FieldText, nil, "", ""},
		{"jobTitle", talentlms.FieldText, 42, "", "takes a string"},
		{"department", talentlms.FieldDropdown, "Sales", "Sales", ""},
		{"department", talentlms.FieldDropdown, "sales", "", "not one of its options"},
		{"remote", talentlms.FieldCheckbox, true, "on", ""},
		{"remote", talentlms.FieldCheckbox, false, "off", ""},
		{"remote", talentlms.FieldCheckbox, "yes", "", "neither on nor off"},
		{"hireDate", talentlms.FieldDate, utc(2023, 11, 28, 13, 0, 0), "28/11/2023", ""},
		{"hireDate", talentlms.FieldDate, "2023-11-28", "28/11/2023", ""},
		{"hireDate", talentlms.FieldDate, "1/2/2023", "01/02/2023", ""},
		{"hireDate", talentlms.FieldDate, time.Time{}, "", ""},
		{"hireDate", talentlms.FieldDate, "soon", "", "soon"},
		{"hireDate", talentlms.FieldDate, 20231128, "", "takes a time.Time"},
	}
	for _, tt := range tests {
		key, got, err := s.Encode(tt.name, tt.typ, tt.v)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), tt.name) {
				t.Errorf("Encode(%s, %v) = %q, %v; want an error with %q", tt.name, tt.v, got, err, tt.errHas)
			}
			continue
		}
		if err != nil || got != tt.want || key == "" {
			t.Errorf("Encode(%s, %v) = %s %q, %v; want %q", tt.name, tt.v, key, got, err, tt.want)
		}
	}
}

func TestCustomFieldValue(t *testing.T) {
	s := testFields(t)
	u := &talentlms.User{ID: "7", Custom: talentlms.Extra{
		"custom_field_1": raw(`"Engineer"`), "custom_field_3": raw(`"28/11/2023"`), "custom_field_5": raw(`"on"`),
		"custom_field_2": raw(`null`), "custom_field_6": raw(`" "`), "custom_field_7": raw(`"HQ"`),
	}}
	for _, tt := range []struct {
		name string
		typ  talentlms.CustomFieldType
		want any
		ok   bool
	}{
		{"jobTitle", talentlms.FieldText, "Engineer", true},
		{"hireDate", talentlms.FieldDate, utc(2023, 11, 28, 0, 0, 0), true},
		{"remote", talentlms.FieldCheckbox, true, true},
		{"department", talentlms.FieldDropdown, nil, false}, // null
		{"location", talentlms.FieldText, nil, false},       // a blank " "
		{"location", talentlms.FieldDropdown, "HQ", true},
		{"JobTitle", talentlms.FieldText, nil, false}, // absent
	} {
		got, ok, err := s.Value(u, tt.name, tt.typ)
		if err != nil || ok != tt.ok || got != tt.want {
			t.Errorf("Value(%s, %s) = %v, %v, %v; want %v, %v", tt.name, tt.typ, got, ok, err, tt.want, tt.ok)
		}
	}
	u.Custom["custom_field_3"] = raw(`"31/02/2023"`)
	if _, _, err := s.Value(u, "hireDate", talentlms.FieldDate); err == nil || !strings.Contains(err.Error(), "user 7") {
		t.Errorf("bad date: %v", err)
	}
}

func TestNewCustomFieldsRefuses(t *testing.T) {
	for _, fs := range [][]talentlms.CustomField{
		{{Key: "field_1", Name: "a", Type: talentlms.FieldText}},
		{{Key: "custom_field_0", Name: "a", Type: talentlms.FieldText}},
		{{Key: "custom_field_1", Name: "a"}, {Key: "custom_field_1", Name: "b"}},
	} {
		if _, err := talentlms.NewCustomFields(talentlms.DDMMYYYY, fs); err == nil {
			t.Errorf("%+v accepted", fs)
		}
	}
	if _, err := talentlms.NewCustomFields("", nil); err == nil {
		t.Error("empty date format accepted")
	}
}

// End to end on the fake: fields resolved by name, a user created with
// them (the mandatory one included), and a missing mandatory field or a
// key of a field the portal has not refused by TalentLMS.
func TestCreateUserWithCustomFields(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	empNo := srv.AddCustomField(talentlms.CustomField{Name: "employeeNumber", Type: talentlms.FieldText, Mandatory: true})
	fields, err := c.ListCustomFields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	custom := map[string]string{}
	for _, v := range []struct {
		name string
		typ  talentlms.CustomFieldType
		v    any
	}{
		{"employeeNumber", talentlms.FieldText, "E-1001"},
		{"department", talentlms.FieldDropdown, "People"},
		{"hireDate", talentlms.FieldDate, utc(2024, 7, 1, 0, 0, 0)},
		{"remote", talentlms.FieldCheckbox, true},
	} {
		k, val, err := fields.Encode(v.name, v.typ, v.v)
		if err != nil {
			t.Fatal(err)
		}
		custom[k] = val
	}
	params := talentlms.CreateUserParams{FirstName: "Ivy", LastName: "Stone", Email: "ivy@example.com", Login: "ivy", Password: "Passw0rd1", Custom: custom}
	u, err := c.CreateUser(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.User(u.ID)
	for k, want := range custom {
		if got, _ := stored.CustomValue(k); got != want {
			t.Errorf("stored %s = %q, want %q", k, got, want)
		}
	}
	if co.Fields["hireDate"] != "custom_field_4" {
		t.Fatalf("seed keys changed: %v", co.Fields)
	}
	params.Email, params.Login = "ivy2@example.com", "ivy2"
	delete(params.Custom, empNo)
	if _, err := c.CreateUser(ctx, params); !errors.Is(err, talentlms.ErrInvalid) {
		t.Errorf("missing mandatory field: %v", err)
	}
	params.Custom = map[string]string{"custom_field_3": "x", empNo: "E-2"} // custom_field_3 does not exist
	if _, err := c.CreateUser(ctx, params); !errors.Is(err, talentlms.ErrInvalid) {
		t.Errorf("unknown field key: %v", err)
	}
	params.Custom = map[string]string{"jobTitle": "x"}
	_, err = c.CreateUser(ctx, params)
	if err == nil || !strings.Contains(err.Error(), "custom_field_N") {
		t.Errorf("a name for a key: %v", err)
	}
	if got := srv.Log().Count(talentlmstest.IsWrite); got != 3 {
		t.Errorf("writes sent: %d, want 3 (the last refused locally)", got)
	}
}

// Two portals number the same field differently: the name and type find
// each portal's own key.
func TestCustomFieldKeysDifferByPortal(t *testing.T) {
	var keys []string
	for _, fields := range [][]talentlms.CustomField{
		{{Name: "hireDate", Type: talentlms.FieldDate}},
		{{Name: "jobTitle", Type: talentlms.FieldText}, {Name: "hireDate", Type: talentlms.FieldText}, {Key: "custom_field_12", Name: "hireDate", Type: talentlms.FieldDate}},
	} {
		srv := talentlmstest.NewServer(t)
		for _, f := range fields {
			srv.AddCustomField(f)
		}
		s, err := srv.NewClient(t).ListCustomFields(ctx)
		if err != nil {
			t.Fatal(err)
		}
		key, _, err := s.Encode("hireDate", talentlms.FieldDate, utc(2024, 1, 2, 0, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	if keys[0] != "custom_field_1" || keys[1] != "custom_field_12" {
		t.Errorf("keys = %v", keys)
	}
}

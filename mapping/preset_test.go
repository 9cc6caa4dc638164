package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite presets in canonical form")

func readJSON(t testing.TB, name string, into any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func mustPreset(t testing.TB, name string) *Map {
	t.Helper()
	m, err := Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Presets are stored exactly as Save writes them, so Load → Save is the
// identity on them.
func TestPresetsCanonical(t *testing.T) {
	names := PresetNames()
	want := []string{PresetBambooHRLitmos, PresetBambooHRPerson, PresetHiBobLearnAmp, PresetHiBobLearnAmpTeams, PresetHiBobPerson,
		PresetLitmosPlatform, PresetLitmosPlatformCourse, PresetLitmosPlatformGroup, PresetPersonLearnAmp, PresetPersonLitmos, PresetPersonTalentHR, PresetPersonTalentLMS,
		PresetTalentHRPerson, PresetTalentHRTalentLMS, PresetTalentLMSPerson, PresetTalentLMSTalentHR}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("PresetNames (-want +got):\n%s", diff)
	}
	for _, name := range names {
		m := mustPreset(t, name)
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join("presets", name+".json")
		if *update {
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		orig, _ := PresetJSON(name)
		if diff := cmp.Diff(string(orig), buf.String()); diff != "" {
			t.Errorf("%s is not canonical (run go test -run TestPresetsCanonical -update) (-file +saved):\n%s", name, diff)
		}
	}
}

func TestPresetUnknown(t *testing.T) {
	_, err := Preset("workday-litmos")
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("bamboohr-litmos")) {
		t.Fatalf("want an error listing the presets, got %v", err)
	}
}

func TestPresetBambooHRLitmos(t *testing.T) {
	m := mustPreset(t, PresetBambooHRLitmos)
	var emps []map[string]any
	readJSON(t, "bamboohr_employees.json", &emps)

	got, err := m.Apply(emps[0])
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	want := map[string]any{
		"UserName":           "charlotte.abbott@efficientoffice.com",
		"Email":              "charlotte.abbott@efficientoffice.com",
		"FirstName":          "Charlotte",
		"LastName":           "Abbott",
		"PhoneWork":          "+1 801 724 6600",
		"PhoneMobile":        nil,
		"Street1":            "123 Main St",
		"Street2":            "",
		"City":               "Lindon",
		"State":              "Utah",
		"PostalCode":         "84042",
		"Country":            "United States",
		"JobTitle":           "Sr. HR Administrator",
		"ExternalEmployeeId": "4",
		"AccessLevel":        "Learner",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("employee 4 (-want +got):\n%s", diff)
	}
	if !m.CreateOnly("AccessLevel") || m.CreateOnly("UserName") {
		t.Error("AccessLevel must be create-only and UserName not")
	}
	upd, err := m.ApplyMode(emps[0], Update)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := upd["AccessLevel"]; ok {
		t.Error("Update mode wrote the create-only AccessLevel")
	}

	// No work email: that employee's username and email fail, clearly, and
	// the rest still maps.
	got, err = m.Apply(emps[1])
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	if diff := cmp.Diff([]string{"UserName", "Email"}, errs.Targets()); diff != "" {
		t.Errorf("failed targets (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrRequired) {
		t.Errorf("want ErrRequired in %v", err)
	}
	wantMsg := `mapping "bamboohr-litmos": rule 0 → UserName (from workEmail (empty)): required value is empty`
	if errs[0].Error() != wantMsg {
		t.Errorf("message:\n got %s\nwant %s", errs[0].Error(), wantMsg)
	}
	if got["LastName"] != "Ñúñez-O'Brien" || got["PhoneMobile"] != "+1 801 555 0100" {
		t.Errorf("other fields not mapped: %v", got)
	}
	if _, ok := got["UserName"]; ok {
		t.Error("failed target present in output")
	}
}

func TestPresetHiBobLearnAmp(t *testing.T) {
	m := mustPreset(t, PresetHiBobLearnAmp)
	var emp map[string]any
	readJSON(t, "hibob_record.json", &emp)
	got, err := m.Apply(emp)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"integrationExternalId": "3332883884017713238",
		"firstName":             "Ada",
		"lastName":              "Lovelace",
		"email":                 "ada.lovelace@example.com",
		"jobTitle":              "Engineer",
		"location":              "London",
		"department":            "Engineering",
		"teams":                 Reference{Collection: "teams", Key: "216874211"},
		"hireDate":              "2025-09-01",
		"manager":               Reference{Collection: "users", Key: "3332883804594373380"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// The manager as work.manager alone; a field the service user may not
	// see is left out of the record and leaves its Learn Amp field alone.
	emp["work.reportsTo"], emp["work.reportsTo.id"] = nil, nil
	delete(emp, "work.title")
	got, err = m.Apply(emp)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["jobTitle"]; ok || got["manager"] != (Reference{Collection: "users", Key: "3332883804594373380"}) {
		t.Errorf("hidden title, work.manager alone: jobTitle %v (want absent), manager %v", got["jobTitle"], got["manager"])
	}
	// A hidden email still fails the record: it is required.
	delete(emp, "root.email")
	if _, err := m.Apply(emp); !errors.Is(err, ErrRequired) {
		t.Errorf("no root.email: err = %v, want ErrRequired", err)
	}
}

func TestPresetTalentHRTalentLMS(t *testing.T) {
	m := mustPreset(t, PresetTalentHRTalentLMS)
	var emp map[string]any
	readJSON(t, "talenthr_employee.json", &emp)
	got, err := m.Apply(emp)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"email":      "jdoe@example.com",
		"login":      "jdoe@example.com",
		"first_name": "John",
		"last_name":  "Doe",
		"custom_fields": map[string]any{
			"hireDate":    time.Date(2023, 11, 28, 0, 0, 0, 0, time.UTC),
			"dateOfBirth": time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC),
			"ssn":         "123-45-6789",
			"city":        "Athens",
			"country":     "Greece",
			"jobTitle":    "Business Analyst",
			"department":  "Administration & Operations",
			"location":    "Athens",
			"division":    "Europe",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !m.CreateOnly("login") {
		t.Error("login must be create-only")
	}

	// TalentHR's replies leave the SSN out: the TalentLMS value is left
	// alone, not cleared (skip_missing); an emptied city clears.
	absent := maps.Clone(emp)
	delete(absent, "ssn")
	absent["city"] = ""
	got, err = m.Apply(absent)
	if err != nil {
		t.Fatal(err)
	}
	custom := got["custom_fields"].(map[string]any)
	if _, ok := custom["ssn"]; ok || custom["city"] != "" {
		t.Errorf("absent ssn and emptied city map to %v", custom)
	}
	if _, ok := custom["city"]; !ok {
		t.Error("an emptied city must clear the TalentLMS value")
	}

	// A bad birth date fails that field only, and the SSN never shows in errors.
	emp["birth_date"], emp["ssn"] = "17 May 1990", map[string]any{"x": 1}
	_, err = m.Apply(emp)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("want 2 field errors, got %v", err)
	}
	for _, e := range errs {
		if bytes.Contains([]byte(e.Error()), []byte("17 May")) || e.Value != Redacted {
			t.Errorf("secret value leaked: %v (Value %q)", e, e.Value)
		}
	}
}

func TestPresetTalentLMSTalentHR(t *testing.T) {
	m := mustPreset(t, PresetTalentLMSTalentHR)
	var users []map[string]any
	readJSON(t, "talentlms_users.json", &users)
	got, err := m.Apply(users[0])
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"email": "jdoe@example.org", "first_name": "John", "last_name": "Doe",
		"hire_date": "2023-11-28", "birth_date": "1990-05-17", "ssn": "123-45-6789",
		"city": "Athens", "country": "Greece", "job_title": "Business Analyst",
		"department": "Administration & Operations", "location": "Athens", "division": "Europe",
		"hr_languages": "English",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user 40457 (-want +got):\n%s", diff)
	}
	for _, f := range []string{"hire_date", "job_title", "department", "location", "division", "ssn"} {
		if !m.CreateOnly(f) {
			t.Errorf("%s must be create-only: TalentHR refuses to change it after the hire, or never returns it", f)
		}
	}

	// An invalid hireDate falls back to the creation date; the custom
	// fields the portal does not define (skip_missing) and the one it
	// defines without a value (city: ignore-if-empty) are left out, so
	// TalentLMS never empties TalentHR.
	got, err = m.Apply(users[1])
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]any{
		"email": "m.rossi@example.org", "first_name": "Maria", "last_name": "Rossi",
		"hire_date": "2024-02-03",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user 40458 (-want +got):\n%s", diff)
	}

	// The hire date falls back to the creation date whenever hireDate is
	// no date: missing (not on the portal), empty, blank or invalid.
	for name, custom := range map[string]map[string]any{
		"missing": {}, "null": {"hireDate": nil}, "empty": {"hireDate": ""}, "blank": {"hireDate": " "},
		"invalid": {"hireDate": "31/02/2021"}, "not a date": {"hireDate": "next week"},
	} {
		got, err := m.Apply(map[string]any{"email": "a@example.org", "first_name": "A", "last_name": "B",
			"created_on": "03/02/2024, 09:15:00", "custom_fields": custom})
		if err != nil || got["hire_date"] != "2024-02-03" {
			t.Errorf("hireDate %s: hire_date %v (%v), want the creation date 2024-02-03", name, got["hire_date"], err)
		}
	}
}

func TestPresetLitmosPlatform(t *testing.T) {
	m := mustPreset(t, PresetLitmosPlatform)
	var u map[string]any
	readJSON(t, "litmos_user.json", &u)
	got, err := m.Apply(u)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"integration_id": "rnjx2WaQOEY1", "email": "janine.butcher@pieshop.net", "first_name": "Janine", "last_name": "Butcher",
		"name": "Janine Butcher", "phone_business": "+44 20 7946 0000", "phone_mobile": nil,
		"address_one": "1 Albert Square", "address_two": nil, "city": "London", "state": nil, "zip": "12345",
		"country": "United Kingdom", "company": "Pie Shop", "title": "Manager", "timezone": "GMT Standard Time",
		"language": "en-GB", "manager": "", "optional_1": "Night shift", "optional_2": nil, "optional_3": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	u["Email"] = "  "
	if _, err := m.Apply(u); err == nil {
		t.Error("a user without an email must fail")
	}
}

// TalentLMS custom date fields follow the portal's date format (siteinfo
// date_format; not in TalentLMS's public docs, noted by
// https://github.com/sep/talent-lms-api), which need not pad day and month. An
// unpadded hire date must not silently fall back to the creation date.
func TestPresetTalentLMSTalentHRUnpaddedDates(t *testing.T) {
	m := mustPreset(t, PresetTalentLMSTalentHR)
	got, err := m.Apply(map[string]any{
		"email": "ana@example.org", "first_name": "Ana", "last_name": "Cruz",
		"created_on":    "12/11/2015, 07:06:53",
		"custom_fields": map[string]any{"hireDate": "5/3/2021", "dateOfBirth": "7-9-1990"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["hire_date"] != "2021-03-05" || got["birth_date"] != "1990-09-07" {
		t.Errorf("hire_date = %v, birth_date = %v; want 2021-03-05 and 1990-09-07", got["hire_date"], got["birth_date"])
	}
}

func TestPresetOr(t *testing.T) {
	own := mustPreset(t, PresetLitmosPlatform)
	if got, err := PresetOr(own, PresetBambooHRLitmos); got != own || err != nil {
		t.Errorf("PresetOr(own) = %v, %v; want own", got, err)
	}
	if got, err := PresetOr(nil, PresetBambooHRLitmos); err != nil || got.Name() != PresetBambooHRLitmos {
		t.Errorf("PresetOr(nil) = %v, %v", got, err)
	}
	if _, err := PresetOr(nil, "workday-litmos"); err == nil {
		t.Error("PresetOr(nil, unknown): no error")
	}
}

func TestMustPreset(t *testing.T) {
	if m := MustPreset(PresetLitmosPlatformGroup); m.Name() != PresetLitmosPlatformGroup {
		t.Errorf("MustPreset = %q", m.Name())
	}
	defer func() {
		if recover() == nil {
			t.Error("MustPreset of an unknown preset did not panic")
		}
	}()
	MustPreset("workday-litmos")
}
